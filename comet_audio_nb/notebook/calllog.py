"""The call log as a table: every request made through the session in this kernel.

>>> from comet_audio_nb.notebook import session
>>> call_log_frame(session.call_log()).columns.tolist()[:6]
['time', 'endpoint', 'model', 'input_size', 'duration', 'status']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..client.calls import CallRecord

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "call_log_frame", "catalog_pricer"]

COLUMNS = (
    "time",
    "endpoint",
    "model",
    "input_size",  # characters spoken, or bytes uploaded
    "duration",  # seconds the call took, retries and waits included
    "status",
    "ok",
    "attempts",
    "request_id",
    "error",
    "estimated_cost",  # USD, where the catalog gives a price that applies; else NaN
    "cost_basis",  # the formula, or why there is no estimate
)

# (cost, formula or reason) for one call; None when no catalog is at hand.
Pricer = Callable[[CallRecord], "tuple[float | None, str]"]


def call_log_frame(
    records: Sequence[CallRecord],
    price: Pricer | None = None,
    *,
    sample_prices: str | bool | None = None,
) -> pd.DataFrame:
    """One row per call, by start time (concurrent calls finish out of order), with typed
    columns (times in UTC). A ``PricedFrame``: its notebook view shows the formulas' "$"
    as written and, when ``sample_prices`` is given (True, or why), says the costs come
    from sample data."""
    import pandas as pd

    from ..catalog import SAMPLE_LABEL
    from ..catalog.priced_frame import PricedFrame

    rows = []
    for record in records:
        cost, basis = price(record) if price is not None else (None, "")
        rows.append(
            {
                "time": record.time,
                "endpoint": record.endpoint,
                "model": record.model,
                "input_size": record.input_size,
                "duration": record.elapsed,
                "status": record.status,
                "ok": record.ok,
                "attempts": record.attempts,
                "request_id": record.request_id,
                "error": record.error,
                "estimated_cost": cost,
                "cost_basis": basis,
            }
        )
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    for name in ("input_size", "status", "attempts"):
        frame[name] = pd.to_numeric(frame[name]).astype("Int64")
    for name in ("duration", "estimated_cost"):
        frame[name] = pd.to_numeric(frame[name]).astype("float64")
    frame["ok"] = frame["ok"].astype(bool)
    for name in ("endpoint", "model", "request_id", "error", "cost_basis"):
        frame[name] = frame[name].astype("string")
    frame = PricedFrame(frame.sort_values("time", kind="stable").reset_index(drop=True))
    if sample_prices:
        why = sample_prices if isinstance(sample_prices, str) else None
        frame.attrs.update(sample=True, source=SAMPLE_LABEL, notice=why)
    return frame


def catalog_pricer(records: Iterable[Any]) -> Pricer:
    """Price calls from catalog records (``CometClient.models()``), where a price applies.

    The catalog's own pricing rules (``catalog.pricing.price_facts``) say how a model is
    priced. Speech from character-priced models (tts-1, tts-1-hd): characters × price / 1M.
    Request-priced models: that price. Token- and second-priced calls are estimated from
    the ``usage`` the service reported with the answer (tokens in and out, or seconds of
    audio), and otherwise not estimated, saying why.

    >>> from comet_audio_nb.catalog import parse_record
    >>> price = catalog_pricer([parse_record({"id": "tts-1", "pricing": {"input": 12}})])
    >>> from datetime import datetime, timezone
    >>> call = CallRecord(datetime.now(timezone.utc), "audio/speech", "tts-1", 500, 200,
    ...                   True, 1, 0.4)
    >>> price(call)
    (0.006, '500 characters × $12 / 1M characters')
    """
    from ..catalog.pricing import price_facts

    by_id: dict[str, Any] = {}
    for record in records:
        by_id.setdefault(record.id, record)

    def price(call: CallRecord) -> tuple[float | None, str]:
        if not call.ok:
            return None, "failed call"
        record = by_id.get(call.model or "")
        facts = price_facts(record) if record is not None else None
        if facts is None or facts.priced_by is None or facts.price is None:
            return None, "no price in the catalog"
        basis, amount, size = facts.priced_by, facts.price, call.input_size
        used = _from_usage(record, call.usage or {})
        if used is not None:
            return used
        if basis == "characters" and call.endpoint == "audio/speech" and size is not None:
            return size * amount / 1e6, f"{size:,} characters × ${amount:g} / 1M characters"
        if basis == "request":
            return amount, f"1 request × ${amount:g}"
        if basis == "second":
            return None, "priced per second of audio; the log does not know the seconds"
        return None, "priced per token; the log does not know the tokens"

    return price


def _from_usage(record: Any, usage: dict[str, Any]) -> tuple[float, str] | None:
    """The cost from the service's own count (``usage``), when it gave one that fits.

    The count decides the basis: tokens are priced by the token prices, seconds by the
    per-second price, whichever the catalog's main price is."""
    pricing = getattr(record, "pricing", None)
    if pricing is None or not usage:
        return None
    tokens_in = _count(usage.get("input_tokens"))
    tokens_out = _count(usage.get("output_tokens"))
    priced_tokens = pricing.input is not None or pricing.output is not None
    if usage.get("type", "tokens") == "tokens" and priced_tokens:
        if tokens_in is None and tokens_out is None:
            return None
        price_in, price_out = pricing.input or 0.0, pricing.output or 0.0
        cost = ((tokens_in or 0) * price_in + (tokens_out or 0) * price_out) / 1e6
        return cost, (
            f"{tokens_in or 0:,} input tokens × ${price_in:g} + {tokens_out or 0:,} output "
            f"tokens × ${price_out:g}, per 1M (the service's usage)"
        )
    seconds = usage.get("seconds") if usage.get("type") == "duration" else None
    if isinstance(seconds, (int, float)) and pricing.per_second is not None:
        per_second = pricing.per_second
        return seconds * per_second, f"{seconds:g} s of audio × ${per_second:g} / s (usage)"
    return None


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
