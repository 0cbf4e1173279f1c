"""%comet_say --stream: a streaming player on show, then the saved player in its place.

What the cell publishes is captured with its display ids and update flags: the player
must be one display that is updated (``update_display``), never a second output.
"""

from __future__ import annotations

import pytest
from IPython.utils.capture import capture_output
from magic_helpers import audio_sources

from comet_audio_nb import Speech

WIDGET = "application/vnd.jupyter.widget-view+json"
TEXT = "Streaming in a cell. The second sentence comes next. Then a third one."


@pytest.fixture(autouse=True)
def in_a_kernel(shell, monkeypatch):
    """The test shell as a kernel's (a page to stream to), as ipykernel's shell has one."""
    monkeypatch.setattr(shell, "kernel", object(), raising=False)


@pytest.fixture
def published(shell):
    """``published(code) -> (result, [output dicts with data/transient/update], stderr)``."""

    def run(code: str):
        with capture_output() as captured:
            result = shell.run_cell(code)
        return result, captured._outputs, captured.stderr

    return run


def test_the_stream_player_is_shown_then_updated_in_place_by_the_saved_player(published, shell):
    result, outputs, stderr = published(f"%comet_say --stream -o story {TEXT}")
    assert result.error_in_exec is None
    first, *rest = outputs
    assert WIDGET in first["data"] and not first["update"]
    display_id = first["transient"]["display_id"]
    (last,) = rest  # one update, no second output
    assert last["update"] and last["transient"]["display_id"] == display_id
    html = last["data"]["text/html"]
    speech = shell.user_ns["story"]
    assert isinstance(speech, Speech) and speech.format == "mp3" and speech.text == TEXT
    [(mime, data)] = audio_sources(html)
    assert mime == "audio/mpeg" and data == speech.data
    assert 'data-comet-stream="' in html and "data-comet-autoplay" not in html
    assert "cometAudio" in html  # the script that takes the position over


def test_opus_is_streamed_as_pcm_and_saved_as_opus(published, shell, tmp_path):
    pytest.importorskip("av")
    result, outputs, stderr = published(f"%comet_say --stream -f opus -s talk -o talk {TEXT}")
    assert result.error_in_exec is None
    speech = shell.user_ns["talk"]
    assert speech.format == "opus" and speech.data[:4] == b"OggS"
    assert (tmp_path / "talk.opus").read_bytes() == speech.data
    [(mime, data)] = audio_sources(outputs[-1]["data"]["text/html"])
    assert mime == "audio/ogg" and data == speech.data


def test_long_text_streams_part_by_part(published, shell, monkeypatch):
    from comet_audio_nb.widgets import stream_player

    calls = []
    real = stream_player.stream_plan
    monkeypatch.setattr(
        stream_player, "stream_plan",
        lambda asked, text_length: calls.append(text_length) or real(
            asked, text_length=text_length, max_chars=60
        ),
    )  # fmt: skip
    result, outputs, stderr = published(f"%comet_say --stream -o long {TEXT}")
    assert result.error_in_exec is None and calls == [len(TEXT)]
    speech = shell.user_ns["long"]
    assert speech.format == "mp3" and speech.text == TEXT and speech.duration > 3


def test_quiet_streams_without_showing_anything(published, shell):
    result, outputs, stderr = published(f"%comet_say --stream -q -o quiet {TEXT}")
    assert result.error_in_exec is None and outputs == []
    assert shell.user_ns["quiet"].data


def test_a_cut_stream_leaves_what_arrived_and_one_line(published, shell, engine):
    engine.inject("/v1/audio/speech", 200, truncate=True)
    result, outputs, stderr = published(f"%comet_say --stream -f pcm -o cut {TEXT}")
    first, last = outputs[0], outputs[-1]
    assert last["update"] and last["transient"] == first["transient"]
    [(mime, data)] = audio_sources(last["data"]["text/html"])
    assert mime == "audio/wav" and len(data) > 44  # the part that was heard stays
    assert shell.user_ns["cut"].data == data[44:]  # and -o VAR holds it
    assert "cut off" in stderr and "Traceback" not in stderr
    assert "what arrived is in the player above and cut; run the cell again" in stderr
    assert "error.speech" not in stderr  # a notebook user has no error object in hand
    assert len(stderr.strip().splitlines()) <= 2


def test_an_interrupt_keeps_what_arrived_and_says_so_in_one_line(shell, monkeypatch):
    from comet_audio_nb.widgets.stream_player import StreamPlayer

    real = StreamPlayer.feed

    def feed_then_interrupt(self, chunk):  # Kernel > Interrupt while the audio arrives
        real(self, chunk)
        raise KeyboardInterrupt

    monkeypatch.setattr(StreamPlayer, "feed", feed_then_interrupt)
    with capture_output() as captured:
        result = shell.run_cell(f"%comet_say --stream -f pcm -o cut {TEXT}")
    assert result.error_in_exec is not None  # the cell stops (and Run All with it)
    last = captured._outputs[-1]
    [(mime, data)] = audio_sources(last["data"]["text/html"])
    assert last["update"] and mime == "audio/wav" and len(data) > 44  # what arrived stays
    said = captured.stdout + captured.stderr
    assert "interrupted" in captured.stderr and "Traceback" not in said, said
    assert "(it is in the player above and cut)" in captured.stderr
    assert shell.user_ns["cut"].data == data[44:]
    assert len(captured.stderr.strip().splitlines()) == 1


def test_stream_with_dialogue_is_a_usage_error(published):
    result, outputs, stderr = published("%comet_say --stream --dialogue Ana: hi")
    assert outputs == [] and "--stream is for one text" in stderr


@pytest.mark.parametrize(
    ("line", "needle"),
    [("--speed 9", "speed"), ("-v nobody-at-all", "nobody-at-all")],
)
def test_a_refused_request_shows_no_player_only_one_line(published, engine, line, needle):
    result, outputs, stderr = published(f"%comet_say --stream {line} {TEXT}")
    assert outputs == []  # no empty player left behind
    assert needle in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 2


def test_in_a_terminal_the_speech_streams_and_one_normal_player_shows_at_the_end(
    published, shell, monkeypatch
):
    monkeypatch.delattr(shell, "kernel")  # terminal IPython: no page to stream to
    result, outputs, stderr = published(f"%comet_say --stream -o heard {TEXT}")
    assert result.error_in_exec is None and stderr == ""
    (output,) = outputs  # no widget line first: the normal player only
    assert WIDGET not in output["data"] and not output["update"]
    assert output["data"]["text/plain"] == repr(shell.user_ns["heard"])
