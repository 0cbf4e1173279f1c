"""Parsing records of the public model catalog: the fixture, every odd shape, and fuzzing."""

from __future__ import annotations

import importlib.util
import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comet_audio_nb.catalog import ModelRecord, Pricing, parse_record, parse_records

DATA = Path(__file__).parent / "data"

# Every speech/transcription model in catalog.json; fewer than half are tagged "audio".
AUDIO_IDS = {
    "tts-1",
    "tts-1-hd",
    "gpt-4o-mini-tts",
    "gpt-4o-mini-tts-2025-03-20",
    "whisper-1",
    "gpt-4o-transcribe",
    "gpt-4o-mini-transcribe",
    "gpt-4o-transcribe-diarize",
    "whisper-large-v3",
    "whisper-large-v3-turbo",
    "gemini-2.5-flash-preview-tts",
    "gemini-2.5-pro-preview-tts",
    "eleven_multilingual_v2",
    "eleven_turbo_v2_5",
    "eleven_flash_v2_5",
    "eleven_v3",
    "scribe_v1",
    "speech-02-hd",
    "speech-02-turbo",
    "speech-2.5-hd-preview",
    "qwen3-tts-flash",
    "qwen3-asr-flash",
    "voxtral-mini-latest",
}


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return json.loads((DATA / "catalog.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records(catalog: dict[str, Any]) -> list[ModelRecord]:
    parsed, problems = parse_records(catalog["data"])
    assert problems == []
    return parsed


@pytest.fixture(scope="module")
def by_id(records: list[ModelRecord]) -> dict[str, ModelRecord]:
    # deepseek-r1 appears twice; tests that care look at `records`
    return {record.id: record for record in records}


def price(value: Any) -> float | None:
    """What parse_record makes of `value` given as an input price."""
    pricing = parse_record({"id": "m", "pricing": {"input": value}}).pricing
    return pricing.input if pricing else None


# --- the fixture ---------------------------------------------------------------------------


def test_fixture_is_a_whole_catalog_envelope(catalog):
    assert catalog["success"] is True
    assert (catalog["page"], catalog["page_size"]) == (0, 0)
    assert catalog["total"] == len(catalog["data"])
    assert 310 <= catalog["total"] <= 340


def test_every_fixture_record_parses_without_problems(catalog, records):
    assert len(records) == catalog["total"]
    assert {r.model_type for r in records} >= {"text", "image", "video", "audio", "embedding"}
    assert {"music", None} <= {r.model_type for r in records}
    assert len({r.provider_code for r in records}) >= 30


def test_fixture_is_exactly_what_make_catalog_writes():
    spec = importlib.util.spec_from_file_location("make_catalog", DATA / "make_catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (DATA / "catalog.json").read_text(encoding="utf-8")
    assert module.dumps(module.build()) == written


# --- is_audio ------------------------------------------------------------------------------


def test_is_audio_finds_exactly_the_speech_models(records):
    assert {r.id for r in records if r.is_audio} == AUDIO_IDS


def test_is_audio_finds_models_not_tagged_audio(by_id):
    untagged = {i for i in AUDIO_IDS if by_id[i].model_type != "audio"}
    assert len(untagged) >= 10
    # found by id alone: no type, no features, no endpoints to go on
    assert by_id["gpt-4o-mini-transcribe"].features == ()
    assert by_id["gpt-4o-mini-transcribe"].endpoints == ()
    assert by_id["whisper-large-v3"].features == ()
    # found by an endpoint alone: model_type missing, features null
    assert by_id["gpt-4o-transcribe"].model_type is None
    assert by_id["scribe_v1"].features == ()
    # found by a feature spelt with underscores / spaces
    assert by_id["speech-02-hd"].is_audio
    assert by_id["qwen3-asr-flash"].is_audio


@pytest.mark.parametrize(
    "model_id", ["suno_music", "chirp-v4", "music-1.5", "veo3.1", "gpt-4o", "dall-e-3"]
)
def test_music_and_other_media_models_are_not_audio(by_id, model_id):
    assert not by_id[model_id].is_audio


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"model_type": "AUDIO"}, True),
        ({"features": ["Text To Speech"]}, True),
        ({"endpoints": [{"path": "/v1/Audio/Speech"}]}, True),
        ({"id": "openai/whisper-large-v3"}, True),
        ({"id": "fish-tts-v2"}, True),
        ({"id": "m", "code": "gpt-4o-transcribe"}, True),
        ({"id": "whisperer-7b"}, False),
        ({"id": "gpt-4o-audio-notes", "features": ["text-to-music"]}, False),
        ({"endpoints": "/suno/submit/music"}, False),
    ],
)
def test_is_audio_signals(fields, expected):
    assert parse_record({"id": "m", **fields}).is_audio is expected


