"""What a request may hold, checked before anything is sent: one clear error per option.

Every option a caller passes is checked here for its type and range, so a wrong value is
a ``ValidationError`` naming the option (never a ``TypeError`` from deep inside httpx, nor
a 500 from a server that choked on it). Text for speech is cleaned as documented in
``speech_text``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from ..constants import MAX_SPEECH_CHARS, MAX_SPEED, MIN_SPEED
from ..errors import ValidationError

# C0 control characters other than tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(what: str, value: Any) -> str:
    """``value`` as text to send: C0 control characters (a null byte, a bell, an escape;
    tab and line breaks are kept) are removed; a lone surrogate (broken Unicode, which no
    server can decode) is refused."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be a string, not {type(value).__name__}")
    broken = _SURROGATE.search(value)
    if broken:
        raise ValidationError(
            f"{what} holds a lone surrogate (\\u{ord(broken.group()):04x}) at position "
            f"{broken.start()}: it is not valid Unicode",
            hint="decode the text with errors='replace', or remove that character",
        )
    return _CONTROL.sub("", value)


def speech_text(text: Any) -> str:
    """The text to speak: cleaned (see ``clean_text``), not empty, at most 4,096 characters."""
    given = text
    text = clean_text("the text", text)
    if not text.strip():
        if isinstance(given, str) and given.strip():
            raise ValidationError(
                "the text holds only control characters, which are removed before sending",
                hint="pass words to speak",
            )
        raise ValidationError("there is no text to speak", hint="pass a non-empty string")
    if len(text) > MAX_SPEECH_CHARS:
        raise ValidationError(
            f"the text is {len(text):,} characters; one request takes at most {MAX_SPEECH_CHARS:,}",
            hint="split it at sentences: client.speech_long(text) does that and joins the audio",
        )
    return text


def name(what: str, value: Any) -> str:
    """A model or voice name: any non-empty string (the service decides what exists)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"no {what} given", hint=f"pass {what}='...'")
    return clean_text(what, value).strip()


def choice(what: str, value: Any, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValidationError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value.lower()


def number(what: str, value: Any, low: float, high: float) -> float:
    """A number in ``[low, high]``; booleans and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValidationError(f"{what} must be a number from {low:g} to {high:g}, not {value!r}")
    if not low <= value <= high:
        raise ValidationError(f"{what} {value!r} is out of range: use {low:g} to {high:g}")
    return float(value)


def speed(value: Any) -> float:
    return number("speed", value, MIN_SPEED, MAX_SPEED)


def optional_text(what: str, value: Any) -> str | None:
    """An optional text field (prompt, language, instructions): None or "" means unset."""
    if value is None:
        return None
    text = clean_text(what, value).strip()
    return text or None


def seconds(what: str, value: Any) -> float:
    """A duration that must be positive (a timeout of 0 would fail every request)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValidationError(f"{what} must be a positive number of seconds, not {value!r}")
    if math.isinf(value):
        raise ValidationError(f"{what} must be finite; pass None to wait without limit")
    return float(value)


def count(what: str, value: Any, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValidationError(f"{what} must be a whole number >= {low}, not {value!r}")
    return value
