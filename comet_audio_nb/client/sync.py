"""CometClient: the CometAPI audio API, blocking; one connection pool per client.

>>> from comet_audio_nb import CometClient
>>> with CometClient() as client:                          # doctest: +SKIP
...     speech = client.speech("Hello from the notebook", voice="nova")
...     transcript = client.transcribe(speech)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx

from ..audio import AudioInput
from ..constants import (
    CATALOG_PAGE_CONCURRENCY,
    DEFAULT_SPEECH_FORMAT,
    DEFAULT_SPEECH_MODEL,
    DEFAULT_TRANSCRIBE_MODEL,
    DEFAULT_VOICE,
)
from ..errors import CometError
from . import pages
from .base import BaseClient, started_now
from .calls import Call, Reply


class CometClient(BaseClient):
    """The CometAPI audio API, blocking. One connection pool per client.

    Key: ``api_key`` argument, else ``$COMETAPI_KEY`` (or ``$COMETAPI_API_KEY``).
    Base URL: ``base_url`` argument, else ``$COMETAPI_BASE_URL``, else CometAPI's.
    With neither key nor base URL, the built-in offline engine answers.

    >>> client = CometClient()                              # doctest: +SKIP
    >>> client.speech("Hello").save("hello.mp3")            # doctest: +SKIP
    """

    _sleep = staticmethod(time.sleep)  # tests replace it on an instance

    def __init__(self, api_key: str | None = None, base_url: str | None = None, **options: Any):
        super().__init__(api_key, base_url, **options)
        self._http = httpx.Client(timeout=self.timeout, follow_redirects=False)

    def _send(self, call: Call) -> Reply:
        """Send ``call``, retrying what the policy says: the one retry loop of this client."""
        attempt, started = 0, started_now()
        while True:
            try:
                reply = self._attempt(call)
            except CometError as error:
                self._sleep(self._retry_delay(call, error, attempt, started))
                attempt += 1
            else:
                self._record(call, started, attempt + 1, reply)
                return reply

    def _attempt(self, call: Call) -> Reply:
        started = time.perf_counter()
        with ExitStack() as stack:
            try:
                response = self._http.send(self._request(self._http, call, stack))
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None
        return self._reply(response, started)

    def speech(
        self,
        text: str,
        *,
        model: str = DEFAULT_SPEECH_MODEL,
        voice: str = DEFAULT_VOICE,
        response_format: str = DEFAULT_SPEECH_FORMAT,
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
        return pages.catalog_records(self.catalog_pages())

    def catalog_pages(self) -> list[dict[str, Any]]:
        """The public model catalog as the service sent it: the JSON envelope of every
        page (``{"success": true, "data": [...], ...}``), in order, fetched as ``models()``
        fetches them (later pages concurrently; empty ones left out). ``models()`` parses
        these; use this for the raw items or the envelope's other fields.
        """
        first = pages.catalog_page(self._send(pages.catalog_call(self.catalog_url)))
        rest = pages.missing_pages(first, self.catalog_url)
        with ThreadPoolExecutor(min(CATALOG_PAGE_CONCURRENCY, len(rest) or 1)) as pool:
            more = list(pool.map(lambda call: pages.catalog_page(self._send(call)), rest))
        return pages.in_order(first, more)

    def list_models(self) -> list[dict[str, Any]]:
        """The models this key may use (``/v1/models``, OpenAI-style records)."""
        return pages.model_list(self._send(Call("GET", "models")))

    # -- conveniences: the jobs layer's work, reached from the client (declared upward) --
    def transcribe_many(self, sources: Any, **options: Any):
        """Transcribe many inputs concurrently, with progress; one table row per input.

        The options are those of ``comet_audio_nb.jobs.batch.transcribe_many``.

        >>> CometClient().transcribe_many("recordings/*.mp3").df  # doctest: +SKIP
        """
        from ..jobs.batch import transcribe_many

        return transcribe_many(sources, client=self, **options)

    def transcribe_long(self, audio: AudioInput, **options: Any):
        """Transcribe audio of any length: split at silences, sent concurrently, joined.

        The options are those of ``comet_audio_nb.jobs.long_audio.transcribe_long``.

        >>> CometClient().transcribe_long("meeting-2h.mp3").to_srt()  # doctest: +SKIP
        """
        from ..jobs.long_audio import transcribe_long

        return transcribe_long(audio, client=self, **options)

    def speech_long(self, text: str, **options: Any):
        """Speak text of any length as one file: split at sentences, spoken concurrently.

        The options are those of ``comet_audio_nb.jobs.long_text.speech_long``.

        >>> CometClient().speech_long(open("article.txt").read()).save("article")  # doctest: +SKIP
        """
        from ..jobs.long_text import speech_long

        return speech_long(text, client=self, **options)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CometClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
