"""Downloading audio from http(s) URLs into temporary files, at most a size limit.

``%%comet_transcribe`` and ``TranscribePanel`` accept URLs; both stream them to a
temporary folder with ``Downloads`` (no larger than the upload limit) and hand the file
to the client. The API key is never sent to the URL. Failures raise ``SourceError``.

>>> with Downloads(max_bytes=25 * 2**20) as downloads:           # doctest: +SKIP
...     path = downloads.fetch("https://example.org/talk.mp3")
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from ..errors import SourceError

__all__ = ["DOWNLOAD_TIMEOUT", "Downloads", "is_url"]

DOWNLOAD_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_UNSAFE = re.compile(r"[^\w.-]+")


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL that ``Downloads.fetch`` would download.

    >>> is_url("HTTPS://example.org/a.wav"), is_url("a.wav")
    (True, False)
    """
    return text.lower().startswith(("http://", "https://"))


def file_name(url: str, longest: int = 100) -> str:
    """A safe file name for what ``url`` serves: its last path part, with characters
    outside letters, digits, ``.``, ``-`` and ``_`` replaced, no leading dots (so never
    ``..``), at most ``longest`` characters (the extension kept).

    >>> file_name("https://x.org/a/%2e%2e"), file_name("https://x.org/talk%20one.mp3")
    ('download', 'talk_one.mp3')
    """
    name = _UNSAFE.sub("_", unquote(urlsplit(url).path.rsplit("/", 1)[-1])).lstrip(".")
    if not name.strip("._"):
        return "download"
    if len(name) > longest:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:10] if dot and stem else ""
        name = name[: longest - len(suffix) - 1].rstrip(".") + (f".{suffix}" if suffix else "")
    return name


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
        target = Path(self._folder.name) / str(self._count) / file_name(url)
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
        except OSError as exc:  # the disk is full, or the folder went away
            raise SourceError(f"cannot save the download of {url}: {exc.strerror}") from None
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
