"""Hints for known incompatibilities, given when the service refuses such a request.

Nothing here blocks a request: models change, and the service decides what it accepts.
When it refuses (400 or 422) a request holding one of these combinations, and its message
or ``param`` points at that option, the error's hint names the fix.

>>> from comet_audio_nb.errors import BadRequestError
>>> error = BadRequestError("response_format 'verbose_json' is not compatible with model")
>>> refusal_hint({"model": "gpt-4o-transcribe", "response_format": "verbose_json"}, error)
'gpt-4o-transcribe answers json or text only: use whisper-1 for timestamps (verbose_json, srt, vtt)'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..constants import (
    CLASSIC_SPEECH_MODELS,
    DIARIZE_MODEL,
    DIARIZED_FORMAT,
    LOGPROB_MODELS,
    STREAMING_TRANSCRIBE_MODELS,
)
from ..errors import APIError, BadRequestError, UnprocessableEntityError

# (does the request hold it, words its refusal mentions, the hint)
Rule = tuple[Callable[[Mapping[str, Any]], bool], tuple[str, ...], Callable[[Mapping], str]]


def _model(meta: Mapping[str, Any]) -> str:
    return str(meta.get("model") or "")


def _speaker_request(meta: Mapping[str, Any]) -> bool:
    return (
        _model(meta) == DIARIZE_MODEL
        or meta.get("response_format") == DIARIZED_FORMAT
        or "known_speaker_names[]" in meta
    )


_RULES: tuple[Rule, ...] = (
    (
        lambda m: (
            _model(m).startswith("gpt-4o")
            and (
                m.get("response_format") in ("verbose_json", "srt", "vtt")
                or "timestamp_granularities[]" in m
            )
        ),
        ("verbose_json", "srt", "vtt", "timestamp", "response_format"),
        lambda m: (
            f"{_model(m)} answers json or text only: use whisper-1 for timestamps "
            "(verbose_json, srt, vtt)"
        ),
    ),
    (
        _speaker_request,
        ("diariz", "speaker", "model", "response_format", "chunking"),
        lambda m: (
            f"speaker labels need CometAPI with model {DIARIZE_MODEL} and "
            f"response_format '{DIARIZED_FORMAT}' (the built-in engine does not diarize)"
        ),
    ),
    (
        lambda m: "include[]" in m,
        ("logprob", "include"),
        lambda m: (
            "logprobs come only with response_format 'json' and "
            f"{' or '.join(sorted(LOGPROB_MODELS))}"
        ),
    ),
    (
        lambda m: m.get("stream") == "true" and _model(m) not in STREAMING_TRANSCRIBE_MODELS,
        ("stream",),
        lambda m: (
            f"{_model(m)} does not stream transcripts: use "
            f"{' or '.join(STREAMING_TRANSCRIBE_MODELS[:2])}"
        ),
    ),
    (
        lambda m: m.get("stream_format") == "sse" and _model(m) in CLASSIC_SPEECH_MODELS,
        ("stream_format", "sse", "stream"),
        lambda m: (
            f"{_model(m)} cannot stream as SSE: use stream_format='audio', or model gpt-4o-mini-tts"
        ),
    ),
    (
        lambda m: bool(m.get("instructions")) and _model(m) in CLASSIC_SPEECH_MODELS,
        ("instructions",),
        lambda m: f"{_model(m)} does not take instructions: use model gpt-4o-mini-tts",
    ),
)


def refusal_hint(meta: Mapping[str, Any], error: APIError) -> str | None:
    """The hint for ``error``, a refusal of the request described by ``meta``, if one fits."""
    if not isinstance(error, (BadRequestError, UnprocessableEntityError)):
        return None
    said = f"{error.message} {error.param or ''} {error.code or ''}".lower()
    for holds, words, hint in _RULES:
        if holds(meta) and any(word in said for word in words):
            return hint(meta)
    return None
