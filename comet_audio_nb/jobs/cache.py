"""A folder of finished transcripts, so that a rerun of a batch skips inputs already done.

One JSON file per input, named by a hash of what was sent and how: the file's path, size
and modification time (or the bytes themselves), the task and every option. Change the
file or an option and the input runs again. File objects have no stable identity and
are never cached.

>>> import tempfile
>>> cache = TranscriptCache(tempfile.mkdtemp(), task="transcribe", options={})
>>> key = cache.key(b"RIFF....WAVE")
>>> cache.put(key, Transcript("Hello."), label="hello.wav")
>>> cache.get(key).text
'Hello.'
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..results import Transcript
from ..results.transcript import saved_fields

_VERSION = 1
_FIELDS = {f.name for f in saved_fields()}


class TranscriptCache:
    def __init__(self, folder: str | os.PathLike[str], *, task: str, options: dict) -> None:
        self.folder = Path(folder).expanduser()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._salt = json.dumps(
            {"v": _VERSION, "task": task, "options": options}, sort_keys=True, default=str
        )

    def key(self, audio: Any) -> str | None:
        """The cache key for an input, or None when it cannot be identified."""
        identity = _identity(audio)
        if identity is None:
            return None
        return hashlib.sha256(f"{self._salt}\n{identity}".encode()).hexdigest()[:40]

    def get(self, key: str | None) -> Transcript | None:
        if key is None:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            return Transcript(**{k: v for k, v in data["transcript"].items() if k in _FIELDS})
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: run the input again

    def put(self, key: str | None, transcript: Transcript, *, label: str) -> None:
        if key is None:
            return
        fields = {f: getattr(transcript, f) for f in _FIELDS}
        text = json.dumps({"source": label, "transcript": fields}, ensure_ascii=False, default=str)
        # Written beside and renamed, so an interrupted write never leaves half a file.
        fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.folder / f"{key}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _identity(audio: Any) -> str | None:
    if isinstance(audio, (str, os.PathLike)):
        path = Path(audio).expanduser()
        try:
            stat = path.stat()
            return f"path:{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
        except OSError:
            return None
    if isinstance(audio, (bytes, bytearray, memoryview)):
        return "bytes:" + hashlib.sha256(audio).hexdigest()
    if isinstance(audio, tuple) and len(audio) == 2:
        inner = _identity(audio[1])
        return f"named:{audio[0]}:{inner}" if inner else None
    data = getattr(audio, "data", None)
    if isinstance(data, bytes):
        return f"speech:{getattr(audio, 'format', '')}:" + hashlib.sha256(data).hexdigest()
    return None
