"""Decoding speech into samples (``Speech.to_numpy``); numpy and av are imported on use."""

from __future__ import annotations

import io


def decode_samples(data: bytes, audio_format: str, *, pcm_rate: int = 24_000):
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
