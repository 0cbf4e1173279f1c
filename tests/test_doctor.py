"""%comet_doctor: every check ends in a row, never an error; the page's rows; the key masked."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import tomllib
from html_checks import typesettable_text

from comet_audio_nb.notebook import doctor_checks, session
from comet_audio_nb.notebook.doctor import NO_ANSWER, PAGE_CHECKS, DoctorReport, page_checks
from comet_audio_nb.notebook.doctor_checks import EXTRAS, NAMES, Check
from comet_audio_nb.widgets import page_probe

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-doctorTest0123456789abcdefWXYZ"
PAGE = {
    "frontend": {"app": "JupyterLab", "version": "4.2.5"},
    "trusted": True,
    "microphone": {"secure": True, "api": True, "permission": "prompt", "inputs": 2},
}


@pytest.fixture
def fresh(monkeypatch, engine):
    for name in ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    session.reset()
    yield
    session.reset()


def test_every_check_gives_a_row_with_a_status(fresh, monkeypatch, engine):
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    checks = doctor_checks.server_checks()
    assert [c.name for c in checks][:2] == ["comet-audio-nb", "[local]"]
    assert len(checks) == len(NAMES)
    assert all(c.status in ("ok", "warn", "fail") and c.detail for c in checks)
    by_name = {c.name: c for c in checks}
    assert by_name["service reachable"].status == "ok"
    assert "models)" in by_name["service reachable"].detail
    assert by_name["requests go to"].detail.startswith(engine.base_url)


def test_a_check_that_crashes_is_a_failed_row_not_an_error(monkeypatch):
    def broken() -> Check:
        raise RuntimeError("boom")

    monkeypatch.setattr(doctor_checks, "SERVER_CHECKS", (broken,))
    assert doctor_checks.run_check(0) == Check(
        "comet-audio-nb", "fail", "the check itself failed: boom"
    )


def test_the_key_is_masked_and_its_source_named(fresh, monkeypatch):
    monkeypatch.setenv("COMETAPI_KEY", KEY)
    check = doctor_checks.check_key()
    assert check.detail == "sk-…WXYZ (from $COMETAPI_KEY)"
    report = DoctorReport()
    report.set(NAMES.index("API key"), check)
    shown = repr(report) + report._repr_mimebundle_()["text/html"]
    assert KEY not in shown and KEY[3:-4] not in shown
    assert typesettable_text(report._repr_mimebundle_()["text/html"]) == []


def test_an_unreachable_service_fails_in_one_line_without_retrying(fresh, monkeypatch, engine):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("COMETAPI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    check = doctor_checks.check_service()
    assert check.status == "fail" and "\n" not in check.detail
    assert f"127.0.0.1:{port}/api/models" in check.detail and check.fix


def test_a_slow_service_is_a_timeout_not_a_hang(fresh, monkeypatch, engine):
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.setattr(doctor_checks, "PROBE_TIMEOUT", 0.3)
    engine.set_latency(2.0)
    started = time.perf_counter()
    check = doctor_checks.check_service()
    assert time.perf_counter() - started < 1.5
    assert check.status == "fail" and "no answer" in check.detail and "0.3 s" in check.detail


def test_the_engine_check_says_it_answers(fresh):
    check = doctor_checks.check_engine()
    assert check.status == "ok" and check.detail.startswith("answering at http://127.0.0.1:")


def test_extras_are_those_of_pyproject():
    optional = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for extra, requirements in optional.items():
        if extra == "dev":
            continue
        names = {r.split(">")[0].split("=")[0].split("<")[0].strip() for r in requirements}
        assert set(EXTRAS[extra]) == names, extra
    assert set(EXTRAS) == set(optional) - {"dev"}


def test_page_rows_wait_then_fill_in_or_say_no_answer():
    report = DoctorReport()
    assert [c.status for c in report.checks[-3:]] == ["pending"] * 3
    assert report.no_answer()
    rows = {c.name: c for c in report.checks[-3:]}
    assert rows["widgets (page)"].status == "fail" and rows["widgets (page)"].detail == NO_ANSWER
    assert rows["microphone"].status == "warn" and rows["microphone"].fix
    report.page_answered(PAGE)  # a late answer still counts
    assert [c.status for c in report.checks[-3:]] == ["ok"] * 3
    assert not report.no_answer()  # and is not overwritten by the timer
    assert "JupyterLab 4.2.5" in report.checks[-3].detail
    assert "the browser will ask when recording · 2 inputs" in report.checks[-1].detail


@pytest.mark.parametrize(
    ("mic", "status", "words"),
    [
        ({"secure": False, "api": False}, "fail", "not a secure context"),
        ({"secure": True, "api": False}, "fail", "no microphone API"),
        ({"secure": True, "api": True, "permission": "denied", "inputs": 1}, "fail", "blocks"),
        ({"secure": True, "api": True, "permission": "granted", "inputs": 0}, "warn", "no micro"),
        ({"secure": True, "api": True, "permission": "granted", "inputs": 1}, "ok", "allowed"),
    ],
)
def test_the_microphone_row_says_what_the_browser_allows(mic, status, words):
    check = page_checks({**PAGE, "microphone": mic})[2]
    assert (check.status, words in check.detail) == (status, True), check


def test_an_untrusted_page_is_a_warning_with_the_fix():
    check = page_checks({**PAGE, "trusted": False})[1]
    assert check.status == "warn" and "Trust Notebook" in check.fix


def test_in_a_kernel_the_page_answers_through_the_probe(fresh, monkeypatch, engine):
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.setattr(page_probe, "_in_notebook", lambda: True)
    shown = []
    monkeypatch.setattr(page_probe, "display", lambda obj, **kw: shown.append(obj) or _Handle())
    report = page_probe.doctor(wait=0.3)
    assert isinstance(shown[1], page_probe.PageProbe) and shown[1].doctor_id == report.id
    assert [c.status for c in report.checks[-3:]] == ["pending"] * 3
    report.probe.report = PAGE  # what the page sends back
    assert [c.status for c in report.checks[-3:]] == ["ok"] * 3
    time.sleep(0.5)  # the timer finds the page answered and changes nothing
    assert [c.status for c in report.checks[-3:]] == ["ok"] * 3


def test_no_answer_from_the_page_after_the_wait(fresh, monkeypatch, engine):
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.setattr(page_probe, "_in_notebook", lambda: True)
    updates = []
    monkeypatch.setattr(page_probe, "display", lambda obj, **kw: _Handle(updates))
    report = page_probe.doctor(wait=0.2)
    time.sleep(0.6)
    assert report.checks[-3].detail == NO_ANSWER
    assert updates and updates[-1] is report


def test_the_magic_never_fails_and_says_there_is_no_page(fresh, monkeypatch, engine):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    import comet_audio_nb

    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.setenv("COMETAPI_KEY", KEY)
    shell = InteractiveShell.instance()
    try:
        comet_audio_nb.load_ipython_extension(shell)
        with capture_output() as captured:
            result = shell.run_cell("%comet_doctor")
        assert result.error_in_exec is None
        text = "".join(o.data["text/plain"] for o in captured.outputs)
        assert "not in a notebook" in text and "sk-…WXYZ" in text and KEY not in text
        assert len(PAGE_CHECKS) == text.count("not in a notebook")
    finally:
        InteractiveShell.clear_instance()


class _Handle:
    def __init__(self, updates: list | None = None) -> None:
        self.updates = updates if updates is not None else []

    def update(self, obj) -> None:
        self.updates.append(obj)


def test_the_magic_says_one_line_if_the_doctor_itself_breaks(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    import comet_audio_nb

    def broken(**kwargs):
        raise RuntimeError("no display")

    monkeypatch.setattr(page_probe, "doctor", broken)
    shell = InteractiveShell.instance()
    try:
        comet_audio_nb.load_ipython_extension(shell)
        with capture_output() as captured:
            result = shell.run_cell("%comet_doctor")
    finally:
        InteractiveShell.clear_instance()
    assert result.error_in_exec is None
    assert captured.stdout.strip() == "comet-audio-nb doctor: could not finish (no display)"
