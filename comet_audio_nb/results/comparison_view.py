"""How a Comparison shows itself: a summary per model, then each file's texts aligned.

Each model's text is aligned word by word with the reference (or, without one, with the
first model that answered) and the differences are marked: a substituted word (the
reference's word on hover), an inserted one, and a deleted one struck through. Dollars
stay dollars: the container is kept away from the notebook's maths renderer.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from .markup import NO_MATHS
from .text import shorten
from .wer import word_errors

if TYPE_CHECKING:
    from .comparison import Comparison, ModelRun

MAX_SHOWN_WORDS = 1500  # per text; .df has every word
_BOX = f"comet-comparison {NO_MATHS}"
_CAPTION = "font-size:0.85em;opacity:0.75;margin:2px 0"
_STYLE = """<style>
.comet-comparison table.comet-cmp{border-collapse:collapse;margin:4px 0 10px 0}
.comet-comparison table.comet-cmp td,.comet-comparison table.comet-cmp th{
  border-bottom:1px solid rgba(128,128,128,.25);padding:3px 8px;text-align:left;
  vertical-align:top}
.comet-comparison td.num{text-align:right;font-variant-numeric:tabular-nums}
.comet-comparison .comet-cmp-sub{background:rgba(255,170,0,.35);border-radius:2px}
.comet-comparison .comet-cmp-ins{background:rgba(0,170,255,.3);border-radius:2px}
.comet-comparison .comet-cmp-del{background:rgba(255,60,60,.25);text-decoration:line-through;
  border-radius:2px}
