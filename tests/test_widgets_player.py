"""TranscriptPlayer: segments with their words, audio for the browser, seeking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from widget_helpers import front_end_update, on_engine  # noqa: F401

from comet_audio_nb import CometClient, Speech, Transcript
from comet_audio_nb.results import parse_transcription
from comet_audio_nb.results.speakers import SPEAKER_PALETTE
from comet_audio_nb.widgets import MicRecorder, TranscriptPlayer
from comet_audio_nb.widgets import player as player_module
from comet_audio_nb.widgets.player import audio_source, player_segments

WAV_HEAD = b"RIFF\x24\x00\x00\x00WAVEfmt "


def two_segments() -> Transcript:
    return Transcript(
        "Hello there. General Kenobi.",
        duration=3.0,
        segment_records=[
            {"id": 0, "start": 0.0, "end": 1.4, "text": " Hello there."},
            {"id": 1, "start": 1.4, "end": None, "text": "General Kenobi."},
        ],
        word_records=[
            {"word": "Hello", "start": 0.0, "end": 0.5},
            {"word": "there", "start": 0.5, "end": 1.38},
            {"word": "General", "start": 1.36, "end": 2.0},  # starts a hair early
            {"word": "Kenobi", "start": 2.0, "end": 2.9},
            {"word": "untimed", "start": None, "end": None},
        ],
    )


def test_words_are_placed_in_their_segments_and_missing_times_filled():
    segments = player_segments(two_segments())
    assert [(s["start"], s["end"], s["text"]) for s in segments] == [
        (0.0, 1.4, "Hello there."),
        (1.4, 3.0, "General Kenobi."),  # no end: the transcript's duration
    ]
    assert [[w["word"] for w in s["words"]] for s in segments] == [
        ["Hello", "there"],
        ["General", "Kenobi"],
    ]


def test_a_transcript_without_segments_still_plays():
    words_only = Transcript(
        "a b",
        word_records=[
            {"word": "a", "start": 0.2, "end": 0.5},
            {"word": "b", "start": 0.5, "end": 0.9},
        ],
    )
    words = [{**w, "text": w["word"]} for w in words_only.word_records]
    expected = [{"start": 0.2, "end": 0.9, "text": "a b", "words": words}]
    assert player_segments(words_only) == expected
    plain = Transcript("Just text.", duration=2.0)
    assert player_segments(plain) == [{"start": 0.0, "end": 2.0, "text": "Just text.", "words": []}]


def test_words_keep_the_punctuation_of_the_text_around_them():
    # The API's word lists drop punctuation; the player shows each word as the text has it.
    shown = [[w["text"] for w in s["words"]] for s in player_segments(two_segments())]
    assert shown == [["Hello", "there."], ["General", "Kenobi."]]
    quoted = Transcript(
        'Well, "it costs $5"... right?',
        word_records=[
            {"word": w, "start": i, "end": i + 1}
            for i, w in enumerate(["well", "it", "costs", "5", "um", "right"])
        ],
    )
    shown = [w["text"] for s in player_segments(quoted) for w in s["words"]]
    assert shown == ["Well,", '"it', "costs", '$5"...', "um", "right?"]  # "um": not in the text
    assert " ".join(w["word"] for s in player_segments(quoted) for w in s["words"]).startswith(
        "well it"  # the recogniser's words stay as they were
    )


def test_silence_gives_no_segment_so_the_player_says_no_speech_was_heard():
    for silent in (
        Transcript("", duration=2.0),
        Transcript(" ", segment_records=[{"start": 0.0, "end": 2.0, "text": ""}]),
    ):
        assert player_segments(silent) == []
        assert "(no speech heard)" in silent._repr_mimebundle_()["text/html"]
        assert silent._repr_mimebundle_()["text/plain"].endswith("(no speech heard)")
    assert "(no speech heard)" in player_module.read_js("player.js")


def test_the_player_module_starts_with_the_one_clip_at_a_time_script():
    from comet_audio_nb.results.playback import playback_js

    for widget in (TranscriptPlayer, MicRecorder):
        assert widget._esm.startswith(playback_js())
    assert "window.cometAudio.start(audio)" in TranscriptPlayer._esm
    assert "audio.play()" not in player_module.read_js("player.js")  # always through start()


def test_audio_can_be_a_path_bytes_a_pair_a_speech_a_recorder_or_a_url(tmp_path):
    path = tmp_path / "clip.wav"
    path.write_bytes(WAV_HEAD + bytes(8))
    assert audio_source(path) == (path.read_bytes(), "audio/wav", "")
    assert audio_source(str(path))[1] == "audio/wav"
    assert audio_source(("talk.webm", b"\x1aE\xdf\xa3" + bytes(8)))[1] == "audio/webm"
    assert audio_source(("odd.mp3", b"????"))[1] == "audio/mpeg"  # by the name's extension
    pcm = Speech(b"\x00\x00" * 10, format="pcm", content_type="audio/pcm")
    data, mime, _ = audio_source(pcm)
    assert mime == "audio/wav" and data.startswith(b"RIFF")  # pcm gets a WAV header
    recorder = MicRecorder(mime_type="audio/ogg;codecs=opus", value=b"OggS" + bytes(8))
    assert audio_source(recorder) == (recorder.value, "audio/ogg", "")
    assert audio_source("https://example.org/a.mp3") == (b"", "", "https://example.org/a.mp3")
    assert audio_source(None) == (b"", "", "")


def test_unusable_audio_says_what_to_pass(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="no such audio file"):
        audio_source(tmp_path / "missing.mp3")
    with pytest.raises(TypeError, match="pass a path, bytes"):
        audio_source(3.5)
    monkeypatch.setattr(player_module, "MAX_AUDIO_BYTES", 10)
    with pytest.raises(ValueError, match="pass a URL"):
        audio_source(bytes(11))


def test_the_player_follows_the_browser_and_seeks_from_python(monkeypatch):
    player = TranscriptPlayer(two_segments(), ("hi.wav", WAV_HEAD))
    assert player.audio_mime == "audio/wav" and len(player.segments) == 2
    assert player.caption.startswith("transcript")
    sent = []
    monkeypatch.setattr(player, "send", lambda content, buffers=None: sent.append(content))
    player.seek(1.5)
    assert sent == [{"type": "seek", "time": 1.5}]
    front_end_update(player, {"current_segment": 1, "current_time": 1.52}, {})
    assert (player.current_segment, player.current_time) == (1, 1.52)
    assert "2 segments" in repr(player)


@pytest.mark.usefixtures("on_engine")
def test_transcript_player_method_makes_one_from_a_real_transcription(speech_wav_path):
    transcript = CometClient().transcribe(
        speech_wav_path, timestamp_granularities=["segment", "word"]
    )
    player = transcript.player(speech_wav_path)
    assert isinstance(player, TranscriptPlayer) and player.transcript is transcript
    words = [w["word"] for s in player.segments for w in s["words"]]
    assert "fox" in [w.strip(".,").lower() for w in words]
    assert player.audio == speech_wav_path.read_bytes()


def diarized() -> Transcript:
    body = (Path(__file__).parent / "data" / "wire" / "diarized_json.json").read_bytes()
    return parse_transcription(
        body, content_type="application/json", response_format="diarized_json"
    )


def test_a_diarized_transcript_sends_each_lines_speaker_and_a_legend_with_colours():
    transcript = diarized()
    player = TranscriptPlayer(transcript)
    state = json.loads(json.dumps(player.get_state(["segments", "speakers"])))  # as sent
    assert [s["speaker"] for s in state["segments"]] == ["A", "B", "A"]
    legend = state["speakers"]
    assert [(e["speaker"], e["colour"], e["turns"]) for e in legend] == [
        ("A", SPEAKER_PALETTE[0], 2),
        ("B", SPEAKER_PALETTE[1], 1),
    ]
    assert [round(e["share"], 2) for e in legend] == [0.67, 0.33]
    assert legend[0]["talk_seconds"] == pytest.approx(6.1)
    # One colour a speaker: the player's are those of the transcript's HTML view.
    html = transcript._repr_mimebundle_()["text/html"]
    for entry in legend:
        row = f'data-speaker="{entry["speaker"]}" style="border-left:4px solid {entry["colour"]}'
        assert row in html


def test_a_transcript_without_speakers_sends_no_speakers():
    player = TranscriptPlayer(two_segments())
    state = player.get_state()
    assert state["speakers"] == []
    assert all("speaker" not in segment for segment in state["segments"])


def test_the_front_end_draws_speakers_only_from_what_the_kernel_sends():
    script = player_module.read_js("player.js")
    # Colours come from the `speakers` trait (one function in Python gives them), never
    # from a palette of the front end's own.
    assert 'model.get("speakers")' in script and "#0072B2" not in script
    assert "--comet-tp-speaker" in script and "--comet-tp-speaker" in TranscriptPlayer._css


def test_the_audio_and_video_players_share_one_copy_of_the_lines_code():
    from comet_audio_nb.widgets import VideoPlayer

    shared = player_module.read_js("transcript_lines.js")
    for widget, own in ((TranscriptPlayer, "player.js"), (VideoPlayer, "video_player.js")):
        assert shared in widget._esm and widget._esm.endswith(player_module.read_js(own))
        assert widget._esm.count("function findAt(") == 1  # none of the player's own
        assert "markRow(list, rows, active, index" in player_module.read_js(own)
