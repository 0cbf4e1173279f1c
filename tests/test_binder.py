"""Binder and the README's first command, in a fresh venv built from exactly binder/.

mybinder.org installs ``binder/requirements.txt`` from the repository's root, runs
``binder/postBuild``, and opens ``notebooks/01-quickstart.ipynb`` in JupyterLab. Here: a
copy of the repository (the files git would commit), a new venv, the same two steps, then
every notebook executed in that venv, its outputs compared with the saved ones; and the
README's first command, run word for word there, must serve the quickstart.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import nbformat
import pytest
from test_packaging import readme_commands

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
NOTEBOOKS = ("01-quickstart.ipynb", "02-model-pricing.ipynb", "03-transcription.ipynb")
INSTALL_TIMEOUT = 900  # seconds, for pip in a fresh venv
LAB_TIMEOUT = 180  # seconds for the README command to serve the quickstart
QUICKSTART_URL = "urlpath=lab/tree/notebooks/01-quickstart.ipynb"


def load_root_conftest():
    spec = importlib.util.spec_from_file_location("_notebook_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- what the binder files say ------------------------------------------------------------


def install_spec(command: str) -> str:
    """``pip install -e ".[local,notebook]" && …`` → ``.[local,notebook]``."""
    return re.search(r"pip install -e \"?([^\"\s]+)\"?", command).group(1)


def test_binder_installs_what_the_readme_first_command_installs():
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    requirements = [line for line in lines if line.strip() and not line.startswith("#")]
    assert requirements == [f"-e {install_spec(readme_commands()[0])}"]
    assert "local" in requirements[0] and "notebook" in requirements[0]


def test_binder_postbuild_is_an_executable_script_and_runtime_is_supported():
    post_build = BINDER / "postBuild"
    assert post_build.read_text().startswith("#!/usr/bin/env bash\n")
    assert os.access(post_build, os.X_OK)
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.(1[0-9])", runtime), runtime


def test_readme_badge_opens_the_quickstart_on_binder():
    readme = (ROOT / "README.md").read_text()
    title = readme.split("## ", 1)[0]
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)\s]+\)", title)
    assert badge and QUICKSTART_URL in badge.group(0), "no Binder badge above the set-up"
    assert "jupyter lab notebooks/01-quickstart.ipynb" in readme_commands()[0]


def test_readme_tour_shows_the_browser_tests_screenshots():
    readme = (ROOT / "README.md").read_text()
    shown = re.findall(r"!\[[^\]]+\]\((docs/images/[^)]+\.png)\)", readme)
    images = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs/images").glob("*"))
    assert sorted(shown) == images
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) <= 60_000, image


# ---- a fresh Binder-like environment ------------------------------------------------------


LEFT_OUT = {".git", ".ci-venv", ".venv", "test-artifacts", "__pycache__", "exports"}


def committed_files() -> list[str]:
    """The files git would commit (tracked, or new and not ignored)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout.decode()  # fmt: skip
        names = listed.split("\0")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: all but the junk
        names = [
            p.relative_to(ROOT).as_posix()
            for p in ROOT.rglob("*")
            if not LEFT_OUT & set(p.relative_to(ROOT).parts)
            and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
        ]
    return [name for name in names if name and (ROOT / name).is_file()]


