"""TranscribePanel's inputs: the Upload, Microphone and Path or URL tabs, and what each
stands for (a label, what the client uploads, what the player plays).

>>> tabs = InputTabs("recordings/talk.mp3")
>>> tabs.selected_index == PATH, [item.label for item in tabs.chosen()]
(True, ['recordings/talk.mp3'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .recorder import MicRecorder

__all__ = ["ACCEPT", "MICROPHONE", "PATH", "UPLOAD", "InputTabs", "PanelInput"]

ACCEPT = "audio/*,video/mp4,video/webm,.flac,.mp3,.mp4,.mpeg,.mpga,.m4a,.ogg,.oga,.opus,.wav,.webm"
UPLOAD, MICROPHONE, PATH = 0, 1, 2
_MISSING = {
    UPLOAD: "Choose audio files to upload first.",
    MICROPHONE: "Record something first: it is transcribed when you press Stop.",
    PATH: "Type a file path or an http(s) URL first.",
}


@dataclass
class PanelInput:
    label: str
    audio: Any  # what the client uploads (a URL is downloaded first)
    play: Any  # what the player plays


class InputTabs(widgets.Tab):
    """The three ways to give audio; ``chosen()`` is what the selected tab holds."""

    def __init__(self, source: str | None = None, **kwargs: Any) -> None:
        self.upload = widgets.FileUpload(accept=ACCEPT, multiple=True, description="Audio files")
        # Sent, and so transcribed, when the user presses Stop: one Transcribe button, the panel's.
        self.recorder = MicRecorder(auto_send=True)
        self.path = widgets.Text(
            value=source or "",
            placeholder="recordings/talk.mp3 or https://…",
            description="Path or URL",
            style={"description_width": "6.5em"},
            layout=widgets.Layout(width="100%"),
        )
        self.uploaded: list[PanelInput] = []
        hint = "<small>Several files at once; each is transcribed on arrival.</small>"
        super().__init__(
            children=[widgets.VBox([self.upload, widgets.HTML(hint)]), self.recorder, self.path],
            titles=("Upload", "Microphone", "Path or URL"),
            selected_index=PATH if source else UPLOAD,
            **kwargs,
        )

    def chosen(self) -> list[PanelInput]:
        """The selected tab's inputs: the uploaded files, the last recording, or the path."""
        where = self.selected_index
        if where == UPLOAD:
            return self.uploaded
        if where == MICROPHONE:
            return self.recording()
        text = self.path.value.strip()
        if not text:
            return []
        if text.lower().startswith(("http://", "https://")):
            return [PanelInput(text, text, text)]
        path = Path(text).expanduser()
        return [PanelInput(text, path, path)]

    def missing(self) -> str:
        """What to do when the selected tab holds nothing."""
        return _MISSING[self.selected_index]

    def recording(self) -> list[PanelInput]:
        audio = self.recorder.audio
        return [PanelInput("recording", audio, audio)] if audio else []

    def take_uploads(self, files: Any) -> list[PanelInput]:
        """Keep the files just uploaded (the Upload tab's inputs from now on)."""
        self.uploaded = [
            PanelInput(
                f["name"], (f["name"], bytes(f["content"])), (f["name"], bytes(f["content"]))
            )
            for f in files
        ]
        self.upload.value = ()  # so that choosing the same file again is a change too
        self.selected_index = UPLOAD
        return self.uploaded
