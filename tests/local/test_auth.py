"""The optional API key: every /v1 path needs it, /api/models never does."""

from __future__ import annotations

import httpx
import openai
import pytest
from engine_helpers import assert_api_error, open_request, read_response

from comet_audio_nb.local import LocalEngine

KEY = "sk-local-test-key-123"


@pytest.fixture(scope="module")
def locked():
    with LocalEngine(api_key=KEY, control=True) as eng:
        yield eng


def test_requests_without_or_with_a_wrong_key_are_401(locked):
    url = locked.base_url + "/models"
    missing = assert_api_error(httpx.get(url), 401, code="missing_api_key")
    assert "Authorization: Bearer" in missing["message"]
    for header in ("Bearer sk-wrong-key-456", "Basic user:secret", "Bearer", KEY):
        response = httpx.get(url, headers={"Authorization": header})
        error = assert_api_error(response, 401)
        assert "sk-wrong" not in response.text and "secret" not in response.text
        assert error["code"] in ("missing_api_key", "invalid_api_key")


def test_the_right_key_passes(locked):
    response = httpx.get(locked.base_url + "/models", headers={"Authorization": f"Bearer {KEY}"})
    assert response.status_code == 200


def test_uploads_without_a_key_are_refused_cleanly(locked):
    files = {"file": ("a.wav", b"\0" * 300_000, "audio/wav")}
    response = httpx.post(locked.base_url + "/audio/transcriptions", files=files)
    assert_api_error(response, 401)


def test_an_oversized_upload_without_a_key_is_refused_before_its_body(locked):
    headers = {"Content-Type": "multipart/form-data; boundary=b", "Content-Length": "200000000"}
    with open_request(locked.url, "/v1/audio/transcriptions", headers) as sock:
        response = read_response(sock)  # the body was never sent
    assert_api_error(response, 401, code="missing_api_key")
    assert response.headers["connection"] == "close"


def test_catalog_and_control_need_no_key(locked):
    assert httpx.get(locked.url + "/api/models").status_code == 200
    assert httpx.get(locked.url + "/_engine/hits").status_code == 200


def test_openai_sdk_with_and_without_the_key(locked):
    with openai.OpenAI(api_key=KEY, base_url=locked.base_url, max_retries=0) as good:
        assert [m.id for m in good.models.list()][0] == "tts-1"
    bad = openai.OpenAI(api_key="sk-nope", base_url=locked.base_url, max_retries=0)
    with bad, pytest.raises(openai.AuthenticationError) as info:
        bad.models.list()
    assert "sk-nope" not in str(info.value)


def test_no_key_configured_accepts_anything(api):
    assert api.get("/models", headers={"Authorization": "Bearer whatever"}).status_code == 200
    assert api.get("/models").status_code == 200
