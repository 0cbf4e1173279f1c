"""The HTTP clients: CometAPI's audio endpoints and catalog over httpx, sync and async.

- ``base``         — ``BaseClient``: settings, building requests, reading replies, the
  retry decision (no I/O)
- ``sync``         — ``CometClient``: blocking; its one retry loop
- ``asynchronous`` — ``AsyncCometClient``: awaited; its one retry loop, an optional gate
- ``calls``        — ``Call`` (a re-sendable request), ``Reply``, ``CallRecord`` (call log)
- ``building``     — the audio requests, every option checked (``checks``), ``extras`` merged
- ``extras``       — ``extra_body`` / ``extra_headers`` / ``extra_query``, sent as the SDK does
- ``speakers``     — known speakers as names and data-URL clips, checked
- ``hints``        — the fix for a known incompatibility the service refused
- ``speech_stream`` — ``SpeechStream``: audio handed out as it arrives (bytes or SSE)
- ``transcript_stream`` — ``TranscriptionStream``: live transcript events
- ``sse``          — Server-Sent Events of a streamed answer (httpx-sse)
- ``gate``         — ``AttemptGate``: the hook around each attempt (the jobs' limiter)
- ``pages``        — catalog page envelopes and which pages are missing; ``/v1/models``
- ``launcher``     — the built-in engine, started on first use when there is no key
"""

from __future__ import annotations

from .asynchronous import AsyncCometClient
from .calls import CallRecord
from .speech_stream import AsyncSpeechStream, SpeechStream
from .sync import CometClient
from .transcript_stream import AsyncTranscriptionStream, TranscriptionStream

__all__ = [
    "AsyncCometClient",
    "AsyncSpeechStream",
    "AsyncTranscriptionStream",
    "CallRecord",
    "CometClient",
    "SpeechStream",
    "TranscriptionStream",
]
