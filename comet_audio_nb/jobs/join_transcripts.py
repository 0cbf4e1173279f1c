"""Putting long audio back together: chunk transcripts on one timeline.

Transcripts: every segment and word time is moved from its chunk's timeline to the
original's (``Chunk.to_original``). Where two chunks overlap (a cut that was not at a
pause), each side keeps what lies on its half of the overlap, judged by word (else
segment) midpoints; words heard by both sides that still meet at the seam are dropped
from the later one, and with no timestamps at all the repeated words are found in the
text. Times end up monotonic and within the recording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..results import Transcript
from ..results.usage import sum_usage
from .split_audio import Chunk

HEARD_SHARE = 0.2  # a segment with less of its time louder than a pause was not heard ...
NO_SPEECH_DOUBT = 0.5  # ... when Whisper too gives it at least this no-speech probability
DUPLICATE_WINDOW = 0.6  # seconds: the same word starting this close on both sides is one word
_MAX_REPEAT = 4  # words: the longest run at a seam checked for repetition
_NOT_WORD = re.compile(r"[^\w']+")


@dataclass
class _Part:
    segments: list[dict]
    words: list[dict]
    text: str


def join_transcripts(
    parts: Sequence[tuple[Chunk, Transcript]],
    *,
    duration: float,
    task: str = "transcribe",
    response_format: str = "verbose_json",
    sound_share: Callable[[float, float], float] | None = None,
) -> Transcript:
    """One Transcript on the original timeline from each chunk's transcript.

    ``sound_share(start, end)``: how much of a stretch of the original is louder than a
    pause. With it, segments Whisper itself doubts (``no_speech_prob``) that lie in
    measured silence are dropped: Whisper invents text in silence at a chunk's end,
    typically repeating a sentence it just heard.

    >>> first = Transcript("Hello there.", segment_records=[
    ...     {"id": 0, "start": 0.0, "end": 1.0, "text": "Hello there."}])
    >>> second = Transcript("General Kenobi.", segment_records=[
    ...     {"id": 0, "start": 0.5, "end": 1.5, "text": "General Kenobi."}])
    >>> joined = join_transcripts([(Chunk(((0.0, 10.0),)), first),
    ...                            (Chunk(((10.0, 20.0),)), second)], duration=20.0)
    >>> joined.text, [s["start"] for s in joined.segment_records]
    ('Hello there. General Kenobi.', [0.0, 10.5])
    """
    shifted = [_shift(chunk, transcript) for chunk, transcript in parts]
    if sound_share is not None:
        for part in shifted:
            _drop_unheard(part, sound_share)
    for k in range(1, len(parts)):
        chunk, previous = parts[k][0], parts[k - 1][0]
        if chunk.overlaps_previous:
            seam = (chunk.start + previous.end) / 2
            _keep(shifted[k - 1], lambda mid, s=seam: mid < s, keep_front=True)
            _keep(shifted[k], lambda mid, s=seam: mid >= s, keep_front=False)
            _drop_repeats(shifted[k - 1], shifted[k])
    segments = [s for part in shifted for s in part.segments]
    words = [w for part in shifted for w in part.words]
    _monotonic(segments, duration)
    _monotonic(words, duration)
    for index, segment in enumerate(segments):
        segment["id"] = index
    if segments:
        text = " ".join(s["text"] for s in segments if s["text"])
    else:
        text = " ".join(part.text for part in shifted if part.text)
    transcripts = [t for _, t in parts]
    usage = sum_usage(t.usage for t in transcripts)  # seconds or tokens, every chunk's
    return Transcript(
        text,
        language=next((t.language for t in transcripts if t.language), None),
        duration=duration,
        task=task,
        response_format=response_format,
        segment_records=segments,
        word_records=words,
        raw={
            "chunks": [
                {
                    "pieces": [list(p) for p in c.pieces],
                    "overlaps_previous": c.overlaps_previous,
                    "request_id": t.request_id,
                }
                for c, t in parts
            ]
        },
        usage=usage,
        model=next((t.model for t in transcripts if t.model), None),
        request_id=transcripts[0].request_id if transcripts else None,
    )


def _shift(chunk: Chunk, transcript: Transcript) -> _Part:
    def moved(record: dict) -> dict:
        record = dict(record)
        for key in ("start", "end"):
            if isinstance(record.get(key), (int, float)):
                record[key] = round(chunk.to_original(float(record[key])), 3)
        return record

    return _Part(
        segments=[moved(s) for s in transcript.segment_records if isinstance(s, dict)],
        words=[moved(w) for w in transcript.word_records if isinstance(w, dict)],
        text=transcript.text.strip(),
    )


def _mid(record: dict) -> float | None:
    start, end = record.get("start"), record.get("end")
    if start is None or end is None:
        return start if start is not None else end
    return (start + end) / 2


def _keep(part: _Part, inside: Callable[[float], bool], *, keep_front: bool) -> None:
    """Keep what lies on this side of a seam; segments cut by it keep their words' part."""

    def wanted(record: dict) -> bool:
        mid = _mid(record)
        return mid is None or inside(mid)

    if not part.words:
        part.segments = [s for s in part.segments if wanted(s)]
        return
    kept_segments = []
    groups = _words_by_segment(part.segments, part.words)
    for segment, members in zip(part.segments, groups, strict=True):
        kept = [w for w in members if wanted(w)]
        if not members:
            if wanted(segment):
                kept_segments.append(segment)
        elif len(kept) == len(members):
            kept_segments.append(segment)
        elif kept:
            kept_segments.append(_trimmed(segment, members, kept, keep_front=keep_front))
    part.segments = kept_segments
    part.words = [w for w in part.words if wanted(w)]


