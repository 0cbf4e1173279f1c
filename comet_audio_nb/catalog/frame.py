"""Catalog records as one typed pandas DataFrame: one row per model, key column first.

>>> from comet_audio_nb.catalog import parse_record
>>> df = records_frame([parse_record({"id": "whisper-1", "pricing": {"per_second": 8e-05}})])
>>> df.loc[0, ["id", "priced_by", "price_unit"]].tolist(), float(df.loc[0, "price_per_second"])
(['whisper-1', 'second', 'USD / second'], 8e-05)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .pricing import price_facts
from .records import ModelRecord

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["records_frame", "COLUMNS", "PRICE_COLUMNS"]

STRING_COLUMNS = (
    "id",
    "name",
    "provider",
    "provider_code",
    "model_type",
    "audio_task",
    "priced_by",
    "price_unit",
    "currency",
    "api_doc_url",
    "code",
    "description",
)
PRICE_COLUMNS = (
    "price",
    "input_price",
    "output_price",
    "price_per_request",
    "price_per_second",
    "usd_per_1m_chars",
    "usd_per_audio_hour",
)
# The order users see; extra fields of the records follow, as given.
COLUMNS = (
    "id",
    "name",
    "provider",
    "provider_code",
    "model_type",
    "audio_task",
    "is_audio",
    "features",
    "endpoints",
    "priced_by",
    "price",
    "price_unit",
    "input_price",
    "output_price",
    "price_per_request",
    "price_per_second",
    "usd_per_1m_chars",
    "usd_per_audio_hour",
    "currency",
    "ratio",
    "created",
    "upcoming",
    "api_doc_url",
    "code",
    "description",
)


def records_frame(records: Sequence[ModelRecord]) -> pd.DataFrame:
    """One row per record with typed columns: strings (``string``), prices (``float64``,
    NaN where the catalog has none: never 0), ``created`` (UTC datetimes), ``features``
    and ``endpoints`` (lists). Fields the parser does not know become columns of their own,
    values as given (renamed ``extra_<name>`` if the name is taken).
    """
    import pandas as pd

    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    extra_names: dict[str, str] = {}
    extras: list[Any] = []
    for record in records:
        facts = price_facts(record)
        pricing = record.pricing
        row = columns
        row["id"].append(record.id)
        row["name"].append(record.name)
        row["provider"].append(record.provider)
        row["provider_code"].append(record.provider_code)
        row["model_type"].append(record.model_type)
        row["audio_task"].append(facts.task)
        row["is_audio"].append(facts.is_audio)
        row["features"].append(list(record.features))
        row["endpoints"].append(_paths(record))
        row["priced_by"].append(facts.priced_by)
        row["price"].append(facts.price)
        row["price_unit"].append(facts.price_unit)
        row["input_price"].append(pricing.input if pricing else None)
        row["output_price"].append(pricing.output if pricing else None)
        row["price_per_request"].append(pricing.per_request if pricing else None)
        row["price_per_second"].append(pricing.per_second if pricing else None)
        row["usd_per_1m_chars"].append(facts.usd_per_1m_chars)
        row["usd_per_audio_hour"].append(facts.usd_per_audio_hour)
        row["currency"].append(pricing.currency if pricing else None)
        row["ratio"].append(pricing.ratio if pricing else None)
        row["created"].append(record.created)
        row["upcoming"].append(record.upcoming)
        row["api_doc_url"].append(record.api_doc_url)
        row["code"].append(record.code)
        row["description"].append(record.description)
        for key in record.extra:
            if key not in extra_names:
                name = str(key)
                extra_names[key] = f"extra_{name}" if name in columns else name
        extras.append(record.extra)

    data: dict[str, Any] = {}
    for name, values in columns.items():
        if name in STRING_COLUMNS:
            data[name] = pd.array(values, dtype="string")
        elif name in PRICE_COLUMNS or name == "ratio":
            data[name] = pd.array([float("nan") if v is None else v for v in values], "float64")
        elif name == "created":
            data[name] = pd.array(values, dtype="datetime64[us, UTC]")
        elif name in ("upcoming", "is_audio"):
            data[name] = pd.array(values, dtype="bool")
        else:
            data[name] = _object_array(values)
    for key, name in extra_names.items():
        data[name] = _object_array([extra.get(key) for extra in extras])
    index = pd.RangeIndex(len(records))
    return pd.DataFrame({name: _series(pd, values, index) for name, values in data.items()})


def _series(pd, values: Any, index: Any):
    # dtype=object for object arrays: pandas 3 would infer "str" and turn None into NaN
    import numpy as np

    dtype = object if isinstance(values, np.ndarray) and values.dtype.kind == "O" else None
    return pd.Series(values, index=index, dtype=dtype, copy=False)


def _paths(record: ModelRecord) -> list[str]:
    return list(dict.fromkeys(e["path"] for e in record.endpoints if e["path"]))


def _object_array(values: list[Any]):
    """An object column that keeps lists and dicts as single cells."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