# --- audio prices --------------------------------------------------------------------------


def test_speech_models_carry_cometapi_prices(by_id):
    assert by_id["tts-1"].pricing.input == 12
    assert by_id["tts-1-hd"].pricing.input == 24
    assert by_id["tts-1"].pricing.currency == "USD / M Tokens"
    mini = by_id["gpt-4o-mini-tts"].pricing
    assert (mini.input, mini.output) == (0.48, 9.6)


def test_transcription_models_carry_per_second_prices(by_id):
    # $0.006 a minute upstream, 0.8x through CometAPI
    assert by_id["whisper-1"].pricing.per_second * 60 == pytest.approx(0.006 * 0.8)
    assert by_id["whisper-1"].pricing.input is None
    assert by_id["gpt-4o-mini-transcribe"].pricing.per_second == pytest.approx(0.00004)


# --- the odd cases in the fixture ----------------------------------------------------------


def test_null_pricing_is_none(by_id):
    assert by_id["omni-moderation-latest"].pricing is None
    assert by_id["llama-3.1-405b-instruct"].pricing is None


def test_string_prices_become_floats(by_id):
    chatgpt = by_id["chatgpt-4o-latest"].pricing
    assert (chatgpt.input, chatgpt.output) == (4.0, 12.0)  # "4", "12"
    assert by_id["command-a-03-2025"].pricing.input == 2.0  # " 2 "
    assert by_id["recraftv3"].pricing.per_request == 0.032  # "$0.032"
    assert by_id["grok-3-mini"].pricing.output is None  # ""
    assert by_id["speech-02-hd"].pricing.input == 80.0  # "80"


def test_zero_prices_stay_zero_and_missing_ones_are_none(by_id):
    image = by_id["gpt-image-1"].pricing
    assert image.per_request == 0.0
    assert image.per_second is None


def test_pricing_with_only_a_ratio(by_id):
    assert by_id["gemma-3-27b-it"].pricing == Pricing(
        "USD / M Tokens", None, None, None, None, 0.05
    )
    assert by_id["gpt-4o"].pricing.ratio == 1.25


def test_media_models_priced_per_request_or_per_second(by_id):
    imagine = by_id["mj_imagine"].pricing
    assert (imagine.per_request, imagine.input, imagine.output) == (0.04, None, None)
    assert by_id["suno_music"].pricing.per_request == 0.08
    assert by_id["sora-2"].pricing.per_second == 0.08
    assert by_id["veo3.1"].pricing.per_second == 0.32  # given as "0.32"


def test_same_id_from_two_providers_gives_two_records(records):
    twins = [r for r in records if r.id == "deepseek-r1"]
    assert {r.provider_code for r in twins} == {"deepseek", "siliconflow"}
    assert {r.code for r in twins} == {"deepseek-r1", "deepseek-ai/DeepSeek-R1"}


def test_code_is_kept_as_given_and_not_filled_from_id(by_id):
    assert by_id["suno_music"].code == "chirp-v4"
    assert by_id["claude-sonnet-4-5-20250929"].code == "claude-sonnet-4-5"
    assert by_id["glm-4-9b"].code is None


def test_record_with_most_fields_missing(by_id):
    bare = by_id["glm-4-9b"]
    assert (bare.name, bare.provider, bare.model_type, bare.pricing) == (
        "GLM-4 9B",
        None,
        None,
        None,
    )
    assert (bare.features, bare.endpoints, bare.created, bare.upcoming) == ((), (), None, False)
    assert dict(bare.extra) == {}


