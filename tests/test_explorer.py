"""ModelExplorer, tested through its widgets' traitlets: set a control, the table follows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comet_audio_nb.catalog import CatalogSource, ModelCatalog, clear_cache, fetch
from comet_audio_nb.notebook import session
from comet_audio_nb.widgets import ModelExplorer

DATA = Path(__file__).parent / "data" / "catalog.json"


@pytest.fixture(scope="module")
def catalog() -> ModelCatalog:
    return ModelCatalog.from_raw(json.loads(DATA.read_text(encoding="utf-8"))["data"])


@pytest.fixture
def explorer(catalog) -> ModelExplorer:
    return ModelExplorer(catalog)


@pytest.fixture(autouse=True)
def fresh_session():
    session.reset()
    yield
    session.reset()


def shown_ids(explorer: ModelExplorer) -> list[str]:
    return explorer.view.ids


def test_starts_with_every_model_and_asks_for_a_task_before_ranking_prices(explorer, catalog):
    assert explorer.count == len(catalog) == 325
    assert "showing 25 of 325 models" in explorer.table.value
    # prices in USD / second and USD / 1M characters are not ranked against each other
    assert explorer.view.ids == catalog.ids
    hint = explorer.hint.value
    assert "choose Type speech or transcription" in hint and "<br" not in hint
    assert "Cheapest" not in explorer.chart.value


def test_price_sort_within_speech_ranks_by_usd_per_1m_characters(explorer):
    explorer.type.value = "speech"
    frame = explorer.view.df
    normalised = frame["usd_per_1m_chars"]
    priced = normalised.notna().sum()
    assert priced and normalised.iloc[:priced].is_monotonic_increasing
    assert normalised.iloc[priced:].isna().all()  # priced per token: after, not among them
    assert explorer.view.ids[0] == "qwen3-tts-flash"
    assert explorer.hint.value == ""


def test_price_sort_within_transcription_ranks_by_usd_per_audio_hour(explorer):
    explorer.type.value = "transcription"
    assert explorer.view.df["usd_per_audio_hour"].is_monotonic_increasing
    assert explorer.view.ids[0] == "whisper-large-v3-turbo"


def test_the_chart_ranks_one_task_for_its_own_workload(explorer):
    explorer.type.value = "transcription"
    chart = explorer.chart.value
    assert "10 min of audio" in chart and "characters" not in chart
    assert "tts-1" not in chart
    explorer.type.value = "speech"
    chart = explorer.chart.value
    assert "10,000 characters" in chart and "min of audio" not in chart
    assert "whisper" not in chart
    explorer.type.value = "audio"  # both tasks: ask, do not rank across units
    assert "Cheapest" not in explorer.chart.value
    assert "choose Type speech or transcription" in explorer.hint.value


def test_the_table_is_compact_and_unbordered(explorer):
    page = explorer.table.value
    assert 'border="1"' not in page
    assert ">description</th>" not in page and ">features</th>" not in page


def test_dropdowns_are_filled_from_the_data(explorer, catalog):
    types = [value for _, value in explorer.type.options]
    assert types[:4] == ["", "audio", "speech", "transcription"]
    assert {"text", "image", "video", "embedding", "music"} <= set(types)
    providers = {value for _, value in explorer.provider.options}
    assert {"OpenAI", "ElevenLabs", "SiliconFlow"} <= providers
    assert "text-to-speech" in {value for _, value in explorer.feature.options}


def test_search_box_filters_the_table(explorer):
    explorer.search.value = "whisper"
    assert explorer.count == 3
    assert set(shown_ids(explorer)) == {"whisper-1", "whisper-large-v3", "whisper-large-v3-turbo"}
    assert "3 models" in explorer.table.value and "whisper-1" in explorer.table.value
    explorer.search.value = ""
    assert explorer.count == 325


def test_dropdowns_combine(explorer, catalog):
    explorer.type.value = "speech"
    assert explorer.count == 14
    explorer.provider.value = "OpenAI"
    ranked = catalog.filter(type="speech", provider="OpenAI")
    assert explorer.view.ids == ranked.sort(["usd_per_1m_chars", "priced_by", "price"]).ids
    explorer.feature.value = "text-to-speech"
    assert set(shown_ids(explorer)) == {
        "tts-1",
        "tts-1-hd",
        "gpt-4o-mini-tts",
        "gpt-4o-mini-tts-2025-03-20",
    }


def test_price_slider_fits_the_unit_and_filters(explorer):
    assert explorer.filters() == {}  # the slider starts at its top: no limit
    explorer.priced_by.value = "characters"
    assert explorer.count == 9
    assert explorer.max_price.max == 240 and "characters" in explorer.max_price.description
    explorer.max_price.value = 20
    assert set(shown_ids(explorer)) == {"qwen3-tts-flash", "tts-1"}
    assert explorer.filters() == {"priced_by": "characters", "max_price": 20}


def test_sort_choice_reorders(explorer):
    explorer.type.value = "transcription"
    explorer.sort.value = "usd_per_audio_hour"
    assert shown_ids(explorer)[0] == "whisper-large-v3-turbo"
    explorer.sort.value = "-created"
    created = explorer.view.df["created"].dropna()
    assert created.is_monotonic_decreasing


def test_chart_shows_the_cheapest_for_the_workload(explorer):
    explorer.type.value = "speech"
    explorer.cheapest.value = 3
    chart = explorer.chart.value
    assert "Cheapest 3 for 10,000 characters" in chart
    assert chart.index("qwen3-tts-flash") < chart.index(">tts-1<")
    assert "$0.064" in chart and "$0.12" in chart
    explorer.characters.value = 1_000_000
    assert "$12<" in explorer.chart.value  # tts-1 at a million characters


def test_chart_marks_lower_bounds_and_says_when_nothing_can_be_priced(explorer):
    explorer.type.value = "speech"
    explorer.search.value = "gpt-4o-mini-tts"
    assert "≥ $" in explorer.chart.value
    explorer.search.value = "eleven_v3"  # a speech model with no price
    assert "can be priced" in explorer.chart.value


def test_use_this_model_sets_the_speech_default(explorer):
    explorer.type.value = "speech"
    explorer.model.value = "tts-1-hd"
    assert explorer.role.value == "speech"
    explorer.use_button.click()
    assert session.get_defaults().speech_model == "tts-1-hd"
    assert explorer.chosen == "tts-1-hd" and "tts-1-hd" in explorer.status.value


def test_use_this_model_sets_the_transcription_default(explorer):
    explorer.search.value = "gpt-4o-mini-transcribe"
    assert explorer.model.value == "gpt-4o-mini-transcribe"
    assert explorer.role.value == "transcription"
    explorer.use()
    assert session.get_defaults().transcribe_model == "gpt-4o-mini-transcribe"
    assert session.get_defaults().speech_model == "tts-1"  # untouched


def test_only_speech_and_transcription_models_can_be_chosen(explorer):
    explorer.type.value = "image"
    assert explorer.model.options == () and explorer.use_button.disabled
    explorer.use()
    assert session.get_defaults().speech_model == "tts-1"


def test_initial_filters_and_sample_label(catalog):
    sample = ModelCatalog(catalog.records, CatalogSource(sample=True))
    explorer = ModelExplorer(sample, type="audio", provider="openai", query="tts", sort="id")
    assert explorer.type.value == "audio" and explorer.provider.value == "OpenAI"
    assert explorer.view.ids == sorted(explorer.view.ids)
    assert "not live prices" in explorer.banner.value
    explorer.type.value = "speech"
    assert "not live prices" in explorer.chart.value  # estimates on sample data say so


def test_without_a_reachable_catalog_it_shows_the_labelled_sample(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COMETAPI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path))
    clear_cache(disk=False)
    fetch._built.clear()
    try:
        explorer = ModelExplorer()
    finally:
        clear_cache(disk=False)
        fetch._built.clear()
    assert explorer.catalog.source.sample and explorer.count >= 6
    banner = explorer.banner.value
    assert "Sample data from the built-in engine" in banner
    assert "could not be reached (no connection)" in banner
    assert capsys.readouterr().err == ""  # no traceback, and the banner is the one line


def test_without_a_catalog_it_fetches_one(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path))
    clear_cache(disk=False)
    fetch._built.clear()
    try:
        assert ModelExplorer().count == 325
    finally:
        clear_cache(disk=False)
        fetch._built.clear()
