"""POST /v1/audio/speech: validate like CometAPI, synthesise, encode."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import encode, tts
from .apierror import ApiError
from .registry import (
    MAX_INPUT_CHARS,
    MAX_SPEED,
    MIN_SPEED,
    SPEECH_CONTENT_TYPES,
    SPEECH_FORMATS,
    SPEECH_MODELS,
    VOICES,
)
from .state import EngineState

_log = logging.getLogger(__name__)
# What the voice cannot speak: C0 controls but tab, newline and carriage return, DEL, and
# lone surrogates (JSON can carry "\ud800"; the phonemiser's UTF-8 cannot).
_UNSPEAKABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass
class SpeechRequest:
    model: str
    input: str
    voice: str
    response_format: str = "mp3"
    speed: float = 1.0
    instructions: str | None = None


async def read_json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400."""
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(
            400,
            "We could not parse the JSON body of your request. The API expects a JSON payload.",
            code="invalid_json",
        ) from None
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.", code="invalid_json")
    return body


def _string(body: dict, name: str, *, required: bool) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(
                400,
                f"Missing required parameter: '{name}'.",
                param=name,
                code="missing_required_parameter",
            )
        return None
    if not isinstance(value, str):
        raise ApiError(
            400, f"Invalid type for '{name}': expected a string.", param=name, code="invalid_type"
        )
    return value


def parse_speech(body: dict) -> SpeechRequest:
    """Check every field as the real service does; raise ApiError on the first problem."""
    model = _string(body, "model", required=True)
    if model not in SPEECH_MODELS:
        raise ApiError(
            400,
            f"The model '{model}' does not exist or does not support speech. "
            f"Supported: {', '.join(SPEECH_MODELS)}.",
            param="model",
            code="model_not_found",
        )
    text = _string(body, "input", required=True)
    if not text.strip():
        raise ApiError(400, "'input' must not be empty.", param="input", code="invalid_value")
    if len(text) > MAX_INPUT_CHARS:
        raise ApiError(
            400,
            f"'input' is too long: {len(text)} characters, the maximum is {MAX_INPUT_CHARS}.",
            param="input",
            code="string_above_max_length",
        )
    bad = _UNSPEAKABLE.search(text)
    if bad:
        kind = "a lone surrogate" if bad.group() >= "\ud800" else "a control character"
        raise ApiError(
            400,
            f"'input' has {kind} (U+{ord(bad.group()):04X}) at position {bad.start()}; remove it.",
            param="input",
            code="invalid_value",
        )
    voice = _string(body, "voice", required=True)
    if voice not in VOICES:
        raise ApiError(
            400,
            f"Invalid voice '{voice}'. Supported voices: {', '.join(VOICES)}.",
            param="voice",
            code="invalid_value",
        )
    fmt = _string(body, "response_format", required=False) or "mp3"
    if fmt not in SPEECH_FORMATS:
        raise ApiError(
            400,
            f"Invalid response_format '{fmt}'. Supported: {', '.join(SPEECH_FORMATS)}.",
            param="response_format",
            code="invalid_value",
        )
    speed = body.get("speed", 1.0)
    if speed is None:
        speed = 1.0
    if isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise ApiError(400, "'speed' must be a number.", param="speed", code="invalid_type")
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ApiError(
            400,
            f"'speed' must be between {MIN_SPEED} and {MAX_SPEED}, got {speed}.",
            param="speed",
            code="invalid_value",
        )
    instructions = _string(body, "instructions", required=False)
    if instructions is not None and len(instructions) > MAX_INPUT_CHARS:
        raise ApiError(
            400,
            f"'instructions' is too long: the maximum is {MAX_INPUT_CHARS} characters.",
            param="instructions",
            code="string_above_max_length",
        )
    return SpeechRequest(model, text, voice, fmt, float(speed), instructions)


def render_speech(req: SpeechRequest) -> bytes:
    """Synthesise and encode (blocking: run it off the event loop)."""
    speed, volume = 1.0, 1.0
    if req.model == "gpt-4o-mini-tts":  # only this model follows instructions
        speed, volume = tts.instruction_effect(req.instructions)
    speed = min(MAX_SPEED, max(MIN_SPEED, req.speed * speed))
    try:
        samples = tts.synthesize(req.input, req.voice, speed, volume)
    except ValueError as exc:  # the phonemiser refusing text that passed parse_speech
        _log.info("cannot synthesise the input: %s", exc, exc_info=exc)
        raise ApiError(
            400, "'input' could not be synthesised.", param="input", code="invalid_value"
        ) from None
    return encode.encode(samples, req.response_format, hd=req.model == "tts-1-hd")


async def speech(request: Request) -> Response:
    state: EngineState = request.app.state.engine
    req = parse_speech(await read_json_object(request))
    # Validation and the body are done with before a slot is taken, and the slot is given
    # back before the audio is sent (see synthesis.py).
    audio = await state.synthesis.run(render_speech, req)
    return Response(audio, media_type=SPEECH_CONTENT_TYPES[req.response_format])
