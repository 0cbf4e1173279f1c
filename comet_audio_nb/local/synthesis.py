"""The bound on speech synthesis: a few slots shared by every request to one engine.

Synthesis is CPU-bound and the voice's ONNX runtime keeps, for good, the working memory of
every run it has had at once: 32 concurrent requests took an engine from 0.4 GB to 3.9 GB
and were no faster than one after another. So at most `size` syntheses run at a time, each
on one of `size` long-lived threads (the same threads every time, so the allocator's
per-thread arenas stay few too). A waiting request holds no thread, only its place in line.

A slot covers one unit of work (today the synthesis and encoding of a whole request), never
the sending of its bytes: a slow reader of a response never keeps a slot.
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
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return f"<SynthesisSlots {self.busy}/{self.size} busy, peak {self.peak}>"

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:  # made on first use: most engines never speak
                self._executor = ThreadPoolExecutor(self.size, "comet-audio-synthesis")
            return self._executor

    async def run(self, job: Callable[..., T], *args: object) -> T:
        """`job(*args)` in a slot, waiting for one if all are busy."""
        context = contextvars.copy_context()  # the request id, for errors raised in the job
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), self._counted, context, job, args)

    def _counted(self, context: contextvars.Context, job: Callable[..., T], args: tuple) -> T:
        with self._lock:
            self.busy += 1
            self.peak = max(self.peak, self.busy)
        try:
            return context.run(job, *args)
        finally:
            with self._lock:
                self.busy -= 1

    def status(self) -> dict[str, int]:
        with self._lock:
            return {"slots": self.size, "busy": self.busy, "peak": self.peak}
