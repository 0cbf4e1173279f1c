"""Where a catalog came from, how fresh it is, and the label every view shows for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

__all__ = ["CatalogSource", "SAMPLE_LABEL", "describe_age"]

SAMPLE_LABEL = "sample data from the built-in engine — not live prices"


@dataclass(frozen=True)
class CatalogSource:
    """Where a catalog came from and how fresh it is.

    ``cached`` is None for a fresh download, else "memory" or "disk"; ``stale`` is True
    when the service could not be reached and an older copy stands in (``notice`` says so).
    """

    url: str | None = None
    fetched_at: datetime | None = None  # UTC
    sample: bool = False
    cached: str | None = None
    stale: bool = False
    notice: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def age_seconds(self) -> float | None:
        if self.fetched_at is None:
            return None
        return (datetime.now(timezone.utc) - self.fetched_at).total_seconds()

    @property
    def label(self) -> str:
        """One line for reprs: what the data is, from where, of when."""
        if self.sample:
            return SAMPLE_LABEL
        where = "CometAPI catalog" if _is_cometapi(self.url) else f"catalog from {self.url}"
        if self.url is None:
            where = "catalog"
        if self.fetched_at is None:
            return where
        when = self.fetched_at.strftime("%Y-%m-%d %H:%M UTC")
        if self.cached:
            return f"{where}, cached copy of {when} ({describe_age(self.age_seconds)} old)"
        return f"{where}, fetched {when}"


def describe_age(seconds: float | None) -> str:
    """ "40 s", "12 min", "3 h", "2 days"."""
    if seconds is None:
        return "unknown age"
    seconds = max(seconds, 0)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def _is_cometapi(url: str | None) -> bool:
    return bool(url) and "://api.cometapi.com/" in url
