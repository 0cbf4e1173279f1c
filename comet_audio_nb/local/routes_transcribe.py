"""POST /v1/audio/transcriptions and /v1/audio/translations: multipart in, transcript out.

``stream=true`` with a gpt-4o transcribe model answers as events (``transcript_stream.py``);
whisper-1 ignores it, as the service does. ``include[]=logprobs`` adds one log-probability
per word to json answers. The engine does not diarize: the diarize model and
``diarized_json`` are refused with a 400 that says where speaker labels come from. Fields
the engine has no use for (``chunking_strategy``, known speakers, ...) are accepted and
ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from . import routing, stt, transcript_stream, transcripts
from .apierror import ApiError
from .languages import check_language
from .middleware import drain
from .registry import (
    DIARIZE_MODEL,
    DIARIZED_FORMAT,
    GRANULARITIES,
    JSON_TEXT_ONLY_MODELS,
    LOGPROB_MODELS,
    STREAMING_TRANSCRIBE_MODELS,
    TRANSCRIBE_INCLUDES,
    TRANSCRIBE_MODELS,
    TRANSCRIPT_FORMATS,
    TRANSLATE_MODELS,
    UPLOAD_EXTENSIONS,
)
from .state import EngineState

_MULTIPART_SLACK = 64 * 1024  # room for form fields and boundaries around the file
RECOGNISER_HEADER = "x-local-recogniser"


@dataclass
class AudioRequest:
    model: str
    data: bytes
    response_format: str
    language: str | None
    prompt: str | None
    temperature: float | None
    words: bool
    logprobs: bool = False
    stream: bool = False


def _too_large(limit: int, size: int) -> ApiError:
    return ApiError(
        413,
        f"Maximum content size limit ({limit}) exceeded ({size} bytes read)",
        param="file",
        code="content_too_large",
    )


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        return None
    return value.strip() or None


def _temperature(form: FormData) -> float | None:
    raw = _field(form, "temperature")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, "'temperature' must be a number.", param="temperature") from None
    if not 0.0 <= value <= 1.0:
        raise ApiError(
            400, f"'temperature' must be between 0 and 1, got {value}.", param="temperature"
        )
    return value


def _granularities(form: FormData) -> list[str]:
    values = [*form.getlist("timestamp_granularities[]"), *form.getlist("timestamp_granularities")]
    result = []
    for value in values:
        if isinstance(value, UploadFile) or value not in GRANULARITIES:
            raise ApiError(
                400,
                f"Invalid timestamp_granularities value {value!r}: use 'word' and/or 'segment'.",
                param="timestamp_granularities",
                code="invalid_value",
            )
        result.append(value)
    return result


def _values(form: FormData, name: str) -> list[str]:
    """A repeated field, sent as ``name[]`` (the openai SDK) or ``name``."""
    values = [*form.getlist(f"{name}[]"), *form.getlist(name)]
    return [v.strip() for v in values if not isinstance(v, UploadFile)]


def _stream(form: FormData) -> bool:
    raw = (_field(form, "stream") or "false").lower()
    if raw not in ("true", "false", "1", "0"):
        message = f"'stream' must be true or false, got {raw!r}."
        raise ApiError(400, message, param="stream", code="invalid_type")
    return raw in ("true", "1")


def _refuse_diarization(model: str, fmt: str) -> None:
    if model != DIARIZE_MODEL and fmt != DIARIZED_FORMAT:
        return
    raise ApiError(
        400,
        "The built-in engine does not diarize: speaker labels (response_format "
        f"'{DIARIZED_FORMAT}') need CometAPI with the model '{DIARIZE_MODEL}'.",
        param="model" if model == DIARIZE_MODEL else "response_format",
        code="unsupported_value",
    )


def _logprobs(form: FormData, model: str, fmt: str) -> bool:
    includes = _values(form, "include")
    for value in includes:
        if value not in TRANSCRIBE_INCLUDES:
            raise ApiError(
                400,
                f"Invalid include value {value!r}: supported: {', '.join(TRANSCRIBE_INCLUDES)}.",
                param="include",
                code="invalid_value",
            )
    if not includes:
        return False
    if model not in LOGPROB_MODELS or fmt != "json":
        raise ApiError(
            400,
            "include[]=logprobs is only supported with response_format 'json' and the models "
            f"{' and '.join(sorted(LOGPROB_MODELS))} (got '{model}', '{fmt}').",
            param="include",
            code="unsupported_value",
        )
    return True


async def _upload(form: FormData, limit: int) -> bytes:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ApiError(
            400,
            "Missing required parameter: 'file' (an uploaded audio file with a filename).",
            param="file",
            code="missing_required_parameter",
        )
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise ApiError(
            400,
            f"Invalid file format. Supported formats: {list(UPLOAD_EXTENSIONS)}",
            param="file",
            code="invalid_value",
        )
    data = await upload.read()
    if len(data) > limit:
        raise _too_large(limit, len(data))
    if not data:
        raise ApiError(400, "The uploaded file is empty.", param="file", code="invalid_value")
    return data


def _parse(form: FormData, task: str) -> AudioRequest:
    """Check the form fields; translations take no ``language`` (any is translated)."""
    models = TRANSCRIBE_MODELS if task == "transcribe" else TRANSLATE_MODELS
    model = _field(form, "model") or "whisper-1"
    fmt = _field(form, "response_format") or "json"
    _refuse_diarization(model, fmt)
    if model not in models:
        raise ApiError(
            400,
            f"The model '{model}' does not exist or does not support this endpoint. "
            f"Supported: {', '.join(models)}.",
            param="model",
            code="model_not_found",
        )
    if fmt not in TRANSCRIPT_FORMATS:
        raise ApiError(
            400,
            f"Invalid response_format '{fmt}'. Supported: {', '.join(TRANSCRIPT_FORMATS)}.",
            param="response_format",
            code="invalid_value",
        )
    if model in JSON_TEXT_ONLY_MODELS and fmt not in ("json", "text"):
        raise ApiError(
            400,
            f"response_format '{fmt}' is not compatible with model '{model}'. "
            "Use 'json' or 'text'.",
            param="response_format",
            code="unsupported_value",
        )
    language = _field(form, "language") if task == "transcribe" else None
    if language is not None:
        language = check_language(language)
    granularities = _granularities(form) if task == "transcribe" else []
    if granularities and fmt != "verbose_json":
        raise ApiError(
            400,
            "timestamp_granularities is only supported with response_format 'verbose_json'.",
            param="timestamp_granularities",
            code="invalid_value",
        )
    return AudioRequest(
        model=model,
        data=b"",
        response_format=fmt,
        language=language,
        prompt=_field(form, "prompt"),
        temperature=_temperature(form),
        words="word" in granularities,
        logprobs=_logprobs(form, model, fmt) if task == "transcribe" else False,
        # whisper-1 ignores stream, as the service does; translations have no stream.
        stream=task == "transcribe" and _stream(form) and model in STREAMING_TRANSCRIBE_MODELS,
    )


def _recognize(
    req: AudioRequest,
    task: str,
    on_segment: Callable[[stt.Recognition, dict, list[dict]], None] | None = None,
) -> stt.Recognition:
    try:
        audio = stt.decode(req.data)
    except stt.AudioDecodeError as exc:
        raise ApiError(400, str(exc), param="file", code="invalid_value") from None
    try:
        return routing.answer(
            req.model,
            audio,
            task=task,
            language=req.language,
            prompt=req.prompt,
            temperature=req.temperature,
            words=req.words,
            logprobs=req.logprobs,
            on_segment=on_segment,
        )
    except stt.ModelUnavailableError as exc:
        # 501, not 503: a missing package is not a passing failure worth retrying.
        raise ApiError(501, str(exc), param="model", code="model_unavailable") from None


async def _handle(request: Request, task: str) -> Response:
    state: EngineState = request.app.state.engine
    limit = state.max_upload_bytes
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        await drain(request.receive)
        raise ApiError(
            400, "The request must be multipart/form-data with an audio 'file'.", param="file"
        )
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit + _MULTIPART_SLACK:
        await drain(request.receive)
        raise _too_large(limit, declared)
    try:
        async with request.form(max_files=4, max_fields=64) as form:
            req = _parse(form, task)
            req.data = await _upload(form, limit)
    except ApiError:
        raise
    except Exception as exc:  # malformed multipart bodies
        raise ApiError(400, f"Could not parse the multipart form: {exc}", param="file") from exc
    if req.stream:
        return await transcript_stream.respond(
            lambda on_segment: _recognize(req, task, on_segment),
            logprobs=req.logprobs,
            recogniser_header=RECOGNISER_HEADER,
        )
    rec = await run_in_threadpool(_recognize, req, task)
    response = transcripts.render(
        rec,
        req.response_format,
        task=task,
        words=req.words,
        model=req.model,
        logprobs=req.logprobs,
    )
    # Which local model answered: the wire format has no place for it, a header does.
    response.headers[RECOGNISER_HEADER] = rec.recogniser
    return response


async def transcriptions(request: Request) -> Response:
    return await _handle(request, "transcribe")


async def translations(request: Request) -> Response:
    return await _handle(request, "translate")
