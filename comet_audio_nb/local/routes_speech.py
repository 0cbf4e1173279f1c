"""POST /v1/audio/speech: validate like CometAPI, synthesise, encode; whole or streamed.

pcm, wav, mp3 and opus are streamed a sentence at a time, and ``stream_format="sse"``
answers as events (``speech_stream.py``); flac and aac are sent whole, as one body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import Response

from . import encode, speech_stream, tts
from .apierror import ApiError
from .encode import STREAMED_FORMATS
from .registry import (
    CLASSIC_SPEECH_MODELS,
    MAX_INPUT_CHARS,
    MAX_SPEED,
    MIN_SPEED,
    SPEECH_CONTENT_TYPES,
    SPEECH_FORMATS,
    SPEECH_MODELS,
    STREAM_FORMATS,
    VOICES,
)
from .state import EngineState

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
    stream_format: str = "audio"


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
    stream_format = _string(body, "stream_format", required=False) or "audio"
    if stream_format not in STREAM_FORMATS:
        raise ApiError(
            400,
            f"Invalid stream_format '{stream_format}'. Supported: {', '.join(STREAM_FORMATS)}.",
            param="stream_format",
            code="invalid_value",
        )
    if stream_format == "sse" and model in CLASSIC_SPEECH_MODELS:
        raise ApiError(
            400,
            f"stream_format 'sse' is not supported for tts-1 and tts-1-hd (model '{model}'): "
            "use stream_format 'audio', or the model gpt-4o-mini-tts.",
            param="stream_format",
            code="unsupported_value",
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
    return SpeechRequest(model, text, voice, fmt, float(speed), instructions, stream_format)


def _speak(req: SpeechRequest) -> Iterator[np.ndarray]:
    """The request's speech, a sentence of 24 kHz samples at a time (nothing runs yet)."""
    speed, volume = 1.0, 1.0
    if req.model == "gpt-4o-mini-tts":  # only this model follows instructions
        speed, volume = tts.instruction_effect(req.instructions)
    speed = min(MAX_SPEED, max(MIN_SPEED, req.speed * speed))
    return tts.speak(req.input, req.voice, speed, volume)


def _samples(req: SpeechRequest) -> np.ndarray:
    """All of the request's speech (blocking)."""
    try:
        return np.concatenate(list(_speak(req)))
    except ValueError as exc:  # the phonemiser refusing text that passed parse_speech
        raise speech_stream.cannot_speak(exc) from None


def _encode(req: SpeechRequest, samples: np.ndarray) -> bytes:
    return encode.encode(samples, req.response_format, hd=req.model == "tts-1-hd")


def render_speech(req: SpeechRequest) -> bytes:
    """Synthesise and encode the whole file (blocking: run it off the event loop)."""
    return _encode(req, _samples(req))


async def speech(request: Request) -> Response:
    state: EngineState = request.app.state.engine
    req = parse_speech(await read_json_object(request))
    media_type = SPEECH_CONTENT_TYPES[req.response_format]
    # Validation and the body are done with before a slot is taken, and each slot is given
    # back before the audio it made is sent (see synthesis.py).
    streamed = req.response_format in STREAMED_FORMATS
    if not streamed and req.stream_format == "audio":
        audio = await state.synthesis.run(render_speech, req)
        return Response(audio, media_type=media_type)
    if streamed:
        hd = req.model == "tts-1-hd"
        take = speech_stream.SentenceTake(_speak(req), req.response_format, hd=hd)
    else:
        take = speech_stream.WholeTake(lambda: _samples(req), lambda s: _encode(req, s))
    return await speech_stream.respond(
        take,
        state.synthesis,
        media_type=media_type,
        sse=req.stream_format == "sse",
        text_chars=len(req.input) + len(req.instructions or ""),
    )
