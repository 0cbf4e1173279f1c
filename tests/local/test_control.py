"""The /_engine/ control endpoints: off unless asked for, JSON only, loopback names only."""

from __future__ import annotations

import httpx
import pytest

from comet_audio_nb.local import LocalEngine

MODELS = "/v1/models"


@pytest.fixture(scope="module")
def plain_engine():
    """An engine as a user gets it: no control endpoints."""
    with LocalEngine() as eng:
        yield eng


def test_control_endpoints_are_off_unless_asked_for(plain_engine):
    control = plain_engine.url + "/_engine"
    assert httpx.get(control + "/hits").status_code == 404
    assert httpx.get(control + "/status").status_code == 404
    response = httpx.post(control + "/faults", json={"path": MODELS, "status": 500})
    assert response.status_code == 404
    assert plain_engine.state.pending_faults() == {}
    plain_engine.inject(MODELS, 503)  # the in-process Python API still works
    assert httpx.get(plain_engine.base_url + "/models").status_code == 503


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_control_changes_need_a_json_content_type(engine, content_type):
    # text/plain, form and body-less POSTs are what a web page may send without a preflight.
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"path": "/v1/models", "status": 500}'
    response = httpx.post(engine.url + "/_engine/faults", content=body, headers=headers)
    assert response.status_code == 415
    assert response.json() == {"ok": False, "error": "send the body as application/json"}
    engine.set_latency(0.01)
    assert httpx.post(engine.url + "/_engine/reset", headers=headers).status_code == 415
    assert httpx.delete(engine.url + "/_engine/faults", headers=headers).status_code == 415
    assert engine.state.pending_faults() == {} and engine.state.latency == 0.01


def test_control_refuses_host_names_a_web_page_could_rebind(engine):
    for host in ("attacker.example", "localhost.attacker.example"):
        headers = {"Host": host, "Content-Type": "application/json"}
        response = httpx.post(engine.url + "/_engine/latency", json={"seconds": 5}, headers=headers)
        assert response.status_code == 403
        assert httpx.get(engine.url + "/_engine/hits", headers={"Host": host}).status_code == 403
    assert engine.state.latency == 0
    for host in ("localhost", "127.0.0.1", f"localhost:{engine.port}"):
        assert httpx.get(engine.url + "/_engine/hits", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("latency", b'{"seconds": Infinity}'),
        ("latency", b'{"seconds": NaN}'),
        ("latency", b'{"seconds": 1e308}'),
        ("latency", b'{"seconds": "1"}'),
        ("latency", b"{not json"),
        ("faults", b'{"path": "/v1/models", "status": 500, "latency": Infinity}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "latency": 1e999}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "retry_after": [1]}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "retry_after_ms": -1}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "headers": {"X-A": "a\\r\\nb"}}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "headers": {"bad name": "1"}}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "headers": ["X-A"]}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "content_type": "a\\nb"}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "body": 5}'),
        ("faults", b'{"path": "/v1/models", "status": 500, "truncate": "yes"}'),
        ("faults", b'{"path": "/v1/models", "status": 101}'),
        ("faults", b'{"path": 5, "status": 500}'),
    ],
)
def test_bad_control_values_get_a_one_line_400(engine, endpoint, body):
    headers = {"Content-Type": "application/json"}
    response = httpx.post(f"{engine.url}/_engine/{endpoint}", content=body, headers=headers)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["ok"] is False and "\n" not in answer["error"] and answer["error"]
    assert engine.state.pending_faults() == {} and engine.state.latency == 0
    assert httpx.get(engine.base_url + "/models", timeout=10).status_code == 200


def test_faults_without_a_body_status_answer_cleanly(engine, api):
    # 204 and 304 carry no body: the fault must not try to send an error object with them.
    for status in (204, 304):
        engine.inject(MODELS, status)
        response = api.get("/models")
        assert response.status_code == status and response.content == b""
    assert api.get("/models").status_code == 200


def test_header_names_are_recorded_per_path_without_values(engine, api):
    secret = "sk-recorded-nowhere-1234"
    api.get("/models", headers={"Authorization": f"Bearer {secret}", "X-Probe": "1"})
    httpx.get(engine.url + "/api/models", headers={"X-Other": "2"})
    (names,) = engine.request_headers(MODELS)
    assert "authorization" in names and "x-probe" in names
    assert "authorization" not in engine.request_headers("/api/models")[0]
    answer = httpx.get(engine.url + "/_engine/headers", params={"path": MODELS}).json()
    assert answer == {"path": MODELS, "requests": [names]}
    assert secret not in repr(engine.state.__dict__) and secret not in str(answer)
    engine.reset()
    assert engine.request_headers(MODELS) == []
