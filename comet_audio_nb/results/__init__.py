"""What the API answers, as objects that show themselves in a notebook.

- ``speech``     — ``Speech``: synthesised audio and the request that made it
- ``transcript`` — ``Transcript``: text, segments and words, subtitles, saving
- ``parsing``    — ``parse_transcription``: any transcription answer body as a Transcript
- ``subtitles``  — SRT and WebVTT, read and written
- ``stream_events`` — live transcript events (typed, the wire's names) and what they build
- ``speakers``   — diarized segments: who talked how long; speaker-labelled lines and cues
- ``logprobs``   — token log-probabilities: a table, and text shaded by confidence
- ``usage``      — the service's ``usage`` added up over the parts of a job
- ``frames``     — segment and word records as typed DataFrames
- ``views``      — the HTML and text a notebook shows (audio player, timed transcript)
- ``display``    — the options those views follow (set by the notebook session)
- ``text``, ``values`` — short labels; liberal reading of wire values
"""

from __future__ import annotations

from .parsing import parse_transcription
from .speech import Speech
from .stream_events import (
    TranscriptEvent,
    TranscriptTextDelta,
    TranscriptTextDone,
    TranscriptTextSegment,
)
from .subtitles import format_timestamp, parse_srt, parse_vtt
from .transcript import Transcript

__all__ = [
    "Speech",
    "Transcript",
    "TranscriptEvent",
    "TranscriptTextDelta",
    "TranscriptTextDone",
    "TranscriptTextSegment",
    "format_timestamp",
    "parse_srt",
    "parse_transcription",
    "parse_vtt",
]
