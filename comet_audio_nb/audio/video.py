"""Video in: a video file's audio track taken out locally for upload, and copies browsers play.

``prepare_upload`` asks ``audio_track`` about every path or bytes it is given. A file that
can hold video (mp4, mov, mkv, webm) and has a video stream gives its audio track instead,
copied into a small container where the codec allows (AAC to m4a, MP3, Opus or Vorbis to
Ogg, FLAC), else re-encoded as MP3; only that is uploaded, which is smaller and far more
often under the upload limit. Audio-only files (a browser recording's webm) go as they are.
The track is kept in a temporary folder for this process, so retries and a later request
for the same file reuse it.

``playable_video`` says whether a browser can play a video as it is, else remuxes it to mp4
(or webm) when its codecs allow, else says why it cannot be played. PyAV is imported only
for files that may hold video.

>>> container_kind(b"\\x00\\x00\\x00\\x14ftypqt  ", "talk.mov")
'mov'
>>> container_kind(b"ID3\\x04", "song.mp3") is None
True
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ValidationError

__all__ = ["VIDEO_SUFFIXES", "Probe", "audio_track", "container_kind", "playable_video", "probe"]

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm"})
# audio codec -> (container format, file extension) it is copied into, unchanged
_COPY_INTO = {
    "aac": ("mp4", "m4a"),
    "mp3": ("mp3", "mp3"),
    "opus": ("ogg", "ogg"),
    "vorbis": ("ogg", "ogg"),
    "flac": ("flac", "flac"),
}
_REENCODE = ("mp3", "libmp3lame", 96_000, "mp3")  # format, codec, bit rate, extension
# What Chromium, Firefox and Safari all play, per container we can write.
_BROWSER = {
    "mp4": ({"h264", "av1", "vp9"}, {"aac", "mp3", "opus", "flac", None}),
    "webm": ({"vp8", "vp9", "av1"}, {"opus", "vorbis", None}),
}
_KEPT = 16  # extracted tracks kept per process
_lock = threading.Lock()
_tracks: OrderedDict[tuple, Path] = OrderedDict()
_folder: Path | None = None


@dataclass(frozen=True)
class Probe:
    """What a media file holds (codec names as FFmpeg gives them; None: no such stream)."""

    kind: str  # mp4, mov, webm, mkv
    video: str | None
    audio: str | None
    duration: float | None


def container_kind(head: bytes, name: str | None = None) -> str | None:
    """mp4, mov, webm or mkv when the first bytes (or the name) say the file may hold video;
    None for everything else (audio formats, m4a)."""
    suffix = Path(name).suffix.lower() if name else ""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand.startswith((b"M4A", b"M4B")):
            return None
        return "mov" if brand == b"qt  " or suffix == ".mov" else "mp4"
    if head[:4] == b"\x1aE\xdf\xa3":
        return "webm" if b"webm" in head[:64] else "mkv"
    return suffix.lstrip(".").replace("m4v", "mp4") if suffix in VIDEO_SUFFIXES else None


def probe(source: Path | bytes) -> Probe:
    """The streams of a media file (a path or its bytes)."""
    av = _import_av("reading video files")
    head = _head(source)
    kind = container_kind(head, source.name if isinstance(source, Path) else None) or "mp4"
    try:
        with av.open(_openable(source)) as container:
            video = _codec(container.streams.video)
            audio = _codec(container.streams.audio)
            duration = container.duration / 1_000_000 if container.duration else None
    except av.FFmpegError as error:
        raise ValidationError(f"cannot read the media file: {error}") from None
    return Probe(kind, video, audio, duration)


def audio_track(audio: Any, filename: str | None = None) -> tuple[str, Path] | None:
    """``(name, path)`` of the audio track of a video input, extracted once; None when the
    input is not a video file (it is uploaded as it is)."""
    name, source = _source(audio, filename)
    if source is None:
        return None
    head = _head(source)
    kind = container_kind(head, name)
    if kind is None:
        return None
    try:
        _import_av("taking the audio out of a video")
    except ValidationError:
        if kind in ("mov", "mkv"):  # the service takes neither: the audio must come out
            raise
        return None  # mp4 and webm are upload formats: send them as they are
    key = _key(source)
    with _lock:
        kept = _tracks.get(key)
        if kept is not None and kept.is_file():
            _tracks.move_to_end(key)
            return _named(name, kept), kept
    try:
        found = probe(source)
    except ValidationError:  # not media PyAV can read: the service gives its own answer
        return None
    if found.video is None:
        return None  # audio only (a browser's webm recording): as it is
    if found.audio is None:
        raise ValidationError(f"{name or 'the video'} has no audio track: nothing to transcribe")
    target = _extract(source, found)
    with _lock:
        _tracks[key] = target
        while len(_tracks) > _KEPT:
            _, old = _tracks.popitem(last=False)
            old.unlink(missing_ok=True)
    return _named(name, target), target


def playable_video(path: Path, folder: Path) -> tuple[Path | None, str]:
    """(a file the browser plays, "") for ``path``: itself when browsers play it, else a
    copy remuxed into ``folder`` when the codecs allow; (None, why) when neither works."""
    found = probe(path)
    if found.video is None:
        return None, f"{path.name} has no video stream"
    kind = "mp4" if found.kind == "mp4" else found.kind
    videos, audios = _BROWSER.get(kind, (set(), set()))
    if found.video in videos and found.audio in audios:
        return path, ""
    for target in ("mp4", "webm"):
        videos, audios = _BROWSER[target]
        if found.video in videos and found.audio in audios:
            out = folder / f"video-{_digest(path)[:16]}.{target}"
            if not out.is_file():
                folder.mkdir(parents=True, exist_ok=True)
                _remux(path, out, target)
            return out, ""
    audio = f" and {found.audio} audio" if found.audio else ""
    return None, (
        f"browsers cannot play {found.video} video{audio} from a {found.kind} file: convert "
        f"it, e.g. ffmpeg -i {path.name} -c:v libx264 -c:a aac {path.stem}.mp4"
    )


# -- extracting ---------------------------------------------------------------------------
def _extract(source: Path | bytes, found: Probe) -> Path:
    av = _import_av("taking the audio out of a video")
    copy = _COPY_INTO.get(found.audio or "")
    extension = copy[1] if copy else _REENCODE[3]
    target = _work_folder() / f"track-{_digest(source)[:16]}.{extension}"
    partial = target.with_suffix(".part")
    try:
        container = (copy or _REENCODE)[0]
        with av.open(_openable(source)) as inp, av.open(str(partial), "w", container) as out:
            stream = inp.streams.audio[0]
            if copy:
                _copy_packets(inp, stream, out)
            else:
                _reencode(av, inp, stream, out)
    except av.FFmpegError as error:
        partial.unlink(missing_ok=True)
        raise ValidationError(f"cannot take the audio out of the video: {error}") from None
    partial.replace(target)
    return target


def _copy_packets(inp: Any, stream: Any, out: Any) -> None:
    copied = out.add_stream_from_template(stream)
    for packet in inp.demux(stream):
        if packet.dts is None:  # the demuxer's final empty packet
            continue
        packet.stream = copied
        out.mux(packet)


def _reencode(av: Any, inp: Any, stream: Any, out: Any) -> None:
    _, codec, bit_rate, _ = _REENCODE
    rate = stream.codec_context.sample_rate or 44_100
    encoder = out.add_stream(codec, rate=rate, layout="mono")
    encoder.bit_rate = bit_rate
    resampler = av.AudioResampler(format="s16p", layout="mono", rate=rate)
    for frame in inp.decode(stream):
        for converted in resampler.resample(frame):
            converted.pts = None
            for packet in encoder.encode(converted):
                out.mux(packet)
    for converted in resampler.resample(None):
        converted.pts = None
        for packet in encoder.encode(converted):
            out.mux(packet)
    for packet in encoder.encode(None):
        out.mux(packet)


def _remux(path: Path, out_path: Path, target: str) -> None:
    av = _import_av("playing a video")
    partial = out_path.with_suffix(".part")
    with av.open(str(path)) as inp, av.open(str(partial), "w", format=target) as out:
        streams = [*inp.streams.video[:1], *inp.streams.audio[:1]]
        copies = {s.index: out.add_stream_from_template(s) for s in streams}
        for packet in inp.demux(streams):
            if packet.dts is None:
                continue
            packet.stream = copies[packet.stream.index]
            out.mux(packet)
    partial.replace(out_path)


# -- helpers -------------------------------------------------------------------------------
def _source(audio: Any, filename: str | None) -> tuple[str | None, Path | bytes | None]:
    if isinstance(audio, tuple) and len(audio) == 2:
        return str(audio[0]), _source(audio[1], str(audio[0]))[1]
    if isinstance(audio, (str, os.PathLike)):
        path = Path(audio).expanduser()
        return filename or path.name, path if path.is_file() else None
    if isinstance(audio, (bytes, bytearray, memoryview)):
        return filename, bytes(audio)
    return filename, None


def _codec(streams: Any) -> str | None:
    """The codec's own name ("mp3", not its decoder's "mp3float")."""
    return streams[0].codec_context.codec.canonical_name if streams else None


def _head(source: Path | bytes) -> bytes:
    if isinstance(source, Path):
        with open(source, "rb") as stream:
            return stream.read(64)
    return source[:64]


def _openable(source: Path | bytes) -> Any:
    return str(source) if isinstance(source, Path) else io.BytesIO(source)


def _key(source: Path | bytes) -> tuple:
    if isinstance(source, Path):
        stat = source.stat()
        return (str(source.resolve()), stat.st_size, stat.st_mtime_ns)
    return ("bytes", hashlib.sha256(source).hexdigest())


def _digest(source: Path | bytes) -> str:
    return hashlib.sha256(repr(_key(source)).encode()).hexdigest()


def _named(name: str | None, track: Path) -> str:
    """``talk.mp4.m4a``: the video's name, and the extension the service reads the
    track's format from."""
    return f"{Path(name).name if name else 'video'}{track.suffix}"


def _work_folder() -> Path:
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            _folder = Path(tempfile.mkdtemp(prefix="comet-audio-nb-video-"))
            atexit.register(shutil.rmtree, _folder, ignore_errors=True)
        return _folder


def _import_av(purpose: str) -> Any:
    from .codecs import import_av

    return import_av(purpose)
