"""Building the audio requests: every option checked, optional fields sent only when set.

Speech is a JSON body; transcription and translation are a multipart form (lists as
repeated ``name[]`` fields, as the service reads them). ``extras.apply`` merges the
caller's ``extra_body`` / ``extra_headers`` / ``extra_query`` over what is built here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..audio import AudioInput, prepare_upload
from ..constants import (
    ALL_TRANSCRIPT_FORMATS,
    DEFAULT_CHUNKING_STRATEGY,
    DEFAULT_STREAM_FORMAT,
    DIARIZE_MODEL,
    DIARIZED_FORMAT,
    GRANULARITIES,
    SPEECH_FORMATS,
    STREAM_FORMATS,
)
from ..errors import ValidationError
from . import checks, extras
from .calls import Call
from .speakers import known_speaker_fields

SSE = "text/event-stream"
# What a streamed speech answer may be: audio bytes (also where SSE was asked), or events.
SPEECH_STREAMS = ("audio/", "application/octet-stream", SSE)


def speech_call(
    text: str,
    *,
    model: str,
    voice: str,
    response_format: str,
    speed: float | None,
    instructions: str | None,
    stream_format: str | None = None,
    extra_body: Any = None,
    extra_headers: Any = None,
    extra_query: Any = None,
) -> Call:
    """POST audio/speech; ``stream_format`` given: a call whose answer is read as it comes."""
    text = checks.speech_text(text)
    model, voice = checks.name("model", model), checks.name("voice", voice)
    response_format = checks.choice("response_format", response_format, SPEECH_FORMATS)
    instructions = checks.optional_text("instructions", instructions)
    body: dict[str, Any] = {
        "model": model,
        "input": text,
        "voice": voice,
        "response_format": response_format,
    }
    if speed is not None:
        body["speed"] = checks.speed(speed)
    if instructions:
        body["instructions"] = instructions
    call = Call("POST", "audio/speech", json=body, meta=dict(body))
    if stream_format is not None:
        stream_format = checks.choice("stream_format", stream_format, STREAM_FORMATS)
        if stream_format != DEFAULT_STREAM_FORMAT:  # "audio" is the default: not sent
            body["stream_format"] = stream_format
            call.headers = {"Accept": SSE}
        call.meta["stream_format"] = stream_format
        call.stream = SPEECH_STREAMS
    return extras.apply(
        call, extra_body=extra_body, extra_headers=extra_headers, extra_query=extra_query
    )


def audio_call(
    task: str,
    audio: AudioInput,
    *,
    max_upload_bytes: int,
    model: str,
    language: str | None = None,
    prompt: str | None = None,
    response_format: str | None = None,
    temperature: float | None = None,
    timestamp_granularities: Sequence[str] | str | None = None,
    filename: str | None = None,
    include: Sequence[str] | str | None = None,
    chunking_strategy: str | Mapping[str, Any] | None = None,
    known_speakers: Mapping[str, Any] | None = None,
    stream: bool = False,
    extra_body: Any = None,
    extra_headers: Any = None,
    extra_query: Any = None,
) -> Call:
    """POST audio/transcriptions (or translations) as a multipart form."""
    model = checks.name("model", model)
    language = checks.optional_text("language", language)
    prompt = checks.optional_text("prompt", prompt)
    if filename is not None and not isinstance(filename, str):
        raise ValidationError(f"filename must be a string, not {type(filename).__name__}")
    grains = _strings("timestamp_granularities", timestamp_granularities)
    for grain in grains:
        checks.choice("timestamp_granularities", grain, GRANULARITIES)
    if response_format is None:
        diarized = model == DIARIZE_MODEL
        response_format = "verbose_json" if grains else DIARIZED_FORMAT if diarized else "json"
    response_format = checks.choice("response_format", response_format, ALL_TRANSCRIPT_FORMATS)
    if grains and response_format != "verbose_json":
        raise ValidationError(
            "timestamps come only with response_format='verbose_json'",
            hint="drop response_format, or set it to 'verbose_json'",
        )
    if temperature is not None:
        temperature = checks.number("temperature", temperature, 0, 1)
    upload = prepare_upload(audio, max_bytes=max_upload_bytes, filename=filename)
    form: dict[str, Any] = {"model": model, "response_format": response_format}
    for name, value in (("language", language), ("prompt", prompt)):
        if value:
            form[name] = value
    if temperature is not None:
        form["temperature"] = str(temperature)
    if grains:
        form["timestamp_granularities[]"] = grains
    includes = _strings("include", include)
    if includes:
        form["include[]"] = includes
    if chunking_strategy is None and model == DIARIZE_MODEL:
        chunking_strategy = DEFAULT_CHUNKING_STRATEGY  # required over 30 s of audio
    form.update(_chunking(chunking_strategy))
    form.update(known_speaker_fields(known_speakers))
    if stream:
        form["stream"] = "true"
    path = "audio/transcriptions" if task == "transcribe" else "audio/translations"
    meta = {**form, "task": task, "source": upload.filename, "size": upload.size}
    meta.pop("known_speaker_references[]", None)  # megabytes of base64: not for the log
    call = Call("POST", path, data=form, upload=upload, meta=meta)
    if stream:
        call.headers = {"Accept": SSE}
        call.stream = (SSE,)
    return extras.apply(
        call, extra_body=extra_body, extra_headers=extra_headers, extra_query=extra_query
    )


def _strings(what: str, value: Sequence[str] | str | None) -> list[str]:
    """A list option given as one string or several (``include="logprobs"`` is fine)."""
    items = [value] if isinstance(value, str) else list(value or ())
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"{what} must hold non-empty strings, not {item!r}")
    return [item.strip() for item in items]


def _chunking(strategy: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """``"auto"``, or an object sent as ``chunking_strategy[key]`` fields (as the SDK does)."""
    if strategy is None:
        return {}
    if isinstance(strategy, str):
        if not strategy.strip():
            raise ValidationError("chunking_strategy is empty: use 'auto' or an object")
        return {"chunking_strategy": strategy.strip()}
    if isinstance(strategy, Mapping):
        return extras.form_fields({"chunking_strategy": dict(strategy)})
    raise ValidationError(
        f"chunking_strategy must be 'auto' or a dict like {{'type': 'server_vad'}}, "
        f"not {type(strategy).__name__}"
    )
