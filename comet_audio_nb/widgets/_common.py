"""What the panels share: background work, status lines, choice boxes, model choices,
downloads, and the players' ES modules.

>>> runner = Runner(background=False)
>>> runner.submit(lambda: None), runner.busy
(True, False)
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
from ipywidgets.widgets.trait_types import bytes_serialization
from traitlets import Bool, Bytes, Unicode

from ..constants import VOICES

__all__ = [
    "ChoiceBox",
    "DownloadLink",
    "LANGUAGES",
    "Runner",
    "SUGGESTED_VOICES",
    "close_tree",
    "esm",
    "load_models",
    "offer_models",
    "read_js",
    "status_html",
]

SUGGESTED_VOICES = VOICES  # the voice box takes any other name too
# Suggestions for the language box (ISO-639-1); empty means "detect".
LANGUAGES = ("en", "de", "es", "fr", "it", "ja", "ko", "nl", "pt", "ru", "zh", "ar", "hi")
_STATUS_COLOURS = {"error": "#b91c1c", "ok": "#166534", "busy": "#1d4ed8", "info": "inherit"}


def read_js(name: str) -> str:
    """The text of an ES module beside this file (no build step: the file is the module)."""
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


def esm(*names: str) -> str:
    """A player's ES module: ``results.playback``'s one-clip-at-a-time script, then the
    files ``names`` in order (the last one the module, those before it declarations it uses,
    such as ``transcript_lines.js``)."""
    from ..results.playback import playback_js

    return "\n".join([playback_js(), *(read_js(name) for name in names)])


class Runner:
    """Runs a panel's slow work one task at a time, off the kernel's main thread.

    With ``background=False`` the work runs at once, in the caller's thread (tests, scripts).
    ``wait()`` blocks until the current task is over. The work reports its own errors;
    anything it lets through goes to ``on_crash`` so that the panel can say so and carry on.
    """

    def __init__(
        self, *, background: bool = True, on_crash: Callable[[BaseException], None] | None = None
    ) -> None:
        self.background = background
        self.on_crash = on_crash
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def submit(self, work: Callable[[], Any]) -> bool:
        """Start ``work``; False (and nothing started) while another task runs."""
        with self._lock:
            if self.busy:
                return False
            self._idle.clear()
        if self.background:
            threading.Thread(
                target=self._run, args=(work,), name="comet-audio-widget", daemon=True
            ).start()
        else:
            self._run(work)
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no task runs (True), or ``timeout`` seconds pass (False)."""
        return self._idle.wait(timeout)

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            work()
        except Exception as error:  # a panel must outlive any error in its work
            if self.on_crash is not None:
                self.on_crash(error)
        finally:
            self._idle.set()


def close_tree(children: Iterable[Any]) -> None:
    """Close widgets and everything inside them (their front-end models go too)."""
    for child in children:
        close_tree(getattr(child, "children", ()))
        child.close()


def status_html(kind: str, text: str, *, detail: str = "") -> str:
    """A status line: ``kind`` is "ok", "error", "busy" or "info"; ``detail`` shows on hover.

    >>> status_html("ok", "Done")
    '<span class="comet-status comet-status-ok" style="color:#166534">✓ Done</span>'
    """
    mark = {"ok": "✓ ", "error": "✗ ", "busy": "⏳ "}.get(kind, "")
    colour = _STATUS_COLOURS.get(kind, "inherit")
    title = f' title="{html.escape(detail)}"' if detail else ""
    return (
        f'<span class="comet-status comet-status-{kind}" style="color:{colour}"{title}>'
        f"{mark}{html.escape(text)}</span>"
    )