def test_features_shapes(by_id):
    assert by_id["tts-1"].features == ("text-to-speech",)
    assert by_id["gpt-4o-mini-transcribe"].features == ()  # []
    assert by_id["gpt-4o-transcribe"].features == ()  # null
    assert by_id["speech-02-hd"].features == ("text_to_speech", "voice_clone")  # "a, b"


def test_model_type_missing_or_capitalised(by_id):
    assert by_id["gpt-4o-transcribe"].model_type is None
    assert "model_type" not in by_id["gpt-4o-transcribe"].raw
    assert by_id["eleven_flash_v2_5"].model_type == "audio"


def test_endpoint_shapes(by_id):
    speech = {"path": "/v1/audio/speech", "method": "POST"}
    assert by_id["tts-1"].endpoints == (speech,)
    assert by_id["gpt-4o-mini-tts"].endpoints == (speech,)  # a JSON-encoded string
    assert by_id["eleven_multilingual_v2"].endpoints == (speech,)  # {"/v1/audio/speech": "POST"}
    assert by_id["gpt-4o-transcribe"].endpoints == (
        {"path": "/v1/audio/transcriptions", "method": "POST", "type": "openai"},
    )
    assert by_id["scribe_v1"].endpoints == ({"path": "/v1/audio/transcriptions", "method": "POST"},)
    assert by_id["mj_imagine"].endpoints == (
        {"path": "/mj/submit/imagine", "method": "POST"},
        {"path": "/mj/task/{id}/fetch", "method": "GET"},
    )
    assert by_id["whisper-large-v3"].endpoints == ()  # null


def test_created_is_utc_or_none(by_id):
    assert by_id["tts-1"].created == datetime(2023, 11, 6, tzinfo=timezone.utc)
    assert by_id["claude-3-5-haiku-20241022"].created == datetime(2024, 10, 22, tzinfo=timezone.utc)
    assert by_id["eleven_v3"].created is None  # 0
    assert by_id["llama-3.1-405b-instruct"].created is None  # null


def test_upcoming_flags(by_id, records):
    assert by_id["eleven_v3"].upcoming is True
    assert by_id["claude-haiku-4-5-20251001"].upcoming is False  # "false"
    assert by_id["command-a-03-2025"].upcoming is False  # 0
    assert {r.id for r in records if r.upcoming} == {
        "eleven_v3",
        "kimi-k2-thinking",
        "claude-opus-4-5-20251101",
    }


def test_unknown_and_secondary_fields_go_to_extra_as_given(by_id):
    glm = by_id["glm-4.6"]
    assert glm.extra["tags"] == ["hot", "new"]
    assert glm.extra["is_new"] is True
    assert by_id["claude-sonnet-4-5-20250929"].extra["context_length"] == "200000"
    assert by_id["gpt-4o"].extra["max_completion_tokens"] == 16384
    assert set(by_id["gpt-4o"].extra) == {
        "context_length",
        "max_completion_tokens",
        "latest_model_name",
        "published_at",
    }


def test_raw_is_the_record_as_received(catalog, records):
    assert [dict(r.raw) for r in records] == catalog["data"]


def test_non_ascii_text_is_kept(by_id):
    assert by_id["qwen-max"].description.startswith("通义千问")


def test_records_are_hashable_and_read_only(by_id):
    record = by_id["tts-1"]
    assert hash(record) == hash(parse_record(dict(record.raw)))
    with pytest.raises(TypeError):
        record.extra["x"] = 1  # type: ignore[index]


# --- liberal reading, one shape at a time --------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (2.5, 2.5),
        (3, 3.0),
        ("2.5", 2.5),
        (" 3 ", 3.0),
        ("$12", 12.0),
        ("$ 12", 12.0),
        ("12 USD", 12.0),
        ("1,200.5", 1200.5),
        ("1e-4", 0.0001),
        (".5", 0.5),
        ("", None),
        ("   ", None),
        ("abc", None),
        ("1,5", None),
        ("nan", None),
        ("inf", None),
        ("1e400", None),
        (float("nan"), None),
        (float("inf"), None),
        (10**400, None),
        (-1, None),
        ("-0.5", None),
        (True, None),
        ([1], None),
        ({"value": 1}, None),
    ],
)
def test_prices_read_liberally(given, expected):
    assert price(given) == expected


