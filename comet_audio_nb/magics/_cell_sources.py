"""Audio sources for ``%%comet_transcribe``: one per line, a path, glob, URL or variable.

Every line becomes one or more ``Source`` objects; a line that cannot be used becomes a
Source with an ``error``, so the other lines still run. URLs are downloaded (streamed to a
temporary file, at most the upload limit) before transcription; the key is never sent
to them.
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from ..errors import CometError

__all__ = ["Downloads", "Source", "SourceError", "resolve_sources", "source_lines"]

DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_GLOB_CHARS = re.compile(r"[*?\[]")
_UNSAFE = re.compile(r"[^\w.-]+")


class SourceError(CometError):
    """An audio source that cannot be read: no such variable, no matching file, a failed
    download."""


@dataclass
class Source:
    """One audio input: what the table calls it, and what goes to the client."""

    label: str
    audio: Any = None
    error: str | None = None


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
        elif _is_url(line):
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
    if isinstance(value, str) and _is_url(value.strip()):
        return _download(label, value.strip(), downloads)
    if isinstance(value, str):
        return Source(label, Path(value).expanduser())
    return Source(label, value)  # bytes, a Path, a Speech, (name, bytes): the client checks


def _download(label: str, url: str, downloads: Downloads) -> Source:
    try:
        return Source(label, downloads.fetch(url))
    except SourceError as error:
        return Source(label, error=error.message)


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class Downloads:
    """Downloads into a temporary folder that ``close()`` removes.

    >>> with Downloads(max_bytes=25 * 2**20) as downloads:           # doctest: +SKIP
    ...     path = downloads.fetch("https://example.org/talk.mp3")
    """

    def __init__(self, *, max_bytes: int, timeout: httpx.Timeout = DOWNLOAD_TIMEOUT) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0

    def fetch(self, url: str) -> Path:
        """Stream ``url`` to a file named like the URL's last path part; raise SourceError."""
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="comet-audio-")
        self._count += 1
        name = _UNSAFE.sub("_", unquote(urlsplit(url).path.rsplit("/", 1)[-1])) or "download"
        target = Path(self._folder.name) / str(self._count) / name
        target.parent.mkdir()
        try:
            with httpx.stream("GET", url, follow_redirects=True, timeout=self.timeout) as answer:
                if answer.status_code >= 400:
                    phrase = answer.reason_phrase or "error"
                    raise SourceError(f"cannot download {url}: HTTP {answer.status_code} {phrase}")
                declared = answer.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise SourceError(self._too_large(url))
                size = 0
                with open(target, "wb") as file:
                    for chunk in answer.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise SourceError(self._too_large(url))
                        file.write(chunk)
        except httpx.TimeoutException:
            raise SourceError(f"cannot download {url}: no answer in time") from None
        except httpx.HTTPError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise SourceError(f"cannot download {url}: {reason}") from None
        return target

    def _too_large(self, url: str) -> str:
        limit = f"{self.max_bytes / 1e6:.1f} MB"
        return f"cannot download {url}: larger than the upload limit ({limit})"

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> Downloads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
