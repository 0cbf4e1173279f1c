"""AsyncCometClient: the CometAPI audio API for ``asyncio``; the same methods, awaited.

>>> async with AsyncCometClient() as client:            # doctest: +SKIP
...     speeches = await asyncio.gather(*(client.speech(t) for t in texts))
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
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
from .gate import AttemptGate


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
        outside it, so a request backing off holds no slot.
        """
        attempt, started = 0, started_now()
        while True:
            try:
                reply = await self._gated_attempt(call)
            except CometError as error:
                await self._sleep(self._retry_delay(call, error, attempt, started))
                attempt += 1
            else:
                self._record(call, started, attempt + 1, reply)
                return reply

    async def _gated_attempt(self, call: Call) -> Reply:
        if self.gate is None:
            return await self._attempt(call)
        token = await self.gate.enter()
        try:
            reply = await self._attempt(call)
        except BaseException as exc:
            self.gate.leave(token, exc)
            raise
        self.gate.leave(token, reply)
        return reply

    async def _attempt(self, call: Call) -> Reply:
        started = time.perf_counter()
        with ExitStack() as stack:
            try:
                response = await self._http.send(self._request(self._http, call, stack))
            except httpx.HTTPError as exc:
                raise self._transport_error(exc) from None
        return self._reply(response, started)

    async def speech(
        self,
        text: str,
        *,
        model: str = DEFAULT_SPEECH_MODEL,
        voice: str = DEFAULT_VOICE,
        response_format: str = DEFAULT_SPEECH_FORMAT,
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
        return pages.catalog_records(await self.catalog_pages())

    async def catalog_pages(self) -> list[dict[str, Any]]:
        """The JSON envelope of every catalog page; as ``CometClient.catalog_pages``."""
        first = pages.catalog_page(await self._send(pages.catalog_call(self.catalog_url)))
        room = asyncio.Semaphore(CATALOG_PAGE_CONCURRENCY)

        async def page(call: Call) -> dict[str, Any]:
            async with room:
                return pages.catalog_page(await self._send(call))

        rest = pages.missing_pages(first, self.catalog_url)
        return pages.in_order(first, await asyncio.gather(*(page(c) for c in rest)))

    async def list_models(self) -> list[dict[str, Any]]:
        """The models this key may use (``/v1/models``)."""
        return pages.model_list(await self._send(Call("GET", "models")))

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

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCometClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
