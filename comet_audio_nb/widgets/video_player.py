"""VideoPlayer: a video with its transcript as captions, and the transcript beside it.

The transcript becomes a WebVTT captions track (speakers as voice spans, when it has them);
clicking a line seeks the video there and the line being spoken is highlighted, as in the
audio's transcript player. Browsers play mp4 and webm (Chromium cannot play QuickTime
mov): other containers are remuxed to mp4 (or webm) beside the notebook when their codecs
allow, else the player says why it cannot play them and the transcript still shows. A
video over ``embed_max_bytes`` is played from its file beside the notebook (Jupyter serves
it), never embedded in the notebook.

>>> t = CometClient().transcribe("talk.mp4", timestamp_granularities=["segment"])  # doctest: +SKIP
>>> t.video_player("talk.mp4")                                          # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
from ipywidgets.widgets.trait_types import bytes_serialization
from traitlets import Bytes, Float, Int, List, Unicode

from ..errors import ValidationError
from ..results.display import display_options
from ..results.speakers import speaker_line
from ._common import esm, read_js
from .player import player_segments
from .static import StaticView

if TYPE_CHECKING:
    from ..results import Transcript

__all__ = ["VideoPlayer", "captions", "video_source"]

_CUE_GAP = 0.01  # seconds between one cue's end and the next one's start
_MIME = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}


class VideoPlayer(StaticView, anywidget.AnyWidget):
    """The video (inline), its transcript as captions, and the transcript beside it.

    ``video``: a path (mp4, webm; mov and mkv are remuxed when they can be) or an http(s)
    URL the browser can fetch. ``problem`` says why the video cannot play (the transcript
    still shows); ``current_segment`` and ``current_time`` follow the browser; ``seek()``.
    """

    # With results.playback (one clip or video at a time) and the lines' shared code.
    _esm = esm("transcript_lines.js", "video_player.js")
    _css = read_js("video_player.css")

    video = Bytes(b"", help="a small video, sent to the browser").tag(
        sync=True, **bytes_serialization
    )
    video_mime = Unicode("").tag(sync=True)
    video_url = Unicode("", help="an http(s) URL the browser plays").tag(sync=True)
    video_file = Unicode("", help="the file beside the notebook, played from Jupyter").tag(
        sync=True
    )
    problem = Unicode("", help="why the video cannot be played here").tag(sync=True)
    captions = Unicode("", help="the transcript as WebVTT").tag(sync=True)
    segments = List(help="[{start, end, text}] shown beside the video").tag(sync=True)
    caption = Unicode("").tag(sync=True)
    current_segment = Int(-1).tag(sync=True)
    current_time = Float(0.0).tag(sync=True)

    def __init__(
        self,
        transcript: Transcript,
        video: Any,
        *,
        embed_max_bytes: int | None = None,
        folder: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> None:
        source = video_source(video, embed_max_bytes=embed_max_bytes, folder=folder)
        segments = player_segments(transcript)
        for segment, record in zip(segments, transcript.segment_records, strict=False):
            if isinstance(record, dict) and record.get("speaker"):
                segment["text"] = speaker_line({**record, "text": segment["text"]})
        from ..results.views import transcript_lines

        kwargs.setdefault("caption", transcript_lines(transcript)[0])
        super().__init__(captions=captions(transcript), segments=segments, **source, **kwargs)
        self.transcript = transcript
        self._name = Path(video).name if isinstance(video, (str, os.PathLike)) else "the video"

    def seek(self, seconds: float) -> None:
        """Move the browser's video to ``seconds`` (and highlight the line there)."""
        self.send({"type": "seek", "time": float(seconds)})

    def play(self) -> None:
        self.send({"type": "play"})

    def pause(self) -> None:
        self.send({"type": "pause"})

    def _static_html(self) -> str:
        """The saved picture: which video, and the transcript with its times."""
        from ..results.views import transcript_bundle

        shown = self.video_url or self._name
        note = f"video: {shown}" + (f" (cannot play: {self.problem})" if self.problem else "")
        return f"<div>{html.escape(note)}</div>{transcript_bundle(self.transcript)['text/html']}"

    def __repr__(self) -> str:
        where = self.video_url or Path(self.video_file).name or f"{len(self.video):,} bytes"
        tail = f", cannot play: {self.problem}" if self.problem else ""
        return f"VideoPlayer({self.transcript!r}, {where}{tail})"


def captions(transcript: Transcript) -> str:
    """The transcript as WebVTT captions, each cue ending just before the next begins
    (Whisper's segments may overlap a little, and a browser shows every cue that covers the
    moment: two lines at once)."""
    records = [dict(r) for r in transcript.segment_records if isinstance(r, dict)]
    for this, following in zip(records, records[1:], strict=False):
        start, end = following.get("start"), this.get("end")
        if isinstance(start, (int, float)) and isinstance(end, (int, float)) and end >= start:
            this["end"] = max(this.get("start") or 0.0, start - _CUE_GAP)
    return replace(transcript, segment_records=records, raw=None).to_vtt()


def video_source(
    video: Any, *, embed_max_bytes: int | None = None, folder: str | os.PathLike | None = None
) -> dict[str, Any]:
    """The traits that tell the browser what to play (see ``VideoPlayer``).

    >>> video_source("https://example.org/talk.mp4")["video_url"]
    'https://example.org/talk.mp4'
    """
    if isinstance(video, str) and video.lower().startswith(("http://", "https://")):
        return {"video_url": video}
    if not isinstance(video, (str, os.PathLike)):
        raise ValidationError(
            f"cannot play a {type(video).__name__}: pass the video's path or an http(s) URL"
        )
    path = Path(video).expanduser()
    if not path.is_file():
        raise ValidationError(f"no such video file: {path}", hint="check the path")
    limit = display_options.embed_max_bytes if embed_max_bytes is None else embed_max_bytes
    beside = Path(folder if folder is not None else display_options.audio_dir)
    try:
        from ..audio.video import playable_video

        played, why = playable_video(path, beside)
    except ValidationError as error:  # no PyAV, or a file it cannot read
        played, why = (path, "") if path.suffix.lower() in _MIME else (None, error.message)
    if played is None:
        return {"problem": why}
    mime = _MIME.get(played.suffix.lower(), "video/mp4")
    if played.stat().st_size <= limit:
        return {"video": played.read_bytes(), "video_mime": mime}
    return {"video_file": str(_beside_notebook(played, beside).resolve()), "video_mime": mime}


def _beside_notebook(path: Path, folder: Path) -> Path:
    """``path`` if it is in the notebook's folder (the kernel's), else a copy in ``folder``
    there: Jupyter serves only the files under the folder it was started in."""
    here = Path.cwd().resolve()
    if path.resolve().is_relative_to(here):
        return path
    target = (folder if folder.is_absolute() else here / folder) / path.name
    if not (target.is_file() and target.stat().st_size == path.stat().st_size):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target
