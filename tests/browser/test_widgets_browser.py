"""The widgets in a real JupyterLab, in Chromium: speak, record and transcribe, seek.

One notebook shows the three widgets; its cells run once (JupyterLab's "Run All" command),
then each test works one widget as a user would and saves a screenshot of it under
``test-artifacts/`` (and the notebook as it ended, widgets.ipynb).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import nbformat
import pytest

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
CELLS = [
    "from comet_audio_nb import CometClient\n"
    "from comet_audio_nb.widgets import SpeechStudio, TranscribePanel",
    "studio = SpeechStudio('The quick brown fox jumps over the lazy dog.')\nstudio",
    "panel = TranscribePanel()\npanel",
    "transcript = CometClient().transcribe(\n"
    "    'speech.wav', timestamp_granularities=['segment', 'word']\n)\n"
    "transcript.player('speech.wav')",
]
WORDS = ("quick", "brown", "fox", "jumps", "lazy", "dog")
# Runs Python in the notebook's kernel (not in a cell) and returns what it printed.
IN_KERNEL = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = kernel.requestExecute({code, store_history: false});
    let printed = "";
    future.onIOPub = (message) => {
        const content = message.content;
        if (message.header.msg_type === "stream") printed += content.text;
        if (message.header.msg_type === "error") printed += `${content.ename}: ${content.evalue}`;
    };
    await future.done;
    return printed;
}"""
# What the first bytes of a recording say its container is (MediaRecorder's choices).
CONTAINERS = {b"\x1aE\xdf\xa3": "audio/webm", b"OggS": "audio/ogg"}


def container_of(head: bytes) -> str:
    return CONTAINERS.get(head[:4]) or ("audio/mp4" if head[4:8] == b"ftyp" else "unknown")


@pytest.fixture(scope="module")
def notebook(lab, browser, speech_wav, keep_notebook) -> Iterator:
    """The notebook open in JupyterLab with every cell run and every widget on show."""
    (lab.root / "speech.wav").write_bytes(speech_wav)
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(book, lab.root / "widgets.ipynb")
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(lab.url("lab/tree/widgets.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    page.evaluate(
        """async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.sessionContext.ready;
            await window.jupyterapp.commands.execute("notebook:run-all-cells");
        }"""
    )
    for selector in (".comet-speech-studio", ".comet-transcribe-panel", ".comet-transcript-player"):
        page.wait_for_selector(selector)
    yield page
    keep_notebook(page, "widgets.ipynb")
    page.close()
    assert not problems, f"errors in the page: {problems}"


def test_speech_studio_speak_plays_audio(notebook, artifacts):
    studio = notebook.locator(".comet-speech-studio")
    assert "44 / 4,096 characters" in studio.inner_text()
    studio.get_by_role("button", name="Speak").click()
    notebook.wait_for_function(
        """() => {
            const audio = document.querySelector(".comet-speech-studio audio");
            return audio && isFinite(audio.duration) && audio.duration > 0;
        }"""
    )
    assert "#1" in studio.locator(".comet-status-ok").inner_text()
    assert studio.get_by_role("button", name="▶ #1").is_visible()  # the history row
    clock = studio.locator(".comet-clip-player .comet-audio-clock").inner_text()
    assert re.fullmatch(r"\d:\d\d\.\d / \d:\d\d\.\d", clock), clock  # in tenths
    # The voice is a choice among the known voices (and "other…" for any other name).
    voices = studio.locator("select").nth(1).locator("option").all_inner_texts()
    assert voices[0] == "alloy" and "nova" in voices and voices[-1] == "other…"
    studio.screenshot(path=artifacts / "speech-studio.png")


def test_transcribe_panel_records_the_microphone_and_transcribes(notebook, artifacts):
    panel = notebook.locator(".comet-transcribe-panel")
    panel.locator(".lm-TabBar-tab", has_text="Microphone").click()
    recorder = panel.locator(".comet-recorder")
    recorder.get_by_role("button", name="● Record").click()
    notebook.wait_for_function(  # the level meter moves with the voice
        "() => parseFloat(document.querySelector('.comet-rec-meter > div').style.width) > 0"
    )
    recorder.screenshot(path=artifacts / "mic-recorder-recording.png")
    # The fake microphone plays the test's WAV: 0.3 s of silence, the sentence, 2 s silence.
    notebook.wait_for_function(
        """() => {
            const shown = document.querySelector(".comet-rec-elapsed").textContent;
            const [minutes, seconds] = shown.split(":").map(Number);
            return minutes * 60 + seconds >= 3.6;
        }"""
    )
    recorder.get_by_role("button", name="■ Stop").click()  # sent, and transcribed, at once
    preview = recorder.locator("audio.comet-rec-preview")
    preview.wait_for(state="visible")
    assert preview.get_attribute("src").startswith("blob:")  # it can be listened to
    transcribe = panel.get_by_role("button", name=re.compile("Transcrib"))
    assert transcribe.count() == 1  # the panel's own; the recorder has none of its own
    result = panel.locator(".comet-transcript-result .comet-tp-transcript")
    result.wait_for()
    heard = result.inner_text().lower()
    assert sum(word in heard for word in WORDS) >= 3, heard
    assert panel.locator(".comet-status-ok").is_visible()
    panel.screenshot(path=artifacts / "transcribe-panel.png")
    recorder.screenshot(path=artifacts / "mic-recorder.png")
    # The MIME types given for the recording are those of what was recorded.
    code = (
        "import json; panel.wait(60); print(json.dumps({'type': panel.recorder.mime_type,"
        " 'head': panel.recorder.value[:8].hex(), 'player': panel.player.audio_mime}))"
    )
    sent = json.loads(notebook.evaluate(IN_KERNEL, code))
    container = container_of(bytes.fromhex(sent["head"]))
    assert container == "audio/webm", sent  # what Chromium's MediaRecorder makes
    assert sent["type"].split(";")[0] == container, sent  # e.g. audio/webm;codecs=opus
    assert sent["player"] == container, sent
    played = panel.locator(".comet-transcript-result .comet-transcript-player audio")
    blob_type = "async audio => (await fetch(audio.src)).headers.get('content-type')"
    assert played.evaluate(blob_type) == container  # the blob the player plays


def test_transcript_player_seeks_where_clicked(notebook, artifacts):
    player = notebook.locator(".jp-Cell").nth(3).locator(".comet-transcript-player")
    audio = player.locator("audio")
    notebook.wait_for_function(
        "audio => isFinite(audio.duration) && audio.duration > 0", arg=audio.element_handle()
    )
    word = player.locator(".comet-tp-word", has_text="lazy")
    start = float(word.get_attribute("data-start"))
    assert start > 1.0
    word.click()
    notebook.wait_for_function(
        "([audio, start]) => audio.currentTime >= start - 0.05",
        arg=[audio.element_handle(), start],
    )
    active = player.locator(".comet-tp-segment.comet-tp-active")
    active.wait_for()
    assert "lazy" in active.inner_text()
    player.locator(".comet-tp-time").first.click()  # the first segment, at 0:00.0
    notebook.wait_for_function(
        "([audio, start]) => audio.currentTime < start - 0.5",
        arg=[audio.element_handle(), start],
    )
    player.screenshot(path=artifacts / "transcript-player.png")
