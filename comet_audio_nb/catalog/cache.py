"""Keeping fetched catalogs: in memory for the kernel's life, on disk for a time-to-live.

The disk copy holds the raw records exactly as received, with the fetch time and the URL,
one JSON file per catalog URL, in the user cache directory:
``$COMET_AUDIO_NB_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/comet-audio-nb``, else the
platform's (``~/.cache/comet-audio-nb`` on Linux, ``~/Library/Caches/comet-audio-nb`` on
macOS, ``%LOCALAPPDATA%\\comet-audio-nb\\Cache`` on Windows).

>>> cache_dir()                                     # doctest: +SKIP
PosixPath('/home/me/.cache/comet-audio-nb')
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..config import CACHE_DIR_ENV_VAR, cache_root

__all__ = [
    "CachedCatalog",
    "cache_dir",
    "clear_cache",
    "default_ttl",
    "CACHE_DIR_ENV_VAR",
    "TTL_ENV_VAR",
]

TTL_ENV_VAR = "COMET_AUDIO_NB_CATALOG_TTL"  # seconds
DEFAULT_TTL = timedelta(days=1)
_FORMAT = 1  # bump when the file layout changes; other versions are ignored

_memory: dict[str, CachedCatalog] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class CachedCatalog:
    """The raw records of one catalog download."""

    url: str
    fetched_at: datetime  # UTC
    data: list[Any]
    sample: bool = False

    def age(self) -> timedelta:
        return datetime.now(timezone.utc) - self.fetched_at

    def fresh(self, ttl: timedelta) -> bool:
        return self.age() < ttl


def cache_dir() -> Path:
    """Where catalog copies are kept (the directory need not exist yet)."""
    return cache_root()


def default_ttl() -> timedelta:
    """One day, or ``$COMET_AUDIO_NB_CATALOG_TTL`` seconds."""
    raw = os.environ.get(TTL_ENV_VAR, "").strip()
    if raw:
        try:
            return timedelta(seconds=max(float(raw), 0.0))
        except ValueError:
            pass
    return DEFAULT_TTL


def as_ttl(ttl: float | timedelta | None) -> timedelta:
    if ttl is None:
        return default_ttl()
    if isinstance(ttl, timedelta):
        return ttl
    return timedelta(seconds=float(ttl))


def path_for(url: str) -> Path:
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return cache_dir() / f"catalog-{digest}.json"


def from_memory(url: str) -> CachedCatalog | None:
    with _lock:
        return _memory.get(url)


def from_disk(url: str) -> CachedCatalog | None:
    """The disk copy for ``url``; None if there is none or it cannot be read."""
    try:
        saved = json.loads(path_for(url).read_text(encoding="utf-8"))
        if saved.get("format") != _FORMAT or saved.get("url") != url:
            return None
        fetched_at = datetime.fromisoformat(saved["fetched_at"])
        data = saved["data"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(data, list) or fetched_at.tzinfo is None:
        return None
    return CachedCatalog(url, fetched_at, data, bool(saved.get("sample")))


def keep(entry: CachedCatalog, disk: bool = True) -> None:
    """Remember a download in memory and (unless ``disk`` is False) on disk.

    A disk that cannot be written is not an error: the catalog still works, uncached.
    """
    with _lock:
        _memory[entry.url] = entry
    if not disk:
        return
    saved = {
        "format": _FORMAT,
        "url": entry.url,
        "fetched_at": entry.fetched_at.isoformat(),
        "sample": entry.sample,
        "data": entry.data,
    }
    target = path_for(entry.url)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # write beside the target, then rename: a reader never sees half a file
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".catalog-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump(saved, stream, ensure_ascii=False, separators=(",", ":"))
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def clear_cache(memory: bool = True, disk: bool = True) -> None:
    """Forget every kept catalog (the next ``models()`` downloads afresh)."""
    if memory:
        with _lock:
            _memory.clear()
    if disk:
        for path in cache_dir().glob("catalog-*.json"):
            path.unlink(missing_ok=True)
