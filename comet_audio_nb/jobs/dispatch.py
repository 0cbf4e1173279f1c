"""Many requests at once: one bounded, 429-aware client shared by a job's requests.

Batch transcription, long-media chunks and long-text speech send their requests through
one ``Dispatcher``: an ``AsyncCometClient`` whose gate is an ``AdaptiveLimit``. The limit
keeps at most ``limit`` attempts in flight; a 429 halves it (once per round of requests,
as TCP does) and pauses every sender for the ``Retry-After`` the service asks for; each
run of successes grows it back by one, up to the concurrency asked for. Retries are the
client's own (its ``RetryPolicy``), so the call log shows one row per request however
it was sent; the waits between attempts are outside the limit.

>>> async def demo():
...     async with dispatcher_for(None, concurrency=2) as dispatch:
...         return dispatch.limit.ceiling
>>> import asyncio; asyncio.run(demo())
2
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from .._aio import run_sync
from ..client import AsyncCometClient, CometClient
from ..client.base import BaseClient
from ..errors import CometError
from ..retry import retry_after
from .defaults import job_defaults
from .limit import AdaptiveLimit

T = TypeVar("T")


@dataclass
class Tally:
    """Requests sent for one input (more than one after retries or when split)."""

    attempts: int = 0


_tally: ContextVar[Tally | None] = ContextVar("comet_audio_nb_tally", default=None)


class LimitGate:
    """An ``AttemptGate`` over an ``AdaptiveLimit``; counts attempts into the input's Tally."""

    def __init__(self, limit: AdaptiveLimit, max_retry_after: float) -> None:
        self.limit = limit
        self.max_retry_after = max_retry_after

    async def enter(self) -> int:
        epoch = await self.limit.acquire()
        tally = _tally.get()
        if tally is not None:
            tally.attempts += 1
        return epoch

    def leave(self, epoch: int, outcome: Any) -> None:
        if isinstance(outcome, CometError) and getattr(outcome, "status", None) == 429:
            asked = retry_after(getattr(outcome, "headers", None) or {})
            pause = min(asked, self.max_retry_after) if asked else None
            self.limit.release(epoch, "rate_limited", pause)
        elif isinstance(outcome, BaseException):
            self.limit.release(epoch, "failed")
        else:
            self.limit.release(epoch, "ok")


class Dispatcher:
    """A job's requests: ``client`` (async, gated by ``limit``) and the input they are for."""

    def __init__(self, client: AsyncCometClient, limit: AdaptiveLimit) -> None:
        self.client = client
        self.limit = limit

    async def call(self, send: Callable[[], Awaitable[T]], tally: Tally | None = None) -> T:
        """Await ``send()`` (a request of ``self.client``), counting its attempts in ``tally``."""
        token = _tally.set(tally)
        try:
            return await send()
        finally:
            _tally.reset(token)


@asynccontextmanager
async def dispatcher_for(
    client: Any, *, concurrency: int | None, share_pool: bool = False
) -> AsyncIterator[Dispatcher]:
    """A Dispatcher over an async copy of ``client`` gated by a new adaptive limit.

    ``client``: a CometClient, an AsyncCometClient, or None (the notebook session's client
    when one is registered in ``job_defaults``, else one from the environment).
    ``share_pool`` reuses an AsyncCometClient's connections; only safe when running on that
    client's own event loop.
    """
    if client is None:
        client = job_defaults.client() if job_defaults.client is not None else None
    owned_base = client is None
    if client is None:
        client = CometClient()
    if not isinstance(client, BaseClient):
        raise TypeError(f"client must be a CometClient or AsyncCometClient, not {client!r}")
    limit = AdaptiveLimit(concurrency if concurrency is not None else job_defaults.concurrency)
    gate = LimitGate(limit, client.retry.max_retry_after)
    twin, owned = AsyncCometClient.like(client, gate=gate, share_pool=share_pool)
    try:
        yield Dispatcher(twin, limit)
    finally:
        if owned:
            await twin.aclose()
        if owned_base:
            client.close()


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
