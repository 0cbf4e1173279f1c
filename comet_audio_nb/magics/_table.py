"""Several sources at once: ``batch.transcribe_many`` plus a row for each unusable source.

Sources that could not even be read (no such variable, no file matching a glob, a failed
download) never reach the batch; their rows are put back in place, so the table has one
row per source, in the order the cell lists them, labelled as the cell names them.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._cell_sources import Source

if TYPE_CHECKING:
    import pandas as pd

    from ..batch import BatchResult

FAILED = "failed"  # as batch.STATUSES


@dataclass
class TranscriptTable:
    """What ``%%comet_transcribe -o VAR`` keeps for several sources.

    ``df``: one row per source (source, status, text, language, duration, error,
    attempts, elapsed); ``transcripts``: aligned with the rows, None where a source
    failed; ``batch``: the ``BatchResult`` of the sources that could be sent (its
    ``retry_failed()`` runs the failed ones again).
    """

    df: pd.DataFrame
    transcripts: list[Any] = field(default_factory=list)
    batch: BatchResult | None = None

    def summary(self) -> str:
        counts = self.df["status"].value_counts()
        parts = [f"{counts.get(status, 0)} {status}" for status in ("ok", FAILED)]
        parts += [f"{n} {status}" for status, n in counts.items() if status not in ("ok", FAILED)]
        return f"{len(self.df)} sources: {', '.join(parts)}"

    def __repr__(self) -> str:
        return f"TranscriptTable({self.summary()})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        caption = f'<p style="margin:0 0 4px">{html.escape(self.summary())}</p>'
        return {
            "text/html": caption + (self.df._repr_html_() or ""),
            "text/plain": f"{self.summary()}\n{self.df!r}",
        }


def transcribe_table(
    sources: list[Source],
    *,
    client: Any,
    concurrency: int,
    translate: bool,
    options: dict[str, Any],
) -> TranscriptTable:
    """Transcribe every usable source (``concurrency`` at once); one row per source."""
    import pandas as pd

    from ..batch import COLUMNS, transcribe_many

    usable = [s for s in sources if s.error is None]
    batch = None
    rows: list[dict[str, Any]] = []
    transcripts: list[Any] = []
    if usable:
        batch = transcribe_many(
            [s.audio for s in usable], client=client, concurrency=concurrency,
            progress=True, translate=translate, **options,
        )  # fmt: skip
        rows = batch.df.to_dict("records")
        transcripts = list(batch.transcripts)
    done = iter(zip(rows, transcripts, strict=True))
    table_rows, table_transcripts = [], []
    for source in sources:
        if source.error is None:
            row, transcript = next(done)
            row = {**row, "source": source.label}
            if transcript is not None:
                transcript.source = source.label
        else:
            row = {"source": source.label, "status": FAILED, "error": source.error,
                   "attempts": 0, "elapsed": math.nan}  # fmt: skip
            transcript = None
        table_rows.append(row)
        table_transcripts.append(transcript)
    frame = pd.DataFrame.from_records(table_rows, columns=list(COLUMNS))
    for name in ("source", "status", "text", "language", "error"):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    frame["duration"] = pd.to_numeric(frame["duration"], errors="coerce").astype("float64")
    frame["elapsed"] = pd.to_numeric(frame["elapsed"], errors="coerce").astype("float64")
    frame["attempts"] = frame["attempts"].fillna(0).astype("int64")
    return TranscriptTable(frame, table_transcripts, batch)
