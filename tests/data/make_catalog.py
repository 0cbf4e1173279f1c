"""Write tests/data/catalog.json, a realistic CometAPI /api/models response (deterministic)."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SEED = 20251115
OUTPUT = Path(__file__).with_name("catalog.json")
TOKENS = "USD / M Tokens"
DOCS = "https://apidoc.cometapi.com"

PROVIDERS = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "google": "Google",
    "deepseek": "DeepSeek",
    "xai": "xAI",
    "meta": "Meta",
    "mistral": "Mistral AI",
    "qwen": "Alibaba Qwen",
    "suno": "Suno",
    "kling": "Kling",
    "runway": "Runway",
    "midjourney": "Midjourney",
    "elevenlabs": "ElevenLabs",
    "minimax": "MiniMax",
    "moonshot": "Moonshot AI",
    "zhipu": "Zhipu AI",
    "bytedance": "ByteDance Doubao",
    "baidu": "Baidu",
    "tencent": "Tencent Hunyuan",
    "cohere": "Cohere",
    "perplexity": "Perplexity",
    "bfl": "Black Forest Labs",
    "stability": "Stability AI",
    "ideogram": "Ideogram",
    "recraft": "Recraft",
    "luma": "Luma AI",
    "pika": "Pika",
    "vidu": "Vidu",
    "jina": "Jina AI",
    "baai": "BAAI",
    "01ai": "01.AI",
    "nvidia": "NVIDIA",
    "microsoft": "Microsoft",
    "amazon": "Amazon",
    "ai21": "AI21 Labs",
    "siliconflow": "SiliconFlow",
}


def ep(path: str, method: str = "POST") -> dict[str, str]:
    return {"path": path, "method": method}


CHAT = ep("/v1/chat/completions")
RESPONSES = ep("/v1/responses")
MESSAGES = ep("/v1/messages")
EMBEDDINGS = ep("/v1/embeddings")
IMAGES = ep("/v1/images/generations")
IMAGE_EDITS = ep("/v1/images/edits")
SPEECH = ep("/v1/audio/speech")
TRANSCRIPTIONS = ep("/v1/audio/transcriptions")
TRANSLATIONS = ep("/v1/audio/translations")


def tokens(inp: Any, out: Any = None, ratio: float | None = None, **more: Any) -> dict[str, Any]:
    pricing = {"currency": TOKENS, "input": inp, "output": out, "per_request": None}
    pricing["per_second"] = None
    pricing.update(more)
    if ratio is not None:
        pricing["ratio"] = ratio
    return pricing


def per_request(price: Any, currency: str = "USD") -> dict[str, Any]:
    return {"currency": currency, "input": None, "output": None, "per_request": price}


def per_second(price: Any, currency: str = "USD") -> dict[str, Any]:
    return {"currency": currency, "input": None, "output": None, "per_second": price}


def epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())


def pretty(model_id: str) -> str:
    words = re.split(r"[-_]", model_id)
    special = {"gpt": "GPT", "tts": "TTS", "hd": "HD", "mj": "Midjourney", "glm": "GLM"}
    return " ".join(special.get(w, w[:1].upper() + w[1:]) for w in words)


def record(
    model_id: str,
    provider: str,
    model_type: str | None,
    features: Any,
    endpoints: Any,
    pricing: Any,
    *,
    day: str = "2025-01-01",
    **fields: Any,
) -> dict[str, Any]:
    """A complete record; keyword arguments override or add fields."""
    created = epoch(day)
    rec: dict[str, Any] = {
        "id": model_id,
        "code": model_id,
        "name": pretty(model_id),
        "description": f"{PROVIDERS[provider]} {pretty(model_id)} via CometAPI.",
        "provider": PROVIDERS[provider],
        "provider_code": provider,
        "model_type": model_type,
        "features": features,
        "endpoints": endpoints,
        "pricing": pricing,
        "api_doc_url": f"{DOCS}/{(model_type or 'text')}-{model_id}",
        "created": created,
        "upcoming": False,
        "context_length": None,
        "max_completion_tokens": None,
        "latest_model_name": model_id,
        "published_at": day,
    }
    rec.update(fields)
    return rec


def well_known() -> list[dict[str, Any]]:
    """The models people ask for by name, and every odd case the parser must survive."""
    text = ["text-to-text", "function-calling", "streaming"]
    vision = [*text, "vision"]
    reasoning = [*text, "reasoning"]
    openai_text = [CHAT, RESPONSES]
    claude = [CHAT, MESSAGES]
    speech_doc = f"{DOCS}/create-speech"
    stt_doc = f"{DOCS}/create-transcription"
    # fmt: off
    records = [
        # --- audio: speech (tagged) ---
        record("tts-1", "openai", "audio", ["text-to-speech"], [SPEECH], tokens(12),
               day="2023-11-06", api_doc_url=speech_doc,
               description="Text to speech optimised for speed; $12 per million characters."),
        record("tts-1-hd", "openai", "audio", ["text-to-speech"], [SPEECH], tokens(24),
               day="2023-11-06", api_doc_url=speech_doc,
               description="Text to speech optimised for quality."),
        record("gpt-4o-mini-tts-2025-03-20", "openai", "audio", ["text-to-speech"], [SPEECH],
               tokens(0.48, 9.6), day="2025-03-20", latest_model_name="gpt-4o-mini-tts"),
        record("eleven_multilingual_v2", "elevenlabs", "audio",
               ["text-to-speech", "voice-cloning"], {"/v1/audio/speech": "POST"},
               tokens(240), day="2024-08-22", name="Eleven Multilingual v2"),
        record("eleven_turbo_v2_5", "elevenlabs", "audio", ["text-to-speech"],
               [SPEECH], tokens(120), day="2024-07-19"),
        # model_type capitalised, as some upstream syncs write it
        record("eleven_flash_v2_5", "elevenlabs", "Audio", ["text-to-speech"],
               [SPEECH], tokens(120), day="2024-12-10"),
        record("eleven_v3", "elevenlabs", "audio", ["text-to-speech"], None, None,
               day="2025-06-05", created=0, upcoming=True, description="Coming soon."),
        record("speech-02-turbo", "minimax", "audio", ["text-to-speech"], [SPEECH], tokens(48),
               day="2025-04-02"),
        record("speech-2.5-hd-preview", "minimax", "audio", ["text-to-speech"], [SPEECH],
               tokens(80), day="2025-08-07"),
        # --- audio: transcription (tagged) ---
        record("whisper-1", "openai", "audio", ["speech-to-text", "audio-translation"],
               [TRANSCRIPTIONS, TRANSLATIONS], per_second(0.00008),
               day="2023-03-01", api_doc_url=stt_doc,
               description="Speech recognition; $0.006 per minute upstream, 0.8x here."),
        record("gpt-4o-transcribe-diarize", "openai", "audio", ["speech-to-text", "diarization"],
               [TRANSCRIPTIONS], tokens(4.8, 8, per_second=0.00008), day="2025-10-15"),
        # --- audio models the catalog does not tag as audio ---
        # by features (and its endpoints arrive as a JSON-encoded string)
        record("gpt-4o-mini-tts", "openai", "text", ["text-to-speech"],
               json.dumps([SPEECH]), tokens(0.48, 9.6), day="2025-03-20",
               api_doc_url=speech_doc),
        # by endpoints only: model_type key missing, features null, endpoints keyed by type
        {k: v for k, v in record(
            "gpt-4o-transcribe", "openai", None, None,
            {"openai": TRANSCRIPTIONS}, tokens(4.8, 8, per_second=0.00008),
            day="2025-03-20", api_doc_url=stt_doc).items() if k != "model_type"},
        # by id only: empty features list, no endpoints
        record("gpt-4o-mini-transcribe", "openai", "text", [], None,
               tokens(2.4, 4, per_second=0.00004), day="2025-03-20", api_doc_url=stt_doc),
        record("whisper-large-v3", "openai", "text", None, None, per_second(0.0000247),
               day="2024-05-01", description="Open-weights Whisper large v3."),
        record("whisper-large-v3-turbo", "openai", "text", ["text-to-text"], [CHAT],
               per_second(0.0000111), day="2024-10-01"),
        record("gemini-2.5-flash-preview-tts", "google", "text", ["audio-output"],
               [ep("/v1beta/models/gemini-2.5-flash-preview-tts:generateContent")],
               tokens(0.4, 8), day="2025-05-20"),
        record("gemini-2.5-pro-preview-tts", "google", "text", ["audio-output"],
               [ep("/v1beta/models/gemini-2.5-pro-preview-tts:generateContent")],
               tokens(0.8, 16), day="2025-05-20"),
        record("qwen3-tts-flash", "qwen", "text", ["multilingual"], [CHAT],
               tokens(6.4), day="2025-09-05",
               description="通义千问语音合成模型 Qwen3-TTS-Flash，支持多种音色。"),
        # by features spelt differently: underscores, a comma-separated string
        record("speech-02-hd", "minimax", "text", "text_to_speech, voice_clone", [SPEECH],
               tokens("80"), day="2025-04-02"),
        record("qwen3-asr-flash", "qwen", "text", ["Speech Recognition"], [CHAT],
               per_second(0.000028), day="2025-09-08"),
        record("voxtral-mini-latest", "mistral", "text", ["audio-transcription"],
               [TRANSCRIPTIONS], per_second(0.0000133), day="2025-07-15"),
        # by endpoints given as "METHOD path" text
        record("scribe_v1", "elevenlabs", "text", None, "POST /v1/audio/transcriptions",
               per_second(0.0000889), day="2025-02-26", name="Scribe v1"),
        # --- near misses: music and voice-adjacent models that are not speech models ---
        record("suno_music", "suno", "music", ["text-to-music", "lyrics"],
               [ep("/suno/submit/music"), ep("/suno/fetch/{task_id}", "GET")],
               per_request(0.08), code="chirp-v4", day="2024-11-19",
               name="Suno Music", api_doc_url=f"{DOCS}/suno-submit-music"),
        record("music-1.5", "minimax", "music", ["text-to-music"], [ep("/minimax/v1/music")],
               per_request(0.12), day="2025-08-13"),
        record("omni-moderation-latest", "openai", "moderation", ["moderation"],
               [ep("/v1/moderations")], None, day="2024-09-26"),
        # --- flagship text models ---
        record("gpt-4o", "openai", "text", vision, openai_text, tokens(2, 8, ratio=1.25),
               day="2024-05-13", context_length=128000, max_completion_tokens=16384),
        record("gpt-4o-mini", "openai", "text", vision, openai_text, tokens(0.12, 0.48),
               day="2024-07-18", context_length=128000, max_completion_tokens=16384),
        record("gpt-4.1", "openai", "text", vision, openai_text, tokens(1.6, 6.4),
               day="2025-04-14", context_length=1047576, max_completion_tokens=32768),
        record("gpt-4.1-mini", "openai", "text", vision, openai_text, tokens(0.32, 1.28),
               day="2025-04-14", context_length=1047576),
        record("gpt-4.1-nano", "openai", "text", vision, openai_text, tokens(0.08, 0.32),
               day="2025-04-14", context_length=1047576),
        record("o1", "openai", "text", reasoning, openai_text, tokens(12, 48),
               day="2024-12-17", context_length=200000, max_completion_tokens=100000),
        record("o3", "openai", "text", reasoning, openai_text, tokens(1.6, 6.4),
               day="2025-04-16", context_length=200000, max_completion_tokens=100000),
        record("o3-mini", "openai", "text", reasoning, openai_text, tokens(0.88, 3.52),
               day="2025-01-31"),
        record("o4-mini", "openai", "text", reasoning, openai_text, tokens(0.88, 3.52),
               day="2025-04-16"),
        record("gpt-5", "openai", "text", reasoning, openai_text, tokens(1, 8, ratio=0.625),
               day="2025-08-07", context_length=400000, max_completion_tokens=128000),
        record("gpt-5-mini", "openai", "text", reasoning, openai_text, tokens(0.2, 1.6),
               day="2025-08-07", context_length=400000),
        record("gpt-5-nano", "openai", "text", reasoning, openai_text, tokens(0.04, 0.32),
               day="2025-08-07", context_length=400000),
        record("gpt-5-chat-latest", "openai", "text", text, openai_text, tokens(1, 8),
               day="2025-08-07"),
        # prices given as strings
        record("chatgpt-4o-latest", "openai", "text", vision, [CHAT], tokens("4", "12"),
               day="2024-08-13"),
        record("text-embedding-3-small", "openai", "embedding", ["text-embedding"],
               [EMBEDDINGS], tokens(0.016, 0), day="2024-01-25"),
        record("text-embedding-3-large", "openai", "embedding", ["text-embedding"],
               [EMBEDDINGS], tokens(0.104, 0), day="2024-01-25"),
        record("text-embedding-ada-002", "openai", "embedding", ["text-embedding"],
               [EMBEDDINGS], tokens(0.08), day="2022-12-15"),
        # --- media: per request, per second, tokens ---
        record("dall-e-3", "openai", "image", ["text-to-image"], [IMAGES],
               per_request(0.032), day="2023-11-06"),
        record("gpt-image-1", "openai", "image", ["text-to-image", "image-editing"],
               [IMAGES, IMAGE_EDITS], tokens(4, 32, per_request=0), day="2025-04-23"),
        record("sora-2", "openai", "video", ["text-to-video", "image-to-video"],
               [ep("/v1/videos"), ep("/v1/videos/{video_id}", "GET")], per_second(0.08),
               day="2025-10-06"),
        record("sora-2-pro", "openai", "video", ["text-to-video", "image-to-video"],
               [ep("/v1/videos")], per_second(0.24), day="2025-10-06"),
        record("veo3.1", "google", "video", ["text-to-video", "audio-generation"],
               [ep("/v1/videos")], per_second("0.32"), day="2025-10-15"),
        record("veo3", "google", "video", ["text-to-video"], [ep("/v1/video/create")],
               per_request(1.6), day="2025-05-20"),
        record("imagen-4.0-generate-001", "google", "image", ["text-to-image"], [IMAGES],
               per_request(0.032), day="2025-06-24"),
        record("gemini-2.5-flash-image", "google", "image", ["text-to-image", "image-editing"],
               [CHAT, IMAGES], tokens(0.24, 24), day="2025-08-26"),
        record("kling-v2-1-master", "kling", "video", ["text-to-video", "image-to-video"],
               {"kling": ep("/kling/v1/videos/text2video")}, per_second(0.224),
               day="2025-06-18"),
        record("kling-v1-6", "kling", "video", ["text-to-video"],
               [ep("/kling/v1/videos/text2video"), ep("/kling/v1/videos/image2video")],
               per_request(0.2), day="2024-12-19"),
        record("kling_virtual_try_on", "kling", "image", ["virtual-try-on"],
               [ep("/kling/v1/images/kolors-virtual-try-on")], per_request(0.056),
               day="2025-01-10"),
        record("mj_imagine", "midjourney", "image", ["text-to-image"],
               {"/mj/submit/imagine": "POST", "/mj/task/{id}/fetch": "GET"},
               per_request(0.04), code="midjourney-imagine", day="2024-03-01",
               name="Midjourney Imagine"),
        record("gen4_turbo", "runway", "video", ["image-to-video"],
               [ep("/runwayml/v1/image_to_video")], per_second(0.04), day="2025-04-07",
               name="Runway Gen-4 Turbo"),
        record("MiniMax-Hailuo-02", "minimax", "video", ["text-to-video", "image-to-video"],
               [ep("/minimax/v1/video_generation")], per_request(0.4), day="2025-06-18"),
        # a per-request price with a dollar sign, an empty output price
        record("recraftv3", "recraft", "image", ["text-to-image", "vector"], [IMAGES],
               per_request("$0.032"), day="2024-10-30"),
        # --- Anthropic, Google, others ---
        record("claude-3-5-haiku-20241022", "anthropic", "text", text, claude,
               tokens(0.64, 3.2), day="2024-10-22", created="1729555200"),
        record("claude-3-7-sonnet-20250219", "anthropic", "text", vision, claude,
               tokens(2.4, 12), day="2025-02-19", context_length=200000),
        record("claude-sonnet-4-20250514", "anthropic", "text", vision, claude,
               tokens(2.4, 12), day="2025-05-14", context_length=200000),
        record("claude-opus-4-20250514", "anthropic", "text", vision, claude,
               tokens(12, 60), day="2025-05-14", context_length=200000),
        record("claude-opus-4-1-20250805", "anthropic", "text", vision, claude,
               tokens(12, 60, ratio=7.5), day="2025-08-05", context_length=200000),
        record("claude-sonnet-4-5-20250929", "anthropic", "text", vision, claude,
               tokens(2.4, 12), day="2025-09-29", code="claude-sonnet-4-5",
               context_length="200000"),
        record("claude-haiku-4-5-20251001", "anthropic", "text", vision, claude,
               tokens(0.8, 4), day="2025-10-01", upcoming="false"),
        record("gemini-2.5-pro", "google", "text", reasoning, [CHAT], tokens(1, 8),
               day="2025-06-17", context_length=1048576, max_completion_tokens=65536),
        record("gemini-2.5-flash", "google", "text", reasoning, [CHAT], tokens(0.24, 2),
               day="2025-06-17", context_length=1048576),
        record("gemini-2.5-flash-lite", "google", "text", text, [CHAT], tokens(0.08, 0.32),
               day="2025-07-22"),
        record("gemini-2.0-flash", "google", "text", vision, [CHAT], tokens(0.08, 0.32),
               day="2025-02-05"),
        # a ratio and nothing else
        record("gemma-3-27b-it", "google", "text", text, [CHAT],
               {"currency": TOKENS, "ratio": 0.05}, day="2025-03-12"),
        record("deepseek-chat", "deepseek", "text", text, [CHAT], tokens(0.216, 0.88),
               day="2024-12-26"),
        record("deepseek-reasoner", "deepseek", "text", reasoning, [CHAT], tokens(0.44, 1.752),
               day="2025-01-20"),
        # the same id from two providers, with different codes
        record("deepseek-r1", "deepseek", "text", reasoning, [CHAT], tokens(0.44, 1.752),
               day="2025-01-20"),
        record("deepseek-r1", "siliconflow", "text", reasoning, [CHAT], tokens(0.4, 1.6),
               day="2025-02-10", code="deepseek-ai/DeepSeek-R1", name="DeepSeek R1 (SiliconFlow)"),
        record("deepseek-v3.1", "deepseek", "text", reasoning, [CHAT], tokens(0.448, 1.344),
               day="2025-08-21"),
        record("grok-4", "xai", "text", reasoning, [CHAT], tokens(2.4, 12), day="2025-07-09"),
        # an empty-string output price
        record("grok-3-mini", "xai", "text", reasoning, [CHAT], tokens(0.24, ""),
               day="2025-02-17"),
        record("grok-2-image", "xai", "image", ["text-to-image"], [IMAGES], per_request(0.056),
               day="2024-12-12"),
        # whitespace around a price, an upcoming flag as a number
        record("command-a-03-2025", "cohere", "text", text, [CHAT], tokens(" 2 ", 8),
               day="2025-03-13", upcoming=0),
        record("qwen-max", "qwen", "text", text, [CHAT], tokens(1.28, 5.12), day="2025-01-25",
               description="通义千问超大规模语言模型，适合复杂、多步骤的任务。"),
        record("qwen3-max", "qwen", "text", text, [CHAT], tokens(0.96, 4.8), day="2025-09-05"),
        record("qwen-image", "qwen", "image", ["text-to-image"], [IMAGES], per_request(0.028),
               day="2025-08-04"),
        record("llama-3.3-70b-instruct", "meta", "text", text, [CHAT], tokens(0.48, 0.48),
               day="2024-12-06"),
        # null pricing on an available model; created null
        record("llama-3.1-405b-instruct", "meta", "text", text, [CHAT], None,
               day="2024-07-23", created=None),
        record("mistral-large-latest", "mistral", "text", text, [CHAT], tokens(1.6, 4.8),
               day="2024-11-18"),
        record("kimi-k2-thinking", "moonshot", "text", reasoning, [CHAT], None,
               day="2025-11-06", upcoming=True, created=0),
        record("glm-4.6", "zhipu", "text", reasoning, [CHAT], tokens(0.48, 1.76),
               day="2025-09-30", tags=["hot", "new"], is_new=True),
        record("claude-opus-4-5-20251101", "anthropic", "text", vision, claude, None,
               day="2025-11-01", created=0, upcoming=True, published_at=None),
    ]
    # records with fields missing
    records.append({"id": "yi-lightning", "name": "Yi Lightning", "provider": "01.AI",
                    "model_type": "text", "pricing": tokens(0.08, 0.08)})
    records.append({"id": "glm-4-9b", "name": "GLM-4 9B"})
    # fmt: on
    return records


# The bulk of the catalog: (provider, model_type, ids). Prices, dates and shapes are drawn
# from random.Random(SEED), so the output is the same on every run.
# fmt: off
FAMILIES: list[tuple[str, str, str]] = [
    ("openai", "text", "gpt-4o-2024-05-13 gpt-4o-2024-08-06 gpt-4o-2024-11-20 "
     "gpt-4o-mini-2024-07-18 gpt-4-turbo gpt-4-turbo-2024-04-09 gpt-4 "
     "gpt-3.5-turbo gpt-3.5-turbo-0125 gpt-3.5-turbo-instruct "
     "gpt-4.1-2025-04-14 gpt-4.1-mini-2025-04-14 gpt-4.1-nano-2025-04-14 gpt-4.5-preview "
     "o1-mini o1-preview o1-pro o3-pro o3-deep-research o4-mini-deep-research "
     "o3-mini-2025-01-31 gpt-5-2025-08-07 gpt-5-mini-2025-08-07 gpt-5-nano-2025-08-07 "
     "gpt-5-codex gpt-5-pro gpt-oss-120b gpt-oss-20b codex-mini-latest "
     "gpt-4o-search-preview gpt-4o-mini-search-preview"),
    ("anthropic", "text", "claude-3-opus-20240229 claude-3-sonnet-20240229 "
     "claude-3-haiku-20240307 claude-3-5-sonnet-20240620 claude-3-5-sonnet-20241022 "
     "claude-3-5-sonnet-latest claude-3-7-sonnet-latest claude-3-7-sonnet-20250219-thinking "
     "claude-sonnet-4-20250514-thinking claude-opus-4-20250514-thinking "
     "claude-opus-4-1-20250805-thinking claude-sonnet-4-5-20250929-thinking"),
    ("google", "text", "gemini-1.5-pro gemini-1.5-flash gemini-2.0-flash-lite "
     "gemini-2.0-flash-exp gemini-2.0-flash-thinking-exp-01-21 gemini-2.5-pro-preview-05-06 "
     "gemini-2.5-pro-preview-06-05 gemini-2.5-flash-preview-05-20 "
     "gemini-2.5-flash-lite-preview-06-17 gemini-2.5-flash-preview-09-2025 "
     "gemini-3-pro-preview"),
    ("google", "image", "imagen-3.0-generate-002 imagen-4.0-ultra-generate-001 "
     "imagen-4.0-fast-generate-001 gemini-2.0-flash-exp-image-generation"),
    ("google", "video", "veo2 veo3-fast veo3-pro veo3.1-pro"),
    ("google", "embedding", "text-embedding-004 gemini-embedding-001"),
    ("deepseek", "text", "deepseek-v3 deepseek-coder deepseek-v3-0324 deepseek-r1-0528 "
     "deepseek-v3.1-terminus deepseek-v3.2-exp deepseek-r1-distill-qwen-32b "
     "deepseek-r1-distill-llama-70b"),
    ("xai", "text", "grok-2 grok-2-vision-1212 grok-3 grok-3-fast grok-3-mini-fast "
     "grok-3-deepersearch grok-4-0709 grok-4-fast-reasoning grok-4-fast-non-reasoning "
     "grok-code-fast-1"),
    ("meta", "text", "llama-3.1-8b-instruct llama-3.1-70b-instruct "
     "llama-3.2-11b-vision-instruct llama-3.2-90b-vision-instruct llama-3.2-3b-instruct "
     "llama-4-maverick llama-4-scout "
     ""),
    ("mistral", "text", "mistral-medium-latest mistral-small-latest "
     "open-mistral-nemo pixtral-large-latest magistral-medium-latest magistral-small-latest "
     "devstral-medium-latest ministral-8b-latest codestral-latest mistral-ocr-latest"),
    ("mistral", "embedding", "mistral-embed"),
    ("qwen", "text", "qwen-plus qwen-turbo qwen-long qwen-vl-max qwen-vl-plus "
     "qwen2.5-72b-instruct qwen2.5-coder-32b-instruct qwq-32b qwen3-32b "
     "qwen3-235b-a22b qwen3-coder-plus qwen3-next-80b-a3b-instruct qwen3-vl-plus"),
    ("qwen", "image", "qwen-image-edit wanx2.1-t2i-plus"),
    ("qwen", "video", "wan2.2-t2v-plus wan2.5-i2v-preview"),
    ("qwen", "embedding", "text-embedding-v3 text-embedding-v4"),
    ("moonshot", "text", "kimi-k2-0711-preview kimi-k2-0905-preview kimi-k2-turbo-preview "
     "moonshot-v1-8k moonshot-v1-128k kimi-latest"),
    ("zhipu", "text", "glm-4 glm-4-plus glm-4-flash glm-4-air glm-4.5 glm-4.5-air glm-4.5v"),
    ("zhipu", "image", "cogview-4"),
    ("zhipu", "video", "cogvideox-3"),
    ("zhipu", "embedding", "embedding-3"),
    ("bytedance", "text", "doubao-1-5-pro-32k doubao-1-5-pro-256k "
     "doubao-1-5-thinking-pro doubao-seed-1-6 doubao-seed-1-6-flash doubao-seed-1-6-thinking"),
    ("bytedance", "image", "doubao-seedream-3-0-t2i doubao-seedream-4-0 "
     "doubao-seededit-3-0-i2i"),
    ("bytedance", "video", "doubao-seedance-1-0-pro doubao-seedance-1-0-lite-t2v"),
    ("bytedance", "embedding", "doubao-embedding-large"),
    ("baidu", "text", "ernie-4.0-8k ernie-4.5-turbo-128k ernie-x1-turbo-32k"),
    ("tencent", "text", "hunyuan-turbos-latest hunyuan-t1-latest hunyuan-lite"),
    ("tencent", "video", "hunyuan-video"),
    ("cohere", "text", "command-r command-r-plus"),
    ("cohere", "embedding", "embed-english-v3.0 embed-multilingual-v3.0"),
    ("cohere", "rerank", "rerank-english-v3.0 rerank-v3.5"),
    ("perplexity", "text", "sonar sonar-pro sonar-reasoning sonar-reasoning-pro "
     "sonar-deep-research"),
    ("bfl", "image", "flux-1.1-pro flux-1.1-pro-ultra flux-pro flux-dev flux-schnell "
     "flux-kontext-pro flux-kontext-max"),
    ("stability", "image", "stable-diffusion-3.5-large stable-diffusion-3.5-medium "
     "stable-image-ultra stable-image-core sdxl"),
    ("ideogram", "image", "ideogram-v3 ideogram-v3-turbo ideogram-v2"),
    ("luma", "video", "luma-ray-2 luma-ray-flash-2"),
    ("luma", "image", "luma-photon"),
    ("pika", "video", "pika-2.2"),
    ("vidu", "video", "vidu-q1 vidu-2.0"),
    ("kling", "video", "kling-v1 kling-v1-5 kling-v2-master kling-v2-1 kling-v2-5-turbo "
     "kling_extend kling_effects"),
    ("kling", "image", "kling-image-v2"),
    ("runway", "video", "gen3a_turbo act_two upscale_v1 aleph"),
    ("runway", "image", "gen4_image"),
    ("midjourney", "image", "mj_fast_imagine mj_turbo_imagine mj_relax_imagine mj_upscale "
     "mj_variation mj_blend mj_describe mj_zoom "),
    ("midjourney", "video", "mj_video"),
    ("suno", "music", "chirp-v3-5 chirp-v4 chirp-v4-5 chirp-v4-5-plus chirp-v5 suno_concat "
     "suno_uploads"),
    ("suno", "text", "suno_lyrics"),
    ("minimax", "text", "MiniMax-M1 MiniMax-M2 MiniMax-Text-01 abab6.5s-chat"),
    ("minimax", "video", "T2V-01-Director I2V-01-live"),
    ("minimax", "image", "image-01"),
    ("jina", "embedding", "jina-embeddings-v3"),
    ("jina", "rerank", "jina-reranker-v2-base-multilingual"),
    ("baai", "embedding", "bge-m3 bge-large-en-v1.5"),
    ("01ai", "text", "yi-large"),
    ("nvidia", "text", "llama-3.1-nemotron-70b-instruct"),
    ("microsoft", "text", "phi-4 phi-4-multimodal-instruct"),
    ("amazon", "text", "nova-pro nova-lite nova-micro"),
    ("ai21", "text", "jamba-1.5-large"),
]
# fmt: on

TEXT_EXTRAS = ["function-calling", "vision", "reasoning", "json-mode", "web-search", "code"]
FEATURES = {
    "image": [["text-to-image"], ["text-to-image", "image-to-image"], ["image-editing"]],
    "video": [["text-to-video"], ["image-to-video"], ["text-to-video", "image-to-video"]],
    "embedding": [["text-embedding"]],
    "rerank": [["rerank"]],
    "music": [["text-to-music"], ["text-to-music", "lyrics"], ["music-extension"]],
}
TOKEN_PRICES = [0.04, 0.08, 0.12, 0.2, 0.4, 0.48, 0.8, 1.2, 1.6, 2, 2.4, 4, 8, 12, 16, 60]
IMAGE_PRICES = [0.008, 0.016, 0.024, 0.032, 0.04, 0.064, 0.08, 0.12]
VIDEO_SECOND_PRICES = [0.04, 0.08, 0.12, 0.16, 0.2, 0.4]
VIDEO_REQUEST_PRICES = [0.16, 0.2, 0.4, 0.8, 1.2, 2.0]
DESCRIPTIONS = {
    "text": [
        "{name} by {provider}: a general-purpose chat model.",
        "{name} from {provider}, tuned for reasoning and tool use.",
        "Fast, low-cost {name} for everyday text tasks.",
        "",
    ],
    "image": ["{name} by {provider} generates images from a prompt.", "{name}: image generation."],
    "video": ["{name} by {provider} turns a prompt or an image into a short clip.", ""],
    "embedding": ["{name}: text embeddings for search and clustering."],
    "rerank": ["{name}: reorders documents by relevance to a query."],
    "music": ["{name} by {provider}: songs with vocals from a prompt or lyrics."],
}


def bulk_endpoints(provider: str, model_type: str, model_id: str) -> list[dict[str, str]]:
    if model_type == "text":
        extra = {"openai": [RESPONSES], "anthropic": [MESSAGES]}.get(provider, [])
        return [CHAT, *extra]
    if model_type == "embedding":
        return [EMBEDDINGS]
    if model_type == "rerank":
        return [ep("/v1/rerank")]
    if model_type == "image":
        if provider == "midjourney":
            return [ep(f"/mj/submit/{model_id.split('_')[-1]}")]
        return [IMAGES]
    if model_type == "music":
        return [ep("/suno/submit/music"), ep("/suno/fetch/{task_id}", "GET")]
    paths = {
        "kling": "/kling/v1/videos/text2video",
        "runway": "/runwayml/v1/image_to_video",
        "midjourney": "/mj/submit/video",
        "minimax": "/minimax/v1/video_generation",
    }
    return [ep(paths.get(provider, "/v1/video/create")), ep("/v1/video/query", "GET")]


def bulk_pricing(rng: random.Random, model_type: str) -> dict[str, Any] | None:
    if rng.random() < 0.03:
        return None
    if model_type in ("text", "embedding", "rerank"):
        inp = rng.choice(TOKEN_PRICES[:6] if model_type != "text" else TOKEN_PRICES)
        out = None if model_type != "text" else round(inp * rng.choice([1, 2, 3, 4, 5, 8]), 6)
        pricing = tokens(inp, out)
        if rng.random() < 0.3:  # the upstream sync writes zeros rather than nulls here
            pricing.update(per_request=0, per_second=0)
        if rng.random() < 0.25:
            pricing["ratio"] = round(inp / 2, 6)
    elif model_type == "video" and rng.random() < 0.5:
        pricing = per_second(rng.choice(VIDEO_SECOND_PRICES))
    elif model_type == "video":
        pricing = per_request(rng.choice(VIDEO_REQUEST_PRICES))
    else:
        prices = IMAGE_PRICES if model_type == "image" else [0.06, 0.08, 0.1]
        pricing = per_request(rng.choice(prices), rng.choice(["USD", TOKENS]))
    if rng.random() < 0.04:  # some syncs send prices as strings
        pricing = {k: str(v) if isinstance(v, float) else v for k, v in pricing.items()}
    return pricing


def bulk_record(rng: random.Random, provider: str, model_type: str, model_id: str) -> dict:
    if model_type == "text":
        features: Any = ["text-to-text", *rng.sample(TEXT_EXTRAS, rng.randint(0, 3))]
    else:
        features = list(rng.choice(FEATURES[model_type]))
    if rng.random() < 0.06:
        features = None
    endpoints: Any = bulk_endpoints(provider, model_type, model_id)
    shape = rng.random()
    if shape < 0.12:
        endpoints = {provider: endpoints[0]}
    elif shape < 0.2:
        endpoints = json.dumps(endpoints)
    elif shape < 0.28:
        endpoints = None
    start = epoch("2023-01-01")
    created = rng.randrange(start, epoch("2025-11-01"), 86400)
    day = datetime.fromtimestamp(created, tz=timezone.utc).date().isoformat()
    rec = record(
        model_id, provider, model_type, features, endpoints, bulk_pricing(rng, model_type), day=day
    )
    template = rng.choice(DESCRIPTIONS[model_type])
    rec["description"] = template.format(name=rec["name"], provider=PROVIDERS[provider])
    if rng.random() < 0.15:
        rec["code"] = f"{provider}/{model_id}"
    if rng.random() < 0.07:
        rec["created"] = 0
    if rng.random() < 0.1:
        rec["api_doc_url"] = rng.choice([None, ""])
    if model_type == "text":
        rec["context_length"] = rng.choice([8192, 32768, 128000, 131072, 200000, 1048576])
        rec["max_completion_tokens"] = rng.choice([4096, 8192, 16384, 32768, 65536, None])
    if rng.random() < 0.2:
        rec["latest_model_name"] = rng.choice(["", None])
    if rng.random() < 0.1:
        rec["published_at"] = None
    if rng.random() < 0.05:
        rec["sort_order"] = rng.randint(1, 500)
    return rec


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    records = well_known()
    seen = {rec["id"] for rec in records}
    for provider, model_type, ids in FAMILIES:
        for model_id in ids.split():
            if model_id in seen:
                raise ValueError(f"{model_id} is listed twice")
            seen.add(model_id)
            records.append(bulk_record(rng, provider, model_type, model_id))
    # The real catalog comes grouped loosely by provider; shuffle so tests see no order.
    rng.shuffle(records)
    if not 310 <= len(records) <= 340:
        raise ValueError(f"{len(records)} records; the real catalog has 300 or so")
    return {"success": True, "page": 0, "page_size": 0, "total": len(records), "data": records}


def dumps(catalog: dict[str, Any]) -> str:
    """JSON with one record per line, so a diff of the fixture stays readable."""
    head = {k: v for k, v in catalog.items() if k != "data"}
    lines = [json.dumps(rec, ensure_ascii=False) for rec in catalog["data"]]
    return json.dumps(head)[:-1] + ', "data": [\n' + ",\n".join(lines) + "\n]}\n"


if __name__ == "__main__":
    catalog = build()
    OUTPUT.write_text(dumps(catalog), encoding="utf-8")
    print(f"wrote {catalog['total']} records to {OUTPUT}")
