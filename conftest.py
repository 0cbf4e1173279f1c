"""How the test suite runs notebooks (nbval): a clean, offline kernel, one sanitize file.

``python -m pytest`` collects ``notebooks/*.ipynb`` and ``tests/notebooks/*.ipynb`` (see
``testpaths`` and ``--nbval`` in pyproject.toml); each runs in a fresh kernel of this venv,
and its outputs are compared with the saved ones. The kernel is started with
``notebook_kernel_env()``:

- no CometAPI key or base URL, so the kernel starts its own built-in engine;
- an empty catalog cache, and CometAPI's public catalog unreachable (HTTPS goes through a
  proxy on a closed loopback port), so ``models()`` fails over to the built-in engine's
  sample catalog on every machine, exactly as in CI, which has no internet.

``tests/notebooks/sanitize.cfg`` masks what differs from run to run (audio data, durations,
timestamps, the engine's port) before outputs are compared. ``tests/refresh_notebooks.py``
re-runs the notebooks in the same environment and saves their outputs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SANITIZE = ROOT / "tests" / "notebooks" / "sanitize.cfg"
KEY_VARS = ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL")
# A closed port on loopback (discard): connections to it are refused at once.
UNREACHABLE_PROXY = "http://127.0.0.1:9"


def notebook_kernel_env(cache_dir: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a notebook kernel under test: no key, no live catalog."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in KEY_VARS}
    env["COMET_AUDIO_NB_CACHE_DIR"] = cache_dir
    for name in ("HTTPS_PROXY", "https_proxy"):
        env[name] = UNREACHABLE_PROXY
    for name in ("NO_PROXY", "no_proxy"):
        env[name] = "127.0.0.1,localhost,::1"
    return env


_cache_dir: tempfile.TemporaryDirectory[str] | None = None


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _cache_dir is not None:
        _cache_dir.cleanup()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    # nbval starts a notebook's kernel while setting up its first cell: in this environment.
    if item.path.suffix != ".ipynb" or getattr(item.parent, "kernel", None) is not None:
        return (yield)
    global _cache_dir
    if _cache_dir is None:
        _cache_dir = tempfile.TemporaryDirectory(prefix="comet-nb-cache-")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(notebook_kernel_env(_cache_dir.name, saved))
    try:
        return (yield)
    finally:
        os.environ.clear()
        os.environ.update(saved)
