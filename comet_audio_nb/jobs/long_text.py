"""Long text: text of any length as one Speech.

Text over 4,096 characters is cut at sentence ends (``split_text``), spoken concurrently
through the same bounded, 429-aware dispatcher as batches, and joined into one file in
the format asked for (encoded once).

>>> from comet_audio_nb.jobs.long_text import speech_long
>>> speech_long(open("article.txt").read(), voice="nova").save("article")  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import Any

from ..audio.codecs import join_encoded
from ..constants import MAX_SPEECH_CHARS, SPEECH_CONTENT_TYPES, SPEECH_FORMATS
from ..errors import ValidationError
from ..results import Speech
from .dispatch import dispatcher_for, gather_all, run_interruptible
from .progress import Progress
from .split_text import split_text

__all__ = ["speech_long", "aspeech_long"]


def speech_long(
    text: str,
    *,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    max_chars: int = MAX_SPEECH_CHARS,
    **options: Any,
) -> Speech:
    """Speak text of any length as one Speech in the format asked for (mp3 by default).

    Text over ``max_chars`` is cut at sentence ends into parts, spoken ``concurrency`` at
    a time and joined into one playable file (parts travel as FLAC, or raw PCM for
    ``wav``/``pcm``, and are encoded once). ``options`` are those of
    ``CometClient.speech``: model, voice, response_format, speed, instructions.

    >>> speech_long(open("article.txt").read(), voice="nova").save("article")  # doctest: +SKIP
    PosixPath('article.mp3')
    """
    return run_interruptible(
        _long_speech(text, client, concurrency, progress, max_chars, options, False)
    )


async def aspeech_long(
    text: str,
    *,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    max_chars: int = MAX_SPEECH_CHARS,
    **options: Any,
) -> Speech:
    """``speech_long`` for asyncio code (and ``AsyncCometClient.speech_long``)."""
    return await _long_speech(text, client, concurrency, progress, max_chars, options, True)


async def _long_speech(
    text: str,
    client: Any,
    concurrency: int | None,
    progress: bool,
    max_chars: int,
    options: dict[str, Any],
    share_pool: bool,
) -> Speech:
    started = time.perf_counter()
    options = dict(options)
    response_format = str(options.pop("response_format", "mp3")).lower()
    if response_format not in SPEECH_FORMATS:
        raise ValidationError(
            f"unknown response_format {response_format!r}: use one of {', '.join(SPEECH_FORMATS)}"
        )
    parts = split_text(text, max_chars) if isinstance(text, str) else [text]
    async with dispatcher_for(client, concurrency=concurrency, share_pool=share_pool) as dispatch:
        speak = dispatch.client.speech
        if len(parts) <= 1:
            whole = partial(speak, text, response_format=response_format, **options)
            return await dispatch.call(whole)
        part_format = "pcm" if response_format in ("pcm", "wav") else "flac"
        with Progress(len(parts), enabled=progress, unit="part") as bar:

            async def one(part: str) -> Speech:
                speech = await dispatch.call(
                    partial(speak, part, response_format=part_format, **options)
                )
                bar.done("ok")
                return speech

            speeches = await gather_all(one(part) for part in parts)
    data = await asyncio.to_thread(
        join_encoded,
        [s.data for s in speeches],
        part_format=part_format,
        response_format=response_format,
    )
    first = speeches[0]
    return Speech(
        data,
        format=response_format,
        content_type=SPEECH_CONTENT_TYPES[response_format],
        model=first.model,
        voice=first.voice,
        text=text,
        speed=first.speed,
        instructions=first.instructions,
        request_id=first.request_id,
        elapsed=time.perf_counter() - started,
    )
