"""Sample /api/models records for the engine's own models: CometAPI's shape, not live prices."""

from __future__ import annotations

from .registry import ENGINE_MODELS

SAMPLE_NOTE = (
    "Sample data from the comet-audio-nb built-in local engine: not live CometAPI models or "
    "prices. Set COMETAPI_KEY to use the real service and its catalog."
)

# id -> (name, provider, what it does, features, pricing)
_DETAILS: dict[str, tuple[str, str, str, list[str], dict]] = {
    "tts-1": (
        "TTS-1",
        "OpenAI",
        "Text to speech, optimised for speed.",
        ["text-to-speech"],
        {"currency": "USD / M Characters", "input": 12.0, "output": 0.0},
    ),
    "tts-1-hd": (
        "TTS-1 HD",
        "OpenAI",
        "Text to speech, optimised for quality.",
        ["text-to-speech"],
        {"currency": "USD / M Characters", "input": 24.0, "output": 0.0},
    ),
    "gpt-4o-mini-tts": (
        "GPT-4o mini TTS",
        "OpenAI",
        "Text to speech that follows voice-style instructions.",
        ["text-to-speech"],
        {"currency": "USD / M Tokens", "input": 0.48, "output": 9.6},
    ),
    "whisper-1": (
        "Whisper",
        "OpenAI",
        "Speech to text: transcription and translation to English.",
        ["speech-to-text", "translation"],
        {"currency": "USD / M Tokens", "input": 0.0, "output": 0.0, "per_second": 0.00008},
    ),
    "gpt-4o-transcribe": (
        "GPT-4o Transcribe",
        "OpenAI",
        "Speech to text with a GPT-4o model.",
        ["speech-to-text"],
        {"currency": "USD / M Tokens", "input": 2.0, "output": 8.0, "per_second": 0.00008},
    ),
    "gpt-4o-mini-transcribe": (
        "GPT-4o mini Transcribe",
        "OpenAI",
        "Speech to text with a GPT-4o mini model.",
        ["speech-to-text"],
        {"currency": "USD / M Tokens", "input": 1.0, "output": 4.0, "per_second": 0.00004},
    ),
}


def sample_records() -> list[dict]:
    """One CometAPI-shaped catalog record per engine model (fresh dicts each call)."""
    records = []
    for model in ENGINE_MODELS:
        name, provider, what, features, price = _DETAILS[model.id]
        pricing = {**price, "per_request": 0.0, "per_second": price.get("per_second", 0.0)}
        records.append(
            {
                "id": model.id,
                "code": model.id,
                "name": name,
                "description": f"{what} {SAMPLE_NOTE}",
                "provider": provider,
                "provider_code": provider.lower(),
                "model_type": "audio",
                "features": list(features),
                "endpoints": [{"path": p, "method": "POST"} for p in model.endpoints],
                "pricing": pricing,
                "ratio": 0.8,
                "api_doc_url": "https://apidoc.cometapi.com/",
                "created": model.created,
                "published_at": model.created,
                "upcoming": False,
                "context_length": None,
                "max_completion_tokens": None,
                "latest_model_name": model.id,
            }
        )
    return records
