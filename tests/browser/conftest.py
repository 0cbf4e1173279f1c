"""Fixtures for browser tests: Debian's Chromium, driven by Playwright, against a JupyterLab
server started here on 127.0.0.1 whose kernels talk to the test engine.

- ``chromium`` (session): the browser's path. Missing: skipped on a developer's machine,
  a failure under CI (``CI`` set), where ``.ci/run`` installs it.
- ``lab`` (session): a running JupyterLab (``Lab.url(path)``, ``Lab.root``, ``Lab.log``,
  ``Lab.cache``) with its own config, data, settings, runtime, IPython and catalog-cache
  folders, ``$COMETAPI_BASE_URL`` pointing at the ``engine`` fixture and ``$COMETAPI_KEY``
  set to ``SENTINEL_KEY`` (the engine takes any key), which no page, output or artifact
  may show. It listens on a port the system picks; its log is printed if it does not
  come up. Its kernels import this checkout (``PYTHONPATH`` starts with it), whatever the
  venv has installed.
- ``notebook7`` (session): the same for Notebook 7 (``jupyter notebook``, from the
  ``[dev]`` extra): ``notebook7.url("notebooks/NAME.ipynb")``; ``window.jupyterapp`` too.
- ``browser`` (session): a Playwright Chromium context with a fake microphone that plays
  ``mic.wav`` (the engine speaking ``speech_text``, with silence around it).
- ``sentinel_key`` (session): ``SENTINEL_KEY``.
- ``artifacts``: ``test-artifacts/`` at the repository root, for screenshots and the
  notebooks as the browser showed them (``keep_notebook``).

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
# Without the background-networking flags Chromium tries to reach the internet, and a
# closed network refuses its connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
SERVER_START_TIMEOUT = 90.0
SERVER_START_ATTEMPTS = 3  # Jupyter picks its port by bind-close-listen: it can lose a race
KEY_VARS = ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL")
# What a user's key would be in the kernels: shown masked (sk-…LEAK) at most, never whole.
SENTINEL_KEY = "sk-browserSentinel0123456789NEVER-LEAK"
# The notebook open in JupyterLab, with its outputs, as JSON.
NOTEBOOK_JSON = "() => JSON.stringify(window.jupyterapp.shell.currentWidget.content.model.toJSON())"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests must run)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The artifacts check reads what the other browser tests left: it runs after them all.
    last = [item for item in items if item.path.name == "test_artifacts_browser.py"]
    items[:] = [item for item in items if item not in last] + last


@pytest.fixture(scope="session")
def chromium() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            break
    else:
        _missing("chromium is not installed: apt-get install -y chromium")
    for module in ("playwright", "jupyterlab"):
        try:
            __import__(module)
        except ImportError:
            _missing(f"{module} is not installed: pip install -e '.[dev]'")
    return found


@pytest.fixture(scope="session")
def sentinel_key() -> str:
    """The key the lab's kernels hold (``$COMETAPI_KEY``)."""
    return SENTINEL_KEY


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def keep_notebook(artifacts: Path) -> Callable[[object, str], Path]:
    """``keep_notebook(page, "name.ipynb")``: the notebook open in the page, with its
    outputs, written to ``artifacts``."""

    def keep(page, name: str) -> Path:
        path = artifacts / name
        path.write_text(page.evaluate(NOTEBOOK_JSON))
        return path

    return keep


@dataclass
class Lab:
    """A JupyterLab server: where it listens, its token, the folder it serves, its log."""

    port: int
    token: str
    root: Path
    log: Path
    cache: Path  # its kernels' $COMET_AUDIO_NB_CACHE_DIR
    app: str = "jupyterlab"

    def url(self, path: str = "lab") -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"