.comet-comparison .comet-cmp-error{color:#c00}
.comet-comparison table.comet-cmp th{white-space:nowrap}
.comet-comparison .comet-cmp-meta{font-size:.85em;opacity:.7;white-space:nowrap}
</style>"""
_LEGEND = (
    '<span class="comet-cmp-sub">substituted</span> '
    '<span class="comet-cmp-ins">inserted</span> '
    '<span class="comet-cmp-del">deleted</span>'
)


def comparison_html(comparison: Comparison) -> str:
    parts = [f'<div class="{_BOX}">{_STYLE}']
    parts.append(f"<div><b>Transcription comparison</b>: {_e(comparison.describe())}</div>")
    for line in _notes(comparison):
        parts.append(f'<div style="{_CAPTION}">{_e(line)}</div>')
    parts.append(_summary_table(comparison))
    for file in comparison.files:
        parts.append(_file_block(comparison, file))
    parts.append("</div>")
    return "".join(parts)


def comparison_text(comparison: Comparison) -> str:
    lines = [repr(comparison), *_notes(comparison)]
    summary = comparison.summary
    measure = "wer" if comparison.references else "agreement"
    for row in summary.itertuples(index=False):
        score = getattr(row, measure)
        lines.append(
            f"  {row.model}: {row.ok}/{row.files} ok · {measure} {_number(score, 3)} · "
            f"{_seconds(row.latency_mean, 1)} · {_money(row.estimated_cost)}"
        )
    for run in comparison.runs:
        body = shorten(run.text, 80) if run.ok else f"failed: {_error(run)}"
        lines.append(f"  [{run.file} · {run.model}] {body}")
    return "\n".join(lines)


def _notes(comparison: Comparison) -> list[str]:
    notes = []
    if comparison.references:
        notes.append(f"normalisation: {comparison.normalisation}")
    elif len(comparison.models) > 1:
        notes.append(f"agreement, not accuracy: no reference given ({comparison.normalisation})")
    if comparison.problem:
        notes.append(comparison.problem)
    answered = comparison.recognisers()
    if answered:
        which = "; ".join(f"{model} → {who}" for model, who in answered.items())
        notes.append(f"on the built-in engine, each model name is answered by: {which}")
    if comparison.prices:
        notes.append(f"estimated costs ({comparison.prices})")
    return notes


def _summary_table(comparison: Comparison) -> str:
    summary = comparison.summary
    measure = "wer" if comparison.references else "agreement"
    head = ["model", "ok", measure.upper() if measure == "wer" else "agreement"]
    if comparison.references:
        head += ["S / D / I"]
    head += ["latency", "audio", "est. cost", "USD / audio h"]
    if comparison.engine:
        head += ["answered by"]
    rows = []
    for row in summary.itertuples(index=False):
        cells = [
            _e(row.model),
            f"{row.ok}/{row.files}",
            _number(getattr(row, measure), 3),
        ]
        if comparison.references:
            counts = (row.substitutions, row.deletions, row.insertions)
            cells.append(" / ".join("–" if _na(c) else str(int(c)) for c in counts))
        cells += [
            _seconds(row.latency_mean, 1),
            _seconds(row.audio_seconds, 1),
            _money(row.estimated_cost),
            _money(row.usd_per_audio_hour),
        ]
        if comparison.engine:
            cells.append(_e(row.answered_by or "–"))
        rows.append(cells)
    return _table(head, rows, numeric_from=2)


def _file_block(comparison: Comparison, file: str) -> str:
    runs = [r for r in comparison.runs if r.file == file]
    reference = comparison.references.get(file)
    baseline_name, baseline = "reference", reference
    if baseline is None:
        first = next((r for r in runs if r.ok), None)
        baseline_name, baseline = (first.model, first.text) if first else ("", None)
    rows = []
    if reference is not None:
        rows.append(f"<tr><th>reference</th><td></td><td>{_words(reference)}</td></tr>")
    for run in runs:
        meta = _e(" · ".join(_meta(run, comparison)))
        if not run.ok:
            body = f'<span class="comet-cmp-error">failed: {_e(_error(run))}</span>'
        elif baseline is None or (reference is None and run.model == baseline_name):
            body = _words(run.text or "")
        else:
            body = _aligned(baseline, run.text or "")
        rows.append(
            f"<tr><th>{_e(run.model)}</th><td class='comet-cmp-meta'>{meta}</td>"
            f"<td>{body}</td></tr>"
        )
    against = f"differences from {baseline_name}" if baseline_name else ""
    caption = f'<div style="{_CAPTION}">{_e(against)} · {_LEGEND}</div>' if against else ""
    return (
        f"<div style='margin-top:8px'><b>{_e(file)}</b>{caption}"
        f"<table class='comet-cmp'>{''.join(rows)}</table></div>"
    )


def _meta(run: ModelRun, comparison: Comparison) -> list[str]:
    meta = []
    if run.errors is not None:
        meta.append(f"WER {_number(run.errors.wer, 3)}")
    elif math.isfinite(run.agreement):
        meta.append(f"agreement {_number(run.agreement, 3)}")
    if math.isfinite(run.latency):
        meta.append(f"{run.latency:.1f} s")
    if math.isfinite(run.estimated_cost):
        meta.append(_money(run.estimated_cost))
    if run.answered_by:
        meta.append(run.answered_by)
    return meta


def _aligned(reference: str, hypothesis: str) -> str:
    """The hypothesis as written, with its differences from the reference marked."""
    try:
        ops = word_errors(reference, hypothesis).ops
    except Exception:  # no jiwer: the text alone
        return _words(hypothesis)
    out, shown = [], 0
    for op in ops:
        if shown >= MAX_SHOWN_WORDS:
            out.append("…")
            break
        ref, hyp = " ".join(op.reference), " ".join(op.hypothesis)
        shown += max(len(op.reference), len(op.hypothesis))
        if op.kind == "equal":
            out.append(_e(hyp))
        elif op.kind == "substitute":
            out.append(f'<span class="comet-cmp-sub" title="{_e(ref)}">{_e(hyp)}</span>')
        elif op.kind == "insert":
            out.append(f'<span class="comet-cmp-ins">{_e(hyp)}</span>')
        else:
            out.append(f'<span class="comet-cmp-del">{_e(ref)}</span>')
    return " ".join(out)


def _words(text: str) -> str:
    words = text.split()
    tail = " …" if len(words) > MAX_SHOWN_WORDS else ""
    return _e(" ".join(words[:MAX_SHOWN_WORDS])) + tail


def _table(head: list[str], rows: list[list[str]], numeric_from: int) -> str:
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{c}</td>" if i >= numeric_from and i < len(head) else f"<td>{c}</td>"
            for i, c in enumerate(cells)
        )
        + "</tr>"
        for cells in rows
    )
    return f"<table class='comet-cmp'><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _error(run: ModelRun) -> str:
    from .comparison import error_line

    return error_line(run.error) if run.error is not None else "no transcript"


def _na(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is _pd_na()


def _pd_na() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return None
    return pd.NA


def _number(value: Any, digits: int) -> str:
    if _na(value):
        return "–"
    return f"{float(value):.{digits}f}"


def _seconds(value: Any, digits: int) -> str:
    return "–" if _na(value) else f"{float(value):.{digits}f} s"


def _money(value: Any, digits: int = 3) -> str:
    """$0.00048, $1.2, $0.288: ``digits`` significant figures, never an exponent."""
    if _na(value):
        return "–"
    text = f"{float(value):.{digits}g}"
    if "e" in text:
        text = f"{float(value):.12f}".rstrip("0").rstrip(".")
    return f"${text}"


def _e(text: Any) -> str:
    return html.escape(str(text))
