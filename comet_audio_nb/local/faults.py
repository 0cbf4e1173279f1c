"""Injected faults: what the next requests to a path answer instead of the real thing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_FIELDS = (
    "path",
    "status",
    "count",
    "retry_after",
    "retry_after_ms",
    "latency",
    "truncate",
    "body",
    "content_type",
    "headers",
    "error_code",
)


def normalize_path(path: str) -> str:
    """'v1/audio/speech' and '/v1/audio/speech/' both mean '/v1/audio/speech'."""
    path = "/" + path.strip().lstrip("/")
    return path.rstrip("/") or "/"


@dataclass
class Fault:
    """One injected fault rule; it answers the next `count` requests to `path`.

    With `truncate=True` the real response is served but cut in half after declaring its full
    Content-Length (the status is then ignored). Otherwise the answer is `status` with a
    CometAPI error body (code `error_code`), or `body`/`content_type` when given.
    """

    path: str
    status: int
    count: int = 1
    retry_after: float | str | None = None
    retry_after_ms: float | None = None
    latency: float = 0.0
    truncate: bool = False
    body: str | bytes | dict | list | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error_code: str = ""

    def __post_init__(self) -> None:
        self.path = normalize_path(self.path)
        if isinstance(self.status, bool) or not isinstance(self.status, int):
            raise ValueError("status must be an integer HTTP status")
        if not 100 <= self.status <= 599:
            raise ValueError(f"status {self.status} is not an HTTP status")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ValueError("count must be an integer >= 1")
        if not isinstance(self.latency, (int, float)) or self.latency < 0:
            raise ValueError("latency must be a number of seconds >= 0")
        self.latency = float(self.latency)
        self.headers = {str(k): str(v) for k, v in (self.headers or {}).items()}
        self.error_code = self.error_code or ""

    @classmethod
    def from_dict(cls, data: Any) -> Fault:
        """Build a fault from the JSON body of POST /_engine/faults."""
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        unknown = set(data) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        if "path" not in data or "status" not in data:
            raise ValueError("'path' and 'status' are required")
        return cls(**data)

    def response_headers(self) -> dict[str, str]:
        """Retry-After, retry-after-ms and any extra headers this fault sends."""
        headers: dict[str, str] = {}
        if self.retry_after is not None:
            headers["Retry-After"] = _seconds_text(self.retry_after)
        if self.retry_after_ms is not None:
            headers["retry-after-ms"] = _seconds_text(self.retry_after_ms)
        headers.update(self.headers)
        return headers

    def custom_body(self) -> tuple[bytes, str] | None:
        """The body and content type to send instead of an error object, if one was given."""
        if self.body is None:
            return None
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode(), self.content_type or "application/json"
        raw = self.body.encode() if isinstance(self.body, str) else bytes(self.body)
        if self.content_type:
            return raw, self.content_type
        looks_html = raw.lstrip()[:1] == b"<"
        return raw, "text/html; charset=utf-8" if looks_html else "text/plain; charset=utf-8"


def _seconds_text(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)
