"""A request described once (so that it can be sent again), its reply, and its log record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from ..audio import Upload


@dataclass
class Call:
    """One request, described so that either client can send it (and send it again).

    ``stream``: the content types whose 2xx answer is read as it arrives (a ``Reply``
    with ``response`` set); any other answer is read whole, as for every other call.
    """

    method: str
    path: str  # relative to the base URL, or absolute for the catalog
    json: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    upload: Upload | None = None
    params: dict[str, Any] | None = None
    auth: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    # extra_headers, sent as given after ours (not in the repr: they may hold a credential)
    headers: dict[str, str] | None = field(default=None, repr=False)
    stream: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallRecord:
    """One finished request, for the call log (``%comet_log``) and cost estimates.

    A streamed request is recorded once, when its stream ends: ``elapsed`` covers the
    whole body and ``usage`` is what its last event reported.
    """

    time: datetime  # when it started, UTC
    endpoint: str  # "audio/speech", "audio/transcriptions", "api/models", ...
    model: str | None
    input_size: int | None  # characters of text spoken, or bytes uploaded
    status: int | None  # the last HTTP status (None: no answer)
    ok: bool
    attempts: int
    elapsed: float  # seconds, all attempts and waits included
    request_id: str | None = None
    error: str | None = None  # the error's class and message, one line
    # What the service says it used, as it sent it: {"type": "tokens", "input_tokens",
    # "output_tokens", ...}, {"type": "duration", "seconds": ...} or speech's token counts.
    usage: dict[str, Any] | None = None
    streamed: bool = False


@dataclass
class Reply:
    """An answer. A streamed one (``response`` set) holds only its first chunk in ``body``;
    ``rest`` yields the others, and ``end(outcome)`` must be called once when it is over."""

    status: int
    headers: httpx.Headers
    body: bytes
    elapsed: float
    response: httpx.Response | None = None
    rest: Any = None  # Iterator[bytes] or AsyncIterator[bytes]
    usage: dict[str, Any] | None = None  # set by a stream from its last event
    on_end: list[Callable[[Any], None]] = field(default_factory=list)

    @property
    def streamed(self) -> bool:
        return self.response is not None

    def end(self, outcome: Any) -> None:
        """The stream is over: ``outcome`` is this Reply, or the exception that ended it."""
        hooks, self.on_end = self.on_end, []
        for hook in hooks:
            hook(outcome)
