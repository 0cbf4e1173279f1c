"""What MathJax would typeset in our HTML: text that no ``mathjax_ignore`` container holds.

JupyterLab's MathJax 3 skips elements of class ``mathjax_ignore`` and what they contain
(the classic notebook's MathJax 2: ``tex2jax_ignore``), and never looks inside ``<script>``,
``<style>``, ``<code>``, ``<pre>`` or ``<textarea>``. Anything else, "$12 … $3" included,
it may turn into maths.
"""

from __future__ import annotations

from html.parser import HTMLParser

IGNORED_CLASSES = {"mathjax_ignore", "tex2jax_ignore"}
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea"}
VOID_TAGS = {"br", "img", "input", "hr", "meta", "link", "col", "wbr", "source", "track"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is its content left alone?
        self.exposed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        inside = bool(self.stack) and self.stack[-1]
        self.stack.append(inside or tag in SKIPPED_TAGS or classes >= IGNORED_CLASSES)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1]):
            self.exposed.append(data.strip())


def typesettable_text(markup: str) -> list[str]:
    """The pieces of text in ``markup`` that MathJax would read (none, in our HTML)."""
    finder = _Finder()
    finder.feed(markup)
    finder.close()
    return finder.exposed
