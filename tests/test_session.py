"""The kernel-wide session: defaults, the client and when it is rebuilt, the key, the log."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from traitlets import TraitError

from comet_audio_nb._aio import run_sync
from comet_audio_nb.notebook import session
from comet_audio_nb.notebook.session import CometAudio

KEY = "sk-session-test-key-0123456789abcd"


@pytest.fixture(autouse=True)
def fresh(monkeypatch) -> Iterator[None]:
    for name in ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    session.reset()
    yield
    session.reset()


@pytest.fixture
def on_engine(monkeypatch, engine) -> None:
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)


def test_defaults_are_the_documented_ones_each_with_help():
    defaults = CometAudio()
    expected = {
        "speech_model": "tts-1", "voice": "alloy", "response_format": "mp3", "speed": 1.0,
        "instructions": "", "transcribe_model": "whisper-1", "language": "",
        "concurrency": 4, "embed_max_bytes": 2_000_000, "short_errors": True, "autoplay": True,
    }  # fmt: skip
    assert {name: getattr(defaults, name) for name in expected} == expected
    for name, trait in defaults.traits(config=True).items():
        assert trait.help, name


def test_get_defaults_is_one_instance():
    assert session.get_defaults() is session.get_defaults()
    session.get_defaults().voice = "nova"
    assert session.get_defaults().voice == "nova"


@pytest.mark.parametrize(
    "name, value", [("speed", 0.1), ("speed", 5.0), ("concurrency", 0), ("embed_max_bytes", -1)]
)
def test_bad_defaults_are_refused(name, value):
    with pytest.raises(TraitError):
        setattr(CometAudio(), name, value)


def test_no_key_and_no_url_means_the_builtin_engine():
    client = session.get_client()
    assert client.uses_local_engine and client.settings.api_key is None


def test_client_is_kept_until_the_settings_change(monkeypatch, on_engine):
    first = session.get_client()
    assert session.get_client() is first and not first.uses_local_engine
    monkeypatch.setenv("COMETAPI_KEY", KEY)  # e.g. os.environ[...] = in a cell
    second = session.get_client()
    assert second is not first and second.settings.api_key.get_secret_value() == KEY
    assert first._http.is_closed
    session.get_defaults().max_retries = 5
    third = session.get_client()
    assert third is not second and third.retry.max_retries == 5


def test_setting_the_key_in_the_environment_leaves_the_builtin_engine(monkeypatch):
    assert session.get_client().uses_local_engine
    monkeypatch.setenv("COMETAPI_KEY", KEY)
    client = session.get_client()
    assert not client.uses_local_engine and client.base_url == "https://api.cometapi.com/v1"


def test_set_api_key_wins_over_the_environment_and_is_only_in_memory(monkeypatch):
    monkeypatch.setenv("COMETAPI_KEY", "sk-from-the-environment-000000")
    session.set_api_key(f" {KEY}\n")
    assert session.get_client().settings.api_key.get_secret_value() == KEY
    assert "comet_login" in session.key_source()
    session.set_api_key(None)
    assert session.key_source() == "$COMETAPI_KEY"


def test_base_url_from_config_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("COMETAPI_BASE_URL", "http://127.0.0.1:1/v1")
    session.get_defaults().base_url = "http://127.0.0.1:2/v1/"
    current = session.settings()
    assert (current.base_url, current.base_url_source) == ("http://127.0.0.1:2/v1", "argument")
    assert session.get_client().base_url == "http://127.0.0.1:2/v1"


def test_calls_of_the_session_clients_are_logged(on_engine):
    session.get_client().speech("Hello")
    assert [(r.endpoint, r.ok) for r in session.call_log()] == [("audio/speech", True)]
    session.clear_call_log()
    assert session.call_log() == []


def test_async_clients_are_new_each_time_and_log_their_calls(on_engine):
    async def speak(texts):
        async with session.get_async_client() as client:
            return await asyncio.gather(*(client.speech(t) for t in texts))

    assert session.get_async_client() is not session.get_async_client()
    speeches = run_sync(speak(["One.", "Two."]))
    assert [s.text for s in speeches] == ["One.", "Two."]
    assert len(session.call_log()) == 2

    async def inside_a_running_loop():  # as in a notebook cell
        return run_sync(speak(["Three."]))

    assert asyncio.run(inside_a_running_loop())[0].text == "Three."
    assert len(session.call_log()) == 3


def test_reset_forgets_everything(on_engine):
    session.set_api_key(KEY)
    session.get_defaults().voice = "nova"
    session.get_client().speech("Hi")
    session.reset()
    assert session.get_defaults().voice == "alloy"
    assert session.call_log() == [] and session.settings().api_key is None


def test_low_confidence_is_pushed_down_to_the_transcript_view():
    from comet_audio_nb.results.display import display_options

    session.reset()
    try:
        session.get_defaults().low_confidence = 0.8
        assert display_options.low_confidence == 0.8
        with pytest.raises(Exception, match="use 0 to 1"):
            session.get_defaults().low_confidence = 2
    finally:
        session.reset()
    assert display_options.low_confidence == 0.5
