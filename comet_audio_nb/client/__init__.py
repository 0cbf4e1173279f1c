"""The HTTP clients: CometAPI's audio endpoints and catalog over httpx, sync and async.

- ``base``         — ``BaseClient``: settings, building requests, reading replies, the
  retry decision (no I/O)
- ``sync``         — ``CometClient``: blocking; its one retry loop
- ``asynchronous`` — ``AsyncCometClient``: awaited; its one retry loop, an optional gate
- ``calls``        — ``Call`` (a re-sendable request), ``Reply``, ``CallRecord`` (call log)
- ``gate``         — ``AttemptGate``: the hook around each attempt (the jobs' limiter)
- ``pages``        — catalog page envelopes and which pages are missing; ``/v1/models``
- ``launcher``     — the built-in engine, started on first use when there is no key
"""

from __future__ import annotations

from .asynchronous import AsyncCometClient
from .calls import CallRecord
from .sync import CometClient

__all__ = ["AsyncCometClient", "CallRecord", "CometClient"]
