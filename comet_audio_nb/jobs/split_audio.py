"""Cutting long audio into requests the service accepts: at silences, in chunks of a length.

Audio is decoded once with PyAV (imported on first use) to 16 kHz mono, written to a
temporary file while a loudness meter runs over it; nothing of the file's size is held in
memory. ``plan_chunks`` then chooses where to cut:

- at the quietest moment near each chunk's target length when it is a pause (well
  under the recording's speech level), else at the target with ``overlap`` seconds
  sent twice, for the join to remove what both sides heard;
- silences of ``skip_silence`` seconds or more (far under the speech level) are not sent
  at all: the service bills them and Whisper is known to invent words in them. Pieces on
  either side of a skipped silence may share one chunk, joined by a second of silence.

Each chunk maps its own timeline back to the original (``Chunk.to_original``).
"""

from __future__ import annotations

import array
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..audio.codecs import import_av
from ..errors import ValidationError

if TYPE_CHECKING:
    from threading import Event

    import numpy as np

    from ..audio import Upload

RATE = 16_000  # what chunks are sent at: Whisper's own rate; speech loses nothing
FRAME = 0.02  # seconds per loudness measurement
PAUSE = 0.3  # a pause must be this long to cut in
PAUSE_BELOW_PEAK_DB = 25.0  # a pause is this far under the loudest moments
SILENCE_BELOW_PEAK_DB = 40.0  # a skippable silence is this far under them ...
SILENCE_CEILING_DB = -45.0  # ... and under this absolute level (dBFS)
ALL_SILENT_DB = -70.0  # loudest moment under this: nothing to transcribe
PAD = 1.0  # seconds of a skipped silence kept at each edge
GAP = 1.0  # seconds of silence between pieces sharing a chunk
OVERLAP = 2.0  # seconds sent twice at a cut that is not a pause
SKIP_SILENCE = 10.0
CHUNK_SECONDS = 600.0
MIN_TAIL = 1.0  # a cut never leaves less than this behind it
_BLOCK = RATE * 10  # samples per read or encode step


@dataclass(frozen=True)
class Chunk:
    """One request's audio: spans of the original, separated by ``GAP`` of silence.

    >>> chunk = Chunk(((10.0, 12.0), (40.0, 41.0)))
    >>> chunk.length, chunk.to_original(0.5), chunk.to_original(3.5)
    (4.0, 10.5, 40.5)
    """

    pieces: tuple[tuple[float, float], ...]
    overlaps_previous: bool = False  # starts OVERLAP before the previous chunk ends

    @property
    def start(self) -> float:
        return self.pieces[0][0]

    @property
    def end(self) -> float:
        return self.pieces[-1][1]

    @property
    def length(self) -> float:
        """Seconds of audio sent, gaps included."""
        spans = sum(end - start for start, end in self.pieces)
        return round(spans + GAP * (len(self.pieces) - 1), 6)

    def to_original(self, seconds: float) -> float:
        """A time in this chunk's audio as a time in the original recording."""
        offset = 0.0
        for index, (start, end) in enumerate(self.pieces):
            span = end - start
            if seconds <= offset + span or index == len(self.pieces) - 1:
                return min(end, start + max(0.0, seconds - offset))
            if seconds < offset + span + GAP / 2:  # in the gap: the nearer piece's edge
                return end
            offset += span + GAP
            if seconds < offset:
                return self.pieces[index + 1][0]
        return self.end


@dataclass
class Decoded:
    """Audio decoded to 16-bit mono at ``RATE`` in a temporary file, with its loudness."""

    path: Path
    samples: int
    levels: np.ndarray  # dBFS per FRAME

    @property
    def duration(self) -> float:
        return self.samples / RATE


def max_chunk_seconds(max_bytes: int) -> float:
    """The longest chunk that is sure to fit the upload limit (FLAC never beats raw by much)."""
    return 0.9 * max_bytes / (RATE * 2)


def probe_duration(upload: Upload) -> float | None:
    """The duration a container declares, read from its header (None when it has none)."""
    av = import_av()
    try:
        with upload.open() as stream, av.open(stream) as container:
            if container.duration is not None:
                return container.duration / 1_000_000
            audio = container.streams.audio[0]
            if audio.duration is not None and audio.time_base is not None:
                return float(audio.duration * audio.time_base)
    except Exception:  # av raises many error types on odd media; the decode pass reports
        return None
    return None


