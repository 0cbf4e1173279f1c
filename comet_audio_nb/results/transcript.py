"""Transcript: recognised text with segment and word timings; subtitles; a notebook view."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .frames import records_frame
from .logprobs import logprob_frame, word_confidence
from .speakers import cue_text, speaker_of, speaker_table
from .subtitles import normalise_subtitles, parse_srt, parse_vtt, render_srt, render_vtt
from .text import seconds_label, shorten
from .values import as_float

if TYPE_CHECKING:
    import pandas as pd

_TRANSCRIPT_EXTENSIONS = {"srt": ".srt", "vtt": ".vtt"} | dict.fromkeys(
    ("json", "verbose_json", "diarized_json"), ".json"
)


def saved_fields() -> list:
    """The fields of a Transcript that go into a saved file (all but ``headers``)."""
    return [f for f in fields(Transcript) if f.metadata.get("saved", True)]


@dataclass(repr=False)
class Transcript:
    """Text recognized from audio, with segment and word timings when the format gives them.

    >>> t = Transcript("Hello.")
    >>> str(t)
    'Hello.'
    >>> print(t.to_srt(), end="")
    1
    00:00:00,000 --> 00:00:00,000
    Hello.
    """

    text: str
    language: str | None = None
    duration: float | None = None
    task: str = "transcribe"
    response_format: str = "json"
    segment_records: list[dict] = field(default_factory=list)
    word_records: list[dict] = field(default_factory=list)
    logprob_records: list[dict] = field(default_factory=list)
    raw: str | dict | None = None
    usage: dict | None = None
    model: str | None = None
    request_id: str | None = None
    elapsed: float | None = None
    source: str | None = None
    # The answer's response headers (lower-case names), for what the client does not read
    # itself: ``headers.get("x-local-recogniser")`` says which model the engine used.
    # Not saved (``save(".json")``, the transcript cache): cookies have no place in a file.
    headers: dict[str, str] = field(
        default_factory=dict, repr=False, compare=False, metadata={"saved": False}
    )

    @property
    def segments(self) -> pd.DataFrame:
        """Segments as a DataFrame: ``start``, ``end`` (float seconds), ``text``, ``id``, …;
        a diarized transcript's have a ``speaker`` column.

        >>> t = Transcript("Hi", segment_records=[{"id": 0, "start": 0, "end": 1, "text": "Hi"}])
        >>> t.segments.columns.tolist()
        ['start', 'end', 'text', 'id']
        """
        return records_frame(self.segment_records, ("start", "end", "text"))

    @property
    def words(self) -> pd.DataFrame:
        """Words as a DataFrame: ``word``, ``start``, ``end`` (float seconds); where the
        words carry a probability, a ``confidence`` column (0 to 1) too."""
        frame = records_frame(self.word_records, ("word", "start", "end"))
        if any(word_confidence(w) is not None for w in self.word_records):
            frame["confidence"] = [word_confidence(w) for w in self.word_records]
            frame["confidence"] = frame["confidence"].astype("float64")
        return frame

    @property
    def speakers(self) -> pd.DataFrame:
        """Who talked, from a diarized transcript's segments: ``speaker``, ``talk_seconds``,
        ``turns`` and ``share`` (of all talk), in order of first appearance; no rows when
        the segments have no speakers. Speaker letters (``A``, ``B``) of long media sent in
        chunks are per chunk unless known speakers were given.

        >>> t = Transcript("Hi. Hello.", segment_records=[
        ...     {"start": 0, "end": 1, "speaker": "Ana", "text": "Hi."},
        ...     {"start": 1, "end": 4, "speaker": "Ben", "text": "Hello."}])
        >>> t.speakers["share"].tolist()
        [0.25, 0.75]
        """
        return speaker_table(self.segment_records)

    @property
    def logprobs(self) -> pd.DataFrame:
        """Token log-probabilities (``include=["logprobs"]``): ``token``, ``logprob`` and
        ``probability`` per token; no rows when the answer had none.

        >>> t = Transcript("Hi", logprob_records=[{"token": "Hi", "logprob": 0.0}])
        >>> t.logprobs.probability.tolist()
        [1.0]
        """
        return logprob_frame(self.logprob_records)

    def to_srt(self) -> str:
        """The transcript as SubRip subtitles (one cue per segment; ``Ana: `` before the
        text of a segment with a speaker).

        >>> print(Transcript("Hi", duration=1.5).to_srt(), end="")
        1
        00:00:00,000 --> 00:00:01,500
        Hi
        """
        if self._raw_matches("srt"):
            return normalise_subtitles(str(self.raw), vtt=False)
        return render_srt(self._cues(vtt=False))

    def to_vtt(self) -> str:
        """The transcript as WebVTT subtitles (one cue per segment; a speaker's segments
        as voice spans, ``<v Ana>Hello.``).

        >>> print(Transcript("Hi", duration=1.5).to_vtt(), end="")
        WEBVTT
        <BLANKLINE>
        00:00:00.000 --> 00:00:01.500
        Hi
        """
        if self._raw_matches("vtt"):
            return normalise_subtitles(str(self.raw), vtt=True)
        return render_vtt(self._cues(vtt=True))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the transcript as .txt, .srt, .vtt or .json (every field), chosen by extension.

        With no extension, the one matching ``response_format`` is added.

        >>> Transcript("Hi", duration=1.5).save("hi.srt")
        PosixPath('hi.srt')
        """
        target = Path(path).expanduser()
        if not target.suffix:
            target = target.with_suffix(_TRANSCRIPT_EXTENSIONS.get(self.response_format, ".txt"))
        extension = target.suffix.lower()
        if extension == ".txt":
            content = self.text if self.text.endswith("\n") or not self.text else self.text + "\n"
        elif extension == ".srt":
            content = self.to_srt()
        elif extension == ".vtt":
            content = self.to_vtt()
        elif extension == ".json":
            everything = {f.name: getattr(self, f.name) for f in saved_fields()}
            content = json.dumps(everything, ensure_ascii=False, indent=2, default=str) + "\n"
        else:
            raise ValueError(
                f"cannot save a transcript as {extension!r}: use .txt, .srt, .vtt or .json"
            )
        target.write_text(content, encoding="utf-8")
        return target

    def player(self, audio: Any = None):
        """The audio beside this transcript: click a line or word to seek there; the line
        being played is highlighted (``comet_audio_nb.widgets.TranscriptPlayer``).

        ``audio``: a path, bytes, ``(filename, bytes)``, a Speech or an http(s) URL.

        >>> transcript.player("talk.mp3")                       # doctest: +SKIP
        """
        from ..widgets.player import TranscriptPlayer

        return TranscriptPlayer(self, audio)

    def video_player(self, video: Any, **options: Any):
        """The video with this transcript as its captions (speakers too) and beside it:
        click a line to seek there (``comet_audio_nb.widgets.VideoPlayer``). Plays mp4 and
        webm; other containers are remuxed when their codecs allow, else it says why.

        >>> transcript.video_player("talk.mp4")                 # doctest: +SKIP
        """
        from ..widgets.player import video_player

        return video_player(self, video, **options)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        parts = [repr(shorten(self.text, 40))]
        if self.language:
            parts.append(shorten(self.language, 20))
        if self.duration is not None:
            parts.append(seconds_label(self.duration))
        if self.segment_records:
            count = len(self.segment_records)
            parts.append(f"{count} segment{'s' if count != 1 else ''}")
        speakers = {speaker_of(s) for s in self.segment_records} - {None}
        if speakers:
            count = len(speakers)
            parts.append(f"{count} speaker{'s' if count != 1 else ''}")
        return f"Transcript({', '.join(parts)})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Readable text with a timestamp per segment (capped; the data has everything)."""
        from .views import transcript_bundle

        return transcript_bundle(self)

    def _raw_matches(self, kind: str) -> bool:
        # The raw subtitles are only returned while the segments still say the same thing
        # (a long-media join shifts segment times and must not get the stale raw back).
        if self.response_format != kind or not isinstance(self.raw, str):
            return False
        parsed = parse_srt(self.raw) if kind == "srt" else parse_vtt(self.raw)
        timing = [(c.get("start"), c.get("end"), c.get("text")) for c in self.segment_records]
        return timing == [(c["start"], c["end"], c["text"]) for c in parsed]

    def _cues(self, *, vtt: bool = False) -> list[tuple[float, float, str]]:
        records = [r for r in self.segment_records if isinstance(r, dict)]
        if not records:
            if not self.text.strip():
                return []
            return [(0.0, self.duration or 0.0, self.text)]
        starts = [as_float(r.get("start")) for r in records]
        cues = []
        previous_end = 0.0
        for i, record in enumerate(records):
            # Missing times borrow from the neighbours so every cue stays in order.
            start = max(0.0, starts[i] if starts[i] is not None else previous_end)
            end = as_float(record.get("end"))
            if end is None:
                following = [s for s in starts[i + 1 :] if s is not None]
                end = following[0] if following else (self.duration or start)
            end = max(start, end)
            cues.append((start, end, cue_text(record, vtt=vtt)))
            previous_end = end
        return cues
