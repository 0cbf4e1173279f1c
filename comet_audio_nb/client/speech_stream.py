"""Speech that plays while it is made: ``stream_speech`` and its async twin.

The answer is read as it arrives and handed out chunk by chunk: audio bytes, or SSE
``speech.audio.delta`` events whose base64 ``audio`` (or ``delta``) is decoded here;
``speech.audio.done`` brings ``usage``. A server that answers plain audio where SSE was
asked still works. Afterwards ``stream.speech`` is the whole ``Speech``.

Nothing is retried once a chunk has been handed out: the request goes through the
client's one retry loop up to its first chunk, and a cut after that raises
``APIConnectionError`` carrying what arrived (``error.speech``). The call log gets one
record per stream, written when it ends.

>>> with CometClient().stream_speech("Hello there", voice="nova") as stream:  # doctest: +SKIP
...     for chunk in stream:
...         player.feed(chunk)
>>> stream.speech                                                      # doctest: +SKIP
Speech(voice='nova', 1.1 s, 18 KB mp3)
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Iterator
from itertools import chain
from typing import Any

import httpx

from ..constants import SPEECH_CONTENT_TYPES
from ..errors import (
    STREAM_CUT_HINT,
    APIConnectionError,
    CometError,
    InvalidResponseError,
    request_id_from,
)
from ..results import Speech
from . import sse
from .calls import Call, Reply
from .streams import AsyncStream, Stream, SyncStream

DELTA, DONE = "speech.audio.delta", "speech.audio.done"


class SpeechParts:
    """What a speech answer has delivered so far (no I/O): chunks in, the Speech out."""

    def __init__(self, call: Call, reply: Reply) -> None:
        self.call, self.reply = call, reply
        self.sse = sse.is_sse(reply.headers)
        self.chunks: list[bytes] = []
        self.usage: dict | None = None
        self.done = False
        self.events = 0
        self._odd = b""  # pcm: half a sample, kept for the next chunk
        self._pcm = call.meta.get("response_format") == "pcm"

    @property
    def received(self) -> int:
        return sum(map(len, self.chunks))

    def audio(self, chunk: bytes) -> bytes:
        """A piece of audio as it is handed out (pcm only in whole 16-bit samples)."""
        if self._pcm:
            chunk = self._odd + chunk
            cut = len(chunk) - len(chunk) % 2
            chunk, self._odd = chunk[:cut], chunk[cut:]
        if chunk:
            self.chunks.append(chunk)
        return chunk

    def event(self, data: dict) -> bytes:
        """One SSE event's audio (``b""`` for events that carry none)."""
        self.events += 1
        kind = data.get("type")
        if kind == DONE:
            self.done = True
            usage = data.get("usage")
            self.usage = self.reply.usage = usage if isinstance(usage, dict) else None
            return b""
        encoded = data.get("audio", data.get("delta"))
        if kind != DELTA and encoded is None:
            return b""  # an event of another kind: nothing to play
        if not isinstance(encoded, str):
            raise self._bad(f"has no base64 'audio' (keys: {', '.join(sorted(data))})")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise self._bad(f"holds audio that is not base64: {encoded[:40]!r}") from None
        return self.audio(raw)

    def finish(self) -> bytes:
        """The body ended cleanly; returns a last piece to hand out, if any."""
        tail, self._odd = self._odd, b""
        if tail:
            self.chunks.append(tail)
        if self.sse and not self.done:
            raise APIConnectionError(
                f"the stream ended before {DONE} ({self.received:,} bytes of audio arrived)",
                hint=STREAM_CUT_HINT,
            )
        self.done = True
        if not self.chunks:
            rid = request_id_from(self.reply.headers)
            raise InvalidResponseError(
                "the speech response was empty", status=self.reply.status, request_id=rid
            )
        return tail

    def speech(self) -> Speech:
        """The Speech of what arrived (all of it once the stream is done)."""
        meta, headers = self.call.meta, self.reply.headers
        fmt = meta["response_format"]
        content_type = headers.get("content-type", "")
        if self.sse or not content_type:
            content_type = SPEECH_CONTENT_TYPES.get(fmt, "application/octet-stream")
        return Speech(
            data=b"".join(self.chunks),
            format=fmt,
            content_type=content_type,
            model=meta["model"],
            voice=meta["voice"],
            text=meta["input"],
            speed=meta.get("speed"),
            instructions=meta.get("instructions"),
            request_id=request_id_from(headers),
            elapsed=self.reply.elapsed,
            usage=self.usage,
        )

    def cut(self, error: CometError) -> CometError:
        """``error`` with what arrived on it (``error.speech``)."""
        error.speech = self.speech()  # type: ignore[attr-defined]
        if getattr(error, "request_id", None) is None:
            error.request_id = request_id_from(self.reply.headers)  # type: ignore[misc]
        return error

    def _bad(self, what: str) -> InvalidResponseError:
        return sse.bad_event(f"event {self.events} ({DELTA}) {what}", self.reply)


