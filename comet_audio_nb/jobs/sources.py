"""What "many inputs" can be: a list, a glob, a folder, or a pandas column, each as a Source.

>>> [s.label for s in expand_sources(["a.wav", ("b.mp3", b"ID3...")])]
['a.wav', 'b.mp3']
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..audio import speech_audio
from ..errors import ValidationError

# What a folder is scanned for (the upload formats, Ogg audio's other names, and videos).
AUDIO_SUFFIXES = frozenset(
    {".flac", ".mp3", ".mp4", ".mpeg", ".mpga", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".webm"}
    | {".mov", ".mkv", ".m4v"}  # videos: their audio track is what is sent
)


@dataclass(frozen=True)
class Source:
    """One input: ``label`` names it in the results table, ``audio`` is what is uploaded.

    A source that could not even be found or fetched carries its ``error`` instead (a
    batch gives it a failed row without sending anything), so one bad input never stops
    the others.
    """

    label: str
    audio: Any = None
    error: str | None = None


def expand_sources(sources: Any) -> list[Source]:
    """The inputs, in order: a list (one input per item), a glob string, a folder, a pandas
    Series or one-column DataFrame, or a single input.

    Raises ValidationError when a glob or folder has no audio in it: that is a typo far
    more often than an intent.
    """
    if _is_pandas(sources):
        return _from_pandas(sources)
    if _is_single(sources):
        expanded = _expand_path(sources) if _is_path(sources) else None
        return expanded if expanded is not None else [Source(_label(sources, 0), sources)]
    try:
        items = list(sources)
    except TypeError:
        raise ValidationError(
            f"cannot transcribe a {type(sources).__name__}",
            hint="pass a list of files, a glob like 'audio/*.mp3', a folder or a pandas column",
        ) from None
    # A list's items are inputs as they are (a folder among them fails on its own row):
    # callers rely on one row per item.
    return [
        item if isinstance(item, Source) else Source(_label(item, i), item)
        for i, item in enumerate(items)
    ]


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, os.PathLike))


def _is_single(value: Any) -> bool:
    """One input rather than a collection of them."""
    if _is_path(value) or isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        content = value[1]
        return isinstance(content, (bytes, bytearray, memoryview)) or hasattr(content, "read")
    if speech_audio(value) is not None or isinstance(value, Source):
        return True
    return hasattr(value, "read")


def _expand_path(value: str | os.PathLike[str]) -> list[Source] | None:
    """The files a glob or folder stands for; None for a plain path (even a missing one)."""
    text = os.fspath(value)
    if glob.has_magic(text):
        matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
        files = [m for m in matches if os.path.isfile(m)]
        if not files:
            raise ValidationError(f"no files match {text!r}", hint="check the pattern and folder")
        return [Source(f, f) for f in files]
    folder = Path(text).expanduser()
    if not folder.is_dir():
        return None
    files = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES
    )
    if not files:
        raise ValidationError(
            f"no audio files in the folder {text}",
            hint=f"it is scanned for {', '.join(sorted(AUDIO_SUFFIXES))}; or pass a glob",
        )
    return [Source(str(p), p) for p in files]


def _is_pandas(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "pandas" and hasattr(value, "index")


def _from_pandas(value: Any) -> list[Source]:
    if hasattr(value, "columns"):  # a DataFrame
        if len(value.columns) != 1:
            raise ValidationError(
                f"a DataFrame with {len(value.columns)} columns: which one holds the audio?",
                hint="pass one column, e.g. df['path']",
            )
        value = value.iloc[:, 0]
    name = value.name if isinstance(value.name, str) else "row"
    sources = []
    for index, item in zip(value.index, value.tolist(), strict=True):
        label = os.fspath(item) if _is_path(item) else f"{name}[{index}]"
        sources.append(Source(label, item))
    return sources


def _label(item: Any, position: int) -> str:
    if _is_path(item):
        return os.fspath(item)
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return item[0]
    if isinstance(item, (bytes, bytearray, memoryview)):
        return f"[{position}] {len(item):,} bytes"
    if isinstance(getattr(item, "data", None), bytes):
        text = getattr(item, "text", None) or ""
        short = text if len(text) <= 30 else text[:29] + "…"
        return f"[{position}] speech {short!r}" if short else f"[{position}] speech"
    name = getattr(item, "name", None)
    if isinstance(name, str) and name:
        return name
    return f"[{position}] {type(item).__name__}"
