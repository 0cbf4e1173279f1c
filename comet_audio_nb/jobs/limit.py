"""A self-adjusting concurrency limit: at most N at once, halved on 429s, grown back slowly."""

from __future__ import annotations

import asyncio
from collections import deque

GROW_AFTER = 8  # successes in a row before a lowered limit grows back by one


class AdaptiveLimit:
    """At most ``limit`` holders at once; AIMD on the service's 429 answers.

    ``acquire`` returns the round (epoch) the slot was taken in; pass it back to
    ``release`` with the outcome. Only a 429 from the current round halves the limit, so
    a burst of 429s from requests sent together counts as one signal, not eight.

    >>> limit = AdaptiveLimit(8)
    >>> limit.release(limit._take(), "rate_limited"); limit.limit
    4
    """

    def __init__(self, ceiling: int, *, grow_after: int = GROW_AFTER) -> None:
        if isinstance(ceiling, bool) or not isinstance(ceiling, int) or ceiling < 1:
            raise ValueError(f"concurrency must be a whole number >= 1, not {ceiling!r}")
        self.ceiling = ceiling
        self.limit = ceiling
        self.grow_after = grow_after
        self.in_flight = 0
        self._streak = 0
        self._epoch = 0
        self._resume_at = 0.0  # loop time before which nobody starts (Retry-After)
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> int:
        loop = asyncio.get_running_loop()
        while True:
            pause = self._resume_at - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            if self.in_flight < self.limit:
                return self._take()
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                elif not waiter.cancelled():  # woken, then cancelled: pass the turn on
                    self._wake()
                raise

    def _take(self) -> int:
        self.in_flight += 1
        return self._epoch

    def release(self, epoch: int, outcome: str, pause: float | None = None) -> None:
        """Give a slot back. ``outcome``: "ok", "rate_limited" or "failed"."""
        self.in_flight -= 1
        if outcome == "rate_limited":
            self._streak = 0
            if epoch == self._epoch:
                self.limit = max(1, self.limit // 2)
                self._epoch += 1
            if pause:
                loop = asyncio.get_running_loop()
                self._resume_at = max(self._resume_at, loop.time() + pause)
        elif outcome == "ok" and epoch == self._epoch:  # old rounds' successes say nothing
            self._streak += 1
            if self.limit < self.ceiling and self._streak >= self.grow_after:
                self.limit += 1
                self._streak = 0
        self._wake()

    def _wake(self) -> None:
        free = self.limit - self.in_flight
        while free > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1
