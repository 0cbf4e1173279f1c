"""Encoding 24 kHz mono speech into the six response formats with PyAV: whole, or as it comes.

``encode`` makes one file. ``StreamEncoder`` takes the speech piece by piece (a sentence at
a time) and hands back the bytes ready so far, for the formats whose bytes can be sent
before the end is known: pcm; wav, whose header then carries placeholder sizes; mp3, whose
frames simply follow one another; opus in Ogg pages. flac and aac are only ever encoded
whole (``STREAMED_FORMATS``).
"""

from __future__ import annotations

import io
import struct

import numpy as np

from .registry import SPEECH_RATE

# response_format -> (container, codec, encoder sample rate)
_CODECS: dict[str, tuple[str, str, int]] = {
    "mp3": ("mp3", "libmp3lame", SPEECH_RATE),
    "opus": ("ogg", "libopus", 48_000),
    "aac": ("adts", "aac", SPEECH_RATE),
    "flac": ("flac", "flac", SPEECH_RATE),
    "wav": ("wav", "pcm_s16le", SPEECH_RATE),
}
# Bit rates for the lossy codecs: (standard, hd).
_BIT_RATES: dict[str, tuple[int, int]] = {
    "mp3": (64_000, 128_000),
    "opus": (32_000, 64_000),
    "aac": (64_000, 128_000),
}
STREAMED_FORMATS: frozenset[str] = frozenset({"pcm", "wav", "mp3", "opus"})
# FFmpeg holds an Ogg page until it spans a second; a tenth lets a sentence out as it ends.
_OGG_PAGE_MICROSECONDS = 100_000
# A streamed WAV's RIFF and data sizes are not known when its header is sent: the largest
# value stands for "to the end of the stream", as OpenAI's streamed WAV has it.
UNKNOWN_SIZE = 0xFFFFFFFF


def encode(samples: np.ndarray, response_format: str, *, hd: bool = False) -> bytes:
    """Encode int16 mono 24 kHz samples; `pcm` is the raw little-endian samples."""
    samples = np.ascontiguousarray(samples, dtype=np.int16)
    if response_format == "pcm":
        return samples.astype("<i2").tobytes()
    import av

    container_format, codec, rate = _CODECS[response_format]
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        if response_format in _BIT_RATES:
            stream.bit_rate = _BIT_RATES[response_format][1 if hd else 0]
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SPEECH_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def streaming_wav_header(rate: int = SPEECH_RATE) -> bytes:
    """A 16-bit mono WAV header whose sizes say "until the stream ends".

    >>> header = streaming_wav_header()
    >>> len(header), header[4:8] == header[40:44] == b"\\xff" * 4
    (44, True)
    """
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", UNKNOWN_SIZE, b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2, 16,
        b"data", UNKNOWN_SIZE,
    )  # fmt: skip


class _Sink:
    """Where the muxer writes: no seek, so FFmpeg writes a stream (no header rewritten at the
    end: mp3 gets no Xing frame to fill in) and every byte can go out at once."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        return len(data)

    def take(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


class StreamEncoder:
    """Encode speech piece by piece: ``feed`` gives the bytes ready so far, ``finish`` the
    rest. Their concatenation is one valid file of ``response_format``.

    >>> encoder = StreamEncoder("pcm")
    >>> encoder.feed(np.array([1, -1], dtype=np.int16)) + encoder.finish()
    b'\\x01\\x00\\xff\\xff'
    """

    def __init__(self, response_format: str, *, hd: bool = False) -> None:
        if response_format not in STREAMED_FORMATS:
            raise ValueError(f"{response_format} is encoded whole, not streamed")
        self.format = response_format
        self._pending = streaming_wav_header() if response_format == "wav" else b""
        self._container = self._stream = None
        self._sink = _Sink()
        if response_format in ("mp3", "opus"):
            import av

            container_format, codec, rate = _CODECS[response_format]
            options = {"page_duration": str(_OGG_PAGE_MICROSECONDS)}
            self._container = av.open(
                self._sink,
                "w",
                format=container_format,
                container_options=options if response_format == "opus" else None,
            )
            self._stream = self._container.add_stream(codec, rate=rate, layout="mono")
            self._stream.bit_rate = _BIT_RATES[response_format][1 if hd else 0]

    def feed(self, samples: np.ndarray) -> bytes:
        """Encode `samples` (int16 mono 24 kHz); the bytes that are ready (maybe none)."""
        samples = np.ascontiguousarray(samples, dtype=np.int16)
        if self._container is None:
            data, self._pending = self._pending + samples.astype("<i2").tobytes(), b""
            return data
        if samples.size:
            import av

            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = SPEECH_RATE
            frame.pts = None  # one timeline: the encoder counts samples
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        return self._sink.take()

    def finish(self) -> bytes:
        """The last bytes: what the encoder held back, and the container's end."""
        if self._container is None:
            data, self._pending = self._pending, b""
            return data
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self.close()
        return self._sink.take()

    def close(self) -> None:
        """Let go of the encoder (after ``finish``, or to abandon the stream)."""
        container, self._container = self._container, None
        if container is not None:
            container.close()
