"""Long audio: audio of any length as one Transcript.

Audio over the upload limit (25 MB) or over ``chunk_seconds`` is cut at pauses (see
``split_audio``), the chunks are sent concurrently as FLAC, and their transcripts are
joined on the original timeline (see ``join_transcripts``). Everything goes through the
same bounded, 429-aware dispatcher as batches.

>>> from comet_audio_nb.jobs.long_audio import transcribe_long
>>> meeting = transcribe_long("meeting-2h.mp3", language="en")          # doctest: +SKIP
>>> meeting.segments.tail(3)                                            # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from ..audio import AudioInput, Upload, prepare_upload
from ..constants import DEFAULT_TRANSCRIBE_MODEL, DIARIZE_MODEL, DIARIZED_FORMAT, MAX_UPLOAD_BYTES
from ..errors import ValidationError
from ..results import Transcript
from .dispatch import Dispatcher, Tally, dispatcher_for, gather_all, run_interruptible
from .progress import Progress
from .split_audio import (
    CHUNK_SECONDS,
    OVERLAP,
    SKIP_SILENCE,
    Chunk,
    Decoded,
    Loudness,
    decode_for_splitting,
    max_chunk_seconds,
    plan_chunks,
    probe_duration,
    write_chunk,
)

__all__ = ["Chunking", "transcribe_long", "atranscribe_long"]


@dataclass(frozen=True)
class Chunking:
    """How long audio is cut (seconds); see ``splitting`` for what each means."""

    chunk_seconds: float = CHUNK_SECONDS
    overlap: float = OVERLAP
    skip_silence: float | None = SKIP_SILENCE

    @classmethod
    def checked(
        cls,
        chunk_seconds: float = CHUNK_SECONDS,
        overlap: float = OVERLAP,
        skip_silence: float | None = SKIP_SILENCE,
    ) -> Chunking:
        """The user's choice, refused when it cannot work."""
        if not isinstance(chunk_seconds, (int, float)) or chunk_seconds < 5:
            raise ValidationError(f"chunk_seconds={chunk_seconds!r}: use 5 seconds or more")
        return cls(float(chunk_seconds), overlap, skip_silence)


def over_upload_limit(audio: AudioInput, client: Any) -> bool:
    """Whether ``audio`` is too large for one request to ``client`` (so it must be split).

    A ValidationError (no such file, not audio) comes out before anything is sent."""
    limit = getattr(getattr(client, "settings", None), "max_upload_bytes", MAX_UPLOAD_BYTES)
    return prepare_upload(audio, max_bytes=2**63).size > limit


def transcribe_one(client: Any, audio: AudioInput, *, translate: bool = False, **options: Any):
    """One input as one Transcript: sent as it is when it fits one request, else split and
    joined (``transcribe_long``), so one large file is treated as it is among several.

    ``client`` is a ``CometClient``; the splitting needs PyAV (the ``[media]`` extra), and
    without it the error says so.
    """
    if over_upload_limit(audio, client):
        return transcribe_long(audio, client=client, translate=translate, **options)
    send = client.translate if translate else client.transcribe
    return send(audio, **options)


def supports_timestamps(model: str) -> bool:
    """Whether a transcription model answers ``verbose_json`` (the gpt-4o ones do not)."""
    return not model.startswith("gpt-4o")


def transcribe_long(
    audio: AudioInput,
    *,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    translate: bool = False,
    chunk_seconds: float = CHUNK_SECONDS,
    overlap: float = OVERLAP,
    skip_silence: float | None = SKIP_SILENCE,
    **options: Any,
) -> Transcript:
    """Transcribe (or ``translate``) audio of any length into one Transcript.

    Audio that fits one request (under the upload limit and ``chunk_seconds`` long) is
    sent as it is. Longer audio is decoded with PyAV, cut at pauses into chunks of at
    most ``chunk_seconds``, sent ``concurrency`` at a time, and joined with segment and
    word times on the original timeline. Silences of ``skip_silence`` seconds or more are
    not sent (None sends everything). ``options`` are those of ``CometClient.transcribe``
    (or ``translate``); with Whisper models the result has segments and words.

    With ``model="gpt-4o-transcribe-diarize"`` every chunk is asked for speakers
    (``diarized_json``). Speaker labels are then per chunk: ``A`` in one chunk need not
    be ``A`` in the next. Give ``known_speakers={"Ana": "ana.wav", ...}`` to keep them
    consistent: the service names the known voices in every chunk.

    >>> t = transcribe_long("meeting-2h.mp3", client=CometClient())   # doctest: +SKIP
    >>> t.save("meeting.srt")                                          # doctest: +SKIP
    """
    return run_interruptible(
        _long_transcript(
            audio, client, concurrency, progress, translate,
            Chunking.checked(chunk_seconds, overlap, skip_silence), options, share_pool=False,
        )
    )  # fmt: skip


async def atranscribe_long(
    audio: AudioInput,
    *,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    translate: bool = False,
    chunk_seconds: float = CHUNK_SECONDS,
    overlap: float = OVERLAP,
    skip_silence: float | None = SKIP_SILENCE,
    **options: Any,
) -> Transcript:
    """``transcribe_long`` for asyncio code (and ``AsyncCometClient.transcribe_long``)."""
    return await _long_transcript(
        audio, client, concurrency, progress, translate,
        Chunking.checked(chunk_seconds, overlap, skip_silence), options, share_pool=True,
    )  # fmt: skip


