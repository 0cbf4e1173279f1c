"""MicRecorder: record from the browser's microphone and receive the recording as bytes.

A cell cannot wait for a widget value (comm messages are handled only after the cell
ends), so the recorder is callback-driven: when the user sends a recording, ``value``
(the bytes, as a binary buffer) and ``mime_type`` change together; observe ``value``.

>>> from comet_audio_nb.widgets import MicRecorder
>>> recorder = MicRecorder()
>>> def on_recording(change):                                      # doctest: +SKIP
...     transcript = session.get_client().transcribe(recorder.audio)
>>> recorder.observe(on_recording, names="value")                  # doctest: +SKIP
>>> recorder                                                       # doctest: +SKIP
"""

from __future__ import annotations

import anywidget
from ipywidgets.widgets.trait_types import bytes_serialization
from traitlets import Bool, Bytes, CaselessStrEnum, Float, Unicode

from ._common import esm
from .static import StaticView

__all__ = ["MicRecorder", "recording_extension"]

# MediaRecorder's container types, and the file extension the API knows each by.
_EXTENSIONS = {
    "audio/webm": "webm",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "application/ogg": "ogg",
    "audio/mp4": "mp4",
    "video/mp4": "mp4",
    "audio/x-m4a": "m4a",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
}
STATES = ("idle", "recording", "recorded", "sent", "error")


def recording_extension(mime_type: str) -> str:
    """The upload extension for a MediaRecorder MIME type (codecs ignored); webm if unknown.

    >>> recording_extension("audio/ogg;codecs=opus"), recording_extension("audio/mp4")
    ('ogg', 'mp4')
    """
    return _EXTENSIONS.get(mime_type.split(";", 1)[0].strip().lower(), "webm")


class MicRecorder(StaticView, anywidget.AnyWidget):
    """Record / Stop / Re-record buttons, a level meter and the elapsed time while
    recording, and a player for the recording before it is sent.

    ``auto_send=True`` sends each recording as soon as it stops; otherwise the user listens
    and presses the send button (``send_label``). ``max_seconds`` stops a forgotten
    recording. ``status`` follows the browser: idle, recording, recorded, sent or error
    (``error`` then holds the message, e.g. for a blocked microphone or an insecure page).
    """

    _esm = esm("recorder.js")

    value = Bytes(b"", help="the last recording sent, as the browser encoded it").tag(
        sync=True, **bytes_serialization
    )
    mime_type = Unicode("", help="its MIME type, e.g. audio/webm;codecs=opus").tag(sync=True)
    status = CaselessStrEnum(STATES, default_value="idle").tag(sync=True)
    error = Unicode("", help="why the microphone could not be used").tag(sync=True)
    auto_send = Bool(False, help="send each recording as soon as it stops").tag(sync=True)
    send_label = Unicode("Send", help="the send button's text").tag(sync=True)
    max_seconds = Float(600.0, help="recordings stop by themselves after this long").tag(sync=True)

    @property
    def filename(self) -> str:
        """``recording.webm`` (or .ogg, .mp4): the name the recording is uploaded under."""
        return f"recording.{recording_extension(self.mime_type)}"

    @property
    def audio(self) -> tuple[str, bytes] | None:
        """``(filename, bytes)`` for ``CometClient.transcribe``; None before a recording."""
        return (self.filename, self.value) if self.value else None

    def clear(self) -> None:
        """Forget the last recording (the browser keeps its own until the next one)."""
        self.value, self.mime_type = b"", ""

    def _static_html(self) -> str:
        return "<button disabled>● Record</button>"

    def __repr__(self) -> str:
        size = f", {len(self.value) / 1024:.0f} KB {self.mime_type}" if self.value else ""
        return f"MicRecorder(status={self.status!r}{size})"
