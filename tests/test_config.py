"""Where the key and base URL come from, and that the key never shows."""

from __future__ import annotations

import pytest

from comet_audio_nb import AuthenticationError, CometClient
from comet_audio_nb.config import DEFAULT_BASE_URL, mask_key, resolve_settings
from comet_audio_nb.local import LocalEngine

SECRET = "sk-live0123456789abcdefSECRET"


def test_argument_wins_over_environment():
    env = {"COMETAPI_KEY": "sk-fromenv00000000000", "COMETAPI_BASE_URL": "http://env/v1"}
    s = resolve_settings("sk-fromarg00000000000", "http://arg/v1", environ=env)
    assert s.api_key.get_secret_value() == "sk-fromarg00000000000" and s.key_source == "argument"
    assert s.base_url == "http://arg/v1" and s.base_url_source == "argument"


def test_environment_then_fallback_variable_then_default():
    s = resolve_settings(environ={"COMETAPI_API_KEY": "k2-000000000000"})
    assert s.api_key.get_secret_value() == "k2-000000000000" and s.key_source == "$COMETAPI_API_KEY"
    s = resolve_settings(environ={"COMETAPI_KEY": "k1-000000000000", "COMETAPI_API_KEY": "k2"})
    assert s.key_source == "$COMETAPI_KEY"
    s = resolve_settings(environ={})
    assert s.api_key is None and s.base_url == DEFAULT_BASE_URL


def test_whitespace_and_bom_are_trimmed_and_blank_means_unset():
    s = resolve_settings(environ={"COMETAPI_KEY": "\ufeff  sk-abc123456789xyz \n",
                                  "COMETAPI_BASE_URL": " http://h:1/v1/ "})  # fmt: skip
    assert s.api_key.get_secret_value() == "sk-abc123456789xyz" and s.base_url == "http://h:1/v1"
    assert resolve_settings("   ", environ={}).api_key is None


def test_catalog_url_sits_beside_v1():
    assert resolve_settings(environ={}).catalog_url == "https://api.cometapi.com/api/models"
    assert resolve_settings(base_url="http://x:9/v1/", environ={}).catalog_url == (
        "http://x:9/api/models"
    )


@pytest.mark.parametrize(
    ("key", "shown"),
    [(SECRET, "sk-…CRET"), ("abcdefghijklmnop", "…mnop"), ("short", "…"), (None, "<none>")],
)
def test_mask_key(key, shown):
    assert mask_key(key) == shown


def test_key_is_masked_in_reprs():
    client = CometClient(SECRET, base_url="http://127.0.0.1:9/v1")
    for text in (repr(client), repr(client.settings), str(client.settings)):
        assert SECRET not in text and "sk-…CRET" in text
    client.close()


@pytest.fixture(scope="module")
def locked_engine():
    with LocalEngine(api_key="the-right-key-000000") as engine:
        yield engine


def test_wrong_key_gives_authentication_error_without_the_key(locked_engine):
    with CometClient(SECRET, base_url=locked_engine.base_url) as client:
        with pytest.raises(AuthenticationError) as info:
            client.speech("Hello")
    error = info.value
    texts = [str(error), repr(error), error.message, str(error.headers), str(error.body)]
    assert all(SECRET not in t for t in texts)
    assert "COMETAPI_KEY" in str(error)  # the hint says what to do


def test_right_key_is_accepted(locked_engine):
    with CometClient("the-right-key-000000", base_url=locked_engine.base_url) as client:
        assert [m["id"] for m in client.list_models()]


def test_echoed_key_is_scrubbed_from_messages(locked_engine):
    body = '{"error": {"message": "Invalid token: ' + SECRET + '"}}'
    locked_engine.inject("/v1/audio/speech", 401, body=body, content_type="application/json")
    with CometClient(SECRET, base_url=locked_engine.base_url) as client:
        with pytest.raises(AuthenticationError) as info:
            client.speech("Hello")
    assert SECRET not in str(info.value) and "sk-…" in str(info.value)
