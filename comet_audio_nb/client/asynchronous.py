"""AsyncCometClient: the CometAPI audio API for ``asyncio``; the same methods, awaited.

>>> async with AsyncCometClient() as client:            # doctest: +SKIP
...     speeches = await asyncio.gather(*(client.speech(t) for t in texts))
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from contextlib import ExitStack
from functools import partial
from typing import Any

import httpx

from ..audio import AudioInput
from ..constants import (
    CATALOG_PAGE_CONCURRENCY,
    DEFAULT_SPEECH_FORMAT,
    DEFAULT_SPEECH_MODEL,
    DEFAULT_STREAM_FORMAT,
    DEFAULT_TRANSCRIBE_MODEL,
    DEFAULT_VOICE,
)
from ..errors import CometError
from . import extras, pages
from .base import BaseClient, started_now
from .calls import Call, Reply
from .gate import AttemptGate
from .speech_stream import AsyncSpeechStream
from .transcript_stream import AsyncTranscriptionStream


class AsyncCometClient(BaseClient):
    """The CometAPI audio API for ``asyncio``; the same methods as ``CometClient``, awaited.

    ``gate``: an ``AttemptGate`` awaited before every attempt (the batch machinery's
    adaptive limit); retries stay this client's own.
    """

    _sleep = staticmethod(asyncio.sleep)  # tests replace it on an instance

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        gate: AttemptGate | None = None,
        **options: Any,
    ):
        super().__init__(api_key, base_url, **options)
        self.gate = gate
        self._http = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)

    @classmethod
    def like(
        cls, client: BaseClient, *, gate: AttemptGate | None = None, share_pool: bool = False
    ) -> tuple[AsyncCometClient, bool]:
        """An AsyncCometClient with ``client``'s settings, retry policy and call hooks.

        ``share_pool`` reuses an AsyncCometClient's connections (only safe on the event loop
        that owns them). Returns the new client and whether it owns a pool to close.
        """
        twin = cls.__new__(cls)
        client._copy_into(twin)
        twin.gate = gate
        if share_pool and isinstance(client, AsyncCometClient):
            twin._http = client._http
            return twin, False
        twin._http = httpx.AsyncClient(timeout=twin.timeout, follow_redirects=False)
        return twin, True

    async def _send(self, call: Call) -> Reply:
        """Send ``call``, retrying what the policy says: the one retry loop of this client.

        Each attempt passes the gate (when there is one); the waits between attempts are
        outside it, so a request backing off holds no slot. A streamed call is retried
        only up to its first chunk, holds its slot until the stream ends, and is recorded
        then.
        """
        attempt, started = 0, started_now()
        while True:
            try:
                reply = await self._gated_attempt(call)
            except CometError as error:
                await self._sleep(self._retry_delay(call, error, attempt, started))
                attempt += 1
            else:
                if reply.streamed:
                    reply.on_end.append(
                        partial(self._record_stream, call, started, attempt + 1, reply)
                    )
                else:
                    self._record(call, started, attempt + 1, reply)
                return reply

    async def _gated_attempt(self, call: Call) -> Reply:
        if self.gate is None:
            return await self._attempt(call)
        gate = self.gate
        token = await gate.enter()
        try:
            reply = await self._attempt(call)
        except BaseException as exc:
            gate.leave(token, exc)
            raise
        if reply.streamed:  # the slot is held while the body streams
            reply.on_end.append(
                lambda end: gate.leave(token, end if isinstance(end, BaseException) else reply)
            )
        else:
            gate.leave(token, reply)
        return reply

    async def _attempt(self, call: Call) -> Reply:
        started = time.perf_counter()
        with ExitStack() as stack:
            try:
                request = self._request(self._http, call, stack)
                if call.stream:
                    response = await self._http.send(request, stream=True)
                    return await self._open_stream(call, response, started)
                response = await self._http.send(request)
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None
        return self._reply(response, started, call)

    async def _open_stream(self, call: Call, response: httpx.Response, started: float) -> Reply:
        """As ``CometClient._open_stream``: the first chunk read, or the whole answer."""
        try:
            if self._streams(call, response):
                rest = response.aiter_bytes()
                return self._open_reply(response, await anext(rest, b""), rest, started)
            await response.aread()
        except BaseException:
            await response.aclose()
            raise
        return self._reply(response, started, call)

    async def speech(
        self,
        text: str,
        *,
        model: str = DEFAULT_SPEECH_MODEL,
        voice: str = DEFAULT_VOICE,
        response_format: str = DEFAULT_SPEECH_FORMAT,
        speed: float | None = None,
        instructions: str | None = None,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ):
        """Speak ``text``; the options and result are those of ``CometClient.speech``."""
        call = self._speech_call(
            text, model=model, voice=voice, response_format=response_format, speed=speed,
            instructions=instructions, extra_body=extra_body, extra_headers=extra_headers,
            extra_query=extra_query,
        )  # fmt: skip
        return self._speech_result(call, await self._send(call))

    def stream_speech(
        self,
        text: str,
        *,
        model: str = DEFAULT_SPEECH_MODEL,
        voice: str = DEFAULT_VOICE,
        response_format: str = DEFAULT_SPEECH_FORMAT,
        speed: float | None = None,
        instructions: str | None = None,
        stream_format: str = DEFAULT_STREAM_FORMAT,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> AsyncSpeechStream:
        """Audio chunks as they arrive; as ``CometClient.stream_speech``, with ``async with``
        and ``async for`` (``await stream.read()`` is the whole Speech).

        >>> async with AsyncCometClient().stream_speech("Hello") as stream:  # doctest: +SKIP
        ...     async for chunk in stream:
        ...         ...
        """
        call = self._speech_call(
            text, model=model, voice=voice, response_format=response_format, speed=speed,
            instructions=instructions, stream_format=stream_format, extra_body=extra_body,
            extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return AsyncSpeechStream(self, call)

    async def transcribe(
        self,
        audio: AudioInput,
        *,
        model: str = DEFAULT_TRANSCRIBE_MODEL,
        language: str | None = None,
        prompt: str | None = None,
        response_format: str | None = None,
        temperature: float | None = None,
        timestamp_granularities: Sequence[str] | None = None,
        filename: str | None = None,
        include: Sequence[str] | None = None,
        chunking_strategy: str | dict[str, Any] | None = None,
        known_speakers: dict[str, Any] | None = None,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ):
        """Transcribe audio; the options and result are those of ``CometClient.transcribe``."""
        call = self._audio_call(
            "transcribe", audio, model=model, language=language, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=timestamp_granularities, filename=filename,
            include=include, chunking_strategy=chunking_strategy, known_speakers=known_speakers,
            extra_body=extra_body, extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return self._transcript_result(call, await self._send(call))

    def stream_transcription(
        self,
        audio: AudioInput,
        *,
        model: str = DEFAULT_TRANSCRIBE_MODEL,
        language: str | None = None,
        prompt: str | None = None,
        response_format: str | None = None,
        temperature: float | None = None,
        filename: str | None = None,
        include: Sequence[str] | None = None,
        chunking_strategy: str | dict[str, Any] | None = None,
        known_speakers: dict[str, Any] | None = None,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> AsyncTranscriptionStream:
        """Transcript events as they arrive; as ``CometClient.stream_transcription``, with
        ``async with`` and ``async for`` (``await stream.read()`` is the Transcript)."""
        call = self._audio_call(
            "transcribe", audio, model=model, language=language, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=None, filename=filename, include=include,
            chunking_strategy=chunking_strategy, known_speakers=known_speakers, stream=True,
            extra_body=extra_body, extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return AsyncTranscriptionStream(self, call)

    async def translate(
        self,
        audio: AudioInput,
        *,
        model: str = DEFAULT_TRANSCRIBE_MODEL,
        prompt: str | None = None,
        response_format: str | None = None,
        temperature: float | None = None,
        filename: str | None = None,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ):
        """Translate speech into English text; as ``CometClient.translate``."""
        call = self._audio_call(
            "translate", audio, model=model, language=None, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=None, filename=filename, extra_body=extra_body,
            extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return self._transcript_result(call, await self._send(call))

    async def models(
        self,
        *,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> list:
        """Every record of the public model catalog; missing pages fetched concurrently."""
        return pages.catalog_records(
            await self.catalog_pages(extra_headers=extra_headers, extra_query=extra_query)
        )

    async def catalog_pages(
        self,
        *,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """The JSON envelope of every catalog page; as ``CometClient.catalog_pages``."""
        more_of = pages.with_extras(extra_headers, extra_query)
        first = pages.catalog_page(await self._send(more_of(pages.catalog_call(self.catalog_url))))
        room = asyncio.Semaphore(CATALOG_PAGE_CONCURRENCY)

        async def page(call: Call) -> dict[str, Any]:
            async with room:
                return pages.catalog_page(await self._send(call))

        rest = [more_of(call) for call in pages.missing_pages(first, self.catalog_url)]
        return pages.in_order(first, await asyncio.gather(*(page(c) for c in rest)))

    async def list_models(
        self,
        *,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """The models this key may use (``/v1/models``)."""
        call = extras.apply(
            Call("GET", "models"), extra_headers=extra_headers, extra_query=extra_query
        )
        return pages.model_list(await self._send(call))

    # -- conveniences: the jobs layer's work, reached from the client (declared upward) --
    async def transcribe_many(self, sources: Any, **options: Any):
        """Transcribe many inputs concurrently; as ``CometClient.transcribe_many``, awaited."""
        from ..jobs.batch import atranscribe_many

        return await atranscribe_many(sources, client=self, **options)

    async def transcribe_long(self, audio: AudioInput, **options: Any):
        """Transcribe audio of any length; as ``CometClient.transcribe_long``, awaited."""
        from ..jobs.long_audio import atranscribe_long

        return await atranscribe_long(audio, client=self, **options)

    async def speech_long(self, text: str, **options: Any):
        """Speak text of any length as one file; as ``CometClient.speech_long``, awaited."""
        from ..jobs.long_text import aspeech_long

        return await aspeech_long(text, client=self, **options)

    def stream_speech_long(self, text: str, **options: Any):
        """Text of any length, its audio handed out as it arrives; as
        ``CometClient.stream_speech_long``, with ``async with`` / ``async for``."""
        from ..jobs.stream_long_text import astream_speech_long

        return astream_speech_long(text, client=self, **options)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCometClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
