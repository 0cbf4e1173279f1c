"""Cutting text into requests the service accepts: at sentence ends, then clauses, then words."""

from __future__ import annotations

import re

from ..constants import MAX_SPEECH_CHARS

_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])[\"'”’»)\]]*\s+|\n\s*\n")
_CLAUSE_END = re.compile(r"(?<=[,;:–—])\s+")
_SPACE = re.compile(r"\s+")


def split_text(text: str, max_chars: int = MAX_SPEECH_CHARS) -> list[str]:
    """Split ``text`` into parts of at most ``max_chars``, at sentence ends where it can.

    Sentences are packed greedily; one longer than ``max_chars`` is cut at clause
    punctuation, then at spaces, and only then inside a word.

    >>> split_text("A short one. " * 3, max_chars=26)
    ['A short one. A short one.', 'A short one.']
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    parts: list[str] = []
    current = ""
    for sentence in _pieces(text, _SENTENCE_END):
        for piece in _fit(sentence, max_chars):
            if current and len((current + piece).strip()) > max_chars:
                parts.append(current.strip())
                current = ""
            current += piece
    if current.strip():
        parts.append(current.strip())
    return [part for part in parts if part]


def _pieces(text: str, boundary: re.Pattern[str]) -> list[str]:
    """``text`` cut after each match of ``boundary``, the whitespace kept on the left."""
    pieces, start = [], 0
    for match in boundary.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _fit(sentence: str, max_chars: int) -> list[str]:
    if len(sentence.strip()) <= max_chars:
        return [sentence]
    result = []
    for clause in _pieces(sentence, _CLAUSE_END):
        if len(clause.strip()) <= max_chars:
            result.append(clause)
            continue
        for word in _pieces(clause, _SPACE):
            while len(word.strip()) > max_chars:
                result.append(word[:max_chars])
                word = word[max_chars:]
            result.append(word)
    return result
