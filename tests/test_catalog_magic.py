"""%comet_models: the catalog's filters, sorting, estimates and the explorer as magic options."""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from comet_audio_nb.catalog import ModelCatalog, clear_cache, fetch
from comet_audio_nb.magics.models import ModelsMagics
from comet_audio_nb.retry import RetryPolicy


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, headers=None: 0.0)
    clear_cache(disk=False)
    fetch._built.clear()
    yield
    clear_cache(disk=False)
    fetch._built.clear()


@pytest.fixture
def shell(engine, monkeypatch):
    """An IPython shell with %comet_models, whose catalog is the test engine's."""
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    ip = InteractiveShell.instance()
    ip.register_magics(ModelsMagics)
    yield ip
    ip.user_ns.pop("tts", None)


def run(shell: InteractiveShell, line: str):
    return shell.run_line_magic("comet_models", line)


def test_no_options_is_the_whole_catalog(shell):
    catalog = run(shell, "")
    assert isinstance(catalog, ModelCatalog) and len(catalog) == 325


def test_the_issue_example(shell):
    line = "--type audio --feature text-to-speech --provider openai --max-price 20 "
    line += "--sort input_price -o tts"
    catalog = run(shell, line)
    assert catalog.ids == ["gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-03-20", "tts-1"]
    assert shell.user_ns["tts"] is catalog


def test_repeated_and_comma_separated_options_match_any(shell):
    repeated = run(shell, "-t audio -p openai -p elevenlabs")
    commas = run(shell, "-t audio -p openai,elevenlabs")
    assert repeated.ids == commas.ids
    assert set(repeated.df["provider_code"]) == {"openai", "elevenlabs"}


def test_query_endpoint_priced_by(shell):
    assert set(run(shell, "-q whisper").ids) == {
        "whisper-1",
        "whisper-large-v3",
        "whisper-large-v3-turbo",
    }
    assert "tts-1" in run(shell, "-e audio/speech")
    assert set(run(shell, "--priced-by characters").df["priced_by"]) == {"characters"}


def test_sort_descending_and_limit(shell):
    newest = run(shell, "--sort created --desc -n 5")
    assert len(newest) == 5 and newest.df["created"].is_monotonic_decreasing
    assert run(shell, "--sort=-created -n 5").ids == newest.ids


def test_a_workload_gives_a_ranked_estimate(shell):
    table = run(shell, "--type speech --characters 250000 -n 3 -o tts")
    assert isinstance(table, pd.DataFrame) and len(table) == 3
    assert table.iloc[0]["id"] == "qwen3-tts-flash"
    assert table.iloc[1]["formula"] == "250,000 characters × $12 / 1M characters = $3"
    assert shell.user_ns["tts"] is table
    minutes = run(shell, "--type transcription --audio-minutes 90")
    assert (minutes["coverage"] == "full").all()


def test_local_shows_the_labelled_sample_catalog(shell):
    catalog = run(shell, "--local -q whisper")
    assert catalog.source.sample and catalog.ids == ["whisper-1"]


def test_base_url_option(shell, engine, monkeypatch):
    monkeypatch.delenv("COMETAPI_BASE_URL")
    assert len(run(shell, f"--base-url {engine.base_url} -t audio")) == 23


def test_the_session_base_url_is_used(shell, engine, monkeypatch):
    from comet_audio_nb.notebook import session

    monkeypatch.delenv("COMETAPI_BASE_URL")
    monkeypatch.setattr(session.get_defaults(), "base_url", engine.base_url)
    assert len(run(shell, "-q whisper")) == 3
    assert engine.hits("/api/models") == 1


def test_refresh_downloads_again(shell, engine):
    run(shell, "")
    run(shell, "")
    run(shell, "--refresh")
    assert engine.hits("/api/models") == 2


def test_widget_option_opens_the_explorer_with_the_filters(shell):
    explorer = run(shell, "--widget --type speech --provider openai -q mini -o tts")
    from comet_audio_nb.widgets import ModelExplorer

    assert isinstance(explorer, ModelExplorer) and shell.user_ns["tts"] is explorer
    assert explorer.type.value == "speech" and explorer.provider.value == "OpenAI"
    assert explorer.view.ids == ["gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-03-20"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--sort features", "cannot sort by 'features'"),
        ("--priced-by minutes", "unknown priced_by 'minutes'"),
        ("--characters -5", "characters must be zero or more"),
        ("--provider ,", "provider is empty"),
    ],
)
def test_errors_are_one_short_line(shell, line, message):
    with pytest.raises(UsageError) as caught:
        run(shell, line)
    assert message in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_an_unreachable_catalog_falls_back_to_the_labelled_sample(shell, monkeypatch, capsys):
    monkeypatch.setenv("COMETAPI_BASE_URL", "http://127.0.0.1:9/v1")
    catalog = run(shell, "-t audio")
    assert isinstance(catalog, ModelCatalog) and catalog.source.sample
    assert "tts-1" in catalog
    page = catalog._repr_html_()
    assert "not live prices" in page and "could not be reached (no connection)" in page
    assert page.count("could not be reached") == 1  # one line saying why
    assert capsys.readouterr().err == ""  # the output says it: nothing on stderr


def test_an_estimate_on_the_fallback_sample_is_labelled(shell, monkeypatch):
    monkeypatch.setenv("COMETAPI_BASE_URL", "http://127.0.0.1:9/v1")
    costs = run(shell, "--type speech --characters 240000")
    assert costs.attrs["sample"] is True
    for shown in (costs._repr_html_(), repr(costs)):
        assert "sample data from the built-in engine" in shown
    assert "could not be reached" in costs._repr_html_()


def test_the_widget_falls_back_to_the_labelled_sample_too(shell, monkeypatch):
    monkeypatch.setenv("COMETAPI_BASE_URL", "http://127.0.0.1:9/v1")
    explorer = run(shell, "--widget --type speech")
    assert explorer.catalog.source.sample and explorer.count >= 1
    assert "Sample data" in explorer.banner.value
    assert "could not be reached" in explorer.banner.value


def test_all_columns_on_request(shell):
    view = run(shell, "-t audio --all-columns -o tts")
    page = view._repr_html_()
    assert ">usd_per_audio_hour</th>" in page and ">description</th>" in page
    assert isinstance(shell.user_ns["tts"], ModelCatalog)  # the data, every column in .df
    compact = run(shell, "-t audio")._repr_html_()
    assert ">description</th>" not in compact


def test_help_shows_real_usage():
    doc = ModelsMagics.comet_models.__doc__
    assert "%comet_models -t audio -f text-to-speech -p openai --max-price 20" in doc
    for option in (
        "--max-price",
        "--sort",
        "--widget",
        "--characters",
        "--local",
        "-o VAR",
        "--all-columns",
    ):
        assert option in doc
