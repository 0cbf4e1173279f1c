"""Tiny test videos made here with PyAV: frames of a colour ramp, the engine's speech as audio.

Nothing is downloaded: ``make_video(wav, "mp4")`` encodes a few frames a second at 64×48 and
the WAV's samples with the codecs asked for. ``python tests/video_helpers.py`` writes the
notebooks' ``notebooks/video/talk.mp4`` (a short dialogue of the built-in engine).
"""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np

# container -> (format name, video codec, audio codec)
KINDS = {
    "mp4": ("mp4", "libx264", "aac"),
    "mov": ("mov", "libx264", "aac"),
    "webm": ("webm", "libvpx", "libopus"),
    "mkv": ("matroska", "libx264", "aac"),
    "mkv-mpeg4": ("matroska", "mpeg4", "mp2"),  # neither codec plays in a browser
    "webm-audio": ("webm", None, "libopus"),  # a browser recording: no video stream
}


def wav_samples(wav: bytes) -> tuple[np.ndarray, int]:
    with av.open(io.BytesIO(wav)) as container:
        rate = container.streams.audio[0].codec_context.sample_rate
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    return np.concatenate(frames).astype("<i2"), rate


def make_video(
    wav: bytes, kind: str = "mp4", *, fps: int = 5, audio_bit_rate: int | None = None
) -> bytes:
    """A video of ``kind`` (see KINDS) as long as ``wav``, with ``wav`` as its audio."""
    container_format, video_codec, audio_codec = KINDS[kind]
    samples, rate = wav_samples(wav)
    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as container:
        video = None
        if video_codec:
            video = container.add_stream(video_codec, rate=fps)
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio_rate = 48_000 if audio_codec == "libopus" else rate
        audio = container.add_stream(audio_codec, rate=audio_rate, layout="mono")
        if audio_bit_rate:
            audio.bit_rate = audio_bit_rate
        if video is not None:
            for i in range(max(1, int(len(samples) / rate * fps))):
                image = np.full((48, 64, 3), (i * 12) % 256, dtype=np.uint8)
                for packet in video.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                    container.mux(packet)
            for packet in video.encode(None):
                container.mux(packet)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        layout = audio.codec_context.format.name
        size = audio.codec_context.frame_size or 1024  # encoders want whole frames
        resampler = av.AudioResampler(layout, "mono", audio_rate, frame_size=size)
        for converted in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in audio.encode(converted):
                container.mux(packet)
        for packet in audio.encode(None):
            container.mux(packet)
    return out.getvalue()


NOTEBOOK_VIDEO = Path(__file__).resolve().parents[1] / "notebooks" / "video" / "talk.mp4"
NOTEBOOK_SCRIPT = "Host: Welcome to the show!\nGuest: Glad to be here."


def write_notebook_video() -> Path:
    """notebooks/video/talk.mp4: the built-in engine speaking NOTEBOOK_SCRIPT, small."""
    from comet_audio_nb import CometClient

    with CometClient() as client:
        dialogue = client.speech_dialogue(NOTEBOOK_SCRIPT, {"Host": "nova"}, response_format="wav")
    NOTEBOOK_VIDEO.parent.mkdir(exist_ok=True)
    NOTEBOOK_VIDEO.write_bytes(make_video(dialogue.data, "mp4", audio_bit_rate=16_000))
    return NOTEBOOK_VIDEO


if __name__ == "__main__":
    print(write_notebook_video())
