"""How Speech and Transcript look in a notebook: one player, small output, timestamps."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from comet_audio_nb import CometClient, Speech, Transcript
from comet_audio_nb.notebook import session
from comet_audio_nb.results.views import MAX_SHOWN_SEGMENTS, AudioPlayer, clock

DATA_URI = re.compile(r'src="data:([^;"]+);base64,([^"]*)"')
MP3 = b"ID3\x04" + bytes(600)


@pytest.fixture(autouse=True)
def fresh(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    session.reset()
    yield
    session.reset()


def sources(html: str) -> list[tuple[str, bytes]]:
    return [(mime, base64.b64decode(data)) for mime, data in DATA_URI.findall(html)]


def speech(data: bytes = MP3, fmt: str = "mp3", **fields) -> Speech:
    fields = {"model": "tts-1", "voice": "alloy", "text": "Hello", **fields}
    return Speech(data, format=fmt, content_type=f"audio/{fmt}", **fields)


def test_speech_bundle_is_one_player_and_a_text_repr():
    s = speech()
    bundle = s._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    html = bundle["text/html"]
    assert html.count("<audio") == 1 and " controls" in html and " autoplay" not in html
    assert sources(html) == [("audio/mpeg", MP3)]
    assert "“Hello” · tts-1 · alloy · mp3" in html
    assert bundle["text/plain"] == repr(s)


def test_player_asks_to_autoplay_in_a_live_view_only_and_never_saves_autoplay():
    # `<audio autoplay>` would start every saved player at once when the notebook reopens.
    html = s_html(speech().player(autoplay=True))
    assert " autoplay" not in html and " data-comet-autoplay" in html
    assert re.search(r' data-made="\d+"', html)  # for front ends without a running cell
    assert html.count("<script>") == 1 and "cometAudio.show(document.currentScript" in html
    quiet = s_html(speech().player())
    assert "data-comet-autoplay" not in quiet and "data-made" not in quiet
    assert "<script>" in quiet  # it still pauses the others when clicked


def test_the_shared_script_is_small_and_plays_one_clip_at_a_time():
    from comet_audio_nb.results.playback import playback_js

    js = playback_js()
    assert len(js) < 2500 and "//" not in js.replace("://", "")  # saved with every player
    assert 'addEventListener(\n"play"' in js or 'addEventListener("play"' in js
    assert "other.pause()" in js and ".jp-CodeCell" in js


def test_a_short_clip_shows_its_length_in_tenths():
    # The browser's controls show "0:00 / 0:00" for a clip under a second.
    short = speech(bytes(2 * 11_040), "pcm")  # 0.46 s at 24 kHz
    assert short.duration == pytest.approx(0.46)
    html = s_html(short.player())
    assert '<span class="comet-audio-clock"' in html and "0:00.0 / 0:00.5</span>" in html


def s_html(player: AudioPlayer) -> str:
    return player._repr_mimebundle_()["text/html"]


@pytest.mark.parametrize(
    "fmt, mime", [("opus", "audio/ogg"), ("aac", "audio/aac"), ("flac", "audio/flac"),
                  ("wav", "audio/wav")],
)  # fmt: skip
def test_each_format_keeps_its_bytes(fmt, mime):
    assert sources(s_html(speech(b"x" * 50, fmt).player())) == [(mime, b"x" * 50)]


def test_pcm_is_played_through_a_wav_header():
    pcm = np.arange(-100, 100, dtype="<i2").tobytes()
    [(mime, wav)] = sources(s_html(speech(pcm, "pcm").player()))
    assert mime == "audio/wav" and wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    assert int.from_bytes(wav[24:28], "little") == 24_000 and wav[44:] == pcm


def test_audio_over_the_limit_is_a_file_beside_the_notebook(tmp_path):
    s = speech(MP3 * 3)
    bundle = s.player(embed_max_bytes=1000)._repr_mimebundle_()
    [written] = (tmp_path / "comet_audio").iterdir()
    assert written.read_bytes() == s.data and written.suffix == ".mp3"
    assert f'src="comet_audio/{written.name}"' in bundle["text/html"]
    assert "too large to embed" in bundle["text/html"]
    assert bundle["text/plain"].endswith(f"→ comet_audio/{written.name}")
    assert sources(bundle["text/html"]) == []
    s.player(embed_max_bytes=1000)._repr_mimebundle_()  # the same audio: the same file
    assert len(list((tmp_path / "comet_audio").iterdir())) == 1


def test_the_limit_and_folder_come_from_the_session_config(tmp_path):
    session.get_defaults().embed_max_bytes = 100
    session.get_defaults().audio_dir = "media/tts"
    html = speech()._repr_mimebundle_()["text/html"]
    assert 'src="media/tts/speech-' in html and (tmp_path / "media" / "tts").is_dir()


def test_text_in_the_caption_is_escaped():
    html = speech(text='<script>alert("x")</script>')._repr_mimebundle_()["text/html"]
    assert '<script>alert("x")' not in html and "&lt;script&gt;" in html


def test_to_numpy_decodes_pcm_and_wav(speech_wav):
    samples, rate = speech(b"\x00\x80\xff\x7f", "pcm").to_numpy()
    assert rate == 24_000 and samples.dtype == np.float32
    assert samples.tolist() == pytest.approx([-1.0, 1.0], abs=1e-4)
    wav = speech(speech_wav, "wav")
    samples, rate = wav.to_numpy()
    assert rate == 24_000 and samples.ndim == 1
    assert len(samples) / rate == pytest.approx(wav.duration, abs=0.01)
    assert np.abs(samples).max() > 0.05


def test_to_numpy_decodes_mp3(engine):
    with CometClient(base_url=engine.base_url) as client:
        mp3 = client.speech("Hello there.", response_format="mp3")
    samples, rate = mp3.to_numpy()
    assert rate == 24_000 and samples.dtype == np.float32
    assert len(samples) / rate == pytest.approx(mp3.duration, abs=0.1)
    samples[:] = 0  # a copy: the cached decode is untouched
    assert np.abs(mp3.to_numpy()[0]).max() > 0.05


def segments(n: int) -> list[dict]:
    return [
        {"id": i, "start": i * 2.0, "end": i * 2.0 + 1.5, "text": f"part {i}"} for i in range(n)
    ]


def test_transcript_shows_timestamped_lines():
    t = Transcript("part 0 part 1", language="english", duration=3.5, model="whisper-1",
                   source="talk.mp3", segment_records=segments(2))  # fmt: skip
    bundle = t._repr_mimebundle_()
    assert bundle["text/plain"].splitlines() == [
        "transcript · english · 3.5 s · whisper-1 · talk.mp3",
        "[0:00.0 → 0:01.5] part 0",
        "[0:02.0 → 0:03.5] part 1",
    ]
    assert "[0:02.0 → 0:03.5]</span>part 1" in bundle["text/html"]


def test_transcript_without_segments_shows_its_text_escaped():
    bundle = Transcript("a < b & c", task="translate")._repr_mimebundle_()
    assert bundle["text/plain"] == "translation\na < b & c"
    assert "a &lt; b &amp; c" in bundle["text/html"]


def test_long_transcripts_are_capped():
    t = Transcript("…", segment_records=segments(MAX_SHOWN_SEGMENTS + 7))
    plain = t._repr_mimebundle_()["text/plain"]
    assert len(plain.splitlines()) == MAX_SHOWN_SEGMENTS + 2
    assert plain.endswith("… 7 more segments: .segments has them all")
    assert len(t.segments) == MAX_SHOWN_SEGMENTS + 7


def test_clock():
    assert [clock(0), clock(59.96), clock(61.25), clock(3600), clock(None)] == [
        "0:00.0", "1:00.0", "1:01.2", "1:00:00.0", "?"
    ]  # fmt: skip
