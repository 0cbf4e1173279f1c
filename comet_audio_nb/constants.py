"""The API's vocabulary and limits in one place: formats, voices, defaults, rates, timeouts.

Both sides of the wire read these: the clients (what they send and check), the notebook
layer (what it offers) and the built-in engine (what it accepts). See
``shared/cometapi.md`` for where each comes from.
"""

from __future__ import annotations

# -- text to speech -------------------------------------------------------------------------
SPEECH_FORMATS: tuple[str, ...] = ("mp3", "opus", "aac", "flac", "wav", "pcm")
# response_format -> the Content-Type the service answers with
SPEECH_CONTENT_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}
# response_format -> what a browser is told it is (opus speech is Ogg; pcm is wrapped as WAV)
PLAYER_MIME: dict[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/wav",
}
SPEECH_MODELS: tuple[str, ...] = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
# How speech is streamed: the audio bytes as they are made, or Server-Sent Events
# (speech.audio.delta / speech.audio.done), which tts-1 and tts-1-hd do not offer.
STREAM_FORMATS: tuple[str, ...] = ("audio", "sse")
DEFAULT_STREAM_FORMAT = "audio"
# Models that ignore ``instructions`` and cannot answer SSE (the service decides; a hint explains).
CLASSIC_SPEECH_MODELS: frozenset[str] = frozenset({"tts-1", "tts-1-hd"})
# OpenAI's voice names, which CometAPI passes through. The API has no voice list to ask,
# so this is what widgets suggest and the built-in engine speaks; other names still go out.
VOICES: tuple[str, ...] = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer",
    "verse", "marin", "cedar",
)  # fmt: skip
DEFAULT_SPEECH_MODEL = "tts-1"
DEFAULT_VOICE = "alloy"
DEFAULT_SPEECH_FORMAT = "mp3"
MIN_SPEED, MAX_SPEED = 0.25, 4.0
MAX_SPEECH_CHARS = 4096
PCM_SAMPLE_RATE = 24_000  # pcm: raw signed 16-bit little-endian mono, no header

# -- speech to text -------------------------------------------------------------------------
# Every transcription model family answers these; the built-in engine serves exactly these.
TRANSCRIPT_FORMATS: tuple[str, ...] = ("json", "text", "srt", "verbose_json", "vtt")
# Only gpt-4o-transcribe-diarize answers this one (segments with speakers). The clients
# accept every format; the built-in engine does not diarize.
DIARIZED_FORMAT = "diarized_json"
ALL_TRANSCRIPT_FORMATS: tuple[str, ...] = (*TRANSCRIPT_FORMATS, DIARIZED_FORMAT)
GRANULARITIES: tuple[str, ...] = ("segment", "word")
TRANSCRIBE_MODELS: tuple[str, ...] = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")
TRANSLATE_MODELS: tuple[str, ...] = ("whisper-1",)
# The gpt-4o transcribe models answer only json or text (no timestamps).
JSON_TEXT_ONLY_MODELS: frozenset[str] = frozenset({"gpt-4o-transcribe", "gpt-4o-mini-transcribe"})
DEFAULT_TRANSCRIBE_MODEL = "whisper-1"
# Models that answer ``stream=true`` with transcript events (whisper-1 ignores it).
STREAMING_TRANSCRIBE_MODELS: tuple[str, ...] = (
    "gpt-4o-mini-transcribe", "gpt-4o-transcribe", "gpt-4o-transcribe-diarize",
)  # fmt: skip
# Speaker labels: this model, response_format diarized_json, chunking_strategy (needed
# for inputs over 30 s, so "auto" is sent unless one is given), known speakers.
DIARIZE_MODEL = "gpt-4o-transcribe-diarize"
DEFAULT_CHUNKING_STRATEGY = "auto"
MAX_KNOWN_SPEAKERS = 4
KNOWN_SPEAKER_SECONDS = (2.0, 10.0)  # each reference clip's length
# include[]=logprobs: with response_format json and these models only.
LOGPROB_MODELS: frozenset[str] = frozenset({"gpt-4o-transcribe", "gpt-4o-mini-transcribe"})
TRANSCRIBE_INCLUDES: tuple[str, ...] = ("logprobs",)
UPLOAD_FORMATS: tuple[str, ...] = (
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
# file extension -> MIME type sent with an upload
UPLOAD_MIME: dict[str, str] = {
    "flac": "audio/flac",
    "mp3": "audio/mpeg",
    "mp4": "audio/mp4",
    "mpeg": "audio/mpeg",
    "mpga": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "opus": "audio/ogg",
    "wav": "audio/wav",
    "webm": "audio/webm",
}
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # 26,214,400: the service's upload limit per file

# -- requests -------------------------------------------------------------------------------
DEFAULT_BASE_URL = "https://api.cometapi.com/v1"
CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 120.0  # long audio takes a while to transcribe
WRITE_TIMEOUT = 120.0  # large uploads
POOL_TIMEOUT: float | None = None  # waiting for a free connection: queue, never fail
DEFAULT_MAX_RETRIES = 2
CATALOG_PAGE_CONCURRENCY = 8
DEFAULT_CONCURRENCY = 4  # requests in flight at once for batches and long media
