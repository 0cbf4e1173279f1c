"""%load_ext comet_audio_nb: every magic registered, %config CometAudio wired, ? help."""

from __future__ import annotations

import sys

import pytest

import comet_audio_nb
from comet_audio_nb.magics import MAGIC_MODULES
from comet_audio_nb.notebook import session

LINE = {"comet_say", "comet_transcribe", "comet_status", "comet_login", "comet_log",
        "comet_voices", "comet_compare", "comet_doctor"}  # fmt: skip
CELL = {"comet_say", "comet_transcribe", "comet_voices", "comet_compare"}


def test_load_ext_registers_every_magic(shell):
    shell.run_line_magic("load_ext", "comet_audio_nb")
    magics = shell.magics_manager.magics
    assert set(magics["line"]) >= LINE and set(magics["cell"]) >= CELL
    assert "comet_models" in magics["line"]


def test_a_missing_magic_module_is_an_error(shell, monkeypatch):
    monkeypatch.setitem(sys.modules, "comet_audio_nb.magics.calllog", None)
    with pytest.raises(ModuleNotFoundError):
        comet_audio_nb.load_ipython_extension(shell)
    assert set(MAGIC_MODULES) == {
        "say", "transcribe", "account", "calllog", "models", "compare", "voices", "doctor",
    }  # fmt: skip


def test_config_sets_the_session_defaults(run, shell):
    ran = run("%config CometAudio.voice = 'nova'\n%config CometAudio.concurrency = 2")
    assert ran.error is None
    assert (session.get_defaults().voice, session.get_defaults().concurrency) == ("nova", 2)


def test_config_lists_the_options_with_help(run):
    ran = run("%config CometAudio")
    for option in ("voice", "speech_model", "embed_max_bytes", "short_errors", "autoplay"):
        assert f"CometAudio.{option}" in ran.stdout
    assert "0.25 to 4.0" in ran.stdout


def test_config_rejects_bad_values(run):
    run("%config CometAudio.speed = 9.0")
    run("%config CometAudio.response_format = 'ogg'")
    defaults = session.get_defaults()
    assert (defaults.speed, defaults.response_format) == (1.0, "mp3")


def test_loading_twice_registers_the_defaults_once(shell):
    comet_audio_nb.load_ipython_extension(shell)
    comet_audio_nb.load_ipython_extension(shell)
    defaults = session.get_defaults()
    assert [c for c in shell.configurables if c is defaults] == [defaults]


@pytest.mark.parametrize(
    "magic, expected",
    [
        ("comet_say", ["%comet_say [-v VOICE]", "--no-play", "%comet_say Hello from"]),
        ("comet_transcribe", ["%comet_transcribe [-m MODEL]", "--timestamps", "glob"]),
        ("comet_status", ["masked"]),
        ("comet_login", ["--forget", "memory only"]),
        ("comet_log", ["--cost", "--clear"]),
        ("comet_voices", ["%comet_voices [-m A,B]", "--voices", '.pick("nova")']),
        ("comet_compare", ["%comet_compare [-m A,B,…]", "--reference-file", "%%comet_compare"]),
        ("comet_doctor", ["no answer from the page", "never shown"]),
    ],
)
def test_question_mark_help_shows_usage_and_examples(shell, magic, expected):
    doc = shell.find_line_magic(magic).__doc__
    for text in expected:
        assert text in doc


def test_importing_the_package_loads_nothing_heavy():
    import subprocess

    code = (
        "import sys, comet_audio_nb; "
        "heavy = [m for m in ('pandas', 'httpx', 'IPython', 'av', 'numpy') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
