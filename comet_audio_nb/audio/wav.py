"""WAV without a codec library: wrapping raw pcm in a header, and reading a WAV's length."""

from __future__ import annotations

import struct

from ..constants import PCM_SAMPLE_RATE


def pcm_to_wav(pcm: bytes, rate: int = PCM_SAMPLE_RATE, channels: int = 1) -> bytes:
    """Wrap raw signed 16-bit little-endian samples in a WAV header.

    >>> pcm_to_wav(b"\\x00\\x00")[:4], len(pcm_to_wav(b"\\x00\\x00"))
    (b'RIFF', 46)
    """
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + len(pcm), b"WAVE", b"fmt ", 16, 1, channels, rate,
        rate * channels * 2, channels * 2, 16, b"data", len(pcm),
    )  # fmt: skip
    return header + pcm


def wav_duration(data: bytes) -> float | None:
    """Seconds of audio in a WAV file, or None when ``data`` is not one."""
    # Read the RIFF chunks directly: streamed WAV (as the API sends) carries a placeholder
    # data size (0 or 0xFFFFFFFF) that the stdlib `wave` module takes at its word.
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        return None
    position, byte_rate = 12, 0
    while position + 8 <= len(data):
        chunk = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        body = position + 8
        if chunk == b"fmt " and size >= 16:
            byte_rate = int.from_bytes(data[body + 8 : body + 12], "little")
        elif chunk == b"data":
            if not byte_rate:
                return None
            available = len(data) - body
            return (size if 0 < size <= available else available) / byte_rate
        position = body + size + (size & 1)
    return None
