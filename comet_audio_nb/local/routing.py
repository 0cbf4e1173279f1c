"""Which recogniser answers which model id, and saying so (``--help``, /v1/models, status).

- ``whisper-1`` and ``gpt-4o-transcribe``, and every translation: Whisper base, the
  multilingual model (99 languages; the language given, or detected).
- ``gpt-4o-mini-transcribe``: Whisper tiny.en, small and fast, when the audio is English
  (the ``language`` given, or else what Whisper base detects); Whisper base otherwise.
  Two model names then compare two real recognisers, and non-English audio is never
  answered by an English-only model.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import stt
from .languages import LANGUAGES

ENGLISH_FIRST_MODELS: frozenset[str] = frozenset({"gpt-4o-mini-transcribe"})

_BASE = f"Whisper base ({len(LANGUAGES)} languages, given or detected)"
_TINY = "Whisper tiny.en"


def choose(
    model: str, task: str, language: str | None, audio: np.ndarray
) -> tuple[str, str | None]:
    """(recogniser, language) for a request; detects the language only when the choice
    depends on it (``gpt-4o-mini-transcribe`` with no ``language``)."""
    if task != "transcribe" or model not in ENGLISH_FIRST_MODELS:
        return stt.MULTILINGUAL, language
    if language is None:
        language, _ = stt.detect_language(audio)
    return (stt.ENGLISH if language == "en" else stt.MULTILINGUAL), language


def answer(
    model: str,
    audio: np.ndarray,
    *,
    task: str,
    language: str | None,
    prompt: str | None = None,
    temperature: float | None = None,
    words: bool = False,
    logprobs: bool = False,
    on_segment: Callable[[stt.Recognition, dict, list[dict]], None] | None = None,
) -> stt.Recognition:
    """Recognise ``audio`` as the engine's ``model`` would (see ``stt.recognize``)."""
    recogniser, language = choose(model, task, language, audio)
    return stt.recognize(
        audio,
        recogniser=recogniser,
        task=task,
        language=language,
        prompt=prompt,
        temperature=temperature,
        words=words,
        logprobs=logprobs,
        on_segment=on_segment,
    )


def describe(model: str) -> str:
    """One line: which recogniser answers ``model``."""
    if model in ENGLISH_FIRST_MODELS:
        return f"{_TINY} when the audio is English (language given, or detected), else {_BASE}"
    if model == "whisper-1":
        return f"{_BASE}; translates any of them to English"
    return _BASE


def recognisers() -> list[dict[str, str]]:
    """Which local recogniser answers each transcription model id, for ``%comet_status``.

    >>> [row["model"] for row in recognisers()]
    ['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe']
    """
    from .registry import TRANSCRIBE_MODELS

    return [{"model": model, "answered_by": describe(model)} for model in TRANSCRIBE_MODELS]
