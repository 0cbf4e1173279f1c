"""Token log-probabilities (``include=["logprobs"]``): a table, and text shaded by confidence.

The gpt-4o transcribe models answer ``"logprobs": [{"token", "logprob", "bytes"}, ...]``
when asked. ``probability`` is ``exp(logprob)``; tokens under a threshold are shaded in
the transcript's HTML view, the less likely the darker.

>>> records = [{"token": "Hello", "logprob": -0.01}, {"token": " wrold", "logprob": -2.3}]
>>> logprob_frame(records)[["token", "probability"]].round(2).values.tolist()
[['Hello', 0.99], [' wrold', 0.1]]
>>> "wrold</span>" in shaded_html(records, threshold=0.5)
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .display import display_options
from .values import as_float

if TYPE_CHECKING:
    import pandas as pd

LOGPROB_COLUMNS = ("token", "logprob", "probability")
DEFAULT_THRESHOLD = 0.5  # tokens less likely than this are shaded
MAX_SHADED_TOKENS = 5_000  # a transcript's view stays small; .logprobs has them all


def logprob_records(value: Any) -> list[dict]:
    """The ``logprobs`` list of an answer or event, each entry a dict with a ``token``."""
    if not isinstance(value, list):
        return []
    return [dict(item) for item in value if isinstance(item, dict) and "token" in item]


def probability(record: dict) -> float | None:
    logprob = as_float(record.get("logprob"))
    return math.exp(min(0.0, logprob)) if logprob is not None else None


def logprob_frame(records: Iterable[dict]) -> pd.DataFrame:
    """``token``, ``logprob`` and ``probability`` per token (then any other fields sent)."""
    import pandas as pd

    rows = []
    for record in records:
        row = {
            "token": record.get("token") if isinstance(record.get("token"), str) else "",
            "logprob": as_float(record.get("logprob")),
            "probability": probability(record),
        }
        row.update({k: v for k, v in record.items() if k not in row})
        rows.append(row)
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=LOGPROB_COLUMNS)
    frame["token"] = frame["token"].astype("string")
    for name in ("logprob", "probability"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return frame


def shaded_html(records: Iterable[dict], *, threshold: float = DEFAULT_THRESHOLD) -> str:
    """The tokens as HTML, each under ``threshold`` in a shaded ``<span>`` whose title says
    how likely it was (the text itself is escaped; MathJax is kept out by the caller's
    container)."""
    parts = []
    for record in records:
        token = record.get("token")
        if not isinstance(token, str):
            continue
        chance = probability(record)
        text = html.escape(token)
        if chance is None or chance >= threshold:
            parts.append(text)
            continue
        # The less likely, the stronger the shade (0.15 to 0.6 opacity of an amber).
        strength = 0.15 + 0.45 * (1 - chance / threshold) if threshold > 0 else 0.6
        parts.append(
            f'<span class="comet-audio-low-confidence" title="p = {chance:.2f}" '
            f'style="background:rgba(255,170,0,{strength:.2f});border-radius:2px">{text}</span>'
        )
    return "".join(parts)


def word_confidence(word: dict) -> float | None:
    """A timed word's confidence: its ``probability``, else ``exp(logprob)``, where sent."""
    chance = as_float(word.get("probability", word.get("confidence")))
    if chance is not None:
        return chance
    return probability(word) if "logprob" in word else None


def confidence_html(records: list[dict], *, threshold: float | None = None) -> str | None:
    """A transcript's text as HTML with its low-confidence tokens shaded, for the
    transcript view; None when there are no log-probabilities (or shading is off:
    ``display_options.low_confidence = 0``)."""
    threshold = display_options.low_confidence if threshold is None else threshold
    if not records or not threshold:
        return None
    shaded = shaded_html(records[:MAX_SHADED_TOKENS], threshold=threshold)
    more = "…" if len(records) > MAX_SHADED_TOKENS else ""
    return f'<div style="white-space:pre-wrap">{shaded}{more}</div>'
