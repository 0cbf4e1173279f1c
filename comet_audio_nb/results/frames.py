"""Segment and word records as typed DataFrames (pandas imported on use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Segment and word fields that are numbers, even when a server sends them as strings.
NUMERIC_FIELDS = frozenset(
    {"start", "end", "seek", "temperature", "probability"}
    | {"avg_logprob", "compression_ratio", "no_speech_prob"}
)


def records_frame(records: list[dict], leading: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    rows = [r for r in records if isinstance(r, dict)]
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    for name in leading:
        if name not in frame.columns:
            frame[name] = pd.Series(dtype=object)
    frame = frame[[*leading, *(c for c in frame.columns if c not in leading)]]
    for name in frame.columns:
        column = frame[name]
        if name in NUMERIC_FIELDS:
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif name in ("text", "word"):
            frame[name] = column.map(lambda v: v if isinstance(v, str) else "").astype(str)
        elif name == "id":
            numbers = pd.to_numeric(column, errors="coerce")
            whole = numbers.notna().all() and (numbers % 1 == 0).all()
            if whole and (numbers.abs() < 2**53).all():  # int64 without silent wrap-around
                frame[name] = numbers.astype("int64")
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            frame[name] = column.astype("float64")
    return frame
