"""Streamed transcripts (``stream=true``, gpt-4o transcribe models): a segment at a time.

The recogniser runs on a worker thread and hands each segment over as faster-whisper
makes it; the response sends it at once as a ``transcript.text.delta`` event
(``delta``, ``segment_id``, and ``logprobs`` when asked for), then one
``transcript.text.done`` (``text``, ``logprobs``, ``usage``), each JSON object on one
``data:`` line. The queue between them is unbounded on purpose: a transcript is a few
KB of text, and the recogniser (one at a time, for every request) must never wait for a
slow reader. A reader that goes away stops the recognition at its next segment.

Nothing is sent before the first segment (or the end) is known, so a file that cannot be
decoded is still a 400; a failure after that ends the stream with an error event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable

from starlette.responses import Response

from .streaming import SSE_HEADERS, SSE_MEDIA_TYPE, StreamedResponse, sse_error, sse_event
from .stt import Recognition
from .transcripts import duration_usage

_log = logging.getLogger(__name__)
# A recognition run with a callback for each segment: what the route hands over.
Recognise = Callable[[Callable[[Recognition, dict, list[dict]], None]], Recognition]


class _ReaderGone(Exception):
    """Raised in the recogniser's thread to stop a recognition nobody reads any more."""


def done_event(rec: Recognition, *, logprobs: bool) -> dict:
    event: dict = {"type": "transcript.text.done", "text": rec.text}
    if logprobs:
        event["logprobs"] = rec.logprobs
    event["usage"] = duration_usage(rec)  # as in the engine's json answers
    return event


async def respond(recognise: Recognise, *, logprobs: bool, recogniser_header: str) -> Response:
    """Run `recognise` on a thread and answer with its segments as SSE events."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple] = asyncio.Queue()
    gone = threading.Event()

    def hand_over(item: tuple) -> None:
        with contextlib.suppress(RuntimeError):  # the engine stopped: nobody to hand it to
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def on_segment(rec: Recognition, segment: dict, seg_logprobs: list[dict]) -> None:
        if gone.is_set():
            raise _ReaderGone
        hand_over(("segment", rec.recogniser, segment, seg_logprobs))

    def work() -> None:
        try:
            rec = recognise(on_segment)
        except _ReaderGone:
            return
        except Exception as exc:
            hand_over(("error", exc))
        else:
            hand_over(("done", rec.recogniser, rec))

    loop.run_in_executor(None, work)
    first = await queue.get()
    if first[0] == "error":
        raise first[1]

    async def close() -> None:
        gone.set()

    return StreamedResponse(
        _events(first, queue, logprobs=logprobs),
        on_close=close,
        media_type=SSE_MEDIA_TYPE,
        headers={**SSE_HEADERS, recogniser_header: first[1]},
    )


async def _events(first: tuple, queue: asyncio.Queue, *, logprobs: bool) -> AsyncIterator[bytes]:
    item, started = first, False
    while True:
        kind = item[0]
        if kind == "error":
            _log.warning("transcript stream failed after it started", exc_info=item[1])
            yield sse_error(item[1])
            return
        if kind == "done":
            yield sse_event(done_event(item[2], logprobs=logprobs))
            return
        _, _, segment, seg_logprobs = item
        text = segment["text"] if started else segment["text"].lstrip()
        if text:
            started = True
            event = {"type": "transcript.text.delta", "delta": text}
            if logprobs:
                event["logprobs"] = seg_logprobs
            event["segment_id"] = f"seg_{segment['id']}"
            yield sse_event(event)
        item = await queue.get()