class ChoiceBox(widgets.HBox):
    """A dropdown of the known choices that still takes any value: "other…" opens a text
    box beside it. ``value`` is the choice (or the text); ``options`` the known choices.

    >>> box = ChoiceBox("alloy", ["alloy", "nova"], description="Voice")
    >>> box.value = "my-voice"; box.options, box.value
    (['alloy', 'nova', 'my-voice'], 'my-voice')
    """

    OTHER = "other…"
    value = Unicode("", help="the chosen or typed value")

    def __init__(
        self, value: str, options: Iterable[str], *, description: str = "", **kwargs: Any
    ) -> None:
        self.pick = widgets.Dropdown(description=description, **kwargs)
        self.other = widgets.Text(  # taken on Enter or leaving the box, not at each key
            placeholder="any other name, ⏎",
            continuous_update=False,
            layout=widgets.Layout(width="11em", display="none"),
        )
        super().__init__([self.pick, self.other])
        self._known = list(dict.fromkeys(o for o in options if o))
        self._offering = False
        self.value = value
        self._offer()
        self.pick.observe(self._picked, names="value")
        self.other.observe(self._typed, names="value")
        self.observe(lambda _: self._offer(), names="value")

    @property
    def options(self) -> list[str]:
        return list(self._known)

    @options.setter
    def options(self, names: Iterable[str]) -> None:
        self._known = list(dict.fromkeys(n for n in names if n))
        self._offer()

    def _offer(self) -> None:
        if self.value and self.value not in self._known:
            self._known.append(self.value)
        self._offering = True  # the dropdown follows `value` here, not the other way round
        try:
            self.pick.options = [*self._known, self.OTHER]
            self.pick.value = self.value if self.value else self.OTHER
        finally:
            self._offering = False
        self.other.layout.display = "" if self.pick.value == self.OTHER else "none"

    def _picked(self, change: Any) -> None:
        if self._offering:
            return
        if change["new"] == self.OTHER:
            self.other.value = ""
            self.other.layout.display = ""
        elif change["new"] is not None:
            self.value = change["new"]

    def _typed(self, change: Any) -> None:
        if self.pick.value == self.OTHER and change["new"].strip():
            self.value = change["new"].strip()
            self._offer()


def load_models(
    task: str, client: Any, current: Iterable[str], apply: Callable[[list[str]], None]
) -> None:
    """Ask the service which models it has for ``task`` ("speech" or "transcription") and
    hand them to ``apply`` (the ``current`` names first). Keeps ``current`` if it cannot tell.

    ``/v1/models`` lists what the key may use (on the built-in engine: what it serves);
    the catalog's rules tell speech models from transcription ones.
    """
    from ..catalog import parse_record
    from ..catalog.pricing import audio_task

    names = [name for name in current if name]
    try:
        listed = client.list_models()
    except Exception:  # no list is no reason to stop: the box still takes any name
        apply(list(dict.fromkeys(names)))
        return
    for item in listed:
        try:
            if audio_task(parse_record(item)) == task:
                names.append(str(item["id"]))
        except Exception:  # one odd record must not hide the others
            continue
    apply(list(dict.fromkeys(names)))


def offer_models(
    box: Any, task: str, client: Callable[[], Any], *, background: bool = True
) -> None:
    """Fill a model box's suggestions from the service (see ``load_models``), in a thread
    so that the panel shows at once, or right away with ``background=False``."""

    def apply(names: list[str]) -> None:
        box.options = names

    def work() -> None:
        load_models(task, client(), [box.value], apply)

    if background:
        threading.Thread(target=work, name="comet-audio-models", daemon=True).start()
    else:
        work()


class DownloadLink(anywidget.AnyWidget):
    """A link that saves ``data`` in the browser as ``filename`` (no file on the kernel side).

    >>> link = DownloadLink(data=b"WEBVTT\\n", filename="talk.vtt", label="VTT")
    >>> link.filename
    'talk.vtt'
    """

    _esm = read_js("download.js")
    data = Bytes(b"").tag(sync=True, **bytes_serialization)
    filename = Unicode("download").tag(sync=True)
    mime = Unicode("application/octet-stream").tag(sync=True)
    label = Unicode("Download").tag(sync=True)
    disabled = Bool(False).tag(sync=True)

    def _static_html(self) -> str:
        return f"<button disabled>{html.escape(self.label)}</button>"
