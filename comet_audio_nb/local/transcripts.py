"""Rendering a recognition as each transcription response_format."""

from __future__ import annotations

import math

from starlette.responses import JSONResponse, PlainTextResponse, Response

from .languages import language_name
from .stt import Recognition


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(rec: Recognition) -> str:
    """SubRip: numbered cues from 1, comma before the milliseconds."""
    cues = [
        f"{i}\n{_timestamp(s['start'], ',')} --> {_timestamp(s['end'], ',')}\n{s['text'].strip()}\n"
        for i, s in enumerate(rec.segments, start=1)
    ]
    return "\n".join(cues) + ("\n" if cues else "")


def to_vtt(rec: Recognition) -> str:
    """WebVTT: header, then cues with a dot before the milliseconds."""
    cues = [
        f"{_timestamp(s['start'], '.')} --> {_timestamp(s['end'], '.')}\n{s['text'].strip()}\n"
        for s in rec.segments
    ]
    return "WEBVTT\n\n" + "\n".join(cues) + ("\n" if cues else "")


def verbose(rec: Recognition, *, task: str, words: bool) -> dict:
    """The verbose_json body; `words` only when word timestamps were asked for.

    ``language`` is the service's name for what was spoken (given or detected); a
    translation is English, whatever it was translated from.
    """
    body: dict = {
        "task": task,
        "language": "english" if task == "translate" else language_name(rec.language),
        "duration": rec.duration,
        "text": rec.text,
        "segments": rec.segments,
    }
    if words:
        body["words"] = rec.words
    body["usage"] = duration_usage(rec)
    return body


def duration_usage(rec: Recognition) -> dict:
    """The usage the engine reports: seconds of audio, rounded up."""
    return {"type": "duration", "seconds": math.ceil(rec.duration)}


def render(
    rec: Recognition,
    response_format: str,
    *,
    task: str,
    words: bool,
    model: str,
    logprobs: bool = False,
) -> Response:
    """The HTTP response for `response_format`; `logprobs`: json gains one per word."""
    if response_format == "verbose_json":
        return JSONResponse(verbose(rec, task=task, words=words))
    if response_format == "text":
        return PlainTextResponse(rec.text + "\n")
    if response_format == "srt":
        return PlainTextResponse(to_srt(rec))
    if response_format == "vtt":
        return PlainTextResponse(to_vtt(rec))
    body: dict = {"text": rec.text}
    if logprobs:
        body["logprobs"] = rec.logprobs
    if model.startswith("gpt-4o"):
        body["usage"] = duration_usage(rec)
    return JSONResponse(body)
