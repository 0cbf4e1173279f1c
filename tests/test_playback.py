"""One clip at a time is one mechanism (``results.playback``) that every player uses: a
guard for the players we have and those still to come (streaming, a voice gallery)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import anywidget

from comet_audio_nb.results.playback import playback_js, script_tag

PACKAGE = Path(__file__).resolve().parents[1] / "comet_audio_nb"


def test_no_player_saves_an_autoplay_attribute_or_uses_a_player_of_its_own():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<audio[^>\n]*\sautoplay", text), path
        assert "widgets.Audio(" not in text and "display.Audio" not in text, path


def anywidgets() -> list[type]:
    """Every anywidget class the widgets package defines."""
    found = []
    for path in sorted((PACKAGE / "widgets").glob("*.py")):
        module = importlib.import_module(f"comet_audio_nb.widgets.{path.stem}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, anywidget.AnyWidget)
            and value.__module__ == module.__name__
        ]
    return found


def test_every_widget_with_an_audio_element_starts_with_the_shared_script():
    players = 0
    for path in (PACKAGE / "widgets").glob("*.js"):
        source = path.read_text(encoding="utf-8")
        if 'createElement("audio")' not in source:
            continue
        assert not re.search(r"\.play\(\)", source), f"{path.name}: play through cometAudio.start"
        users = [cls for cls in anywidgets() if source in str(cls._esm)]
        assert users and all(cls._esm.startswith(playback_js()) for cls in users), path.name
        players += 1
    assert players >= 3  # the transcript player, the clip player, the recorder's preview


def test_the_html_script_sets_up_the_players_of_its_own_output():
    tag = script_tag()
    assert tag.startswith("<script>") and tag.endswith("</script>")
    assert "cometAudio.show(document.currentScript.parentNode)" in tag
    assert "</script>" not in playback_js()
