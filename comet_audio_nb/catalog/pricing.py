"""What a catalog price means: the audio task, the pricing basis and comparable units.

CometAPI's catalog states prices in mixed units under one label ("USD / M Tokens"): speech
models like tts-1 are priced per million *characters* in ``input``, transcription models
per second of audio, media models per request or per second, text models per million
tokens. ``price_facts`` works out which, so that tables can show explicit units and
a normalised comparison price (USD per 1M characters for speech, per hour of audio for
transcription) where the unit allows it.

>>> from comet_audio_nb.catalog import parse_record
>>> facts = price_facts(parse_record({"id": "tts-1", "pricing": {"input": 12}}))
>>> facts.task, facts.priced_by, facts.usd_per_1m_chars
('speech', 'characters', 12.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import ModelRecord, _feature_key

__all__ = ["PriceFacts", "price_facts", "PRICED_BY", "AUDIO_TASKS", "CHARS_PER_TOKEN"]

# CometAPI's own advice for budgeting text: one token is about four characters.
CHARS_PER_TOKEN = 4
AUDIO_TASKS = ("speech", "transcription")
PRICED_BY = ("characters", "tokens", "second", "request")
UNITS = {
    "characters": "1M characters",
    "tokens": "1M tokens",
    "second": "second",
    "request": "request",
}

_SPEECH_FEATURES = frozenset(
    {"text-to-speech", "speech-synthesis", "tts", "audio-output", "voice-synthesis"}
)
_TRANSCRIBE_FEATURES = frozenset(
    {
        "speech-to-text",
        "speech-recognition",
        "audio-transcription",
        "audio-translation",
        "audio-to-text",
        "transcription",
        "stt",
        "asr",
    }
)
_WORD = r"(?:^|[/_.:-]){}(?:$|[/_.:-])"
_SPEECH_ID = re.compile(_WORD.format("tts"), re.IGNORECASE)
_TRANSCRIBE_ID = re.compile(_WORD.format("(?:whisper|transcribe|asr|stt)"), re.IGNORECASE)
_CURRENCY_CODE = re.compile(r"\s*([A-Z]{3})\b")  # "USD / M Tokens", "CNY", not "per ..."


@dataclass(frozen=True)
class PriceFacts:
    """Derived pricing of one model (all prices in ``money``, e.g. "USD").

    ``priced_by`` is the basis that the model's main price uses: "characters" (per 1M
    characters, tts-1 style), "tokens" (per 1M tokens), "second" or "request"; None when
    the catalog gives no price. ``price`` is that main price, in ``price_unit``.
    """

    is_audio: bool  # ModelRecord.is_audio
    task: str | None  # "speech", "transcription" or None (not an audio model)
    priced_by: str | None
    price: float | None
    price_unit: str | None  # "USD / 1M characters", "USD / second", ...
    money: str
    usd_per_1m_chars: float | None  # speech models priced per character
    usd_per_audio_hour: float | None  # transcription models priced per second


def audio_task(record: ModelRecord, is_audio: bool | None = None) -> str | None:
    """ "speech" or "transcription" for audio models (whatever their tags say), else None."""
    if not (record.is_audio if is_audio is None else is_audio):
        return None
    paths = " ".join((e["path"] or "").lower() for e in record.endpoints)
    if "/audio/speech" in paths:
        return "speech"
    if "/audio/transcriptions" in paths or "/audio/translations" in paths:
        return "transcription"
    features = {_feature_key(f) for f in record.features}
    if features & _SPEECH_FEATURES:
        return "speech"
    if features & _TRANSCRIBE_FEATURES:
        return "transcription"
    for text in (record.id, record.code):
        if text and _SPEECH_ID.search(text):
            return "speech"
        if text and _TRANSCRIBE_ID.search(text):
            return "transcription"
    return None


def price_facts(record: ModelRecord) -> PriceFacts:
    """The pricing basis, main price and comparable prices of one record."""
    is_audio = record.is_audio
    task = audio_task(record, is_audio)
    pricing = record.pricing
    money = _money(pricing.currency if pricing else None)
    if pricing is None:
        return PriceFacts(is_audio, task, None, None, None, money, None, None)
    slots = {
        "input": pricing.input,
        "output": pricing.output,
        "per_request": pricing.per_request,
        "per_second": pricing.per_second,
    }
    listed = {name for name, value in slots.items() if value is not None}
    # A zero beside a real price means "not charged that way" (the catalog pads with 0s);
    # a model whose every listed price is 0 is judged by what is listed.
    charged = {name for name in listed if slots[name] > 0} or listed
    basis = _basis(charged, task, pricing.currency)
    if basis is None:
        return PriceFacts(is_audio, task, None, None, None, money, None, None)
    if basis in ("characters", "tokens"):
        price = pricing.input if pricing.input is not None else pricing.output
    else:
        price = pricing.per_second if basis == "second" else pricing.per_request
    usd = money == "USD"
    per_1m_chars = price if usd and task == "speech" and basis == "characters" else None
    per_hour = (
        pricing.per_second * 3600
        if usd and task == "transcription" and basis == "second" and pricing.per_second is not None
        else None
    )
    return PriceFacts(
        is_audio, task, basis, price, f"{money} / {UNITS[basis]}", money, per_1m_chars, per_hour
    )


def _basis(charged: set[str], task: str | None, currency: str | None) -> str | None:
    if not charged:
        return None
    if task == "transcription" and "per_second" in charged:
        return "second"
    if charged & {"input", "output"}:
        by_chars = "char" in (currency or "").lower()
        # tts-1 and its kind: one "input" price, per million characters, no output price
        if task == "speech" and "input" in charged and "output" not in charged:
            by_chars = True
        return "characters" if by_chars else "tokens"
    return "second" if "per_second" in charged else "request"


def _money(currency: str | None) -> str:
    """The currency code in a label like "USD / M Tokens" (CometAPI prices in USD)."""
    match = _CURRENCY_CODE.match(currency or "")
    return match.group(1) if match else "USD"
