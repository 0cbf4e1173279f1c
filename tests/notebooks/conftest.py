"""Notebooks here run under nbval (``--nbval`` in pyproject's addopts) in a fresh kernel.

Their outputs are compared after ``sanitize.cfg`` masks what varies from run to run; it
is found here, whatever directory pytest is started from, unless one is given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SANITIZE = Path(__file__).with_name("sanitize.cfg")


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)
