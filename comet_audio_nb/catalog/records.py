"""Records of CometAPI's public model catalog (``GET /api/models``), parsed liberally."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from types import MappingProxyType
from typing import Any

__all__ = ["ModelRecord", "Pricing", "parse_record", "parse_records"]

# Fields that ModelRecord holds as attributes; every other field of a record goes to `extra`.
_KNOWN_FIELDS = frozenset(
    {
        "id",
        "code",
        "name",
        "description",
        "provider",
        "provider_code",
        "model_type",
        "features",
        "endpoints",
        "pricing",
        "created",
        "upcoming",
        "api_doc_url",
    }
)

# The catalog does not tag every speech model as "audio"; these are the other signs of one.
_AUDIO_MODEL_TYPES = frozenset({"audio", "speech", "tts", "stt", "asr", "transcription"})
_AUDIO_FEATURES = frozenset(
    {
        "text-to-speech",
        "speech-to-text",
        "speech-synthesis",
        "speech-recognition",
        "audio-transcription",
        "audio-translation",
        "audio-to-text",
        "transcription",
        "tts",
        "stt",
        "asr",
    }
)
# whisper-1, tts-1-hd, gpt-4o-mini-tts, gpt-4o-transcribe, openai/whisper-large-v3, ...
_AUDIO_ID = re.compile(r"(?:^|[/_.:-])(?:whisper|tts|transcribe)(?:$|[/_.:-])", re.IGNORECASE)

_SEPARATORS = re.compile(r"[\s_]+")
_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "on"})
_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:e[+-]?\d+)?|[+-]?\.\d+(?:e[+-]?\d+)?",
    re.IGNORECASE,
)
# Epoch values above this are taken as milliseconds (it is the year 5138 in seconds).
_MAX_EPOCH_SECONDS = 1e11
_MAX_JSON_DEPTH = 3


@dataclass(frozen=True)
class Pricing:
    """Prices of one model as the catalog states them (CometAPI's price, not the vendor's).

    Token prices are per million tokens (per million characters for tts-1 and its kind);
    ``per_second`` and ``per_request`` price media and speech models. Missing or unreadable
    prices are None, never 0.

    >>> Pricing(currency="USD / M Tokens", input=12.0, output=None,
    ...         per_request=None, per_second=None).input
    12.0
    """

    currency: str | None  # a unit label like "USD / M Tokens", not an ISO code
    input: float | None
    output: float | None
    per_request: float | None
    per_second: float | None
    ratio: float | None = None


@dataclass(frozen=True)
class ModelRecord:
    """One model of the catalog; send ``id`` as the ``model`` of a request.

    >>> record = parse_record({"id": "tts-1", "model_type": "audio"})
    >>> record.id, record.is_audio
    ('tts-1', True)
    """

    id: str
    code: str | None
    name: str | None
    description: str | None = field(repr=False)
    provider: str | None
    provider_code: str | None
    model_type: str | None
    features: tuple[str, ...]
    # Each entry has at least "path" and "method" (either may be None); other keys are kept.
    endpoints: tuple[dict[str, Any], ...] = field(hash=False)
    pricing: Pricing | None
    created: datetime | None  # UTC
    upcoming: bool
    api_doc_url: str | None
    extra: Mapping[str, Any] = field(hash=False, repr=False)
    raw: Mapping[str, Any] = field(hash=False, repr=False, compare=False)

    @property
    def is_audio(self) -> bool:
        """True for speech and transcription models, whether or not the catalog tags them so.

        Music generation (Suno and the like) does not count: it has its own endpoints.
        """
        if self.model_type in _AUDIO_MODEL_TYPES:
            return True
        if any(_feature_key(feature) in _AUDIO_FEATURES for feature in self.features):
            return True
        if any("/audio/" in (endpoint["path"] or "").lower() for endpoint in self.endpoints):
            return True
        return any(_AUDIO_ID.search(text) for text in (self.id, self.code) if text)


def parse_record(raw: Mapping[str, Any]) -> ModelRecord:
    """Parse one catalog record, reading numbers, flags and lists in whatever shape they come.

    Raises ValueError only when there is no usable ``id`` (or no object); every other unreadable
    field becomes None (or empty).

    >>> record = parse_record({"id": "tts-1", "pricing": {"input": "12"}, "created": 0})
    >>> record.pricing.input, record.created
    (12.0, None)
    """
    if not isinstance(raw, Mapping):
        raise ValueError(f"record is {_kind(raw)}, not an object")
    model_id = _text(raw.get("id"))
    if model_id is None:
        raise ValueError(f"record has no usable id (id={_short(raw.get('id'))})")
    model_type = _text(raw.get("model_type"))
    return ModelRecord(
        id=model_id,
        code=_text(raw.get("code")),
        name=_text(raw.get("name")),
        description=_text(raw.get("description")),
        provider=_text(raw.get("provider")),
        provider_code=_text(raw.get("provider_code")),
        model_type=model_type.lower() if model_type else None,
        features=_features(raw.get("features")),
        endpoints=_endpoints(raw.get("endpoints")),
        pricing=_pricing(raw.get("pricing")),
        created=_timestamp(raw.get("created")),
        upcoming=_flag(raw.get("upcoming")),
        api_doc_url=_text(raw.get("api_doc_url")),
        extra=MappingProxyType({k: v for k, v in raw.items() if k not in _KNOWN_FIELDS}),
        raw=MappingProxyType(dict(raw)),
    )


def parse_records(items: Iterable[Any]) -> tuple[list[ModelRecord], list[str]]:
    """Parse the ``data`` list of a catalog response, skipping records that cannot be used.

    Returns the records and one line per skipped record; it never raises.

    >>> records, problems = parse_records([{"id": "whisper-1"}, {"name": "no id"}, 7])
    >>> [record.id for record in records]
    ['whisper-1']
    >>> problems[1]
    'record 2: record is an int, not an object'
    """
    if items is None or isinstance(items, (str, bytes, Mapping)):
        return [], [f"expected a list of records, got {_kind(items)}"]
    try:
        iterator = iter(items)
    except TypeError:
        return [], [f"expected a list of records, got {_kind(items)}"]
    records: list[ModelRecord] = []
    problems: list[str] = []
    for index, item in enumerate(iterator):
        try:
            records.append(parse_record(item))
        except ValueError as error:
            problems.append(f"record {index}: {error}")
    return records, problems


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _text(value: Any) -> str | None:
    """A stripped non-empty string; numbers become strings, anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _number(value: Any) -> float | None:
    """A finite, non-negative float from a number or a string like " 3 ", "$12", "1,200.5"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().removeprefix("$").strip()
        if text[-3:].upper() == "USD":
            text = text[:-3].strip()
        if not _NUMBER.fullmatch(text):
            return None
        value = text.replace(",", "")
    if not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    # A negative or infinite price is garbage; None lets cost estimates say "unknown".
    return number if math.isfinite(number) and number >= 0 else None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_WORDS
    if isinstance(value, (bool, int)):
        return bool(value)
    if isinstance(value, float):
        return math.isfinite(value) and value != 0
    return False


def _timestamp(value: Any) -> datetime | None:
    """UTC time from epoch seconds (or milliseconds) or an ISO string; 0 and garbage are None."""
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                return moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc)
        except (OverflowError, ValueError):
            return None
    seconds = _number(value)
    if not seconds:
        return None
    if seconds > _MAX_EPOCH_SECONDS:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _decoded(value: Any, depth: int) -> Any:
    """The value itself, or what a JSON-encoded list/object string holds."""
    if isinstance(value, str) and depth < _MAX_JSON_DEPTH and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def _features(value: Any, depth: int = 0) -> tuple[str, ...]:
    value = _decoded(value, depth)
    if isinstance(value, str):
        if value.strip()[:1] in ("[", "{"):
            return ()
        items: Iterable[Any] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return ()
    features: dict[str, None] = {}
    for item in items:
        if isinstance(item, str) and item.strip()[:1] in ("[", "{"):
            nested = _features(item, depth + 1)
        else:
            text = _text(item)
            nested = (text,) if text else ()
        features.update(dict.fromkeys(nested))
    return tuple(features)


@lru_cache(maxsize=4096)  # a catalog has few distinct features, spelt the same way often
def _feature_key(feature: str) -> str:
    return _SEPARATORS.sub("-", feature.strip().lower())


def _endpoints(value: Any, depth: int = 0) -> tuple[dict[str, Any], ...]:
    value = _decoded(value, depth)
    if isinstance(value, str):
        if value.strip()[:1] in ("[", "{"):
            return ()
        return tuple(e for part in value.split(",") if (e := _endpoint_from_text(part)))
    if isinstance(value, Mapping):
        if "path" in value or "method" in value:
            endpoint = _endpoint_from_mapping(value)
            return (endpoint,) if endpoint else ()
        return tuple(e for key, item in value.items() for e in _keyed_endpoints(key, item))
    if isinstance(value, (list, tuple)):
        found: list[dict[str, Any]] = []
        for item in value:
            if isinstance(item, Mapping):
                endpoint = _endpoint_from_mapping(item)
                if endpoint:
                    found.append(endpoint)
            elif isinstance(item, str):
                found.extend(_endpoints(item, depth + 1))
        return tuple(found)
    return ()


def _keyed_endpoints(key: Any, item: Any) -> list[dict[str, Any]]:
    """Endpoints from one entry of an object: {"openai": {...}}, {"/v1/x": "POST"}, ..."""
    key_text = _text(key)
    is_path = bool(key_text) and key_text.startswith("/")
    if isinstance(item, Mapping):
        endpoint = _endpoint_from_mapping(item)
        if endpoint is None:
            return []
        if is_path and endpoint["path"] is None:
            endpoint["path"] = key_text
        elif not is_path and key_text:
            endpoint.setdefault("type", key_text)
        return [endpoint]
    if isinstance(item, (list, tuple)):
        if is_path:
            return [{"path": key_text, "method": m} for m in map(_method, item) if m]
        return [
            endpoint | ({"type": key_text} if key_text and "type" not in endpoint else {})
            for endpoint in _endpoints(item, _MAX_JSON_DEPTH)
        ]
    text = _text(item)
    if is_path:
        return [{"path": key_text, "method": _method(text)}]
    if text and text.startswith("/"):
        return [{"path": text, "method": None, **({"type": key_text} if key_text else {})}]
    return []


def _endpoint_from_mapping(item: Mapping[Any, Any]) -> dict[str, Any] | None:
    endpoint = {str(key): value for key, value in item.items()}
    path = _text(endpoint.get("path")) or _text(endpoint.get("url"))
    endpoint["path"] = path
    endpoint["method"] = _method(endpoint.get("method"))
    if path is None and endpoint["method"] is None and len(endpoint) == 2:
        return None
    return endpoint


def _endpoint_from_text(text: str) -> dict[str, Any] | None:
    """One endpoint from text such as "POST /v1/audio/speech", "/v1/audio/speech" or "POST"."""
    words = text.split()
    if not words:
        return None
    if len(words) >= 2 and not words[0].startswith("/"):
        return {"path": " ".join(words[1:]), "method": _method(words[0])}
    if words[0].startswith("/"):
        return {"path": " ".join(words), "method": None}
    return {"path": None, "method": _method(words[0])}


def _method(value: Any) -> str | None:
    text = _text(value)
    return text.upper() if text and not isinstance(value, (int, float)) else None


def _pricing(value: Any) -> Pricing | None:
    value = _decoded(value, 0)
    if not isinstance(value, Mapping):
        return None
    pricing = Pricing(
        currency=_text(value.get("currency")),
        input=_number(value.get("input")),
        output=_number(value.get("output")),
        per_request=_number(value.get("per_request")),
        per_second=_number(value.get("per_second")),
        ratio=_number(value.get("ratio")),
    )
    return None if pricing == Pricing(None, None, None, None, None) else pricing
