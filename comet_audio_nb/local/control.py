"""The /_engine/ control endpoints (not CometAPI): faults, latency, hits, headers, reset.

They exist for tests and benchmarks and are served only when asked for (`comet-audio serve
--control`, `LocalEngine(control=True)`). Even then a web page the user visits must not
reach them: changes need an `application/json` body, which a browser sends cross-origin
only after a CORS preflight the engine never grants, and the Host must be an address or
`localhost`, which a DNS-rebinding page cannot forge.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .faults import Fault
from .state import EngineState

Handler = Callable[[Request], Awaitable[JSONResponse]]


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _state(request: Request) -> EngineState:
    return request.app.state.engine


def _host_allowed(host: str) -> bool:
    if host.startswith("["):  # [::1]:8765
        name = host[1:].partition("]")[0]
    else:
        name = host.rpartition(":")[0] if ":" in host else host  # drop the port
    if name.lower() == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


async def _json(request: Request) -> object:
    """The JSON body (None when empty); Infinity and NaN are refused."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ValueError as exc:
        raise _Refused(400, f"the body is not valid JSON: {exc}") from None


def _endpoint(handler: Handler) -> Handler:
    """The checks every control endpoint shares, and one-line JSON errors."""

    async def checked(request: Request) -> JSONResponse:
        try:
            if not _host_allowed(request.headers.get("host", "")):
                raise _Refused(403, "control requests must address the engine by IP or localhost")
            if request.method not in ("GET", "HEAD"):
                media_type = request.headers.get("content-type", "").split(";")[0].strip()
                if media_type.lower() != "application/json":
                    raise _Refused(415, "send the body as application/json")
            return await handler(request)
        except _Refused as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=exc.status)

    return checked


async def add_fault(request: Request) -> JSONResponse:
    try:
        fault = Fault.from_dict(await _json(request))
    except (TypeError, ValueError) as exc:
        raise _Refused(400, " ".join(str(exc).split())) from None
    _state(request).add_fault(fault)
    return JSONResponse({"ok": True, "pending": _state(request).pending_faults()})


async def clear_faults(request: Request) -> JSONResponse:
    _state(request).clear_faults()
    return JSONResponse({"ok": True})


async def set_latency(request: Request) -> JSONResponse:
    body = await _json(request)
    if not isinstance(body, dict) or "seconds" not in body:
        raise _Refused(400, 'expected {"seconds": <number>}')
    try:
        _state(request).set_latency(body["seconds"])
    except ValueError as exc:
        raise _Refused(400, str(exc)) from None
    return JSONResponse({"ok": True, "seconds": _state(request).latency})


async def hits(request: Request) -> JSONResponse:
    return JSONResponse({"hits": _state(request).hits()})


async def headers(request: Request) -> JSONResponse:
    path = request.query_params.get("path")
    if not path:
        raise _Refused(400, "expected ?path=/the/path")
    return JSONResponse({"path": path, "requests": _state(request).request_headers(path)})


async def reset(request: Request) -> JSONResponse:
    _state(request).reset()
    return JSONResponse({"ok": True})


async def status(request: Request) -> JSONResponse:
    state = _state(request)
    return JSONResponse(
        {
            "ok": True,
            "latency": state.latency,
            "pending_faults": state.pending_faults(),
            "auth": state.api_key is not None,
            "synthesis": state.synthesis.status(),
        }
    )


ROUTES = [
    Route("/_engine/faults", _endpoint(add_fault), methods=["POST"]),
    Route("/_engine/faults", _endpoint(clear_faults), methods=["DELETE"]),
    Route("/_engine/latency", _endpoint(set_latency), methods=["POST"]),
    Route("/_engine/hits", _endpoint(hits), methods=["GET"]),
    Route("/_engine/headers", _endpoint(headers), methods=["GET"]),
    Route("/_engine/reset", _endpoint(reset), methods=["POST"]),
    Route("/_engine/status", _endpoint(status), methods=["GET"]),
]
