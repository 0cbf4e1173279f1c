"""Decoding and encoding audio with PyAV, imported on first use (``%load_ext`` stays light).

Decoding speech into samples (``Speech.to_numpy``), measuring a compressed file's length,
and encoding speech parts into one file of a response format (``speech_long``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ..constants import PCM_SAMPLE_RATE
from ..errors import ValidationError
from .wav import pcm_to_wav

# response_format -> (container, codec, encoder rate or None for the parts' own, bit rate)
_ENCODERS = {
    "mp3": ("mp3", "libmp3lame", None, 96_000),
    "opus": ("ogg", "libopus", 48_000, 48_000),
    "aac": ("adts", "aac", None, 96_000),
    "flac": ("flac", "flac", None, None),
    "wav": ("wav", "pcm_s16le", None, None),
}


def import_av(purpose: str = "splitting long audio") -> Any:
    """PyAV, or a ValidationError saying which extra installs it."""
    try:
        import av
    except ImportError:
        raise ValidationError(
            f"{purpose} needs PyAV",
            hint='pip install av  (or pip install "comet-audio-nb[media]")',
        ) from None
    return av


def decode_samples(data: bytes, audio_format: str, *, pcm_rate: int = PCM_SAMPLE_RATE):
    """(float32 samples in [-1, 1], sample rate): shape (n,) for mono, (n, channels) else.

    >>> samples, rate = decode_samples(b"\\x00\\x80\\xff\\x7f", "pcm")
    >>> samples.tolist(), rate
    ([-1.0, 0.999969482421875], 24000)
    """
    import numpy as np

    if audio_format.lower() == "pcm":
        usable = len(data) - len(data) % 2
        samples = np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0
        return samples, pcm_rate
    try:
        import av
    except ImportError as exc:
        raise ImportError(
            f'decoding {audio_format} audio needs PyAV: pip install "comet-audio-nb[local]" '
            "(or pip install av)"
        ) from exc
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels or 1
        rate = stream.codec_context.sample_rate
        # Packed float keeps the channels interleaved in one row: easy to reshape.
        resampler = av.AudioResampler(format="flt", layout=stream.codec_context.layout, rate=rate)
        chunks = []
        for frame in container.decode(stream):
            for converted in resampler.resample(frame):
                chunks.append(converted.to_ndarray().reshape(-1))
        for converted in resampler.resample(None):
            chunks.append(converted.to_ndarray().reshape(-1))
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    samples = samples.astype(np.float32, copy=False)
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels].reshape(-1, channels)
    return samples, rate


def decoded_duration(data: bytes) -> float | None:
    """Seconds of audio in a compressed file, decoded to count; None without PyAV or on
    media it cannot read (a duration is optional wherever this is asked)."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.audio[0]
            samples, rate = 0, 0
            for frame in container.decode(stream):
                samples += frame.samples
                rate = frame.sample_rate
            if rate:
                return samples / rate
            return container.duration / 1_000_000 if container.duration else None
    except Exception:  # av raises many kinds of error on odd media
        return None


def encode_pcm(pcm: Sequence[bytes], response_format: str) -> bytes:
    """Parts of 24 kHz 16-bit mono pcm as one file of ``response_format``, encoded once
    (pcm and wav need no PyAV; the others do).

    >>> encode_pcm([b"\\x01\\x00"], "wav")[:4]
    b'RIFF'
    """
    if response_format in ("pcm", "wav"):
        return join_encoded(pcm, part_format="pcm", response_format=response_format)
    # PyAV reads raw pcm only with a header: each part as WAV
    return join_encoded(
        [pcm_to_wav(p) for p in pcm], part_format="wav", response_format=response_format
    )


def join_encoded(parts: Sequence[bytes], *, part_format: str, response_format: str) -> bytes:
    """One playable file in ``response_format`` from speech parts in ``part_format``.

    >>> join_encoded([b"\\x01\\x00", b"\\x02\\x00"], part_format="pcm", response_format="pcm")
    b'\\x01\\x00\\x02\\x00'
    """
    if part_format == "pcm":
        samples = b"".join(parts)
        return samples if response_format == "pcm" else pcm_to_wav(samples, PCM_SAMPLE_RATE)
    av = import_av("joining speech")
    container_format, codec, encoder_rate, bit_rate = _ENCODERS[response_format]
    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as container:
        stream = resampler = None
        for data in parts:
            with av.open(io.BytesIO(data)) as part:
                for frame in part.decode(part.streams.audio[0]):
                    if stream is None:
                        rate = frame.sample_rate
                        stream = container.add_stream(
                            codec, rate=encoder_rate or rate, layout="mono"
                        )
                        if bit_rate:
                            stream.bit_rate = bit_rate
                        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
                    for converted in resampler.resample(frame):
                        converted.pts = None  # one timeline: the encoder counts samples
                        for packet in stream.encode(converted):
                            container.mux(packet)
        if stream is not None:
            for converted in resampler.resample(None):
                converted.pts = None
                for packet in stream.encode(converted):
                    container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
    return out.getvalue()
