"""CometAPI's model catalog and prices: fetch, filter, sort, and estimate a workload's cost.

>>> from comet_audio_nb.catalog import models
>>> catalog = models()                                      # doctest: +SKIP
>>> speech = catalog.audio("speech").sort("usd_per_1m_chars")  # doctest: +SKIP
>>> speech.estimate(characters=200_000).head()              # doctest: +SKIP

::

    records.py       one /api/models record → ModelRecord (liberal parsing)
    pricing.py       audio task, pricing basis, comparable prices of a record
    frame.py         records → a typed DataFrame
    source.py        CatalogSource: where a catalog came from, its label
    matching.py      how filter arguments are read (words, aliases, numbers)
    model_catalog.py ModelCatalog: filter, sort, get, estimate, reprs
    estimate.py      cost of a workload per model, with the formula
    priced_frame.py  PricedFrame: a DataFrame of costs that says where its prices come from
    render.py        plain text and HTML views
    cache.py         memory and disk copies with a time-to-live
    fetch.py         models(): where the catalog comes from, fallbacks

Importing this package is cheap: pandas loads when a table is first needed.
"""

from __future__ import annotations

from .cache import cache_dir, clear_cache
from .fetch import catalog_url, models
from .model_catalog import ModelCatalog
from .records import ModelRecord, Pricing, parse_record, parse_records
from .render import display_options
from .source import SAMPLE_LABEL, CatalogSource

__all__ = [
    "ModelRecord",
    "Pricing",
    "parse_record",
    "parse_records",
    "ModelCatalog",
    "CatalogSource",
    "models",
    "catalog_url",
    "cache_dir",
    "clear_cache",
    "display_options",
    "SAMPLE_LABEL",
]
