"""TranscriptPlayer: the audio with its transcript beside it; click a line or word to seek.

The segment (and word) being played is highlighted as the audio plays. Works from any
``Transcript`` with segments, and uses word timings where the transcript has them
(``timestamp_granularities=["segment", "word"]``), each word shown with the punctuation
around it in the text (the API's word lists have none). It plays one clip at a time with
the other players (``results.playback``) and starts only when clicked or told to.

A diarized transcript's lines (``gpt-4o-transcribe-diarize``, ``diarized_json``) each have
a border in their speaker's colour, the speaker's name on the first line of each turn, and
a legend above them gives each speaker's colour, talk time and share (click a speaker to
pick out their lines); the colours are ``results.speakers.speaker_colours``', the same as
in the transcript's HTML view and the player's saved picture.

>>> from comet_audio_nb import CometClient
>>> client = CometClient()                                               # doctest: +SKIP
>>> t = client.transcribe("talk.mp3", timestamp_granularities=["word"])  # doctest: +SKIP
>>> t.player("talk.mp3")                  # = TranscriptPlayer(t, "talk.mp3")  # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
from ipywidgets.widgets.trait_types import bytes_serialization
from traitlets import Bytes, Float, Int, List, Unicode

from ..results.speakers import speaker_legend, speaker_of
from ._common import esm, read_js
from .static import StaticView

if TYPE_CHECKING:
    from ..results import Transcript

__all__ = ["TranscriptPlayer", "audio_source", "player_segments", "video_player"]

MAX_AUDIO_BYTES = 64 * 1024 * 1024  # the browser gets the bytes; beyond this, pass a URL
MAX_STATIC_LINES = 40  # of the transcript in the picture saved for where widgets cannot render


class TranscriptPlayer(StaticView, anywidget.AnyWidget):
    """An audio player and the transcript, synced both ways.

    ``audio``: what was transcribed: a path, bytes, ``(filename, bytes)``, a ``Speech``,
    a ``MicRecorder``, or an http(s) URL the browser can fetch (None: transcript only).

    ``current_segment`` and ``current_time`` follow the browser's player (``-1``: before
    the first segment); ``seek(seconds)`` moves it from Python. ``speakers`` is the legend
    of a diarized transcript (empty for any other).

    >>> from comet_audio_nb import Transcript
    >>> t = Transcript("Hi there.", segment_records=[{"start": 0, "end": 1.2, "text": "Hi there."}])
    >>> TranscriptPlayer(t).segments
    [{'start': 0.0, 'end': 1.2, 'text': 'Hi there.', 'words': []}]
    """

    _esm = esm("transcript_lines.js", "player.js")
    _css = read_js("player.css")

    audio = Bytes(b"", help="the audio, sent to the browser as a binary buffer").tag(
        sync=True, **bytes_serialization
    )
    audio_mime = Unicode("", help="its MIME type").tag(sync=True)
    audio_url = Unicode("", help="a URL the browser plays instead of `audio`").tag(sync=True)
    caption = Unicode("").tag(sync=True)
    segments = List(help="[{start, end, text, words: [{word, start, end}], speaker?}]").tag(
        sync=True
    )
    speakers = List(
        help="a diarized transcript's [{speaker, colour, talk_seconds, turns, share}], in order "
        "of first appearance ([] without speakers: no legend)"
    ).tag(sync=True)
    height = Unicode("320px", help="the transcript column's greatest height").tag(sync=True)
    current_segment = Int(-1, help="the segment being played (set by the browser)").tag(sync=True)
    current_time = Float(0.0, help="where the player is, in seconds (set by the browser)").tag(
        sync=True
    )

    def __init__(self, transcript: Transcript, audio: Any = None, **kwargs: Any) -> None:
        data, mime, url = audio_source(audio)
        kwargs.setdefault("caption", _caption(transcript))
        super().__init__(
            audio=data,
            audio_mime=mime,
            audio_url=url,
            segments=player_segments(transcript),
            speakers=speaker_legend(transcript.segment_records),
            **kwargs,
        )
        self.transcript = transcript
        # A saved view plays a file beside the notebook, or a URL, from where it is.
        self._saved_src = url or _relative_path(audio)

    def seek(self, seconds: float) -> None:
        """Move the browser's player to ``seconds`` (and highlight the segment there)."""
        self.send({"type": "seek", "time": float(seconds)})

    def play(self) -> None:
        """Start playing, where the browser allows it."""
        self.send({"type": "play"})

    def pause(self) -> None:
        self.send({"type": "pause"})

    def _static_html(self) -> str:
        from ..results.views import transcript_bundle

        audio = ""
        if self._saved_src:
            src = html.escape(self._saved_src, quote=True)
            audio = f'<audio controls preload="none" src="{src}"></audio>'
        shown = transcript_bundle(self.transcript, max_rows=MAX_STATIC_LINES)["text/html"]
        return f"{audio}{shown}"

    def __repr__(self) -> str:
        return f"TranscriptPlayer({self.transcript!r}, {len(self.segments)} segments)"


