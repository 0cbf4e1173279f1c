"""Choosing things in a real JupyterLab: the doctor, the voice gallery, the comparison view.

One notebook runs the three once ("Run All"); each test then looks at what the page shows,
as a user would, and saves a screenshot under ``test-artifacts/`` (and the notebook as it
ended, choose.ipynb).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jupyter_page import opened, write_notebook

pytestmark = pytest.mark.browser

CELLS = [
    "%load_ext comet_audio_nb",
    "%comet_doctor",
    "%comet_voices --voices alloy,nova,onyx -o gallery Hello there.",
    "%%comet_compare --models whisper-1,gpt-4o-mini-transcribe,no-such-model "
    '--reference "The quick brown fox jumps over the lazy cat." -o cmp\nspeech.wav',
    "from comet_audio_nb import CometClient\n"
    "talk = CometClient().transcribe('talk.mp4', timestamp_granularities=['segment'])\n"
    "talk.video_player('talk.mp4', embed_max_bytes=0)",
    "talk.video_player('talk.mkv')",
]
DIALOGUE = "Ana: Welcome to the talk.\nBen: Thanks for having me here.\nAna: Let us begin."


@pytest.fixture(scope="module")
def notebook(lab, browser, engine, speech_wav, keep_notebook) -> Iterator:
    from video_helpers import make_video

    from comet_audio_nb import CometClient

    (lab.root / "speech.wav").write_bytes(speech_wav)
    with CometClient(base_url=engine.base_url) as client:
        dialogue = client.speech_dialogue(DIALOGUE, response_format="wav", progress=False)
    (lab.root / "talk.mp4").write_bytes(make_video(dialogue.data, "mp4"))
    (lab.root / "talk.mkv").write_bytes(make_video(speech_wav, "mkv-mpeg4"))
    write_notebook(lab, "choose.ipynb", CELLS)
    with opened(lab, browser, "choose.ipynb", workspace="choose", run=True) as page:
        yield page
        keep_notebook(page, "choose.ipynb")


def cell_with(page, source: str):
    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=source))
    cell.scroll_into_view_if_needed()
    return cell


def test_doctor_rows_the_page_answers_update_in_place(notebook, artifacts, sentinel_key):
    cell = cell_with(notebook, "%comet_doctor")
    table = cell.locator(".comet-doctor")
    # The page's rows fill in after the cell has ended, in the same table.
    row = table.locator('tr[data-check="widgets (page)"]')
    notebook.wait_for_function(
        "row => row.dataset.status !== 'pending'", arg=row.element_handle(), timeout=20_000
    )
    assert cell.locator(".comet-doctor").count() == 1
    statuses = {
        name: table.locator(f'tr[data-check="{name}"]').get_attribute("data-status")
        for name in ("widgets (page)", "notebook trusted", "microphone", "API key")
    }
    assert statuses == dict.fromkeys(statuses, "ok"), statuses
    shown = table.inner_text()
    assert "a widget rendered in JupyterLab" in shown
    assert "scripts in outputs run" in shown
    assert "secure page · allowed" in shown  # the test browser grants the microphone
    assert f"sk-…{sentinel_key[-4:]}" in shown and sentinel_key[3:-4] not in shown
    assert "service reachable" in shown  # the lab's base URL is the test engine
    cell.locator(".jp-OutputArea").screenshot(path=artifacts / "doctor.png")


def test_gallery_plays_one_clip_at_a_time(notebook, artifacts):
    cell = cell_with(notebook, "%comet_voices")
    gallery = cell.locator(".comet-voice-gallery")
    audios = gallery.locator("audio")
    assert audios.count() == 3
    assert gallery.locator("tbody tr").all_inner_texts()[0].startswith("alloy")
    for i in range(3):
        notebook.wait_for_function(
            "a => isFinite(a.duration) && a.duration > 0", arg=audios.nth(i).element_handle()
        )
    audios.nth(0).evaluate("a => { a.loop = true; return a.play(); }")
    notebook.wait_for_function("a => !a.paused", arg=audios.nth(0).element_handle())
    audios.nth(1).evaluate("a => { a.loop = true; return a.play(); }")
    notebook.wait_for_function("a => !a.paused", arg=audios.nth(1).element_handle())
    # The second clip starting paused the first: one voice is heard at a time.
    notebook.wait_for_function("a => a.paused", arg=audios.nth(0).element_handle())
    playing = [not audios.nth(i).evaluate("a => a.paused") for i in range(3)]
    assert playing == [False, True, False]
    audios.nth(1).evaluate("a => a.pause()")
    assert "variations of one voice" in gallery.inner_text()  # the lab's engine says so
    cell.locator(".jp-OutputArea").screenshot(path=artifacts / "voice-gallery.png")


def test_comparison_view_marks_the_differences(notebook, artifacts):
    cell = cell_with(notebook, "%%comet_compare")
    view = cell.locator(".comet-comparison")
    # "cat" in the reference, "dog" in what both models heard: a substitution each.
    subs = view.locator(".comet-cmp-sub[title]")  # the legend has one too, untitled
    assert subs.count() >= 2
    assert subs.first.get_attribute("title") == "cat."  # the reference word as written
    assert "dog" in subs.first.inner_text().lower()
    text = view.inner_text()
    assert "failed: HTTP 400" in text  # the unknown model keeps its row
    assert "whisper-1 → whisper-base" in text
    assert "$" in text and "tex2jax_ignore" in view.get_attribute("class")
    cell.locator(".jp-OutputArea").screenshot(path=artifacts / "comparison.png")


def test_video_player_shows_captions_and_seeks_on_click(notebook, artifacts):
    cell = cell_with(notebook, "talk.video_player('talk.mp4'")
    player = cell.locator(".comet-video-player")
    video = player.locator("video")
    handle = video.element_handle()
    notebook.wait_for_function("v => isFinite(v.duration) && v.duration > 3", arg=handle)
    # Played from Jupyter's /files/ URL (too large to embed here), never from the notebook.
    assert "/files/talk.mp4" in video.evaluate("v => v.currentSrc")
    track = notebook.wait_for_function(
        "v => v.textTracks.length === 1 && v.textTracks[0].cues && v.textTracks[0].cues.length"
        " && v.textTracks[0].cues.length",
        arg=handle,
    ).json_value()
    lines = player.locator(".comet-vp-segment")
    assert lines.count() == track >= 2
    assert video.evaluate("v => v.textTracks[0].kind + ' ' + v.textTracks[0].mode") == (
        "captions showing"
    )
    start = float(lines.nth(1).get_attribute("data-start"))
    lines.nth(1).click()
    notebook.wait_for_function(f"v => v.currentTime >= {start}", arg=handle)
    player.locator(".comet-vp-segment.comet-vp-active").nth(0).wait_for()
    assert player.locator(".comet-vp-segment.comet-vp-active").get_attribute("data-index") in (
        "1", "2",
    )  # fmt: skip
    video.evaluate("v => v.pause()")
    player.screenshot(path=artifacts / "video-player.png")


def test_a_video_the_browser_cannot_play_says_why_and_keeps_its_transcript(notebook):
    cell = cell_with(notebook, "talk.video_player('talk.mkv')")
    player = cell.locator(".comet-video-player")
    assert "cannot play mpeg4 video" in player.locator(".comet-vp-problem").inner_text()
    assert player.locator(".comet-vp-segment").count() >= 2