def _drop_unheard(part: _Part, sound_share: Callable[[float, float], float]) -> None:
    groups = _words_by_segment(part.segments, part.words)
    segments, words = [], []
    for segment, members in zip(part.segments, groups, strict=True):
        start, end = segment.get("start"), segment.get("end")
        doubt = segment.get("no_speech_prob")
        if (
            start is not None
            and end is not None
            and isinstance(doubt, (int, float))
            and doubt >= NO_SPEECH_DOUBT
            and sound_share(start, end) < HEARD_SHARE
        ):
            continue
        segments.append(segment)
        words.extend(members)
    if part.segments:
        part.segments, part.words = segments, words


def _words_by_segment(segments: list[dict], words: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = [[] for _ in segments]
    if not segments:
        return groups
    index = 0
    for word in words:
        mid = _mid(word)
        while (
            mid is not None
            and index < len(segments) - 1
            and segments[index].get("end") is not None
            and mid > segments[index]["end"]
        ):
            index += 1
        groups[index].append(word)
    return groups


def _trimmed(segment: dict, members: list[dict], kept: list[dict], *, keep_front: bool) -> dict:
    segment = dict(segment)
    tokens = segment.get("text", "").split()
    if len(tokens) == len(members):  # one token per word: keep the punctuation
        tokens = tokens[: len(kept)] if keep_front else tokens[len(tokens) - len(kept) :]
        segment["text"] = " ".join(tokens)
    else:
        segment["text"] = " ".join(w.get("word", "") for w in kept)
    if keep_front and kept[-1].get("end") is not None:
        segment["end"] = kept[-1]["end"]
    if not keep_front and kept[0].get("start") is not None:
        segment["start"] = kept[0]["start"]
    return segment


def _norm(word: str) -> str:
    return _NOT_WORD.sub("", word.lower())


def _drop_repeats(before: _Part, after: _Part) -> None:
    """Remove from ``after`` the words at its start that ``before`` already ends with."""
    if before.words and after.words:
        count = _repeated_words(before.words, after.words)
        if count:
            dropped, after.words = after.words[:count], after.words[count:]
            if after.segments:
                after.segments[0] = _without_leading(after.segments[0], dropped, after.words)
                if not after.segments[0]["text"]:
                    after.segments.pop(0)
        return
    if before.segments and after.segments:
        first = after.segments[0]
        count = _repeated_tokens(before.segments[-1].get("text", ""), first.get("text", ""))
        if count:
            first = dict(first, text=" ".join(first["text"].split()[count:]))
            after.segments[0] = first
            if not first["text"]:
                after.segments.pop(0)
        return
    count = _repeated_tokens(before.text, after.text)
    after.text = " ".join(after.text.split()[count:])


def _repeated_words(before: list[dict], after: list[dict]) -> int:
    for count in range(min(_MAX_REPEAT, len(before), len(after)), 0, -1):
        pairs = zip(before[-count:], after[:count], strict=True)
        if all(
            _norm(a.get("word", "")) == _norm(b.get("word", ""))
            and a.get("start") is not None
            and b.get("start") is not None
            and abs(a["start"] - b["start"]) < DUPLICATE_WINDOW
            for a, b in pairs
        ):
            return count
    return 0


def _repeated_tokens(before: str, after: str, *, shortest: int = 2, longest: int = 40) -> int:
    """Length of the longest run ending ``before`` that also starts ``after`` (in words)."""
    tail = [_norm(t) for t in before.split()][-longest:]
    head = [_norm(t) for t in after.split()][:longest]
    for count in range(min(len(tail), len(head)), shortest - 1, -1):
        if tail[-count:] == head[:count]:
            return count
    return 0


def _without_leading(segment: dict, dropped: list[dict], remaining: list[dict]) -> dict:
    segment = dict(segment)
    tokens = segment.get("text", "").split()
    names = [_norm(w.get("word", "")) for w in dropped]
    if [_norm(t) for t in tokens[: len(names)]] == names:
        segment["text"] = " ".join(tokens[len(names) :])
    if remaining and remaining[0].get("start") is not None:
        segment["start"] = max(segment.get("start") or 0.0, remaining[0]["start"])
    return segment


def _monotonic(records: list[dict], duration: float) -> None:
    last = 0.0
    for record in records:
        start, end = record.get("start"), record.get("end")
        start = min(max(start if start is not None else last, last), duration)
        end = min(max(end if end is not None else start, start), duration)
        record["start"], record["end"] = round(start, 3), round(end, 3)
        last = start
