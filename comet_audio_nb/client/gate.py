"""The hook around each attempt: something that admits a request and hears how it went.

An ``AsyncCometClient`` given a gate awaits ``gate.enter()`` before every attempt (a retry
included) and calls ``gate.leave(token, outcome)`` after it, with the ``Reply`` or the
error. The jobs layer's adaptive limit is such a gate: it bounds requests in flight and
slows down on 429s, while the client alone decides what is retried and when.
"""

from __future__ import annotations

from typing import Any, Protocol


class AttemptGate(Protocol):
    async def enter(self) -> Any:
        """Wait until one more attempt may go out; return a token for ``leave``."""

    def leave(self, token: Any, outcome: Any) -> None:
        """The attempt is over: ``outcome`` is its Reply, or the exception it raised."""