def player_segments(transcript: Transcript) -> list[dict[str, Any]]:
    """The transcript's segments with times filled in and each word placed in its segment,
    its ``text`` the word as the segment's text writes it (with its punctuation); a
    segment of a diarized transcript keeps its ``speaker`` (the others have none).

    A transcript with words but no segments becomes one segment; one with neither, one
    untimed segment holding the text; one with no text at all (silence), no segment.

    >>> from comet_audio_nb import Transcript
    >>> t = Transcript("A, b.", word_records=[{"word": "a", "start": 0, "end": 0.5},
    ...                                       {"word": "b", "start": 0.5, "end": 1}])
    >>> [(s["start"], s["end"], [w["text"] for w in s["words"]]) for s in player_segments(t)]
    [(0.0, 1.0, ['A,', 'b.'])]
    """
    segments = _timed_segments(transcript)
    for segment in segments:
        _punctuate(segment["text"], segment["words"])
    if not any(s["text"] or s["words"] for s in segments):
        return []  # nothing was heard: the player says so
    return segments


def _timed_segments(transcript: Transcript) -> list[dict[str, Any]]:
    words = [
        {
            "word": str(w.get("word") or ""),
            "start": _number(w.get("start")),
            "end": _number(w.get("end")),
        }
        for w in transcript.word_records
        if isinstance(w, dict) and _number(w.get("start")) is not None
    ]
    records = [s for s in transcript.segment_records if isinstance(s, dict)]
    if not records:
        if words:
            end = words[-1]["end"] if words[-1]["end"] is not None else transcript.duration
            return [
                {"start": words[0]["start"], "end": end, "text": transcript.text, "words": words}
            ]
        return [{"start": 0.0, "end": transcript.duration, "text": transcript.text, "words": []}]
    segments: list[dict[str, Any]] = []
    previous_end = 0.0
    for i, record in enumerate(records):
        start = _number(record.get("start"))
        start = previous_end if start is None else max(start, 0.0)
        end = _number(record.get("end"))
        if end is None:
            later = [_number(r.get("start")) for r in records[i + 1 :]]
            end = next((t for t in later if t is not None), transcript.duration)
        text = str(record.get("text") or "").strip()
        segment = {"start": start, "end": end, "text": text, "words": []}
        if speaker := speaker_of(record):
            segment["speaker"] = speaker
        segments.append(segment)
        previous_end = end if end is not None else start
    starts = [segment["start"] for segment in segments]
    for word in words:
        # A word belongs to the last segment starting at or before its middle (recognisers
        # sometimes start a word a hair before its segment).
        middle = (word["start"] + max(word["start"], word["end"] or word["start"])) / 2
        segments[max(0, bisect_right(starts, middle) - 1)]["words"].append(word)
    return segments


