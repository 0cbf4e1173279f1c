"""compare_transcription: the same audio through several transcription models, concurrently.

Every file × model request goes out at once through the batch machinery's bounded,
429-aware dispatcher; each answer is timed, priced from the model catalog and, with a
reference, scored (word error rate, with jiwer). On the built-in engine every answer names
the recogniser that made it (the ``x-local-recogniser`` header), and the result says so.

>>> from comet_audio_nb import compare_transcription
>>> c = compare_transcription("talk.mp3", models=["whisper-1", "gpt-4o-mini-transcribe"],
...                           reference=open("talk.txt").read())       # doctest: +SKIP
>>> c.summary[["model", "wer", "latency_mean", "estimated_cost"]]     # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from ..audio import prepare_upload
from ..constants import TRANSCRIBE_MODELS
from ..errors import SourceError, ValidationError
from ..results.comparison import Comparison, ModelRun
from .costs import price_book
from .dispatch import Dispatcher, dispatcher_for, run_interruptible
from .long_audio import supports_timestamps
from .progress import Progress
from .sources import Source, expand_sources

__all__ = ["DEFAULT_MODELS", "RECOGNISER_HEADER", "compare_transcription", "acompare_transcription"]

DEFAULT_MODELS: tuple[str, ...] = TRANSCRIBE_MODELS
# Set by the built-in engine on every transcription: the recogniser that answered.
RECOGNISER_HEADER = "x-local-recogniser"
_OPTIONS = {"language", "prompt", "temperature"}


def compare_transcription(
    audio: Any,
    models: Sequence[str] | str = DEFAULT_MODELS,
    *,
    reference: str | Sequence[str] | Mapping[str, str] | None = None,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    **options: Any,
) -> Comparison:
    """Transcribe ``audio`` with each of ``models`` at once and compare the answers.

    ``audio``: one input (a path, bytes, ``(name, bytes)``, a Speech) or many (a list, a
    glob, a folder). ``models``: model ids (a list, or ``"a,b"``). ``reference``: the
    right text, for word error rates: one string (one file), a list aligned with the
    files, or a dict of file → text; without it, models are compared with each other
    (agreement). ``options``: ``language``, ``prompt``, ``temperature`` for every request.
    A failed request keeps its row, with the error.

    >>> c = compare_transcription(["a.wav", "b.wav"], reference=["One.", "Two."])  # doctest: +SKIP
    >>> c.df                                     # one row per file × model  # doctest: +SKIP
    """
    return run_interruptible(
        _compare(audio, models, reference, client, concurrency, progress, options, False)
    )


async def acompare_transcription(
    audio: Any,
    models: Sequence[str] | str = DEFAULT_MODELS,
    *,
    reference: str | Sequence[str] | Mapping[str, str] | None = None,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    **options: Any,
) -> Comparison:
    """``compare_transcription`` for asyncio code."""
    return await _compare(audio, models, reference, client, concurrency, progress, options, True)


def model_list(models: Sequence[str] | str) -> list[str]:
    """The model ids asked for, in order, each once (``"a, b"`` is two).

    >>> model_list("whisper-1, gpt-4o-mini-transcribe,whisper-1")
    ['whisper-1', 'gpt-4o-mini-transcribe']
    """
    if isinstance(models, str):
        models = models.split(",")
    try:
        names = [str(m).strip() for m in models]
    except TypeError:
        raise ValidationError(f"models must be a list of model ids, not {models!r}") from None
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        raise ValidationError("no models to compare", hint="e.g. models=['whisper-1', ...]")
    return names


def reference_texts(reference: Any, sources: Sequence[Source]) -> dict[str, str]:
    """File label → reference text, from one string, a list, or a mapping."""
    if reference is None:
        return {}
    labels = [s.label for s in sources]
    if isinstance(reference, str):
        if len(labels) != 1:
            raise ValidationError(
                f"one reference text for {len(labels)} files",
                hint="give a list of texts in file order, or a dict of file → text",
            )
        return {labels[0]: reference}
    if isinstance(reference, Mapping):
        texts = {os.fspath(k) if isinstance(k, os.PathLike) else str(k): str(v)
                 for k, v in reference.items()}  # fmt: skip
        unknown = sorted(set(texts) - set(labels))
        if unknown:
            raise ValidationError(
                f"references for files not compared: {', '.join(unknown)}",
                hint=f"the files are: {', '.join(labels)}",
            )
        return texts
    texts = [str(t) for t in reference]
    if len(texts) != len(labels):
        raise ValidationError(f"{len(texts)} reference texts for {len(labels)} files")
    return dict(zip(labels, texts, strict=True))


async def _compare(
    audio: Any,
    models: Sequence[str] | str,
    reference: Any,
    client: Any,
    concurrency: int | None,
    progress: bool,
    options: dict[str, Any],
    share_pool: bool,
) -> Comparison:
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise TypeError(f"compare_transcription() got unexpected option(s): {', '.join(unknown)}")
    names = model_list(models)
    sources = expand_sources(audio)
    references = reference_texts(reference, sources)
    started = time.perf_counter()
    async with dispatcher_for(client, concurrency=concurrency, share_pool=share_pool) as dispatch:
        prices = asyncio.ensure_future(asyncio.to_thread(price_book, dispatch.client))
        seconds = await asyncio.gather(*(asyncio.to_thread(_measure, s) for s in sources))
        total = len(sources) * len(names)
        with Progress(total, enabled=progress, unit="request", description="compare") as bar:

            async def one(source: Source, model: str, length: float) -> ModelRun:
                run = await _run(dispatch, source, model, options)
                bar.done("ok" if run.ok else "failed")
                if math.isfinite(length):
                    run.audio_seconds = length
                return run

            jobs = [one(s, m, t) for s, t in zip(sources, seconds, strict=True) for m in names]
            runs = await asyncio.gather(*jobs)
        book = await prices
        engine = dispatch.client.uses_local_engine
    for run in runs:
        if run.ok:
            estimate = book.transcription(run.model, run.audio_seconds)
            run.estimated_cost = estimate.cost
            run.cost_formula = estimate.formula or estimate.note
        run.usd_per_audio_hour = book.per_audio_hour(run.model)
    return Comparison(
        runs,
        references=references,
        prices=book.label,
        elapsed=time.perf_counter() - started,
        engine=engine,
    )


async def _run(dispatch: Dispatcher, source: Source, model: str, options: dict) -> ModelRun:
    run = ModelRun(source.label, model)
    if source.error is not None:  # never found or fetched: nothing to send
        run.error = SourceError(source.error)
        return run
    client = dispatch.client
    response_format = "verbose_json" if supports_timestamps(model) else "json"
    try:
        transcript = await dispatch.call(partial(
            client.transcribe, source.audio, model=model, language=options.get("language"),
            prompt=options.get("prompt"), response_format=response_format,
            temperature=options.get("temperature"),
        ))  # fmt: skip
    except Exception as error:  # every failure is the row's, never the comparison's
        run.error = error
        return run
    transcript.source = source.label
    run.transcript = transcript
    run.latency = transcript.elapsed if transcript.elapsed is not None else math.nan
    run.answered_by = transcript.headers.get(RECOGNISER_HEADER)  # on the engine: who answered
    if transcript.duration is not None:
        run.audio_seconds = float(transcript.duration)
    return run


def _measure(source: Source) -> float:
    """Seconds of audio in ``source`` as its container declares (NaN when it cannot tell);
    preparing it here also extracts a video's audio track once, off the event loop."""
    if source.error is not None:
        return math.nan
    try:
        upload = prepare_upload(source.audio, max_bytes=2**63)
        from .split_audio import probe_duration

        value = probe_duration(upload)
    except Exception:  # a bad input fails on its own rows, with the client's message
        return math.nan
    return float(value) if value is not None else math.nan
