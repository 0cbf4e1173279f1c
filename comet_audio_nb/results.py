"""Result objects (Speech, Transcript) and the parser for transcription responses."""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._subtitles import (
    format_timestamp,
    normalise_subtitles,
    parse_srt,
    parse_vtt,
    render_srt,
    render_vtt,
    subtitle_kind,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "Speech",
    "Transcript",
    "format_timestamp",
    "parse_srt",
    "parse_transcription",
    "parse_vtt",
]

PCM_SAMPLE_RATE = 24_000  # the API's pcm: raw signed 16-bit little-endian mono, no header

_AUDIO_EXTENSIONS = {f: f".{f}" for f in ("mp3", "opus", "aac", "flac", "wav", "pcm")}
_TRANSCRIPT_EXTENSIONS = {"json": ".json", "verbose_json": ".json", "srt": ".srt", "vtt": ".vtt"}
_JSON_FORMATS = ("json", "verbose_json")
_VERBOSE_KEYS = ("segments", "words", "duration", "language")
# Segment and word fields that are numbers, even when a server sends them as strings.
_NUMERIC_FIELDS = frozenset(
    {"start", "end", "seek", "temperature", "probability"}
    | {"avg_logprob", "compression_ratio", "no_speech_prob"}
)


@dataclass(repr=False)
class Speech:
    """Synthesized speech: the audio bytes and the request that made them.

    >>> speech = Speech(b"\\x00\\x00" * 24_000, format="pcm", content_type="audio/pcm")
    >>> speech.duration, speech.size
    (1.0, 48000)
    >>> speech.save("silence")
    PosixPath('silence.pcm')
    """

    data: bytes
    format: str
    content_type: str
    model: str | None = None
    voice: str | None = None
    text: str | None = None
    speed: float | None = None
    instructions: str | None = None
    request_id: str | None = None
    elapsed: float | None = None

    @cached_property
    def duration(self) -> float | None:
        """Length in seconds; None when it cannot be told (compressed audio needs ``av``)."""
        kind = self.format.lower()
        if kind == "pcm":
            return len(self.data) / 2 / PCM_SAMPLE_RATE
        if kind == "wav" or self.data[:4] in (b"RIFF", b"RF64"):
            seconds = _wav_duration(self.data)
            if seconds is not None:
                return seconds
        return _decoded_duration(self.data)

    @property
    def size(self) -> int:
        """Size of the audio in bytes."""
        return len(self.data)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the audio to ``path``, adding the format's extension when it has none.

        >>> Speech(b"", format="mp3", content_type="audio/mpeg").save("empty")
        PosixPath('empty.mp3')
        """
        target = Path(path).expanduser()
        if not target.suffix:
            kind = self.format.lower()
            target = target.with_suffix(_AUDIO_EXTENSIONS.get(kind, f".{kind or 'bin'}"))
        target.write_bytes(self.data)
        return target

    def to_numpy(self) -> tuple[np.ndarray, int]:
        """The samples as float32 in [-1, 1] (one column per channel when several) and the
        sample rate, decoded on first use (compressed formats need ``av``).

        >>> speech = Speech(b"\\x00\\x40" * 4, format="pcm", content_type="audio/pcm")
        >>> samples, rate = speech.to_numpy()
        >>> samples.tolist(), rate
        ([0.5, 0.5, 0.5, 0.5], 24000)
        """
        samples, rate = self._decoded
        return samples.copy(), rate

    @cached_property
    def _decoded(self) -> tuple[np.ndarray, int]:
        from ._decode import decode_samples

        return decode_samples(self.data, self.format, pcm_rate=PCM_SAMPLE_RATE)

    def player(self, *, autoplay: bool = False, embed_max_bytes: int | None = None):
        """An inline audio player for this speech (what a notebook shows for it).

        Audio over ``embed_max_bytes`` (default: ``%config CometAudio.embed_max_bytes``) is
        written beside the notebook and played from there instead of being embedded.

        >>> speech.player(autoplay=True)                        # doctest: +SKIP
        """
        from ._display import AudioPlayer

        return AudioPlayer(self, autoplay=autoplay, embed_max_bytes=embed_max_bytes)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return self.player()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        parts = [f"voice={_shorten(self.voice, 20)!r}"] if self.voice else []
        if self.duration is not None:
            parts.append(_seconds_label(self.duration))
        parts.append(f"{_human_size(self.size)} {_shorten(self.format, 10)}")
        return f"Speech({', '.join(parts)})"


@dataclass(repr=False)
class Transcript:
    """Text recognized from audio, with segment and word timings when the format gives them.

    >>> t = parse_transcription(b'{"text": "Hello."}', content_type=None, response_format="json")
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
    raw: str | dict | None = None
    usage: dict | None = None
    model: str | None = None
    request_id: str | None = None
    elapsed: float | None = None
    source: str | None = None

    @property
    def segments(self) -> pd.DataFrame:
        """Segments as a DataFrame: ``start``, ``end`` (float seconds), ``text``, ``id``, ….

        >>> t = Transcript("Hi", segment_records=[{"id": 0, "start": 0, "end": 1, "text": "Hi"}])
        >>> t.segments.columns.tolist()
        ['start', 'end', 'text', 'id']
        """
        return _records_frame(self.segment_records, ("start", "end", "text"))

    @property
    def words(self) -> pd.DataFrame:
        """Words as a DataFrame: ``word``, ``start``, ``end`` (float seconds)."""
        return _records_frame(self.word_records, ("word", "start", "end"))

    def to_srt(self) -> str:
        """The transcript as SubRip subtitles (one cue per segment).

        >>> print(Transcript("Hi", duration=1.5).to_srt(), end="")
        1
        00:00:00,000 --> 00:00:01,500
        Hi
        """
        if self._raw_matches("srt"):
            return normalise_subtitles(str(self.raw), vtt=False)
        return render_srt(self._cues())

    def to_vtt(self) -> str:
        """The transcript as WebVTT subtitles (one cue per segment).

        >>> print(Transcript("Hi", duration=1.5).to_vtt(), end="")
        WEBVTT
        <BLANKLINE>
        00:00:00.000 --> 00:00:01.500
        Hi
        """
        if self._raw_matches("vtt"):
            return normalise_subtitles(str(self.raw), vtt=True)
        return render_vtt(self._cues())

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
            everything = {f.name: getattr(self, f.name) for f in fields(self)}
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
        from .widgets.player import TranscriptPlayer

        return TranscriptPlayer(self, audio)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        parts = [repr(_shorten(self.text, 40))]
        if self.language:
            parts.append(_shorten(self.language, 20))
        if self.duration is not None:
            parts.append(_seconds_label(self.duration))
        if self.segment_records:
            count = len(self.segment_records)
            parts.append(f"{count} segment{'s' if count != 1 else ''}")
        return f"Transcript({', '.join(parts)})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """Readable text with a timestamp per segment (capped; the data has everything)."""
        from ._display import transcript_bundle

        return transcript_bundle(self)

    def _raw_matches(self, kind: str) -> bool:
        # The raw subtitles are only returned while the segments still say the same thing
        # (a long-media join shifts segment times and must not get the stale raw back).
        if self.response_format != kind or not isinstance(self.raw, str):
            return False
        parsed = parse_srt(self.raw) if kind == "srt" else parse_vtt(self.raw)
        timing = [(c.get("start"), c.get("end"), c.get("text")) for c in self.segment_records]
        return timing == [(c["start"], c["end"], c["text"]) for c in parsed]

    def _cues(self) -> list[tuple[float, float, str]]:
        records = [r for r in self.segment_records if isinstance(r, dict)]
        if not records:
            if not self.text.strip():
                return []
            return [(0.0, self.duration or 0.0, self.text)]
        starts = [_to_float(r.get("start")) for r in records]
        cues = []
        previous_end = 0.0
        for i, record in enumerate(records):
            # Missing times borrow from the neighbours so every cue stays in order.
            start = max(0.0, starts[i] if starts[i] is not None else previous_end)
            end = _to_float(record.get("end"))
            if end is None:
                following = [s for s in starts[i + 1 :] if s is not None]
                end = following[0] if following else (self.duration or start)
            end = max(start, end)
            cues.append((start, end, _text(record.get("text"))))
            previous_end = end
        return cues


def parse_transcription(
    body: bytes | str,
    *,
    content_type: str | None,
    response_format: str,
    task: str = "transcribe",
) -> Transcript:
    """Turn a transcription or translation response body into a Transcript.

    Accepts every ``response_format`` (json, text, srt, vtt, verbose_json) and copes with a
    body in another format than the one asked for; raises ValueError when there is no
    transcript in it at all.

    >>> parse_transcription(b"Hello world.\\n", content_type="text/plain", response_format="text")
    Transcript('Hello world.')
    """
    text = _decode(body)
    asked = (response_format or "json").strip().lower()
    stripped = text.strip()
    kind = (content_type or "").lower()
    if stripped.startswith("<") and (
        "html" in kind or stripped[:15].lower().startswith(("<!doctype", "<html"))
    ):
        raise ValueError("the response is an HTML page, not a transcript")
    if stripped.startswith(("{", "[", '"')):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            # "[Music]" or a quoted sentence are text; a broken object is a broken response.
            if stripped.startswith("{") and (asked in _JSON_FORMATS or "json" in kind):
                raise ValueError("the response is not valid JSON") from None
        else:
            if isinstance(data, dict):
                return _from_json(data, asked, task)
            if asked in _JSON_FORMATS:
                if isinstance(data, str):  # a bare JSON string: the text itself
                    return Transcript(data, task=task, response_format="text", raw=text)
                raise ValueError("the JSON response holds no transcript")
    return _from_text(text, asked, task)


def _from_json(data: dict, asked: str, task: str) -> Transcript:
    segments = _records(data.get("segments"), _segment)
    words = _records(data.get("words"), _word)
    text = data.get("text")
    if text is None:
        if not any(key in data for key in ("text", "segments", "words")):
            raise ValueError("the JSON response has no 'text'")
        parts = [s["text"] for s in segments] if segments else [w["word"] for w in words]
        text = " ".join(part for part in parts if part)
    elif isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    elif not isinstance(text, str):
        raise ValueError("'text' in the JSON response is not a string")
    if asked not in _JSON_FORMATS:
        asked = "verbose_json" if any(key in data for key in _VERBOSE_KEYS) else "json"
    language = data.get("language")
    usage = data.get("usage")
    given_task = data.get("task")
    return Transcript(
        text,
        language=str(language) if language not in (None, "") else None,
        duration=_to_float(data.get("duration")),
        task=given_task if given_task in ("transcribe", "translate") else task,
        response_format=asked,
        segment_records=segments,
        word_records=words,
        raw=data,
        usage=usage if isinstance(usage, dict) else None,
    )


def _from_text(text: str, asked: str, task: str) -> Transcript:
    kind = subtitle_kind(text)
    if kind:
        kind = "vtt" if asked == "vtt" else kind
        records = parse_vtt(text) if kind == "vtt" else parse_srt(text)
        spoken = " ".join(" ".join(r["text"].split()) for r in records if r["text"].strip())
        return Transcript(
            spoken, task=task, response_format=kind, segment_records=records, raw=text
        )
    if not text.strip() and asked in _JSON_FORMATS:
        raise ValueError("the response body is empty")
    plain = text.removesuffix("\n").removesuffix("\r")
    kind = asked if asked in ("srt", "vtt") and not text.strip() else "text"
    return Transcript(plain, task=task, response_format=kind, raw=text)


def _decode(body: bytes | str) -> str:
    if isinstance(body, (bytes, bytearray, memoryview)):
        try:
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the response body is not UTF-8 text") from None
    return body.removeprefix("\ufeff")


def _records(value: Any, convert: Callable[[dict, int], dict]) -> list[dict]:
    if not isinstance(value, list):
        return []
    return [convert(item, i) for i, item in enumerate(value) if isinstance(item, dict)]


def _segment(item: dict, position: int) -> dict:
    record = {
        "id": _to_int(item.get("id")),
        "start": _to_float(item.get("start")),
        "end": _to_float(item.get("end")),
        "text": _text(item.get("text")),
    }
    if record["id"] is None:
        record["id"] = position
    return _with_extras(record, item)


def _word(item: dict, position: int) -> dict:
    word = item.get("word", item.get("text"))
    record = {
        "word": _text(word),
        "start": _to_float(item.get("start")),
        "end": _to_float(item.get("end")),
    }
    return _with_extras(record, item)


def _with_extras(record: dict, item: dict) -> dict:
    for key, value in item.items():
        if key not in record:
            record[key] = _to_float(value) if key in _NUMERIC_FIELDS else value
    return record


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _to_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = _to_float(value)
    return int(number) if number is not None and number.is_integer() else None


def _records_frame(records: list[dict], leading: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    rows = [r for r in records if isinstance(r, dict)]
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
    for name in leading:
        if name not in frame.columns:
            frame[name] = pd.Series(dtype=object)
    frame = frame[[*leading, *(c for c in frame.columns if c not in leading)]]
    for name in frame.columns:
        column = frame[name]
        if name in _NUMERIC_FIELDS:
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif name in ("text", "word"):
            frame[name] = column.map(lambda v: v if isinstance(v, str) else "").astype(str)
        elif name == "id":
            numbers = pd.to_numeric(column, errors="coerce")
            whole = numbers.notna().all() and (numbers % 1 == 0).all()
            if whole and (numbers.abs() < 2**53).all():  # int64 without silent wrap-around
                frame[name] = numbers.astype("int64")
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            frame[name] = column.astype("float64")
    return frame


def _wav_duration(data: bytes) -> float | None:
    # Read the RIFF chunks directly: streamed WAV (as the API sends) carries a placeholder
    # data size (0 or 0xFFFFFFFF) that the stdlib `wave` module takes at its word.
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        return None
    position, byte_rate = 12, 0
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        body = position + 8
        if chunk == b"fmt " and size >= 16:
            byte_rate = int.from_bytes(data[body + 8 : body + 12], "little")
        elif chunk == b"data":
            if not byte_rate:
                return None
            available = len(data) - body
            return (size if 0 < size <= available else available) / byte_rate
        position = body + size + (size & 1)
    return None


def _decoded_duration(data: bytes) -> float | None:
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.audio[0]
            samples, rate = 0, 0
            for frame in container.decode(stream):
                samples += frame.samples
                rate = frame.sample_rate
            if rate:
                return samples / rate
            return container.duration / 1_000_000 if container.duration else None
    except Exception:  # av raises many kinds of error on odd media; a duration is optional
        return None


def _shorten(text: str, width: int) -> str:
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut[width // 2 :]:  # end on a whole word when one is near
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def _seconds_label(seconds: float) -> str:
    return f"{seconds:.1f} s" if abs(seconds) < 1e6 else f"{seconds:.3g} s"


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
