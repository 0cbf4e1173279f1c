"""Many inputs at once: bounded and 429-aware concurrency, progress, a row for every input.

>>> from comet_audio_nb.batch import transcribe_many
>>> result = transcribe_many("recordings/*.mp3", concurrency=8)     # doctest: +SKIP
>>> result                                                          # doctest: +SKIP
BatchResult(120 inputs: 117 ok, 3 failed; 41.2 s)
>>> result.df[result.df.status == "failed"][["source", "error"]]    # doctest: +SKIP
>>> result = result.retry_failed()                                  # doctest: +SKIP

Every input gets one row, in input order, whatever happens to it: ``ok``, ``failed`` (with
the error), ``skipped`` (done in an earlier run; its transcript read from ``cache_dir``)
or ``cancelled`` (not finished when the run was interrupted). An interrupt (Ctrl-C, or
the notebook's stop button) stops new requests and returns what finished. Inputs over
the upload limit are split and joined as in ``comet_audio_nb.jobs.long_audio``.
"""

from __future__ import annotations

import asyncio
import html
import math
import time
import warnings
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from ..constants import DEFAULT_TRANSCRIBE_MODEL
from ..errors import SourceError, ValidationError
from .dispatch import Dispatcher, Tally, dispatcher_for, run_interruptible
from .long_audio import Chunking, over_upload_limit, supports_timestamps, transcribe_chunked
from .progress import Progress
from .sources import Source, expand_sources

if TYPE_CHECKING:
    import pandas as pd

    from ..results import Transcript
    from .cache import TranscriptCache

__all__ = ["BatchResult", "transcribe_many", "atranscribe_many"]

STATUSES = ("ok", "failed", "skipped", "cancelled")
COLUMNS = ("source", "status", "text", "language", "duration", "error", "attempts", "elapsed")
_OPTIONS = {
    "transcribe": {"model", "language", "prompt", "response_format", "temperature"}
    | {"timestamp_granularities", "chunk_seconds"},
    "translate": {"model", "prompt", "response_format", "temperature", "chunk_seconds"},
}


def transcribe_many(
    sources: Any,
    *,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    translate: bool = False,
    cache_dir: Any = None,
    **transcribe_options: Any,
) -> BatchResult:
    """Transcribe (or ``translate``) many inputs concurrently; one table row per input.

    ``sources``: a list of paths, bytes, ``(name, bytes)`` pairs, Speech results or file
    objects; a glob (``"audio/**/*.mp3"``); a folder (its audio files); or a pandas Series
    or one-column DataFrame. ``client``: a CometClient or AsyncCometClient (None: the
    session's settings). ``concurrency``: requests in flight at once (default 4); lowered
    for a while when the service answers 429. ``cache_dir``: a folder where finished
    transcripts are kept, so that a rerun skips them. ``transcribe_options`` go to every
    request (model, language, prompt, response_format, temperature,
    timestamp_granularities); ``chunk_seconds=...`` also splits inputs longer than that.
    Without a ``response_format``, Whisper models answer ``verbose_json`` so that the
    table has each input's language and duration.

    >>> result = transcribe_many(["a.mp3", "b.wav"], language="en")   # doctest: +SKIP
    >>> result.df[["source", "status", "text"]]                       # doctest: +SKIP
    """
    job = _Job.create(
        sources, client, concurrency, progress, translate, cache_dir, transcribe_options
    )
    return job.run_blocking(job.fresh_rows())


async def atranscribe_many(
    sources: Any,
    *,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    translate: bool = False,
    cache_dir: Any = None,
    **transcribe_options: Any,
) -> BatchResult:
    """``transcribe_many`` for asyncio code (and ``AsyncCometClient.transcribe_many``).

    Cancelling it cancels the requests in flight and raises ``CancelledError``; use the
    blocking ``transcribe_many`` to get a partial table back from an interrupt.
    """
    job = _Job.create(
        sources, client, concurrency, progress, translate, cache_dir, transcribe_options
    )
    return await job.run(job.fresh_rows(), share_pool=True)


@dataclass
class _Row:
    source: str
    status: str = "cancelled"
    transcript: Transcript | None = None
    error: BaseException | None = None
    attempts: int = 0
    elapsed: float = math.nan


