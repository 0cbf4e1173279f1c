"""LocalEngine lifecycle, the get_engine singleton and the `comet-audio serve` command."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx
import pytest

from comet_audio_nb.local import LocalEngine, get_engine
from comet_audio_nb.local.__main__ import main


def test_start_stop_and_urls():
    eng = LocalEngine()
    assert not eng.running
    with pytest.raises(RuntimeError):
        _ = eng.url
    assert eng.start() is eng
    assert eng.running
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", eng.url)
    assert eng.base_url == eng.url + "/v1"
    assert eng.start() is eng  # idempotent
    assert httpx.get(eng.base_url + "/models").status_code == 200
    eng.stop()
    assert not eng.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(eng.base_url + "/models")
    eng.stop()  # stopping twice is fine


def test_context_manager_and_fixed_port():
    with LocalEngine() as first:
        port = first.port
    with LocalEngine(port=port) as second:
        assert second.url.endswith(f":{port}")
        assert httpx.get(second.url + "/api/models").status_code == 200


def test_port_in_use_raises():
    with LocalEngine() as eng, pytest.raises(OSError):
        LocalEngine(port=eng.port).start()


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        LocalEngine(catalog_paging="sometimes")
    with pytest.raises(ValueError):
        LocalEngine(page_size=0)


def test_get_engine_is_a_started_singleton():
    eng = get_engine()
    assert eng.running
    assert get_engine() is eng
    assert httpx.get(eng.base_url + "/models").status_code == 200


def test_cli_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["serve", "--help"])
    assert info.value.code == 0
    shown = capsys.readouterr().out
    assert "--catalog" in shown
    # which offline model answers each model id
    models = shown.split("models (offline: nothing is downloaded):\n", 1)[1]
    assert "  whisper-1\n      Whisper base (99 languages" in models
    assert "  gpt-4o-mini-transcribe\n      Whisper tiny.en when the audio is English" in models
    assert "  tts-1, tts-1-hd, gpt-4o-mini-tts\n      Piper" in models


def test_cli_serve_runs_in_the_foreground(tmp_path):
    command = [sys.executable, "-m", "comet_audio_nb.local", "serve", "--port", "0"]
    command += ["--api-key", "k"]
    popen = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with popen as process:
        _check_serving(process)
    assert process.returncode == 0


def _check_serving(process: subprocess.Popen) -> None:
    try:
        line = process.stdout.readline().strip()
        match = re.fullmatch(
            r"comet-audio-nb local engine on (http://127\.0\.0\.1:\d+/v1) \(Ctrl-C to stop\)", line
        )
        assert match, (line, process.stderr.read() if process.poll() is not None else "")
        base = match.group(1)
        assert httpx.get(base + "/models", headers={"Authorization": "Bearer k"}).status_code == 200
        assert httpx.get(base + "/models").status_code == 401
        catalog = httpx.get(base.removesuffix("/v1") + "/api/models").json()
        assert catalog["source"] == "local-sample"
        assert httpx.get(base.removesuffix("/v1") + "/_engine/status").status_code == 404
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def test_cli_reports_a_busy_port(capsys):
    with LocalEngine() as eng:
        assert main(["serve", "--port", str(eng.port)]) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_cli_serves_the_control_endpoints_only_with_control():
    command = [sys.executable, "-m", "comet_audio_nb.local", "serve", "--port", "0", "--control"]
    popen = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with popen as process:
        try:
            line = process.stdout.readline()
            match = re.search(r"on (http://127\.0\.0\.1:\d+)/v1", line)
            assert match, (line, process.stderr.read() if process.poll() is not None else "")
            control = match.group(1) + "/_engine"
            assert httpx.get(control + "/status").json()["ok"] is True
            response = httpx.post(
                control + "/latency",
                content=b'{"seconds": Infinity}',
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 400
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=15)
    assert process.returncode == 0
    assert err == ""  # neither a traceback nor a warning: it listens on loopback


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_cli_refuses_a_bad_port_in_one_line(capsys, port):
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", port])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--port" in err and "0 and 65535" in err


def test_cli_warns_when_the_host_is_not_loopback(capsys):
    # 192.0.2.1 (TEST-NET-1) is on no interface: the warning comes, then the bind fails.
    assert main(["serve", "--host", "192.0.2.1", "--port", "0", "--control"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert "192.0.2.1" in lines[0] and "other machines" in lines[0] and "/_engine/" in lines[0]
    assert lines[1].startswith("comet-audio: cannot listen on 192.0.2.1:0")
