"""Fault injection, latency and hit counts, through the Python API and /_engine/ endpoints."""

from __future__ import annotations

import time

import httpx
import openai
import pytest
from engine_helpers import assert_api_error, duration

MODELS = "/v1/models"
JSON = {"Content-Type": "application/json"}


def test_injected_status_with_retry_after(engine, api):
    engine.inject(MODELS, 429, retry_after=3, retry_after_ms=2500, error_code="rate_limited")
    response = api.get("/models")
    error = assert_api_error(response, 429, code="rate_limited")
    assert error["message"].startswith("injected fault 429")
    assert response.headers["retry-after"] == "3"
    assert response.headers["retry-after-ms"] == "2500"
    assert api.get("/models").status_code == 200


def test_count_is_honoured_and_faults_queue_in_order(engine, api):
    engine.inject(MODELS, 503, count=2)
    engine.inject(MODELS, 500, error_code="invalid_request")
    statuses = [api.get("/models").status_code for _ in range(4)]
    assert statuses == [503, 503, 500, 200]
    assert engine.hits(MODELS) == 4
    assert engine.hits() == {MODELS: 4}
    assert engine.hits("/v1/audio/speech") == 0


def test_faults_are_per_path(engine, api):
    engine.inject("/v1/audio/speech", 500)
    assert api.get("/models").status_code == 200
    assert httpx.get(engine.url + "/api/models").status_code == 200
    assert engine.hits("/api/models") == 1


def test_html_body_and_redirect(engine, api):
    engine.inject(MODELS, 404, body="<html><body>Not here</body></html>")
    response = api.get("/models")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not here" in response.text
    engine.inject(MODELS, 301, headers={"Location": "https://example.invalid/v1/models"})
    response = api.get("/models")
    assert response.status_code == 301
    assert response.headers["location"] == "https://example.invalid/v1/models"


def test_200_with_an_error_object(engine, api):
    body = {"error": {"message": "upstream failed", "type": "comet_api_error", "code": ""}}
    engine.inject("/v1/audio/speech", 200, body=body)
    response = api.post("/audio/speech", json={"model": "tts-1", "input": "x", "voice": "alloy"})
    assert response.status_code == 200
    assert response.json() == body


def test_truncated_body_is_detectable(engine, api):
    engine.inject("/v1/audio/speech", 200, truncate=True)
    body = {"model": "tts-1", "input": "Cut me short.", "voice": "alloy", "response_format": "wav"}
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/audio/speech", json=body)
    response = api.post("/audio/speech", json=body)  # the next one is whole (and streamed)
    assert response.status_code == 200 and duration(response.content) > 0.5
    engine.inject(MODELS, 200, truncate=True)
    with httpx.stream("GET", engine.base_url + "/models") as response:
        declared = int(response.headers["content-length"])
        received = b""
        with pytest.raises(httpx.RemoteProtocolError):
            for chunk in response.iter_raw():
                received += chunk
    assert 0 < len(received) < declared


def test_faulted_uploads_are_drained(engine, api, speech_wav):
    engine.inject("/v1/audio/transcriptions", 502)
    files = {"file": ("speech.wav", speech_wav * 20, "audio/wav")}
    response = api.post("/audio/transcriptions", files=files)
    assert_api_error(response, 502)
    assert api.get("/models").status_code == 200  # the connection is still usable


def test_latency_global_and_per_fault(engine, api):
    engine.set_latency(0.3)
    started = time.monotonic()
    api.get("/models")
    assert time.monotonic() - started >= 0.3
    engine.set_latency(0)
    engine.inject(MODELS, 504, latency=0.3)
    started = time.monotonic()
    assert api.get("/models").status_code == 504
    assert time.monotonic() - started >= 0.3
    with pytest.raises(ValueError):
        engine.set_latency(-1)


def test_reset_clears_everything(engine, api):
    engine.inject(MODELS, 500, count=5)
    engine.set_latency(30)
    engine.reset()
    status = httpx.get(engine.url + "/_engine/status").json()
    assert status["latency"] == 0 and status["pending_faults"] == {}
    started = time.monotonic()
    assert api.get("/models").status_code == 200
    assert time.monotonic() - started < 15  # the 30 s latency, had it stayed, would show
    assert engine.hits() == {MODELS: 1}


def test_control_endpoints(engine, api):
    control = engine.url + "/_engine"
    response = httpx.post(
        control + "/faults", json={"path": "v1/models", "status": 429, "retry_after": 1, "count": 2}
    )
    assert response.json() == {"ok": True, "pending": {MODELS: 2}}
    assert api.get("/models").headers["retry-after"] == "1"
    assert httpx.delete(control + "/faults", headers=JSON).json() == {"ok": True}
    assert api.get("/models").status_code == 200
    assert httpx.get(control + "/hits").json() == {"hits": {MODELS: 2}}
    assert httpx.post(control + "/latency", json={"seconds": 0.2}).json()["seconds"] == 0.2
    assert engine.state.latency == 0.2
    assert httpx.post(control + "/reset", json={}).json() == {"ok": True}
    assert engine.hits() == {} and engine.state.latency == 0
    assert httpx.get(control + "/status").json()["ok"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"status": 500},
        {"path": "/v1/models", "status": 99},
        {"path": "/v1/models", "status": 500, "count": 0},
        {"path": "/v1/models", "status": 500, "colour": "red"},
        "not an object",
    ],
)
def test_bad_fault_requests(engine, body):
    response = httpx.post(engine.url + "/_engine/faults", json=body)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert engine.state.pending_faults() == {}


def test_openai_sdk_retries_honour_retry_after(engine):
    engine.inject(MODELS, 429, retry_after_ms=50)
    engine.inject(MODELS, 503, retry_after=0)
    with openai.OpenAI(api_key="x", base_url=engine.base_url, max_retries=2) as client:
        assert client.models.list().data[0].id == "tts-1"
    assert engine.hits(MODELS) == 3


def test_wrong_base_url_gets_html(engine):
    response = httpx.post(engine.url + "/audio/speech", json={})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert engine.hits() == {}  # outside /v1 and /api: not API traffic
    assert httpx.get(engine.url + "/").headers["content-type"].startswith("text/html")


def test_every_response_has_a_request_id(engine, api):
    engine.inject(MODELS, 500)
    responses = [api.get("/models"), api.get("/models"), httpx.get(engine.url + "/nowhere")]
    responses.append(httpx.get(engine.url + "/_engine/hits"))
    ids = [r.headers["x-request-id"] for r in responses]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
