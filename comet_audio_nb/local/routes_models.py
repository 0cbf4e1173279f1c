"""GET /v1/models (OpenAI-style list) and GET /api/models (the public catalog)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import routing, tts
from .catalog import page_envelope
from .registry import SPEECH_MODELS, openai_model_list
from .state import EngineState


async def v1_models(request: Request) -> JSONResponse:
    body = openai_model_list()
    # OpenAI's records have no such field; ours say which local model answers each id.
    for record in body["data"]:
        model = record["id"]
        record["description"] = (
            tts.DESCRIPTION if model in SPEECH_MODELS else routing.describe(model)
        )
    return JSONResponse(body)


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