def _punctuate(text: str, words: list[dict[str, Any]]) -> None:
    """Set each word's ``text``: the word as ``text`` writes it, with the punctuation that
    touches it (``"Hello, world."`` and the words hello, world: ``"Hello,"``, ``"world."``)."""
    lowered, position, spans = text.lower(), 0, []
    for word in words:
        token = word["word"].strip().lower()
        at = lowered.find(token, position) if token else -1
        spans.append((at, at + len(token)) if at >= 0 else None)
        if at >= 0:
            position = at + len(token)
    for word in words:
        word["text"] = word["word"].strip()
    matched = [(word, span) for word, span in zip(words, spans, strict=True) if span]
    for index, (word, (start, end)) in enumerate(matched):
        low = matched[index - 1][1][1] if index else 0
        high = matched[index + 1][1][0] if index + 1 < len(matched) else len(text)
        while start > low and not text[start - 1].isspace():
            start -= 1
        while end < high and not text[end].isspace():
            end += 1
        word["text"] = text[start:end]


def audio_source(audio: Any) -> tuple[bytes, str, str]:
    """(bytes, MIME type, URL) for the browser's player; a URL is played from where it is.

    >>> audio_source("https://example.org/talk.mp3")
    (b'', '', 'https://example.org/talk.mp3')
    >>> audio_source(b"RIFF\\x00\\x00\\x00\\x00WAVEfmt ")[1]
    'audio/wav'
    """
    from ..audio import speech_audio
    from ..results.views import playable
    from .recorder import MicRecorder

    if audio is None:
        return b"", "", ""
    if isinstance(audio, MicRecorder):
        return audio.value, audio.mime_type.split(";")[0], ""
    if speech_audio(audio) is not None:
        data, mime, _ = playable(audio)
        return data, mime, ""
    name = None
    if isinstance(audio, tuple) and len(audio) == 2:
        name, audio = str(audio[0]), audio[1]
    if isinstance(audio, str) and audio.lower().startswith(("http://", "https://")):
        return b"", "", audio
    if isinstance(audio, (str, os.PathLike)):
        path = Path(audio).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"no such audio file: {path}")
        _check_size(path.stat().st_size, str(path))
        name, audio = name or path.name, path.read_bytes()
    if isinstance(audio, (bytes, bytearray, memoryview)):
        data = bytes(audio)
        _check_size(len(data), name or "the audio")
        return data, _mime(data, name), ""
    raise TypeError(
        f"cannot play a {type(audio).__name__}: pass a path, bytes, (filename, bytes), "
        "a Speech, a MicRecorder or a URL"
    )


def _mime(data: bytes, name: str | None) -> str:
    from ..audio import sniff_format
    from ..constants import UPLOAD_MIME

    kind = sniff_format(data[:16]) or (Path(name).suffix.lower().lstrip(".") if name else "")
    return UPLOAD_MIME.get(kind, "application/octet-stream")


def _relative_path(audio: Any) -> str:
    if isinstance(audio, tuple) and len(audio) == 2:
        audio = audio[0] if isinstance(audio[1], (str, os.PathLike)) else None
    if isinstance(audio, (str, os.PathLike)) and not Path(audio).is_absolute():
        return Path(audio).as_posix()
    return ""


def _check_size(size: int, what: str) -> None:
    if size > MAX_AUDIO_BYTES:
        raise ValueError(
            f"{what} is {size / 1e6:.0f} MB, too large to send to the browser: pass a URL "
            "where the browser can fetch it instead"
        )


def _caption(transcript: Transcript) -> str:
    from ..results.views import transcript_lines

    return transcript_lines(transcript)[0]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def video_player(transcript: Transcript, video: Any, **options: Any) -> Any:
    """``Transcript.video_player()``: the video player of ``video_player.py``, reached
    through this module, the one that ``Transcript``'s declared convenience may import."""
    from .video_player import VideoPlayer

    return VideoPlayer(transcript, video, **options)
