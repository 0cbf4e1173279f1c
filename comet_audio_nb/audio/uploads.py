"""Audio inputs for upload: paths, bytes, file objects, ``(name, data)`` pairs, Speech results.

Every upload goes out as ``(filename with the right extension, stream, MIME type)``: the
service infers the format from the extension, so the extension is derived from the
content where it can be recognised. Files on disk are streamed, never read whole.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from ..constants import UPLOAD_FORMATS, UPLOAD_MIME
from ..errors import ValidationError
from .sniff import sniff_format
from .video import audio_track
from .wav import pcm_to_wav

# Speech formats that upload under another name (opus speech is Ogg).
_SPEECH_TO_UPLOAD = {"opus": "ogg"}

# A path, bytes, a binary file object, (filename, bytes or file), or a Speech result.
AudioInput = Any


@runtime_checkable
class SpeechAudio(Protocol):
    """What an upload takes from a synthesised-speech result (``Speech`` has both):
    its bytes and their speech format. The one test of "is this speech?" in the package."""

    data: bytes
    format: str


def speech_audio(value: Any) -> SpeechAudio | None:
    """``value`` when it is speech audio (bytes and a format name), else None."""
    if isinstance(value, SpeechAudio) and isinstance(value.data, bytes):
        return value if isinstance(value.format, str) else None
    return None


@dataclass
class Upload:
    """One file ready to send; ``open()`` gives a fresh stream for each attempt."""

    filename: str
    content_type: str
    size: int
    path: Path | None = None
    data: bytes | None = None
    fileobj: IO[bytes] | None = None
    start: int = 0  # where the caller's data starts in ``fileobj``

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.path is not None:
            with open(self.path, "rb") as stream:
                yield stream
        elif self.fileobj is not None:
            self.fileobj.seek(self.start)
            yield _Window(self.fileobj, self.start)
        else:
            yield io.BytesIO(self.data or b"")

    def as_file_field(self, stream: IO[bytes]) -> tuple[str, IO[bytes], str]:
        return (self.filename, stream, self.content_type)


class _Window(io.RawIOBase):
    """A file object seen from its current position on, so that httpx's seek(0) on
    retry rewinds to where the caller's data starts, not to the start of the file."""

    def __init__(self, raw: IO[bytes], start: int) -> None:
        self._raw, self._start = raw, start

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._raw.read(size)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 0:
            offset += self._start
        return self._raw.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._raw.tell() - self._start

    def fileno(self) -> int:
        raise OSError("no file descriptor for a window")


def prepare_upload(audio: AudioInput, *, max_bytes: int, filename: str | None = None) -> Upload:
    """Check an audio input and describe it for upload.

    A video file (mp4, mov, mkv, webm with a video stream) is replaced by its audio track,
    taken out locally (``video.audio_track``). Raises ``ValidationError`` for a missing or
    empty file, an unknown format or a file over ``max_bytes``, saying what to do.
    """
    track = audio_track(audio, filename)  # a video: only its audio track goes (video.py)
    if track is not None:
        audio, filename = track[1], track[0]
    name, path, data, fileobj, start = _unpack(audio, filename)
    if path is not None:
        if not path.exists():
            raise ValidationError(f"no such audio file: {path}", hint="check the path")
        if path.is_dir():
            raise ValidationError(f"{path} is a folder, not an audio file")
        size = path.stat().st_size
        with open(path, "rb") as stream:
            head = stream.read(16)
    elif fileobj is not None:
        size = _remaining(fileobj, start)
        head = fileobj.read(16)
        fileobj.seek(start)
    else:
        size, head = len(data), data[:16]
    if size == 0:
        raise ValidationError(f"{name or 'the audio'} is empty (0 bytes)")
    if size > max_bytes:
        raise ValidationError(
            f"{name or 'the audio'} is {size / 1e6:.1f} MB; the upload limit is "
            f"{max_bytes / 1e6:.1f} MB",
            hint="client.transcribe_long(path) splits it and joins the transcript; or compress it",
        )
    upload_format = _upload_format(head, name)
    stem = Path(name).stem if name else "audio"
    return Upload(
        filename=f"{stem}.{upload_format}",
        content_type=UPLOAD_MIME[upload_format],
        size=size,
        path=path,
        data=data,
        fileobj=fileobj,
        start=start,
    )


def _unpack(audio: Any, filename: str | None):
    """(name, path, bytes, file object, start offset) for any accepted input."""
    if isinstance(audio, tuple) and len(audio) == 2:
        name, content = audio
        inner = _unpack(content, str(name))
        return (str(name),) + inner[1:]
    if isinstance(audio, (str, os.PathLike)):
        path = Path(audio).expanduser()
        return (filename or path.name, path, None, None, 0)
    if isinstance(audio, (bytes, bytearray, memoryview)):
        return (filename, None, bytes(audio), None, 0)
    speech = speech_audio(audio)
    if speech is not None:
        speech_format, speech_data = speech.format, speech.data
        data = pcm_to_wav(speech_data) if speech_format == "pcm" else speech_data
        ext = _SPEECH_TO_UPLOAD.get(speech_format, speech_format)
        ext = "wav" if speech_format == "pcm" else ext
        return (filename or f"speech.{ext}", None, data, None, 0)
    if hasattr(audio, "read"):
        name = filename or os.path.basename(str(getattr(audio, "name", "") or "")) or None
        start = audio.tell() if hasattr(audio, "tell") and _seekable(audio) else 0
        if not _seekable(audio):  # a pipe or socket: read it, there is no other way
            return (name, None, audio.read(), None, 0)
        return (name, None, None, audio, start)
    raise ValidationError(
        f"cannot upload a {type(audio).__name__}",
        hint="pass a file path, bytes, a binary file object, or (filename, bytes)",
    )


def _seekable(stream: Any) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _remaining(stream: IO[bytes], start: int) -> int:
    end = stream.seek(0, os.SEEK_END)
    stream.seek(start)
    return end - start


def _upload_format(head: bytes, name: str | None) -> str:
    sniffed = sniff_format(head)
    ext = Path(name).suffix.lower().lstrip(".") if name else ""
    ext = _SPEECH_TO_UPLOAD.get(ext, ext)
    if sniffed == "mp3" and ext in ("mpeg", "mpga"):
        return ext
    if sniffed == "mp4" and ext == "m4a":
        return ext
    if sniffed in UPLOAD_FORMATS:
        return sniffed
    if sniffed == "aac":
        raise ValidationError(
            "raw AAC (ADTS) audio is not accepted for transcription",
            hint=f"convert it to one of: {', '.join(UPLOAD_FORMATS)}",
        )
    if ext in UPLOAD_FORMATS:
        return ext
    raise ValidationError(
        f"cannot tell the audio format of {name or 'the data'}",
        hint=f"use one of: {', '.join(UPLOAD_FORMATS)} (name the file with its extension)",
    )
