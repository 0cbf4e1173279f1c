"""An IPython test shell with comet_audio_nb loaded, talking to the test engine.

Fixtures:

- ``shell``: the (one) ``InteractiveShell`` with a fresh session for each test: the
  extension loaded, ``%config CometAudio`` at its defaults, no key, the engine's base
  URL in ``$COMETAPI_BASE_URL``, an empty user namespace and the cwd in ``tmp_path``.
- ``run``: ``run(code) -> Ran`` runs a cell and captures stdout, stderr and displays
  (``magic_helpers.Ran``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from magic_helpers import Ran
from traitlets.config import Config

import comet_audio_nb
from comet_audio_nb.notebook import session

KEY_VARS = ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL")


@pytest.fixture(scope="module")
def ipython() -> Iterator[InteractiveShell]:
    # Per module, so that get_ipython() is None again for the tests that follow.
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    yield shell
    session.reset()
    InteractiveShell.clear_instance()


@pytest.fixture
def shell(ipython, engine, monkeypatch, tmp_path) -> Iterator[InteractiveShell]:
    for name in KEY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.chdir(tmp_path)
    ipython.reset(new_session=False)
    ipython.config.pop("CometAudio", None)  # %config writes into the shell's config too
    session.reset()
    comet_audio_nb.load_ipython_extension(ipython)
    yield ipython
    ipython.config.pop("CometAudio", None)
    session.reset()


@pytest.fixture
def run(shell) -> Callable[[str], Ran]:
    def run_cell(code: str) -> Ran:
        with capture_output() as captured:
            result = shell.run_cell(code)
        outputs = [dict(output.data) for output in captured.outputs]
        return Ran(result, captured.stdout, captured.stderr, outputs)

    return run_cell
