"""Long text as speech that plays while it is made: part 1 plays while part 2 is spoken.

The text is cut at sentence ends (as ``speech_long`` cuts it) and every part is streamed
through the job's bounded, 429-aware client (``concurrency`` at a time, in order); the
caller gets part 1's audio as it arrives, then part 2's (by then mostly in), and so on.
Parts travel as pcm (24 kHz, 16-bit mono: lossless, and playable as it comes), so the
chunks are pcm whatever ``response_format`` is asked; ``stream.speech`` is the whole,
joined and encoded once in that format, as ``speech_long`` does.

>>> with stream_speech_long(open("article.txt").read(), voice="nova") as stream:  # doctest: +SKIP
...     for chunk in stream:
...         player.feed(chunk)
>>> stream.speech.save("article")                                        # doctest: +SKIP
PosixPath('article.mp3')
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from ..audio.codecs import encode_pcm
from ..client.building import speech_call
from ..constants import (
    DEFAULT_SPEECH_MODEL,
    DEFAULT_VOICE,
    MAX_SPEECH_CHARS,
    SPEECH_CONTENT_TYPES,
    SPEECH_FORMATS,
)
from ..errors import ValidationError
from ..results import Speech
from ..results.usage import sum_usage
from .dispatch import dispatcher_for
from .split_text import split_text

__all__ = ["AsyncLongSpeechStream", "LongSpeechStream", "astream_speech_long", "stream_speech_long"]

_END = object()
# What stream_speech sends when not told (the options' own defaults).
_SPEECH_DEFAULTS = {
    "model": DEFAULT_SPEECH_MODEL, "voice": DEFAULT_VOICE, "speed": None, "instructions": None,
}  # fmt: skip
_POLL = 0.1  # seconds between checks for an interrupt while waiting for a chunk


def stream_speech_long(
    text: str,
    *,
    client: Any = None,
    concurrency: int | None = None,
    max_chars: int = MAX_SPEECH_CHARS,
    **options: Any,
) -> LongSpeechStream:
    """Speak text of any length, its pcm audio handed out as it arrives (see module docs).

    ``options`` are those of ``CometClient.stream_speech`` (model, voice,
    response_format: the final Speech's format, speed, instructions, stream_format,
    extra_body, ...).
    """
    return LongSpeechStream(AsyncLongSpeechStream(text, client, concurrency, max_chars, options))


def astream_speech_long(
    text: str,
    *,
    client: Any = None,
    concurrency: int | None = None,
    max_chars: int = MAX_SPEECH_CHARS,
    **options: Any,
) -> AsyncLongSpeechStream:
    """``stream_speech_long`` for asyncio code: ``async with`` / ``async for``."""
    return AsyncLongSpeechStream(text, client, concurrency, max_chars, options, share_pool=True)


class AsyncLongSpeechStream:
    """The parts of a long text, streamed concurrently and handed out in order."""

    def __init__(
        self,
        text: str,
        client: Any,
        concurrency: int | None,
        max_chars: int,
        options: dict[str, Any],
        *,
        share_pool: bool = False,
    ) -> None:
        options = dict(options)
        self.response_format = str(options.pop("response_format", "mp3")).lower()
        if self.response_format not in SPEECH_FORMATS:
            raise ValidationError(
                f"unknown response_format {self.response_format!r}: use one of "
                f"{', '.join(SPEECH_FORMATS)}"
            )
        if not isinstance(text, str) or not text.strip():
            raise ValidationError("there is no text to speak", hint="pass a non-empty string")
        self.text, self.parts = text, split_text(text, max_chars)
        # Every part's request is built alike: a wrong option fails here, before any is sent.
        speech_call(self.parts[0], **{**_SPEECH_DEFAULTS, **options, "response_format": "pcm"})
        self._client, self._concurrency, self._share = client, concurrency, share_pool
        self._options = options
        self._speeches: list[Speech | None] = [None] * len(self.parts)
        self._queues: list[asyncio.Queue] = []
        self._tasks: list[asyncio.Task] = []
        self._dispatching: Any = None
        self._started = 0.0
        self._chunks = self._generate()
        self._speech: Speech | None = None

    @property
    def speech(self) -> Speech:
        """The whole Speech, joined and encoded once (after the last chunk)."""
        if self._speech is None:
            raise RuntimeError("the stream has not finished: read it to the end (await read())")
        return self._speech

    async def read(self) -> Speech:
        async for _ in self._chunks:
            pass
        return self.speech

    async def __aenter__(self) -> AsyncLongSpeechStream:
        await self._start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks

    async def aclose(self) -> None:
        await self._chunks.aclose()
        await self._stop()

    async def _start(self) -> None:
        if self._dispatching is not None:
            return
        self._started = time.perf_counter()
        self._dispatching = dispatcher_for(
            self._client, concurrency=self._concurrency, share_pool=self._share
        )
        dispatch = await self._dispatching.__aenter__()
        self._queues = [asyncio.Queue() for _ in self.parts]
        # Created in order: the limit admits them first come, first served.
        self._tasks = [
            asyncio.create_task(self._fetch(dispatch.client, i)) for i in range(len(self.parts))
        ]

    async def _fetch(self, client: Any, index: int) -> None:
        chunks = self._queues[index]
        try:
            stream = client.stream_speech(self.parts[index], response_format="pcm", **self._options)
            async with stream:
                async for chunk in stream:
                    chunks.put_nowait(chunk)
            self._speeches[index] = stream.speech
            chunks.put_nowait(_END)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # handed to the reader, in its turn
            chunks.put_nowait(exc)

    async def _generate(self) -> AsyncIterator[bytes]:
        await self._start()
        try:
            for chunks in self._queues:
                while (item := await chunks.get()) is not _END:
                    if isinstance(item, BaseException):
                        raise item
                    yield item
            self._speech = await self._join()
        finally:
            await self._stop()

    async def _join(self) -> Speech:
        pcm = [s.data for s in self._speeches if s is not None]
        data = await asyncio.to_thread(encode_pcm, pcm, self.response_format)
        first = self._speeches[0]
        assert first is not None
        return Speech(
            data,
            format=self.response_format,
            content_type=SPEECH_CONTENT_TYPES[self.response_format],
            model=first.model,
            voice=first.voice,
            text=self.text,
            speed=first.speed,
            instructions=first.instructions,
            request_id=first.request_id,
            elapsed=time.perf_counter() - self._started,
            usage=sum_usage(s.usage for s in self._speeches if s is not None),
        )

    async def _stop(self) -> None:
        """Cancel the parts still being spoken and close the job's client (idempotent)."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        dispatching, self._dispatching = self._dispatching, False
        if dispatching:
            await dispatching.__aexit__(None, None, None)


