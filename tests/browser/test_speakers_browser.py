"""Speakers in the transcript player, in a real JupyterLab: the legend and coloured lines.

The built-in engine does not diarize, so the notebook reads the diarized answer of
``tests/data/wire/diarized_json.json`` (written from the documented format) with the
package's own parser, and shows its player over 12.3 s of silence; a transcript without
speakers is shown beside it. A screenshot goes to ``test-artifacts/speakers-player.png``
(and the notebook as it ended, speakers.ipynb).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_page import opened, write_notebook

from comet_audio_nb.audio.wav import pcm_to_wav

pytestmark = pytest.mark.browser

WIRE = Path(__file__).parents[1] / "data" / "wire" / "diarized_json.json"
CELLS = [
    "from comet_audio_nb import Transcript\n"
    "from comet_audio_nb.results import parse_transcription\n"
    "body = open('diarized_json.json', 'rb').read()\n"
    "talk = parse_transcription(body, content_type='application/json',"
    " response_format='diarized_json')\n"
    "talk.player('silence.wav')",
    "Transcript('Hi. Bye.', segment_records=[{'start': 0, 'end': 1, 'text': 'Hi.'},"
    " {'start': 1, 'end': 2, 'text': 'Bye.'}]).player()",
]
# Okabe-Ito blue and orange (results.speakers.SPEAKER_PALETTE) as the browser computes them.
BLUE, ORANGE = "rgb(0, 114, 178)", "rgb(230, 159, 0)"


@pytest.fixture(scope="module")
def notebook(lab, browser, keep_notebook) -> Iterator:
    shutil.copyfile(WIRE, lab.root / "diarized_json.json")
    (lab.root / "silence.wav").write_bytes(pcm_to_wav(bytes(2 * 8000 * 123 // 10), rate=8000))
    write_notebook(lab, "speakers.ipynb", CELLS)
    with opened(lab, browser, "speakers.ipynb", workspace="speakers", run=True) as page:
        players(page).nth(1).locator(".comet-tp-segment").first.wait_for()
        yield page
        keep_notebook(page, "speakers.ipynb")


def players(page):
    return page.locator(".comet-transcript-player")


def test_the_legend_lists_each_speaker_with_its_talk_and_share(notebook):
    legend = players(notebook).nth(0).locator(".comet-tp-legend")
    assert legend.is_visible()
    entries = legend.locator(".comet-tp-speaker")
    shown = [" ".join(text.split()) for text in entries.all_inner_texts()]
    assert shown == ["A 6.1 s · 67%", "B 3.0 s · 33%"]
    chips = legend.locator(".comet-tp-chip")
    colours = chips.evaluate_all("chips => chips.map(c => getComputedStyle(c).borderTopColor)")
    assert colours == [BLUE, ORANGE]


def test_two_speakers_lines_have_different_border_colours_and_names_at_turns(notebook, artifacts):
    player = players(notebook).nth(0)
    rows = player.locator(".comet-tp-segment")
    assert rows.count() == 3
    borders = rows.evaluate_all(
        "rows => rows.map(r => [r.dataset.speaker, getComputedStyle(r).borderLeftColor,"
        " getComputedStyle(r).borderLeftWidth])"
    )
    assert borders == [["A", BLUE, "4px"], ["B", ORANGE, "4px"], ["A", BLUE, "4px"]]
    # Every line here starts a turn (A, B, A), so each carries its speaker's name.
    assert rows.locator(".comet-tp-chip").all_inner_texts() == ["A", "B", "A"]
    player.screenshot(path=artifacts / "speakers-player.png")


def test_clicking_a_speaker_in_the_legend_picks_out_their_lines(notebook, artifacts):
    player = players(notebook).nth(0)
    rows = player.locator(".comet-tp-segment")
    opacity = "rows => rows.map(r => getComputedStyle(r).opacity)"
    player.locator(".comet-tp-speaker", has_text="B").click()
    assert rows.evaluate_all(opacity) == ["0.35", "1", "0.35"]
    player.screenshot(path=artifacts / "speakers-player-picked.png")
    player.locator(".comet-tp-speaker", has_text="B").click()  # again: every line
    assert rows.evaluate_all(opacity) == ["1", "1", "1"]
    # A line still seeks its audio: B's starts at 3.4 s.
    rows.nth(1).locator(".comet-tp-time").click()
    audio = player.locator("audio").element_handle()
    notebook.wait_for_function("audio => Math.abs(audio.currentTime - 3.4) < 0.05", arg=audio)


def test_a_transcript_without_speakers_has_no_legend_nor_coloured_lines(notebook):
    plain = players(notebook).nth(1)
    plain.locator(".comet-tp-segment").first.wait_for()
    assert not plain.locator(".comet-tp-legend").is_visible()
    rows = plain.locator(".comet-tp-segment")
    widths = rows.evaluate_all("rows => rows.map(r => getComputedStyle(r).borderLeftWidth)")
    assert widths == ["0px", "0px"] and plain.locator(".comet-tp-chip").count() == 0


def test_in_the_dark_theme_lines_keep_the_themes_text_colour(notebook, artifacts):
    theme = 'theme => window.jupyterapp.commands.execute("apputils:change-theme", {theme})'
    notebook.evaluate(theme, "JupyterLab Dark")
    try:
        notebook.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        player = players(notebook).nth(0)
        notebook.wait_for_timeout(500)  # the theme's stylesheet applied
        colours = player.locator(".comet-tp-segment").evaluate_all(
            "rows => rows.map(r => getComputedStyle(r)).map(s => [s.color, s.borderLeftColor])"
        )
        text = {colour for colour, _ in colours}
        assert len(text) == 1 and text.isdisjoint({BLUE, ORANGE})  # the speaker is the border
        red, green, blue = (float(n) for n in re.findall(r"[\d.]+", text.pop())[:3])
        assert min(red, green, blue) > 150  # light text on the dark theme
        assert [border for _, border in colours] == [BLUE, ORANGE, BLUE]
        player.screenshot(path=artifacts / "speakers-player-dark.png")
    finally:
        notebook.evaluate(theme, "JupyterLab Light")
