"""ModelExplorer: the model catalog as an ipywidgets panel: filter, sort, compare, choose.

Every control calls the same ``ModelCatalog`` methods as the Python API (``filter``,
``sort``, ``estimate``); the panel only wires them together. The chart of the cheapest
models for a workload is plain HTML, so it needs no plotting library.

Prices come in different units (USD per 1M characters, per second, per token), so the
price order and the chart work within one task, speech or transcription, in its
normalised unit; with Type "any" (or "audio") the panel asks, in one line, for one.
With no catalog given it fetches one; when that cannot be reached and no copy is cached,
it shows the built-in engine's sample catalog under a banner saying so and why.

>>> from comet_audio_nb.widgets import ModelExplorer
>>> explorer = ModelExplorer()                                  # doctest: +SKIP
>>> explorer.search.value = "whisper"                           # doctest: +SKIP
>>> explorer.view.ids                                           # doctest: +SKIP
['whisper-1', 'whisper-large-v3', 'whisper-large-v3-turbo']
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

import ipywidgets as widgets
from traitlets import Int, Unicode

from ..catalog import SAMPLE_LABEL, ModelCatalog, models
from ..catalog.render import catalog_html, format_price, source_banners
from ..errors import CometError
from ..results.markup import as_written
from .static import StaticView

__all__ = ["ModelExplorer"]

ANY = ""
SORTS = (
    ("price, lowest first", "price"),  # within one task, in its normalised unit
    ("USD per 1M characters (speech)", "usd_per_1m_chars"),
    ("USD per audio hour (transcription)", "usd_per_audio_hour"),
    ("newest first", "-created"),
    ("id", "id"),
    ("provider", "provider"),
)
PRICED_BY_LABELS = (
    ("per 1M characters", "characters"),
    ("per 1M tokens", "tokens"),
    ("per second", "second"),
    ("per request", "request"),
)
ROLES = {"speech": "speech_model", "transcription": "transcribe_model"}
# A task's normalised price first; models it cannot be given in (priced per token) after,
# grouped by their own basis.
PRICE_ORDER = {
    "speech": ["usd_per_1m_chars", "priced_by", "price"],
    "transcription": ["usd_per_audio_hour", "priced_by", "price"],
}
ASK_FOR_A_TASK = (
    "Prices come in different units: choose Type speech or transcription to sort by price "
    "and chart the cheapest."
)
ASK_TO_CHART = "To chart the cheapest models for a workload, choose Type speech or transcription."


class ModelExplorer(StaticView, widgets.VBox):
    """Search, filter and sort the catalog, chart the cheapest models for a workload, and
    make one the kernel-wide default for speech or transcription.

    ``view`` is the ModelCatalog on show, ``count`` its length; both follow the controls.
    ``banner`` says when the catalog is sample data (and why) or an old copy; ``hint``
    asks for a task when the choices would rank unlike prices together.
    """

    count = Int(0, help="models matching the controls")
    chosen = Unicode("", help="the last model set as a default")

    def __init__(
        self,
        catalog: ModelCatalog | None = None,
        *,
        type: str | None = None,
        feature: str | None = None,
        provider: str | None = None,
        query: str | None = None,
        priced_by: str | None = None,
        max_price: float | None = None,
        sort: str = "price",
        characters: int = 10_000,
        audio_minutes: float = 10.0,
        cheapest: int = 10,
        max_rows: int = 25,
        **kwargs: Any,
    ) -> None:
        self.catalog = catalog if catalog is not None else _catalog()
        self.max_rows = max_rows
        self.view = self.catalog
        table = self.catalog._table()
        self.search = widgets.Text(
            value=query or "", placeholder="id, name or provider", description="Search"
        )
        self.type = widgets.Dropdown(
            options=_choices(["audio", "speech", "transcription"], table["model_type"]),
            description="Type",
        )
        self.feature = widgets.Dropdown(
            options=_choices([], (f for fs in table["features"] for f in fs)),
            description="Feature",
        )
        self.provider = widgets.Dropdown(
            options=_choices([], table["provider"]), description="Provider"
        )
        self.priced_by = widgets.Dropdown(
            options=[("any", ANY), *PRICED_BY_LABELS], description="Priced"
        )
        self.max_price = widgets.FloatSlider(
            min=0.0,
            max=1.0,
            step=0.01,
            description="Max price",
            readout_format=".4g",
            continuous_update=False,
        )
        self.sort = widgets.Dropdown(options=list(SORTS), description="Sort by")
        self.characters = widgets.BoundedIntText(
            value=characters, min=0, max=10**12, step=1000, description="Characters"
        )
        self.audio_minutes = widgets.BoundedFloatText(
            value=audio_minutes, min=0, max=10**7, step=1, description="Audio min"
        )
        self.cheapest = widgets.IntSlider(value=cheapest, min=1, max=30, description="Cheapest")
        banners = source_banners(self.catalog.source)
        self.banner = widgets.HTML(as_written(banners) if banners else "")
        self.hint = widgets.HTML()
        self.table = widgets.HTML()
        self.chart = widgets.HTML()
        self.model = widgets.Dropdown(description="Model", options=[])
        self.role = widgets.ToggleButtons(options=list(ROLES), description="Use for")
        self.use_button = widgets.Button(
            description="Use this model", icon="check", button_style="primary"
        )
        self.status = widgets.HTML()
        self._preset(type=type, feature=feature, provider=provider, priced_by=priced_by, sort=sort)
        self._price_range(max_price)

        for control in (
            self.search,
            self.type,
            self.feature,
            self.provider,
            self.max_price,
            self.sort,
        ):
            control.observe(self._refresh, names="value")
        self.priced_by.observe(self._priced_by_changed, names="value")
        for control in (self.characters, self.audio_minutes, self.cheapest):
            control.observe(self._refresh_chart, names="value")
        self.model.observe(self._model_changed, names="value")
        self.use_button.on_click(self.use)

        rows = [
            self.banner,
            widgets.HBox([self.search, self.type, self.feature, self.provider]),
            widgets.HBox([self.priced_by, self.max_price, self.sort]),
            self.hint,
            self.table,
            widgets.HBox([self.characters, self.audio_minutes, self.cheapest]),
            self.chart,
            widgets.HBox([self.model, self.role, self.use_button]),
            self.status,
        ]
        super().__init__(children=rows, **kwargs)
        self._refresh()

    # -- what the controls ask for ----------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        """The ``ModelCatalog.filter`` arguments the controls stand for."""
        chosen: dict[str, Any] = {}
        for name in ("type", "feature", "provider", "priced_by"):
            value = getattr(self, name).value
            if value != ANY:
                chosen[name] = value
        if self.search.value.strip():
            chosen["query"] = self.search.value.strip()
        if self.max_price.value < self.max_price.max:  # at the top: no limit
            chosen["max_price"] = self.max_price.value
        return chosen

    def task(self) -> str | None:
        """The one task the Type control picks ("speech" or "transcription"), else None."""
        return self.type.value if self.type.value in PRICE_ORDER else None

    def _refresh(self, change: Any = None) -> None:
        task = self.task()
        try:
            view = self.catalog.filter(**self.filters())
            if self.sort.value != "price":
                view = view.sort(self.sort.value)
            elif task is not None:
                view = view.sort(PRICE_ORDER[task])
        except CometError as error:
            self.status.value = _note(str(error))
            return
        self.view = view
        self.count = len(view)
        ask = ASK_FOR_A_TASK if self.sort.value == "price" else ASK_TO_CHART
        self.hint.value = "" if task is not None else _note(ask)
        self.table.value = catalog_html(
            view, max_rows=self.max_rows, interactive=False, banners=False
        )
        self._refresh_chart()
        self._refresh_models()

    def _refresh_chart(self, change: Any = None) -> None:
        task = self.task()
        if task is None:  # the hint asks for one: speech and transcription costs do not rank
            self.chart.value = ""
            return
        workload = (
            {"characters": self.characters.value}
            if task == "speech"
            else {"audio_minutes": self.audio_minutes.value}
        )
        self.chart.value = cheapest_chart(self.view, top=self.cheapest.value, **workload)

    def _refresh_models(self) -> None:
        table = self.view._table()
        options = [
            (f"{model_id} ({task})", model_id)
            for model_id, task in zip(table["id"], table["audio_task"], strict=True)
            if isinstance(task, str)
        ]
        current = self.model.value
        self.model.options = list(dict.fromkeys(options))
        values = [value for _, value in self.model.options]
        if values:
            self.model.value = current if current in values else values[0]
        self.use_button.disabled = not self.model.options
        if not self.model.options:
            self.status.value = _note("no speech or transcription model in this view")

    def _priced_by_changed(self, change: Any) -> None:
        self._price_range(None)
        self._refresh()

    def _price_range(self, max_price: float | None) -> None:
        """Fit the price slider to the prices on offer (in the chosen unit, if one is)."""
        prices = self.catalog._table()
        if self.priced_by.value != ANY:
            prices = prices[prices["priced_by"] == self.priced_by.value]
        top = float(prices["price"].max()) if prices["price"].notna().any() else 1.0
        top = top if top > 0 else 1.0
        with self.max_price.hold_trait_notifications():
            self.max_price.max = top
            self.max_price.step = _step(top)
            self.max_price.value = top if max_price is None else min(max_price, top)
        unit = {v: label for label, v in PRICED_BY_LABELS}.get(self.priced_by.value)
        self.max_price.description = f"Max {unit}" if unit else "Max price"

    def _model_changed(self, change: Any) -> None:
        model_id = change["new"]
        if not model_id:
            return
        table = self.view._table()
        tasks = table.loc[table["id"] == model_id, "audio_task"].dropna()
        if len(tasks):
            self.role.value = tasks.iloc[0]

    def _preset(self, **values: Any) -> None:
        for name, value in values.items():
            if value is None:
                continue
            control = getattr(self, name)
            wanted = str(value).strip().casefold()
            for _, option in control.options:
                if str(option).casefold() == wanted:
                    control.value = option
                    break

    # -- the action --------------------------------------------------------------------------
    def use(self, button: Any = None) -> None:
        """Make the selected model the kernel-wide default for the selected role
        (``CometAudio.speech_model`` or ``CometAudio.transcribe_model``)."""
        from ..notebook.session import get_defaults

        model_id = self.model.value
        if not model_id:
            self.status.value = _note("choose a model first")
            return
        trait = ROLES[self.role.value]
        setattr(get_defaults(), trait, model_id)
        self.chosen = model_id
        sample = " (sample catalog)" if self.catalog.source.sample else ""
        self.status.value = as_written(
            f"✓ <code>{html.escape(model_id)}</code> is now the default {self.role.value} "
            f"model (<code>%config CometAudio.{trait}</code>){html.escape(sample)}"
        )


def cheapest_chart(
    view: ModelCatalog,
    *,
    top: int,
    characters: float | None = None,
    audio_minutes: float | None = None,
) -> str:
    """An HTML bar chart of the ``top`` cheapest models of ``view`` for one workload
    (``characters`` for speech, ``audio_minutes`` for transcription)."""
    try:
        table = view.estimate(characters=characters, audio_minutes=audio_minutes)
    except CometError as error:
        return _note(str(error))
    table = table[table["coverage"] != "none"].head(top)
    workload = (
        f"{characters:,} characters"
        if characters is not None
        else f"{audio_minutes:g} min of audio"
    )
    if table.empty:
        return _note(f"no model in this view can be priced for {workload}")
    highest = float(table["estimated_cost"].max()) or 1.0
    rows = []
    for row in table.itertuples():
        partial = row.coverage == "partial"
        width = max(1.0, 100 * float(row.estimated_cost) / highest)
        cost = f"{'≥ ' if partial else ''}${format_price(float(row.estimated_cost))}"
        tip = html.escape(f"{row.formula}{' — ' + row.note if partial else ''}")
        rows.append(
            f'<div title="{tip}" style="display:flex;align-items:center;gap:6px;margin:1px 0">'
            f'<span style="width:16em;text-align:right;overflow:hidden;white-space:nowrap">'
            f"{html.escape(row.id)}</span>"
            f'<span style="flex:1"><span style="display:inline-block;height:0.9em;'
            f'width:{width:.1f}%;background:{"#f59e0b" if partial else "#3b82f6"}"></span>'
            f'</span><span style="width:8em">{html.escape(cost)}</span></div>'
        )
    title = f"<b>Cheapest {len(table)} for {html.escape(workload)}</b>"
    if view.source.sample:  # estimates on sample data say so, as the tables do
        title += f' · <span style="color:#92400e">{html.escape(SAMPLE_LABEL)}</span>'
    legend = " <small>(≥: a lower bound; hover a bar for the formula)</small>"
    return as_written(f"{title}{legend}{''.join(rows)}")


def _choices(first: list[str], values: Any) -> list[tuple[str, str]]:
    """("any", "") then ``first``, then the values by how often they occur."""
    counts = Counter(v for v in values if isinstance(v, str) and v)
    ordered = [v for v in first] + [v for v, _ in counts.most_common() if v not in first]
    return [("any", ANY)] + [(v, v) for v in ordered]


def _step(top: float) -> float:
    step = 10 ** (len(f"{int(top)}") - 3) if top >= 100 else top / 1000
    return max(step, 1e-9)


def _catalog() -> ModelCatalog:
    """The catalog for a panel opened without one: as ``%comet_models`` reads it."""
    from ..notebook.session import get_defaults

    base_url = get_defaults().base_url.strip() or None
    # The banner says why when the sample stands in: no separate notice.
    return models(base_url=base_url, fallback="local", notice=False)


def _note(text: str) -> str:
    return as_written(html.escape(text), tag="span", style="color:#92400e")
