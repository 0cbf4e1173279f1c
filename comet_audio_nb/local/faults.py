"""Injected faults: what the next requests to a path answer instead of the real thing."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

# Longer delays are a typo, and asyncio cannot schedule an infinite one.
MAX_LATENCY = 3600.0
# What HTTP allows in a header name, and the characters that would split a header in two.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_LINE_BREAKS = re.compile(r"[\r\n\0]")

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
    retry_after_ms: float | str | None = None
    latency: float = 0.0
    truncate: bool = False
    body: str | bytes | dict | list | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error_code: str = ""

    def __post_init__(self) -> None:
        # Everything is checked here, so a bad fault is a 400 when added, not a 500 when served.
        if not isinstance(self.path, str):
            raise ValueError("path must be a string")
        self.path = normalize_path(self.path)
        if not _is_int(self.status) or not 200 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status from 200 to 599, got {self.status!r}")
        if not _is_int(self.count) or self.count < 1:
            raise ValueError("count must be an integer >= 1")
        self.latency = _seconds("latency", self.latency, upper=MAX_LATENCY)
        # Numbers must be sane; text is sent as given (an HTTP date, or a malformed value
        # on purpose), as long as it cannot break the header.
        if isinstance(self.retry_after, str):
            _check_header("Retry-After", self.retry_after)
        elif self.retry_after is not None:
            self.retry_after = _seconds("retry_after", self.retry_after)
        if isinstance(self.retry_after_ms, str):
            _check_header("retry-after-ms", self.retry_after_ms)
        elif self.retry_after_ms is not None:
            self.retry_after_ms = _seconds("retry_after_ms", self.retry_after_ms)
        if not isinstance(self.truncate, bool):
            raise ValueError("truncate must be true or false")
        if self.body is not None and not isinstance(self.body, (str, bytes, dict, list)):
            raise ValueError("body must be a string, an object or a list")
        if not isinstance(self.headers or {}, dict):
            raise ValueError("headers must be an object of names to values")
        self.headers = {str(k): str(v) for k, v in (self.headers or {}).items()}
        for name, value in self.headers.items():
            _check_header(name, value)
        if self.content_type is not None:
            if not isinstance(self.content_type, str):
                raise ValueError("content_type must be a string")
            _check_header("Content-Type", self.content_type)
        if not isinstance(self.error_code or "", str):
            raise ValueError("error_code must be a string")
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


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _seconds(name: str, value: Any, *, upper: float = math.inf) -> float:
    """A finite number of seconds >= 0 (JSON's 1e999 arrives here as infinity)."""
    seconds = math.nan
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:  # an integer too large for a float
            seconds = math.inf
    if not 0 <= seconds <= upper or math.isinf(seconds):  # NaN fails the comparison
        limit = f" to {upper:g}" if upper != math.inf else ""
        raise ValueError(f"{name} must be a number of seconds from 0{limit}, got {value!r}")
    return seconds


def _check_header(name: str, value: str) -> None:
    if not _TOKEN.fullmatch(name):
        raise ValueError(f"{name!r} is not a valid header name")
    if _LINE_BREAKS.search(value):
        raise ValueError(f"the value of header {name!r} has a line break or NUL in it")


def _seconds_text(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)
