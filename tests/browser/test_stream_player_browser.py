"""Speech that plays while it is made, in a real browser: ``%comet_say --stream``.

The page is sampled while the cell runs: the streaming player's position (Web Audio for
pcm, Media Source for mp3) must advance while the request is still going (the player is
still there and the cell still running), and when the request ends the saved player takes
its place and goes on from there instead of starting again.
"""

from __future__ import annotations

import pytest
from jupyter_page import PROBLEMS, RUN_ALL, opened, write_notebook

pytestmark = pytest.mark.browser

# Long enough that the engine is still speaking when the first sentences are heard.
SENTENCES = [
    f"This is sentence number {n} of a story told while it is still being written."
    for n in range(1, 25)
]
STREAM = ".jp-OutputArea .comet-stream-player"
LIVE = ".comet-speech-studio .comet-stream-player"
CLIP = ".comet-speech-studio .comet-clip-player audio"
SAVED = ".jp-OutputArea .comet-audio-speech audio[data-comet-stream]"
# Every 20 ms: the streaming player's position while the cell runs, and the saved player.
SAMPLER = """() => {
    const seen = window.__stream = { live: [], handed: null, playing: 0, modes: [] };
    setInterval(() => {
        const player = document.querySelector("STREAM");
        const cell = player && player.closest(".jp-CodeCell");
        if (player && cell && cell.querySelector(".jp-InputPrompt").textContent.includes("*")) {
            seen.live.push(Number(player.dataset.position || 0));
            seen.last = {...player.dataset};
            if (!seen.modes.includes(player.dataset.mode)) seen.modes.push(player.dataset.mode);
        }
        const saved = document.querySelector("SAVED");
        if (saved && seen.handed === null && saved.readyState >= 1 && !saved.paused) {
            seen.handed = saved.currentTime;
        }
        const audible = [...document.querySelectorAll("audio")].filter((a) => !a.paused).length;
        seen.playing = Math.max(seen.playing, audible);
    }, 20);
}""".replace("STREAM", STREAM).replace("SAVED", SAVED)


@pytest.mark.parametrize(
    ("front_end", "audio_format", "mode"),
    [("lab", "pcm", "pcm"), ("lab", "mp3", "mse"), ("notebook7", "mp3", "mse")],
)
def test_stream_plays_before_the_request_ends_then_the_saved_player_goes_on(
    front_end, audio_format, mode, request, browser, artifacts
):
    server = request.getfixturevalue(front_end)
    cells = ["%load_ext comet_audio_nb", f"%%comet_say --stream --format {audio_format}\n"]
    cells[1] += " ".join(SENTENCES)
    name = f"stream-{audio_format}.ipynb"
    write_notebook(server, name, cells)
    with opened(server, browser, name, workspace=f"stream-{audio_format}") as page:
        page.evaluate(SAMPLER)
        page.evaluate(RUN_ALL)
        # Heard while the request still runs: the streaming player is there, its cell busy.
        page.wait_for_function("() => Math.max(0, ...window.__stream.live) > 1", polling=50)
        page.locator(STREAM).screenshot(path=artifacts / f"stream-{front_end}-{mode}-live.png")
        page.wait_for_selector(SAVED, state="attached")
        page.wait_for_function("() => window.__stream.handed !== null", polling=50)
        seen = page.evaluate("() => window.__stream")
        assert page.evaluate(PROBLEMS) == []
        assert seen["modes"] == [mode]
        heard_live = max(seen["live"])
        # The saved player went on from where the stream was, not from the start.
        assert seen["handed"] >= heard_live - 0.3, (seen["handed"], heard_live)
        assert seen["playing"] == 1  # the stream's own <audio> stopped when it handed over
        assert page.locator(STREAM).count() == 0  # replaced, not left beside it
        page.locator(".jp-Notebook").screenshot(
            path=artifacts / f"stream-{front_end}-{mode}-saved.png"
        )


