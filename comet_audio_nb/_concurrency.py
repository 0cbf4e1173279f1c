"""Many requests at once: a self-adjusting concurrency limit and a retrying dispatcher.

Batch transcription, long-media chunks and long-text speech all send their requests
through one ``Dispatcher``. It keeps at most ``limit`` requests in flight; a 429 halves
the limit (once per round of requests, as TCP does) and pauses every sender for the
``Retry-After`` the service asks for; each run of successes grows the limit back by one,
up to the concurrency asked for. Failed attempts are retried by the client's
``RetryPolicy``, outside the limit while they wait.

>>> async def demo():
...     dispatcher = Dispatcher(client=None, concurrency=2, retry=RetryPolicy())
...     async def work():
...         return "done"
...     return await dispatcher.call(work)
>>> import asyncio; asyncio.run(demo())
'done'
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from ._aio import run_sync
from .errors import CometError, ValidationError
from .retry import RetryPolicy, retry_after

T = TypeVar("T")

DEFAULT_CONCURRENCY = 4
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


@dataclass
class Tally:
    """Requests sent for one input (more than one after retries or when split)."""

    attempts: int = 0


class Dispatcher:
    """Sends requests for one run: bounded, adaptive, retried. ``client`` is async."""

    def __init__(self, client: Any, *, concurrency: int, retry: RetryPolicy) -> None:
        self.client = client
        self.retry = retry
        self.limit = AdaptiveLimit(concurrency)

    async def call(self, send: Callable[[], Awaitable[T]], tally: Tally | None = None) -> T:
        """Await ``send()`` inside the limit, retrying what the policy says to retry.

        The final error carries ``attempts``: how many times this request was sent.
        """
        attempt = 0
        while True:
            epoch = await self.limit.acquire()
            if tally is not None:
                tally.attempts += 1
            try:
                result = await send()
            except ValidationError:  # refused before sending: not an attempt
                self.limit.release(epoch, "failed")
                if tally is not None:
                    tally.attempts -= 1
                raise
            except CometError as error:
                headers = getattr(error, "headers", None) or {}
                if getattr(error, "status", None) == 429:
                    asked = retry_after(headers)
                    pause = min(asked, self.retry.max_retry_after) if asked else None
                    self.limit.release(epoch, "rate_limited", pause)
                else:
                    self.limit.release(epoch, "failed")
                if attempt >= self.retry.max_retries or not self.retry.should_retry(error):
                    error.attempts = attempt + 1
                    raise
                await asyncio.sleep(self.retry.delay(attempt, headers))
                attempt += 1
            except BaseException:
                self.limit.release(epoch, "failed")
                raise
            else:
                self.limit.release(epoch, "ok")
                return result


def default_concurrency() -> int:
    """The session's default (``%config``) when the magics are loaded, else 4."""
    try:
        from .session import get_defaults

        value = get_defaults().concurrency
    except (ImportError, AttributeError):
        return DEFAULT_CONCURRENCY
    return int(value) if value else DEFAULT_CONCURRENCY


def _session_client() -> Any:
    try:
        from . import session
    except ImportError:
        return None
    get_client = getattr(session, "get_client", None)
    return get_client() if callable(get_client) else None


@asynccontextmanager
async def dispatcher_for(
    client: Any, *, concurrency: int | None, share_pool: bool = False
) -> AsyncIterator[Dispatcher]:
    """A Dispatcher over an async twin of ``client`` (retries off: the dispatcher retries).

    ``client``: a CometClient, an AsyncCometClient, None (the session's client, or the
    default settings) or any object with awaitable ``transcribe``/``translate``/``speech``
    (used as it is). ``share_pool`` reuses an AsyncCometClient's connections; only safe
    when running on that client's own event loop.
    """
    from ._wire import _Calls
    from .client import async_twin

    if client is None:
        client = _session_client()
    limit = concurrency if concurrency is not None else default_concurrency()
    if client is not None and not isinstance(client, _Calls):
        yield Dispatcher(client, concurrency=limit, retry=getattr(client, "retry", RetryPolicy()))
        return
    twin, owned = async_twin(client, retry=RetryPolicy(max_retries=0), share_pool=share_pool)
    retry = client.retry if client is not None else RetryPolicy(twin.settings.max_retries)
    try:
        yield Dispatcher(twin, concurrency=limit, retry=retry)
    finally:
        if owned:
            await twin.aclose()


async def gather_all(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Await all, in order; on the first failure cancel the rest and raise it."""
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def run_interruptible(coro: Coroutine[Any, Any, T]) -> T:
    """``run_sync(coro)``; after an interrupt, first cancel what is still running.

    In a script the interrupt already cancels everything (``asyncio.run`` does). In a
    notebook the kernel's loop keeps running after the interrupt leaves the cell, and with
    it any request still in flight: cancel the work and let it finish cancelling, then
    raise the interrupt.
    """
    started: list[asyncio.Task] = []

    async def main() -> T:
        task = asyncio.current_task()
        if task is not None:
            started.append(task)
        return await coro

    try:
        return run_sync(main())
    except BaseException:
        task = started[0] if started else None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):  # a second interrupt: stop waiting
                run_sync(asyncio.wait({task}))
        if task is not None and task.done() and not task.cancelled():
            # Seen here, so that collecting the task later logs no "exception was never
            # retrieved" (that log, at a random moment, can disturb the code it interrupts).
            task.exception()
        raise
