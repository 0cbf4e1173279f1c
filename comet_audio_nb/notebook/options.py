"""The request options a magic or a panel stands for: one set of rules for both.

``%comet_say`` and SpeechStudio call ``speech_options``; ``%%comet_transcribe`` and
TranscribePanel call ``transcribe_options``. ``None`` means "the ``%config CometAudio``
default"; an empty string means "none".

>>> speech_options(voice="nova", speed=1.0)["speed"] is None   # 1.0 is not sent
True
>>> transcribe_options(model="whisper-1", timestamps="word", language="")["timestamp_granularities"]
['segment', 'word']
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from .session import get_defaults


def speech_options(
    *,
    model: str | None = None,
    voice: str | None = None,
    response_format: str | None = None,
    speed: float | None = None,
    instructions: str | None = None,
) -> dict[str, Any]:
    """The ``CometClient.speech`` options, defaults filled in; optional fields only when set."""
    defaults = get_defaults()
    speed = defaults.speed if speed is None else round(float(speed), 2)
    style = defaults.instructions if instructions is None else instructions
    return {
        "model": (model or "").strip() or defaults.speech_model,
        "voice": (voice or "").strip() or defaults.voice,
        "response_format": (response_format or defaults.response_format).lower(),
        "speed": None if speed == 1.0 else speed,
        "instructions": style.strip() or None,
    }


def transcribe_options(
    *,
    model: str | None = None,
    language: str | None = None,
    prompt: str | None = None,
    response_format: str | None = None,
    timestamps: str | None = None,
    translate: bool = False,
) -> dict[str, Any]:
    """The ``CometClient.transcribe`` (or ``translate``) options; ValidationError for a
    combination the API refuses. ``timestamps``: None/"", "segment" or "word" (words come
    with their segments, so the readable view keeps its lines)."""
    defaults = get_defaults()
    options: dict[str, Any] = {"model": (model or "").strip() or defaults.transcribe_model}
    if prompt and prompt.strip():
        options["prompt"] = prompt.strip()
    if response_format:
        options["response_format"] = response_format.lower()
    if timestamps and options.get("response_format", "verbose_json") != "verbose_json":
        raise ValidationError(
            f"timestamps come only with the verbose_json format, not {response_format}",
            hint="leave the format unset, or choose verbose_json",
        )
    if translate:
        if language:
            raise ValidationError("a language does not apply to translation (it is English)")
        if timestamps == "word":
            raise ValidationError("translations have no word timestamps: choose segment")
        if timestamps == "segment":
            options["response_format"] = "verbose_json"
        return options
    language = defaults.language if language is None else language
    if language and language.strip():
        options["language"] = language.strip()
    if timestamps:
        options["timestamp_granularities"] = (
            ["segment", "word"] if timestamps == "word" else ["segment"]
        )
    return options
