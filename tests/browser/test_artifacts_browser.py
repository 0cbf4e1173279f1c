"""What the browser tests leave in ``test-artifacts/`` (run after every other test).

The kernels of the browser tests hold a key (``sentinel_key``): shown, it must be masked.
The notebooks as the browser showed them and JupyterLab's log are kept as artifacts, and
no artifact (screenshots aside: images of text) may contain any of the key's hidden part.
"""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser


def test_the_key_appears_in_no_artifact(lab, artifacts, sentinel_key):
    shutil.copyfile(lab.log, artifacts / "jupyterlab.log")
    kept = [p for p in artifacts.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert "jupyterlab.log" in {p.name for p in kept}
    hidden = sentinel_key[3:-4].encode()  # what masking leaves out: no 8 characters of it
    pieces = {hidden[i : i + 8] for i in range(len(hidden) - 7)}
    leaks = [p.name for p in kept if any(piece in p.read_bytes() for piece in pieces)]
    assert not leaks, f"the key is in {leaks}"
