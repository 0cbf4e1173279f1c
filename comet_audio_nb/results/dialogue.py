"""DialogueSpeech: a script spoken as one file, each line's speaker, voice, start and end known.

Because it knows where every line is, it is also its own transcript: ``transcript`` (one
segment per line, with its speaker), SRT and WebVTT with speakers (``Ana: …`` and
``<v Ana>``), and ``transcript_view()``, the transcript player, which highlights the line
being spoken.

>>> lines = [{"speaker": "A", "voice": "alloy", "text": "Hi.", "start": 0.0, "end": 0.5},
...          {"speaker": "B", "voice": "nova", "text": "Hello.", "start": 0.85, "end": 1.5}]
>>> d = DialogueSpeech(b"\\x00\\x00" * 36_000, format="pcm", content_type="audio/pcm", lines=lines)
>>> print(d.to_vtt(), end="")
WEBVTT
<BLANKLINE>
00:00:00.000 --> 00:00:00.500
<v A>Hi.
<BLANKLINE>
00:00:00.850 --> 00:00:01.500
<v B>Hello.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .markup import as_written
from .speech import Speech
from .text import clock, human_size, seconds_label
from .transcript import Transcript

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DialogueSpeech", "LINE_COLUMNS"]

LINE_COLUMNS = ("speaker", "voice", "text", "start", "end")
_CAPTION = "font-size:0.85em;opacity:0.75;margin-top:2px"
_TIME = "font-family:monospace;opacity:0.6;margin-right:0.6em"


@dataclass(repr=False)
class DialogueSpeech(Speech):
    """Speech of a whole script; ``lines`` holds ``{speaker, voice, text, start, end}`` per
    line of the script, in order, times in seconds on this audio's timeline."""

    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def speakers(self) -> dict[str, str]:
        """Speaker → the voice that spoke their lines, in order of first appearance."""
        return {line["speaker"]: line["voice"] for line in self.lines}

    @property
    def df(self) -> pd.DataFrame:
        """One row per line: speaker, voice, text, start, end (seconds)."""
        import pandas as pd

        frame = pd.DataFrame([{k: line.get(k) for k in LINE_COLUMNS} for line in self.lines],
                             columns=list(LINE_COLUMNS))  # fmt: skip
        for name in ("start", "end"):
            frame[name] = frame[name].astype("float64")
        return frame

    @property
    def transcript(self) -> Transcript:
        """The script as a Transcript: one segment per line, with its speaker."""
        segments = [
            {"id": i, "start": line["start"], "end": line["end"], "text": line["text"],
             "speaker": line["speaker"]}
            for i, line in enumerate(self.lines)
        ]  # fmt: skip
        return Transcript(
            " ".join(line["text"] for line in self.lines),
            language="english",
            duration=self.duration,
            response_format="diarized_json",
            segment_records=segments,
            model=self.model,
            source="dialogue",
        )

    def to_srt(self) -> str:
        """SubRip subtitles, one cue per line, ``Name: `` before each line's text."""
        return self.transcript.to_srt()

    def to_vtt(self) -> str:
        """WebVTT subtitles, one cue per line, each a voice span (``<v Name>``)."""
        return self.transcript.to_vtt()

    def transcript_view(self):
        """The audio beside the script: the line being spoken is highlighted, and a click
        on a line plays from there (the transcript player, each line in its speaker's
        colour, named at each turn, under a legend of the speakers)."""
        return self.transcript.player(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        bundle = self.player()._repr_mimebundle_(include, exclude)
        rows = [
            (f"[{clock(line['start'])} → {clock(line['end'])}]",
             f"{line['speaker']} ({line['voice']}): {line['text']}")
            for line in self.lines
        ]  # fmt: skip
        body = "".join(
            f'<div><span style="{_TIME}">{html.escape(stamp)}</span>{html.escape(text)}</div>'
            for stamp, text in rows
        )
        tip = "transcript_view() highlights the line being spoken; to_srt() / to_vtt()"
        tail = f'{body}<div style="{_CAPTION}">{html.escape(tip)}</div>'
        bundle["text/html"] = as_written(bundle["text/html"] + tail, css_class="comet-dialogue")
        bundle["text/plain"] = "\n".join([repr(self), *(f"{s} {t}" for s, t in rows)])
        return bundle

    def __repr__(self) -> str:
        count = len(self.speakers)
        parts = [f"{count} speaker{'s' if count != 1 else ''}", f"{len(self.lines)} lines"]
        if self.duration is not None:
            parts.append(seconds_label(self.duration))
        parts.append(f"{human_size(self.size)} {self.format}")
        return f"DialogueSpeech({', '.join(parts)})"
