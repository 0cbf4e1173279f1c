"""Static views: each panel's display bundle carries an HTML picture for front ends that
cannot render the widget (an untrusted notebook, GitHub), besides the widget itself."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from widget_helpers import on_engine  # noqa: F401

from comet_audio_nb import Transcript
from comet_audio_nb.widgets import (
    MicRecorder,
    ModelExplorer,
    SpeechStudio,
    TranscribePanel,
    TranscriptPlayer,
)
from comet_audio_nb.widgets.static import static_html

pytestmark = pytest.mark.usefixtures("on_engine")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def bundle(widget) -> dict:
    shown = widget._repr_mimebundle_()
    return shown[0] if isinstance(shown, tuple) else shown


def tour() -> Transcript:
    return Transcript(
        "Welcome to the tour. Every line is a button.",
        segment_records=[
            {"start": 0.0, "end": 2.1, "text": "Welcome to the tour."},
            {"start": 2.9, "end": 5.3, "text": "Every line is a button."},
        ],
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: SpeechStudio("Hello", background=False),
        lambda: TranscribePanel(background=False),
        lambda: ModelExplorer(),
        lambda: MicRecorder(),
        lambda: TranscriptPlayer(tour()),
    ],
    ids=["studio", "panel", "explorer", "recorder", "player"],
)
def test_every_panel_shows_a_static_picture_where_widgets_cannot_render(make):
    widget = make()
    shown = bundle(widget)
    assert WIDGET_VIEW in shown  # the live widget, which front ends prefer
    html = shown["text/html"]
    assert f"{type(widget).__name__} as saved: run the cell to use it." in html
    assert "tex2jax_ignore" in html
    assert "children=" not in html and len(html) < 40_000


def test_the_studio_picture_shows_its_text_and_choices_but_not_its_hidden_parts():
    html = bundle(SpeechStudio("Read <this> aloud", background=False))["text/html"]
    assert "Read &lt;this&gt; aloud</textarea>" in html
    assert "<option>alloy</option>" in html and "<button disabled>Speak</button>" in html
    assert "any other name" not in html  # the "other…" text box is hidden
    assert "data:audio" not in html  # no speech yet, and never the audio twice


def test_the_transcript_player_picture_is_the_timed_transcript_and_the_file_it_plays(tmp_path):
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "tour.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(8))
    html = bundle(TranscriptPlayer(tour(), "audio/tour.wav"))["text/html"]
    assert '<audio controls preload="none" src="audio/tour.wav"></audio>' in html
    assert "[0:02.9 → 0:05.3]" in html and "Every line is a button." in html
    from_bytes = bundle(TranscriptPlayer(tour(), ("t.wav", b"RIFF" + bytes(40))))["text/html"]
    assert "<audio" not in from_bytes and "Welcome to the tour." in from_bytes


def test_a_diarized_players_picture_shows_the_speakers_legend_and_coloured_lines():
    from comet_audio_nb.results.speakers import SPEAKER_PALETTE

    talk = Transcript(
        "Hi. Hello. Bye.",
        segment_records=[
            {"start": 0.0, "end": 1.0, "speaker": "Ana", "text": "Hi."},
            {"start": 1.0, "end": 4.0, "speaker": "Ben", "text": "Hello."},
            {"start": 4.0, "end": 5.0, "speaker": "Ana", "text": "Bye."},
        ],
    )
    html = bundle(TranscriptPlayer(talk))["text/html"]
    assert 'class="comet-audio-legend"' in html
    assert "2.0 s · 40%" in html and "3.0 s · 60%" in html  # Ana's and Ben's talk
    assert f'data-speaker="Ben" style="border-left:4px solid {SPEAKER_PALETTE[1]}' in html
    assert "comet-audio-legend" not in bundle(TranscriptPlayer(tour()))["text/html"]


def test_a_long_transcript_keeps_the_picture_small():
    long = Transcript(
        "many lines",
        segment_records=[{"start": i, "end": i + 1, "text": f"line {i}."} for i in range(300)],
    )
    html = bundle(TranscriptPlayer(long))["text/html"]
    assert "line 39." in html and "line 40." not in html
    assert "… 260 more lines: run the cell to see them all" in html and len(html) < 10_000


def test_containers_tabs_and_accordions_are_drawn_and_hidden_widgets_left_out():
    hidden = widgets.Button(description="Hidden", layout=widgets.Layout(display="none"))
    tab = widgets.Tab(
        [widgets.HTML("<b>first</b>"), widgets.Label("second")], titles=("One", "Two")
    )
    tab.selected_index = 1
    drawer = widgets.Accordion([widgets.Checkbox(True, description="On")], titles=("More",))
    html = static_html(widgets.VBox([tab, drawer, hidden, widgets.IntProgress(3, max=4)]))
    assert "<span>second</span>" in html and "<b>first</b>" not in html  # the tab on show
    assert "<summary>More</summary>" in html and "checked> On" in html
    assert "Hidden" not in html and '<progress value="3" max="4">' in html


def test_module_examples_run():
    import doctest

    from comet_audio_nb.results import playback
    from comet_audio_nb.widgets import _common, clip, static

    for module in (static, playback, clip, _common):
        failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, module.__name__
