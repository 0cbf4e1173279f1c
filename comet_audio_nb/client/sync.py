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
from .speech_stream import SpeechStream
from .transcript_stream import TranscriptionStream


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
        """Send ``call``, retrying what the policy says: the one retry loop of this client.

        A streamed call is retried only up to its first chunk (nothing has reached the
        caller yet); its record is written when the stream ends.
        """
        attempt, started = 0, started_now()
        while True:
            try:
                reply = self._attempt(call)
            except CometError as error:
                self._sleep(self._retry_delay(call, error, attempt, started))
                attempt += 1
            else:
                if reply.streamed:
                    reply.on_end.append(
                        partial(self._record_stream, call, started, attempt + 1, reply)
                    )
                else:
                    self._record(call, started, attempt + 1, reply)
                return reply

    def _attempt(self, call: Call) -> Reply:
        started = time.perf_counter()
        with ExitStack() as stack:
            try:
                request = self._request(self._http, call, stack)
                if call.stream:
                    return self._open_stream(call, self._http.send(request, stream=True), started)
                response = self._http.send(request)
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None
        return self._reply(response, started, call)

    def _open_stream(self, call: Call, response: httpx.Response, started: float) -> Reply:
        """A streamed call's answer with its first chunk read; read whole when it is not
        a stream (an error, or a plain transcript where events were asked)."""
        try:
            if self._streams(call, response):
                rest = response.iter_bytes()
                return self._open_reply(response, next(rest, b""), rest, started)
            response.read()
        except BaseException:
            response.close()
            raise
        return self._reply(response, started, call)

    def speech(
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
        """Speak ``text`` (at most 4,096 characters) and return a ``Speech``.

        ``instructions`` (a voice style) works with gpt-4o-mini-tts. ``extra_body``,
        ``extra_headers``, ``extra_query``: parameters this package does not know yet,
        merged into the request as sent.

        >>> CometClient().speech("Hello", voice="nova", response_format="wav")  # doctest: +SKIP
        Speech(voice='nova', 0.9 s, 42 KB wav)
        """
        call = self._speech_call(
            text, model=model, voice=voice, response_format=response_format, speed=speed,
            instructions=instructions, extra_body=extra_body, extra_headers=extra_headers,
            extra_query=extra_query,
        )  # fmt: skip
        return self._speech_result(call, self._send(call))

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
    ) -> SpeechStream:
        """Speak ``text`` and hand out the audio as it arrives; the options of ``speech``.

        ``stream_format="sse"`` asks for Server-Sent Events (not with tts-1 / tts-1-hd);
        the audio in them is decoded for you, and a plain audio answer works too. Chunks
        are in ``response_format`` (``pcm``: whole 16-bit samples, 24 kHz mono).

        >>> client = CometClient()                              # doctest: +SKIP
        >>> with client.stream_speech("Hello", response_format="pcm") as stream:  # doctest: +SKIP
        ...     for chunk in stream:
        ...         print(len(chunk))
        >>> stream.speech                                       # doctest: +SKIP
        Speech(voice='alloy', 1.0 s, 47 KB pcm)
        """
        call = self._speech_call(
            text, model=model, voice=voice, response_format=response_format, speed=speed,
            instructions=instructions, stream_format=stream_format, extra_body=extra_body,
            extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return SpeechStream(self, call)

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
        include: Sequence[str] | None = None,
        chunking_strategy: str | dict[str, Any] | None = None,
        known_speakers: dict[str, Any] | None = None,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ):
        """Transcribe audio (a path, bytes, a binary file, ``(filename, bytes)`` or a Speech).

        ``timestamp_granularities=["segment", "word"]`` asks for timestamps (and implies
        ``response_format="verbose_json"``; whisper-1 only). ``include=["logprobs"]``
        (json, gpt-4o transcribe models) fills ``transcript.logprobs``.

        Speakers: ``model="gpt-4o-transcribe-diarize"`` answers ``diarized_json`` (the
        default for it), segments with a ``speaker`` and ``transcript.speakers``;
        ``chunking_strategy`` is sent as ``"auto"`` for it unless given (the service needs
        one over 30 s). ``known_speakers={"Ana": "ana.wav"}`` (at most 4 clips of 2-10 s)
        names them.

        >>> CometClient().transcribe("meeting.mp3", language="en").text  # doctest: +SKIP
        >>> diarize = "gpt-4o-transcribe-diarize"
        >>> CometClient().transcribe("panel.mp3", model=diarize).speakers  # doctest: +SKIP
        """
        call = self._audio_call(
            "transcribe", audio, model=model, language=language, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=timestamp_granularities, filename=filename,
            include=include, chunking_strategy=chunking_strategy, known_speakers=known_speakers,
            extra_body=extra_body, extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return self._transcript_result(call, self._send(call))

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
    ) -> TranscriptionStream:
        """Transcribe with ``stream=true``: the service's events as they arrive, typed
        (``.type``, ``.delta``, ``.text``, ...); the options of ``transcribe``.

        gpt-4o-mini-transcribe and gpt-4o-transcribe stream; whisper-1 ignores it, and its
        whole answer comes as a single ``transcript.text.done`` event.

        >>> client = CometClient()                              # doctest: +SKIP
        >>> model = "gpt-4o-mini-transcribe"
        >>> with client.stream_transcription("talk.mp3", model=model) as stream:  # doctest: +SKIP
        ...     for event in stream:
        ...         if event.type == "transcript.text.delta":
        ...             print(event.delta, end="")
        >>> stream.transcript.usage                             # doctest: +SKIP
        """
        call = self._audio_call(
            "transcribe", audio, model=model, language=language, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=None, filename=filename, include=include,
            chunking_strategy=chunking_strategy, known_speakers=known_speakers, stream=True,
            extra_body=extra_body, extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return TranscriptionStream(self, call)

    def translate(
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
        """Translate speech in any language into English text; returns a ``Transcript``."""
        call = self._audio_call(
            "translate", audio, model=model, language=None, prompt=prompt,
            response_format=response_format, temperature=temperature,
            timestamp_granularities=None, filename=filename, extra_body=extra_body,
            extra_headers=extra_headers, extra_query=extra_query,
        )  # fmt: skip
        return self._transcript_result(call, self._send(call))

    def models(
        self,
        *,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> list:
        """Every record of the public model catalog (``/api/models``; no key needed).

        Fetches the rest concurrently when the service answers in pages; ``extra_headers``
        and ``extra_query`` go with every page's request.
        """
        return pages.catalog_records(
            self.catalog_pages(extra_headers=extra_headers, extra_query=extra_query)
        )

    def catalog_pages(
        self,
        *,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """The public model catalog as the service sent it: the JSON envelope of every
        page (``{"success": true, "data": [...], ...}``), in order, fetched as ``models()``
        fetches them (later pages concurrently; empty ones left out). ``models()`` parses
        these; use this for the raw items or the envelope's other fields.
        """
        more_of = pages.with_extras(extra_headers, extra_query)
        first = pages.catalog_page(self._send(more_of(pages.catalog_call(self.catalog_url))))
        rest = [more_of(call) for call in pages.missing_pages(first, self.catalog_url)]
        with ThreadPoolExecutor(min(CATALOG_PAGE_CONCURRENCY, len(rest) or 1)) as pool:
            more = list(pool.map(lambda call: pages.catalog_page(self._send(call)), rest))
        return pages.in_order(first, more)

    def list_models(
        self,
        *,
        extra_headers: dict[str, str] | None = None,
        extra_query: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """The models this key may use (``/v1/models``, OpenAI-style records)."""
        call = extras.apply(
            Call("GET", "models"), extra_headers=extra_headers, extra_query=extra_query
        )
        return pages.model_list(self._send(call))

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

    def stream_speech_long(self, text: str, **options: Any):
        """Speak text of any length, handing out audio as it arrives: part 1 plays while
        the next parts are spoken; ``stream.speech`` is then the whole, joined and encoded
        once. Chunks are pcm (24 kHz, 16-bit mono) whatever ``response_format`` the final
        Speech is in.

        The options are those of ``comet_audio_nb.jobs.stream_long_text.stream_speech_long``.

        >>> with CometClient().stream_speech_long(article) as stream:  # doctest: +SKIP
        ...     for chunk in stream:
        ...         player.feed(chunk)
        >>> stream.speech.save("article")                       # doctest: +SKIP
        """
        from ..jobs.stream_long_text import stream_speech_long

        return stream_speech_long(text, client=self, **options)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CometClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
