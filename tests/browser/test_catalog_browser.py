"""The catalog in a real JupyterLab: dollar signs stay dollar signs, and offline it still shows.

JupyterLab typesets ``$…$`` in HTML outputs with MathJax. The notebook here shows the
estimate table, the catalog and ``%comet_models``'s estimate, then, with CometAPI's
catalog unreachable and nothing cached, ``ModelExplorer()``, then the engine's one-time
notice. Its last cell is maths on purpose: once that is typeset, MathJax has had its go
at every output above it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jupyter_page import opened, write_notebook

pytestmark = pytest.mark.browser

MATHS = "mjx-container, .MathJax, .MathJax_Display, .MathJax_Preview"
CELLS = [
    "%load_ext comet_audio_nb\n"
    "from comet_audio_nb import models\n"
    "costs = models().audio('speech').estimate(characters=240_000)\n"
    "costs",
    "models().audio()",
    "%comet_models --type speech --characters 240000 -n 3",
    "import os, tempfile\n"
    "os.environ['COMETAPI_BASE_URL'] = 'http://127.0.0.1:9/v1'  # nothing listens there\n"
    "os.environ['COMET_AUDIO_NB_CACHE_DIR'] = tempfile.mkdtemp()  # and nothing is cached\n"
    "from comet_audio_nb.widgets import ModelExplorer\n"
    "ModelExplorer(type='speech', characters=240_000)",
    "from comet_audio_nb.client import launcher\n"
    "launcher._notice_shown = False  # as in a kernel with no key, before its first call\n"
    "launcher.say_local_engine_once()",
    "from IPython.display import HTML\nHTML('<span class=\"maths-control\">$x^2 + 1$</span>')",
]
ERRORS = """() => {
    const found = [];
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        for (const output of cells.get(i).toJSON().outputs || []) {
            const text = [].concat(output.text || "").join("");
            if (output.output_type === "error") found.push(`${i}: ${output.ename}`);
            else if (output.name === "stderr") found.push(`${i}: ${text.slice(0, 400)}`);
        }
    }
    return found;
}"""


@pytest.fixture(scope="module")
def page(lab, browser) -> Iterator:
    write_notebook(lab, "catalog.ipynb", CELLS)
    with opened(lab, browser, "catalog.ipynb", workspace="catalog", run=True) as page:
        if not page.evaluate(ERRORS):  # once the last output is typeset, all above it have been
            page.wait_for_selector(".maths-control mjx-container, .maths-control .MathJax")
        yield page


def output(page, index: int):
    area = page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-OutputArea")
    area.scroll_into_view_if_needed()
    return area


def test_the_notebook_runs_without_an_error(page):
    assert page.evaluate(ERRORS) == []


def test_the_estimate_table_shows_its_dollars(page, artifacts):
    area = output(page, 0)
    text = area.inner_text()
    assert "240,000 characters × $12 / 1M characters = $2.88" in text
    assert area.locator(MATHS).count() == 0
    area.screenshot(path=artifacts / "estimate-dollars.png")


def test_the_catalog_and_the_magics_estimate_show_their_dollars(page, artifacts):
    for index in (1, 2):
        area = output(page, index)
        assert "$12 / 1M characters" in area.inner_text()
        assert area.locator(MATHS).count() == 0
    table = output(page, 1).locator("table.comet-catalog")
    assert table.locator("thead th").all_inner_texts() == [
        "id", "provider", "task", "price", "normalised price"
    ]  # fmt: skip
    ids = table.locator("tbody tr td:first-child")
    heights = ids.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().height)")
    assert max(heights) < 2 * min(heights)  # no id wraps onto a second line
    output(page, 1).screenshot(path=artifacts / "catalog-compact.png")
    output(page, 2).screenshot(path=artifacts / "magic-estimate-dollars.png")


def test_offline_the_explorer_is_a_widget_with_the_sample_banner(page, artifacts):
    area = output(page, 3)
    explorer = area.locator(".widget-vbox").first
    explorer.wait_for(state="visible")
    text = explorer.inner_text()
    assert "Sample data from the built-in engine" in text and "could not be reached" in text
    assert "Use this model" in text and "Traceback" not in area.inner_text()
    assert "Cheapest" in text and "$" in text
    assert area.locator(MATHS).count() == 0
    explorer.screenshot(path=artifacts / "model-explorer-offline.png")


def test_the_engine_notice_is_a_quiet_line_not_stderr(page, artifacts):
    area = output(page, 4)
    notice = area.locator(".comet-notice")
    assert "no COMETAPI_KEY: using the built-in offline engine" in notice.inner_text()
    assert (
        area.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").count()
        == 0
    )
    colour = notice.evaluate("node => getComputedStyle(node).color")
    assert colour == "rgb(107, 114, 128)"  # grey: information, not a failure
    area.screenshot(path=artifacts / "quiet-notice.png")


def test_nothing_but_the_control_was_typeset(page):
    assert (
        page.locator(f".jp-OutputArea :is({MATHS})").count()
        == page.locator(f".maths-control :is({MATHS})").count()
    )
