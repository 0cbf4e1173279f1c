"""What the local engine serves: model ids, voices, formats and their wire names."""

from __future__ import annotations

from dataclasses import dataclass

# The API's vocabulary is the package's one list (``comet_audio_nb.constants``); the
# engine accepts exactly what the clients send.
from ..constants import (  # noqa: F401 - re-exported for the engine's modules
    CLASSIC_SPEECH_MODELS,
    DIARIZE_MODEL,
    DIARIZED_FORMAT,
    GRANULARITIES,
    JSON_TEXT_ONLY_MODELS,
    LOGPROB_MODELS,
    MAX_SPEECH_CHARS,
    MAX_SPEED,
    MAX_UPLOAD_BYTES,
    MIN_SPEED,
    PCM_SAMPLE_RATE,
    SPEECH_CONTENT_TYPES,
    SPEECH_FORMATS,
    SPEECH_MODELS,
    STREAM_FORMATS,
    STREAMING_TRANSCRIBE_MODELS,
    TRANSCRIBE_INCLUDES,
    TRANSCRIBE_MODELS,
    TRANSCRIPT_FORMATS,
    TRANSLATE_MODELS,
    UPLOAD_FORMATS,
    VOICES,
)

# The engine's names for some of them.
UPLOAD_EXTENSIONS = UPLOAD_FORMATS  # what a file name may end in
MAX_INPUT_CHARS = MAX_SPEECH_CHARS
DEFAULT_MAX_UPLOAD = MAX_UPLOAD_BYTES
SPEECH_RATE = PCM_SAMPLE_RATE


@dataclass(frozen=True)
class ModelInfo:
    """One model the engine serves."""

    id: str
    created: int
    endpoints: tuple[str, ...]


ENGINE_MODELS: tuple[ModelInfo, ...] = (
    ModelInfo("tts-1", 1699046015, ("/v1/audio/speech",)),
    ModelInfo("tts-1-hd", 1699046015, ("/v1/audio/speech",)),
    ModelInfo("gpt-4o-mini-tts", 1742403959, ("/v1/audio/speech",)),
    ModelInfo(
        "whisper-1",
        1677532384,
        ("/v1/audio/transcriptions", "/v1/audio/translations"),
    ),
    ModelInfo("gpt-4o-transcribe", 1742068463, ("/v1/audio/transcriptions",)),
    ModelInfo("gpt-4o-mini-transcribe", 1742068596, ("/v1/audio/transcriptions",)),
)


def openai_model_list() -> dict:
    """The body of GET /v1/models: the engine's models, OpenAI-style."""
    return {
        "object": "list",
        "data": [
            {
                "id": m.id,
                "object": "model",
                "created": m.created,
                "owned_by": "comet-audio-nb-local",
                "supported_endpoint_types": ["openai"],
            }
            for m in ENGINE_MODELS
        ],
    }
