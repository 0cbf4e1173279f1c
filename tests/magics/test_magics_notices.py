"""Notices are not errors: in a notebook the one-time notices are a quiet line, not stderr.

A script or a terminal keeps seeing them on stderr. ``shell.kernel`` is what tells a
notebook's kernel from a terminal IPython, so the tests give the test shell one.
"""

from __future__ import annotations

import pytest

import comet_audio_nb
from comet_audio_nb.catalog import clear_cache, fetch
from comet_audio_nb.client import launcher
from comet_audio_nb.retry import RetryPolicy


@pytest.fixture
def kernel(shell, monkeypatch):
    monkeypatch.setattr(shell, "kernel", object(), raising=False)
    monkeypatch.setattr(launcher, "_notice_shown", False)
    return shell


def notices(ran) -> list[dict]:
    return [o for o in ran.outputs if "comet-notice" in o.get("text/html", "")]


def test_the_engine_notice_is_one_quiet_line_in_a_notebook(run, kernel, monkeypatch, engine):
    monkeypatch.delenv("COMETAPI_BASE_URL")
    monkeypatch.setattr("comet_audio_nb.local.get_engine", lambda: engine)
    first = run("%comet_say Hello")
    assert first.error is None and first.stderr == ""
    [notice] = notices(first)
    assert notice["text/plain"] == launcher.LOCAL_ENGINE_NOTICE
    assert "color:#6b7280" in notice["text/html"]  # grey, small: information, not a failure
    assert len(first.outputs) == 2  # the notice, then the player
    second = run("%comet_say Hello again")
    assert notices(second) == [] and second.stderr == ""


def test_a_terminal_and_a_script_see_it_on_stderr(run, shell, monkeypatch, capsys):
    monkeypatch.setattr(launcher, "_notice_shown", False)
    ran = run("from comet_audio_nb.client import launcher\nlauncher.say_local_engine_once()")
    assert ran.stderr.strip() == launcher.LOCAL_ENGINE_NOTICE and notices(ran) == []
    comet_audio_nb.unload_ipython_extension(shell)
    assert launcher.notice_sink is launcher.print_notice
    monkeypatch.setattr(launcher, "_notice_shown", False)
    launcher.say_local_engine_once()
    assert capsys.readouterr().err.strip() == launcher.LOCAL_ENGINE_NOTICE


def test_unloading_puts_stderr_back(run, kernel):
    comet_audio_nb.unload_ipython_extension(kernel)
    ran = run("from comet_audio_nb.client import launcher\nlauncher.say_local_engine_once()")
    assert ran.stderr.strip() == launcher.LOCAL_ENGINE_NOTICE
    comet_audio_nb.load_ipython_extension(kernel)


def test_the_catalog_fallback_notice_is_quiet_too(run, kernel, monkeypatch, tmp_path):
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, attempt, headers=None: 0.0)
    clear_cache(disk=False)
    fetch._built.clear()
    ran = run(
        "from comet_audio_nb import models\n"
        "catalog = models(base_url='http://127.0.0.1:9/v1', fallback='local')"
    )
    assert ran.error is None and ran.stderr == ""
    [notice] = notices(ran)
    assert "could not be reached" in notice["text/plain"]