def run(command: list[str] | str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        pytest.fail(f"{command} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                    f"{done.stderr[-3000:]}")  # fmt: skip
    return done


class Binder:
    """A copy of the repository and a fresh venv with binder/ installed and post-built."""

    def __init__(self, base: Path) -> None:
        self.repo = base / "repo"
        self.venv = base / "venv"
        self.home = base / "home"
        self.cache = base / "catalog-cache"
        for name in committed_files():
            target = self.repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        for folder in (self.home, self.cache):
            folder.mkdir()

    def env(self, *, kernels: bool = False) -> dict[str, str]:
        """Like Binder: this venv first on PATH, its own home, no key. ``kernels``: the
        suite's notebook environment too (no live catalog), for runs that compare outputs.
        """
        if kernels:
            env = load_root_conftest().notebook_kernel_env(str(self.cache))
        else:
            env = {k: v for k, v in os.environ.items() if not k.startswith("COMETAPI_")}
        env.update(
            PATH=f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            VIRTUAL_ENV=str(self.venv),
            HOME=str(self.home),
            JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
            JUPYTER_DATA_DIR=str(self.home / ".local/share/jupyter"),
            JUPYTER_RUNTIME_DIR=str(self.home / ".local/share/jupyter/runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.home / ".jupyter/lab/user-settings"),
            JUPYTER_PLATFORM_DIRS="1",
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        env.pop("PYTHONPATH", None)
        return env

    def build(self) -> None:
        run([sys.executable, "-m", "venv", str(self.venv)], timeout=120)
        run(
            ["pip", "install", "--quiet", "-r", "binder/requirements.txt"],
            cwd=self.repo, env=self.env(), timeout=INSTALL_TIMEOUT,
        )  # fmt: skip
        run(["binder/postBuild"], cwd=self.repo, env=self.env(), timeout=120)


@pytest.fixture(scope="module")
def binder(tmp_path_factory: pytest.TempPathFactory) -> Binder:
    environment = Binder(tmp_path_factory.mktemp("binder"))
    environment.build()
    return environment


def sanitized_text(book: nbformat.NotebookNode, patterns: list[tuple[str, str]]) -> list:
    """Per code cell: its text outputs (streams, text/plain, text/html), sanitized."""

    def clean(text: str) -> str:
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    cells = []
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for output in cell.outputs:
            if output.output_type == "stream":
                shown.append((output.name, clean(output.text)))
            for mime in ("text/plain", "text/html"):
                if mime in output.get("data", {}):
                    shown.append((mime, clean(output.data[mime])))
        cells.append(shown)
    return cells


@pytest.mark.slow
def test_binder_environment_runs_every_notebook_as_saved(binder, tmp_path):
    listed = run(["jupyter", "kernelspec", "list", "--json"], env=binder.env()).stdout
    kernel = json.loads(listed)["kernelspecs"]["python3"]
    assert Path(kernel["resource_dir"]).is_relative_to(binder.venv)  # the venv's own python
    notebooks = [f"notebooks/{name}" for name in NOTEBOOKS]
    run(
        ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir",
         str(tmp_path), "--ExecutePreprocessor.timeout=600", *notebooks],
        cwd=binder.repo, env=binder.env(kernels=True), timeout=900,
    )  # fmt: skip
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests/notebooks/sanitize.cfg").read_text())
    for name in NOTEBOOKS:
        ran = nbformat.read(tmp_path / name, as_version=4)
        saved = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        assert sanitized_text(ran, patterns) == sanitized_text(saved, patterns), name


@pytest.mark.slow
def test_binder_postbuild_trusted_the_notebooks(binder):
    """So their saved outputs show in full before a cell runs."""
    for name in NOTEBOOKS:
        said = run(["jupyter", "trust", f"notebooks/{name}"], cwd=binder.repo, env=binder.env())
        assert "already signed" in said.stdout + said.stderr, name


def served_port(runtime: Path, server: subprocess.Popen, token: str) -> int | None:
    """The port JupyterLab answers on, once it does (None: it ended, or never answered).

    It listens on a port the system picks (port 0), and writes it to jpserver-<pid>.json.
    """
    deadline = time.monotonic() + LAB_TIMEOUT
    while time.monotonic() < deadline and server.poll() is None:
        for info in runtime.glob("jpserver-*.json"):
            try:
                port = json.loads(info.read_text())["port"]
                url = f"http://127.0.0.1:{port}/api/status?token={token}"
                if httpx.get(url, timeout=2).status_code == 200:
                    return port
            except (OSError, ValueError, KeyError, httpx.HTTPError):
                pass  # half written, or not answering yet
        time.sleep(0.5)  # pip, then JupyterLab, are starting: nothing to wait on
    return None


def stop(server: subprocess.Popen) -> None:
    """Stop the command and everything it started (it ran in a session of its own)."""
    with contextlib.suppress(ProcessLookupError):  # all of them ended already
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@pytest.mark.slow
def test_readme_first_command_serves_the_quickstart(binder):
    """The command as printed, in the fresh venv; where a person's browser would open, this
    asks the server for the quickstart, then stops it."""
    token = secrets.token_hex(16)
    config = binder.home / ".jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({
        "ServerApp": {"ip": "127.0.0.1", "port": 0, "port_retries": 0,
                      "open_browser": False, "allow_root": True},
        "IdentityProvider": {"token": token},
    }))  # fmt: skip
    runtime = Path(binder.env()["JUPYTER_RUNTIME_DIR"])
    log = binder.home / "readme-command.log"
    # Jupyter picks its port by bind-close-listen, so it can lose the port to a neighbour:
    # then it says "already in use" and exits, and starting it again is the cure.
    for _ in range(3):
        logged = log.stat().st_size if log.exists() else 0
        with open(log, "ab") as out:
            server = subprocess.Popen(
                ["bash", "-c", readme_commands()[0]],
                cwd=binder.repo, env=binder.env(), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        port = served_port(runtime, server, token)
        if port is not None:
            break
        stop(server)
        with open(log, "rb") as written:
            written.seek(logged)
            if b"already in use" not in written.read():
                break
    if port is None:
        pytest.fail(f"the README's first command did not serve JupyterLab:\n"
                    f"{log.read_text(errors='replace')[-4000:]}")  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        # Given a file, JupyterLab serves its folder (notebooks/) and opens the file in it.
        page = httpx.get(f"{base}/lab/tree/01-quickstart.ipynb?token={token}")
        assert page.status_code == 200 and "JupyterLab" in page.text
        listing = httpx.get(f"{base}/api/contents?token={token}").json()["content"]
        assert {"01-quickstart.ipynb", "audio"} <= {item["name"] for item in listing}
        book = httpx.get(f"{base}/api/contents/01-quickstart.ipynb?token={token}").json()
        assert "%comet_say Hello" in [cell["source"] for cell in book["content"]["cells"]]
    finally:
        stop(server)
