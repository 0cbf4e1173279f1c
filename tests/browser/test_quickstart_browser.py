"""The newcomer's path in a real browser: notebooks/ opened in JupyterLab, every cell run.

A copy of each notebook, outputs cleared, is opened in the ``lab`` fixture's JupyterLab and
run with "Run All", as a reader would; the checks look at what the page then shows.
Screenshots, and each notebook as it ran, go to ``test-artifacts/`` (``docs/images/`` keeps a
few of the screenshots for the README).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from jupyter_page import (
    FINISHED,
    KERNEL_READY,
    PROBLEMS,
    RUN_ALL,
    SHUT_DOWN,
    TIMEOUT_MS,
    VIEWPORT,
)

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@contextmanager
def open_and_run(lab, browser, keep_notebook, name: str) -> Iterator:
    """The notebook ``name`` (a fresh copy, outputs cleared) open in JupyterLab, all run;
    kept as an artifact, as the browser showed it, when the test is done with it."""
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    book.metadata.pop("widgets", None)
    nbformat.write(book, lab.root / name)
    if not (lab.root / "audio").exists():
        shutil.copytree(NOTEBOOKS / "audio", lab.root / "audio")
    page = browser.new_page()
    page.set_viewport_size(VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    # A workspace of its own, so that JupyterLab does not reopen this notebook for the
    # other browser tests (they use the default workspace).
    page.goto(lab.url(f"lab/workspaces/{Path(name).stem}/tree/{name}"))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    page.evaluate(KERNEL_READY)
    page.evaluate(RUN_ALL)
    page.wait_for_function(FINISHED, polling=250)
    try:
        yield page
    finally:
        keep_notebook(page, name)
        page.evaluate(SHUT_DOWN)
        page.close()
    assert not page_errors, f"errors in the page: {page_errors}"


def cell_with(page, source: str):
    """The code cell whose input contains ``source``, scrolled into view."""
    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=source))
    cell.scroll_into_view_if_needed()
    return cell


@pytest.fixture(scope="module")
def quickstart(lab, browser, keep_notebook) -> Iterator:
    with open_and_run(lab, browser, keep_notebook, "01-quickstart.ipynb") as page:
        yield page


def test_quickstart_runs_without_an_error(quickstart):
    assert quickstart.evaluate(PROBLEMS) == []


def test_quickstart_says_hello_with_a_playable_player(quickstart, artifacts):
    cell = cell_with(quickstart, "%comet_say Hello")
    audio = cell.locator(".jp-OutputArea .comet-audio-speech audio")
    assert audio.count() == 1
    duration = quickstart.wait_for_function(
        "audio => isFinite(audio.duration) && audio.duration > 0 && audio.duration",
        arg=audio.element_handle(),
    ).json_value()
    assert 0.2 < duration < 5, duration
    assert audio.get_attribute("controls") is not None
    # The browser's own controls say "0:00 / 0:00" for a clip under a second; ours, tenths.
    clock = cell.locator(".comet-audio-clock").inner_text()
    shown = re.fullmatch(r"0:\d\d\.\d / 0:(\d\d\.\d)", clock)
    assert shown and abs(float(shown.group(1)) - duration) <= 0.06, clock
    cell.locator(".jp-OutputArea").screenshot(path=artifacts / "quickstart-say-hello.png")


def test_quickstart_transcribes_the_greeting(quickstart):
    cell = cell_with(quickstart, "%%comet_transcribe --timestamps segment -o heard")
    transcript = cell.locator(".comet-audio-transcript")
    assert "welcome to the notebook" in transcript.inner_text().lower()


def test_quickstart_status_shows_the_kernels_key_masked(quickstart, sentinel_key):
    shown = cell_with(quickstart, "%comet_status").locator(".jp-OutputArea").inner_text()
    assert f"sk-…{sentinel_key[-4:]}" in shown and "COMETAPI_KEY" in shown, shown
    assert sentinel_key[3:-4] not in shown


def test_quickstart_keeps_its_catalog_in_the_labs_own_cache(quickstart, lab):
    assert list(lab.cache.glob("*.json")), "models() kept no catalog in $COMET_AUDIO_NB_CACHE_DIR"


def test_quickstart_shows_the_pricing_table(quickstart, artifacts):
    cell = cell_with(quickstart, 'catalog.audio("speech")')
    table = cell.locator("table.comet-catalog")
    table.wait_for(state="visible")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[0] == "id" and "price" in headers
    assert table.locator("tbody tr").count() >= 1
    assert "tts-1" in table.inner_text()
    cell.locator(".jp-OutputArea").screenshot(path=artifacts / "quickstart-pricing.png")
    quickstart.screenshot(path=artifacts / "quickstart.png")


def test_pricing_notebook_shows_its_chart_and_explorer(lab, browser, keep_notebook, artifacts):
    with open_and_run(lab, browser, keep_notebook, "02-model-pricing.ipynb") as page:
        assert page.evaluate(PROBLEMS) == []
        chart = cell_with(page, "import matplotlib").locator(".jp-OutputArea img")
        chart.wait_for(state="visible")
        assert chart.evaluate("img => img.naturalWidth > 100")
        explorer = cell_with(page, "import ModelExplorer").locator(".jp-OutputArea .widget-vbox")
        explorer.first.wait_for(state="visible")
        assert explorer.first.locator("table.comet-catalog").count() == 1
        assert "Use this model" in explorer.first.inner_text()
        explorer.first.screenshot(path=artifacts / "model-explorer.png")


def test_transcription_notebook_runs_and_its_player_seeks(lab, browser, keep_notebook, artifacts):
    with open_and_run(lab, browser, keep_notebook, "03-transcription.ipynb") as page:
        assert page.evaluate(PROBLEMS) == []
        cell = cell_with(page, 'tour.player("audio/tour.ogg")')
        player = cell.locator(".comet-transcript-player")
        audio = player.locator("audio")
        page.wait_for_function(
            "audio => isFinite(audio.duration) && audio.duration > 5", arg=audio.element_handle()
        )
        lines = player.locator(".comet-tp-segment")
        assert lines.count() == 3
        lines.nth(1).locator(".comet-tp-time").click()
        page.wait_for_function("audio => audio.currentTime > 2", arg=audio.element_handle())
        player.locator(".comet-tp-segment.comet-tp-active", has_text="Every line").wait_for()
        audio.evaluate("audio => audio.pause()")
        player.screenshot(path=artifacts / "transcription-player.png")