class BatchResult:
    """The outcome of ``transcribe_many``: a table, the transcripts, and a way to retry.

    ``df``: one row per input, in input order (``source``, ``status``, ``text``,
    ``language``, ``duration``, ``error``, ``attempts``, ``elapsed``). ``transcripts`` and
    ``errors``: lists aligned with the inputs (None where there is none). ``ok``: inputs
    with a transcript (``ok`` or ``skipped``); ``failed``: inputs that failed.
    """

    def __init__(self, job: _Job, rows: list[_Row], *, elapsed: float, interrupted: bool):
        self._job = job
        self._rows = rows
        self.elapsed = elapsed
        self.interrupted = interrupted
        self.transcripts: list[Transcript | None] = [r.transcript for r in rows]
        self.errors: list[BaseException | None] = [r.error for r in rows]
        self.df: pd.DataFrame = _frame(rows)

    @property
    def ok(self) -> int:
        return sum(r.status in ("ok", "skipped") for r in self._rows)

    @property
    def failed(self) -> int:
        return sum(r.status == "failed" for r in self._rows)

    def counts(self) -> dict[str, int]:
        """How many inputs ended in each status."""
        return {status: sum(r.status == status for r in self._rows) for status in STATUSES}

    def retry_failed(self) -> BatchResult:
        """Run the inputs without a transcript (failed or cancelled) again; keep the rest.

        Rows that ran again show the new run's attempts and time.
        """
        return self._job.run_blocking(self._job.rows_to_retry(self._rows))

    async def aretry_failed(self) -> BatchResult:
        """``retry_failed`` for asyncio code."""
        return await self._job.run(self._job.rows_to_retry(self._rows), share_pool=True)

    def __len__(self) -> int:
        return len(self._rows)

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts['ok'] + counts['skipped']} ok", f"{counts['failed']} failed"]
        if counts["skipped"]:
            parts[0] += f" ({counts['skipped']} from the cache)"
        if counts["cancelled"]:
            parts.append(f"{counts['cancelled']} cancelled")
        tail = "; interrupted" if self.interrupted else ""
        plural = "s" if len(self) != 1 else ""
        return f"{len(self)} input{plural}: {', '.join(parts)}; {self.elapsed:.1f} s{tail}"

    def __repr__(self) -> str:
        return f"BatchResult({self.summary()})"

    def _repr_html_(self) -> str:
        from ..results.markup import frame_html  # "$" in a transcript is not maths

        summary = f"<p><b>BatchResult</b>: {html.escape(self.summary())}</p>"
        return frame_html(self.df, before=summary)


@dataclass
class _Job:
    """Everything needed to run (and rerun) a batch."""

    sources: list[Source]
    client: Any
    concurrency: int | None
    progress: bool
    task: str
    options: dict[str, Any]
    chunk_seconds: float | None
    cache: TranscriptCache | None

    @classmethod
    def create(
        cls,
        sources: Any,
        client: Any,
        concurrency: int | None,
        progress: bool,
        translate: bool,
        cache_dir: Any,
        options: dict[str, Any],
    ) -> _Job:
        task = "translate" if translate else "transcribe"
        unknown = sorted(set(options) - _OPTIONS[task])
        if unknown:
            raise TypeError(
                f"transcribe_many() got unexpected option(s) for {task}: {', '.join(unknown)}"
            )
        if concurrency is not None and (
            isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
        ):
            raise ValidationError(f"concurrency={concurrency!r}: use a whole number >= 1")
        options = dict(options)
        chunk_seconds = options.pop("chunk_seconds", None)
        if chunk_seconds is not None:
            chunk_seconds = Chunking.checked(chunk_seconds).chunk_seconds
        model = options.get("model", DEFAULT_TRANSCRIBE_MODEL)
        if "response_format" not in options and supports_timestamps(model):
            options["response_format"] = "verbose_json"  # language and duration for the table
        cache = None
        if cache_dir is not None:
            from .cache import TranscriptCache

            cache = TranscriptCache(cache_dir, task=task, options=options)
        return cls(
            expand_sources(sources), client, concurrency, progress, task, options,
            chunk_seconds, cache,
        )  # fmt: skip

    def fresh_rows(self) -> list[_Row]:
        return [_Row(s.label) for s in self.sources]

    def rows_to_retry(self, rows: list[_Row]) -> list[_Row]:
        return [replace(r) if r.status in ("ok", "skipped") else _Row(r.source) for r in rows]

    def run_blocking(self, rows: list[_Row]) -> BatchResult:
        """Run from synchronous code (a notebook cell included); an interrupt returns a
        partial result instead of raising."""
        run = _Run(self, rows)
        try:
            run_interruptible(run.execute(share_pool=False))
        except (KeyboardInterrupt, asyncio.CancelledError):
            run.interrupted = True
        return run.result()

    async def run(self, rows: list[_Row], *, share_pool: bool) -> BatchResult:
        run = _Run(self, rows)
        await run.execute(share_pool=share_pool)
        return run.result()


