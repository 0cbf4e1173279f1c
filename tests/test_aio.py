"""run_sync works with and without a running event loop."""

from __future__ import annotations

import asyncio

from comet_audio_nb._aio import run_sync


async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


def test_without_a_running_loop():
    assert run_sync(double(21)) == 42


def test_inside_a_running_loop_like_a_notebook_cell():
    async def cell():
        return run_sync(double(4)) + run_sync(double(1))

    assert asyncio.run(cell()) == 10
