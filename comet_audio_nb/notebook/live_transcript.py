"""A transcript whose text shows while it arrives: the one loop behind
``%%comet_transcribe --stream`` and TranscribePanel's Stream option, and their sentences.

``live_transcript`` sends the audio with ``stream=true`` and hands the text so far to
``show`` (at most ten times a second, and once more when the stream ends or is cut);
``note`` gets one quiet line when the answer does not stream.

>>> lines = []
>>> transcript = live_transcript(                              # doctest: +SKIP
...     client, "talk.mp3", {"model": "whisper-1"}, show=print, note=lines.append)
>>> lines                                                       # doctest: +SKIP
['whisper-1 does not stream: the transcript came whole (models that stream: ...)']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..constants import STREAMING_TRANSCRIBE_MODELS

if TYPE_CHECKING:
    from ..results import Transcript

__all__ = ["REDRAW_SECONDS", "SENT_IN_PARTS", "STREAM_IS_FOR", "live_transcript", "not_streamed"]

REDRAW_SECONDS = 0.1  # at most ten redraws a second, however fast the deltas come
SENT_IN_PARTS = "too large for one request, so it does not stream: sent in parts"
# Why a stream is not asked for; the magic and the panel each add what to do instead.
STREAM_IS_FOR = (
    "is for transcripts without timestamps: translations and timestamps (whisper-1) come whole"
)


def not_streamed(model: str) -> str:
    """The line said when ``model`` answered a stream request whole.

    >>> not_streamed("whisper-1").split(" (")[1]
    'models that stream: gpt-4o-mini-transcribe, gpt-4o-transcribe)'
    """
    streaming = ", ".join(STREAMING_TRANSCRIBE_MODELS[:2])
    return f"{model} does not stream: the transcript came whole (models that stream: {streaming})"


def live_transcript(
    client: Any,
    audio: Any,
    options: dict[str, Any],
    *,
    show: Callable[[str], Any],
    note: Callable[[str], Any],
) -> Transcript:
    """``audio`` transcribed with ``client.stream_transcription(audio, **options)``.

    ``show`` gets the text so far; after a cut it has had all that arrived, and the
    error (carrying ``.transcript``, the partial one) comes out. Audio over the upload
    limit is split and sent in parts (``transcribe_long``), which does not stream.
    """
    from ..jobs.long_audio import over_upload_limit

    if over_upload_limit(audio, client):
        note(SENT_IN_PARTS)
        return client.transcribe_long(audio, **options)
    drawn, last = "", 0.0
    stream = client.stream_transcription(audio, **options)
    try:
        with stream:
            for event in stream:
                now = time.monotonic()
                if event.type != "transcript.text.done" and now - last >= REDRAW_SECONDS:
                    drawn, last = stream.text, now
                    show(drawn)
            transcript = stream.transcript
    finally:  # the deltas held back by the redraw limit, so a cut keeps all that came
        if stream.streamed and stream.text != drawn:
            show(stream.text)
    if not stream.streamed:
        note(not_streamed(options.get("model") or transcript.model or "this model"))
    return transcript
