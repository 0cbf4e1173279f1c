"""Static views: what a panel shows where its widget cannot render.

JupyterLab 4 and Notebook 7 render widget outputs only in notebooks they trust, and a
notebook opened from a repository is not trusted (GitHub never renders widgets), so a
reader saw each panel's text repr, ``ModelExplorer(children=(HBox(...``, although the
notebook held the widget state. So every panel's display bundle also carries
``text/html``: a picture of the panel as it was shown, its controls disabled, under a
note that running the cell brings it back. Where the widget can render, the front end
prefers it (widget views rank above HTML), so a live notebook never shows the picture.

A widget draws its own picture with ``_static_html()``; containers and the ipywidgets
controls the panels use are drawn here, anything else is left out.

>>> import ipywidgets as widgets
>>> static_html(widgets.HBox([widgets.Button(description="Speak")]))[-37:]
'<button disabled>Speak</button></div>'
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

__all__ = ["StaticView", "static_html"]

_NOTE_STYLE = "font-size:0.8em;opacity:0.65;margin-bottom:4px"
_BOX_STYLE = "border:1px dashed #9ca3af;border-radius:4px;padding:6px;max-width:100%"
_LABEL_STYLE = "margin-right:0.4em;opacity:0.8"
_ROW = "display:flex;flex-wrap:wrap;gap:4px;align-items:center"
_COLUMN = "display:flex;flex-direction:column;gap:4px"


class StaticView:
    """Mixin for a panel: its display bundle gets a static HTML picture besides the widget."""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            name = type(self).__name__
            data["text/html"] = (
                f'<div class="comet-static-view tex2jax_ignore mathjax_ignore" '
                f'style="{_BOX_STYLE}"><div style="{_NOTE_STYLE}">{name} as saved: run the '
                f"cell to use it.</div>{static_html(self)}</div>"
            )
        return bundle


def static_html(widget: Any) -> str:
    """HTML that looks like ``widget`` as it is now, with nothing to click."""
    own = getattr(widget, "_static_html", None)
    if callable(own):
        return own()
    layout = getattr(widget, "layout", None)
    if layout is not None and (layout.display == "none" or layout.visibility == "hidden"):
        return ""
    for kind, draw in _DRAWERS:
        if isinstance(widget, kind):
            return draw(widget)
    return ""


def _label(widget: Any) -> str:
    text = getattr(widget, "description", "")
    return f'<span style="{_LABEL_STYLE}">{html.escape(text)}</span>' if text else ""


def _tab(tab: widgets.Tab) -> str:
    index = tab.selected_index or 0
    looks = ("opacity:0.6", "font-weight:bold;border-bottom:2px solid")
    titles = "".join(
        f'<span style="padding:2px 8px;{looks[i == index]}">{html.escape(str(title))}</span>'
        for i, title in enumerate(tab.titles)
    )
    shown = static_html(tab.children[index]) if tab.children else ""
    return f'<div style="{_COLUMN}"><div>{titles}</div>{shown}</div>'


def _accordion(accordion: widgets.Accordion) -> str:
    return "".join(
        f"<details{' open' if accordion.selected_index == i else ''}><summary>"
        f"{html.escape(str(title))}</summary>{static_html(child)}</details>"
        for i, (title, child) in enumerate(zip(accordion.titles, accordion.children, strict=False))
    )


def _box(box: widgets.Box) -> str:
    style = _ROW if isinstance(box, widgets.HBox) else _COLUMN
    inside = "".join(static_html(child) for child in box.children)
    return f'<div style="{style}">{inside}</div>' if inside else ""


def _choice(widget: Any) -> str:
    label = html.escape(str(widget.label if widget.label is not None else ""))
    return f"<span>{_label(widget)}<select disabled><option>{label}</option></select></span>"


def _text(widget: Any) -> str:
    value = html.escape(str(widget.value), quote=True)
    hint = html.escape(getattr(widget, "placeholder", "") or "", quote=True)
    return f'<span>{_label(widget)}<input disabled value="{value}" placeholder="{hint}"></span>'


def _textarea(widget: widgets.Textarea) -> str:
    return (
        f'<textarea disabled rows="{widget.rows or 3}" style="width:100%">'
        f"{html.escape(widget.value)}</textarea>"
    )


def _checkbox(widget: widgets.Checkbox) -> str:
    checked = " checked" if widget.value else ""
    text = html.escape(widget.description)
    return f"<label><input type=checkbox disabled{checked}> {text}</label>"


def _slider(widget: Any) -> str:
    return f"<span>{_label(widget)}{html.escape(str(widget.value))}</span>"


def _button(widget: Any) -> str:
    return f"<button disabled>{html.escape(widget.description or 'Upload')}</button>"


def _progress(widget: Any) -> str:
    return f'<progress value="{widget.value}" max="{widget.max}"></progress>'


_DRAWERS: tuple[tuple[Any, Any], ...] = (
    (widgets.Tab, _tab),
    (widgets.Accordion, _accordion),
    (widgets.Box, _box),
    ((widgets.HTML, widgets.HTMLMath), lambda w: w.value),
    (widgets.Label, lambda w: f"<span>{html.escape(w.value)}</span>"),
    ((widgets.Button, widgets.FileUpload), _button),
    (widgets.Checkbox, _checkbox),
    ((widgets.Dropdown, widgets.Select, widgets.ToggleButtons, widgets.RadioButtons), _choice),
    (widgets.Textarea, _textarea),
    ((widgets.Text, widgets.Combobox, widgets.BoundedIntText, widgets.IntText), _text),
    ((widgets.FloatSlider, widgets.IntSlider, widgets.SelectionSlider), _slider),
    ((widgets.IntProgress, widgets.FloatProgress), _progress),
)
