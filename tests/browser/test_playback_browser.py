"""One clip at a time, in a real browser: Run All on several ``%comet_say`` cells, then the
same notebook saved (and so trusted) and reopened.

A sampler in the page counts the ``<audio>`` elements playing every 20 ms and at every
``playing`` event; at most one may ever play, and the newest clip is the one heard.
"""

from __future__ import annotations

import pytest
from jupyter_page import RUN_ALL, SAVE, opened, write_notebook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

# Each clip lasts a few seconds, longer than the next cell takes to speak: if every player
# started by itself, several would play together.
TEXTS = [
    "This is the first clip, and it goes on for a little while before it ends.",
    "Here comes the second clip, which is about as long as the first one was.",
    "The third clip follows, and it too takes a few seconds to say out loud.",
    "And this is the fourth and last clip, the one that should be heard to the end.",
]
CELLS = ["%load_ext comet_audio_nb"] + [f"%comet_say {text}" for text in TEXTS]
PLAYERS = ".jp-OutputArea .comet-audio-speech audio"
SAMPLER = """() => {
    const seen = window.__playback = { max: 0, samples: 0, started: new Set() };
    const players = () => [...document.querySelectorAll("PLAYERS")];
    const sample = () => {
        const playing = players().filter((audio) => !audio.paused && !audio.ended).length;
        seen.max = Math.max(seen.max, playing);
        seen.samples++;
    };
    setInterval(sample, 20);
    document.addEventListener("playing", (event) => {
        seen.started.add(players().indexOf(event.target));
        setTimeout(sample, 0);  // once every listener of this event has run
    }, true);
}""".replace("PLAYERS", PLAYERS)
COUNT_PLAYS = "() => { window.__plays = 0; "
COUNT_PLAYS += "document.addEventListener('play', () => window.__plays++, true); }"


@pytest.mark.parametrize("front_end", ["lab", "notebook7"])
def test_run_all_plays_at_most_one_clip_at_any_moment_and_the_newest_last(
    front_end, request, browser, artifacts
):
    server = request.getfixturevalue(front_end)
    write_notebook(server, "say-cells.ipynb", CELLS)
    with opened(server, browser, "say-cells.ipynb", workspace="playback") as page:
        page.evaluate(SAMPLER)
        page.evaluate(RUN_ALL)
        page.wait_for_function(  # every clip shown, and the last one heard to its end
            f"""() => {{
                const players = [...document.querySelectorAll("{PLAYERS}")];
                return players.length === {len(TEXTS)} && players[{len(TEXTS) - 1}].ended;
            }}""",
            polling=100,
        )
        seen = page.evaluate(
            "() => ({...window.__playback, started: [...window.__playback.started]})"
        )
        assert seen["samples"] > 50
        assert seen["max"] == 1, f"{seen['max']} clips played at once"
        assert len(TEXTS) - 1 in seen["started"]  # the newest was heard
        earlier = page.evaluate(
            f"() => [...document.querySelectorAll('{PLAYERS}')].slice(0, -1)"
            ".map((audio) => audio.paused && !audio.ended)"
        )
        assert all(earlier), "an earlier clip played on to its end"
        page.locator(".jp-Notebook").screenshot(path=artifacts / f"playback-{front_end}.png")


def test_a_saved_trusted_notebook_reopens_without_playing_anything(lab, browser):
    write_notebook(lab, "reopened.ipynb", CELLS[:3])
    with opened(lab, browser, "reopened.ipynb", workspace="reopen", run=True) as page:
        page.wait_for_function(f"() => document.querySelectorAll('{PLAYERS}').length === 2")
        assert page.evaluate(SAVE)  # saved by JupyterLab: signed, so trusted when reopened
        page.add_init_script(f"({COUNT_PLAYS})()")
        page.reload()
        page.wait_for_function(  # both players back, with their audio loaded
            f"""() => {{
                const players = [...document.querySelectorAll("{PLAYERS}")];
                return players.length === 2 && players.every((audio) => audio.readyState >= 1);
            }}"""
        )
        trusted = "() => window.jupyterapp.shell.currentWidget.content.model.cells.get(1).trusted"
        assert page.evaluate(trusted)  # the case at issue: a trusted notebook reopened
        with pytest.raises(PlaywrightTimeout):  # nothing starts by itself
            page.wait_for_function(
                f"""() => window.__plays > 0
                    || [...document.querySelectorAll("{PLAYERS}")].some((a) => !a.paused)""",
                timeout=5000,
            )
        # Trusted: the players' scripts ran (an untrusted notebook would not run them).
        assert page.evaluate("() => typeof window.cometAudio === 'object'")
        assert page.locator(f"{PLAYERS}[autoplay]").count() == 0
        page.locator(PLAYERS).first.evaluate("audio => audio.play()")  # a click still plays
        page.wait_for_function("() => window.__plays === 1")
