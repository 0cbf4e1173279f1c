"""ClipPlayer: one clip from bytes, with a clock in tenths; it plays when told to, live.

The studio's player (where its streaming player hands over, going on from there). It
never autoplays from saved state: ``play()`` sends a message, which only a
live view receives (see ``results.playback``), and starting it pauses every other player.

>>> from comet_audio_nb import Speech
>>> clip = ClipPlayer()
>>> clip.show(Speech(b"ID3" + bytes(64), format="mp3", content_type="audio/mpeg"))
>>> clip.mime, len(clip.value)
('audio/mpeg', 67)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import anywidget
from ipywidgets.widgets.trait_types import bytes_serialization
from traitlets import Bytes, Unicode

from ._common import esm

if TYPE_CHECKING:
    from ..results import Speech

__all__ = ["ClipPlayer"]


class ClipPlayer(anywidget.AnyWidget):
    """An ``<audio controls>`` for ``value`` (bytes of type ``mime``); hidden while empty."""

    _esm = esm("clip.js")

    value = Bytes(b"", help="the audio, sent to the browser as a binary buffer").tag(
        sync=True, **bytes_serialization
    )
    mime = Unicode("", help="its MIME type").tag(sync=True)
    stream_id = Unicode("", help="the streaming player it takes over from").tag(sync=True)

    def show(self, speech: Speech, *, play: bool = False, stream_id: str = "") -> None:
        """Load ``speech`` (pcm becomes WAV, other formats stay as they are); ``play``: start.
        ``stream_id``: it replaces that StreamPlayer, and goes on from where it was."""
        from ..results.views import playable

        data, mime, _ = playable(speech)
        with self.hold_sync():
            self.mime, self.value, self.stream_id = mime, data, stream_id
        if play:
            self.play()

    def play(self) -> None:
        """Start playing in the views on show now (the browser may still refuse)."""
        self.send({"type": "play"})

    def pause(self) -> None:
        self.send({"type": "pause"})

    def _static_html(self) -> str:
        return ""  # the audio is in the widget's state; a saved view does not hold it twice

    def __repr__(self) -> str:
        loaded = f"{len(self.value) / 1024:.0f} KB {self.mime}" if self.value else "empty"
        return f"ClipPlayer({loaded})"
