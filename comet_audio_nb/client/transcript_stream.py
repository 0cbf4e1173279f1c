"""Live transcripts: ``stream_transcription`` and its async twin.

The service answers ``stream=true`` with SSE events, handed out as typed objects that
keep the wire's names (``comet_audio_nb.results.stream_events``): ``.type ==
"transcript.text.delta"`` with ``.delta``; ``"transcript.text.segment"`` with ``.start``,
``.end``, ``.speaker``, ``.text``; ``"transcript.text.done"`` with ``.text``, ``.usage``
and ``.transcript``. whisper-1 ignores ``stream``: its plain answer comes as a single
done event. Afterwards ``stream.transcript`` is the final ``Transcript``.

A stream cut off mid-way raises ``APIConnectionError`` carrying the partial transcript
(``error.transcript``); nothing is retried once an event has been handed out.

>>> client, model = CometClient(), "gpt-4o-mini-transcribe"            # doctest: +SKIP
>>> with client.stream_transcription("talk.mp3", model=model) as s:    # doctest: +SKIP
...     for event in s:
...         if event.type == "transcript.text.delta":
...             print(event.delta, end="")
>>> s.transcript.usage                                                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from ..errors import STREAM_CUT_HINT, APIConnectionError, CometError, request_id_from
from ..results import Transcript
from ..results.stream_events import StreamEvent, TranscriptBuilder
from . import sse
from .calls import Call
from .streams import AsyncStream, Stream, SyncStream


class _TranscriptionStream(Stream):
    """What both transcript streams share: the builder of the transcript."""

    def __init__(self, client: Any, call: Call) -> None:
        meta = call.meta
        self._builder = TranscriptBuilder(
            response_format=meta.get("response_format", "json"), task=meta.get("task", "")
        )
        self._events = 0
        super().__init__(client, call)

    @property
    def text(self) -> str:
        """The text so far (the whole of it once the done event is in)."""
        return self._builder.text

    @property
    def streamed(self) -> bool:
        """Whether the service streamed (False: it answered whole, as whisper-1 does)."""
        return bool(self._reply is not None and self._reply.streamed)

    @property
    def complete(self) -> bool:
        return self._builder.done is not None and self.error is None

    def _event(self, data: dict) -> StreamEvent:
        self._events += 1
        try:
            return self._builder.feed(data)
        except ValueError as exc:
            name = data.get("type") or "message"
            raise sse.bad_event(f"event {self._events} ({name}): {exc}", self._reply) from None

    def _whole_item(self) -> StreamEvent | None:
        reply = self._reply
        assert reply is not None
        if reply.streamed:
            return None
        return self._builder.whole(self._client._transcript_result(self._call, reply))

    def _finish(self) -> None:
        if self._builder.done is None:
            raise APIConnectionError(
                f"the stream ended before transcript.text.done ({len(self.text):,} "
                "characters arrived)",
                hint=STREAM_CUT_HINT,
            )
        self._stamp(self._builder.done.transcript)

    def _snapshot(self) -> Transcript:
        transcript = self._builder.transcript()
        return self._stamp(transcript)

    def _stamp(self, transcript: Transcript | None) -> Transcript:
        """What the client sets on every transcript it returns."""
        assert transcript is not None
        if self._reply is not None and self._reply.streamed:
            meta = self._call.meta
            transcript.model = meta.get("model")
            transcript.request_id = request_id_from(self._reply.headers)
            transcript.elapsed = self._reply.elapsed
            transcript.source = meta.get("source")
            transcript.headers = dict(self._reply.headers)
            self._reply.usage = transcript.usage
        return transcript

    def _failed(self, exc: BaseException) -> BaseException:
        if isinstance(exc, httpx.HTTPError):
            exc = self._client._cut_off(exc, len(self.text), unit="characters")
        if isinstance(exc, CometError):
            exc.transcript = self._snapshot()  # type: ignore[attr-defined]
            if getattr(exc, "request_id", None) is None and self._reply is not None:
                exc.request_id = request_id_from(self._reply.headers)  # type: ignore[misc]
        return super()._failed(exc)

    def _progress(self) -> str:
        return f", {self._events} events"


class TranscriptionStream(_TranscriptionStream, SyncStream):
    """Transcript events as they arrive (``for event in stream``); then ``.transcript``.

    Made by ``CometClient.stream_transcription``; the request goes out on entering the
    ``with`` block, and leaving it closes the connection.
    """

    @property
    def transcript(self) -> Transcript:
        """The final Transcript (the rest read first if the stream is still open); after a
        cut or a close, the partial one."""
        self._read_rest()
        return self._snapshot()

    def _items(self) -> Iterator[StreamEvent]:
        assert self._reply is not None
        for data in sse.events(self._reply, self._client.settings.api_key):
            yield self._event(data)
        self._finish()


class AsyncTranscriptionStream(_TranscriptionStream, AsyncStream):
    """``TranscriptionStream`` for asyncio: ``async with`` and ``async for``."""

    async def read(self) -> Transcript:
        """The final Transcript, the rest read first (``.transcript``: what arrived)."""
        await self._read_rest()
        return self._snapshot()

    @property
    def transcript(self) -> Transcript:
        """What arrived: the final Transcript once the done event is in."""
        return self._snapshot()

    async def _aitems(self) -> AsyncIterator[StreamEvent]:
        assert self._reply is not None
        async for data in sse.aevents(self._reply, self._client.settings.api_key):
            yield self._event(data)
        self._finish()
