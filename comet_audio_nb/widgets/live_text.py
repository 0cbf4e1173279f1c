"""The text of a transcript while it arrives, as TranscribePanel shows it: escaped, in a
container MathJax leaves alone (a "$" in speech stays a dollar sign), line breaks kept.

>>> live = LiveText()
>>> live.show("It costs $5 <each>"); live.text
'It costs $5 <each>'
>>> "mathjax_ignore" in live.value and "$5 &lt;each&gt;</div>" in live.value
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..results.markup import as_written

__all__ = ["LiveText"]


class LiveText(widgets.HTML):
    """An HTML widget showing the text so far; ``show(text)`` redraws it, ``text`` is it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self.show("")

    def show(self, text: str) -> None:
        """Show ``text`` (an ellipsis until the first words come)."""
        self.text = text
        self.value = as_written(
            html.escape(text) or "…", css_class="comet-live-text", style="white-space:pre-wrap"
        )

    def kept(self) -> widgets.HTML:
        """A still copy of what it shows, to leave on the page (a stream that was cut)."""
        return widgets.HTML(self.value)
