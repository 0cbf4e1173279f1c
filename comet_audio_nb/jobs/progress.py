"""A progress bar with done/failed counts: a widget in notebooks, text in terminals.

>>> with Progress(3, enabled=False, unit="file") as bar:
...     bar.done("ok"); bar.done("failed")
>>> dict(bar.counts)
{'ok': 1, 'failed': 1}
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .defaults import job_defaults


class Progress:
    """tqdm.auto (imported only when shown), or the bar ``job_defaults.progress_bar`` makes,
    counting outcomes in its postfix."""

    def __init__(
        self, total: int, *, enabled: bool, unit: str, description: str = "", initial: int = 0
    ) -> None:
        self.counts: Counter[str] = Counter()
        self._bar: Any = None
        if enabled and total:
            make = job_defaults.progress_bar
            if make is None:
                from tqdm.auto import tqdm as make

            self._bar = make(
                total=total, initial=initial, unit=unit, desc=description or None, leave=True
            )

    def done(self, outcome: str, count: int = 1) -> None:
        """Count ``count`` inputs that ended with ``outcome`` ("ok", "failed", ...)."""
        self.counts[outcome] += count
        if self._bar is not None:
            shown = {name: n for name, n in self.counts.items() if n}
            self._bar.set_postfix(shown, refresh=False)
            self._bar.update(count)

    def note(self, outcome: str, count: int = 1) -> None:
        """Count outcomes already included in ``initial`` (shown, not advanced)."""
        self.counts[outcome] += count
        if self._bar is not None and count:
            self._bar.set_postfix({k: n for k, n in self.counts.items() if n}, refresh=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
