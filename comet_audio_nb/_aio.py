"""Run a coroutine from synchronous code, with or without a running event loop.

A notebook cell runs inside the kernel's event loop, where ``asyncio.run`` refuses to
start a second loop. Re-entering the kernel's own loop (nest-asyncio) breaks ipykernel 7
when a front end is attached: its message handler finds its context already entered, and
the kernel stops answering. So with a loop running, the coroutine runs with
``asyncio.run`` in a worker thread while the cell waits; an interrupt (Ctrl-C, the
kernel's stop button) cancels it there and is raised here once it has wound down.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
_POLL = 0.1  # seconds between checks, so that an interrupt reaches the waiting thread


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion and return its result, in a notebook or a script.

    >>> async def answer():
    ...     return 42
    >>> run_sync(answer())
    42
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    return _run_in_worker_thread(coro)


def _run_in_worker_thread(coro: Coroutine[Any, Any, T]) -> T:
    outcome: dict[str, Any] = {}
    ready, done = threading.Event(), threading.Event()

    async def main() -> T:
        outcome["loop"], outcome["task"] = asyncio.get_running_loop(), asyncio.current_task()
        ready.set()
        return await coro

    def work() -> None:
        try:
            outcome["value"] = asyncio.run(main())
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc
        finally:
            ready.set()
            done.set()

    worker = threading.Thread(target=work, name="comet-audio-run-sync", daemon=True)
    # Wait on an Event, not Thread.join: an interrupt inside join() can leave the Thread
    # marked stopped while it still runs (seen on CPython 3.11), and then nothing waits.
    # start() is inside the try: an interrupt can land while it waits for the thread.
    try:
        worker.start()
        while not done.wait(_POLL):
            pass
    except BaseException:
        if not _launched(worker):  # interrupted before the thread existed: nothing runs
            coro.close()
            raise
        ready.wait()
        if "task" in outcome and not outcome["loop"].is_closed():
            # RuntimeError: the loop closed meanwhile, so there is nothing left to cancel.
            with contextlib.suppress(RuntimeError):
                outcome["loop"].call_soon_threadsafe(outcome["task"].cancel)
        done.wait()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _launched(worker: threading.Thread, within: float = 2.0) -> bool:
    """Whether ``worker`` runs (or ran): its ident is set as soon as its thread exists."""
    deadline = time.monotonic() + within
    while worker.ident is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return worker.ident is not None
