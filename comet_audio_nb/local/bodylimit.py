"""Request body limits, enforced while the body arrives rather than after it has been read."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope

from .apierror import ApiError
from .state import EngineState

# Speech input is at most 4,096 characters (and instructions as many): even escaped as
# \uXXXX pairs that is under 100 KB of JSON, so 1 MiB refuses nothing a client could mean.
SPEECH_BODY_LIMIT = 1 << 20
# Room for the form fields and boundaries around an upload of the largest allowed file.
UPLOAD_SLACK = 64 * 1024
UPLOAD_PATHS = frozenset({"/v1/audio/transcriptions", "/v1/audio/translations"})
# Everything else (the catalog, /v1/models, the control endpoints) takes small bodies.
OTHER_BODY_LIMIT = 1 << 20


class BodyTooLarge(ApiError):
    """A 413 that also closes the connection, so the rest of the body is never read."""

    def __init__(self, limit: int, size: int, *, declared: bool, param: str) -> None:
        how = "declared" if declared else "read"
        super().__init__(
            413,
            f"Maximum content size limit ({limit}) exceeded ({size} bytes {how})",
            param=param,
            code="content_too_large",
            headers={"Connection": "close"},
        )


def body_limit(path: str, state: EngineState) -> tuple[int, str]:
    """The largest body accepted on `path`, and the parameter a refusal names."""
    if path.rstrip("/") in UPLOAD_PATHS:
        return state.max_upload_bytes + UPLOAD_SLACK, "file"
    if path.rstrip("/") == "/v1/audio/speech":
        return SPEECH_BODY_LIMIT, ""
    return OTHER_BODY_LIMIT, ""


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length (h11 has already refused malformed ones)."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            return int(value)
    return None


class LimitedReceive:
    """An ASGI `receive` that raises BodyTooLarge as soon as the bytes read pass `limit`.

    uvicorn buffers only about 64 KiB of body ahead of the app, so raising here stops the
    upload close to the limit: the refusal closes the connection and nothing more is read.
    """

    def __init__(self, receive: Receive, limit: int, param: str) -> None:
        self._receive = receive
        self.limit = limit
        self.param = param
        self.received = 0

    def check_declared(self, scope: Scope) -> None:
        declared = declared_length(scope)
        if declared is not None and declared > self.limit:
            raise BodyTooLarge(self.limit, declared, declared=True, param=self.param)

    async def __call__(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                raise BodyTooLarge(self.limit, self.received, declared=False, param=self.param)
        return message


async def drain(receive: Receive) -> None:
    """Read and discard the request body, as a server does before answering early.

    With a LimitedReceive this stops (raising BodyTooLarge) once the limit is passed.
    """
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