class _SpeechStream(Stream):
    """What both speech streams share: the parts, or the whole Speech of a plain answer."""

    def __init__(self, client: Any, call: Call) -> None:
        self._parts: SpeechParts | None = None
        self._whole: Speech | None = None  # the answer did not stream: read whole
        super().__init__(client, call)

    @property
    def complete(self) -> bool:
        """Whether all of the speech arrived."""
        return self._whole is not None or bool(self._parts and self._parts.done and not self.error)

    def _opened(self, reply: Reply) -> None:
        self._reply = reply
        if reply.streamed:
            self._parts = SpeechParts(self._call, reply)
        else:  # a plain answer where a stream was asked: read whole, already checked
            self._whole = self._client._speech_result(self._call, reply)

    def _whole_item(self) -> bytes | None:
        return None if self._whole is None else self._whole.data

    def _failed(self, exc: BaseException) -> BaseException:
        """What to raise for ``exc``, which ended the stream (an httpx error: a cut)."""
        assert self._parts is not None
        if isinstance(exc, httpx.HTTPError):
            exc = self._client._cut_off(exc, self._parts.received)
        if isinstance(exc, CometError):
            self._parts.cut(exc)
        return super()._failed(exc)

    def _snapshot(self) -> Speech:
        if self._whole is not None:
            return self._whole
        if self._parts is None:
            raise RuntimeError("the stream has not been opened: use it in a with block")
        return self._parts.speech()

    def _progress(self) -> str:
        return f", {self._parts.received:,} bytes" if self._parts else ""

    def _ready(self) -> tuple[Reply, SpeechParts]:
        assert self._reply is not None and self._parts is not None
        return self._reply, self._parts


class SpeechStream(_SpeechStream, SyncStream):
    """Audio chunks as they arrive (``for chunk in stream``); then ``stream.speech``.

    Made by ``CometClient.stream_speech``; the request goes out on entering the ``with``
    block (or at the first chunk), and leaving it closes the connection.
    """

    @property
    def speech(self) -> Speech:
        """The whole Speech (the rest is read first if the loop stopped early but the
        stream is still open); after a cut or a close, what arrived."""
        self._read_rest()
        return self._snapshot()

    def _items(self) -> Iterator[bytes]:
        reply, parts = self._ready()
        if parts.sse:
            pieces = map(parts.event, sse.events(reply, self._client.settings.api_key))
        else:
            pieces = map(parts.audio, chain((reply.body,), reply.rest))
        for piece in pieces:
            if piece:
                yield piece
        tail = parts.finish()
        if tail:
            yield tail


class AsyncSpeechStream(_SpeechStream, AsyncStream):
    """``SpeechStream`` for asyncio: ``async with`` and ``async for``.

    >>> async with AsyncCometClient().stream_speech("Hi") as stream:  # doctest: +SKIP
    ...     async for chunk in stream:
    ...         ...
    """

    async def read(self) -> Speech:
        """The whole Speech: the rest read first if the loop stopped early (``.speech``
        is what arrived so far)."""
        await self._read_rest()
        return self._snapshot()

    @property
    def speech(self) -> Speech:
        """What arrived: the whole Speech once the stream is done (``await read()`` reads
        the rest first)."""
        return self._snapshot()

    async def _aitems(self) -> AsyncIterator[bytes]:
        reply, parts = self._ready()
        if parts.sse:
            async for data in sse.aevents(reply, self._client.settings.api_key):
                piece = parts.event(data)
                if piece:
                    yield piece
        else:
            first = parts.audio(reply.body)
            if first:
                yield first
            async for chunk in reply.rest:
                piece = parts.audio(chunk)
                if piece:
                    yield piece
        tail = parts.finish()
        if tail:
            yield tail
