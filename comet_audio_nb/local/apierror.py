"""CometAPI-style error bodies and the per-request id they quote."""

from __future__ import annotations

import contextvars
import secrets

from starlette.responses import JSONResponse

_REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("comet_request_id", default="")


def new_request_id() -> str:
    """Make a fresh request id and make it current for this request."""
    rid = secrets.token_hex(16)
    _REQUEST_ID.set(rid)
    return rid


def current_request_id() -> str:
    """The id of the request being served (a fresh one if none was set)."""
    return _REQUEST_ID.get() or new_request_id()


class ApiError(Exception):
    """A request the engine refuses, answered as a CometAPI error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str = "",
        code: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.headers = headers or {}


def error_body(message: str, *, param: str = "", code: str = "") -> dict:
    """The JSON body CometAPI sends with an error, the request id inside the message."""
    return {
        "error": {
            "message": f"{message} (request id: {current_request_id()})",
            "type": "comet_api_error",
            "param": param or "",
            "code": code or "",
        }
    }


def error_response(
    status: int,
    message: str,
    *,
    param: str = "",
    code: str = "",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSONResponse carrying a CometAPI error body."""
    return JSONResponse(
        error_body(message, param=param, code=code), status_code=status, headers=headers
    )


def api_error_response(exc: ApiError) -> JSONResponse:
    """Render an ApiError."""
    return error_response(
        exc.status, exc.message, param=exc.param, code=exc.code, headers=exc.headers
    )