class _Run:
    """One pass over the rows still to do."""

    def __init__(self, job: _Job, rows: list[_Row]) -> None:
        self.job = job
        self.rows = rows
        self.interrupted = False
        self.started = time.perf_counter()

    async def execute(self, *, share_pool: bool) -> None:
        job = self.job
        todo = [i for i, row in enumerate(self.rows) if row.status not in ("ok", "skipped")]
        usable = [i for i in todo if job.sources[i].error is None]
        keys = {i: job.cache.key(job.sources[i].audio) for i in usable} if job.cache else {}
        for i in list(todo):
            cached = job.cache.get(keys[i]) if job.cache and i in keys else None
            if cached is not None:
                self.rows[i] = _Row(self.rows[i].source, "skipped", cached, None, 0, 0.0)
                todo.remove(i)
        done = len(self.rows) - len(todo)
        bar = Progress(
            len(self.rows), enabled=job.progress, unit="file", description=job.task, initial=done
        )
        for status in ("ok", "skipped"):
            bar.note(status, sum(r.status == status for r in self.rows))
        queue = iter(todo)
        try:
            if not todo:
                return
            async with dispatcher_for(
                job.client, concurrency=job.concurrency, share_pool=share_pool
            ) as dispatch:

                async def worker() -> None:
                    for index in queue:
                        await self._one(index, dispatch, keys.get(index))
                        bar.done(self.rows[index].status)

                count = min(dispatch.limit.ceiling, len(todo))
                workers = [asyncio.ensure_future(worker()) for _ in range(count)]
                try:
                    await asyncio.gather(*workers)
                except BaseException:
                    for w in workers:
                        w.cancel()
                    await asyncio.gather(*workers, return_exceptions=True)
                    raise
        finally:
            bar.close()

    async def _one(self, index: int, dispatch: Dispatcher, key: str | None) -> None:
        job, row, tally = self.job, self.rows[index], Tally()
        source = job.sources[index]
        if source.error is not None:  # never found or fetched: nothing to send
            row.status, row.error, row.attempts = "failed", SourceError(source.error), 0
            return
        started = time.perf_counter()
        try:
            transcript = await self._transcribe(source, dispatch, tally)
        except Exception as error:  # every failure becomes the row's error, never the run's
            row.status, row.error = "failed", error
        else:
            row.status, row.transcript = "ok", transcript
        finally:  # also when cancelled: the row stays "cancelled" with what it sent
            row.attempts = tally.attempts
            row.elapsed = time.perf_counter() - started
        if row.status == "ok" and job.cache is not None:
            try:
                job.cache.put(key, row.transcript, label=source.label)
            except OSError as error:  # the transcript is in the table; only the copy failed
                warnings.warn(f"could not keep {source.label} in {job.cache.folder}: {error}",
                              stacklevel=2)  # fmt: skip

    async def _transcribe(self, source: Source, dispatch: Dispatcher, tally: Tally) -> Transcript:
        job, client = self.job, dispatch.client
        if job.chunk_seconds is not None or over_upload_limit(source.audio, client):
            chunking = Chunking(chunk_seconds=job.chunk_seconds or Chunking.chunk_seconds)
            return await transcribe_chunked(
                dispatch, source.audio, task=job.task, options=job.options,
                chunking=chunking, tally=tally,
            )  # fmt: skip
        send = client.translate if job.task == "translate" else client.transcribe
        return await dispatch.call(partial(send, source.audio, **job.options), tally)

    def result(self) -> BatchResult:
        elapsed = time.perf_counter() - self.started
        return BatchResult(self.job, self.rows, elapsed=elapsed, interrupted=self.interrupted)


def _frame(rows: list[_Row]) -> pd.DataFrame:
    import pandas as pd

    def error_text(error: BaseException | None) -> str | None:
        if error is None:
            return None
        text = " ".join(str(error).replace("\n→ ", " → ").split())  # one line
        if text.startswith("HTTP ") or isinstance(error, SourceError):
            return text
        return f"{type(error).__name__}: {text}"

    return pd.DataFrame(
        {
            "source": pd.Series([r.source for r in rows], dtype=object),
            "status": pd.Series([r.status for r in rows], dtype=object),
            "text": pd.Series(
                [r.transcript.text if r.transcript else None for r in rows], dtype=object
            ),
            "language": pd.Series(
                [r.transcript.language if r.transcript else None for r in rows], dtype=object
            ),
            "duration": pd.Series(
                [_number(r.transcript.duration if r.transcript else None) for r in rows],
                dtype="float64",
            ),
            "error": pd.Series([error_text(r.error) for r in rows], dtype=object),
            "attempts": pd.Series([r.attempts for r in rows], dtype="int64"),
            "elapsed": pd.Series([r.elapsed for r in rows], dtype="float64"),
        },
        columns=list(COLUMNS),
    )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan
