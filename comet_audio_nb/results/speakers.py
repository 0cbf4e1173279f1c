"""Speakers in a diarized transcript: who talked how long, and lines labelled with them.

Diarized segments (``gpt-4o-transcribe-diarize`` with ``response_format="diarized_json"``)
carry a ``speaker``: ``A``, ``B``, … or the names given as known speakers. In a transcript
of long media sent in chunks (``transcribe_long``) the letters are per chunk (``A`` in one
chunk need not be ``A`` in the next) unless known speakers were given, whose names the
service uses in every chunk.

>>> segments = [{"start": 0, "end": 3, "speaker": "A", "text": "Hi."},
...             {"start": 3, "end": 4, "speaker": "B", "text": "Hello."},
...             {"start": 4, "end": 5, "speaker": "A", "text": "Bye."}]
>>> speaker_table(segments).to_dict("list")["talk_seconds"]
[4.0, 1.0]
>>> speaker_line(segments[1])
'B: Hello.'
>>> speaker_colours(segments)
{'A': '#0072B2', 'B': '#E69F00'}

Each speaker has one colour wherever a transcript shows it (its HTML view, the transcript
player and its saved picture): ``speaker_colours`` gives it, from the Okabe–Ito palette,
which people with any common colour-vision deficiency can tell apart. Views draw it as a
border and a name chip, never as the colour of the text, so that lines stay readable in
light and dark themes and the name, not the colour alone, says who speaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .values import as_float, as_text

if TYPE_CHECKING:
    import pandas as pd

SPEAKER_COLUMNS = ("speaker", "talk_seconds", "turns", "share")
# Okabe & Ito (2008), "Color Universal Design", without its black (unseen on a dark theme);
# yellow, the palest on a light one, last. An eighth speaker takes the first colour again.
SPEAKER_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def speaker_of(segment: dict) -> str | None:
    """The segment's speaker label, or None when it has none."""
    label = as_text(segment.get("speaker")) if isinstance(segment, dict) else ""
    return label or None


def has_speakers(segments: Iterable[dict]) -> bool:
    return any(speaker_of(s) for s in segments if isinstance(s, dict))


def speaker_line(segment: dict) -> str:
    """The segment's text, prefixed with its speaker when it has one (``Ana: Hello.``)."""
    text = as_text(segment.get("text"))
    speaker = speaker_of(segment)
    return f"{speaker}: {text}" if speaker else text


def speaker_table(segments: Iterable[dict]) -> pd.DataFrame:
    """One row per speaker, in order of first appearance: seconds talked, turns (runs of
    consecutive segments), and share of all talk (0 to 1)."""
    import pandas as pd

    seconds: dict[str, float] = {}
    turns: dict[str, int] = {}
    previous = None
    for segment in segments:
        speaker = speaker_of(segment)
        if speaker is None:
            continue
        start, end = as_float(segment.get("start")), as_float(segment.get("end"))
        length = max(0.0, end - start) if start is not None and end is not None else 0.0
        seconds[speaker] = seconds.get(speaker, 0.0) + length
        if speaker != previous:
            turns[speaker] = turns.get(speaker, 0) + 1
        previous = speaker
    total = sum(seconds.values())
    frame = pd.DataFrame(
        {
            "speaker": pd.Series(list(seconds), dtype="string"),
            "talk_seconds": pd.Series([round(v, 3) for v in seconds.values()], dtype="float64"),
            "turns": pd.Series(list(turns.values()), dtype="int64"),
            "share": pd.Series(
                [v / total if total else float("nan") for v in seconds.values()], dtype="float64"
            ),
        },
        columns=list(SPEAKER_COLUMNS),
    )
    return frame


def speaker_colours(segments: Iterable[dict]) -> dict[str, str]:
    """Each speaker's colour (``#RRGGBB``), in order of first appearance: the one place
    that gives a speaker its colour, so that every view of a transcript agrees."""
    names = dict.fromkeys(speaker_of(s) for s in segments if isinstance(s, dict))
    names.pop(None, None)
    return {name: SPEAKER_PALETTE[i % len(SPEAKER_PALETTE)] for i, name in enumerate(names)}


def speaker_legend(segments: Iterable[dict]) -> list[dict]:
    """``speaker_table`` as plain records with each speaker's colour (``[]`` without
    speakers): ``{speaker, colour, talk_seconds, turns, share}``, share None when nobody's
    talk has a length.

    >>> speaker_legend([{"start": 0, "end": 2, "speaker": "Ana", "text": "Hi."}])
    [{'speaker': 'Ana', 'colour': '#0072B2', 'talk_seconds': 2.0, 'turns': 1, 'share': 1.0}]
    """
    segments = [s for s in segments if isinstance(s, dict)]
    if not has_speakers(segments):
        return []
    colours = speaker_colours(segments)
    return [
        {
            "speaker": str(row["speaker"]),
            "colour": colours[row["speaker"]],
            "talk_seconds": float(row["talk_seconds"]),
            "turns": int(row["turns"]),
            "share": None if row["share"] != row["share"] else float(row["share"]),
        }
        for row in speaker_table(segments).to_dict("records")
    ]


def cue_text(segment: dict, *, vtt: bool) -> str:
    """A subtitle cue's text: a WebVTT voice tag (``<v Ana>``) or an SRT ``Ana: `` prefix."""
    text = as_text(segment.get("text"))
    speaker = speaker_of(segment)
    if not speaker:
        return text
    if vtt:
        return f"<v {speaker.replace('>', '')}>{text}"
    return f"{speaker}: {text}"
