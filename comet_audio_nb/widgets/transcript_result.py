"""One transcript as the TranscribePanel shows it: the synced player (or the timed text when
there is no audio to play), the segments table in a drawer, and SRT, VTT and text downloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import DownloadLink
from .player import TranscriptPlayer

if TYPE_CHECKING:
    from ..results import Transcript

__all__ = ["transcript_result"]


def transcript_result(
    transcript: Transcript, label: str, audio: Any
) -> tuple[widgets.VBox, TranscriptPlayer | None]:
    """The result box for ``transcript`` of the input ``label``, and its player if any."""
    from ..results.views import transcript_bundle

    player: TranscriptPlayer | None = None
    try:
        player = TranscriptPlayer(transcript, audio)
        view: widgets.Widget = player
    except (OSError, ValueError, TypeError):  # no playable audio: the text alone
        view = widgets.HTML(transcript_bundle(transcript)["text/html"])
    parts = [view]
    if transcript.segment_records:
        table = widgets.HTML(transcript.segments._repr_html_())
        rows = len(transcript.segment_records)
        drawer = widgets.Accordion(
            children=[table], titles=(f"Segments ({rows} row{'s' if rows != 1 else ''})",)
        )
        drawer.selected_index = None
        parts.append(drawer)
    stem = Path(label.split("?", 1)[0].rstrip("/")).stem or "transcript"
    files = (
        ("SRT", "srt", "application/x-subrip", transcript.to_srt()),
        ("VTT", "vtt", "text/vtt", transcript.to_vtt()),
        ("Text", "txt", "text/plain", transcript.text),
    )
    downloads = [
        DownloadLink(data=text.encode(), filename=f"{stem}.{ext}", mime=mime, label=label)
        for label, ext, mime, text in files
    ]
    parts.append(widgets.HBox(downloads))
    box = widgets.VBox(parts, layout=widgets.Layout(margin="6px 0"))
    box.add_class("comet-transcript-result")
    return box, player
