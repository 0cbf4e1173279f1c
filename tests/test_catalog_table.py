"""ModelCatalog: the typed DataFrame, pricing units, filters, sorting, look-ups and views."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comet_audio_nb import ValidationError
from comet_audio_nb.catalog import CatalogSource, ModelCatalog, display_options, parse_record
from comet_audio_nb.catalog.frame import COLUMNS, PRICE_COLUMNS
from comet_audio_nb.catalog.pricing import price_facts
from comet_audio_nb.catalog.render import format_price

DATA = Path(__file__).parent / "data" / "catalog.json"


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["data"]


@pytest.fixture(scope="module")
def catalog(raw) -> ModelCatalog:
    return ModelCatalog.from_raw(raw)


@pytest.fixture(scope="module")
def df(catalog) -> pd.DataFrame:
    return catalog.df


def row(df: pd.DataFrame, model_id: str, provider: str | None = None) -> pd.Series:
    rows = df[df["id"] == model_id]
    if provider:
        rows = rows[rows["provider_code"] == provider]
    assert len(rows) == 1, model_id
    return rows.iloc[0]


# --- the DataFrame -------------------------------------------------------------------------


def test_one_row_per_record_in_catalog_order(catalog, df, raw):
    assert len(catalog) == len(df) == len(raw) == 325
    assert df["id"].tolist() == [r["id"] for r in raw]
    assert isinstance(df.index, pd.RangeIndex)


def test_columns_key_first_then_known_then_extra_fields(df):
    assert tuple(df.columns[: len(COLUMNS)]) == COLUMNS
    assert df.columns[0] == "id"
    # unknown fields of the records are kept as columns of their own
    extras = set(df.columns[len(COLUMNS) :])
    assert {"context_length", "max_completion_tokens", "tags", "is_new", "sort_order"} <= extras


def test_columns_are_typed(df):
    for name in ("id", "name", "provider", "provider_code", "model_type", "priced_by"):
        assert isinstance(df[name].dtype, pd.StringDtype), name
    for name in (*PRICE_COLUMNS, "ratio"):
        assert df[name].dtype == "float64", name
    assert isinstance(df["created"].dtype, pd.DatetimeTZDtype)
    assert str(df["created"].dt.tz) == "UTC"
    assert df["upcoming"].dtype == bool and df["is_audio"].dtype == bool
    assert all(isinstance(v, list) for v in df["features"])
    assert all(isinstance(v, list) for v in df["endpoints"])


def test_nulls_stay_nulls(df):
    llama = row(df, "llama-3.1-405b-instruct")  # pricing null, created null
    assert pd.isna(llama["input_price"]) and pd.isna(llama["price"])
    assert pd.isna(llama["priced_by"]) and pd.isna(llama["created"])
    bare = row(df, "glm-4-9b")  # nearly every field missing
    assert pd.isna(bare["provider"]) and pd.isna(bare["model_type"])
    assert bare["features"] == [] and bare["endpoints"] == []
    # a missing price is never 0, and a real 0 stays 0
    assert pd.isna(row(df, "grok-3-mini")["output_price"])
    assert row(df, "gpt-image-1")["price_per_request"] == 0.0


def test_strings_for_numbers_become_numbers(df):
    assert row(df, "chatgpt-4o-latest")[["input_price", "output_price"]].tolist() == [4.0, 12.0]
    assert row(df, "recraftv3")["price_per_request"] == 0.032
    assert row(df, "veo3.1")["price_per_second"] == 0.32


def test_extra_fields_keep_their_values_as_given(df):
    glm = row(df, "glm-4.6")
    assert glm["tags"] == ["hot", "new"] and glm["is_new"] is True
    assert row(df, "claude-sonnet-4-5-20250929")["context_length"] == "200000"
    assert df["context_length"].dtype == object


def test_an_extra_field_named_like_a_column_is_renamed():
    frame = ModelCatalog.from_raw([{"id": "m", "price": "from the record", "x": 1}]).df
    assert frame.loc[0, "extra_price"] == "from the record"
    assert pd.isna(frame.loc[0, "price"])
    assert frame.loc[0, "x"] == 1


def test_endpoints_are_paths_and_created_is_utc(df):
    assert row(df, "whisper-1")["endpoints"] == [
        "/v1/audio/transcriptions",
        "/v1/audio/translations",
    ]
    assert row(df, "tts-1")["created"] == pd.Timestamp("2023-11-06", tz="UTC")


def test_malformed_records_are_skipped_not_fatal():
    items = [{"id": "tts-1"}, {"name": "no id"}, "whisper-1", None, {"id": "x", "pricing": "$$"}]
    catalog = ModelCatalog.from_raw(items)
    assert catalog.ids == ["tts-1", "x"]
    assert len(catalog.source.problems) == 3
    assert "malformed" in catalog._repr_html_()


def test_empty_catalog_has_the_columns_and_renders():
    empty = ModelCatalog([])
    assert list(empty.df.columns) == list(COLUMNS)
    assert len(empty) == 0 and "0 models" in repr(empty) and "0 models" in empty._repr_html_()


def test_df_is_a_copy_with_attrs(catalog):
    frame = catalog.df
    frame.loc[0, "id"] = "changed"
    assert catalog.df.loc[0, "id"] != "changed"
    assert frame.attrs["sample"] is False and "filters" in frame.attrs


# --- units and normalised prices ----------------------------------------------------------


@pytest.mark.parametrize(
    ("model_id", "task", "priced_by", "price", "unit"),
    [
        ("tts-1", "speech", "characters", 12.0, "USD / 1M characters"),
        ("eleven_multilingual_v2", "speech", "characters", 240.0, "USD / 1M characters"),
        ("gpt-4o-mini-tts", "speech", "tokens", 0.48, "USD / 1M tokens"),
        ("whisper-1", "transcription", "second", 0.00008, "USD / second"),
        ("gpt-4o-transcribe", "transcription", "second", 0.00008, "USD / second"),
        ("qwen3-asr-flash", "transcription", "second", 0.000028, "USD / second"),
        ("gpt-4o", None, "tokens", 2.0, "USD / 1M tokens"),
        ("gpt-image-1", None, "tokens", 4.0, "USD / 1M tokens"),  # per_request 0 is padding
        ("mj_imagine", None, "request", 0.04, "USD / request"),
        ("sora-2", None, "second", 0.08, "USD / second"),
    ],
)
def test_pricing_basis_and_unit(df, model_id, task, priced_by, price, unit):
    r = row(df, model_id)
    assert (None if pd.isna(r["audio_task"]) else r["audio_task"]) == task
    assert (r["priced_by"], r["price_unit"]) == (priced_by, unit)
    assert r["price"] == pytest.approx(price)


def test_normalised_comparison_columns(df):
    assert row(df, "tts-1")["usd_per_1m_chars"] == 12.0
    assert row(df, "tts-1-hd")["usd_per_1m_chars"] == 24.0
    assert row(df, "whisper-1")["usd_per_audio_hour"] == pytest.approx(0.288)  # $0.0048/min
    # only where the unit allows: token-priced speech has no per-character price
    assert pd.isna(row(df, "gpt-4o-mini-tts")["usd_per_1m_chars"])
    assert pd.isna(row(df, "whisper-1")["usd_per_1m_chars"])
    assert pd.isna(row(df, "tts-1")["usd_per_audio_hour"])
    assert df["usd_per_1m_chars"].notna().sum() == 9
    assert set(df.loc[df["usd_per_audio_hour"].notna(), "audio_task"]) == {"transcription"}


def test_every_audio_model_gets_a_task(df):
    audio = df[df["is_audio"]]
    assert audio["audio_task"].notna().all()
    assert set(audio["audio_task"]) == {"speech", "transcription"}
    assert df.loc[~df["is_audio"], "audio_task"].isna().all()


def test_sample_catalog_zeros_do_not_hide_the_real_basis():
    # the built-in engine pads every price with 0.0, as some catalogs do
    padded = {"currency": "USD / M Characters", "input": 12, "output": 0.0,
              "per_request": 0.0, "per_second": 0.0}  # fmt: skip
    facts = price_facts(parse_record({"id": "tts-1", "pricing": padded}))
    assert (facts.priced_by, facts.usd_per_1m_chars) == ("characters", 12)
    free = price_facts(parse_record({"id": "m", "pricing": {"input": 0, "output": 0}}))
    assert (free.priced_by, free.price) == ("tokens", 0)
    only_ratio = price_facts(parse_record({"id": "m", "pricing": {"ratio": 0.5}}))
    assert only_ratio.priced_by is None


def test_currency_other_than_usd_has_no_usd_columns():
    facts = price_facts(parse_record({"id": "tts-x", "pricing": {"currency": "CNY", "input": 9}}))
    assert (facts.price_unit, facts.usd_per_1m_chars) == ("CNY / 1M characters", None)


# --- filters ------------------------------------------------------------------------------


def test_type_audio_finds_untagged_speech_models(catalog, df):
    audio = catalog.filter(type="audio")
    assert len(audio) == 23 == int(df["is_audio"].sum())
    assert (audio.df["model_type"] == "audio").sum() < len(audio)
    assert audio.ids == catalog.audio().ids


def test_type_speech_and_transcription(catalog):
    speech, stt = catalog.audio("speech"), catalog.filter(type="transcription")
    assert "tts-1" in speech and "whisper-1" not in speech
    assert "whisper-1" in stt and "gpt-4o-mini-transcribe" in stt
    assert len(speech) + len(stt) == 23
    assert catalog.filter(type=["speech", "transcription"]).ids == catalog.audio().ids
    with pytest.raises(ValidationError):
        catalog.audio("music")


def test_filters_are_case_insensitive_and_take_lists(catalog):
    assert catalog.filter(type="VIDEO").ids == catalog.filter(type="video").ids
    both = catalog.filter(provider=["OpenAI", "google"])
    assert set(both.df["provider_code"]) == {"openai", "google"}
    assert both.ids == catalog.filter(provider="openai,GOOGLE").ids


def test_provider_matches_name_or_code(catalog):
    assert catalog.filter(provider="Mistral AI").ids == catalog.filter(provider="mistral").ids
    twins = catalog.filter(query="deepseek-r1", provider="siliconflow")
    assert [r.provider for r in twins] == ["SiliconFlow"]


def test_feature_matches_catalog_features_however_spelt(catalog):
    tts = catalog.filter(feature="Text To Speech")
    assert "tts-1" in tts and "speech-02-hd" in tts  # "text_to_speech, voice_clone"
    assert "gemini-2.5-flash-preview-tts" not in tts  # tagged "audio-output" only
    cloning = catalog.filter(feature=["voice_clone", "voice-cloning"])
    assert set(cloning.ids) == {"eleven_multilingual_v2", "speech-02-hd"}


def test_endpoint_matches_part_of_a_path(catalog):
    speech = catalog.filter(endpoint="audio/speech")
    assert "tts-1" in speech and "eleven_multilingual_v2" in speech
    assert "whisper-1" in catalog.filter(endpoint="/V1/AUDIO/TRANSLATIONS")


def test_query_matches_id_name_and_provider(catalog):
    assert set(catalog.filter(query="whisper").ids) == {
        "whisper-1",
        "whisper-large-v3",
        "whisper-large-v3-turbo",
    }
    assert "eleven_multilingual_v2" in catalog.filter(query="Eleven Multilingual")  # name
    assert len(catalog.filter(query="elevenlabs")) == 5  # provider
    assert catalog.filter(query="no-such-model").ids == []


def test_max_price_and_priced_by(catalog):
    cheap = catalog.filter(priced_by="characters", max_price=20)
    assert set(cheap.ids) == {"tts-1", "qwen3-tts-flash"}
    assert all(p <= 20 for p in cheap.df["price"])
    # models without a price are left out by a price limit
    assert "llama-3.1-405b-instruct" not in catalog.filter(max_price=1e9)
    assert set(catalog.filter(priced_by=["per_second", "requests"]).df["priced_by"]) == {
        "second",
        "request",
    }
    with pytest.raises(ValidationError, match="priced_by"):
        catalog.filter(priced_by="minutes")
    with pytest.raises(ValidationError, match="max_price"):
        catalog.filter(max_price=-1)


def test_issue_example_filter_chain(catalog):
    chosen = catalog.filter(
        type="audio", feature="text-to-speech", provider="openai", max_price=20
    ).sort("input_price")
    assert chosen.ids == ["gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-03-20", "tts-1"]
    assert chosen.filters == (
        "type=audio", "feature=text-to-speech", "provider=openai", "max_price=20",
        "sort=input_price",
    )  # fmt: skip


def test_filters_chain_and_never_change_the_original(catalog):
    step = catalog.filter(type="audio")
    assert step.filter(provider="openai").ids == catalog.filter(type="audio", provider="openai").ids
    assert len(catalog) == 325


@pytest.mark.parametrize("bad", [dict(type=""), dict(provider=[]), dict(query=5), dict(type=" , ")])
def test_empty_or_wrong_filter_values_are_errors(catalog, bad):
    with pytest.raises(ValidationError):
        catalog.filter(**bad)


# --- sort, get, head, len, iteration -----------------------------------------------------


def test_sort_ascending_with_missing_values_last(catalog):
    ordered = catalog.audio().sort("usd_per_audio_hour")
    hours = ordered.df["usd_per_audio_hour"]
    priced = hours.dropna().tolist()
    assert priced == sorted(priced) and hours.iloc[: len(priced)].notna().all()
    assert ordered.ids[0] == "whisper-large-v3-turbo"


def test_sort_descending_and_by_several_columns(catalog):
    newest = catalog.sort("-created")
    created = newest.df["created"].dropna()
    assert created.is_monotonic_decreasing
    assert catalog.sort("created", ascending=False).ids == newest.ids
    by_two = catalog.sort(["provider", "-price"]).df
    openai = by_two[by_two["provider"] == "OpenAI"]["price"].dropna()
    assert openai.is_monotonic_decreasing


@pytest.mark.parametrize("column", ["features", "nope", []])
def test_sort_by_unknown_or_list_column_is_an_error(catalog, column):
    with pytest.raises(ValidationError):
        catalog.sort(column)


def test_get_by_id(catalog):
    assert catalog.get("whisper-1").pricing.per_second == 0.00008
    assert catalog.get("TTS-1").id == "tts-1"
    first = next(r for r in catalog if r.id == "deepseek-r1")
    assert catalog.get("deepseek-r1") is first  # two providers: the first in catalog order
    assert catalog.get("deepseek-r1", provider="SiliconFlow").code == "deepseek-ai/DeepSeek-R1"
    assert catalog.get("deepseek-r1", provider="deepseek").code == "deepseek-r1"
    with pytest.raises(KeyError, match="from provider 'openai'"):
        catalog.get("deepseek-r1", provider="openai")
    with pytest.raises(KeyError, match="did you mean whisper-1"):
        catalog.get("whisper-l")


def test_len_iteration_contains_head(catalog):
    audio = catalog.audio()
    assert [r.id for r in audio] == audio.ids and len(list(audio)) == len(audio)
    assert "tts-1" in audio and "gpt-4o" not in audio and catalog.get("tts-1") in audio
    top = catalog.audio("speech").sort("price").head(3)
    assert len(top) == 3 and top.ids[0] == "gemini-2.5-flash-preview-tts"


def test_sorted_and_filtered_frames_agree_with_their_records(catalog):
    view = catalog.filter(type="audio").sort("-price")
    assert view.df["id"].tolist() == view.ids
    assert view.df["provider"].tolist() == [r.provider for r in view]


# --- views ---------------------------------------------------------------------------------


def test_text_repr_has_count_source_and_a_few_rows(catalog):
    text = repr(catalog.filter(type="audio"))
    first, *rows = text.splitlines()
    assert first.startswith("ModelCatalog: 23 models")
    assert "type=audio" in first
    assert "<NA>" not in text and "nan" not in text
    assert any("tts-1" in line and "$12 / 1M characters" in line for line in rows)
    assert "… 3 more" in text


def headers(page: str) -> list[str]:
    head = re.split(r"<thead[^>]*>", page, maxsplit=1)[1].split("</thead>", 1)[0]
    return re.findall(r"<th[^>]*>(.*?)</th>", head)


def row_html(page: str, model_id: str) -> str:
    cell = rf"<td[^>]*>(?:<a [^>]*>)?{re.escape(model_id)}(?:</a>)?</td>"
    return re.search(rf"<tr>({cell}.*?)</tr>", page).group(1)


def test_the_default_table_shows_the_columns_people_compare(catalog):
    page = catalog.audio()._repr_html_()
    assert headers(page) == ["id", "provider", "task", "price", "normalised price"]
    tts = row_html(page, "tts-1")
    assert "OpenAI" in tts and "speech" in tts
    assert tts.count("$12 / 1M characters") == 2  # its price, and the comparable one
    whisper = row_html(page, "whisper-1")
    assert "$0.00008 / second" in whisper and "$0.288 / audio hour" in whisper


def test_ids_never_wrap(catalog):
    page = catalog.audio()._repr_html_()
    cells = re.findall(r"<tr><td([^>]*)>", page)
    assert cells and all("white-space:nowrap" in attributes for attributes in cells)


def test_every_column_on_request_and_the_df_keeps_them_all(catalog):
    page = catalog.audio().show(columns="all")._repr_html_()
    assert headers(page) == list(catalog.df.columns)
    assert tuple(catalog.audio().df.columns[: len(COLUMNS)]) == COLUMNS
    chosen = catalog.audio().show(columns=["id", "created"])._repr_html_()
    assert headers(chosen) == ["id", "created"]
    with pytest.raises(ValidationError, match="no column 'colour'"):
        catalog.show(columns=["id", "colour"])


def test_the_text_view_shows_the_same_few_columns(catalog):
    header = repr(catalog.audio()).splitlines()[1].split()
    assert header[:3] == ["id", "provider", "task"] and "description" not in header


def test_html_is_capped_with_the_total_shown(catalog):
    page = catalog._repr_html_()
    assert page.count("<tr>") == display_options.max_rows + 1  # + the header row
    assert "showing 50 of 325 models" in page
    assert len(page) < 60_000
    small = catalog.audio()._repr_html_()
    assert "23 models" in small and small.count("<tr>") == 24


def test_html_escapes_and_links(catalog):
    page = (
        ModelCatalog.from_raw(
            [{"id": "<b>x</b>", "api_doc_url": "https://docs/x", "name": "a & b"}]
        )
        .show(columns="all")
        ._repr_html_()
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "a &amp; b" in page
    assert 'href="https://docs/x"' in page


def test_html_is_sortable_where_scripts_run_and_static_otherwise(catalog):
    page = catalog.audio()._repr_html_()
    assert "<script>" in page and "data-v=" in page
    static = page.split("<script>")[0]
    assert "<table" in static and "</table>" in static


def test_sample_data_is_labelled_everywhere():
    sample = ModelCatalog.from_raw([{"id": "tts-1"}], CatalogSource(sample=True))
    assert "SAMPLE DATA FROM THE BUILT-IN ENGINE — NOT LIVE PRICES" in repr(sample)
    assert "not live prices" in sample._repr_html_()
    assert sample.df.attrs["sample"] is True
    assert sample.filter(query="tts").source.sample  # filters keep the label


def test_source_label_says_when_and_whence():
    fetched = datetime(2025, 11, 1, 9, 30, tzinfo=timezone.utc)
    live = CatalogSource("https://api.cometapi.com/api/models", fetched)
    assert live.label == "CometAPI catalog, fetched 2025-11-01 09:30 UTC"
    cached = CatalogSource("http://127.0.0.1:9/api/models", fetched, cached="disk")
    assert cached.label.startswith("catalog from http://127.0.0.1:9/api/models, cached copy")


def test_interactive_view_uses_itables_when_asked(catalog, monkeypatch):
    pytest.importorskip("itables")
    page = catalog.audio()._repr_html_()
    assert "itables" not in page.lower()  # static by default
    monkeypatch.setattr(display_options, "viewer", "itables")
    page = catalog.audio()._repr_html_()
    assert "itables" in page.lower() and "23 models" in page


def test_interactive_view_falls_back_to_static_without_itables(catalog, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_itables(name, *args, **kwargs):
        if name.startswith("itables"):
            raise ImportError("no itables")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_itables)
    monkeypatch.setattr(display_options, "viewer", "itables")
    page = catalog.audio()._repr_html_()
    assert "<table" in page and "23 models" in page


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.0, "12"), (0.48, "0.48"), (0.00008, "0.00008"), (0.0000247, "0.0000247"),
     (1234.5678, "1,234.57"), (0.0, "0")],
)  # fmt: skip
def test_prices_are_shown_without_e_notation(value, text):
    assert format_price(value) == text


# --- property tests ------------------------------------------------------------------------

prices = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**6),
    st.sampled_from(["", "12", "$0.5", "abc", "1e-5"]),
)  # fmt: skip
raw_records = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=12)},
    optional={
        "model_type": st.none() | st.sampled_from(["audio", "text", "Audio", "", "video"]),
        "features": st.none()
        | st.lists(st.sampled_from(["text-to-speech", "speech_to_text", "x", ""]), max_size=3)
        | st.text(max_size=20),
        "endpoints": st.none()
        | st.sampled_from(["POST /v1/audio/speech", '[{"path": "/v1/audio/transcriptions"}]']),
        "pricing": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "currency": st.none() | st.sampled_from(["USD / M Tokens", "CNY", "per M"]),
                "input": prices,
                "output": prices,
                "per_request": prices,
                "per_second": prices,
            },
        ),
        "provider": st.none() | st.text(max_size=8),
        "created": st.none() | st.integers(-10, 2 * 10**12) | st.text(max_size=10),
        "weird": st.none() | st.integers() | st.lists(st.integers(), max_size=2),
    },
)


@settings(max_examples=120, deadline=None)
@given(st.lists(raw_records | st.none() | st.integers(), max_size=12))
def test_any_records_make_a_well_typed_table(items):
    catalog = ModelCatalog.from_raw(items)
    frame = catalog.df
    assert len(frame) == len(catalog)
    assert tuple(frame.columns[: len(COLUMNS)]) == COLUMNS
    for name in PRICE_COLUMNS:
        values = frame[name].dropna()
        assert frame[name].dtype == "float64" and (values >= 0).all()
    assert set(frame["priced_by"].dropna()) <= {"characters", "tokens", "second", "request"}
    assert frame["price"].notna().sum() == frame["priced_by"].notna().sum()
    repr(catalog), catalog._repr_html_()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(raw_records, max_size=10),
    st.text(min_size=1, max_size=6).filter(lambda t: t.replace(",", "").strip()),
    st.floats(min_value=0, max_value=1e6),
)
def test_filters_never_fail_and_only_narrow(items, word, limit):
    catalog = ModelCatalog.from_raw(items)
    for options in (dict(type=word), dict(feature=word), dict(provider=word),
                    dict(endpoint=word), dict(query=word), dict(max_price=limit)):  # fmt: skip
        subset = catalog.filter(**options)
        assert set(subset.ids) <= set(catalog.ids)
        assert subset.df["id"].tolist() == subset.ids
