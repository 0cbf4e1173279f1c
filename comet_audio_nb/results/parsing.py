"""Reading a transcription or translation answer, in whichever format it came, as a Transcript."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .frames import NUMERIC_FIELDS
from .logprobs import logprob_records
from .speakers import has_speakers
from .subtitles import parse_srt, parse_vtt, subtitle_kind
from .transcript import Transcript
from .values import as_float, as_int, as_text

_JSON_FORMATS = ("json", "verbose_json", "diarized_json")
_VERBOSE_KEYS = ("segments", "words", "duration", "language")
_SEGMENT_TYPE = "transcript.text.segment"  # every diarized segment says so: not kept


def parse_transcription(
    body: bytes | str,
    *,
    content_type: str | None,
    response_format: str,
    task: str = "transcribe",
) -> Transcript:
    """Turn a transcription or translation response body into a Transcript.

    Accepts every ``response_format`` (json, text, srt, vtt, verbose_json, diarized_json:
    segments with a ``speaker``; ``logprobs`` where the answer has them) and copes with a
    body in another format than the one asked for (subtitles where JSON was asked, JSON
    where text was); raises ValueError when there is no transcript in it at all: an HTML
    page, or plain text (``Service Unavailable``, ``null``) where JSON was asked.

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
    if asked in _JSON_FORMATS and not subtitle_kind(text):
        # A proxy's "Service Unavailable" or a bare "null" with a 200: not a transcript.
        shown = " ".join(stripped.split())[:60] or "an empty body"
        raise ValueError(f"expected a JSON transcript, got {kind or 'text'}: {shown!r}")
    return _from_text(text, asked, task)


def _from_json(data: dict, asked: str, task: str) -> Transcript:
    segments = _records(data.get("segments"), segment_record)
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
    if asked not in _JSON_FORMATS or (asked == "diarized_json" and not has_speakers(segments)):
        # What came, not what was asked: diarized only with speakers in it.
        if has_speakers(segments):
            asked = "diarized_json"
        else:
            asked = "verbose_json" if any(key in data for key in _VERBOSE_KEYS) else "json"
    language = data.get("language")
    usage = data.get("usage")
    given_task = data.get("task")
    return Transcript(
        text,
        language=str(language) if language not in (None, "") else None,
        duration=as_float(data.get("duration")),
        task=given_task if given_task in ("transcribe", "translate") else task,
        response_format=asked,
        segment_records=segments,
        word_records=words,
        logprob_records=logprob_records(data.get("logprobs")),
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


def segment_record(item: dict, position: int) -> dict:
    """A segment as the package keeps it: numbers as numbers, a diarized ``"seg_0"`` id as
    sent (a missing id: its position), ``speaker`` and any other field kept."""
    given = item.get("id")
    record = {
        "id": as_int(given),
        "start": as_float(item.get("start")),
        "end": as_float(item.get("end")),
        "text": as_text(item.get("text")),
    }
    if record["id"] is None:
        record["id"] = given.strip() if isinstance(given, str) and given.strip() else position
    item = {k: v for k, v in item.items() if not (k == "type" and v == _SEGMENT_TYPE)}
    return _with_extras(record, item)


def _word(item: dict, position: int) -> dict:
    word = item.get("word", item.get("text"))
    record = {
        "word": as_text(word),
        "start": as_float(item.get("start")),
        "end": as_float(item.get("end")),
    }
    return _with_extras(record, item)


def _with_extras(record: dict, item: dict) -> dict:
    for key, value in item.items():
        if key not in record:
            record[key] = as_float(value) if key in NUMERIC_FIELDS else value
    return record
