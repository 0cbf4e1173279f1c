"""Encoding 24 kHz mono speech into the six response formats with PyAV."""

from __future__ import annotations

import io

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
