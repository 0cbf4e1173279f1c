"""Speech: synthesised audio with the request that made it; plays itself in a notebook."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..audio.codecs import decoded_duration
from ..audio.wav import wav_duration
from ..constants import PCM_SAMPLE_RATE, SPEECH_FORMATS
from .text import human_size, seconds_label, shorten

if TYPE_CHECKING:
    import numpy as np

_AUDIO_EXTENSIONS = {f: f".{f}" for f in SPEECH_FORMATS}


@dataclass(repr=False)
class Speech:
    """Synthesized speech: the audio bytes and the request that made them.

    >>> speech = Speech(b"\\x00\\x00" * 24_000, format="pcm", content_type="audio/pcm")
    >>> speech.duration, speech.size
    (1.0, 48000)
    >>> speech.save("silence")
    PosixPath('silence.pcm')
    """

    data: bytes
    format: str
    content_type: str
    model: str | None = None
    voice: str | None = None
    text: str | None = None
    speed: float | None = None
    instructions: str | None = None
    request_id: str | None = None
    elapsed: float | None = None
    # What the service says it used, as sent (SSE speech: input/output/total tokens).
    usage: dict | None = None

    @cached_property
    def duration(self) -> float | None:
        """Length in seconds; None when it cannot be told (compressed audio needs ``av``)."""
        kind = self.format.lower()
        if kind == "pcm":
            return len(self.data) / 2 / PCM_SAMPLE_RATE
        if kind == "wav" or self.data[:4] in (b"RIFF", b"RF64"):
            seconds = wav_duration(self.data)
            if seconds is not None:
                return seconds
        return decoded_duration(self.data)

    @property
    def size(self) -> int:
        """Size of the audio in bytes."""
        return len(self.data)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the audio to ``path``, adding the format's extension when it has none.

        >>> Speech(b"", format="mp3", content_type="audio/mpeg").save("empty")
        PosixPath('empty.mp3')
        """
        target = Path(path).expanduser()
        if not target.suffix:
            kind = self.format.lower()
            target = target.with_suffix(_AUDIO_EXTENSIONS.get(kind, f".{kind or 'bin'}"))
        target.write_bytes(self.data)
        return target

    def to_numpy(self) -> tuple[np.ndarray, int]:
        """The samples as float32 in [-1, 1] (one column per channel when several) and the
        sample rate, decoded on first use (compressed formats need ``av``).

        >>> speech = Speech(b"\\x00\\x40" * 4, format="pcm", content_type="audio/pcm")
        >>> samples, rate = speech.to_numpy()
        >>> samples.tolist(), rate
        ([0.5, 0.5, 0.5, 0.5], 24000)
        """
        samples, rate = self._decoded
        return samples.copy(), rate

    @cached_property
    def _decoded(self) -> tuple[np.ndarray, int]:
        from ..audio.codecs import decode_samples

        return decode_samples(self.data, self.format, pcm_rate=PCM_SAMPLE_RATE)

    def player(
        self,
        *,
        autoplay: bool = False,
        embed_max_bytes: int | None = None,
        stream_id: str | None = None,
    ):
        """An inline audio player for this speech (what a notebook shows for it).

        Audio over ``embed_max_bytes`` (default: ``%config CometAudio.embed_max_bytes``) is
        written beside the notebook and played from there instead of being embedded.
        ``stream_id``: the streaming player (``widgets.StreamPlayer``) this one replaces,
        which hands over where it was.

        >>> speech.player(autoplay=True)                        # doctest: +SKIP
        """
        from .views import AudioPlayer

        return AudioPlayer(
            self, autoplay=autoplay, embed_max_bytes=embed_max_bytes, stream_id=stream_id
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return self.player()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        parts = [f"voice={shorten(self.voice, 20)!r}"] if self.voice else []
        if self.duration is not None:
            parts.append(seconds_label(self.duration))
        parts.append(f"{human_size(self.size)} {shorten(self.format, 10)}")
        return f"Speech({', '.join(parts)})"
