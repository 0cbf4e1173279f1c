"""SRT and WebVTT: parsing cues into segment records, and writing cues back out."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

_STAMP = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d*)?"
# "00:00:01,000 --> 00:00:02,500 align:start" (VTT cue settings may follow the end time)
_TIMING = re.compile(rf"^\s*({_STAMP})\s*-->\s*({_STAMP})(?:\s+(.*?))?\s*$")
# Blocks without a timing line that carry no cue text.
_VTT_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")
# A WebVTT voice span: "<v Ana>Hello", "<v.loud Ana>Hello</v>"
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>")

Cue = tuple[float, float, str]


def format_timestamp(seconds: float, *, sep: str = ",") -> str:
    """Format seconds as a subtitle timestamp, rounded to the millisecond.

    >>> format_timestamp(3725.5)
    '01:02:05,500'
    >>> format_timestamp(1.25, sep=".")  # WebVTT
    '00:00:01.250'
    """
    if not math.isfinite(seconds * 1000):  # inf, nan, or so large that milliseconds overflow
        raise ValueError(f"cannot format {seconds!r} as a timestamp")
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def parse_srt(text: str) -> list[dict]:
    """Parse SubRip text into segment records ``{"id", "start", "end", "text"}`` (seconds).

    Ids count from 0 like verbose_json segments; the cue numbers in the file are not kept.

    >>> parse_srt("1\\n00:00:00,000 --> 00:00:01,500\\nHello.\\n")
    [{'id': 0, 'start': 0.0, 'end': 1.5, 'text': 'Hello.'}]
    """
    return _parse_cues(text, vtt=False)


def parse_vtt(text: str) -> list[dict]:
    """Parse WebVTT text into segment records ``{"id", "start", "end", "text"}`` (seconds).

    A cue identifier is kept as ``"identifier"``, cue settings as ``"settings"``, and the
    voice of a ``<v Ana>`` span as ``"speaker"`` (the tag taken out of the text).

    >>> parse_vtt("WEBVTT\\n\\n00:01.000 --> 00:02.000 align:start\\nHi\\n")
    [{'id': 0, 'start': 1.0, 'end': 2.0, 'text': 'Hi', 'settings': 'align:start'}]
    >>> parse_vtt("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v Ana>Hi</v>\\n")[0]["speaker"]
    'Ana'
    """
    return _parse_cues(text, vtt=True)


def subtitle_kind(text: str) -> str | None:
    """``"vtt"`` or ``"srt"`` when ``text`` starts like a subtitle file, else None."""
    head = [line.strip() for line in _lines(text.removeprefix("\ufeff")) if line.strip()][:2]
    if head and head[0].split()[0] == "WEBVTT":
        return "vtt"
    if any(_TIMING.match(line) for line in head):
        return "srt"
    return None


def render_srt(cues: Iterable[Cue]) -> str:
    """SubRip text for ``(start, end, text)`` cues, numbered from 1."""
    blocks = [
        f"{n}\n{format_timestamp(start)} --> {format_timestamp(end)}\n{_cue_text(text)}".rstrip()
        for n, (start, end, text) in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def render_vtt(cues: Iterable[Cue]) -> str:
    """WebVTT text for ``(start, end, text)`` cues, without identifiers (like Whisper's)."""
    blocks = [
        f"{format_timestamp(start, sep='.')} --> {format_timestamp(end, sep='.')}\n"
        f"{_cue_text(text)}".rstrip()
        for start, end, text in cues
    ]
    return "\n\n".join(["WEBVTT", *blocks]) + "\n"


def normalise_subtitles(text: str, *, vtt: bool) -> str:
    """Subtitle text with LF line endings, single blank lines and one final newline."""
    lines: list[str] = []
    for line in _lines(text.removeprefix("\ufeff")):
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    if vtt and not (lines and lines[0].startswith("WEBVTT")):
        lines[:0] = ["WEBVTT", ""]
    return "\n".join(lines) + "\n" if lines else ""


def _cue_text(text: str) -> str:
    # Blank lines would end the cue and "-->" would read as a timing line.
    lines = (line.strip() for line in _lines(text))
    return re.sub(r"-{2,}>", "->", "\n".join(line for line in lines if line))


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in _lines(text.removeprefix("\ufeff")):
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _seconds(stamp: str) -> float:
    *head, last = stamp.replace(",", ".").split(":")
    whole, _, fraction = last.partition(".")
    hours = int(head[0]) if len(head) == 2 else 0
    millis = round(float(f"0.{fraction or 0}") * 1000)
    return ((hours * 3600 + int(head[-1]) * 60 + int(whole)) * 1000 + millis) / 1000


def _parse_cues(text: str, *, vtt: bool) -> list[dict]:
    records: list[dict] = []
    for block in _blocks(text):
        timings = [i for i, line in enumerate(block) if _TIMING.match(line)]
        if not timings:
            if records and block[0].split()[0] not in _VTT_BLOCKS:
                # Cue text went on after a stray blank line: keep the words.
                records[-1]["text"] = "\n".join(filter(None, [records[-1]["text"], *block]))
            continue
        # Several timing lines in one block: cues whose separating blank line is missing.
        for n, i in enumerate(timings):
            stop = timings[n + 1] if n + 1 < len(timings) else len(block)
            text_lines = block[i + 1 : stop]
            if stop < len(block) and text_lines and text_lines[-1].isdigit():
                text_lines = text_lines[:-1]  # the next cue's number
            start, end, settings = _TIMING.match(block[i]).groups()  # type: ignore[union-attr]
            record = {
                "id": len(records),
                "start": _seconds(start),
                "end": _seconds(end),
                "text": "\n".join(text_lines),
            }
            identifier = "\n".join(block[:i]) if n == 0 else ""
            if vtt and identifier and not identifier.startswith("WEBVTT"):
                record["identifier"] = identifier
            if vtt and settings:
                record["settings"] = settings
            voice = _VOICE.match(record["text"]) if vtt else None
            if voice:
                record["speaker"] = voice.group(1).strip()
                record["text"] = record["text"][voice.end() :].replace("</v>", "").strip()
            records.append(record)
    return records
