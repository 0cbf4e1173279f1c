"""How a ModelCatalog shows itself: plain text in a terminal, an HTML table in a notebook.

The HTML table is static (it works in untrusted and offline notebooks, and on GitHub),
capped at ``display_options.max_rows`` rows with the total count shown, and sortable by
clicking a column header where the front-end runs the few lines of script it carries.
With ``itables`` installed (``pip install "comet-audio-nb[interactive]"``), it becomes a
searchable DataTable when asked (``catalog.show(interactive=True)``,
``display_options.viewer = "itables"``) or when itables' notebook mode is on.

>>> from comet_audio_nb.catalog.render import display_options
>>> display_options.max_rows = 100                              # doctest: +SKIP
"""

from __future__ import annotations

import html
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..results.markup import as_written

if TYPE_CHECKING:
    import pandas as pd

    from .model_catalog import ModelCatalog
    from .source import CatalogSource

__all__ = [
    "COMPARE_COLUMNS",
    "banner_html",
    "catalog_html",
    "catalog_text",
    "display_options",
    "format_price",
    "price_text",
    "shown_columns",
    "source_banners",
    "table_html",
]


@dataclass
class DisplayOptions:
    """How catalogs display. ``viewer``: "auto" (itables when its notebook mode is on),
    "itables" or "static"."""

    max_rows: int = 50  # rows of the static table; the count of all rows is shown
    text_rows: int = 20  # rows of the plain-text repr
    viewer: str = "auto"
    itables_max_bytes: int = 256 * 1024  # itables downsamples bigger tables


display_options = DisplayOptions()

# What a person compares; ``show(columns="all")`` shows every column of ``.df``. The last
# three are made for showing: the audio task (else the model type), the main price with
# its unit, and the normalised price (per 1M characters for speech, per audio hour for
# transcription) where the unit allows one.
COMPARE_COLUMNS = ("id", "provider", "task", "price", "normalised price")
_SHOWN_ONLY = frozenset(COMPARE_COLUMNS) - {"id", "provider"}
_NORMALISED_UNITS = (
    ("usd_per_1m_chars", "USD / 1M characters"),
    ("usd_per_audio_hour", "USD / audio hour"),
)
# JupyterLab right-aligns every cell of an output's table: text cells say "left", inline
# (a <style> would not survive a notebook opened untrusted).
_LEFT = ' style="text-align:left"'
_NORMALISED_TIP = "speech: USD per 1M characters; transcription: USD per hour of audio"

_BANNER = (
    '<div style="padding:4px 8px;margin:2px 0;border-left:4px solid {color};'
    'background:{background};color:#222">{text}</div>'
)
_BANNER_COLOURS = {
    "sample": ("#d97706", "#fef3c7"),
    "stale": ("#b45309", "#fff7ed"),
    "problems": ("#6b7280", "#f3f4f6"),
}
# Click a header to sort by it; click again to reverse. Cells carry their sort key in
# data-v. Where scripts do not run, this is simply a static table.
_SORT_SCRIPT = """<script>(function(){var t=document.getElementById("%s");if(!t)return;
t.querySelectorAll("thead th").forEach(function(th,c){th.style.cursor="pointer";
th.title="click to sort";th.addEventListener("click",function(){var b=t.tBodies[0],
d=th.dataset.dir==="asc"?-1:1;th.dataset.dir=d===1?"asc":"desc";
var k=function(r){var v=r.cells[c].dataset.v;return v===undefined?r.cells[c].textContent:v};
Array.from(b.rows).sort(function(x,y){var p=k(x),q=k(y),m=parseFloat(p),n=parseFloat(q);
if(p==="")return 1;if(q==="")return -1;
return d*((isNaN(m)||isNaN(n))?p.localeCompare(q):m-n)}).forEach(function(r){b.appendChild(r)})
})})})();</script>"""


def shown_columns(catalog: ModelCatalog, columns: str | Sequence[str] | None = None) -> list[str]:
    """The columns a view shows: None, "all", or names (``.df`` columns, or "task",
    "price", "normalised price")."""
    if columns is None:
        return list(COMPARE_COLUMNS)
    available = [str(name) for name in catalog._table().columns]
    if isinstance(columns, str):
        if columns.strip().lower() == "all":
            return available
        columns = [columns]
    chosen = [str(name) for name in columns]
    for name in chosen:
        if name not in available and name not in _SHOWN_ONLY:
            raise ValidationError(
                f"no column {name!r} to show",
                hint='columns="all", or names from .df.columns, "task", "price", '
                '"normalised price"',
            )
    return chosen


