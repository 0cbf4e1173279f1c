"""HTML that notebooks show as written: a "$" stays a dollar sign and long text is never cut.

JupyterLab and the classic notebook typeset ``$…$`` in HTML outputs as maths with MathJax,
so "240,000 characters × $12 / 1M characters = $2.88" would lose its dollars and turn
italic. An HTML entity (``&#36;``) does not help: MathJax reads the text after entities
are decoded. Both skip what is inside an element of class ``mathjax_ignore`` (MathJax 3,
JupyterLab 4) or ``tex2jax_ignore`` (MathJax 2), which is what pandas' own
``display.html.use_mathjax = False`` puts on its tables. Every HTML this package emits goes
through ``as_written``; DataFrames through ``frame_html``.

ipywidgets typesets a ``Label``'s value and every widget's ``description``, but not an
``HTML`` widget's value: a Label that may show a "$" gets ``NO_MATHS_CLASSES`` too.

>>> as_written("<b>$12</b>")
'<div class="tex2jax_ignore mathjax_ignore"><b>$12</b></div>'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NO_MATHS", "NO_MATHS_CLASSES", "as_written", "frame_html"]

NO_MATHS_CLASSES = ("tex2jax_ignore", "mathjax_ignore")
NO_MATHS = " ".join(NO_MATHS_CLASSES)


def as_written(markup: str, *, css_class: str = "", style: str = "", tag: str = "div") -> str:
    """``markup`` in one container that MathJax leaves alone (with ``css_class`` and
    ``style`` if given)."""
    classes = f"{css_class} {NO_MATHS}" if css_class else NO_MATHS
    styled = f' style="{style}"' if style else ""
    return f'<{tag} class="{classes}"{styled}>{markup}</{tag}>'


def frame_html(
    frame: pd.DataFrame, *, index: bool = True, before: str = "", css_class: str = ""
) -> str:
    """pandas' notebook table of ``frame``, with every cell's text whole (pandas would cut
    it at ``display.max_colwidth``, mid-number: "× $0...") and nothing for MathJax;
    ``before``: HTML shown above it, in the same container (of class ``css_class``)."""
    import pandas as pd

    options = ("display.html.use_mathjax", False, "display.max_colwidth", None)
    with pd.option_context(*options):
        if index:
            table = pd.DataFrame._repr_html_(frame) or frame.to_html(notebook=True)
        else:
            table = frame.to_html(notebook=True, index=False)
    return as_written(before + table, css_class=css_class)
