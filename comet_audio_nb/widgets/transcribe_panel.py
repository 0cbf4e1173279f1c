"""TranscribePanel: upload files, record from the microphone or give a path or URL; get the
transcript with a synced player, the segments table and subtitle downloads.

It calls the session's client like ``%%comet_transcribe`` does and keeps the
``Transcript`` objects it made in ``transcripts``. With Stream ticked the text shows
growing while it arrives (``%%comet_transcribe --stream``).

>>> from comet_audio_nb.widgets import TranscribePanel
>>> panel = TranscribePanel(stream=True)                        # doctest: +SKIP
>>> panel                                                       # doctest: +SKIP
>>> panel.transcript.segments                 # after a run: the last Transcript  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from traitlets import Bool

from ..audio.downloads import Downloads, is_url
from ..constants import STREAMING_TRANSCRIBE_MODELS, TRANSCRIBE_MODELS, TRANSCRIPT_FORMATS
from ..errors import ValidationError
from ..notebook.error_display import error_sentence
from ..notebook.live_transcript import STREAM_IS_FOR, live_transcript
from ._common import (
    LANGUAGES,
    ChoiceBox,
    Runner,
    close_tree,
    offer_models,
    status_html,
)
from .live_text import LiveText
from .static import StaticView
from .transcribe_inputs import MICROPHONE, InputTabs, PanelInput
from .transcript_result import transcript_result

if TYPE_CHECKING:
    import pandas as pd

    from ..client import CometClient
    from ..results import Transcript
    from .player import TranscriptPlayer

__all__ = ["TranscribePanel"]

_LABEL = {"description_width": "6.5em"}
_STREAM_OFF = f"Stream {STREAM_IS_FOR}; untick Translate and leave the format auto or json."
_STREAM_TIP = f"Show the text growing as it arrives ({', '.join(STREAMING_TRANSCRIBE_MODELS[:2])})"


class TranscribePanel(StaticView, widgets.VBox):
    """A panel for speech to text. Inputs: several uploaded files, a microphone recording,
    or a path or URL. Options: model, language, prompt, response format, timestamps,
    translate to English, stream. Output: each transcript in a player that seeks where you
    click, its segments table, and SRT, VTT and text downloads.

    ``stream=True`` (the Stream checkbox, ``panel.stream.value``) shows each input's text
    growing while it arrives, then its transcript. gpt-4o-mini-transcribe and
    gpt-4o-transcribe stream; whisper-1 answers whole, and a line says so. A stream has
    no timestamps (the Timestamps control is off while Stream is ticked); translations and
    the verbose_json format come whole (Stream is off for them). A file over the upload
    limit is sent in parts, which does not stream. A stream cut off keeps its text.

    The options start at the arguments given, else at the ``%config CometAudio.*``
    defaults (timestamps: per segment). Uploads and recordings are transcribed as they
    arrive; Transcribe runs the selected input again with the current options. Work runs
    in the background (``wait()`` blocks until it is done; ``background=False`` runs it in
    the caller's thread). ``on_result`` is called with each Transcript. Errors show in the
    status line; the panel goes on.
    """

    busy = Bool(False, help="True while transcribing")

    def __init__(
        self,
        source: str | None = None,
        *,
        model: str | None = None,
        language: str | None = None,
        prompt: str = "",
        response_format: str | None = None,
        timestamps: str | None = "segment",
        translate: bool = False,
        stream: bool = False,
        client: CometClient | None = None,
        background: bool = True,
        on_result: Callable[[Transcript], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        from ..notebook.session import get_defaults

        defaults = get_defaults()
        model = model or defaults.transcribe_model
        self._client = client
        self._runner = Runner(background=background, on_crash=self._crashed)
        self.on_result = on_result
        self.transcripts: list[Transcript] = []
        self.errors: list[tuple[str, str]] = []  # (input, sentence) of the last run's failures
        self._details: list[str] = []  # each failure's full message, shown on hover
        self.player: TranscriptPlayer | None = None
        self.live_text = LiveText()  # in the results while an input streams

        self.inputs = InputTabs(source)
        self.upload, self.recorder = self.inputs.upload, self.inputs.recorder
        self.path = self.inputs.path
        models = [model, *TRANSCRIBE_MODELS]
        self.model = ChoiceBox(model, models, description="Model", style=_LABEL)
        self.language = widgets.Combobox(
            value=defaults.language if language is None else language,
            options=list(LANGUAGES),
            placeholder="detect",
            description="Language",
            ensure_option=False,
            style=_LABEL,
        )
        self.prompt = widgets.Text(
            value=prompt,
            description="Prompt",
            placeholder="names and spellings to expect",
            style=_LABEL,
        )
        self.response_format = widgets.Dropdown(
            options=[("auto", ""), *((f, f) for f in TRANSCRIPT_FORMATS)],
            value=(response_format or "").lower(),
            description="Format",
            style=_LABEL,
        )
        self.timestamps = widgets.Dropdown(
            options=[("none", ""), ("segment", "segment"), ("word", "word")],
            value="" if timestamps in (None, "none") else timestamps,
            description="Timestamps",
            style=_LABEL,
        )
        self.translate = widgets.Checkbox(
            value=translate, description="Translate to English", indent=False
        )
        self.stream = widgets.Checkbox(
            value=stream, description="Stream", indent=False, tooltip=_STREAM_TIP
        )
        self.transcribe_button = widgets.Button(
            description="Transcribe",
            icon="file-text",
            button_style="primary",
            tooltip="Transcribe the selected input with these options",
        )
        self.progress = widgets.IntProgress(
            min=0, max=1, bar_style="info", layout=widgets.Layout(display="none")
        )
        self.status = widgets.HTML()
        self.results = widgets.VBox()

        self.upload.observe(self._uploads_arrived, names="value")
        self.recorder.observe(self._recording_arrived, names="value")
        for control in (self.translate, self.response_format, self.stream):
            control.observe(self._options_changed, names="value")
        self.transcribe_button.on_click(self.transcribe)
        children = [
            self.inputs,
            widgets.HBox([self.model, self.language]),
            widgets.HBox([self.response_format, self.timestamps]),
            widgets.HBox([self.prompt, self.translate, self.stream]),
            widgets.HBox(
                [self.transcribe_button, self.progress, self.status],
                layout=widgets.Layout(align_items="center"),
            ),
            self.results,
        ]
        super().__init__(children=children, **kwargs)
        self.add_class("comet-transcribe-panel")
        self._options_changed()
        offer_models(self.model, "transcription", self._get_client, background=background)

    # -- results ----------------------------------------------------------------------------
    @property
    def transcript(self) -> Transcript | None:
        """The last transcript made (None before the first)."""
        return self.transcripts[-1] if self.transcripts else None

    @property
    def segments(self) -> pd.DataFrame | None:
        """The last transcript's segments as a DataFrame (None before the first)."""
        return self.transcript.segments if self.transcript is not None else None

    # -- actions ----------------------------------------------------------------------------
    def transcribe(self, button: Any = None) -> bool:
        """Transcribe the selected input (uploaded files, the last recording, or the path
        or URL) with the current options; False if nothing was started."""
        inputs = self.inputs.chosen()
        if not inputs:
            self._say("info", self.inputs.missing())
            return False
        return self._start(inputs)

    def options(self) -> dict[str, Any]:
        """The ``CometClient.transcribe`` (or ``translate``) options the controls stand for.

        Raises ``ValidationError`` for a combination the API refuses (the rules of
        ``%%comet_transcribe``).
        """
        from ..notebook.options import transcribe_options

        chosen_format = self.response_format.value
        translate = self.translate.value
        return transcribe_options(
            model=self.model.value,
            language="" if translate else self.language.value,
            prompt=self.prompt.value,
            response_format=chosen_format or None,
            # the control is disabled (and so ignored) for formats without timestamps and streams
            timestamps=None if self.timestamps.disabled else self.timestamps.value,
            translate=translate,
        )

    def wait(self, timeout: float | None = 300.0) -> bool:
        """Block until the running transcription is done (True), or ``timeout`` passes."""
        return self._runner.wait(timeout)

    # -- inputs -----------------------------------------------------------------------------
    def _uploads_arrived(self, change: Any) -> None:
        if change["new"]:
            self._start(self.inputs.take_uploads(change["new"]))

    def _recording_arrived(self, change: Any) -> None:
        recording = self.inputs.recording()
        if recording:
            self.inputs.selected_index = MICROPHONE
            self._start(recording)

    def _options_changed(self, change: Any = None) -> None:
        self.language.disabled = self.translate.value
        # translations and timestamps (verbose_json) come whole, as %%comet_transcribe --stream says
        self.stream.disabled = self.translate.value or self.response_format.value == "verbose_json"
        streams = self.stream.value and not self.stream.disabled
        self.timestamps.disabled = streams or self.response_format.value not in ("", "verbose_json")
        if self.stream.value and self.stream.disabled:
            self._say("info", _STREAM_OFF)
        elif change is not None and self.status.value == status_html("info", _STREAM_OFF):
            self._say("info", "")

    # -- work in the background ---------------------------------------------------------------
    def _start(self, inputs: list[PanelInput]) -> bool:
        if self._runner.busy:
            self._say("busy", "Still transcribing; press Transcribe again when it is done.")
            return False
        try:
            options = self.options()
        except ValidationError as error:
            self._say("error", error_sentence(error))
            return False
        self._set_busy(True, total=len(inputs))
        self._say("busy", f"Transcribing {inputs[0].label}…")
        work, translate = list(inputs), self.translate.value
        stream = self.stream.value and not self.stream.disabled
        if not self._runner.submit(lambda: self._run(work, options, translate, stream)):
            self._set_busy(False)
            return False
        return True

    def _run(
        self, inputs: list[PanelInput], options: dict[str, Any], translate: bool, stream: bool
    ) -> None:
        started = time.perf_counter()
        made: list[Transcript] = []
        self.errors, self._details = [], []
        close_tree(self.results.children)
        self.results.children = ()
        try:
            client = self._get_client()
            with Downloads(max_bytes=client.settings.max_upload_bytes) as downloads:
                for number, item in enumerate(inputs, 1):
                    if len(inputs) > 1:
                        self._say("busy", f"Transcribing {number} of {len(inputs)}: {item.label}…")
                    view = self._one(client, downloads, item, options, translate, stream, made)
                    if view is None and len(inputs) > 1:  # alone, its error is the status
                        view = self._error_row(-1)
                    if view is not None:
                        self.results.children = (*self.results.children, view)
                    self.progress.value = number
        except Exception as error:  # no client, say: shown in one sentence; the panel goes on
            self._say("error", error_sentence(error), detail=str(error))
            return
        finally:
            self.transcripts = made
            self._set_busy(False)
        self._summarise(made, time.perf_counter() - started)

    def _one(
        self,
        client: Any,
        downloads: Downloads,
        item: PanelInput,
        options: dict[str, Any],
        translate: bool,
        stream: bool,
        made: list[Transcript],
    ) -> widgets.Widget | None:
        """The result view of one input; None when it failed (``errors`` then says why)."""
        notes: list[str] = []
        try:
            audio = item.audio
            if isinstance(audio, str) and is_url(audio):
                audio = downloads.fetch(audio)
            if stream:
                transcript = self._live(client, audio, options, notes)
            else:
                from ..jobs.long_audio import transcribe_one

                # one file over the upload limit is split, as in %%comet_transcribe
                transcript = transcribe_one(client, audio, translate=translate, **options)
        except Exception as error:  # one failed input does not stop the others
            self._failed(item.label, error_sentence(error), error)
            return None
        transcript.source = item.label
        made.append(transcript)
        view = self._result_view(transcript, item)
        if notes:  # quiet lines: this model does not stream, or the file went in parts
            view.children = (*(widgets.HTML(status_html("info", n)) for n in notes), *view.children)
        if self.on_result is not None:
            try:
                self.on_result(transcript)
            except Exception as error:  # the user's callback: say so (once), and go on
                self._failed(item.label, f"on_result: {error_sentence(error)}", error)
                view.children = (self._error_row(-1), *view.children)
        return view

    def _live(self, client: Any, audio: Any, options: dict[str, Any], notes: list[str]) -> Any:
        """``audio`` streamed, its text growing in ``live_text`` at the foot of the results;
        a cut leaves what came there."""
        live = self.live_text
        live.show("")
        self.results.children = (*self.results.children, live)
        try:
            return live_transcript(client, audio, options, show=live.show, note=notes.append)
        except Exception:
            if live.text:
                self.results.children = (*self.results.children, live.kept())
            raise
        finally:
            self.results.children = tuple(c for c in self.results.children if c is not live)

    def _failed(self, label: str, sentence: str, error: BaseException) -> None:
        self.errors.append((label, sentence))
        self._details.append(str(error))

    def _error_row(self, index: int) -> widgets.HTML:
        (label, sentence), detail = self.errors[index], self._details[index]
        return widgets.HTML(status_html("error", f"{label}: {sentence}", detail=detail))

    def _summarise(self, made: list[Transcript], seconds: float) -> None:
        if not self.errors:
            what = "Transcribed" if made and made[0].task != "translate" else "Translated"
            count = f"{len(made)} inputs" if len(made) > 1 else made[0].source or "the audio"
            off = f" {_STREAM_OFF}" if self.stream.value and self.stream.disabled else ""
            self._say("ok", f"{what} {count} in {seconds:.1f} s.{off}")
        elif not made and len(self.errors) == 1:  # the one input: its error is shown here only
            self._say("error", self.errors[0][1], detail=self._details[0])
        elif not made:
            self._say("error", f"All {len(self.errors)} inputs failed (see below).")
        else:
            self._say("error", f"{len(made)} transcribed, {len(self.errors)} failed (see below).")

    def _crashed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._say("error", f"Unexpected error: {error_sentence(error)}")

    def _get_client(self) -> CometClient:
        from ..notebook.session import get_client

        return self._client if self._client is not None else get_client()

    # -- what the panel shows -----------------------------------------------------------------
    def _result_view(self, transcript: Transcript, item: PanelInput) -> widgets.VBox:
        view, player = transcript_result(transcript, item.label, item.play)
        if player is not None:
            self.player = player
        return view

    def _set_busy(self, busy: bool, *, total: int = 1) -> None:
        self.busy = busy
        self.transcribe_button.disabled = busy
        self.transcribe_button.description = "Transcribing…" if busy else "Transcribe"
        if busy:
            self.progress.max, self.progress.value = max(total, 1), 0
        self.progress.layout.display = "" if busy else "none"

    def _say(self, kind: str, text: str, *, detail: str = "") -> None:
        self.status.value = status_html(kind, text, detail=detail)

    def __repr__(self) -> str:
        last = f", last={self.transcript!r}" if self.transcript is not None else ""
        return f"TranscribePanel(busy={self.busy}{last})"
