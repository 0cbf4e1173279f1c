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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .model_catalog import ModelCatalog

__all__ = ["display_options", "catalog_html", "catalog_text", "table_html"]


@dataclass
class DisplayOptions:
    """How catalogs display. ``viewer``: "auto" (itables when its notebook mode is on),
    "itables" or "static"."""

    max_rows: int = 50  # rows of the static table; the count of all rows is shown
    text_rows: int = 20  # rows of the plain-text repr
    viewer: str = "auto"
    itables_max_bytes: int = 256 * 1024  # itables downsamples bigger tables


display_options = DisplayOptions()

HTML_COLUMNS = (
    "id",
    "name",
    "provider",
    "model_type",
    "audio_task",
    "features",
    "priced_by",
    "price",
    "price_unit",
    "input_price",
    "output_price",
    "price_per_second",
    "price_per_request",
    "usd_per_1m_chars",
    "usd_per_audio_hour",
    "created",
)
TEXT_COLUMNS = ("id", "provider", "model_type", "audio_task", "priced_by", "price", "price_unit")

_BANNER = (
    '<div style="padding:4px 8px;margin:2px 0;border-left:4px solid {color};'
    'background:{background};color:#222">{text}</div>'
)
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


def catalog_text(catalog: ModelCatalog) -> str:
    """The terminal view: a header line, then the first rows of the main columns."""
    lines = [_headline(catalog)]
    if catalog.source.notice:
        lines.append(catalog.source.notice)
    if len(catalog):
        import pandas as pd

        rows = display_options.text_rows
        view = catalog._table().head(rows)
        shown = pd.DataFrame({name: [_plain(v) for v in view[name]] for name in TEXT_COLUMNS})
        lines.append(shown.to_string(index=False, max_colwidth=40))
        if len(catalog) > rows:
            lines.append(f"… {len(catalog) - rows} more; .df has them all")
    return "\n".join(lines)


def catalog_html(
    catalog: ModelCatalog, max_rows: int | None = None, interactive: bool | None = None
) -> str:
    """The notebook view: banner(s), a caption with the counts, and the table."""
    rows = display_options.max_rows if max_rows is None else max_rows
    parts = [_banners(catalog)]
    table = catalog._table()
    caption = _caption(catalog, min(rows, len(table)))
    if interactive is None:
        interactive = _itables_wanted()
    if interactive and len(table):
        itables_html = _itables_table(table, caption)
        if itables_html is not None:
            return "".join(parts) + itables_html
    parts.append(table_html(table.head(rows), list(HTML_COLUMNS), caption=caption))
    return "".join(parts)


def table_html(frame: pd.DataFrame, columns: list[str], caption: str = "") -> str:
    """A static HTML table of ``columns``, numbers right-aligned, ids linked to their docs."""
    table_id = f"comet-catalog-{uuid.uuid4().hex[:10]}"
    head = "".join(f"<th>{html.escape(name)}</th>" for name in columns)
    body = []
    links = frame["api_doc_url"].tolist() if "api_doc_url" in frame else [None] * len(frame)
    links = [None if _missing(link) else link for link in links]
    values = {name: frame[name].tolist() for name in columns}
    for i, link in enumerate(links):
        cells = []
        for name in columns:
            cells.append(_cell(name, values[name][i], link if name == "id" else None))
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption_html = (
        f'<caption style="caption-side:top;text-align:left">{html.escape(caption)}</caption>'
        if caption
        else ""
    )
    return (
        f'<table id="{table_id}" class="dataframe comet-catalog" border="1">{caption_html}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + _SORT_SCRIPT
        % table_id
    )


def _cell(name: str, value: Any, link: str | None) -> str:
    if _missing(value):
        return '<td data-v="">–</td>'
    if isinstance(value, (list, tuple)):
        return f"<td>{html.escape(', '.join(map(str, value)))}</td>"
    if isinstance(value, float):
        return f'<td data-v="{value!r}" style="text-align:right">{format_price(value)}</td>'
    if hasattr(value, "strftime"):
        return f'<td data-v="{value.isoformat()}">{value.strftime("%Y-%m-%d")}</td>'
    text = html.escape(str(value))
    if link and link.startswith(("https://", "http://")):
        return f'<td><a href="{html.escape(link)}" target="_blank">{text}</a></td>'
    return f"<td>{text}</td>"


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


def _banners(catalog: ModelCatalog) -> str:
    source = catalog.source
    banners = []
    if source.sample:
        text = (
            "<b>Sample data from the built-in engine — not live prices.</b> "
            "Use <code>models()</code> with network access for CometAPI's catalog."
        )
        banners.append(_BANNER.format(color="#d97706", background="#fef3c7", text=text))
    if source.notice:
        banners.append(
            _BANNER.format(color="#b45309", background="#fff7ed", text=html.escape(source.notice))
        )
    if source.problems:
        text = html.escape(f"{len(source.problems)} malformed record(s) skipped: ")
        text += html.escape("; ".join(source.problems[:3]))
        banners.append(_BANNER.format(color="#6b7280", background="#f3f4f6", text=text))
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


def _itables_table(table: pd.DataFrame, caption: str) -> str | None:
    try:
        from itables import to_html_datatable
    except ImportError:
        return None
    view = table[list(HTML_COLUMNS)].copy()
    view["features"] = [", ".join(f) for f in view["features"]]
    view["created"] = view["created"].dt.strftime("%Y-%m-%d")
    return to_html_datatable(
        view, caption=caption, maxBytes=display_options.itables_max_bytes, showIndex=False
    )


@dataclass(frozen=True)
class CatalogView:
    """A ModelCatalog shown with chosen options (``ModelCatalog.show``)."""

    catalog: ModelCatalog
    max_rows: int | None = None
    interactive: bool | None = None

    def _repr_html_(self) -> str:
        return catalog_html(self.catalog, max_rows=self.max_rows, interactive=self.interactive)

    def __repr__(self) -> str:
        return repr(self.catalog)