class LongSpeechStream:
    """``AsyncLongSpeechStream`` for blocking code: its loop runs on a worker thread (a
    notebook cell's own loop is never re-entered); ``for chunk in stream``, then
    ``stream.speech``. Leaving the ``with`` block, or an interrupt, stops every part."""

    def __init__(self, inner: AsyncLongSpeechStream) -> None:
        self._inner = inner
        self._items: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ready, self._done = threading.Event(), threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._finished = False
        self._chunks = self._generate()

    @property
    def parts(self) -> list[str]:
        return self._inner.parts

    @property
    def speech(self) -> Speech:
        """The whole Speech, joined and encoded once (the rest is read first if need be)."""
        if not self._finished and self._thread is not None:
            for _ in self._chunks:
                pass
        return self._inner.speech

    def __enter__(self) -> LongSpeechStream:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def close(self) -> None:
        """Stop every part still being spoken and wait until the worker has wound down."""
        self._chunks.close()
        self._stop()

    def _start(self) -> None:
        if self._thread is not None:
            return

        def work() -> None:
            try:
                asyncio.run(self._pump())
            finally:
                self._ready.set()
                self._done.set()

        self._thread = threading.Thread(target=work, name="comet-audio-stream", daemon=True)
        self._thread.start()

    def _stop(self) -> None:
        if self._thread is None or self._done.is_set():
            return
        self._ready.wait()
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(task.cancel)
        # An Event, not Thread.join: an interrupted join can leave a thread looking done.
        while not self._done.wait(_POLL):
            pass

    async def _pump(self) -> None:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        self._ready.set()
        try:
            async with self._inner:
                async for chunk in self._inner:
                    self._items.put(chunk)
            self._items.put(_END)
        except BaseException as exc:  # handed to the reading thread
            self._items.put(exc)

    def _generate(self) -> Iterator[bytes]:
        self._start()
        try:
            while True:
                try:
                    item = self._items.get(timeout=_POLL)
                except queue.Empty:
                    continue
                if item is _END:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:  # done, failed, closed or interrupted: the worker winds down
            self._finished = True
            self._stop()
