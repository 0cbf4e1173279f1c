"""Cost estimates: formulas per pricing basis, coverage markers, ranking, validation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comet_audio_nb import ValidationError
from comet_audio_nb.catalog import CatalogSource, ModelCatalog

DATA = Path(__file__).parent / "data" / "catalog.json"


@pytest.fixture(scope="module")
def catalog() -> ModelCatalog:
    return ModelCatalog.from_raw(json.loads(DATA.read_text(encoding="utf-8"))["data"])


def one(table: pd.DataFrame, model_id: str) -> pd.Series:
    rows = table[table["id"] == model_id]
    assert len(rows) == 1, model_id
    return rows.iloc[0]


def test_speech_priced_per_million_characters(catalog):
    table = catalog.audio("speech").estimate(characters=50_000)
    tts = one(table, "tts-1")
    assert tts["estimated_cost"] == pytest.approx(0.6)  # 50,000 × $12 / 1M
    assert tts["coverage"] == "full"
    assert tts["formula"] == "50,000 characters × $12 / 1M characters = $0.6"
    assert one(table, "tts-1-hd")["estimated_cost"] == pytest.approx(1.2)


def test_transcription_priced_per_second_of_audio(catalog):
    table = catalog.audio("transcription").estimate(audio_minutes=90)
    whisper = one(table, "whisper-1")
    assert whisper["estimated_cost"] == pytest.approx(90 * 60 * 0.00008)  # $0.432
    assert whisper["formula"] == "5,400 s of audio × $0.00008 / s = $0.432"
    assert (table["coverage"] == "full").all()
    costs = table["estimated_cost"].tolist()
    assert costs == sorted(costs)
    assert table.iloc[0]["id"] == "whisper-large-v3-turbo"


def test_tokens_from_characters_at_four_characters_a_token(catalog):
    table = catalog.filter(query="gpt-4o-mini", type="text").estimate(
        characters=400_000, output_tokens=50_000
    )
    mini = one(table, "gpt-4o-mini")  # $0.12 in, $0.48 out per 1M tokens
    assert mini["estimated_cost"] == pytest.approx(100_000 * 0.12 / 1e6 + 50_000 * 0.48 / 1e6)
    assert "100,000 input tokens (≈ 400,000 chars ÷ 4) × $0.12 / 1M" in mini["formula"]
    assert "50,000 output tokens × $0.48 / 1M" in mini["formula"]
    assert mini["coverage"] == "full"


def test_explicit_tokens_win_over_characters(catalog):
    table = catalog.filter(query="gpt-4o-mini", type="text").estimate(
        characters=400_000, input_tokens=1_000_000, output_tokens=0
    )
    assert one(table, "gpt-4o-mini")["estimated_cost"] == pytest.approx(0.12)


def test_token_priced_speech_is_a_marked_lower_bound(catalog):
    row = one(catalog.audio("speech").estimate(characters=100_000), "gpt-4o-mini-tts")
    assert row["coverage"] == "partial"
    assert row["estimated_cost"] == pytest.approx(25_000 * 0.48 / 1e6)
    assert "audio output tokens" in row["note"]


def test_output_tokens_missing_makes_a_text_estimate_partial(catalog):
    row = one(catalog.estimate(input_tokens=1000), "gpt-4o")
    assert row["coverage"] == "partial" and "output_tokens" in row["note"]


def test_per_request_pricing(catalog):
    table = catalog.filter(type="image").estimate(requests=100)
    imagine = one(table, "mj_imagine")
    assert imagine["estimated_cost"] == pytest.approx(4.0)
    assert imagine["formula"] == "100 requests × $0.04 / request = $4"
    # a per-request price of 0 beside token prices is padding, not a free request
    assert one(table, "gpt-image-1")["coverage"] == "none"


def test_models_the_workload_cannot_cover_are_marked_and_ranked_last(catalog):
    table = catalog.audio().estimate(characters=10_000)
    whisper = one(table, "whisper-1")
    assert whisper["coverage"] == "none" and math.isnan(whisper["estimated_cost"])
    assert whisper["note"] == "priced per second of audio: give audio_minutes="
    assert one(table, "eleven_v3")["note"] == "no price in the catalog"
    order = table["coverage"].tolist()
    assert order == sorted(order, key=["full", "partial", "none"].index)


def test_media_priced_per_second_is_not_audio(catalog):
    row = one(catalog.estimate(audio_minutes=1), "sora-2")
    assert row["coverage"] == "none" and "generated media" in row["note"]


def test_a_mixed_workload_prices_each_model_by_its_own_unit(catalog):
    table = catalog.audio().estimate(characters=10_000, audio_minutes=10)
    assert (table["coverage"] != "none").sum() == 22  # all but the unpriced eleven_v3
    assert one(table, "tts-1")["estimated_cost"] == pytest.approx(0.12)
    assert one(table, "whisper-1")["estimated_cost"] == pytest.approx(0.048)


def test_rank_index_columns_and_attrs(catalog):
    table = catalog.audio().estimate(characters=1000)
    assert table.index.name == "rank" and table.index[0] == 1
    assert list(table.columns) == [
        "id", "provider", "audio_task", "priced_by", "estimated_cost", "currency",
        "coverage", "formula", "note",
    ]  # fmt: skip
    assert table["estimated_cost"].dtype == "float64"
    assert table.attrs["workload"] == {"characters": 1000}
    assert table.attrs["filters"] == ["type=audio"]


def test_estimates_from_sample_data_say_so():
    sample = ModelCatalog.from_raw(
        [{"id": "tts-1", "features": ["text-to-speech"], "pricing": {"input": 12}}],
        CatalogSource(sample=True),
    )
    assert sample.estimate(characters=1).attrs["sample"] is True


def test_free_models_cost_nothing_and_are_covered():
    free = ModelCatalog.from_raw([{"id": "m", "pricing": {"input": 0, "output": 0}}])
    row = free.estimate(input_tokens=10, output_tokens=10).iloc[0]
    assert (row["estimated_cost"], row["coverage"]) == (0.0, "full")


def test_non_usd_prices_keep_their_currency():
    cny = ModelCatalog.from_raw([{"id": "m", "pricing": {"currency": "CNY", "per_request": 2}}])
    row = cny.estimate(requests=3).iloc[0]
    assert (row["currency"], row["formula"]) == ("CNY", "3 requests × 2 CNY / request = 6 CNY")


@pytest.mark.parametrize(
    "workload",
    [{}, {"characters": -1}, {"audio_minutes": float("nan")}, {"requests": "10"},
     {"input_tokens": True}],
)  # fmt: skip
def test_bad_workloads_are_validation_errors(catalog, workload):
    with pytest.raises(ValidationError):
        catalog.estimate(**workload)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0, 1e9),
    st.floats(0, 1e5),
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.integers(0, 10**6),
)
def test_estimates_are_non_negative_and_ranked(catalog, chars, minutes, t_in, t_out, requests):
    table = catalog.estimate(characters=chars, audio_minutes=minutes, input_tokens=t_in,
                             output_tokens=t_out, requests=requests)  # fmt: skip
    assert len(table) == len(catalog)
    covered = table[table["coverage"] != "none"]
    assert (covered["estimated_cost"] >= 0).all()
    assert table.loc[table["coverage"] == "none", "estimated_cost"].isna().all()
    full = table.loc[table["coverage"] == "full", "estimated_cost"].tolist()
    assert full == sorted(full)
