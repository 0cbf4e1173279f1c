"""Word error rate between two texts (jiwer), and the alignment that shows where they differ.

Both texts are normalised the same way before counting (``NORMALISATION``): each word is
lower-cased and loses its punctuation, so "Hello," and "hello" are the same word;
hyphens separate words ("state-of-the-art" is four); words that were only punctuation are
dropped. Numbers are not spelled out ("3" and "three"
differ). The alignment keeps the words as written, so a view can show the original text
with the differences marked.

>>> score = word_errors("The cat sat on the mat.", "the cat sat on a mat")
>>> score.wer, score.substitutions, score.deletions, score.insertions
(0.16666666666666666, 1, 0, 0)
>>> [op.kind for op in score.ops]
['equal', 'substitute', 'equal']
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import ValidationError

_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2013\u2014]+")

__all__ = ["NORMALISATION", "AlignedOp", "WordErrors", "agreement", "word_errors"]

NORMALISATION = (
    "jiwer word error rate; both texts lower-cased, punctuation removed, split on spaces "
    "and hyphens (jiwer ToLowerCase, RemovePunctuation, RemoveMultipleSpaces, Strip)"
)


@dataclass(frozen=True)
class AlignedOp:
    """A run of the alignment: ``kind`` is equal, substitute, delete (words only in the
    reference) or insert (words only in the hypothesis); words as written."""

    kind: str
    reference: tuple[str, ...]
    hypothesis: tuple[str, ...]


@dataclass(frozen=True)
class WordErrors:
    """Counts of one hypothesis against one reference (``wer`` is NaN for an empty
    reference: there is nothing to be wrong about)."""

    wer: float
    substitutions: int
    deletions: int
    insertions: int
    hits: int
    reference_words: int
    ops: tuple[AlignedOp, ...] = field(default=(), repr=False)


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """Word errors of ``hypothesis`` against ``reference``, normalised as ``NORMALISATION``."""
    jiwer = _jiwer()
    ref_words, ref_norm = _words(reference)
    hyp_words, hyp_norm = _words(hypothesis)
    if not ref_norm:
        ops = (AlignedOp("insert", (), tuple(hyp_words)),) if hyp_words else ()
        wer = 0.0 if not hyp_norm else math.nan
        return WordErrors(wer, 0, 0, len(hyp_norm), 0, 0, ops)
    if not hyp_norm:
        ops = (AlignedOp("delete", tuple(ref_words), ()),)
        return WordErrors(1.0, 0, len(ref_norm), 0, 0, len(ref_norm), ops)
    out = jiwer.process_words(" ".join(ref_norm), " ".join(hyp_norm))
    ops = tuple(
        AlignedOp(
            chunk.type,
            tuple(ref_words[chunk.ref_start_idx : chunk.ref_end_idx]),
            tuple(hyp_words[chunk.hyp_start_idx : chunk.hyp_end_idx]),
        )
        for chunk in out.alignments[0]
    )
    return WordErrors(
        float(out.wer), out.substitutions, out.deletions, out.insertions, out.hits,
        len(ref_norm), ops,
    )  # fmt: skip


def agreement(first: str, second: str) -> float:
    """1 − WER between two hypotheses, the same whichever comes first (the mean of both
    directions), clipped to 0..1; NaN when both are empty of words.

    >>> agreement("a b c d", "a b c d")
    1.0
    >>> agreement("a b c d", "a b x d")
    0.75
    """
    there = word_errors(first, second).wer
    back = word_errors(second, first).wer
    values = [v for v in (there, back) if math.isfinite(v)]
    if not values:
        return 1.0 if not _words(first)[1] and not _words(second)[1] else math.nan
    return min(1.0, max(0.0, 1.0 - sum(values) / len(values)))


def _words(text: str) -> tuple[list[str], list[str]]:
    """(words as written, the same words normalised), words of only punctuation left out."""
    normalise = _normaliser()
    written, normalised = [], []
    for word in _SEPARATORS.split(str(text or "")):
        clean = normalise(word)
        if clean:
            written.append(word)
            normalised.append(clean)
    return written, normalised


@cache
def _normaliser() -> Any:
    jiwer = _jiwer()
    steps = [jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces()]
    compose = jiwer.Compose([*steps, jiwer.Strip()])

    def normalise(word: str) -> str:
        # RemovePunctuation may leave a space where it splits nothing; one word stays one.
        return "".join(compose(word).split())

    return normalise


def _jiwer() -> Any:
    try:
        import jiwer
    except ImportError:
        raise ValidationError(
            "word error rates need jiwer",
            hint='pip install jiwer  (or pip install "comet-audio-nb[compare]")',
        ) from None
    return jiwer
