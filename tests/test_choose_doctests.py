"""The examples in the docstrings of the choosing features run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "comet_audio_nb.jobs.compare",
    "comet_audio_nb.jobs.costs",
    "comet_audio_nb.jobs.dialogue",
    "comet_audio_nb.jobs.gallery",
    "comet_audio_nb.results.comparison",
    "comet_audio_nb.results.dialogue",
    "comet_audio_nb.results.wer",
    "comet_audio_nb.notebook.doctor",
    "comet_audio_nb.magics.dialogue",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_run(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried and not failures
