"""voice_gallery against the engine: a row per voice, refused voices, costs, pick, concurrency."""

from __future__ import annotations

import math
import time

import pytest
from html_checks import typesettable_text

from comet_audio_nb import CometClient, RetryPolicy, ValidationError, VoiceGallery, voice_gallery
from comet_audio_nb.jobs import defaults as _defaults
from comet_audio_nb.jobs.gallery import DOCUMENTED_VOICES, ENGINE_NOTE, voices_for
from comet_audio_nb.notebook import session

SPEECH = "/v1/audio/speech"


@pytest.fixture
def client(engine):
    with CometClient(base_url=engine.base_url, retry=RetryPolicy(max_retries=0)) as client:
        yield client


def test_the_default_gallery_is_tts1_with_its_ten_documented_voices(client):
    gallery = voice_gallery("Hi.", client=client, progress=False)
    df = gallery.df
    assert df.voice.tolist() == list(DOCUMENTED_VOICES)
    assert set(df.model) == {"tts-1"} and (df.status == "ok").all()
    assert (df.duration > 0.1).all() and (df["size"] > 500).all()
    assert (df.request_time > 0).all()
    # tts-1 is priced per character in the engine's catalog: 3 characters' worth.
    assert (df.estimated_cost > 0).all()
    assert df.cost_formula.str.startswith("3 characters").all()
    # Ten players, each with its own clip.
    html = gallery._repr_mimebundle_()["text/html"]
    assert html.count("<audio") == 10
    assert typesettable_text(html) == []  # "$0.000036" stays dollars
    assert "cometAudio" in html and " autoplay" not in html  # one at a time, none by itself
    assert len({s.data for s in gallery.speeches}) > 1


def test_newer_voices_only_for_the_models_that_have_them():
    assert len(voices_for("tts-1")) == len(voices_for("tts-1-hd")) == 10
    assert voices_for("gpt-4o-mini-tts")[-3:] == ("verse", "marin", "cedar")
    assert len(voices_for("gpt-4o-mini-tts-2025-12-15")) == 13


def test_a_refused_voice_gets_its_row_and_the_others_still_play(client):
    gallery = voice_gallery(
        "Hi.", models="tts-1", voices=["alloy", "not-a-voice", "nova"], client=client,
        progress=False,
    )  # fmt: skip
    df = gallery.df
    assert df.status.tolist() == ["ok", "failed", "ok"]
    assert "400" in df.error[1] and "not-a-voice" in df.error[1]
    assert math.isnan(df.duration[1])
    html = gallery._repr_mimebundle_()["text/html"]
    assert html.count("<audio") == 2 and "failed: HTTP 400" in html
    assert "2 failed" not in repr(gallery) and "1 failed" in repr(gallery)


def test_pick_sets_the_notebook_default_voice_and_returns_its_clip(client):
    gallery = voice_gallery("Hi.", voices="alloy,onyx", client=client, progress=False)
    try:
        clip = gallery.pick("Onyx", model="tts-1")
        assert clip.voice == "onyx"
        assert session.get_defaults().voice == "onyx"
        assert session.get_defaults().speech_model == "tts-1"
        with pytest.raises(ValidationError, match="no voice 'nova'"):
            gallery.pick("nova")
    finally:
        session.reset()


def test_pick_without_a_notebook_session_says_so(client, monkeypatch):
    gallery = voice_gallery("Hi.", voices="alloy", client=client, progress=False)
    monkeypatch.setattr(_defaults.job_defaults, "choose_voice", None)
    with pytest.raises(ValidationError, match="no notebook session"):
        gallery.pick("alloy")


def test_requests_go_out_concurrently(engine, client):
    engine.set_latency(0.4)
    started = time.perf_counter()
    gallery = voice_gallery("Hi.", voices="alloy,ash,coral,echo", client=client, concurrency=4,
                            progress=False)  # fmt: skip
    elapsed = time.perf_counter() - started
    assert (gallery.df.status == "ok").all()
    assert elapsed < 4 * 0.4, elapsed  # one after the other would be 1.6 s of latency alone


def test_on_the_engine_the_gallery_says_its_voices_are_one_voice(client):
    gallery = voice_gallery("Hi.", voices="alloy", client=client, progress=False)
    # The engine is found by its model list (a loopback base URL, as `comet-audio serve`).
    assert gallery.engine
    assert ENGINE_NOTE in gallery._repr_mimebundle_()["text/plain"]
    assert "variations of one voice" in gallery._repr_mimebundle_()["text/html"]
    elsewhere = VoiceGallery("Hi.", gallery.rows, engine=False)
    assert "variations of one voice" not in elsewhere._repr_mimebundle_()["text/html"]


def test_bad_arguments_are_one_line_errors(client):
    with pytest.raises(ValidationError, match="no text"):
        voice_gallery("  ", client=client)
    with pytest.raises(ValidationError, match="no voices"):
        voice_gallery("Hi.", voices=",", client=client)
    with pytest.raises(ValidationError, match="response_format"):
        voice_gallery("Hi.", response_format="ogg", client=client)
