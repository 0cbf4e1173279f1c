"""``models()``: CometAPI's public model catalog as a ModelCatalog, cached.

The catalog needs no key, so it comes from CometAPI (``https://api.cometapi.com/api/models``,
or beside ``$COMETAPI_BASE_URL``) even when speech and transcription run on the built-in
engine. ``source="local"`` shows the built-in engine's catalog instead: sample data,
labelled as such everywhere. ``fallback="local"`` does so only when the catalog cannot be
reached and no copy is cached (what ``%comet_models`` and ``ModelExplorer`` do).

>>> from comet_audio_nb import models
>>> models().audio().sort("price")                  # doctest: +SKIP
>>> models(source="local")                          # doctest: +SKIP
ModelCatalog: 6 models · SAMPLE DATA FROM THE BUILT-IN ENGINE — NOT LIVE PRICES
>>> models(fallback="local")                        # offline   # doctest: +SKIP
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from ..config import resolve_settings
from ..errors import APIConnectionError, CometError, ServerError, ValidationError
from . import cache as store
from .model_catalog import ModelCatalog
from .records import parse_records
from .source import CatalogSource, describe_age

__all__ = ["models", "SOURCES", "FALLBACKS"]

SOURCES = ("cometapi", "local")
FALLBACKS = (None, "local")
CATALOG_TIMEOUT = 30.0  # seconds; a catalog that takes longer is as good as unreachable
SAMPLE_MARK = "local-sample"  # the built-in engine's envelope says "source": "local-sample"

# url -> the last catalog built from the kept download, so repeated calls reuse its table
_built: dict[str, ModelCatalog] = {}
_built_lock = threading.Lock()


def models(
    source: str = "cometapi",
    *,
    base_url: str | None = None,
    refresh: bool = False,
    ttl: float | timedelta | None = None,
    cache: bool = True,
    timeout: float = CATALOG_TIMEOUT,
    fallback: str | None = None,
    notice: bool = True,
) -> ModelCatalog:
    """The whole model catalog (every page), from memory or disk if fetched within ``ttl``.

    ``source``: "cometapi" (the live catalog; no key needed) or "local" (the built-in
    engine's sample catalog). ``base_url``: another CometAPI-compatible service (its
    ``/v1`` base; the catalog lives beside it at ``/api/models``). ``refresh=True``
    downloads afresh; ``cache=False`` neither reads nor keeps copies. ``ttl``: seconds
    or a timedelta (default one day, or ``$COMET_AUDIO_NB_CATALOG_TTL``). When the
    service cannot be reached (no connection, a timeout, or 5xx after retries) an older
    copy is used, however old, with a one-line notice of its age. With no copy either,
    the error says so, unless ``fallback="local"``: then the built-in engine's sample
    catalog stands in, labelled as sample data, with a notice saying why.

    Notices go to ``client.launcher.notice_sink`` (stderr; a quiet line in a notebook
    after ``%load_ext``) and into ``source.notice``, which every view of the catalog
    shows; ``notice=False`` leaves them to the views.

    >>> catalog = models(refresh=True)                          # doctest: +SKIP
    >>> catalog.filter(type="audio", provider="openai").df      # doctest: +SKIP
    """
    if fallback not in FALLBACKS:
        raise ValidationError(f"unknown fallback {fallback!r}: use None or 'local'")
    where, client_base, sample = _resolve(source, base_url)
    ttl = store.as_ttl(ttl)
    if cache and not refresh:
        kept = store.from_memory(where)
        if kept is not None and kept.fresh(ttl):
            return _from_kept(kept, cached="memory")
        kept = None if sample else store.from_disk(where)
        if kept is not None and kept.fresh(ttl):
            store.keep(kept, disk=False)
            return _from_kept(kept, cached="disk")
    try:
        records, items, problems, said_sample = _download(client_base, timeout)
    except (APIConnectionError, ServerError) as error:
        kept = _newest(where) if cache else None
        if kept is None:
            if fallback == "local" and not sample:
                return _sample_instead(error, where, cache=cache, timeout=timeout, say=notice)
            raise _unreachable(error, where) from error
        text = (
            "comet-audio-nb: the model catalog could not be reached "
            f"({describe_failure(error)}); "
            f"using the copy cached {describe_age(kept.age().total_seconds())} ago "
            f"({kept.fetched_at:%Y-%m-%d %H:%M} UTC)"
        )
        if notice:
            _say(text)
        where_from = "memory" if kept is store.from_memory(where) else "disk"
        return _from_kept(kept, cached=where_from, stale=True, notice=text)
    kept = store.CachedCatalog(where, datetime.now(timezone.utc), items, sample or said_sample)
    source_info = CatalogSource(where, kept.fetched_at, kept.sample, problems=tuple(problems))
    catalog = ModelCatalog(records, source_info)
    if cache:
        store.keep(kept, disk=not kept.sample)
        with _built_lock:
            _built[where] = catalog
    return catalog


def catalog_url(source: str = "cometapi", base_url: str | None = None) -> str:
    """The URL ``models()`` would read, without fetching it."""
    if _source(source) == "local" and base_url is None:
        from ..client.launcher import local_engine_url

        base_url = local_engine_url(notice=False)
    return resolve_settings(base_url=base_url).catalog_url


def _resolve(source: str, base_url: str | None) -> tuple[str, str | None, bool]:
    """(catalog URL, base URL for the client, known to be sample data)."""
    kind = _source(source)
    if kind == "local":
        if base_url is not None:
            raise CometError("pass either source='local' or base_url=, not both")
        where = catalog_url("local")
        return where, where.removesuffix("/api/models") + "/v1", True
    return resolve_settings(base_url=base_url).catalog_url, base_url, False


def _source(source: str) -> str:
    kind = str(source).strip().lower()
    if kind in ("cometapi", "live", "remote"):
        return "cometapi"
    if kind in ("local", "sample", "engine"):
        return "local"
    raise ValidationError(f"unknown catalog source {source!r}: use 'cometapi' or 'local'")


def _download(base_url: str | None, timeout: float):
    """(records, raw items, problems, whether the envelope says it is sample data)."""
    from ..client import CometClient

    with CometClient(base_url=base_url, timeout=timeout) as client:
        pages = client.catalog_pages()
    items = [item for envelope in pages for item in envelope["data"]]
    records, problems = parse_records(items)
    sample = any(envelope.get("source") == SAMPLE_MARK for envelope in pages)
    return records, items, problems, sample


def _from_kept(
    kept: store.CachedCatalog, *, cached: str, stale: bool = False, notice: str | None = None
) -> ModelCatalog:
    with _built_lock:
        built = _built.get(kept.url)
    if built is None or built.source.fetched_at != kept.fetched_at:
        records, problems = parse_records(kept.data)
        source = CatalogSource(kept.url, kept.fetched_at, kept.sample, problems=tuple(problems))
        built = ModelCatalog(records, source)
        with _built_lock:
            _built[kept.url] = built
    source = CatalogSource(
        kept.url, kept.fetched_at, kept.sample, cached, stale, notice, built.source.problems
    )
    return ModelCatalog(built.records, source, _frame=built._table())


def _sample_instead(
    error: CometError, url: str, *, cache: bool, timeout: float, say: bool
) -> ModelCatalog:
    """The built-in engine's sample catalog, for a catalog that cannot be reached."""
    try:
        sample = models("local", cache=cache, timeout=timeout, notice=False)
    except CometError:  # no engine either: the catalog's own error says more
        raise _unreachable(error, url) from error
    why = describe_failure(error)
    text = (
        f"comet-audio-nb: the model catalog at {url} could not be reached ({why}) "
        "and no copy is cached; showing the built-in engine's sample catalog instead"
    )
    if say:
        _say(text)
    source = replace(sample.source, notice=text)
    return ModelCatalog(sample.records, source, _frame=sample._table())


def _say(text: str) -> None:
    from ..client import launcher  # the client package loads httpx: not at import time

    launcher.notice_sink(text)


def _newest(url: str) -> store.CachedCatalog | None:
    copies = [c for c in (store.from_memory(url), store.from_disk(url)) if c is not None]
    return max(copies, key=lambda c: c.fetched_at) if copies else None


def describe_failure(error: CometError) -> str:
    """Why a catalog could not be fetched, in a few words: "no connection", "HTTP 503"."""
    if isinstance(error, APIConnectionError):
        return "no answer in time" if "time" in type(error).__name__.lower() else "no connection"
    return f"HTTP {getattr(error, 'status', None) or 'error'}"


def _unreachable(error: CometError, url: str) -> CometError:
    why = describe_failure(error)
    message = f"the model catalog at {url} is unreachable and no copy is cached ({why})"
    hint = (
        "check the network and try again; models(fallback='local') uses the built-in "
        "engine's sample catalog instead (%comet_models and ModelExplorer do so by themselves)"
    )
    if isinstance(error, ServerError):
        new: CometError = ServerError(
            message, status=error.status, request_id=error.request_id, hint=hint
        )
    else:
        new = type(error)(message, hint=hint)
    new.attempts = error.attempts
    return new