def test_pricing_given_as_json_string():
    pricing = parse_record({"id": "m", "pricing": '{"currency": "USD", "per_second": "0.1"}'})
    assert pricing.pricing == Pricing("USD", None, None, None, 0.1)


@pytest.mark.parametrize("given", [None, {}, [], "free", 12, {"currency": None, "input": ""}])
def test_pricing_without_anything_usable_is_none(given):
    assert parse_record({"id": "m", "pricing": given}).pricing is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        (" TRUE ", True),
        ("yes", True),
        ("1", True),
        ("false", False),
        ("0", False),
        ("", False),
        ("maybe", False),
        (1, True),
        (0, False),
        (None, False),
        ([True], False),
    ],
)
def test_upcoming_read_liberally(given, expected):
    assert parse_record({"id": "m", "upcoming": given}).upcoming is expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"openai": {"path": "/v1/chat/completions", "method": "POST"}},
            [{"path": "/v1/chat/completions", "method": "POST", "type": "openai"}],
        ),
        ({"/v1/audio/speech": "POST"}, [{"path": "/v1/audio/speech", "method": "POST"}]),
        (
            {"/v1/videos": ["post", "get"]},
            [{"path": "/v1/videos", "method": "POST"}, {"path": "/v1/videos", "method": "GET"}],
        ),
        (
            {"openai": "/v1/embeddings"},
            [{"path": "/v1/embeddings", "method": None, "type": "openai"}],
        ),
        ({"path": "/v1/rerank", "method": "post"}, [{"path": "/v1/rerank", "method": "POST"}]),
        ('[{"path": "/v1/x", "method": "GET"}]', [{"path": "/v1/x", "method": "GET"}]),
        (
            "POST /v1/audio/speech, /v1/audio/transcriptions",
            [
                {"path": "/v1/audio/speech", "method": "POST"},
                {"path": "/v1/audio/transcriptions", "method": None},
            ],
        ),
        (
            [{"path": "/v1/x", "method": "POST", "type": "openai", "weight": 2}],
            [{"path": "/v1/x", "method": "POST", "type": "openai", "weight": 2}],
        ),
        ([{"url": "/v1/x"}], [{"url": "/v1/x", "path": "/v1/x", "method": None}]),
        ([1, None, {}, {"path": None}, "GET /v1/y"], [{"path": "/v1/y", "method": "GET"}]),
        (None, []),
        ("", []),
        ("[not json", []),
        (42, []),
    ],
)
def test_endpoints_read_liberally(given, expected):
    assert list(parse_record({"id": "m", "endpoints": given}).endpoints) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["text-to-speech", " tts "], ("text-to-speech", "tts")),
        ("text-to-speech, speech-to-text,", ("text-to-speech", "speech-to-text")),
        ('["vision", "vision"]', ("vision",)),
        ([None, 3, "", {"a": 1}], ("3",)),
        (None, ()),
        ([], ()),
        ({"text-to-speech": True}, ()),
    ],
)
def test_features_read_liberally(given, expected):
    assert parse_record({"id": "m", "features": given}).features == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (1699228800, datetime(2023, 11, 6, tzinfo=timezone.utc)),
        ("1699228800", datetime(2023, 11, 6, tzinfo=timezone.utc)),
        (1699228800000, datetime(2023, 11, 6, tzinfo=timezone.utc)),  # milliseconds
        ("2023-11-06T00:00:00Z", datetime(2023, 11, 6, tzinfo=timezone.utc)),
        ("2023-11-06", datetime(2023, 11, 6, tzinfo=timezone.utc)),
        ("2023-11-06T08:00:00+08:00", datetime(2023, 11, 6, tzinfo=timezone.utc)),
        (0, None),
        ("0", None),
        (None, None),
        ("", None),
        ("yesterday", None),
        (-5, None),
        (1e30, None),
        (float("nan"), None),
        (True, None),
    ],
)
def test_created_read_liberally(given, expected):
    assert parse_record({"id": "m", "created": given}).created == expected


