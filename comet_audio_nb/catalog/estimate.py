"""Cost estimates: what a workload would cost on each model, with the formula shown.

A budget guard, as CometAPI advises, not an invoice: text is counted as characters / 4
tokens; audio by the second where a per-second price is given; requests × per-request.
Each row says how far the model's pricing covers the workload: "full", "partial" (the
cost is a lower bound: some part, such as the audio output tokens of gpt-4o-mini-tts,
cannot be priced from the catalog) or "none" (no estimate, and the note says why).

>>> from comet_audio_nb.catalog import ModelCatalog
>>> catalog = ModelCatalog.from_raw([
...     {"id": "tts-1", "features": ["text-to-speech"], "pricing": {"input": 12}},
...     {"id": "whisper-1", "model_type": "audio", "pricing": {"per_second": 8e-05}}])
>>> table = catalog.estimate(characters=100_000)
>>> table[["id", "estimated_cost", "coverage"]].values.tolist()
[['tts-1', 1.2, 'full'], ['whisper-1', nan, 'none']]
>>> table.loc[1, "formula"]
'100,000 characters × $12 / 1M characters = $1.2'
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from .pricing import CHARS_PER_TOKEN

if TYPE_CHECKING:
    import pandas as pd

    from .model_catalog import ModelCatalog

__all__ = ["estimate_costs", "COVERAGE"]

COVERAGE = ("full", "partial", "none")
COLUMNS = (
    "id",
    "provider",
    "audio_task",
    "priced_by",
    "estimated_cost",
    "currency",
    "coverage",
    "formula",
    "note",
)

_NEEDED = (
    "id",
    "provider",
    "audio_task",
    "priced_by",
    "price_unit",
    "input_price",
    "output_price",
    "price_per_second",
    "price_per_request",
)


def estimate_costs(
    catalog: ModelCatalog,
    *,
    characters: float | None = None,
    audio_minutes: float | None = None,
    input_tokens: float | None = None,
    output_tokens: float | None = None,
    requests: float | None = None,
) -> pd.DataFrame:
    """One row per model of ``catalog``, ranked: fully covered estimates cheapest first,
    then partial ones (lower bounds), then models the workload cannot be priced on.

    Columns: id, provider, audio_task, priced_by, estimated_cost, currency, coverage,
    formula (the arithmetic, e.g. "600 s of audio × $0.00008 / s") and note (what is
    missing). The index is the rank, from 1. ``attrs`` holds the workload and the source.
    The table is a ``PricedFrame``: a DataFrame whose notebook view shows its dollars and
    whole formulas, under a line saying so when the prices are sample data.
    """
    import pandas as pd

    workload = {
        "characters": _amount("characters", characters),
        "audio_minutes": _amount("audio_minutes", audio_minutes),
        "input_tokens": _amount("input_tokens", input_tokens),
        "output_tokens": _amount("output_tokens", output_tokens),
        "requests": _amount("requests", requests),
    }
    if all(value is None for value in workload.values()):
        raise ValidationError(
            "no workload to estimate",
            hint="give characters=, audio_minutes=, input_tokens=, output_tokens= or requests=",
        )
    table = catalog._table()[list(_NEEDED)]
    rows = []
    for row in table.itertuples(index=False):
        cost, coverage, formula, note = _estimate_row(row._asdict(), workload)
        rows.append(
            {
                "id": row.id,
                "provider": row.provider,
                "audio_task": row.audio_task,
                "priced_by": row.priced_by,
                "estimated_cost": cost,
                "currency": _money(row.price_unit),
                "coverage": coverage,
                "formula": formula,
                "note": note,
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for name in ("id", "provider", "audio_task", "priced_by", "currency", "formula", "note"):
        frame[name] = frame[name].astype("string")
    frame["estimated_cost"] = frame["estimated_cost"].astype("float64")
    frame["coverage"] = pd.Categorical(frame["coverage"], categories=COVERAGE, ordered=True)
    frame = frame.sort_values(
        ["coverage", "estimated_cost", "id"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="rank")
    from .priced_frame import PricedFrame

    costs = PricedFrame(frame)
    costs.attrs = {
        "workload": {k: v for k, v in workload.items() if v is not None},
        **catalog._attrs(),
    }
    return costs


def _estimate_row(row: dict[str, Any], work: dict[str, float | None]):
    """(cost, coverage, formula, note) for one model."""
    basis = _text(row["priced_by"])
    if basis is None:
        return math.nan, "none", "", "no price in the catalog"
    money = _money(row["price_unit"])
    chars, minutes = work["characters"], work["audio_minutes"]
    tokens_in, tokens_out, requests = work["input_tokens"], work["output_tokens"], work["requests"]
    input_price, output_price = _price(row["input_price"]), _price(row["output_price"])
    per_second, per_request = _price(row["price_per_second"]), _price(row["price_per_request"])
    task = _text(row["audio_task"])
    parts: list[tuple[float, str]] = []
    missing: list[str] = []

    if basis == "characters":
        if chars is not None:
            parts.append(_part(chars, "characters", input_price, "1M characters", money, 1e6))
        elif tokens_in is not None:
            count = tokens_in * CHARS_PER_TOKEN
            text = f"{_count(count)} characters (≈ {_count(tokens_in)} tokens × {CHARS_PER_TOKEN})"
            parts.append(_part(count, text, input_price, "1M characters", money, 1e6, raw=True))
        else:
            missing.append("priced per character: give characters=")
    elif basis == "tokens":
        if input_price is not None:
            if tokens_in is not None:
                parts.append(_part(tokens_in, "input tokens", input_price, "1M", money, 1e6))
            elif task == "transcription":
                missing.append("priced per token of audio, with no per-second price")
            elif chars is not None:
                count = chars / CHARS_PER_TOKEN
                text = f"{_count(count)} input tokens (≈ {_count(chars)} chars ÷ {CHARS_PER_TOKEN})"
                parts.append(_part(count, text, input_price, "1M", money, 1e6, raw=True))
            elif input_price > 0:
                missing.append("priced per token: give input_tokens= or characters=")
        if output_price is not None and output_price > 0:
            if tokens_out is not None:
                parts.append(_part(tokens_out, "output tokens", output_price, "1M", money, 1e6))
            elif task == "speech":
                missing.append("audio output tokens are not in the estimate")
            else:
                missing.append("output tokens not given (output_tokens=)")
    elif basis == "second":
        if task is None:
            missing.append("priced per second of generated media, not of audio")
        elif minutes is not None:
            parts.append(_part(minutes * 60, "s of audio", per_second, "s", money, 1))
        else:
            missing.append("priced per second of audio: give audio_minutes=")
    if per_request is not None and (basis == "request" or per_request > 0):
        if requests is not None:
            parts.append(_part(requests, "requests", per_request, "request", money, 1))
        else:
            missing.append("priced per request: give requests=")

    if not parts:
        return math.nan, "none", "", "; ".join(missing) or "the workload does not apply"
    cost = sum(amount for amount, _ in parts)
    formula = " + ".join(text for _, text in parts) + f" = {_dollars(cost, money)}"
    return cost, "partial" if missing else "full", formula, "; ".join(missing)


def _part(
    count: float,
    what: str,
    price: float | None,
    per: str,
    money: str,
    scale: float,
    raw: bool = False,
) -> tuple[float, str]:
    price = price or 0.0
    label = what if raw else f"{_count(count)} {what}"
    return count * price / scale, f"{label} × {_dollars(price, money)} / {per}"


def _amount(what: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(f"{what} must be a number, not {value!r}")
    if not (math.isfinite(value) and value >= 0):
        raise ValidationError(f"{what} must be zero or more, not {value!r}")
    return value


def _price(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # NaN: no price


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _money(price_unit: Any) -> str:
    return price_unit.split(" ", 1)[0] if isinstance(price_unit, str) else "USD"


def _count(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.2f}"


def _dollars(value: float, money: str) -> str:
    """$12, $0.00008, $1.5; other currencies as "0.5 CNY"."""
    text = f"{value:.6g}" if value >= 1e-4 or value == 0 else f"{value:.3g}"
    if "e" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return f"${text}" if money == "USD" else f"{text} {money}"
