"""The bound on speech synthesis: a few slots shared by every request to one engine.

Synthesis is CPU-bound and the voice's ONNX runtime keeps, for good, the working memory of
every run it has had at once: 32 concurrent requests took an engine from 0.4 GB to 3.9 GB
and were no faster than one after another. So at most `size` syntheses run at a time, each
on one of `size` long-lived threads (the same threads every time, so the allocator's
per-thread arenas stay few too). A waiting request holds no thread, only its place in line.

A slot covers one unit of work, never the sending of its bytes: a whole file (flac, aac),
or one sentence of a streamed answer, synthesised and encoded. A stream's bytes then wait
in a small queue of its own for the reader (``speech_stream.py``), so a slow reader, or
one that stops reading, holds up only its own stream, never a slot. The counts of streams
open and stalled on their reader are kept here beside the slots' (``status``), and
``wait_for`` lets a test wait for a state without polling.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# One synthesis already keeps the cores busy (onnxruntime runs its own intra-op threads), so
# a second slot buys little speed, and it cost 3x the memory: a burst of 32 grew a
# stand-alone engine by 96 MB with one slot, 308 MB with two (benchmarks/engine_memory.py).
DEFAULT_SLOTS = 1


class SynthesisSlots:
    """Run blocking synthesis work, at most `size` jobs at a time."""

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
        self._executor: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return (
            f"<SynthesisSlots {self.busy}/{self.size} busy, peak {self.peak}, "
            f"{self.streams} streams ({self.stalled} stalled)>"
        )

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:  # made on first use: most engines never speak
                self._executor = ThreadPoolExecutor(self.size, "comet-audio-synthesis")
            return self._executor

    async def run(self, job: Callable[..., T], *args: object) -> T:
        """`job(*args)` in a slot, waiting for one if all are busy (cancelled while it
        waits, it never runs)."""
        context = contextvars.copy_context()  # the request id, for errors raised in the job
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), self._counted, context, job, args)

    def _counted(self, context: contextvars.Context, job: Callable[..., T], args: tuple) -> T:
        with self._changed:
            self.busy += 1
            self.peak = max(self.peak, self.busy)
            self._changed.notify_all()
        try:
            return context.run(job, *args)
        finally:
            with self._changed:
                self.busy -= 1
                self._changed.notify_all()

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
