"""%comet_log: the calls made in this kernel, with costs where the catalog has a price."""

from __future__ import annotations

import math

import pytest

from comet_audio_nb.notebook import session
from comet_audio_nb.retry import RetryPolicy


def table(run, shell, line="%comet_log -o calls"):
    ran = run(line)
    assert ran.error is None, ran.stderr
    assert len(ran.outputs) == 1 and "<table" in ran.outputs[0]["text/html"]
    return shell.user_ns["calls"]


def test_empty_log_says_so(run):
    ran = run("%comet_log")
    assert ran.error is None and ran.outputs == [] and "no calls yet" in ran.stdout


def test_calls_are_logged_with_typed_columns(run, shell, engine, speech_wav_path):
    engine.inject("/v1/audio/speech", 429, count=1, retry_after=0)
    run("%comet_say -q Hello there.")
    run("%comet_say -q --voice nobody Hello")
    run(f"%%comet_transcribe\n{speech_wav_path}")
    calls = table(run, shell)
    assert calls["endpoint"].tolist() == ["audio/speech", "audio/speech", "audio/transcriptions"]
    assert calls["model"].tolist() == ["tts-1", "tts-1", "whisper-1"]
    assert calls["input_size"].tolist() == [12, 5, speech_wav_path.stat().st_size]
    assert calls["status"].tolist() == [200, 400, 200]
    assert calls["ok"].tolist() == [True, False, True]
    assert calls["attempts"].tolist() == [2, 1, 1]
    assert "BadRequestError" in calls["error"][1] and calls["error"].isna()[[0, 2]].all()
    assert str(calls["time"].dtype) == "datetime64[us, UTC]" or "UTC" in str(calls["time"].dtype)
    assert str(calls["duration"].dtype) == "float64" and (calls["duration"] > 0).all()
    assert calls["estimated_cost"].isna().all()  # no catalog fetched yet


def test_cost_prices_speech_from_the_catalog(run, shell, engine):
    run("%comet_say -q Twelve chars")
    run("%comet_say -q -m tts-1-hd Twelve chars")
    calls = table(run, shell, "%comet_log --cost -o calls")
    speech = calls[calls["endpoint"] == "audio/speech"]
    # tests/data/catalog.json: tts-1 $12 and tts-1-hd $24 per million characters
    assert speech["estimated_cost"].tolist() == pytest.approx([12 * 12e-6, 12 * 24e-6])
    assert speech["cost_basis"].tolist()[0] == "12 characters × $12 / 1M characters"
    catalog_call = calls[calls["endpoint"] == "api/models"]
    assert len(catalog_call) == 1 and math.isnan(catalog_call["estimated_cost"].iloc[0])


def test_last_and_clear(run, shell):
    run("%comet_say -q One.")
    run("%comet_say -q Two words.")
    assert table(run, shell, "%comet_log -n 1 -o calls")["input_size"].tolist() == [10]
    ran = run("%comet_log --clear")
    assert ran.error is None and "cleared" in ran.stdout
    assert "no calls yet" in run("%comet_log").stdout


def test_pricer_says_why_a_call_has_no_estimate():
    from datetime import datetime, timezone

    from comet_audio_nb.catalog import parse_record
    from comet_audio_nb.client import CallRecord
    from comet_audio_nb.notebook.calllog import call_log_frame, catalog_pricer

    price = catalog_pricer(
        [
            parse_record({"id": "tts-1", "pricing": {"input": 12}}),
            parse_record({"id": "whisper-1", "pricing": {"per_second": 8e-05}}),
            parse_record({"id": "flat", "pricing": {"per_request": 0.01}}),
        ]
    )

    def call(endpoint, model, ok=True, minute=0):
        when = datetime(2026, 1, 1, 12, minute, tzinfo=timezone.utc)
        return CallRecord(when, endpoint, model, 100, 200 if ok else 500, ok, 1, 0.5)

    assert price(call("audio/speech", "tts-1", ok=False)) == (None, "failed call")
    assert price(call("audio/speech", "nope")) == (None, "no price in the catalog")
    assert price(call("audio/transcriptions", "whisper-1"))[1].startswith("priced per second")
    assert price(call("audio/transcriptions", "flat")) == (0.01, "1 request × $0.01")
    later, earlier = call("audio/speech", "tts-1", minute=5), call("audio/speech", "flat")
    frame = call_log_frame([later, earlier], price)  # logged as they finished
    assert frame["model"].tolist() == ["flat", "tts-1"]  # shown as they started
    assert frame["estimated_cost"].tolist() == pytest.approx([0.01, 0.0012])


