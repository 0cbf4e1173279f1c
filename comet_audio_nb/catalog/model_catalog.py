"""ModelCatalog: the model catalog as a DataFrame you can filter, sort and price a job with.

>>> from comet_audio_nb import models
>>> catalog = models()                                          # doctest: +SKIP
>>> catalog.audio().filter(provider="openai").sort("price").df  # doctest: +SKIP
>>> catalog.audio("speech").estimate(characters=50_000)         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from . import matching as match
from .frame import records_frame
from .records import ModelRecord, _feature_key, parse_records
from .source import SAMPLE_LABEL, CatalogSource, describe_age

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ModelCatalog", "CatalogSource", "SAMPLE_LABEL", "describe_age"]


class ModelCatalog:
    """Models of CometAPI's catalog: filter, sort, look up, estimate costs, show as a table.

    Every filter returns a new ModelCatalog, so calls chain; ``.df`` is the pandas view.

    >>> catalog = ModelCatalog.from_raw([
    ...     {"id": "tts-1", "features": ["text-to-speech"], "pricing": {"input": 12}},
    ...     {"id": "tts-1-hd", "features": ["text-to-speech"], "pricing": {"input": 24}},
    ...     {"id": "whisper-1", "model_type": "audio", "pricing": {"per_second": 8e-05}},
    ... ])
    >>> catalog.filter(type="speech", max_price=20).ids
    ['tts-1']
    >>> catalog.sort("price", ascending=False).ids
    ['tts-1-hd', 'tts-1', 'whisper-1']
    """

    def __init__(
        self,
        records: Iterable[ModelRecord],
        source: CatalogSource | None = None,
        *,
        filters: Sequence[str] = (),
        _frame: pd.DataFrame | None = None,
    ) -> None:
        self._records: tuple[ModelRecord, ...] = tuple(records)
        self.source = source or CatalogSource()
        self.filters: tuple[str, ...] = tuple(filters)
        self._frame = _frame

    @classmethod
    def from_raw(cls, items: Iterable[Any], source: CatalogSource | None = None) -> ModelCatalog:
        """A catalog from raw ``/api/models`` records (the ``data`` list); bad ones are
        skipped and listed in ``source.problems``."""
        records, problems = parse_records(items)
        source = replace(source or CatalogSource(), problems=tuple(problems))
        return cls(records, source)

    # -- the table -------------------------------------------------------------------------
    @property
    def df(self) -> pd.DataFrame:
        """One row per model (a copy); ``df.attrs`` says where the data came from."""
        frame = self._table().copy()
        frame.attrs = self._attrs()
        return frame

    def _table(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = records_frame(self._records)
        return self._frame

    def _attrs(self) -> dict[str, Any]:
        s = self.source
        return {
            "source": s.label,
            "sample": s.sample,
            "url": s.url,
            "fetched_at": s.fetched_at.isoformat() if s.fetched_at else None,
            "stale": s.stale,
            "notice": s.notice,
            "filters": list(self.filters),
        }

    @property
    def records(self) -> tuple[ModelRecord, ...]:
        return self._records

    @property
    def ids(self) -> list[str]:
        return [record.id for record in self._records]

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[ModelRecord]:
        return iter(self._records)

    def __contains__(self, model_id: object) -> bool:
        if isinstance(model_id, ModelRecord):
            return model_id in self._records
        return any(record.id == model_id for record in self._records)

    # -- choosing models -------------------------------------------------------------------
    def filter(
        self,
        type: str | Sequence[str] | None = None,
        feature: str | Sequence[str] | None = None,
        provider: str | Sequence[str] | None = None,
        endpoint: str | Sequence[str] | None = None,
        query: str | Sequence[str] | None = None,
        max_price: float | None = None,
        priced_by: str | Sequence[str] | None = None,
    ) -> ModelCatalog:
        """The models that match every given filter; each accepts a list (any of them).

        Text matches ignore case. ``type``: a model_type ("text", "image", "audio", ...);
        "audio" also finds speech models the catalog does not tag as audio, and "speech"
        or "transcription" pick one task. ``feature``: a catalog feature ("text-to-speech";
        spaces and underscores count as hyphens). ``provider``: name or code. ``endpoint``:
        part of an endpoint path ("audio/speech"). ``query``: part of the id, code, name or
        provider. ``priced_by``: "characters", "tokens", "second" or "request".
        ``max_price``: at most this main price (``price``, in the model's own
        ``price_unit``; combine with ``priced_by`` to compare like with like); models
        without a price are left out.

        >>> ModelCatalog.from_raw([{"id": "tts-1", "provider": "OpenAI"}]).filter(
        ...     provider=["openai", "google"], query="TTS").ids
        ['tts-1']
        """
        table = self._table()
        keep = [True] * len(table)
        notes: list[str] = []

        def narrow(name: str, given: Any, test) -> None:
            nonlocal keep
            keep = [k and bool(test(i)) for i, k in enumerate(keep)]
            notes.append(f"{name}={match.show(given)}")

        if type is not None:
            wanted = match.words(type, "type")
            kinds = match.texts(table["model_type"])
            audio = table["is_audio"].tolist()
            tasks = match.texts(table["audio_task"])

            def type_matches(i: int) -> bool:
                for word in wanted:
                    if word == kinds[i] or (word == "audio" and audio[i]):
                        return True
                    if match.TYPE_ALIASES.get(word, "") == tasks[i]:
                        return True
                return False

            narrow("type", type, type_matches)
        if feature is not None:
            wanted_features = {_feature_key(word) for word in match.words(feature, "feature")}
            features = [{_feature_key(f) for f in fs} for fs in table["features"].tolist()]
            narrow("feature", feature, lambda i: not wanted_features.isdisjoint(features[i]))
        if provider is not None:
            wanted_providers = set(match.words(provider, "provider"))
            names = match.folded(table["provider"])
            codes = match.folded(table["provider_code"])
            narrow("provider", provider, lambda i: {names[i], codes[i]} & wanted_providers)
        if endpoint is not None:
            parts = match.words(endpoint, "endpoint")
            paths = ["\n".join(p).casefold() for p in table["endpoints"].tolist()]
            narrow("endpoint", endpoint, lambda i: any(part in paths[i] for part in parts))
        if query is not None:
            words = match.words(query, "query")
            fields = [
                match.folded(table[c]) for c in ("id", "code", "name", "provider", "provider_code")
            ]
            haystacks = ["\n".join(texts) for texts in zip(*fields, strict=True)]
            narrow("query", query, lambda i: any(word in haystacks[i] for word in words))
        if priced_by is not None:
            bases = {match.priced_by(word) for word in match.words(priced_by, "priced_by")}
            basis_of = match.texts(table["priced_by"])
            narrow("priced_by", priced_by, lambda i: basis_of[i] in bases)
        if max_price is not None:
            limit = match.number("max_price", max_price)
            prices = table["price"].tolist()
            narrow("max_price", max_price, lambda i: prices[i] <= limit)  # NaN compares False
        return self._subset([i for i, k in enumerate(keep) if k], notes)

    def audio(self, task: str | None = None) -> ModelCatalog:
        """Speech and transcription models (``task="speech"`` or ``"transcription"`` for one).

        >>> ModelCatalog.from_raw([{"id": "whisper-1"}, {"id": "gpt-4o"}]).audio().ids
        ['whisper-1']
        """
        if task is not None and match.TYPE_ALIASES.get(str(task).strip().lower()) is None:
            raise ValidationError(f"unknown audio task {task!r}: use 'speech' or 'transcription'")
        return self.filter(type=task or "audio")

    def sort(self, by: str | Sequence[str] = "price", ascending: bool = True) -> ModelCatalog:
        """Sorted by one or more columns of ``.df``; missing values last. A leading "-"
        sorts that column in descending order (``sort("-created")``).

        >>> ModelCatalog.from_raw([{"id": "b"}, {"id": "a"}]).sort("id").ids
        ['a', 'b']
        """
        table = self._table()
        names = [by] if isinstance(by, str) else list(by)
        if not names:
            raise ValidationError("sort by which column? e.g. sort('price')")
        columns, orders = [], []
        for name in names:
            descending = isinstance(name, str) and name.startswith("-")
            column = name[1:] if descending else name
            if column not in table.columns or table[column].dtype == object:
                raise ValidationError(
                    f"cannot sort by {column!r}: use a column such as "
                    "price, input_price, output_price, price_per_second, price_per_request, "
                    "usd_per_1m_chars, usd_per_audio_hour, created, id, provider"
                )
            columns.append(column)
            orders.append(ascending != descending)
        order = table.sort_values(columns, ascending=orders, na_position="last", kind="stable")
        note = "sort=" + ",".join(
            ("-" if not o else "") + c for c, o in zip(columns, orders, strict=True)
        )
        return self._subset(order.index.tolist(), [note])

    def head(self, n: int = 10) -> ModelCatalog:
        """The first ``n`` models (after a sort: the top ``n``)."""
        return self._subset(list(range(min(max(n, 0), len(self)))), [f"head={n}"])

    def get(self, model_id: str, provider: str | None = None) -> ModelRecord:
        """The record of one model. When providers share an id (deepseek-r1), the first is
        returned unless ``provider`` (name or code) says which.

        >>> ModelCatalog.from_raw([{"id": "tts-1"}]).get("TTS-1").id
        'tts-1'
        """
        wanted = str(model_id).strip()
        found = [r for r in self._records if r.id == wanted] or [
            r for r in self._records if r.id.casefold() == wanted.casefold()
        ]
        if provider is not None:
            key = provider.strip().casefold()
            found = [
                r
                for r in found
                if key in ((r.provider or "").casefold(), (r.provider_code or "").casefold())
            ]
        if found:
            return found[0]
        close = get_close_matches(wanted, self.ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        where = f" from provider {provider!r}" if provider else ""
        raise KeyError(f"no model {wanted!r}{where} in this catalog{hint}")

    def estimate(
        self,
        characters: float | None = None,
        audio_minutes: float | None = None,
        input_tokens: float | None = None,
        output_tokens: float | None = None,
        requests: float | None = None,
    ) -> pd.DataFrame:
        """What a workload would cost on each model, cheapest first; see
        ``comet_audio_nb.catalog.estimate.estimate_costs`` for the formulas.

        >>> tts = ModelCatalog.from_raw([{"id": "tts-1", "features": ["text-to-speech"],
        ...                              "pricing": {"input": 12}}])
        >>> tts.estimate(characters=10_000).loc[1, "formula"]
        '10,000 characters × $12 / 1M characters = $0.12'
        """
        from .estimate import estimate_costs

        return estimate_costs(
            self,
            characters=characters,
            audio_minutes=audio_minutes,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            requests=requests,
        )

    def _subset(self, positions: list[int], notes: Sequence[str]) -> ModelCatalog:
        table = self._table()
        frame = table.take(positions).reset_index(drop=True)
        records = [self._records[i] for i in positions]
        return ModelCatalog(records, self.source, filters=(*self.filters, *notes), _frame=frame)

    # -- showing ---------------------------------------------------------------------------
    def show(
        self,
        max_rows: int | None = None,
        interactive: bool | None = None,
        columns: str | Sequence[str] | None = None,
    ) -> Any:
        """The table as a notebook shows it, with these options (interactive with itables
        if asked and installed): the last expression of a cell, or ``display(...)`` it.

        ``columns``: None for the few a person compares (id, provider, task, price with
        its unit, normalised price), "all" for every column of ``.df``, or a list of
        ``.df`` column names.

        >>> catalog.show(max_rows=50, interactive=True)          # doctest: +SKIP
        >>> catalog.show(columns="all")                          # doctest: +SKIP
        """
        from .render import CatalogView, shown_columns

        shown_columns(self, columns)  # an unknown column is an error now, not when shown
        return CatalogView(self, max_rows=max_rows, interactive=interactive, columns=columns)

    def __repr__(self) -> str:
        from .render import catalog_text

        return catalog_text(self)

    def _repr_html_(self) -> str:
        from .render import catalog_html

        return catalog_html(self)
