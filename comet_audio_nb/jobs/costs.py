"""What a job's requests cost, estimated from the model catalog, per model, in its own unit.

Speech is priced per character of text and transcription per second of audio (or per token,
which the catalog cannot turn into a price for audio: the estimate then says so). Costs are
in the catalog's currency (USD) whatever unit the model is priced in; the formula shows the
arithmetic. CometAPI's catalog needs no key; when it cannot be reached (and no copy is
kept), the built-in engine's sample catalog stands in and every label says it is sample data.

>>> from comet_audio_nb.catalog import ModelCatalog
>>> book = PriceBook(ModelCatalog.from_raw([{"id": "tts-1", "pricing": {"input": 12},
...                                          "features": ["text-to-speech"]}]))
>>> book.speech("tts-1", 1000)
Estimate(cost=0.012, formula='1,000 characters × $12 / 1M characters = $0.012', note='')
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import CometError

if TYPE_CHECKING:
    from ..catalog import ModelCatalog

__all__ = ["Estimate", "PriceBook", "price_book"]

# After CometAPI's catalog failed to answer, use the sample for this long before asking
# again (each try costs the client's retries).
RETRY_CATALOG_AFTER = 300.0
_unreachable_until: dict[str, float] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Estimate:
    """One model's estimated cost: NaN when the catalog cannot price it (``note`` says why)."""

    cost: float = math.nan
    formula: str = ""
    note: str = ""


class PriceBook:
    """Prices of the models a job used, from one catalog (or none: every cost NaN)."""

    def __init__(self, catalog: ModelCatalog | None, problem: str = "") -> None:
        self.catalog = catalog
        self.problem = problem

    @property
    def sample(self) -> bool:
        """Whether the prices are the built-in engine's sample data, not live prices."""
        return bool(self.catalog is not None and self.catalog.source.sample)

    @property
    def label(self) -> str:
        """Where the prices come from, for a caption (says "sample data" when they are)."""
        if self.catalog is None:
            return f"no prices: {self.problem}" if self.problem else "no prices"
        return f"prices: {self.catalog.source.label}"

    def speech(self, model: str, characters: int) -> Estimate:
        return self._estimate(model, characters=characters)

    def transcription(self, model: str, seconds: float | None) -> Estimate:
        if seconds is None or not math.isfinite(seconds):
            return Estimate(note="the audio's length is unknown")
        return self._estimate(model, audio_minutes=seconds / 60)

    def per_audio_hour(self, model: str) -> float:
        """The catalog's normalised transcription price (USD per hour of audio), or NaN."""
        record = self._record(model)
        if record is None:
            return math.nan
        from ..catalog.pricing import price_facts

        value = price_facts(record).usd_per_audio_hour
        return math.nan if value is None else float(value)

    def _record(self, model: str) -> Any:
        if self.catalog is None:
            return None
        try:
            return self.catalog.get(model)
        except KeyError:
            return None

    def _estimate(self, model: str, **work: Any) -> Estimate:
        record = self._record(model)
        if record is None:
            why = self.problem if self.catalog is None else "not in the catalog"
            return Estimate(note=why or "no catalog")
        from ..catalog import ModelCatalog

        one = ModelCatalog([record], self.catalog.source)
        row = one.estimate(**work).iloc[0]
        cost = float(row["estimated_cost"])
        note, formula = _text(row["note"]), _text(row["formula"])
        if formula and row["coverage"] == "partial":  # say it is a lower bound, and why
            formula = f"{formula} (at least: {note})"
        return Estimate(cost, formula, note)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""  # pandas gives NA for "no formula"


def price_book(client: Any = None) -> PriceBook:
    """The catalog to price with: the one ``models()`` reads for ``client``'s settings
    (CometAPI's, with no base URL set), else the built-in engine's sample, labelled."""
    from ..catalog import models

    base_url = None
    settings = getattr(client, "settings", None)
    if settings is not None and settings.base_url_source != "default":
        base_url = settings.base_url
    where = base_url or "cometapi"
    with _lock:
        skip = _unreachable_until.get(where, 0.0) > time.monotonic()
    try:
        if skip:  # it failed a moment ago: do not wait for its retries again
            return PriceBook(models(source="local", notice=False))
        catalog = models(base_url=base_url, fallback="local", notice=False)
    except CometError as error:
        return PriceBook(None, f"no catalog could be read ({error.message})")
    except ImportError:
        return PriceBook(None, "the catalog is unreachable and the built-in engine is missing")
    if catalog.source.sample and base_url is None or catalog.source.stale:
        with _lock:
            _unreachable_until[where] = time.monotonic() + RETRY_CATALOG_AFTER
    return PriceBook(catalog)