def catalog_text(catalog: ModelCatalog) -> str:
    """The terminal view: a header line, then the first rows of the columns people compare."""
    lines = [_headline(catalog)]
    if catalog.source.notice:
        lines.append(catalog.source.notice)
    if len(catalog):
        import pandas as pd

        rows = display_options.text_rows
        view = catalog._table().head(rows)
        shown = pd.DataFrame({name: _texts(view, name) for name in COMPARE_COLUMNS})
        lines.append(shown.to_string(index=False, max_colwidth=40))
        if len(catalog) > rows:
            lines.append(f"… {len(catalog) - rows} more; .df has them all")
    return "\n".join(lines)


def catalog_html(
    catalog: ModelCatalog,
    max_rows: int | None = None,
    interactive: bool | None = None,
    *,
    columns: str | Sequence[str] | None = None,
    banners: bool = True,
) -> str:
    """The notebook view: banner(s), a caption with the counts, and the table, in one
    container that MathJax leaves alone (prices carry "$")."""
    rows = display_options.max_rows if max_rows is None else max_rows
    names = shown_columns(catalog, columns)
    parts = [source_banners(catalog.source)] if banners else []
    table = catalog._table()
    caption = _caption(catalog, min(rows, len(table)))
    if interactive is None:
        interactive = _itables_wanted()
    if interactive and len(table):
        itables_html = _itables_table(table, names, caption)
        if itables_html is not None:
            return as_written("".join(parts) + itables_html, css_class="comet-catalog-view")
    parts.append(table_html(table.head(rows), names, caption=caption))
    return as_written("".join(parts), css_class="comet-catalog-view")


def table_html(frame: pd.DataFrame, columns: list[str], caption: str = "") -> str:
    """A static HTML table of ``columns``, numbers right-aligned, ids linked to their docs
    and never wrapped."""
    table_id = f"comet-catalog-{uuid.uuid4().hex[:10]}"
    head = "".join(_header(name, frame) for name in columns)
    cells = [_cells(frame, name) for name in columns]
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in zip(*cells, strict=True))
    caption_html = (
        f'<caption style="caption-side:top;text-align:left">{html.escape(caption)}</caption>'
        if caption
        else ""
    )
    return (
        f'<table id="{table_id}" class="dataframe comet-catalog" cellpadding="3" '
        f'style="border-collapse:collapse">{caption_html}'
        f'<thead style="border-bottom:1px solid #d1d5db"><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>" + _SORT_SCRIPT % table_id
    )


def _header(name: str, frame: pd.DataFrame) -> str:
    """A header cell, aligned as its column's cells are (numbers right, text left)."""
    numeric = name in ("price", "normalised price") or (
        name in frame and frame[name].dtype == "float64"
    )
    tip = f' title="{_NORMALISED_TIP}"' if name == "normalised price" else ""
    align = "right" if numeric else "left"
    return f'<th style="text-align:{align}"{tip}>{html.escape(name)}</th>'


def _cells(frame: pd.DataFrame, name: str) -> list[str]:
    """The ``<td>`` of each row of one shown column."""
    if name == "id":
        links = frame["api_doc_url"].tolist() if "api_doc_url" in frame else [None] * len(frame)
        return [_id_cell(value, link) for value, link in zip(frame["id"], links, strict=True)]
    if name == "price":
        pairs = zip(frame["price"], frame["price_unit"], strict=True)
        return [_price_cell(value, unit) for value, unit in pairs]
    if name == "normalised price":
        return [_price_cell(value, unit) for value, unit in _normalised(frame)]
    if name == "task":
        return [_cell(name, task) for task in _tasks(frame)]
    return [_cell(name, value) for value in frame[name].tolist()]


def _texts(frame: pd.DataFrame, name: str) -> list[str]:
    """The plain text of each row of one shown column."""
    if name == "price":
        pairs = zip(frame["price"], frame["price_unit"], strict=True)
    elif name == "normalised price":
        pairs = _normalised(frame)
    else:
        values = _tasks(frame) if name == "task" else frame[name].tolist()
        return [_plain(value) for value in values]
    return ["–" if _missing(value) else price_text(value, unit) for value, unit in pairs]


def _tasks(frame: pd.DataFrame) -> list[Any]:
    """The audio task, else the model type."""
    tasks, kinds = frame["audio_task"].tolist(), frame["model_type"].tolist()
    return [
        task if isinstance(task, str) else kind for task, kind in zip(tasks, kinds, strict=True)
    ]


def _normalised(frame: pd.DataFrame) -> list[tuple[Any, str | None]]:
    pairs: list[tuple[Any, str | None]] = [(None, None)] * len(frame)
    for column, unit in _NORMALISED_UNITS:
        for i, value in enumerate(frame[column].tolist()):
            if not _missing(value):
                pairs[i] = (value, unit)
    return pairs


