"""The repository's notebooks opened as a reader first meets them: saved, not run, and so
not trusted, in JupyterLab 4 and in Notebook 7. Widgets cannot render there (front ends
render widget views only in trusted notebooks); each must show its static picture, never
a raw repr, and no stale progress line. Then a widget rendered live in Notebook 7.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from jupyter_page import opened, write_notebook

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# What a widget output looks like when only its text repr shows.
RAW_REPR = re.compile(
    r"\b(ModelExplorer|TranscribePanel|TranscriptPlayer|SpeechStudio|MicRecorder|HBox|VBox)\(|"
    r"\d+%\|"
)
# The output areas' text, cell by cell, each scrolled into view and given its outputs'
# time to render (JupyterLab may leave the cells outside its window unrendered).
OUTPUT_TEXTS = """async () => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const texts = [];
    for (let i = 0; i < notebook.widgets.length; i++) {
        const cell = notebook.widgets[i];
        if (cell.model.type !== "code") continue;
        await notebook.scrollToItem(i);
        for (let frame = 0; frame < 120; frame++) {
            const node = cell.node.querySelector(".jp-OutputArea");
            if (!cell.model.outputs.length || (node && node.innerText.trim())) break;
            await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        texts.push(cell.node.querySelector(".jp-OutputArea")?.innerText ?? "");
    }
    return texts;
}"""
WIDGET_CELLS = {"02-model-pricing.ipynb": 1, "03-transcription.ipynb": 2}


def copy_repository_notebook(server, name: str) -> None:
    shutil.copy(NOTEBOOKS / name, server.root / name)
    if not (server.root / "audio").exists():
        shutil.copytree(NOTEBOOKS / "audio", server.root / "audio")


@pytest.mark.parametrize("name", sorted(WIDGET_CELLS))
@pytest.mark.parametrize("front_end", ["lab", "notebook7"])
def test_saved_notebooks_show_their_widgets_before_they_run(
    front_end, name, request, browser, artifacts
):
    server = request.getfixturevalue(front_end)
    copy_repository_notebook(server, name)
    with opened(server, browser, name, workspace=f"saved-{name[:2]}") as page:
        texts = page.evaluate(OUTPUT_TEXTS)
        raw = [text[:80] for text in texts if RAW_REPR.search(text)]
        assert not raw, f"raw reprs or stale progress in the saved view: {raw}"
        pictures = [t for t in texts if "as saved: run the cell to use it." in t]
        assert len(pictures) == WIDGET_CELLS[name], texts
        if name.startswith("03"):
            shown = "\n".join(texts)
            assert re.search(r"transcribe: 4/4 files in \d+\.\d s \(ok=4\)", shown), shown
            assert "Every line of this transcript is a button." in pictures[0]
            assert "Transcribe" in pictures[1] and "Microphone" in pictures[1]  # the panel
            cell = page.locator(".jp-CodeCell", has=page.locator(".comet-static-view audio"))
            cell.scroll_into_view_if_needed()  # the player's picture plays audio/tour.ogg
            src = cell.locator(".comet-static-view audio").get_attribute("src")
            assert "/files/audio/tour.ogg" in src  # the front end serves the file beside it
            assert page.evaluate("src => fetch(src).then((answer) => answer.ok)", src)
        else:
            assert "Use this model" in pictures[0] and "tts-1" in pictures[0]
        picture = page.locator(".jp-OutputArea .comet-static-view").first
        picture.scroll_into_view_if_needed()
        picture.screenshot(path=artifacts / f"saved-{name[:2]}-{front_end}.png")


def test_a_widget_renders_live_in_notebook_7(notebook7, browser, speech_wav, artifacts):
    (notebook7.root / "speech.wav").write_bytes(speech_wav)
    write_notebook(
        notebook7,
        "live-player.ipynb",
        [
            "from comet_audio_nb import CometClient\n"
            "transcript = CometClient().transcribe(\n"
            "    'speech.wav', timestamp_granularities=['segment', 'word']\n)\n"
            "transcript.player('speech.wav')"
        ],
    )
    with opened(notebook7, browser, "live-player.ipynb", run=True) as page:
        player = page.locator(".jp-OutputArea .comet-transcript-player")
        player.wait_for()
        assert page.locator(".comet-static-view").count() == 0  # the live widget, not the picture
        audio = player.locator("audio")
        page.wait_for_function(
            "audio => isFinite(audio.duration) && audio.duration > 0", arg=audio.element_handle()
        )
        word = player.locator(".comet-tp-word", has_text="lazy")
        start = float(word.get_attribute("data-start"))
        word.click()
        page.wait_for_function(
            "([audio, start]) => audio.currentTime >= start - 0.05",
            arg=[audio.element_handle(), start],
        )
        assert "dog." in player.locator(".comet-tp-transcript").inner_text()  # punctuation kept
        clock = player.locator(".comet-audio-clock").inner_text()
        assert re.fullmatch(r"\d:\d\d\.\d / \d:\d\d\.\d", clock), clock
        audio.evaluate("audio => audio.pause()")
        player.screenshot(path=artifacts / "notebook7-transcript-player.png")
