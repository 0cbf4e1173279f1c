"""What the local engine serves: model ids, voices, formats and their wire names."""

from __future__ import annotations

from dataclasses import dataclass

from .._wire import VOICES as VOICES  # one list for the client side and the engine

SPEECH_MODELS: tuple[str, ...] = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
TRANSCRIBE_MODELS: tuple[str, ...] = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")
TRANSLATE_MODELS: tuple[str, ...] = ("whisper-1",)
# The gpt-4o transcribe models answer only json or text.
JSON_TEXT_ONLY_MODELS: frozenset[str] = frozenset({"gpt-4o-transcribe", "gpt-4o-mini-transcribe"})


# response_format -> Content-Type of the speech response.
SPEECH_FORMATS: dict[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
SPEECH_RATE = 24_000
MAX_INPUT_CHARS = 4096
MIN_SPEED, MAX_SPEED = 0.25, 4.0

UPLOAD_EXTENSIONS: tuple[str, ...] = (
    "flac",
    "mp3",
    "mp4",
    "mpeg",
    "mpga",
    "m4a",
    "ogg",
    "wav",
    "webm",
)
TRANSCRIPT_FORMATS: tuple[str, ...] = ("json", "text", "srt", "verbose_json", "vtt")
GRANULARITIES: tuple[str, ...] = ("word", "segment")
DEFAULT_MAX_UPLOAD = 26_214_400


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
