"""Streamed speech: sentence by sentence, each in a synthesis slot, through a small queue.

``POST /v1/audio/speech`` sends pcm, wav, mp3 and opus as chunked audio, a sentence at a
time, and with ``stream_format="sse"`` any format as Server-Sent Events (flac and aac,
which are only encoded whole, then come in one event).

A stream is a producer task and a queue of ``QUEUE_CHUNKS``. The producer asks the slots
for one step at a time (a sentence synthesised and encoded: ``SentenceTake.step``), each
with the request's place in line, and queues its bytes; the response drains the queue.
The slot is given back before the bytes are queued, so a reader that stops reading stalls
only its own producer, which then waits on its full queue holding no slot while other
requests are synthesised. A stream's memory is its queue, one sentence in hand and the
socket's buffers.

The first bytes are made before the 200 goes out, so a text the voice refuses is still a
400. A failure after that cuts an audio stream short (the client sees an unfinished
body) and ends an SSE stream with an error event.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import math
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Protocol

import numpy as np
from starlette.responses import Response

from .apierror import ApiError
from .encode import StreamEncoder
from .registry import SPEECH_RATE
from .streaming import SSE_HEADERS, SSE_MEDIA_TYPE, StreamedResponse, sse_error, sse_event
from .synthesis import SynthesisSlots

_log = logging.getLogger(__name__)
QUEUE_CHUNKS = 2  # encoded sentences waiting for their reader, per stream
# Usage is an estimate: the engine has no tokenizer. Text: four characters a token, the
# rule of thumb CometAPI gives; audio: 20 tokens a second, what gpt-4o-mini-tts' prices
# imply ($12 per million audio tokens, about $0.015 a minute).
CHARS_PER_TOKEN = 4
AUDIO_TOKENS_PER_SECOND = 20
_END = object()


def cannot_speak(exc: ValueError) -> ApiError:
    """The 400 for text that passed validation but that the phonemiser refuses."""
    _log.info("cannot synthesise the input: %s", exc, exc_info=exc)
    return ApiError(400, "'input' could not be synthesised.", param="input", code="invalid_value")


def usage(text_chars: int, samples: int) -> dict[str, int]:
    """The speech.audio.done usage: estimated text tokens in, audio tokens out.

    >>> usage(10, 24_000)
    {'input_tokens': 3, 'output_tokens': 20, 'total_tokens': 23}
    """
    input_tokens = max(1, math.ceil(text_chars / CHARS_PER_TOKEN))
    output_tokens = math.ceil(samples / SPEECH_RATE * AUDIO_TOKENS_PER_SECOND)
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
    }


class Take(Protocol):
    """The blocking side of one streamed answer, worked one ``step`` per slot."""

    samples: int  # speech samples made so far

    def step(self) -> bytes | None:
        """The next bytes (maybe none yet), or None once everything has been given."""

    def close(self) -> None:
        """Let go of the synthesis and the encoder, even mid-way."""


class SentenceTake:
    """Speech from `pieces` (a sentence of samples each), encoded as it comes."""

    def __init__(self, pieces: Iterator[np.ndarray], response_format: str, *, hd: bool) -> None:
        self.samples = 0
        self._pieces: Iterator[np.ndarray] | None = pieces
        self._format, self._hd = response_format, hd
        self._encoder: StreamEncoder | None = None
        self._lock = threading.Lock()  # close() may come from another thread mid-step

    def step(self) -> bytes | None:
        with self._lock:
            if self._pieces is None:
                return None
            if self._encoder is None:
                self._encoder = StreamEncoder(self._format, hd=self._hd)
            try:
                samples = next(self._pieces)
            except StopIteration:
                self._pieces = None
                return self._encoder.finish()
            except ValueError as exc:
                self._pieces = None
                raise cannot_speak(exc) from None
            self.samples += samples.size
            return self._encoder.feed(samples)

    def close(self) -> None:
        with self._lock:
            if self._encoder is not None:
                self._encoder.close()
            pieces, self._pieces = self._pieces, None
            if pieces is not None and hasattr(pieces, "close"):
                pieces.close()


class WholeTake:
    """Speech made and encoded whole in one step (flac and aac, asked for as SSE)."""

    def __init__(
        self, make: Callable[[], np.ndarray], encode: Callable[[np.ndarray], bytes]
    ) -> None:
        self.samples = 0
        self._make, self._encode = make, encode
        self._done = False

    def step(self) -> bytes | None:
        if self._done:
            return None
        self._done = True
        samples = self._make()
        self.samples = samples.size
        return self._encode(samples)

    def close(self) -> None:
        self._done = True


class SpeechStream:
    """One streamed answer: a producer task filling a bounded queue, and its reader."""

    def __init__(self, take: Take, slots: SynthesisSlots) -> None:
        self.take = take
        self._slots = slots
        self._queue: asyncio.Queue = asyncio.Queue(QUEUE_CHUNKS)
        self._producer: asyncio.Task | None = None
        self._closed = False
        self._ticket = slots.ticket()  # its sentences keep the request's place in line

    async def start(self) -> bytes | None:
        """Start making the speech; its first bytes (None: there are none), or its error."""
        self._slots.count_stream(streams=1)
        self._producer = asyncio.create_task(self._produce())
        try:
            return await self._next()
        except BaseException:
            await self.close()
            raise

    async def chunks(self, first: bytes | None) -> AsyncIterator[bytes]:
        """`first`, then the rest of the bytes as they are made."""
        if first is not None:
            yield first
        while (chunk := await self._next()) is not None:
            yield chunk

    async def close(self) -> None:
        """Stop making the speech (if it is not done) and count the stream closed."""
        if self._closed:
            return
        self._closed = True
        self._slots.count_stream(streams=-1)
        # A step may still be running in its slot: close once it is done, off the loop.
        asyncio.get_running_loop().run_in_executor(None, self.take.close)
        if self._producer is not None:
            self._producer.cancel()
            await asyncio.gather(self._producer, return_exceptions=True)

    async def _next(self) -> bytes | None:
        item = await self._queue.get()
        if item is _END:
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    async def _produce(self) -> None:
        try:
            while (chunk := await self._slots.run(self.take.step, ticket=self._ticket)) is not None:
                if chunk:
                    await self._put(chunk)
            await self._put(_END)
        except Exception as exc:  # handed to the reader, who raises it
            await self._put(exc)

    async def _put(self, item: object) -> None:
        if not self._queue.full():
            self._queue.put_nowait(item)
            return
        self._slots.count_stream(stalled=1)  # waiting for the reader, holding no slot
        try:
            await self._queue.put(item)
        finally:
            self._slots.count_stream(stalled=-1)


async def respond(
    take: Take, slots: SynthesisSlots, *, media_type: str, sse: bool, text_chars: int
) -> Response:
    """The streamed response for `take`: chunked audio of `media_type`, or SSE events."""
    stream = SpeechStream(take, slots)
    first = await stream.start()
    if not sse:
        return StreamedResponse(stream.chunks(first), on_close=stream.close, media_type=media_type)
    return StreamedResponse(
        _events(stream, first, text_chars),
        on_close=stream.close,
        media_type=SSE_MEDIA_TYPE,
        headers=SSE_HEADERS,
    )


async def _events(stream: SpeechStream, first: bytes | None, text_chars: int) -> AsyncIterator:
    try:
        async for chunk in stream.chunks(first):
            audio = base64.b64encode(chunk).decode("ascii")
            yield sse_event({"type": "speech.audio.delta", "audio": audio})
    except Exception as exc:
        _log.warning("speech stream failed after it started", exc_info=exc)
        yield sse_error(exc)
        return
    yield sse_event({"type": "speech.audio.done", "usage": usage(text_chars, stream.take.samples)})
