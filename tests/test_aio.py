"""run_sync works with and without a running event loop."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from comet_audio_nb._aio import run_sync


async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


def in_a_kernel_like_loop(coro):
    """Run ``coro`` the way a kernel runs a cell: in a loop with no asyncio SIGINT handler."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def test_without_a_running_loop():
    assert run_sync(double(21)) == 42


def test_inside_a_running_loop_like_a_notebook_cell():
    async def cell():
        return run_sync(double(4)) + run_sync(double(1))

    assert in_a_kernel_like_loop(cell()) == 10


def test_inside_a_running_loop_the_kernel_loop_is_not_reentered():
    async def whose_loop():
        return asyncio.get_running_loop()

    async def cell():
        return asyncio.get_running_loop(), run_sync(whose_loop())

    outer, inner = in_a_kernel_like_loop(cell())
    assert inner is not outer


def test_errors_come_back_to_the_caller():
    async def boom():
        raise ValueError("bad input")

    async def cell():
        run_sync(boom())

    with pytest.raises(ValueError, match="bad input"):
        in_a_kernel_like_loop(cell())


INTERRUPT_SCRIPT = """
import _thread, asyncio, threading
from comet_audio_nb._aio import run_sync

started, cancelled = threading.Event(), threading.Event()

async def slow():
    started.set()
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        cancelled.set()
        raise

def interrupt_when_started():
    started.wait(10)
    _thread.interrupt_main()

async def cell():
    threading.Thread(target=interrupt_when_started, daemon=True).start()
    run_sync(slow())

loop = asyncio.new_event_loop()  # like a kernel's: no SIGINT handler of asyncio's own
try:
    loop.run_until_complete(cell())
except KeyboardInterrupt:
    print("interrupted", "cancelled" if cancelled.is_set() else "still running")
"""


def test_interrupt_inside_a_running_loop_cancels_the_work():
    # In a fresh interpreter: signal handling is process-wide state other tests may change.
    out = subprocess.run(
        [sys.executable, "-c", INTERRUPT_SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "interrupted cancelled", out.stderr
