"""SpeechStudio driven through its widgets' traits and click handlers, against the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from widget_helpers import answers_held, on_engine, shown_text, widget_states  # noqa: F401

from comet_audio_nb.constants import VOICES
from comet_audio_nb.notebook import session
from comet_audio_nb.results.views import playable
from comet_audio_nb.widgets import SpeechStudio
from comet_audio_nb.widgets.studio import speech_history

pytestmark = pytest.mark.usefixtures("on_engine")


def test_character_count_follows_the_text_and_the_limit_disables_speak():
    studio = SpeechStudio(background=False)
    assert "0 / 4,096 characters" in studio.count.value
    studio.text.value = "Hello there"
    assert "11 / 4,096 characters" in studio.count.value
    assert not studio.speak_button.disabled
    studio.text.value = "x" * 4096  # the limit itself is allowed
    assert "4,096 / 4,096 characters" in studio.count.value
    assert not studio.speak_button.disabled
    studio.text.value = "x" * 4100
    assert "4 too many" in studio.count.value
    assert studio.speak_button.disabled
    assert studio.speak() is False
    assert "the limit is 4,096" in studio.status.value


def test_pressing_speak_plays_the_speech_and_adds_a_history_row(engine):
    studio = SpeechStudio("Hello from the studio.", background=False)
    before = len(speech_history())
    studio.speak_button.click()
    speech = studio.speech
    assert speech is not None and speech.format == "mp3" and speech.voice == "alloy"
    assert speech.text == "Hello from the studio."
    assert studio.player.value == speech.data and studio.player.mime == "audio/mpeg"
    assert "comet-status-ok" in studio.status.value
    assert len(speech_history()) == before + 1
    assert studio.history.children[0].children[0].description == f"▶ #{speech_history()[-1].number}"
    assert engine.hits("/v1/audio/speech") == 1
    assert not studio.busy and not studio.speak_button.disabled


def test_the_controls_become_the_request_options():
    studio = SpeechStudio("Options, please.", background=False)
    studio.voice.value = "nova"
    studio.format.value = "wav"
    studio.speed.value = 1.5
    studio.model.value = "gpt-4o-mini-tts"
    studio.instructions.value = "calm"
    assert studio.options() == {
        "model": "gpt-4o-mini-tts",
        "voice": "nova",
        "response_format": "wav",
        "speed": 1.5,
        "instructions": "calm",
    }
    studio.speak()
    assert (studio.speech.voice, studio.speech.format, studio.speech.speed) == ("nova", "wav", 1.5)
    assert studio.player.mime == "audio/wav"
    assert studio.download.filename == "speech.wav" and studio.download.data == studio.speech.data


def test_defaults_come_from_config_and_models_from_the_engine():
    session.get_defaults().voice = "echo"
    session.get_defaults().response_format = "opus"
    studio = SpeechStudio(background=False)
    assert studio.voice.value == "echo" and studio.format.value == "opus"
    assert list(studio.model.options) == ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"]
    assert "nova" in studio.voice.options


def test_model_and_voice_offer_their_choices_and_still_take_any_name():
    studio = SpeechStudio(background=False)
    # A dropdown lists every known voice and speech model (a text box hid them all).
    assert list(studio.voice.pick.options) == [*VOICES, "other…"]
    assert {"tts-1", "tts-1-hd", "gpt-4o-mini-tts"} <= set(studio.model.pick.options)
    studio.voice.pick.value = "shimmer"
    assert studio.options()["voice"] == "shimmer"
    studio.voice.pick.value = "other…"  # any other name: a text box opens beside it
    assert studio.voice.other.layout.display == ""
    studio.voice.other.value = "my-cloned-voice"
    assert studio.options()["voice"] == "my-cloned-voice"
    assert studio.voice.pick.value == "my-cloned-voice"  # now one of the choices
    given = SpeechStudio(voice="brand-new", model="tts-2", background=False)
    assert (given.voice.pick.value, given.model.pick.value) == ("brand-new", "tts-2")
    assert given.options()["model"] == "tts-2"


def test_an_error_shows_in_one_sentence_and_the_studio_keeps_working():
    studio = SpeechStudio("Still here?", background=False)
    studio.voice.value = "no-such-voice"
    studio.speak()
    assert "comet-status-error" in studio.status.value
    shown = shown_text(studio.status)
    assert shown.startswith("✗ HTTP 400") and "Invalid voice" in shown and "\n" not in shown
    assert not studio.busy and not studio.speak_button.disabled
    studio.voice.value = "alloy"
    studio.speak()
    assert "comet-status-ok" in studio.status.value and studio.speech.voice == "alloy"


def test_speak_is_disabled_while_the_request_runs(engine):
    studio = SpeechStudio("Slowly.")
    with answers_held("audio/speech"):
        assert studio.speak() is True
        assert studio.busy and studio.speak_button.disabled
        assert studio.speak_button.description == "Speaking…"
        assert studio.speak() is False and "Still speaking" in studio.status.value
    assert studio.wait(60)
    assert not studio.busy and not studio.speak_button.disabled
    assert studio.speech is not None and engine.hits("/v1/audio/speech") == 1


def test_replay_puts_an_earlier_speech_back_in_the_player_of_any_studio():
    first = SpeechStudio("One.", background=False)
    first.speak()
    number, one = speech_history()[-1].number, first.speech
    first.text.value = "Two."
    first.speak()
    other = SpeechStudio(background=False)  # made later: it lists the earlier speeches too
    assert other.history.children[1].children[0].description == f"▶ #{number}"
    other.history.children[1].children[0].click()
    assert other.player.value == playable(one)[0] and other.speech is one
    assert "Replaying" in other.status.value


def test_the_player_starts_by_a_message_and_never_saves_autoplay(monkeypatch):
    # A saved `autoplay` would start every studio's player together when a notebook reopens.
    studio = SpeechStudio("Play me.", background=False)
    sent = []
    monkeypatch.setattr(studio.player, "send", lambda content, buffers=None: sent.append(content))
    studio.speak()
    assert sent == [{"type": "play"}]  # %config CometAudio.autoplay is on by default
    assert "autoplay" not in studio.player.get_state()
    session.get_defaults().autoplay = False
    quiet = SpeechStudio("Quiet.", background=False)
    monkeypatch.setattr(quiet.player, "send", lambda content, buffers=None: sent.append(content))
    quiet.speak()
    assert sent == [{"type": "play"}] and quiet.player.value
    quiet.replay(speech_history()[-1].number)  # a click on ▶: plays
    assert sent == [{"type": "play"}] * 2


def test_save_writes_the_audio_beside_the_notebook(tmp_path: Path):
    studio = SpeechStudio("Save me.", background=False)
    assert studio.save() is None and "Speak something first" in studio.status.value
    studio.speak()
    studio.save_button.click()
    assert (tmp_path / "speech.mp3").read_bytes() == studio.speech.data
    studio.filename.value = "greeting"
    assert studio.save() == Path("greeting.mp3")
    studio.filename.value = str(tmp_path / "missing" / "folder" / "x.mp3")
    assert studio.save() is None and "Could not save" in studio.status.value


def test_an_unexpected_failure_is_reported_and_the_button_comes_back():
    class Broken:
        def speech(self, text, **options):
            raise RuntimeError("boom")

    studio = SpeechStudio("Hi", client=Broken(), background=False)
    studio.speak()
    assert "boom" in studio.status.value and not studio.speak_button.disabled


def test_the_key_never_goes_into_widget_state():
    key = "sk-widgetsecret1234567890abcdef"
    session.set_api_key(key)
    studio = SpeechStudio("A secret-free speech.", background=False)
    studio.speak()
    assert studio.speech is not None
    assert key not in repr(widget_states(studio))


def test_options_given_to_the_studio_win_over_the_defaults():
    studio = SpeechStudio(
        "Hi",
        model="tts-1-hd",
        voice="nova",
        response_format="WAV",
        speed=1.25,
        instructions="calm",
    )
    assert studio.options() == {
        "model": "tts-1-hd",
        "voice": "nova",
        "response_format": "wav",
        "speed": 1.25,
        "instructions": "calm",
    }
    assert studio.model.value in studio.model.options


def _stream_players(studio):
    """Every widget the studio's player box held, in order (observed as it changes)."""
    held = []
    studio.player_box.observe(lambda change: held.extend(change["new"]), names="children")
    return held


