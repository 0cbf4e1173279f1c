"""SpeechStudio: type text, choose model, voice, format, speed and style, press Speak.

It calls the session's client (``session.get_client()``) like ``%comet_say`` does, plays
the ``Speech``, saves or downloads it, and lists every speech made in this kernel.

>>> from comet_audio_nb.widgets import SpeechStudio
>>> studio = SpeechStudio("Hello from the notebook")                  # doctest: +SKIP
>>> studio                                                            # doctest: +SKIP
>>> studio.speak(); studio.wait(); studio.speech                      # doctest: +SKIP
Speech(voice='alloy', 1.4 s, 23 KB mp3)
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from traitlets import Bool

from ..constants import MAX_SPEECH_CHARS, SPEECH_FORMATS, SPEECH_MODELS
from ..notebook.error_display import error_sentence
from ._common import (
    SUGGESTED_VOICES,
    ChoiceBox,
    DownloadLink,
    Runner,
    offer_models,
    status_html,
)
from .clip import ClipPlayer
from .static import StaticView

if TYPE_CHECKING:
    from ..client import CometClient
    from ..results import Speech

__all__ = ["SpeechStudio", "HistoryEntry", "speech_history"]

MAX_HISTORY = 100  # speeches kept for replay (newest); older ones are dropped from memory
_LABEL = {"description_width": "4.5em"}


@dataclass(frozen=True)
class HistoryEntry:
    """One speech made by a studio in this kernel."""

    number: int
    made_at: datetime
    speech: Speech


class _History:
    """The kernel-wide list of speeches, and the studios that show it."""

    def __init__(self) -> None:
        self.entries: deque[HistoryEntry] = deque(maxlen=MAX_HISTORY)
        self.studios: weakref.WeakSet[SpeechStudio] = weakref.WeakSet()
        self.lock = threading.Lock()
        self.count = 0

    def add(self, speech: Speech) -> HistoryEntry:
        with self.lock:
            self.count += 1
            entry = HistoryEntry(self.count, datetime.now(), speech)
            self.entries.append(entry)
            studios = list(self.studios)
        for studio in studios:
            studio._refresh_history()
        return entry

    def snapshot(self) -> list[HistoryEntry]:
        with self.lock:
            return list(self.entries)


_history = _History()


def speech_history() -> list[HistoryEntry]:
    """Every speech the studios made in this kernel (the newest ``MAX_HISTORY``), oldest first."""
    return _history.snapshot()


class SpeechStudio(StaticView, widgets.VBox):
    """A panel for text to speech: text (with a count against the 4,096-character limit),
    model, voice, format, speed and style; Speak; the player; Save and Download; and a
    history of the speeches made in this kernel, each of which can be replayed.

    The options start at ``model``, ``voice``, ... when given, else at the
    ``%config CometAudio.*`` defaults. The request runs in the background with
    the Speak button disabled; ``wait()`` blocks until it is done. ``background=False``
    runs it in the caller's thread instead (scripts, tests). Errors show in the status
    line and the panel goes on working.

    ``stream=True`` (the Stream box) plays the speech while it arrives, as
    ``%comet_say --stream`` does (``widgets.StreamPlayer``): the first sentence is heard
    while the rest is made, then the clip player takes over from the same position.
    """

    busy = Bool(False, help="True while a request runs")

    def __init__(
        self,
        text: str = "",
        *,
        model: str | None = None,
        voice: str | None = None,
        response_format: str | None = None,
        speed: float | None = None,
        instructions: str | None = None,
        stream: bool = False,
        client: CometClient | None = None,
        background: bool = True,
        **kwargs: Any,
    ) -> None:
        from ..notebook.session import get_defaults

        defaults = get_defaults()
        model = model or defaults.speech_model
        voice = voice or defaults.voice
        self._client = client
        self._autoplay = defaults.autoplay
        self._runner = Runner(background=background, on_crash=self._crashed)
        self.speech: Speech | None = None
        self.text = widgets.Textarea(
            value=text,
            placeholder="Type what to say…",
            rows=5,
            layout=widgets.Layout(width="100%"),
        )
        self.count = widgets.HTML()
        # Known choices, and "other…" for any name the service takes (a cloned voice, a new model).
        self.model = ChoiceBox(model, [model, *SPEECH_MODELS], description="Model", style=_LABEL)
        self.voice = ChoiceBox(voice, SUGGESTED_VOICES, description="Voice", style=_LABEL)
        self.format = widgets.Dropdown(
            options=SPEECH_FORMATS,
            value=(response_format or defaults.response_format).lower(),
            description="Format",
            style=_LABEL,
        )
        self.speed = widgets.FloatSlider(
            value=defaults.speed if speed is None else speed,
            min=0.25,
            max=4.0,
            step=0.05,
            description="Speed",
            readout_format=".2f",
            style=_LABEL,
        )
        self.instructions = widgets.Text(
            value=defaults.instructions if instructions is None else instructions,
            description="Style",
            style=_LABEL,
            placeholder="how to speak, e.g. calm and warm (gpt-4o-mini-tts)",
            layout=widgets.Layout(width="100%"),
        )
        self.speak_button = widgets.Button(
            description="Speak", icon="play", button_style="primary", tooltip="Speak the text"
        )
        self.stream = widgets.Checkbox(
            value=stream, description="Stream", indent=False,
            tooltip="play while the audio arrives", layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self.status = widgets.HTML()
        self.player = ClipPlayer()  # hidden until there is a speech; plays only when told
        # where the player sits; a StreamPlayer takes its place while a stream plays
        self.player_box = widgets.Box([self.player])
        self.filename = widgets.Text(placeholder="speech.mp3", description="Save as", style=_LABEL)
        self.save_button = widgets.Button(
            description="Save",
            icon="save",
            disabled=True,
            tooltip="Write the audio beside the notebook",
        )
        self.download = DownloadLink(label="Download", disabled=True)
        self.history = widgets.VBox(layout=widgets.Layout(max_height="240px", overflow="auto"))
        self._history_rows: dict[int, widgets.HBox] = {}

        self.text.observe(self._count, names="value")
        self.format.observe(self._format_changed, names="value")
        self.speak_button.on_click(self.speak)
        self.save_button.on_click(lambda _: self.save())
        children = [
            self.text,
            self.count,
            widgets.HBox([self.model, self.voice]),
            widgets.HBox([self.format, self.speed]),
            self.instructions,
            widgets.HBox(
                [self.speak_button, self.stream, self.status],
                layout=widgets.Layout(align_items="center"),
            ),
            self.player_box,
            widgets.HBox(
                [self.filename, self.save_button, self.download],
                layout=widgets.Layout(align_items="center"),
            ),
            widgets.HTML("<b>History</b> <small>(this kernel; ▶ replays)</small>"),
            self.history,
        ]
        super().__init__(children=children, **kwargs)
        self.add_class("comet-speech-studio")
        self._count()
        self._format_changed()
        _history.studios.add(self)
        self._refresh_history()
        offer_models(self.model, "speech", self._get_client, background=background)

    # -- actions ------------------------------------------------------------------------
    def speak(self, button: Any = None) -> bool:
        """Speak the text with the chosen options; False if nothing was started.

        The result shows in the player and the history; ``speech`` holds it.
        """
        text = self.text.value
        if not text.strip():
            self._say("info", "Type some text to speak first.")
            return False
        if len(text) > MAX_SPEECH_CHARS:
            self._say(
                "error",
                f"The text is {len(text):,} characters; the limit is "
                f"{MAX_SPEECH_CHARS:,}, so shorten it.",
            )
            return False
        if self._runner.busy:
            self._say("busy", "Still speaking the last text; wait for it to finish.")
            return False
        options = self.options()
        self._set_busy(True)
        self._say(
            "busy", f"Speaking {len(text):,} characters ({options['model']}, {options['voice']})…"
        )
        if not self._runner.submit(lambda: self._speak(text, options)):
            self._set_busy(False)
            return False
        return True

    def options(self) -> dict[str, Any]:
        """The ``CometClient.speech`` options the controls stand for (as ``%comet_say``'s)."""
        from ..notebook.options import speech_options

        return speech_options(
            model=self.model.value, voice=self.voice.value, response_format=self.format.value,
            speed=self.speed.value, instructions=self.instructions.value,
        )  # fmt: skip

    def wait(self, timeout: float | None = 120.0) -> bool:
        """Block until the running request is done (True), or ``timeout`` seconds pass."""
        return self._runner.wait(timeout)

    def save(self, path: str | None = None) -> Any:
        """Write the speech on show to ``path`` (default: the Save-as box, else speech.<format>)
        beside the notebook; returns the path, or None if there was nothing to save."""
        if self.speech is None:
            self._say("info", "Speak something first; then it can be saved.")
            return None
        target = (path or self.filename.value).strip() or f"speech.{self.speech.format}"
        try:
            saved = self.speech.save(target)
        except OSError as error:
            self._say("error", f"Could not save: {error_sentence(error)}.")
            return None
        self._say("ok", f"Saved to {saved}.")
        return saved

    def replay(self, number: int) -> None:
        """Put history entry ``number`` (the # column) back in the player and play it."""
        entry = next((e for e in _history.snapshot() if e.number == number), None)
        if entry is None:
            self._say("error", f"#{number} is no longer in the history.")
            return
        self._show(entry.speech, play=True)
        self._say("ok", f"Replaying #{number}.")

    # -- work in the background -----------------------------------------------------------
    def _speak(self, text: str, options: dict[str, Any]) -> None:
        live = None
        try:
            if self.stream.value:
                live, speech = self._stream(text, options)
            else:
                speech = self._get_client().speech(text, **options)
        except Exception as error:  # shown in one sentence; the panel goes on
            self._say("error", error_sentence(error), detail=str(error))
        else:
            self._show(speech, stream_id=live.stream_id if live else None)
            entry = _history.add(speech)
            took = f" in {speech.elapsed:.1f} s" if speech.elapsed is not None else ""
            if live is not None and live.first_audio is not None:
                took = f": heard after {live.first_audio:.1f} s, all in {live.seconds:.1f} s"
            length = f"{speech.duration:.1f} s" if speech.duration is not None else "audio"
            self._say("ok", f"#{entry.number}: {length} of speech ({speech.format}){took}.")
        finally:
            self._set_busy(False)

    def _stream(self, text: str, options: dict[str, Any]) -> tuple[Any, Speech]:
        """Play the speech while it arrives; the clip player takes over at the end (with
        what arrived, if the stream is cut)."""
        from .stream_player import StreamPlayer, stream_plan

        live = StreamPlayer(
            stream_plan(options["response_format"], text_length=len(text)),
            autoplay=self._autoplay,
        )
        self.player_box.children = [live]
        try:
            return live, live.play(self._get_client(), text, **options)
        except BaseException as error:
            arrived = getattr(error, "speech", None)
            if arrived is not None:
                self.player.show(arrived, stream_id=live.stream_id)
            raise
        finally:
            self.player_box.children = [self.player]
            live.close()

    def _crashed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._say("error", f"Unexpected error: {error_sentence(error)}")

    def _get_client(self) -> CometClient:
        from ..notebook.session import get_client

        return self._client if self._client is not None else get_client()

    # -- what the panel shows -------------------------------------------------------------
    def _show(self, speech: Speech, *, play: bool = False, stream_id: str | None = None) -> None:
        from ..results.views import playable

        mime = playable(speech)[1]
        self.speech = speech
        if stream_id:  # goes on from where the stream was
            self.player.show(speech, stream_id=stream_id)
        else:
            self.player.show(speech, play=play or self._autoplay)
        with self.download.hold_sync():
            self.download.data = speech.data
            self.download.mime = speech.content_type or mime
            self.download.filename = f"speech.{speech.format}"
            self.download.disabled = False
        self.filename.placeholder = f"speech.{speech.format}"
        self.save_button.disabled = False

    def _count(self, change: Any = None) -> None:
        n = len(self.text.value)
        if n > MAX_SPEECH_CHARS:
            over = f"{n:,} / {MAX_SPEECH_CHARS:,} characters: {n - MAX_SPEECH_CHARS:,} too many"
            self.count.value = f'<small style="color:#b91c1c">{over}</small>'
        else:
            self.count.value = f"<small>{n:,} / {MAX_SPEECH_CHARS:,} characters</small>"
        self.speak_button.disabled = self.busy or n > MAX_SPEECH_CHARS

    def _format_changed(self, change: Any = None) -> None:
        self.filename.placeholder = f"speech.{self.format.value}"

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.speak_button.disabled = busy or len(self.text.value) > MAX_SPEECH_CHARS
        self.speak_button.description = "Speaking…" if busy else "Speak"

    def _say(self, kind: str, text: str, *, detail: str = "") -> None:
        self.status.value = status_html(kind, text, detail=detail)

    def _refresh_history(self) -> None:
        entries = _history.snapshot()
        kept = {entry.number for entry in entries}
        for number in [n for n in self._history_rows if n not in kept]:
            self._history_rows.pop(number).close()
        for entry in entries:
            if entry.number not in self._history_rows:
                self._history_rows[entry.number] = self._history_row(entry)
        self.history.children = [self._history_rows[e.number] for e in reversed(entries)]

    def _history_row(self, entry: HistoryEntry) -> widgets.HBox:
        from ..results.markup import NO_MATHS_CLASSES
        from ..results.views import speech_caption

        replay = widgets.Button(
            description=f"▶ #{entry.number}", tooltip="Replay", layout=widgets.Layout(width="5.5em")
        )
        replay.on_click(lambda _: self.replay(entry.number))
        when = widgets.HTML(
            f"<small>{entry.made_at:%H:%M:%S}</small>", layout=widgets.Layout(width="5em")
        )
        # ipywidgets typesets a Label's value: the spoken text may hold "$"
        caption = widgets.Label(speech_caption(entry.speech), _dom_classes=NO_MATHS_CLASSES)
        return widgets.HBox([replay, when, caption], layout=widgets.Layout(align_items="center"))

    def close(self) -> None:
        _history.studios.discard(self)
        super().close()

    def __repr__(self) -> str:
        return f"SpeechStudio(busy={self.busy}, {len(_history.entries)} in history)"
