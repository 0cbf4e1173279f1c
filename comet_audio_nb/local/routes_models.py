"""GET /v1/models (OpenAI-style list) and GET /api/models (the public catalog)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from .catalog import page_envelope
from .registry import openai_model_list
from .state import EngineState


async def v1_models(request: Request) -> JSONResponse:
    return JSONResponse(openai_model_list())


async def api_models(request: Request) -> JSONResponse:
    state: EngineState = request.app.state.engine
    envelope = page_envelope(
        state.catalog,
        mode=state.catalog_paging,
        default_size=state.page_size,
        page=request.query_params.get("page"),
        page_size=request.query_params.get("page_size"),
        sample=state.catalog_is_sample,
    )
    return JSONResponse(envelope)