def test_stream_plays_in_a_stream_player_then_the_clip_player_takes_over(engine):
    text = "Streaming from the studio. A second sentence follows. And then a third."
    studio = SpeechStudio(text, response_format="wav", stream=True, background=False)
    held = _stream_players(studio)
    studio.speak_button.click()
    live = held[0]
    assert type(live).__name__ == "StreamPlayer" and held[-1] is studio.player
    assert studio.player_box.children == (studio.player,)  # back, once the stream ended
    assert live.state == "done" and live.received > 0 and live.comm is None  # closed
    speech = studio.speech
    assert speech.format == "wav" and speech.data[:4] == b"RIFF"  # kept in the asked format
    assert studio.player.stream_id == live.stream_id  # it goes on from where the stream was
    assert studio.player.value == speech.data
    assert "of speech (wav): heard after " in studio.status.value
    assert 0 < live.first_audio < live.seconds


def test_a_replay_after_a_stream_starts_from_the_top(engine):
    studio = SpeechStudio("One short sentence.", stream=True, background=False)
    studio.speak_button.click()
    assert studio.player.stream_id
    studio.replay(speech_history()[-1].number)
    assert studio.player.stream_id == ""


def test_a_cut_stream_keeps_what_arrived_in_the_player(engine):
    engine.inject("/v1/audio/speech", 200, truncate=True)
    text = "This stream is cut. Its first half stays. The rest is lost on the way."
    studio = SpeechStudio(text, response_format="pcm", stream=True, background=False)
    studio.speak_button.click()
    assert "✗" in studio.status.value and "cut off" in studio.status.value
    assert studio.player_box.children == (studio.player,)
    assert studio.player.value[:4] == b"RIFF" and len(studio.player.value) > 44
    assert studio.player.stream_id  # what was heard goes on in the clip player
    assert not studio.busy
