"""How the filters read their arguments: words, aliases of tasks and pricing bases, numbers.

>>> words("OpenAI, google", "provider")
['openai', 'google']
>>> priced_by("chars")
'characters'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from .pricing import PRICED_BY

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TYPE_ALIASES", "words", "texts", "folded", "priced_by", "number", "show"]

TYPE_ALIASES = {
    "speech": "speech",
    "tts": "speech",
    "text-to-speech": "speech",
    "transcription": "transcription",
    "transcribe": "transcription",
    "stt": "transcription",
    "asr": "transcription",
    "speech-to-text": "transcription",
}
PRICED_BY_ALIASES = {
    "character": "characters",
    "characters": "characters",
    "chars": "characters",
    "char": "characters",
    "token": "tokens",
    "tokens": "tokens",
    "second": "second",
    "seconds": "second",
    "per_second": "second",
    "per-second": "second",
    "request": "request",
    "requests": "request",
    "per_request": "request",
    "per-request": "request",
}


def words(value: str | Sequence[str], what: str) -> list[str]:
    """A filter value as lower-case words: "a", ["a", "b"] or "a,b"."""
    items = [value] if isinstance(value, str) else value
    try:
        words = [w.strip().casefold() for item in items for w in str(item).split(",")]
    except TypeError:
        raise ValidationError(f"{what} must be a string or a list of strings") from None
    words = [w for w in words if w]
    if not words:
        raise ValidationError(f"{what} is empty")
    return words


def texts(column: pd.Series) -> list[str | None]:
    """A string column as a list, missing values as None (pd.NA has no truth value)."""
    return [value if isinstance(value, str) else None for value in column.tolist()]


def folded(column: pd.Series) -> list[str]:
    return [value.casefold() if isinstance(value, str) else "" for value in column.tolist()]


def priced_by(word: str) -> str:
    basis = PRICED_BY_ALIASES.get(word.replace(" ", "_"))
    if basis is None:
        raise ValidationError(f"unknown priced_by {word!r}: use one of {', '.join(PRICED_BY)}")
    return basis


def number(what: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what} must be a number, not {value!r}") from None
    if not number >= 0:
        raise ValidationError(f"{what} must be zero or more, not {value!r}")
    return number


def show(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, (list, tuple, set)) else str(value)
