"""ASGI middleware: request ids, hit counts, latency, faults, the API key check, body limits."""

from __future__ import annotations

import asyncio
import hmac
import logging

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .apierror import api_error_response, error_response, new_request_id
from .bodylimit import BodyTooLarge, LimitedReceive, body_limit
from .bodylimit import drain as drain  # routes_transcribe takes it from here
from .faults import Fault
from .logs import TRUNCATING
from .state import EngineState

_log = logging.getLogger(__name__)
_NO_BODY_STATUSES = (204, 304)


def is_api_path(path: str) -> bool:
    """Paths that count as CometAPI traffic: /v1/... and /api/..."""
    return path in ("/v1", "/api") or path.startswith(("/v1/", "/api/"))


class EngineMiddleware:
    """Wraps the app; everything here happens before a route sees the request."""

    def __init__(self, app: ASGIApp, state: EngineState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self._serve(scope, receive, send_with_id)
        except BodyTooLarge as exc:  # from a declared length, before any route ran
            if started:
                raise
            await api_error_response(exc)(scope, receive, send_with_id)
        except Exception as exc:
            if started:
                raise
            _log.exception("local engine failed on %s", scope["path"], exc_info=exc)
            message = f"Internal error in the local engine: {type(exc).__name__}"
            await error_response(500, message)(scope, receive, send_with_id)

    async def _serve(self, scope: Scope, receive: Receive, send_with_id: Send) -> None:
        path = scope["path"]
        limited = LimitedReceive(receive, *body_limit(path, self.state))
        if not is_api_path(path):
            limited.check_declared(scope)
            await self.app(scope, limited, send_with_id)
            return
        self.state.count_hit(path)
        self.state.record_headers(path, (name.decode("latin-1") for name, _ in scope["headers"]))
        fault = self.state.take_fault(path)
        delay = self.state.latency + (fault.latency if fault else 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        if fault is not None and not fault.truncate:
            # A fault stands in for an upstream that read the whole body before answering
            # (benchmarks/upload_memory.py sends 200 MB through one): no limit here.
            await drain(receive)
            await _fault_response(fault)(scope, receive, send_with_id)
            return
        denial = self._check_key(scope)
        if denial is not None:
            try:
                limited.check_declared(scope)
                await drain(limited)
            except BodyTooLarge:  # answer now and close rather than read the rest
                denial.headers["Connection"] = "close"
            await denial(scope, receive, send_with_id)
            return
        limited.check_declared(scope)
        if fault is not None:
            await self._truncated(scope, limited, send_with_id)
            return
        await self.app(scope, limited, send_with_id)

    def _check_key(self, scope: Scope) -> Response | None:
        key = self.state.api_key
        if key is None or not scope["path"].startswith("/v1"):
            return None
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"").decode("latin-1").strip()
        scheme, _, token = auth.partition(" ")
        if not auth or scheme.lower() != "bearer" or not token.strip():
            return error_response(
                401,
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                code="missing_api_key",
            )
        if not hmac.compare_digest(token.strip().encode(), key.encode()):
            return error_response(
                401, "Invalid API key (the key sent is not shown here).", code="invalid_api_key"
            )
        return None

    async def _truncated(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the real response, declaring its full length but sending only half."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        declared = max(len(body), 1)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(declared).encode()))
        await send({**start, "headers": headers})
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        TRUNCATING.set(True)  # returning now makes uvicorn close the connection mid-body


def _fault_response(fault: Fault) -> Response:
    headers = fault.response_headers()
    if fault.status in _NO_BODY_STATUSES:  # HTTP forbids a body with these
        return Response(b"", status_code=fault.status, headers=headers)
    custom = fault.custom_body()
    if custom is not None:
        body, content_type = custom
        return Response(body, status_code=fault.status, headers=headers, media_type=content_type)
    return error_response(
        fault.status, f"injected fault {fault.status}", code=fault.error_code, headers=headers
    )
