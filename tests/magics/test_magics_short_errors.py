"""After %load_ext, a CometError raised by Python code in a cell is one or two lines too.

IPython's custom exception hook (``shell.set_custom_exc``) shows our errors as the magics
do, honours ``%config CometAudio.short_errors`` and never shows the key; unloading the
extension puts the previous hook back.
"""

from __future__ import annotations

import pytest

import comet_audio_nb
from comet_audio_nb import APIConnectionError, ValidationError
from comet_audio_nb.catalog import clear_cache, fetch
from comet_audio_nb.notebook import session
from comet_audio_nb.retry import RetryPolicy

KEY = "test-key-0123456789abcdef"  # not sk-shaped: only the exact-secret scrub can hide it


def shown(ran) -> str:
    return ran.stdout + ran.stderr


def test_a_python_call_shows_its_error_in_one_or_two_lines(run):
    ran = run("from comet_audio_nb import CometClient\nCometClient().speech('')")
    assert isinstance(ran.error, ValidationError)
    text = shown(ran).strip()
    assert text.startswith("ValidationError: there is no text to speak")
    assert "Traceback" not in text and len(text.splitlines()) == 2
    assert "→ pass a non-empty string" in text


def test_models_offline_is_two_lines_naming_the_fallback(run, monkeypatch, tmp_path):
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, headers=None: 0.0)
    clear_cache(disk=False)
    fetch._built.clear()
    ran = run("from comet_audio_nb import models\nmodels(base_url='http://127.0.0.1:9/v1')")
    assert isinstance(ran.error, APIConnectionError)
    lines = shown(ran).strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("APIConnectionError: the model catalog")
    assert "fallback='local'" in lines[1]


def test_short_errors_false_shows_the_whole_traceback(run):
    run("%config CometAudio.short_errors = False")
    ran = run("from comet_audio_nb import CometClient\nCometClient().speech('')")
    assert isinstance(ran.error, ValidationError)
    assert "Traceback" in shown(ran) and len(shown(ran).splitlines()) > 5


def test_other_errors_keep_their_traceback(run):
    ran = run("1 / 0")
    assert isinstance(ran.error, ZeroDivisionError) and "Traceback" in shown(ran)


def test_the_key_is_never_shown(run, shell, monkeypatch):
    session.set_api_key(KEY)
    sent = []
    real = shell._showtraceback
    monkeypatch.setattr(
        shell, "_showtraceback", lambda *a: (sent.append(a), real(*a))[1], raising=False
    )
    ran = run(f"from comet_audio_nb import CometError\nraise CometError('key {KEY} refused')")
    assert ran.error is not None and KEY not in shown(ran)
    assert "refused" in shown(ran)
    [(etype, evalue, stb)] = sent  # what a kernel sends (and a notebook saves) as the error
    assert KEY not in str(evalue) and KEY not in "".join(stb)


def test_unloading_removes_the_hook(run, shell):
    comet_audio_nb.unload_ipython_extension(shell)
    ran = run("from comet_audio_nb import CometClient\nCometClient().speech('')")
    assert isinstance(ran.error, ValidationError) and "Traceback" in shown(ran)
    comet_audio_nb.load_ipython_extension(shell)
    ran = run("CometClient().speech('')")
    assert "Traceback" not in shown(ran)


def ours(shell) -> bool:
    return any(issubclass(e, comet_audio_nb.CometError) for e in shell.custom_exceptions)


def test_load_and_unload_ext_through_ipython(shell):
    shell.run_line_magic("load_ext", "comet_audio_nb")
    assert ours(shell)
    shell.run_line_magic("unload_ext", "comet_audio_nb")
    assert not ours(shell)
    comet_audio_nb.load_ipython_extension(shell)  # as the fixture left it


@pytest.mark.parametrize("loads", [1, 2])
def test_loading_again_keeps_one_hook_and_unload_restores_the_original(shell, loads):
    comet_audio_nb.unload_ipython_extension(shell)
    original = (shell.custom_exceptions, shell.CustomTB)
    for _ in range(loads):
        comet_audio_nb.load_ipython_extension(shell)
    comet_audio_nb.unload_ipython_extension(shell)
    assert (shell.custom_exceptions, shell.CustomTB) == original
    comet_audio_nb.load_ipython_extension(shell)