def decode_for_splitting(upload: Upload, folder: Path, stop: Event | None = None) -> Decoded:
    """Decode ``upload`` to 16 kHz mono s16 in ``folder``, measuring loudness as it goes.

    Setting ``stop`` (from another thread) ends the decoding early.
    """
    av = import_av()
    path = folder / "decoded.s16"
    meter = _Meter()
    samples = 0
    try:
        with upload.open() as stream, av.open(stream) as container, open(path, "wb") as out:
            if not container.streams.audio:
                raise ValidationError(f"{upload.filename} has no audio stream")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            frames = container.decode(container.streams.audio[0])
            for frame in _then_none(frames):
                if stop is not None and stop.is_set():
                    break
                for converted in resampler.resample(frame):
                    block = converted.to_ndarray().reshape(-1).astype("<i2", copy=False)
                    out.write(block.tobytes())
                    meter.feed(block)
                    samples += block.size
    except ValidationError:
        raise
    except Exception as exc:  # av's decoding errors
        raise ValidationError(
            f"could not decode {upload.filename} to split it: {exc}",
            hint="check that the file is audio; converting it to mp3 or flac may help",
        ) from None
    return Decoded(path=path, samples=samples, levels=meter.levels())


def write_chunk(decoded: Decoded, chunk: Chunk, target: Path) -> Path:
    """Encode one chunk of the decoded audio as FLAC at ``target``, a block at a time."""
    import numpy as np

    av = import_av()
    with open(decoded.path, "rb") as raw, av.open(str(target), "w", format="flac") as container:
        stream = container.add_stream("flac", rate=RATE, layout="mono")

        def encode(block: np.ndarray) -> None:
            frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = RATE
            for packet in stream.encode(frame):
                container.mux(packet)

        for index, (start, end) in enumerate(chunk.pieces):
            if index:
                encode(np.zeros(round(GAP * RATE), dtype=np.int16))
            first, last = round(start * RATE), min(round(end * RATE), decoded.samples)
            raw.seek(first * 2)
            remaining = last - first
            while remaining > 0:
                block = np.frombuffer(raw.read(min(remaining, _BLOCK) * 2), dtype="<i2")
                if not block.size:
                    break
                encode(block)
                remaining -= block.size
        for packet in stream.encode(None):
            container.mux(packet)
    return target


def plan_chunks(
    levels: np.ndarray,
    *,
    duration: float,
    chunk_seconds: float = CHUNK_SECONDS,
    overlap: float = OVERLAP,
    skip_silence: float | None = SKIP_SILENCE,
) -> list[Chunk]:
    """Where to cut, from loudness ``levels`` (dBFS per ``FRAME``); see the module notes.

    >>> import numpy as np
    >>> speech, pause = np.full(500, -20.0), np.full(50, -70.0)  # 10 s of speech, 1 s pause
    >>> levels = np.concatenate([speech, pause, speech])
    >>> [c.pieces for c in plan_chunks(levels, duration=21.0, chunk_seconds=12)]
    [((0.0, 10.48),), ((10.48, 21.0),)]
    """
    if duration <= 0 or not len(levels):
        return []
    loudness = Loudness(levels)
    if loudness.peak < ALL_SILENT_DB:
        return []
    overlap = min(max(overlap, 0.0), chunk_seconds / 4)
    smooth = loudness.smooth
    regions = _sounding_regions(smooth < loudness.silence_db, duration, skip_silence)
    spans: list[tuple[float, float, bool]] = []
    for start, end in regions:
        spans.extend(_cut_region(smooth, loudness.pause_db, start, end, chunk_seconds, overlap))
    return _pack(spans, chunk_seconds)


class Loudness:
    """A recording's loudness per ``FRAME`` and, relative to its loudest moments, what
    counts as a pause and as silence.

    >>> import numpy as np
    >>> loudness = Loudness(np.array([-20.0] * 50 + [-70.0] * 50))
    >>> loudness.sound_share(0.0, 1.0), loudness.sound_share(1.0, 2.0)
    (1.0, 0.0)
    """

    def __init__(self, levels: np.ndarray) -> None:
        import numpy as np

        self.levels = np.asarray(levels, dtype=np.float32)
        width = max(1, round(PAUSE / FRAME))
        power = np.power(np.float32(10), self.levels / np.float32(10))
        power = np.convolve(power, np.full(width, 1 / width, dtype=np.float32), "same")
        self.smooth = 10 * np.log10(power + np.float32(1e-12))
        self.peak = float(self.smooth.max()) if self.smooth.size else -120.0
        self.pause_db = self.peak - PAUSE_BELOW_PEAK_DB
        self.silence_db = min(SILENCE_CEILING_DB, self.peak - SILENCE_BELOW_PEAK_DB)

    def sound_share(self, start: float, end: float) -> float:
        """The share of the time from ``start`` to ``end`` (seconds) louder than a pause."""
        first, last = int(start / FRAME), max(int(start / FRAME) + 1, math.ceil(end / FRAME))
        window = self.levels[first:last]
        return float((window >= self.pause_db).mean()) if window.size else 0.0


