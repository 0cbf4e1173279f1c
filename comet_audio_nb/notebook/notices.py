"""Notices in a notebook: a quiet grey line, not a pink stderr block that looks like a failure.

``%load_ext comet_audio_nb`` points ``client.launcher.notice_sink`` here (``install``) and
``%unload_ext`` puts the previous sink back (``uninstall``). In a notebook's kernel a
notice is displayed as a small grey line (plain text for front ends without HTML); in a
terminal IPython it stays on stderr, as in scripts.

>>> notice_bundle("no COMETAPI_KEY: using the built-in offline engine")["text/plain"]
'no COMETAPI_KEY: using the built-in offline engine'
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ..results.markup import as_written

__all__ = ["install", "notice_bundle", "show_notice", "uninstall"]

_STYLE = "color:#6b7280;font-size:0.85em;margin:1px 0"
_previous: list[Callable[[str], None]] = []  # the sink that install() replaced


def notice_bundle(text: str) -> dict[str, str]:
    """The notice as a display bundle: a grey line of HTML, and the plain text."""
    line = as_written(html.escape(text), css_class="comet-notice", style=_STYLE)
    return {"text/html": line, "text/plain": text}


def show_notice(text: str) -> None:
    """Show ``text`` quietly in a notebook's output; elsewhere the default sink (stderr)."""
    from IPython import get_ipython

    from ..client import launcher

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:  # a terminal, or no IPython
        launcher.print_notice(text)
        return
    from IPython.display import display

    display(notice_bundle(text), raw=True)


def install() -> None:
    """Make notices quiet lines in notebooks (``%load_ext`` calls this)."""
    from ..client import launcher  # loads httpx: only when the extension is loaded

    if launcher.notice_sink is not show_notice:
        _previous[:] = [launcher.notice_sink]
        launcher.notice_sink = show_notice


def uninstall() -> None:
    """Put back the sink ``install`` replaced (``%unload_ext`` calls this)."""
    from ..client import launcher

    if launcher.notice_sink is show_notice:
        launcher.notice_sink = _previous.pop() if _previous else launcher.print_notice
