"""Every HTML we emit shows "$" as a dollar sign: nothing in it is left for MathJax to typeset.

JupyterLab typesets ``$…$`` in HTML outputs as maths ("× $12 / 1M = $2.88" loses its
dollars and turns italic). Each view below must keep all its text inside a container of
class ``tex2jax_ignore mathjax_ignore`` (``results.markup.as_written``), and long text
(the estimates' formulas) is shown whole, never cut to "× $0...".
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from html_checks import typesettable_text

from comet_audio_nb import Speech, Transcript
from comet_audio_nb.catalog import CatalogSource, ModelCatalog, parse_record
from comet_audio_nb.client import CallRecord
from comet_audio_nb.notebook import session
from comet_audio_nb.notebook.calllog import call_log_frame, catalog_pricer

DATA = Path(__file__).parent / "data" / "catalog.json"


@pytest.fixture(scope="module")
def catalog() -> ModelCatalog:
    return ModelCatalog.from_raw(json.loads(DATA.read_text(encoding="utf-8"))["data"])


@pytest.fixture(autouse=True)
def fresh_session():
    session.reset()
    yield
    session.reset()


def assert_as_written(markup: str) -> None:
    assert markup, "no HTML at all"
    exposed = typesettable_text(markup)
    assert exposed == [], f"MathJax would read: {exposed[:5]}"


def test_the_check_finds_text_outside_an_ignored_container():
    assert typesettable_text("<p>$12 and $3</p>") == ["$12 and $3"]
    assert typesettable_text('<div class="mathjax_ignore">$12</div> x') == ["$12", "x"]
    held = '<div class="tex2jax_ignore mathjax_ignore"><p>$12<br>and</p> $3</div>'
    assert typesettable_text(held) == []
    assert typesettable_text("<script>var a = '$1';</script>") == []


def test_the_estimate_table_shows_its_dollars_and_whole_formulas(catalog):
    costs = catalog.audio("speech").estimate(characters=240_000)
    page = costs._repr_html_()
    assert_as_written(page)
    assert "240,000 characters × $12 / 1M characters = $2.88" in page
    for formula in costs["formula"].dropna():
        assert html.escape(formula, quote=False) in page  # whole, never "× $0..."
    assert "..." not in page


def test_long_mixed_formulas_are_shown_whole(catalog):
    costs = catalog.estimate(characters=1_234_567, input_tokens=98_765, output_tokens=54_321)
    longest = max(costs["formula"].dropna(), key=len)
    assert len(longest) > 60
    page = costs._repr_html_()
    assert_as_written(page)
    assert html.escape(longest, quote=False) in page


def test_frames_derived_from_an_estimate_keep_showing_dollars(catalog):
    costs = catalog.audio("speech").estimate(characters=240_000)
    for derived in (costs[costs.coverage == "full"], costs.head(2), costs[["id", "formula"]]):
        assert_as_written(derived._repr_html_())


@pytest.mark.parametrize("columns", [None, "all"])
def test_the_catalog_table(catalog, columns):
    view = catalog.audio().show(columns=columns) if columns else catalog.audio()
    assert_as_written(view._repr_html_())


def test_the_sample_catalog_with_its_banners():
    sample = ModelCatalog.from_raw(
        [{"id": "tts-1", "features": ["text-to-speech"], "pricing": {"input": 12}}, {"x": 1}],
        CatalogSource(sample=True, notice="the catalog could not be reached"),
    )
    page = sample._repr_html_()
    assert "not live prices" in page and "malformed" in page
    assert_as_written(page)


def test_the_call_log_with_costs():
    record = CallRecord(datetime.now(timezone.utc), "audio/speech", "tts-1", 500, 200, True, 1, 0.4)
    price = catalog_pricer([parse_record({"id": "tts-1", "pricing": {"input": 12}})])
    frame = call_log_frame([record], price)
    page = frame._repr_html_()
    assert "500 characters × $12 / 1M characters" in page
    assert_as_written(page)


def test_speech_and_transcript_views():
    speech = Speech(b"ID3" + bytes(400), "mp3", "audio/mpeg", text="It costs $5, or $10 with tax.")
    assert_as_written(speech._repr_mimebundle_()["text/html"])
    transcript = Transcript("It costs $5, or $10 with tax.")
    assert_as_written(transcript._repr_mimebundle_()["text/html"])
    timed = Transcript(
        "a $1 b $2", segment_records=[{"id": 0, "start": 0.0, "end": 1.0, "text": "a $1 b $2"}]
    )
    assert_as_written(timed._repr_mimebundle_()["text/html"])


def test_the_batch_table(engine, speech_wav_path):
    from comet_audio_nb import CometClient, transcribe_many

    with CometClient(base_url=engine.base_url) as client:
        result = transcribe_many([speech_wav_path], client=client, progress=False)
    assert_as_written(result._repr_html_())


def test_the_quiet_notice():
    from comet_audio_nb.notebook.notices import notice_bundle

    bundle = notice_bundle("using $12 of credit")
    assert bundle["text/plain"] == "using $12 of credit"
    assert_as_written(bundle["text/html"])


def _widget_tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widget_tree(child)


def test_every_html_and_label_of_the_explorer(catalog):
    import ipywidgets as widgets

    from comet_audio_nb.widgets import ModelExplorer

    explorer = ModelExplorer(catalog)
    states = [
        {},
        {"type": "speech"},
        {"type": "transcription", "sort": "usd_per_audio_hour"},
        {"search": "llama-3.1-405b"},
    ]
    for state in states:
        for name, value in state.items():
            getattr(explorer, name).value = value
        explorer.use()
        for widget in _widget_tree(explorer):
            if isinstance(widget, widgets.HTML) and widget.value:
                assert_as_written(widget.value)
            if isinstance(widget, widgets.Label) and widget.value:
                assert {"tex2jax_ignore", "mathjax_ignore"} <= set(widget._dom_classes)
            assert "$" not in (getattr(widget, "description", "") or "")


def test_the_speech_studios_history_label(engine, monkeypatch):
    import ipywidgets as widgets

    from comet_audio_nb.widgets import SpeechStudio

    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    studio = SpeechStudio("It costs $5, or $10 with tax.", background=False)
    studio.speak_button.click()
    labels = [w for w in _widget_tree(studio.history) if isinstance(w, widgets.Label)]
    assert labels and "$5" in labels[0].value
    for label in labels:
        assert {"tex2jax_ignore", "mathjax_ignore"} <= set(label._dom_classes)