def _sounding_regions(
    silent: np.ndarray, duration: float, skip_silence: float | None
) -> list[tuple[float, float]]:
    """The recording minus its long silences (each keeps PAD at its edges)."""
    regions, cursor = [], 0.0
    if skip_silence:
        for first, last in _runs(silent):
            start, end = first * FRAME, min(last * FRAME, duration)
            if end - start < max(skip_silence, 2 * PAD + FRAME):
                continue
            if start > 0:
                regions.append((cursor, start + PAD))
            cursor = end - PAD if end < duration else duration
    if cursor < duration:
        regions.append((cursor, duration))
    return [(round(a, 3), round(b, 3)) for a, b in regions if b - a > 0]


def _runs(mask: np.ndarray) -> Iterator[tuple[int, int]]:
    """(first, after-last) indexes of each run of True."""
    import numpy as np

    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    yield from zip(starts, ends, strict=True)


def _cut_region(
    smooth: np.ndarray, pause_db: float, start: float, end: float, size: float, overlap: float
) -> list[tuple[float, float, bool]]:
    """Spans of at most ``size`` seconds: (start, end, overlaps the previous span)."""
    spans, cursor, overlapping = [], start, False
    search = min(0.25 * size, 60.0)
    while end - cursor > size:
        target = cursor + size
        low, high = round((target - search) / FRAME), round(min(target, end - MIN_TAIL) / FRAME)
        quietest = _quietest(smooth, low, high)
        if quietest is not None and smooth[quietest] < pause_db:
            cut = round(quietest * FRAME, 3)
            spans.append((cursor, cut, overlapping))
            cursor, overlapping = cut, False
        else:
            spans.append((cursor, round(target, 3), overlapping))
            cursor, overlapping = round(target - overlap, 3), overlap > 0
    spans.append((cursor, end, overlapping))
    return spans


def _quietest(smooth: np.ndarray, low: int, high: int) -> int | None:
    """The middle of the quietest stretch in ``smooth[low:high]`` (within 1 dB of its floor)."""
    if high <= low:
        return None
    floor = low + int(smooth[low:high].argmin())
    first = last = floor
    while first > low and smooth[first - 1] <= smooth[floor] + 1.0:
        first -= 1
    while last + 1 < high and smooth[last + 1] <= smooth[floor] + 1.0:
        last += 1
    return (first + last) // 2


def _pack(spans: list[tuple[float, float, bool]], size: float) -> list[Chunk]:
    """Group consecutive spans into chunks of at most ``size`` seconds (gaps included)."""
    chunks: list[Chunk] = []
    pieces: list[tuple[float, float]] = []
    overlapping = False
    for start, end, overlaps in spans:
        if pieces and not overlaps:
            contiguous = abs(start - pieces[-1][1]) < 1e-6
            length = Chunk(tuple(pieces)).length + (0 if contiguous else GAP) + end - start
            if length <= size or end - start < MIN_TAIL:
                if contiguous:
                    pieces[-1] = (pieces[-1][0], end)
                else:
                    pieces.append((start, end))
                continue
        if pieces:
            chunks.append(Chunk(tuple(pieces), overlapping))
        pieces, overlapping = [(start, end)], overlaps
    if pieces:
        chunks.append(Chunk(tuple(pieces), overlapping))
    return chunks


class _Meter:
    """Mean power per FRAME of a stream of int16 blocks, as dBFS: 4 bytes per 20 ms."""

    def __init__(self) -> None:
        self._size = round(FRAME * RATE)
        self._carry: Any = None
        self._levels = array.array("f")  # one compact buffer, not an array per block

    def feed(self, block: np.ndarray) -> None:
        import numpy as np

        data = block.astype(np.float32) / 32768.0
        if self._carry is not None:
            data = np.concatenate([self._carry, data])
        whole = data.size - data.size % self._size
        if whole:
            frames = data[:whole].reshape(-1, self._size)
            levels = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
            self._levels.frombytes(levels.astype(np.float32).tobytes())
        self._carry = data[whole:]

    def levels(self) -> np.ndarray:
        import numpy as np

        if self._carry is not None and self._carry.size:
            self._levels.append(10 * math.log10(float(np.mean(self._carry**2)) + 1e-12))
        return np.frombuffer(self._levels, dtype=np.float32)


def _then_none(frames: Any) -> Iterator[Any]:
    """The decoded frames, then None: the resampler's signal to flush what it holds."""
    yield from frames
    yield None
