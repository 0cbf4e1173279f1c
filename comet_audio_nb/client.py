"""CometClient and AsyncCometClient: speech, transcription, translation and the model catalog.

Both clients build requests and read answers with the same code (``_wire._Calls``); only
the sending loop differs, one blocking and one ``async``. With no key and no base URL
set, they talk to the built-in offline engine, which speaks the same wire format.

>>> from comet_audio_nb import CometClient
>>> with CometClient() as client:                          # doctest: +SKIP
...     speech = client.speech("Hello from the notebook", voice="nova")
...     transcript = client.transcribe(speech)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx

from ._wire import (
    CATALOG_PAGE_CONCURRENCY,
    DEFAULT_SPEECH_MODEL,
    DEFAULT_TRANSCRIBE_MODEL,
    DEFAULT_VOICE,
    GRANULARITIES,
    SPEECH_FORMATS,
    TRANSCRIPT_FORMATS,
    _Call,
    _Calls,
    _catalog_pages,
    _Reply,
    _started,
    _transport_error,
)
from .audio import AudioInput
from .errors import CometError
from .retry import RetryPolicy

__all__ = [
    "CometClient",
    "AsyncCometClient",
    "SPEECH_FORMATS",
    "TRANSCRIPT_FORMATS",
    "GRANULARITIES",
]


class CometClient(_Calls):
    """The CometAPI audio API, blocking. One connection pool per client.

    Key: ``api_key`` argument, else ``$COMETAPI_KEY`` (or ``$COMETAPI_API_KEY``).
    Base URL: ``base_url`` argument, else ``$COMETAPI_BASE_URL``, else CometAPI's.
    With neither key nor base URL, the built-in offline engine answers.

    >>> client = CometClient()                              # doctest: +SKIP
    >>> client.speech("Hello").save("hello.mp3")            # doctest: +SKIP
    """

    def __init__(self, api_key: str | None = None, base_url: str | None = None, **options: Any):
        super().__init__(api_key, base_url, **options)
        self._http = httpx.Client(timeout=self.timeout, follow_redirects=False)

    def _send(self, call: _Call) -> _Reply:
        attempt, started = 0, _started()
        while True:
            try:
                reply = self._attempt(call)
            except CometError as error:
                if attempt >= self.retry.max_retries or not self.retry.should_retry(error):
                    error.attempts = attempt + 1
                    self._record(call, started, attempt + 1, error)
                    raise
                time.sleep(self.retry.delay(attempt, getattr(error, "headers", None)))
                attempt += 1
            else:
                self._record(call, started, attempt + 1, reply)
                return reply

    def _attempt(self, call: _Call) -> _Reply:
        started = time.perf_counter()
        with ExitStack() as stack:
            try:
                response = self._http.send(self._request(self._http, call, stack))
            except httpx.HTTPError as exc:
                raise _transport_error(exc, self.settings.api_key) from None
        reply = _Reply(response.status_code, response.headers, response.content,
                       time.perf_counter() - started)  # fmt: skip
        self._raise_for(reply)
        return reply

    def speech(
        self,
        text: str,
        *,
        model: str = DEFAULT_SPEECH_MODEL,
        voice: str = DEFAULT_VOICE,
        response_format: str = "mp3",
        speed: float | None = None,
        instructions: str | None = None,
    ):
        """Speak ``text`` (at most 4,096 characters) and return a ``Speech``.

        >>> CometClient().speech("Hello", voice="nova", response_format="wav")  # doctest: +SKIP
        Speech(voice='nova', 0.9 s, 42 KB wav)
        """
        call = self._speech_call(
            text, model=model, voice=voice, response_format=response_format,
            speed=speed, instructions=instructions,
        )  # fmt: skip
        return self._speech_result(call, self._send(call))

    def transcribe(
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
    ):
        """Transcribe audio (a path, bytes, a binary file, ``(filename, bytes)`` or a Speech).

        ``timestamp_granularities=["segment", "word"]`` asks for timestamps (and implies
        ``response_format="verbose_json"``).

        >>> CometClient().transcribe("meeting.mp3", language="en").text  # doctest: +SKIP
        """
        call = self._audio_call(
            "transcribe", audio, model=model, language=language, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=timestamp_granularities, filename=filename,
        )  # fmt: skip
        return self._transcript_result(call, self._send(call))

    def translate(
        self,
        audio: AudioInput,
        *,
        model: str = DEFAULT_TRANSCRIBE_MODEL,
        prompt: str | None = None,
        response_format: str | None = None,
        temperature: float | None = None,
        filename: str | None = None,
    ):
        """Translate speech in any language into English text; returns a ``Transcript``."""
        call = self._audio_call(
            "translate", audio, model=model, language=None, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=None, filename=filename,
        )  # fmt: skip
        return self._transcript_result(call, self._send(call))

    def models(self) -> list:
        """Every record of the public model catalog (``/api/models``; no key needed).

        Fetches the rest concurrently when the service answers in pages.
        """
        return self._catalog_records(self.catalog_pages())

    def catalog_pages(self) -> list[dict[str, Any]]:
        """The public model catalog as the service sent it: the JSON envelope of every
        page (``{"success": true, "data": [...], ...}``), in order, fetched as ``models()``
        fetches them (later pages concurrently; empty ones left out). ``models()`` parses
        these; use this for the raw items or the envelope's other fields.
        """
        first = self._catalog_page(self._send(self._catalog_call()))
        rest = self._catalog_rest(first)
        with ThreadPoolExecutor(min(CATALOG_PAGE_CONCURRENCY, len(rest) or 1)) as pool:
            pages = list(pool.map(lambda call: self._catalog_page(self._send(call)), rest))
        return _catalog_pages(first, pages)

    def list_models(self) -> list[dict[str, Any]]:
        """The models this key may use (``/v1/models``, OpenAI-style records)."""
        return self._model_list(self._send(_Call("GET", "models")))

    def transcribe_many(self, sources: Any, **options: Any):
        """Transcribe many inputs concurrently, with progress; one table row per input.

        The options are those of ``comet_audio_nb.batch.transcribe_many``.

        >>> CometClient().transcribe_many("recordings/*.mp3").df  # doctest: +SKIP
        """
        from .batch import transcribe_many

        return transcribe_many(sources, client=self, **options)

    def transcribe_long(self, audio: AudioInput, **options: Any):
        """Transcribe audio of any length: split at silences, sent concurrently, joined.

        The options are those of ``comet_audio_nb.longmedia.transcribe_long``.

        >>> CometClient().transcribe_long("meeting-2h.mp3").to_srt()  # doctest: +SKIP
        """
        from .longmedia import transcribe_long

        return transcribe_long(audio, client=self, **options)

    def speech_long(self, text: str, **options: Any):
        """Speak text of any length as one file: split at sentences, spoken concurrently.

        The options are those of ``comet_audio_nb.longmedia.speech_long``.

        >>> CometClient().speech_long(open("article.txt").read()).save("article")  # doctest: +SKIP
        """
        from .longmedia import speech_long

        return speech_long(text, client=self, **options)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CometClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncCometClient(_Calls):
    """The CometAPI audio API for ``asyncio``; the same methods as ``CometClient``, awaited.

    >>> async with AsyncCometClient() as client:            # doctest: +SKIP
    ...     speeches = await asyncio.gather(*(client.speech(t) for t in texts))
    """

    def __init__(self, api_key: str | None = None, base_url: str | None = None, **options: Any):
        super().__init__(api_key, base_url, **options)
        self._http = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)

    async def _send(self, call: _Call) -> _Reply:
        attempt, started = 0, _started()
        while True:
            try:
                reply = await self._attempt(call)
            except CometError as error:
                if attempt >= self.retry.max_retries or not self.retry.should_retry(error):
                    error.attempts = attempt + 1
                    self._record(call, started, attempt + 1, error)
                    raise
                await asyncio.sleep(self.retry.delay(attempt, getattr(error, "headers", None)))
                attempt += 1
            else:
                self._record(call, started, attempt + 1, reply)
                return reply

    async def _attempt(self, call: _Call) -> _Reply:
        started = time.perf_counter()
        with ExitStack() as stack:
            try:
                response = await self._http.send(self._request(self._http, call, stack))
            except httpx.HTTPError as exc:
                raise _transport_error(exc, self.settings.api_key) from None
        reply = _Reply(response.status_code, response.headers, response.content,
                       time.perf_counter() - started)  # fmt: skip
        self._raise_for(reply)
        return reply

    async def speech(
        self,
        text: str,
        *,
        model: str = DEFAULT_SPEECH_MODEL,
        voice: str = DEFAULT_VOICE,
        response_format: str = "mp3",
        speed: float | None = None,
        instructions: str | None = None,
    ):
        """Speak ``text``; the options and result are those of ``CometClient.speech``."""
        call = self._speech_call(
            text, model=model, voice=voice, response_format=response_format,
            speed=speed, instructions=instructions,
        )  # fmt: skip
        return self._speech_result(call, await self._send(call))

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
    ):
        """Transcribe audio; the options and result are those of ``CometClient.transcribe``."""
        call = self._audio_call(
            "transcribe", audio, model=model, language=language, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=timestamp_granularities, filename=filename,
        )  # fmt: skip
        return self._transcript_result(call, await self._send(call))

    async def translate(
        self,
        audio: AudioInput,
        *,
        model: str = DEFAULT_TRANSCRIBE_MODEL,
        prompt: str | None = None,
        response_format: str | None = None,
        temperature: float | None = None,
        filename: str | None = None,
    ):
        """Translate speech into English text; as ``CometClient.translate``."""
        call = self._audio_call(
            "translate", audio, model=model, language=None, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=None, filename=filename,
        )  # fmt: skip
        return self._transcript_result(call, await self._send(call))

    async def models(self) -> list:
        """Every record of the public model catalog; missing pages fetched concurrently."""
        return self._catalog_records(await self.catalog_pages())

    async def catalog_pages(self) -> list[dict[str, Any]]:
        """The JSON envelope of every catalog page; as ``CometClient.catalog_pages``."""
        first = self._catalog_page(await self._send(self._catalog_call()))
        gate = asyncio.Semaphore(CATALOG_PAGE_CONCURRENCY)

        async def page(call: _Call) -> dict[str, Any]:
            async with gate:
                return self._catalog_page(await self._send(call))

        pages = await asyncio.gather(*(page(c) for c in self._catalog_rest(first)))
        return _catalog_pages(first, pages)

    async def list_models(self) -> list[dict[str, Any]]:
        """The models this key may use (``/v1/models``)."""
        return self._model_list(await self._send(_Call("GET", "models")))

    async def transcribe_many(self, sources: Any, **options: Any):
        """Transcribe many inputs concurrently; as ``CometClient.transcribe_many``, awaited."""
        from .batch import atranscribe_many

        return await atranscribe_many(sources, client=self, **options)

    async def transcribe_long(self, audio: AudioInput, **options: Any):
        """Transcribe audio of any length; as ``CometClient.transcribe_long``, awaited."""
        from .longmedia import atranscribe_long

        return await atranscribe_long(audio, client=self, **options)

    async def speech_long(self, text: str, **options: Any):
        """Speak text of any length as one file; as ``CometClient.speech_long``, awaited."""
        from .longmedia import aspeech_long

        return await aspeech_long(text, client=self, **options)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCometClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def async_twin(
    client: CometClient | AsyncCometClient | None, *, retry: RetryPolicy, share_pool: bool
) -> tuple[AsyncCometClient, bool]:
    """An AsyncCometClient with ``client``'s settings, headers and call hooks, but ``retry``.

    For running many requests from either client on an event loop. With ``share_pool``
    an AsyncCometClient's connections are reused (only on the loop that owns them).
    Returns the twin and whether it has its own connection pool to close.
    """
    if client is None:
        return AsyncCometClient(retry=retry), True
    twin = AsyncCometClient.__new__(AsyncCometClient)
    twin.__dict__.update(client.__dict__)
    twin.retry = retry
    if share_pool and isinstance(client, AsyncCometClient):
        return twin, False
    twin._http = httpx.AsyncClient(timeout=twin.timeout, follow_redirects=False)
    return twin, True
