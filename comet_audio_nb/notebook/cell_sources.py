"""Audio sources for ``%%comet_transcribe``: one per line, a path, glob, URL or variable.

Every line becomes one or more ``Source`` objects; a line that cannot be used becomes a
Source with an ``error``, so the other lines still run. URLs are downloaded with
``comet_audio_nb.audio.downloads.Downloads`` (streamed to a temporary file, at most the upload
limit) before transcription; the key is never sent to them.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..audio.downloads import Downloads, is_url
from ..errors import SourceError
from ..jobs.sources import Source

__all__ = ["Source", "SourceError", "resolve_sources", "source_lines"]

_GLOB_CHARS = re.compile(r"[*?\[]")


def source_lines(text: str) -> list[str]:
    """The non-empty lines of a cell body, without ``#`` comment lines.

    >>> source_lines("a.wav\\n\\n# skipped\\n  b.mp3  ")
    ['a.wav', 'b.mp3']
    """
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def resolve_sources(
    lines: list[str], namespace: Mapping[str, Any], downloads: Downloads
) -> list[Source]:
    """Every line as Sources: variables (a list expands), URLs, globs, then paths."""
    sources: list[Source] = []
    for line in lines:
        if line.isidentifier() and line in namespace:
            value = namespace[line]
            if isinstance(value, list):
                for i, item in enumerate(value):
                    sources.append(_from_value(f"{line}[{i}]", item, downloads))
            else:
                sources.append(_from_value(line, value, downloads))
        elif is_url(line):
            sources.append(_download(line, line, downloads))
        elif _GLOB_CHARS.search(line):
            matches = sorted(glob.glob(os.path.expanduser(line), recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            if not files:
                sources.append(Source(line, error=f"no file matches {line}"))
            sources.extend(Source(m, Path(m)) for m in files)
        elif line.isidentifier() and not Path(line).exists():
            sources.append(Source(line, error=f"no variable or file named {line!r}"))
        else:
            sources.append(Source(line, Path(line).expanduser()))
    return sources


def _from_value(label: str, value: Any, downloads: Downloads) -> Source:
    if isinstance(value, str) and is_url(value.strip()):
        return _download(label, value.strip(), downloads)
    if isinstance(value, str):
        return Source(label, Path(value).expanduser())
    return Source(label, value)  # bytes, a Path, a Speech, (name, bytes): the client checks


def _download(label: str, url: str, downloads: Downloads) -> Source:
    try:
        return Source(label, downloads.fetch(url))
    except SourceError as error:
        return Source(label, error=error.message)
