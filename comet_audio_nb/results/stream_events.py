"""Live transcript events, typed, with the wire's names; and the Transcript they build.

A streamed transcription (``stream=true``) answers with events, each turned into one of:

- ``TranscriptTextDelta`` — ``type == "transcript.text.delta"``: ``.delta`` (more text),
  ``.logprobs``, ``.segment_id`` where sent
- ``TranscriptTextSegment`` — ``"transcript.text.segment"``: ``.id``, ``.start``, ``.end``,
  ``.speaker``, ``.text`` (diarized transcripts)
- ``TranscriptTextDone`` — ``"transcript.text.done"``: ``.text``, ``.usage``, ``.logprobs``
  and ``.transcript``, the final ``Transcript``
- ``TranscriptEvent`` — any other type, kept as sent (``.type``, ``.raw``)

>>> builder = TranscriptBuilder()
>>> builder.feed({"type": "transcript.text.delta", "delta": "Hel"}).delta
'Hel'
>>> done = builder.feed({"type": "transcript.text.done", "text": "Hello."})
>>> done.transcript.text, builder.text
('Hello.', 'Hello.')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .logprobs import logprob_records
from .parsing import segment_record
from .speakers import has_speakers
from .transcript import Transcript
from .values import as_float

DELTA = "transcript.text.delta"
SEGMENT = "transcript.text.segment"
DONE = "transcript.text.done"


@dataclass
class TranscriptTextDelta:
    """More text: ``delta`` (and its ``logprobs`` when ``include=["logprobs"]``)."""

    delta: str
    logprobs: list[dict] | None = None
    segment_id: str | None = None
    type: str = DELTA
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class TranscriptTextSegment:
    """A finished segment of a diarized transcript, with its speaker."""

    id: Any
    start: float | None
    end: float | None
    text: str
    speaker: str | None = None
    type: str = SEGMENT
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class TranscriptTextDone:
    """The end: the whole ``text``, ``usage``, ``logprobs``, and the final ``transcript``."""

    text: str
    usage: dict | None = None
    logprobs: list[dict] | None = None
    transcript: Transcript | None = field(default=None, repr=False)
    type: str = DONE
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class TranscriptEvent:
    """An event of a type this package does not know, as the service sent it."""

    type: str
    raw: dict = field(default_factory=dict, repr=False)


StreamEvent = TranscriptTextDelta | TranscriptTextSegment | TranscriptTextDone | TranscriptEvent


class TranscriptBuilder:
    """Events in, typed events out; ``transcript()`` is the Transcript they make (so far).

    ``feed`` raises ValueError for a known event that lacks what it must carry (the
    client names the event in an ``InvalidResponseError``).
    """

    def __init__(self, *, response_format: str = "json", task: str = "transcribe") -> None:
        self.response_format = response_format
        self.task = task
        self.deltas: list[str] = []
        self.segments: list[dict] = []
        self.delta_logprobs: list[dict] = []
        self.done: TranscriptTextDone | None = None

    @property
    def text(self) -> str:
        """The text so far (all of it once the done event is in)."""
        return self.done.text if self.done is not None else "".join(self.deltas)

    def feed(self, data: dict) -> StreamEvent:
        kind = data.get("type")
        if kind == DELTA:
            delta = data.get("delta")
            if not isinstance(delta, str):
                raise ValueError("it has no 'delta' text")
            logprobs = logprob_records(data.get("logprobs")) or None
            self.deltas.append(delta)
            self.delta_logprobs += logprobs or []
            segment = data.get("segment_id")
            return TranscriptTextDelta(delta, logprobs, segment, raw=data)
        if kind == SEGMENT:
            record = segment_record(data, len(self.segments))
            self.segments.append(record)
            return TranscriptTextSegment(
                record["id"], record["start"], record["end"], record["text"],
                record.get("speaker"), raw=data,
            )  # fmt: skip
        if kind == DONE:
            text = data.get("text")
            if text is not None and not isinstance(text, str):
                raise ValueError("its 'text' is not a string")
            usage = data.get("usage") if isinstance(data.get("usage"), dict) else None
            logprobs = logprob_records(data.get("logprobs")) or None
            self.done = TranscriptTextDone(
                text if text is not None else "".join(self.deltas), usage, logprobs, raw=data
            )
            self.done.transcript = self.transcript()
            return self.done
        return TranscriptEvent(str(kind or "message"), raw=data)

    def whole(self, transcript: Transcript) -> TranscriptTextDone:
        """The one event of an answer that did not stream (whisper-1 ignores ``stream``)."""
        self.done = TranscriptTextDone(
            transcript.text,
            transcript.usage,
            transcript.logprob_records or None,
            transcript,
            raw=transcript.raw if isinstance(transcript.raw, dict) else {},
        )
        return self.done

    def transcript(self) -> Transcript:
        """The Transcript of what arrived: complete after the done event, else partial."""
        if self.done is not None and self.done.transcript is not None:
            return self.done.transcript
        done = self.done
        fmt = self.response_format
        if fmt not in ("json", "text", "diarized_json") or (
            fmt == "diarized_json" and not has_speakers(self.segments)
        ):
            fmt = "json"
        return Transcript(
            self.text,
            duration=as_float(done.raw.get("duration")) if done else None,
            task=self.task,
            response_format=fmt,
            segment_records=list(self.segments),
            logprob_records=list((done.logprobs if done else None) or self.delta_logprobs),
            raw=dict(done.raw) if done else None,
            usage=done.usage if done else None,
        )
