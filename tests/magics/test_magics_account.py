"""%comet_status, %comet_login, and the key never showing anywhere."""

from __future__ import annotations

import getpass
import shutil
from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError

from comet_audio_nb.local import LocalEngine
from comet_audio_nb.notebook import session

FAKE_KEY = "sk-FAKEdistinctive0123456789xyzTEST"  # what the user has: wrong for the engine
ENGINE_KEY = "sk-engine-only-key-0000000000000000"


@pytest.fixture(scope="module")
def locked_engine(engine) -> Iterator[LocalEngine]:
    """A second engine that wants ENGINE_KEY (models are process-wide: it starts fast)."""
    with LocalEngine(api_key=ENGINE_KEY) as locked:
        yield locked


@pytest.fixture
def fake_key(monkeypatch, locked_engine) -> str:
    monkeypatch.setenv("COMETAPI_BASE_URL", locked_engine.base_url)
    monkeypatch.setenv("COMETAPI_KEY", FAKE_KEY)
    return FAKE_KEY


def test_status_without_key_names_the_engine_url_and_defaults(run, engine):
    ran = run("%comet_status")
    assert ran.error is None
    assert "key         <none> (from none)" in ran.stdout
    assert f"base URL    {engine.base_url} (from $COMETAPI_BASE_URL)" in ran.stdout
    assert "speech      tts-1, voice alloy, mp3" in ran.stdout
    assert "transcribe  whisper-1, language detected, 4 at once" in ran.stdout


def test_status_with_no_key_and_no_url_says_the_builtin_engine_is_used(run, monkeypatch):
    monkeypatch.delenv("COMETAPI_BASE_URL")
    ran = run("%comet_status")
    assert "the built-in offline engine answers" in ran.stdout
    assert "%comet_login" in ran.stdout
    # which offline model answers which model id
    assert "whisper-1: Whisper base (99 languages" in ran.stdout
    assert "gpt-4o-mini-transcribe: Whisper tiny.en when the audio is English" in ran.stdout
    assert "tts-1, tts-1-hd, gpt-4o-mini-tts: Piper" in ran.stdout


def test_status_masks_the_key_and_says_where_it_comes_from(run, fake_key):
    ran = run("%comet_status")
    assert "key         sk-…TEST (from $COMETAPI_KEY)" in ran.stdout
    assert fake_key not in ran.texts()


def test_status_shows_config_changes(run):
    run("%config CometAudio.voice = 'nova'")
    run("%config CometAudio.base_url = 'http://127.0.0.1:9/v1'")
    ran = run("%comet_status")
    assert "voice nova" in ran.stdout
    assert "http://127.0.0.1:9/v1 (from %config CometAudio.base_url)" in ran.stdout


def test_status_takes_no_arguments(run):
    assert isinstance(run("%comet_status --all").error, UsageError)


def test_login_reads_the_key_hidden_and_never_echoes_it(run, shell, monkeypatch, locked_engine):
    monkeypatch.setenv("COMETAPI_BASE_URL", locked_engine.base_url)
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or ENGINE_KEY)
    ran = run("%comet_login")
    assert ran.error is None and prompts == ["CometAPI key (input hidden): "]
    assert ENGINE_KEY not in ran.texts() and "sk-…0000" in ran.stdout
    assert session.get_client().settings.api_key.get_secret_value() == ENGINE_KEY
    assert ENGINE_KEY not in repr(dict(shell.user_ns))  # not in the notebook's variables
    assert "comet_login" in session.key_source()
    said = run("%comet_say -o s Hello")  # the locked engine accepts it
    assert said.error is None and said.outputs
    forgot = run("%comet_login --forget")
    assert forgot.error is None and session.get_client().settings.api_key is None


def test_login_wins_over_the_environment_and_switches_without_restart(run, monkeypatch, fake_key):
    assert "HTTP 401" in run("%comet_say Hello").stderr
    monkeypatch.setattr(getpass, "getpass", lambda prompt: f"  {ENGINE_KEY}\n")
    run("%comet_login")
    assert run("%comet_say Hello").error is None


def test_login_with_nothing_typed_changes_nothing(run, monkeypatch):
    monkeypatch.setattr(getpass, "getpass", lambda prompt: "   ")
    ran = run("%comet_login")
    assert isinstance(ran.error, UsageError) and "no key entered" in ran.stderr
    assert session.get_client().settings.api_key is None


def test_the_key_is_never_shown_by_any_magic(
    run, shell, fake_key, speech_wav_path, tmp_path, monkeypatch
):
    shutil.copy(speech_wav_path, tmp_path / "a.wav")
    shutil.copy(speech_wav_path, tmp_path / "b.wav")
    cells = [
        "%comet_say Hello",
        "%%comet_say\nHello",
        "%%comet_transcribe\na.wav",
        "%%comet_transcribe -o out\na.wav\nb.wav",
        "%comet_status",
        "%comet_log -o calls",
        "%config CometAudio",
        "print(repr(comet_client), comet_settings)",
    ]
    shell.user_ns.update(comet_client=session.get_client(), comet_settings=session.settings())
    shown = []
    for cell in cells:
        ran = run(cell)
        shown.append(ran.texts())
    text = "\n".join(shown)
    assert fake_key not in text and fake_key[3:] not in text
    assert text.count("HTTP 401 authentication failed") >= 3
    assert "sk-…TEST" in text
    records = session.call_log()
    assert records and all(fake_key not in repr(r) for r in records)
    assert fake_key not in repr(shell.user_ns["out"].df.to_dict())


def test_full_tracebacks_do_not_show_the_key_either(run, fake_key):
    run("%config CometAudio.short_errors = False")
    ran = run("%comet_say Hello")
    assert "AuthenticationError" in ran.texts() and fake_key not in ran.texts()
