"""The bound on speech synthesis: a few slots shared by every request to one engine.

Synthesis is CPU-bound and the voice's ONNX runtime keeps, for good, the working memory of
every run it has had at once: 32 concurrent requests took an engine from 0.4 GB to 3.9 GB
and were no faster than one after another. So at most `size` syntheses run at a time, each
on one of `size` long-lived threads (the same threads every time, so the allocator's
per-thread arenas stay few too). A waiting request holds no thread, only its place in line.

A slot covers one unit of work, never the sending of its bytes: a whole file (flac, aac),
or one sentence of a streamed answer, synthesised and encoded. A stream's bytes then wait
in a small queue of its own for the reader (``speech_stream.py``), so a slow reader, or
one that stops reading, holds up only its own stream, never a slot.

The line is kept in order of arrival (``ticket``): a stream's next sentence goes before
the first sentence of a request that came after it. Requests are then finished in the
order they came, as when each was synthesised whole, and only a couple of streams are
part-made at any moment (each holds an encoder and a resampler), instead of every stream
of a burst, as a plain first-in-first-out line of sentences would have it. A stream that
waits for its reader asks for nothing, so the requests behind it go ahead meanwhile.

The counts of streams open and stalled on their reader are kept here beside the slots'
(``status``), and ``wait_for`` lets a test wait for a state without polling.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")

# One synthesis already keeps the cores busy (onnxruntime runs its own intra-op threads), so
# a second slot buys little speed, and it cost 3x the memory: a burst of 32 grew a
# stand-alone engine by 96 MB with one slot, 308 MB with two (benchmarks/engine_memory.py).
DEFAULT_SLOTS = 1


class SynthesisSlots:
    """Run blocking synthesis work, at most `size` jobs at a time, earliest ticket first."""

    def __init__(self, size: int = DEFAULT_SLOTS) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError("synthesis_slots must be an integer >= 1")
        self.size = size
        self.busy = 0  # jobs running now
        self.peak = 0  # the most that ever ran at once
        self.streams = 0  # streamed answers being made or sent
        self.stalled = 0  # of those, waiting for their reader, holding no slot
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._tickets = itertools.count()
        self._order = itertools.count()  # first come, first served within one ticket
        self._line: list[tuple[int, int, Future, contextvars.Context, Callable, tuple]] = []
        self._threads: list[threading.Thread] = []
        self._generation = 0  # shutdown() moves it on: the threads of older ones end

    def __repr__(self) -> str:
        return (
            f"<SynthesisSlots {self.busy}/{self.size} busy, peak {self.peak}, "
            f"{self.streams} streams ({self.stalled} stalled)>"
        )

    def ticket(self) -> int:
        """A place in line for a request whose work comes in several jobs."""
        return next(self._tickets)

    async def run(self, job: Callable[..., T], *args: object, ticket: int | None = None) -> T:
        """`job(*args)` in a slot, waiting for one if all are busy (cancelled while it
        waits, it never runs). Jobs of the earliest `ticket` go first (default: a new one)."""
        future: Future[T] = Future()
        context = contextvars.copy_context()  # the request id, for errors raised in the job
        with self._changed:
            if not self._threads:  # made on first use: most engines never speak
                self._start_threads()
            place = next(self._tickets) if ticket is None else ticket
            heapq.heappush(self._line, (place, next(self._order), future, context, job, args))
            self._changed.notify_all()
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        """Let the slots' threads end once the line is empty (a later job starts new ones)."""
        with self._changed:
            self._generation += 1
            self._threads = []
            self._changed.notify_all()

    def _start_threads(self) -> None:
        for number in range(self.size):
            thread = threading.Thread(
                target=self._serve,
                args=(self._generation,),
                name=f"comet-audio-synthesis_{number}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def _serve(self, generation: int) -> None:
        while True:
            with self._changed:
                while not self._line:
                    if generation != self._generation:
                        return
                    self._changed.wait()
                _, _, future, context, job, args = heapq.heappop(self._line)
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                self.busy += 1
                self.peak = max(self.peak, self.busy)
                self._changed.notify_all()
            result: object = None
            error: BaseException | None = None
            try:
                result = context.run(job, *args)
            except BaseException as exc:  # handed to the request that asked
                error = exc
            with self._changed:  # the slot is free before anyone hears the result
                self.busy -= 1
                self._changed.notify_all()
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)
            del result, error  # the thread waits next for a long time: keep nothing alive

    def count_stream(self, *, streams: int = 0, stalled: int = 0) -> None:
        """Note a stream opening (+1) or closing (-1), stalling or going on."""
        with self._changed:
            self.streams += streams
            self.stalled += stalled
            self._changed.notify_all()

    def status(self) -> dict[str, int]:
        with self._lock:
            return self._status()

    def _status(self) -> dict[str, int]:
        return {
            "slots": self.size,
            "busy": self.busy,
            "peak": self.peak,
            "streams": self.streams,
            "stalled": self.stalled,
        }

    def wait_for(self, predicate: Callable[[dict[str, int]], bool], timeout: float) -> bool:
        """Block until ``predicate(status)`` holds (True) or `timeout` seconds pass (False).

        >>> SynthesisSlots().wait_for(lambda status: status["busy"] == 0, timeout=1)
        True
        """
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self._status()), timeout)
