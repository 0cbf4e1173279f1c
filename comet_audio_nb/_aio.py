"""Run a coroutine from synchronous code, with or without a running event loop.

A notebook cell runs inside the kernel's event loop, where ``asyncio.run`` refuses to
start a second one. This is the one place that applies nest-asyncio, on demand, to the
loop that is running, and never at import time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion and return its result, in a notebook or a script.

    >>> async def answer():
    ...     return 42
    >>> run_sync(answer())
    42
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import nest_asyncio

    nest_asyncio.apply(loop)
    return loop.run_until_complete(coro)