def test_a_request_retried_twice_is_one_row_with_three_attempts_on_every_path(
    run, shell, engine, speech_wav_path
):
    """Whatever sent it (a method, a batch, long media, a magic), one request is one row."""
    from comet_audio_nb.notebook import session

    client = session.get_client()
    speech_path, transcribe_path = "/v1/audio/speech", "/v1/audio/transcriptions"
    fast = 2  # retries: the shell fixture's client retries twice by default

    def twice(path):
        engine.inject(path, 503, count=fast, retry_after=0)

    paths = {
        "speech": (speech_path, lambda: client.speech("One.")),
        "transcribe": (transcribe_path, lambda: client.transcribe(speech_wav_path)),
        "transcribe_many": (
            transcribe_path,
            lambda: client.transcribe_many([speech_wav_path], progress=False),
        ),
        "transcribe_long": (
            transcribe_path,
            lambda: client.transcribe_long(speech_wav_path, progress=False),
        ),
        "speech_long": (speech_path, lambda: client.speech_long("One.", progress=False)),
    }
    for name, (path, call) in paths.items():
        session.clear_call_log()
        twice(path)
        call()
        rows = [(c.endpoint, c.attempts, c.ok) for c in session.call_log()]
        assert rows == [(path.removeprefix("/v1/"), 3, True)], name
    session.clear_call_log()
    twice(speech_path)
    run("%comet_say -q One.")
    twice(transcribe_path)
    run(f"%%comet_transcribe -c 1\n{speech_wav_path}\n{speech_wav_path}")
    calls = table(run, shell, "%comet_log --cost -o calls")
    audio = calls[calls["endpoint"] != "api/models"]  # --cost fetched the catalog too
    assert audio["attempts"].tolist() == [3, 3, 1] and audio["ok"].all()


def test_offline_the_costs_come_from_the_labelled_sample(run, shell, engine, monkeypatch):
    monkeypatch.delenv("COMETAPI_BASE_URL")  # no key, no URL: the built-in engine answers
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # and CometAPI's catalog cannot
    monkeypatch.setattr("comet_audio_nb.local.get_engine", lambda: engine)
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, headers=None: 0.0)
    run("%comet_say -q Twelve chars")
    ran = run("%comet_log --cost -o calls")
    assert ran.error is None, ran.stderr
    calls = shell.user_ns["calls"]
    assert calls.attrs["sample"] is True and calls["estimated_cost"].notna().any()
    page = ran.outputs[-1]["text/html"]
    assert "sample data from the built-in engine" in page and "could not be reached" in page
    assert "12 characters × $12 / 1M characters" in page
    assert "sample data from the built-in engine" in repr(calls)


def test_cost_uses_the_usage_the_service_reported(run, shell, engine, speech_wav_path):
    path = "/v1/audio/transcriptions"
    tokens = {"type": "tokens", "input_tokens": 1000, "output_tokens": 500}
    engine.inject(path, 200, body={"text": "hi", "usage": tokens}, content_type="application/json")
    run(f"%%comet_transcribe -m gpt-4o-mini-transcribe\n{speech_wav_path}")
    seconds = {"type": "duration", "seconds": 90}
    engine.inject(path, 200, body={"text": "hi", "usage": seconds}, content_type="application/json")
    run(f"%%comet_transcribe -m whisper-1 -f json\n{speech_wav_path}")
    calls = table(run, shell, "%comet_log --cost -o calls")
    audio = calls[calls["endpoint"] == "audio/transcriptions"]
    assert [call.usage for call in session.call_log()[:2]] == [tokens, seconds]
    # tests/data/catalog.json: gpt-4o-mini-transcribe $2.4 in / $4 out per 1M tokens;
    # whisper-1 $0.00008 per second
    expected = [(1000 * 2.4 + 500 * 4) / 1e6, 90 * 8e-05]
    assert audio["estimated_cost"].tolist() == pytest.approx(expected)
    assert "the service's usage" in audio["cost_basis"].iloc[0]
