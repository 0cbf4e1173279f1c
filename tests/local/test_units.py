"""Unit tests of the engine's pure pieces: paging, faults, subtitle formats, voice table."""

from __future__ import annotations

import pytest

from comet_audio_nb.local import tts
from comet_audio_nb.local.apierror import ApiError
from comet_audio_nb.local.catalog import page_envelope
from comet_audio_nb.local.faults import Fault, normalize_path
from comet_audio_nb.local.registry import VOICES
from comet_audio_nb.local.state import EngineState
from comet_audio_nb.local.stt import Recognition
from comet_audio_nb.local.transcripts import to_srt, to_vtt, verbose

RECS = [{"id": i} for i in range(7)]


def envelope(mode, page=None, page_size=None):
    return page_envelope(
        RECS, mode=mode, default_size=3, page=page, page_size=page_size, sample=False
    )


def test_paging_full_mode():
    assert envelope("full")["data"] == RECS
    assert envelope("full", page="0", page_size="2")["page_size"] == 0
    assert envelope("full", page="3")["data"] == [{"id": 6}]
    assert envelope("full", page="2", page_size="5")["data"] == [{"id": 5}, {"id": 6}]


def test_paging_paged_mode():
    body = envelope("paged", page="0", page_size="50")
    assert (body["page"], body["page_size"], len(body["data"])) == (1, 3, 3)
    assert envelope("paged", page="9")["data"] == []
    with pytest.raises(ApiError):
        envelope("paged", page="1.5")


def test_fault_validation_and_headers():
    assert normalize_path("v1/models/") == "/v1/models"
    fault = Fault("v1/models", 429, retry_after=1.5, retry_after_ms=20, headers={"X-A": 1})
    assert fault.response_headers() == {"Retry-After": "1.5", "retry-after-ms": "20", "X-A": "1"}
    assert Fault("/x", 503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT").response_headers()
    assert Fault("/x", 500, body="<p>hi</p>").custom_body()[1].startswith("text/html")
    assert Fault("/x", 500, body="oops").custom_body()[1].startswith("text/plain")
    assert Fault("/x", 500, body=b"\x00", content_type="application/octet-stream").custom_body()
    for bad in ({"status": 600}, {"status": 500, "count": 0}, {"status": 500, "latency": -1}):
        with pytest.raises(ValueError):
            Fault(path="/x", **bad)


def test_state_counts_and_consumes_faults():
    state = EngineState()
    state.inject("/v1/a", 500, count=2)
    state.count_hit("/v1/a/")
    assert state.hits("/v1/a") == 1
    assert state.take_fault("/v1/a").status == 500
    assert state.pending_faults() == {"/v1/a": 1}
    assert state.take_fault("/v1/a/") is not None
    assert state.take_fault("/v1/a") is None


def test_srt_and_vtt_formatting():
    rec = Recognition(
        duration=3725.5,
        segments=[
            {"start": 0.0, "end": 1.5, "text": " Hello."},
            {"start": 3661.25, "end": 3725.5, "text": " Later."},
        ],
    )
    assert to_srt(rec) == (
        "1\n00:00:00,000 --> 00:00:01,500\nHello.\n\n2\n01:01:01,250 --> 01:02:05,500\nLater.\n\n"
    )
    assert to_vtt(rec) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:01.500\nHello.\n\n01:01:01.250 --> 01:02:05.500\nLater.\n\n"
    )
    assert to_srt(Recognition(duration=1.0)) == ""
    assert verbose(rec, task="translate", words=False)["usage"]["seconds"] == 3726


def test_every_voice_has_a_distinct_style():
    assert set(tts.VOICE_STYLES) == set(VOICES)
    pitches = [style.pitch for style in tts.VOICE_STYLES.values()]
    assert len(set(pitches)) == len(pitches)
    assert all(0.85 <= p <= 1.2 for p in pitches)


def test_instruction_effect():
    assert tts.instruction_effect(None) == (1.0, 1.0)
    assert tts.instruction_effect("Speak slowly and calmly")[0] < 1
    assert tts.instruction_effect("Sound excited!")[0] > 1
    assert tts.instruction_effect("whisper")[1] < 1