def price_text(value: float, unit: str | None) -> str:
    """ "$12 / 1M characters", "$0.00008 / second"; other currencies as "0.5 CNY / request"."""
    money, _, per = (unit or "USD").partition(" / ")
    if money != "USD":
        return f"{format_price(value)} {unit}"
    return f"${format_price(value)}" + (f" / {per}" if per else "")


def _id_cell(value: Any, link: Any) -> str:
    text = "–" if _missing(value) else html.escape(str(value))
    if isinstance(link, str) and link.startswith(("https://", "http://")):
        text = f'<a href="{html.escape(link)}" target="_blank">{text}</a>'
    return f'<td style="text-align:left;white-space:nowrap">{text}</td>'


def _price_cell(value: Any, unit: str | None) -> str:
    if _missing(value):
        return '<td data-v="" style="text-align:right">–</td>'
    text = html.escape(price_text(float(value), unit))
    return f'<td data-v="{float(value)!r}" style="text-align:right;white-space:nowrap">{text}</td>'


def _cell(name: str, value: Any) -> str:
    if _missing(value):
        return f'<td data-v=""{_LEFT}>–</td>'
    if isinstance(value, (list, tuple)):
        return f"<td{_LEFT}>{html.escape(', '.join(map(str, value)))}</td>"
    if isinstance(value, float):
        return f'<td data-v="{value!r}" style="text-align:right">{format_price(value)}</td>'
    if hasattr(value, "strftime"):
        return f'<td data-v="{value.isoformat()}"{_LEFT}>{value.strftime("%Y-%m-%d")}</td>'
    return f"<td{_LEFT}>{html.escape(str(value))}</td>"


def format_price(value: float) -> str:
    """Six significant digits, never in e-notation: 12, 0.48, 0.00008, 0.0000247."""
    if value == 0:
        return "0"
    digits = max(0, 5 - math.floor(math.log10(abs(value))))
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def _plain(value: Any) -> str:
    if _missing(value):
        return "–"
    return format_price(value) if isinstance(value, float) else str(value)


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (lists and other containers are never missing)."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict, set, str)):
        return False
    import pandas as pd

    return bool(pd.isna(value))


def _headline(catalog: ModelCatalog) -> str:
    source = catalog.source
    label = source.label.upper() if source.sample else source.label
    filters = f" · {' '.join(catalog.filters)}" if catalog.filters else ""
    return f"ModelCatalog: {len(catalog)} models · {label}{filters}"


def _caption(catalog: ModelCatalog, shown: int) -> str:
    total = len(catalog)
    count = f"{total} models" if shown >= total else f"showing {shown} of {total} models"
    filters = f" · {' '.join(catalog.filters)}" if catalog.filters else ""
    return f"{count} · {catalog.source.label}{filters}"


def banner_html(text: str, kind: str = "sample") -> str:
    """One coloured line above a table: "sample", "stale" or "problems" (``text`` is HTML)."""
    color, background = _BANNER_COLOURS[kind]
    return _BANNER.format(color=color, background=background, text=text)


def source_banners(source: CatalogSource) -> str:
    """The lines that say the data is sample data (and why), an old copy, or incomplete."""
    banners = []
    if source.sample:
        text = "<b>Sample data from the built-in engine — not live prices.</b>"
        if source.notice:
            text += " " + html.escape(source.notice)
        banners.append(banner_html(text, "sample"))
    elif source.notice:
        banners.append(banner_html(html.escape(source.notice), "stale"))
    if source.problems:
        text = html.escape(f"{len(source.problems)} malformed record(s) skipped: ")
        text += html.escape("; ".join(source.problems[:3]))
        banners.append(banner_html(text, "problems"))
    return "".join(banners)


def _itables_wanted() -> bool:
    viewer = display_options.viewer
    if viewer == "static":
        return False
    if viewer == "itables":
        return True
    # "auto": follow itables when the user has switched its notebook mode on
    try:
        import pandas as pd

        return (getattr(pd.DataFrame._repr_html_, "__module__", "") or "").startswith("itables")
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def _itables_table(table: pd.DataFrame, columns: list[str], caption: str) -> str | None:
    try:
        from itables import to_html_datatable
    except ImportError:
        return None
    import pandas as pd

    view = pd.DataFrame({name: _texts(table, name) for name in columns})
    return to_html_datatable(
        view, caption=caption, maxBytes=display_options.itables_max_bytes, showIndex=False
    )


@dataclass(frozen=True)
class CatalogView:
    """A ModelCatalog shown with chosen options (``ModelCatalog.show``)."""

    catalog: ModelCatalog
    max_rows: int | None = None
    interactive: bool | None = None
    columns: str | Sequence[str] | None = None

    def _repr_html_(self) -> str:
        return catalog_html(self.catalog, self.max_rows, self.interactive, columns=self.columns)

    def __repr__(self) -> str:
        return repr(self.catalog)
