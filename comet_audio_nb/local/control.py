"""The /_engine/ control endpoints (not CometAPI): faults, latency, hits, reset."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .faults import Fault
from .state import EngineState


def _state(request: Request) -> EngineState:
    return request.app.state.engine


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=400)


async def _json(request: Request) -> object:
    try:
        return json.loads(await request.body() or b"null")
    except ValueError:
        return None


async def add_fault(request: Request) -> JSONResponse:
    try:
        fault = Fault.from_dict(await _json(request))
    except (TypeError, ValueError) as exc:
        return _bad(str(exc))
    _state(request).add_fault(fault)
    return JSONResponse({"ok": True, "pending": _state(request).pending_faults()})


async def clear_faults(request: Request) -> JSONResponse:
    _state(request).clear_faults()
    return JSONResponse({"ok": True})


async def set_latency(request: Request) -> JSONResponse:
    body = await _json(request)
    if not isinstance(body, dict) or "seconds" not in body:
        return _bad('expected {"seconds": <number>}')
    try:
        _state(request).set_latency(body["seconds"])
    except ValueError as exc:
        return _bad(str(exc))
    return JSONResponse({"ok": True, "seconds": _state(request).latency})


async def hits(request: Request) -> JSONResponse:
    return JSONResponse({"hits": _state(request).hits()})


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
        }
    )


ROUTES = [
    Route("/_engine/faults", add_fault, methods=["POST"]),
    Route("/_engine/faults", clear_faults, methods=["DELETE"]),
    Route("/_engine/latency", set_latency, methods=["POST"]),
    Route("/_engine/hits", hits, methods=["GET"]),
    Route("/_engine/reset", reset, methods=["POST"]),
    Route("/_engine/status", status, methods=["GET"]),
]
