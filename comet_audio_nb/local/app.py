"""The engine's Starlette app: routes, CometAPI error rendering and the engine middleware."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from . import control
from .apierror import ApiError, api_error_response, error_response
from .logs import install_log_router
from .middleware import EngineMiddleware, is_api_path
from .routes_models import api_models, v1_models
from .routes_speech import speech
from .routes_transcribe import transcriptions, translations
from .state import EngineState

_HOME = """<!doctype html>
<html><head><title>comet-audio-nb local engine</title></head>
<body><h1>comet-audio-nb local engine</h1>
<p>This server speaks CometAPI's audio wire format. Point clients at <code>/v1</code>;
the model catalog is at <code>/api/models</code>.</p></body></html>
"""
_NOT_FOUND = """<!doctype html>
<html><head><title>404 Not Found</title></head>
<body><h1>404 Not Found</h1><p>No page here. API requests go under <code>/v1</code>.</p>
</body></html>
"""


async def home(request: Request) -> HTMLResponse:
    return HTMLResponse(_HOME)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return api_error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if not is_api_path(path):  # like the real site: a web page, not JSON
        return HTMLResponse(_NOT_FOUND, status_code=exc.status_code)
    if exc.status_code == 404:
        message = f"Invalid URL ({request.method} {path})"
        return error_response(404, message, code="invalid_url")
    if exc.status_code == 405:
        message = f"Method {request.method} is not allowed for {path}"
        return error_response(405, message, code="method_not_allowed")
    return error_response(exc.status_code, str(exc.detail))


def create_app(state: EngineState) -> Starlette:
    """The ASGI app for one engine; `app.state.engine` is the shared EngineState.

    The /_engine/ control endpoints are routed only when `state.control` is set.
    """
    install_log_router()
    routes = [
        Route("/", home, methods=["GET"]),
        Route("/v1/audio/speech", speech, methods=["POST"]),
        Route("/v1/audio/transcriptions", transcriptions, methods=["POST"]),
        Route("/v1/audio/translations", translations, methods=["POST"]),
        Route("/v1/models", v1_models, methods=["GET"]),
        Route("/api/models", api_models, methods=["GET"]),
        *(control.ROUTES if state.control else []),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(EngineMiddleware, state=state)],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
        },
    )
    app.state.engine = state
    return app