def test_text_fields_are_stripped_and_empty_ones_none():
    record = parse_record({"id": "  tts-1 ", "name": "", "description": "  x ", "code": 7})
    assert (record.id, record.name, record.description, record.code) == ("tts-1", None, "x", "7")


@pytest.mark.parametrize("model_id", [None, "", "   ", [], {"id": "x"}, True, float("nan")])
def test_record_without_usable_id_is_rejected(model_id):
    with pytest.raises(ValueError, match="no usable id"):
        parse_record({"id": model_id, "name": "x"})


def test_record_that_is_not_an_object_is_rejected():
    with pytest.raises(ValueError, match="not an object"):
        parse_record(["tts-1"])  # type: ignore[arg-type]


def test_parse_records_skips_bad_records_with_one_line_each():
    items = [{"id": "tts-1"}, {"name": "nameless"}, "whisper-1", None, {"id": "whisper-1"}]
    records, problems = parse_records(items)
    assert [r.id for r in records] == ["tts-1", "whisper-1"]
    assert problems == [
        "record 1: record has no usable id (id=None)",
        "record 2: record is a str, not an object",
        "record 3: record is null, not an object",
    ]


@pytest.mark.parametrize("items", [None, {"data": []}, "tts-1", 5, b"[]"])
def test_parse_records_reports_a_non_list(items):
    records, problems = parse_records(items)
    assert records == []
    assert len(problems) == 1
    assert problems[0].startswith("expected a list of records, got ")


def test_parse_records_accepts_any_iterable():
    records, problems = parse_records({"id": str(i)} for i in range(3))
    assert ([r.id for r in records], problems) == (["0", "1", "2"], [])


# --- property tests ------------------------------------------------------------------------

FIELDS = [
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
    "context_length",
]
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["", " 3 ", "$12", "2.5", "true", "POST /v1/audio/speech", "/v1/x"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(["path", "method"]), children)
    ),
    max_leaves=12,
)
# JSON-encoded strings too, since endpoints, features and pricing may arrive that way
field_values = json_values | json_values.map(lambda value: json.dumps(value, allow_nan=True))
records_strategy = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), field_values)


def assert_well_formed(record: ModelRecord) -> None:
    assert isinstance(record.id, str) and record.id == record.id.strip() and record.id
    assert all(isinstance(f, str) and f for f in record.features)
    for endpoint in record.endpoints:
        assert isinstance(endpoint, dict)
        assert endpoint["path"] is None or isinstance(endpoint["path"], str)
        method = endpoint["method"]
        assert method is None or (isinstance(method, str) and method == method.upper())
    if record.pricing is not None:
        for value in (
            record.pricing.input,
            record.pricing.output,
            record.pricing.per_request,
            record.pricing.per_second,
            record.pricing.ratio,
        ):
            assert value is None or (
                isinstance(value, float) and math.isfinite(value) and value >= 0
            )
    assert record.created is None or record.created.utcoffset().total_seconds() == 0
    assert isinstance(record.upcoming, bool)
    assert isinstance(record.is_audio, bool)
    hash(record)


@settings(max_examples=250, deadline=None)
@given(records_strategy)
def test_parse_record_raises_nothing_but_value_error(raw):
    try:
        record = parse_record(raw)
    except ValueError:
        return
    assert_well_formed(record)
    assert record.raw.keys() == raw.keys()
    assert all(record.raw[key] is raw[key] for key in raw)


@settings(max_examples=200, deadline=None)
@given(st.lists(records_strategy | json_values, max_size=8) | json_values)
def test_parse_records_never_raises(items):
    records, problems = parse_records(items)
    assert all(isinstance(p, str) and "\n" not in p for p in problems)
    if isinstance(items, list):
        assert len(records) + len(problems) == len(items)
    for record in records:
        assert_well_formed(record)


@given(
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    st.sampled_from([repr, str, " {} ".format, "${}".format, "{:.17g}".format, "{} USD".format]),
)
def test_numeric_strings_round_trip(number, spell):
    assert price(spell(number)) == number


@given(st.integers(min_value=0, max_value=10**15))
def test_integer_strings_with_thousands_separators_round_trip(number):
    assert price(f"{number:,}") == float(number)
    assert price(str(number)) == float(number)
