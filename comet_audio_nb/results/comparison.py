"""Comparison: the same audio through several transcription models, side by side.

One row per file × model (``df``) and one per model (``summary``): text, latency, audio
seconds, estimated cost and, against a reference, the word error rate with its
substitutions, deletions and insertions (``comet_audio_nb.results.wer``); without a
reference, how far each model agrees with the others (1 − WER between each pair of texts,
averaged per model). A model that failed keeps its row, with the error.

>>> from comet_audio_nb import Transcript
>>> runs = [ModelRun("a.wav", "m1", Transcript("the cat sat"), latency=0.5),
...         ModelRun("a.wav", "m2", Transcript("the cat sad"), latency=0.7)]
>>> c = Comparison(runs, references={"a.wav": "The cat sat."})
>>> c.df[["model", "wer", "substitutions"]].values.tolist()
[['m1', 0.0, 0], ['m2', 0.3333333333333333, 1]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CometError
from .wer import NORMALISATION, WordErrors, agreement, word_errors

if TYPE_CHECKING:
    import pandas as pd

    from .transcript import Transcript

__all__ = ["Comparison", "ModelRun", "COLUMNS", "SUMMARY_COLUMNS"]

COLUMNS = (
    "file", "model", "status", "text", "latency", "audio_seconds", "estimated_cost",
    "usd_per_audio_hour", "cost_formula", "wer", "substitutions", "deletions", "insertions",
    "agreement", "answered_by", "error",
)  # fmt: skip
SUMMARY_COLUMNS = (
    "model", "files", "ok", "failed", "latency_mean", "audio_seconds", "estimated_cost",
    "usd_per_audio_hour", "wer", "substitutions", "deletions", "insertions", "agreement",
    "answered_by",
)  # fmt: skip
_COUNTS = ("substitutions", "deletions", "insertions")


@dataclass
class ModelRun:
    """One file through one model: the transcript, or the error that stopped it."""

    file: str
    model: str
    transcript: Transcript | None = None
    error: BaseException | None = None
    latency: float = math.nan  # seconds, the request's own time (retries included)
    audio_seconds: float = math.nan
    estimated_cost: float = math.nan  # in the catalog's currency (USD)
    cost_formula: str = ""  # the arithmetic, or why there is no estimate
    usd_per_audio_hour: float = math.nan
    answered_by: str | None = None  # the built-in engine's recogniser (x-local-recogniser)
    errors: WordErrors | None = field(default=None, repr=False)
    agreement: float = math.nan

    @property
    def ok(self) -> bool:
        return self.transcript is not None

    @property
    def text(self) -> str | None:
        return self.transcript.text if self.transcript is not None else None


class Comparison:
    """Transcription models compared on the same audio: ``df``, ``summary``, a view.

    ``references``: file → reference text (word error rates); without one, agreement
    between models is measured instead. ``prices``: where the cost estimates come from
    (``"… sample data …"`` offline). ``problem``: why scores are missing (no jiwer).
    """

    def __init__(
        self,
        runs: Sequence[ModelRun],
        *,
        references: Mapping[str, str] | None = None,
        prices: str = "",
        elapsed: float = math.nan,
        engine: bool = False,
    ) -> None:
        self.runs = list(runs)
        self.references = dict(references or {})
        self.prices = prices
        self.elapsed = elapsed
        self.engine = engine  # the built-in engine answered (answered_by says which model)
        self.normalisation = NORMALISATION
        self.problem = ""
        try:
            self._score()
        except CometError as error:  # jiwer missing: texts and costs still compare
            self.problem = str(error).replace("\n→ ", ": ")

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(run.file for run in self.runs))

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(run.model for run in self.runs))

    def transcript(self, model: str, file: str | None = None) -> Transcript | None:
        """The transcript ``model`` made of ``file`` (the first file when not given)."""
        file = self.files[0] if file is None else file
        for run in self.runs:
            if run.model == model and run.file == file:
                return run.transcript
        raise KeyError(f"no run of {model!r} on {file!r}: models are {', '.join(self.models)}")

    def _score(self) -> None:
        for file in self.files:
            runs = [r for r in self.runs if r.file == file and r.ok]
            reference = self.references.get(file)
            if reference is not None:
                for run in runs:
                    run.errors = word_errors(reference, run.text or "")
                continue
            for run in runs:
                others = [agreement(run.text or "", o.text or "") for o in runs if o is not run]
                others = [a for a in others if math.isfinite(a)]
                run.agreement = sum(others) / len(others) if others else math.nan

    @property
    def df(self) -> pd.DataFrame:
        """One row per file × model, in the order run (see ``COLUMNS``)."""
        import pandas as pd

        rows = [_row(run) for run in self.runs]
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
        for name in ("file", "model", "status", "text", "cost_formula", "answered_by", "error"):
            frame[name] = frame[name].astype("object")
        for name in ("latency", "audio_seconds", "estimated_cost", "usd_per_audio_hour"):
            frame[name] = frame[name].astype("float64")
        frame["wer"] = frame["wer"].astype("float64")
        frame["agreement"] = frame["agreement"].astype("float64")
        for name in _COUNTS:
            frame[name] = frame[name].astype("Int64")
        frame.attrs = self._attrs()
        return frame

    @property
    def summary(self) -> pd.DataFrame:
        """One row per model: files, ok/failed, mean latency, total audio seconds and
        estimated cost, the corpus WER (all errors ÷ all reference words) and its counts,
        or the mean agreement with the other models."""
        import pandas as pd

        rows = []
        for model in self.models:
            runs = [r for r in self.runs if r.model == model]
            ok = [r for r in runs if r.ok]
            scored = [r.errors for r in ok if r.errors is not None]
            words = sum(e.reference_words for e in scored)
            wrong = sum(e.substitutions + e.deletions + e.insertions for e in scored)
            agreements = [r.agreement for r in ok if math.isfinite(r.agreement)]
            answered = sorted({r.answered_by for r in ok if r.answered_by})
            rows.append(
                {
                    "model": model,
                    "files": len(runs),
                    "ok": len(ok),
                    "failed": len(runs) - len(ok),
                    "latency_mean": _mean([r.latency for r in ok]),
                    "audio_seconds": _total([r.audio_seconds for r in ok]),
                    "estimated_cost": _total([r.estimated_cost for r in ok]),
                    "usd_per_audio_hour": _first([r.usd_per_audio_hour for r in runs]),
                    "wer": wrong / words if scored and words else math.nan,
                    **{n: sum(getattr(e, n) for e in scored) if scored else None for n in _COUNTS},
                    "agreement": _mean(agreements),
                    "answered_by": ", ".join(answered) or None,
                }
            )
        frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
        for name in _COUNTS:
            frame[name] = frame[name].astype("Int64")
        for name in ("latency_mean", "audio_seconds", "estimated_cost", "usd_per_audio_hour"):
            frame[name] = frame[name].astype("float64")
        frame["wer"] = frame["wer"].astype("float64")
        frame["agreement"] = frame["agreement"].astype("float64")
        frame.attrs = self._attrs()
        return frame

    def _attrs(self) -> dict[str, Any]:
        measure = "wer" if self.references else "agreement"
        return {"measure": measure, "normalisation": self.normalisation, "prices": self.prices}

    def describe(self) -> str:
        """One line: what was compared, how, and where the prices come from."""
        plural = "s" if len(self.files) != 1 else ""
        parts = [f"{len(self.files)} file{plural} × {len(self.models)} models"]
        if self.references:
            parts.append("word error rate against the reference")
        else:
            parts.append("agreement = 1 − WER between each pair of models, averaged")
        if math.isfinite(self.elapsed):
            parts.append(f"{self.elapsed:.1f} s")
        return " · ".join(parts)

    def recognisers(self) -> dict[str, str]:
        """Model → the built-in engine's recogniser that answered it (engine runs only)."""
        found: dict[str, str] = {}
        for run in self.runs:
            if run.answered_by:
                found.setdefault(run.model, run.answered_by)
        return found

    def __repr__(self) -> str:
        failed = sum(not r.ok for r in self.runs)
        tail = f", {failed} failed" if failed else ""
        return f"Comparison({self.describe()}{tail})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from .comparison_view import comparison_html, comparison_text

        return {"text/html": comparison_html(self), "text/plain": comparison_text(self)}