def test_another_clip_pauses_the_stream_and_the_studio_hands_over_to_its_clip_player(
    lab, browser, artifacts
):
    text = " ".join(SENTENCES)
    cells = [
        "%load_ext comet_audio_nb\nfrom comet_audio_nb.widgets import SpeechStudio",
        "%comet_say -q -o other A clip of its own.\nother.player()",
        f"studio = SpeechStudio({text!r}, response_format='pcm', stream=True)\n"
        "display(studio)\nstudio.speak()",
    ]
    write_notebook(lab, "stream-studio.ipynb", cells)
    with opened(lab, browser, "stream-studio.ipynb", workspace="stream-studio") as page:
        page.evaluate(RUN_ALL)
        live = page.locator(LIVE)
        live.wait_for()
        page.wait_for_function(
            f"() => Number(document.querySelector('{LIVE}').dataset.position) > 1",
            polling=50,
        )
        # Another clip starts: the stream (Web Audio, no <audio>) pauses.
        page.evaluate(
            "() => window.cometAudio.start(document.querySelector('.comet-audio-speech audio'))"
        )
        page.wait_for_function(  # paused, and its audio context suspended (that is async)
            f"""() => {{
                const player = document.querySelector('{LIVE}');
                return player.querySelector('.comet-stream-toggle').title === 'Play'
                    && player.dataset.status === 'suspended';
            }}""",
            polling=50,
        )
        page.wait_for_timeout(100)  # a frame or more, so data-position is the held one
        held = float(live.get_attribute("data-position"))
        page.wait_for_timeout(400)
        assert abs(float(live.get_attribute("data-position")) - held) < 0.05  # not moving
        page.evaluate("() => document.querySelector('.comet-audio-speech audio').pause()")
        live.locator(".comet-stream-toggle").click()  # on again, from where it was
        page.wait_for_function(
            f"""() => {{  // still streaming, or already handed over to the clip player
                const live = document.querySelector('{LIVE}');
                const clip = document.querySelector('{CLIP}');
                return (live && Number(live.dataset.position) > {held + 0.3})
                    || (clip && clip.dataset.cometStream && clip.currentTime > {held + 0.3});
            }}""",
            polling=50,
        )
        # The request ends: the studio's clip player takes over from the same place.
        clip = page.locator(CLIP)
        page.wait_for_function(
            """() => {
                const audio = document.querySelector('CLIP');
                return audio && audio.dataset.cometStream && !audio.paused && audio.currentTime > 0;
            }""".replace("CLIP", CLIP),
            polling=50,
        )
        assert clip.evaluate("(audio) => audio.currentTime") >= held
        assert page.locator(".comet-stream-player").count() == 0
        assert page.evaluate(PROBLEMS) == []
        page.locator(".comet-speech-studio").screenshot(path=artifacts / "stream-studio.png")


def test_a_handover_that_loads_after_another_clip_started_does_not_take_over(lab, browser):
    # Run All with two --stream cells: the first's saved player (a big clip, slow to load)
    # was handed the stream's place, but the second stream started before it loaded. The
    # saved player must take the position and stay paused, not pause the newer stream.
    cells = ["%load_ext comet_audio_nb", "%comet_say -q -o clip A clip of its own.\nclip.player()"]
    write_notebook(lab, "stream-late-handover.ipynb", cells)
    with opened(lab, browser, "stream-late-handover.ipynb", workspace="late", run=True) as page:
        seen = page.evaluate(
            """async () => {
                const source = document.querySelector('.comet-audio-speech audio');
                const late = document.createElement('audio');
                late.dataset.cometStream = 'late-one';
                source.closest('.jp-OutputArea').append(late);
                const newer = { paused: false, pause() { this.paused = true; } };
                window.cometAudio.others.add(newer);
                window.cometAudio.handOver('late-one', { position: 0.5, playing: true });
                window.cometAudio.claim({});  // the next stream starts playing
                newer.paused = false;  // ...and it is that stream
                const loaded = new Promise((r) => late.addEventListener('loadedmetadata', r));
                late.src = source.currentSrc || source.src || source.querySelector('source').src;
                await loaded;
                await new Promise((r) => setTimeout(r, 300));
                window.cometAudio.others.delete(newer);
                return { paused: late.paused, at: late.currentTime, newer: newer.paused };
            }"""
        )
        assert seen == {"paused": True, "at": 0.5, "newer": False}
        assert page.evaluate(PROBLEMS) == []