def _lab_env(home: Path, engine_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in KEY_VARS}
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
        "COMET_AUDIO_NB_CACHE_DIR": "comet-audio-nb-cache",  # not the user's catalog cache
    }
    for name, folder in folders.items():
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    # No news or update checks: they would reach for the internet and pop up toasts.
    notification = home / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["COMETAPI_BASE_URL"] = engine_url
    env["COMETAPI_KEY"] = SENTINEL_KEY
    # Kernels import this checkout, not whatever copy the venv's editable install points at
    # ($KERNEL_PYTHONPATH instead: to try the browser tests against another checkout).
    ours = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONPATH"] = os.environ.get("KERNEL_PYTHONPATH") or ours
    return env


def _wait_until_up(process: subprocess.Popen, runtime: Path, token: str) -> int | None:
    """The port the server answers on, or None if it ended first (or never answered)."""
    import httpx

    # With port 0 the server writes the port it got to jpserver-<pid>.json once it listens.
    info = runtime / f"jpserver-{process.pid}.json"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            port = json.loads(info.read_text())["port"]
            url = f"http://127.0.0.1:{port}/api/status?token={token}"
            if httpx.get(url, timeout=2).status_code == 200:
                return port
        except (OSError, ValueError, KeyError, httpx.HTTPError):
            pass  # not written yet, half written, or not answering yet
        time.sleep(0.25)  # polling a server that is starting: there is nothing to wait on
    return None


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def _server(app: str, engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A Jupyter front end (``jupyterlab`` or ``notebook``) serving a folder of its own."""
    home = tmp_path_factory.mktemp(f"{app}-home")
    root = tmp_path_factory.mktemp(f"{app}-notebooks")
    token, log = secrets.token_hex(16), home / "server.log"
    command = [
        sys.executable,
        "-m",
        app,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",  # the system picks a free port; _wait_until_up reads it
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_root=True",
        "--ServerApp.terminals_enabled=False",
        *(
            ["--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True"]
            if app == "jupyterlab"
            else ["--JupyterNotebookApp.expose_app_in_browser=True"]
        ),
    ]
    env = _lab_env(home, engine.base_url)
    for _ in range(SERVER_START_ATTEMPTS):
        logged = log.stat().st_size if log.exists() else 0
        with open(log, "ab") as out:
            process = subprocess.Popen(
                command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        port = _wait_until_up(process, Path(env["JUPYTER_RUNTIME_DIR"]), token)
        if port is not None:
            break
        _stop(process)
        with open(log, "rb") as written:
            written.seek(logged)
            if b"already in use" not in written.read():
                break  # not a lost race for the port: starting again would not help
    if port is None:
        tail = log.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"{app} did not come up; its log:\n{tail}")
    try:
        yield Lab(port, token, root, log, Path(env["COMET_AUDIO_NB_CACHE_DIR"]), app)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def lab(chromium, engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with _server("jupyterlab", engine, tmp_path_factory) as server:
        yield server


@pytest.fixture(scope="session")
def notebook7(chromium, engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    try:
        import notebook
    except ImportError:
        _missing("Notebook 7 is not installed: pip install -e '.[dev]'")
    if int(notebook.__version__.split(".")[0]) < 7:
        _missing(f"Notebook {notebook.__version__} is installed; the tests need Notebook 7")
    with _server("notebook", engine, tmp_path_factory) as server:
        yield server


def padded_wav(wav: bytes, *, before: float, after: float) -> bytes:
    """The same WAV with silence before and after (the fake microphone loops its file)."""
    with wave.open(io.BytesIO(wav)) as source:
        params = source.getparams()
        frames = source.readframes(source.getnframes())
    silence = b"\x00" * params.sampwidth * params.nchannels
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(
            silence * int(before * params.framerate)
            + frames
            + silence * int(after * params.framerate)
        )
    return out.getvalue()


@pytest.fixture(scope="module")  # a live sync Playwright marks a loop as running
def browser(chromium, speech_wav, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("chromium")
    mic = folder / "mic.wav"
    mic.write_bytes(padded_wav(speech_wav, before=0.3, after=2.0))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"),
            executable_path=chromium,
            headless=True,
            args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={mic}"],
            viewport={"width": 1280, "height": 1000},
            permissions=["microphone"],
        )
        try:
            yield context
        finally:
            context.close()
