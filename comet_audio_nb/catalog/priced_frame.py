"""PricedFrame: a DataFrame of costs that shows its dollars and says where its prices come from.

``ModelCatalog.estimate`` and the call log (``%comet_log``) return one. It is a pandas
DataFrame in every way (each operation keeps the class, and pandas keeps ``attrs``); only
its notebook and text views differ: dollar signs stay dollar signs (no MathJax), formulas
are shown whole, and when the prices are sample data or an old copy a line above the
table says so (from ``attrs``: ``sample``, ``stale``, ``source``, ``notice``).

Imported where a table is made: it loads pandas.
"""

from __future__ import annotations

import hashlib
import html

import pandas as pd

from ..results.markup import frame_html
from .render import banner_html

__all__ = ["PricedFrame"]

NO_WRAP = ("id", "formula")  # a model id or a formula broken over lines is hard to read
MIN_WIDTH = {"note": "18em"}  # wrapped, but not into a column one word wide


class PricedFrame(pd.DataFrame):
    """A DataFrame of prices or costs (see the module docs).

    >>> frame = PricedFrame({"formula": ["1 × $12 = $12"]})
    >>> frame.attrs.update(sample=True, source="sample data")
    >>> print(repr(frame.head(1)).splitlines()[0])
    sample data
    """

    @property
    def _constructor(self) -> type[PricedFrame]:
        return PricedFrame

    def source_line(self) -> str | None:
        """What the prices are, when that is worth a line: sample data (and why), or an
        old copy standing in for a catalog that could not be reached."""
        attrs = self.attrs
        notice = attrs.get("notice") or ""
        if attrs.get("sample"):
            return " · ".join(p for p in (attrs.get("source"), notice) if p) or "sample data"
        if attrs.get("stale"):
            return notice or attrs.get("source") or None
        return None

    def _repr_html_(self) -> str:
        line = self.source_line()
        banner = ""
        if line:
            kind = "sample" if self.attrs.get("sample") else "stale"
            label, _, why = line.partition(" · ")
            text = f"<b>{html.escape(label)}</b>" + (f" · {html.escape(why)}" if why else "")
            banner = banner_html(text, kind)
        scope, style = self._layout()
        return frame_html(self, before=style + banner, css_class=scope)

    def _layout(self) -> tuple[str, str]:
        """A class naming this column layout, and the CSS that keeps ids and formulas on one
        line and text to the left (``nth-child`` counts the row's index cell too)."""
        columns = [str(c) for c in self.columns]
        digest = hashlib.sha256("\0".join(columns).encode()).hexdigest()[:8]
        scope = f"comet-costs-{digest}"
        rules = []
        for position, name in enumerate(columns, start=2):
            declarations = []
            if name in NO_WRAP:
                declarations.append("white-space:nowrap")
            if name in MIN_WIDTH:
                declarations.append(f"min-width:{MIN_WIDTH[name]}")
            text = pd.api.types.is_string_dtype(self.dtypes.iloc[position - 2])
            if text:
                declarations.append("text-align:left")
                rules.append(f".{scope} thead tr:first-child th:nth-child({position})")
                rules[-1] += "{text-align:left}"
            if declarations:
                rules.append(f".{scope} tbody td:nth-child({position}){{{';'.join(declarations)}}}")
        return f"comet-costs {scope}", f"<style>{''.join(rules)}</style>" if rules else ""

    def __repr__(self) -> str:
        line = self.source_line()
        table = super().__repr__()
        return f"{line}\n{table}" if line else table
