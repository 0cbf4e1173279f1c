"""StreamPlayer: speech fed to the browser chunk by chunk while the engine speaks it.

The player is driven against the test engine over loopback; what it sends to the front
end is recorded at its ``send`` (the comm's edge), and its traitlets are read directly.
The browser side is in tests/browser/test_stream_player_browser.py.
"""

from __future__ import annotations

import time

import pytest

from comet_audio_nb import APIConnectionError, CometClient, RetryPolicy
from comet_audio_nb.audio.wav import wav_duration
from comet_audio_nb.widgets import stream_player
from comet_audio_nb.widgets.stream_player import StreamPlayer, stream_plan

SPEECH = "/v1/audio/speech"
TEXT = (
    "The first sentence is spoken at once. The second one follows it soon after. "
    "And the third sentence closes this short story."
)


class Recorded(StreamPlayer):
    """A StreamPlayer that notes every message it sends, and when."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[tuple[float, str, bytes]] = []

    def send(self, content, buffers=None):
        data = b"".join(bytes(b) for b in buffers or ())
        self.sent.append((time.monotonic(), content["type"], data))
        return super().send(content, buffers)

    def chunks(self) -> list[bytes]:
        return [data for _, kind, data in self.sent if kind == "chunk"]


@pytest.fixture
def client(engine):
    fast = RetryPolicy(max_retries=1, initial_delay=0.01, max_delay=0.02)
    with CometClient(base_url=engine.base_url, retry=fast) as c:
        yield c


@pytest.mark.parametrize(
    ("asked", "wire", "mode"),
    [("mp3", "mp3", "mse"), ("aac", "aac", "mse"), ("pcm", "pcm", "pcm"), ("wav", "pcm", "pcm"),
     ("opus", "pcm", "pcm"), ("flac", "pcm", "pcm")],
)  # fmt: skip
def test_each_format_has_a_plan_the_browser_can_play_while_it_arrives(asked, wire, mode):
    plan = stream_plan(asked.upper())
    assert (plan.asked, plan.wire, plan.mode) == (asked, wire, mode)
    assert plan.encode == (wire != asked)


def test_without_pyav_opus_and_flac_stream_as_asked_and_play_when_complete(monkeypatch):
    monkeypatch.setattr(stream_player, "_has_av", lambda: False)
    assert [stream_plan(f).mode for f in ("opus", "flac", "wav", "mp3")] == [
        "end", "end", "pcm", "mse",
    ]  # fmt: skip
    assert stream_plan("opus").wire == "opus"


def test_text_over_one_request_streams_part_by_part_as_pcm():
    plan = stream_plan("mp3", text_length=5_000)
    assert (plan.long, plan.wire, plan.mode, plan.encode) == (True, "pcm", "pcm", False)


def test_pcm_is_sent_as_it_arrives_and_the_speech_is_all_of_it(client):
    player = Recorded(stream_plan("pcm"))
    speech = player.play(client, TEXT, voice="nova")
    chunks = player.chunks()
    assert len(chunks) >= 3  # sentence by sentence, not one body at the end
    assert b"".join(chunks) == speech.data and speech.format == "pcm"
    first_chunk = next(at for at, kind, _ in player.sent if kind == "chunk")
    ended = next(at for at, kind, _ in player.sent if kind == "end")
    assert ended - first_chunk > 0.05  # the first audio left well before the last
    assert player.sent[-1][1] == "end" and player.state == "done"
    assert player.received == len(speech.data)
    assert 0 < player.first_audio < player.seconds
    assert "“The first sentence" in player.caption and "nova" in player.caption


def test_wav_streams_pcm_and_is_saved_as_wav_of_the_same_samples(client):
    player = Recorded(stream_plan("wav"))
    speech = player.play(client, TEXT)
    pcm = b"".join(player.chunks())
    assert speech.format == "wav" and speech.data[:4] == b"RIFF"
    assert speech.data.endswith(pcm)  # lossless: the samples heard are the samples kept
    assert wav_duration(speech.data) == pytest.approx(len(pcm) / 2 / 24_000, abs=0.01)
    assert "wav, streamed as pcm" in player.caption


def test_opus_streams_pcm_and_is_encoded_once_at_the_end(client):
    pytest.importorskip("av")
    player = Recorded(stream_plan("opus"))
    speech = player.play(client, TEXT)
    pcm_seconds = len(b"".join(player.chunks())) / 2 / 24_000
    assert speech.format == "opus" and speech.data[:4] == b"OggS"
    assert speech.content_type == "audio/opus"
    assert speech.duration == pytest.approx(pcm_seconds, abs=0.1)


def test_mp3_is_sent_as_asked_for_the_media_source(client):
    player = Recorded(stream_plan("mp3"))
    speech = player.play(client, TEXT)
    assert player.mode == "mse" and player.mime == "audio/mpeg"
    assert b"".join(player.chunks()) == speech.data and speech.format == "mp3"
    assert len(player.chunks()) >= 2


def test_long_text_plays_part_one_while_the_rest_is_spoken(client):
    text = " ".join([TEXT] * 2)  # over 80 characters a request: four requests
    player = Recorded(stream_plan("mp3", text_length=len(text), max_chars=80))
    speech = player.play(client, text)
    assert speech.format == "mp3" and speech.text == text
    assert player.mode == "pcm" and len(player.chunks()) >= 4
    heard = len(b"".join(player.chunks())) / 2 / 24_000
    assert speech.duration == pytest.approx(heard, rel=0.03)


def test_a_cut_stream_ends_the_player_and_keeps_what_arrived_on_the_error(client, engine):
    engine.inject(SPEECH, 200, truncate=True)
    player = Recorded(stream_plan("pcm"))
    with pytest.raises(APIConnectionError) as info:
        player.play(client, TEXT)
    arrived = info.value.speech
    assert arrived is not None and arrived.data == b"".join(player.chunks())
    assert len(arrived.data) > 0 and player.state == "failed"
    assert player.sent[-1][1] == "end"


def test_an_interrupt_keeps_what_arrived_with_its_text_and_voice(client):
    class Interrupted(Recorded):
        def feed(self, chunk):  # Kernel > Interrupt while the audio arrives
            super().feed(chunk)
            raise KeyboardInterrupt

    player = Interrupted(stream_plan("pcm"))
    with pytest.raises(KeyboardInterrupt) as info:
        player.play(client, TEXT, model="tts-1", voice="nova")
    arrived = info.value.speech
    assert arrived.data == b"".join(player.chunks()) and player.state == "failed"
    # Its player's caption says what was being said, as the whole clip's would.
    assert (arrived.text, arrived.model, arrived.voice) == (TEXT, "tts-1", "nova")


def test_an_error_before_any_audio_leaves_nothing_to_keep(client, engine):
    engine.inject(SPEECH, 400, body={"error": {"message": "no such voice", "type": "x"}})
    player = Recorded(stream_plan("pcm"))
    with pytest.raises(Exception, match="no such voice") as info:
        player.play(client, TEXT, voice="nobody")
    assert info.value.speech is None and player.chunks() == []
    assert player.state == "failed"


def test_the_player_keeps_no_audio_in_its_saved_state(client):
    player = StreamPlayer(stream_plan("pcm"))
    player.play(client, TEXT)
    state = player.get_state()
    assert not any(isinstance(v, bytes | bytearray | memoryview) for v in state.values())
    assert player._static_html() == ""
    assert repr(player).startswith("StreamPlayer(pcm, done, ")


def test_the_examples_in_the_docs_hold():
    import doctest

    from comet_audio_nb.audio import codecs
    from comet_audio_nb.results import playback

    for module in (stream_player, playback, codecs):
        failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0 and tried > 0, module.__name__