def _row(run: ModelRun) -> dict[str, Any]:
    errors = run.errors
    return {
        "file": run.file,
        "model": run.model,
        "status": "ok" if run.ok else "failed",
        "text": run.text,
        "latency": run.latency,
        "audio_seconds": run.audio_seconds,
        "estimated_cost": run.estimated_cost,
        "usd_per_audio_hour": run.usd_per_audio_hour,
        "cost_formula": run.cost_formula or None,
        "wer": errors.wer if errors is not None else math.nan,
        **{n: getattr(errors, n) if errors is not None else None for n in _COUNTS},
        "agreement": run.agreement,
        "answered_by": run.answered_by,
        "error": error_line(run.error) if run.error is not None else None,
    }


def error_line(error: BaseException) -> str:
    """An error as one line (the hint after an arrow)."""
    text = " ".join(str(error).replace("\n→ ", " → ").split())
    if text.startswith("HTTP ") or isinstance(error, CometError):
        return text
    return f"{type(error).__name__}: {text}"


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]


def _mean(values: Sequence[float]) -> float:
    finite = _finite(values)
    return sum(finite) / len(finite) if finite else math.nan


def _total(values: Sequence[float]) -> float:
    """The sum, or NaN when any value is missing (a total must not understate)."""
    finite = _finite(values)
    return float(sum(finite)) if finite and len(finite) == len(values) else math.nan


def _first(values: Sequence[float]) -> float:
    finite = _finite(values)
    return finite[0] if finite else math.nan