async def _long_transcript(
    audio: AudioInput,
    client: Any,
    concurrency: int | None,
    progress: bool,
    translate: bool,
    chunking: Chunking,
    options: dict[str, Any],
    *,
    share_pool: bool,
) -> Transcript:
    started = time.perf_counter()
    task = "translate" if translate else "transcribe"
    async with dispatcher_for(client, concurrency=concurrency, share_pool=share_pool) as dispatch:
        transcript = await transcribe_chunked(
            dispatch, audio, task=task, options=options, chunking=chunking, progress=progress
        )
    transcript.elapsed = time.perf_counter() - started
    return transcript


async def transcribe_chunked(
    dispatch: Dispatcher,
    audio: AudioInput,
    *,
    task: str,
    options: dict[str, Any],
    chunking: Chunking,
    tally: Tally | None = None,
    progress: bool = False,
) -> Transcript:
    """One input, split when it must be; the core of ``transcribe_long`` and of batches."""
    options = dict(options)
    if task == "translate" and options.get("timestamp_granularities"):
        raise ValidationError("translations have no timestamp_granularities option")
    client = dispatch.client
    send = client.translate if task == "translate" else client.transcribe
    limit = getattr(getattr(client, "settings", None), "max_upload_bytes", MAX_UPLOAD_BYTES)
    filename = options.pop("filename", None)
    upload = prepare_upload(audio, max_bytes=sys.maxsize, filename=filename)
    chunk_seconds = min(chunking.chunk_seconds, max_chunk_seconds(limit))
    # Every chunk asks for all the timing there is; the result keeps the format asked for.
    model = options.get("model", DEFAULT_TRANSCRIBE_MODEL)
    timestamps = supports_timestamps(model)
    # The diarize model's segments carry times and speakers: ask every chunk for them.
    timed = "verbose_json" if timestamps else DIARIZED_FORMAT if model == DIARIZE_MODEL else "json"
    asked = options.get("response_format") or timed
    request = {k: v for k, v in options.items() if k != "timestamp_granularities"}
    request["response_format"] = timed
    if timestamps and task == "transcribe":
        request["timestamp_granularities"] = ["segment", "word"]
    if upload.size <= limit:
        seconds = await asyncio.to_thread(probe_duration, upload)
        if seconds is not None and seconds <= chunk_seconds:
            whole = await dispatch.call(partial(send, audio, filename=filename, **request), tally)
            whole.response_format = asked
            return whole
    chunking = replace(chunking, chunk_seconds=chunk_seconds)
    parts, chunks, decoded = await _split_and_send(
        dispatch, partial(send, **request), upload, chunking, tally=tally, progress=progress
    )
    from .join_transcripts import join_transcripts

    transcript = join_transcripts(
        list(zip(chunks, parts, strict=True)),
        duration=decoded.duration,
        task=task,
        response_format=asked,
        sound_share=Loudness(decoded.levels).sound_share,
    )
    transcript.source = upload.filename
    return transcript


async def _split_and_send(
    dispatch: Dispatcher,
    send: Callable[[Path], Awaitable[Transcript]],
    upload: Upload,
    chunking: Chunking,
    *,
    tally: Tally | None,
    progress: bool,
) -> tuple[list[Transcript], list[Chunk], Decoded]:
    """Decode, plan, then encode and send each chunk (``send(path)``); results in order."""
    loop = asyncio.get_running_loop()
    stop = threading.Event()  # set when cancelled, so that a long decode gives up early
    gate = asyncio.Semaphore(dispatch.limit.ceiling)  # chunk files on disk at once
    # Decoding and encoding run on one thread of their own: a chunk takes milliseconds to
    # encode, and one encoder at a time keeps memory flat however many chunks are sent.
    with (
        tempfile.TemporaryDirectory(prefix="comet-audio-") as temporary,
        ThreadPoolExecutor(1, thread_name_prefix="comet-audio-codec") as codec,
    ):
        folder = Path(temporary)
        try:
            decoded = await loop.run_in_executor(codec, decode_for_splitting, upload, folder, stop)
            chunks = plan_chunks(
                decoded.levels,
                duration=decoded.duration,
                chunk_seconds=chunking.chunk_seconds,
                overlap=chunking.overlap,
                skip_silence=chunking.skip_silence,
            )
            bar = Progress(len(chunks), enabled=progress, unit="chunk", description=upload.filename)

            async def one(index: int) -> Transcript:
                async with gate:
                    path = folder / f"chunk-{index:05d}.flac"
                    await loop.run_in_executor(codec, write_chunk, decoded, chunks[index], path)
                    try:
                        part = await dispatch.call(partial(send, path), tally)
                    finally:
                        path.unlink(missing_ok=True)
                bar.done("ok")
                return part

            with bar:
                parts = await gather_all(one(i) for i in range(len(chunks)))
        except BaseException:
            stop.set()
            raise
    return parts, chunks, decoded
