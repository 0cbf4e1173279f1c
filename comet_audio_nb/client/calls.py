"""A request described once (so that it can be sent again), its reply, and its log record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from ..audio import Upload


@dataclass
class Call:
    """One request, described so that either client can send it (and send it again)."""

    method: str
    path: str  # relative to the base URL, or absolute for the catalog
    json: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    upload: Upload | None = None
    params: dict[str, Any] | None = None
    auth: bool = True
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallRecord:
    """One finished request, for the call log (``%comet_log``) and cost estimates."""

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


@dataclass
class Reply:
    status: int
    headers: httpx.Headers
    body: bytes
    elapsed: float
