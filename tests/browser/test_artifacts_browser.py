"""What the browser tests leave in ``test-artifacts/`` (run after every other test).

The kernels of the browser tests hold a key (``sentinel_key``): shown, it must be masked.
The notebooks as the browser showed them and JupyterLab's log are kept as artifacts, and
no artifact (screenshots aside: images of text) may contain the key.
"""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser


def test_the_key_appears_in_no_artifact(lab, artifacts, sentinel_key):
    shutil.copyfile(lab.log, artifacts / "jupyterlab.log")
    kept = [p for p in artifacts.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert {p.name for p in kept} >= {"jupyterlab.log", "widgets.ipynb"}, kept
    hidden = sentinel_key[3:-4].encode()  # the part that masking leaves out
    leaks = [p.name for p in kept if hidden in p.read_bytes()]
    assert not leaks, f"the key is in {leaks}"
