"""Video in, captions out: a video's audio track is what is uploaded; the video player.

The videos are made here with PyAV (``video_helpers.make_video``): tiny frames, and the
engine's own speech as their audio.
"""

from __future__ import annotations

import shutil

import av
import pytest
from video_helpers import make_video

from comet_audio_nb import CometClient, RetryPolicy, Transcript, ValidationError
from comet_audio_nb.audio import prepare_upload
from comet_audio_nb.audio import video as _video
from comet_audio_nb.audio.video import audio_track, container_kind, playable_video, probe
from comet_audio_nb.widgets import VideoPlayer

WORDS = ("quick", "brown", "fox", "lazy", "dog")


@pytest.fixture(scope="module")
def videos(speech_wav, tmp_path_factory):
    """kind -> path of a video of that kind (see video_helpers.KINDS)."""
    folder = tmp_path_factory.mktemp("videos")
    made = {}
    for kind in ("mp4", "mov", "webm", "mkv", "mkv-mpeg4", "webm-audio"):
        path = folder / f"talk-{kind}.{kind.split('-')[0]}"
        path.write_bytes(make_video(speech_wav, kind))
        made[kind] = path
    return made


@pytest.fixture
def client(engine):
    with CometClient(base_url=engine.base_url, retry=RetryPolicy(max_retries=0)) as client:
        yield client


def streams_of(path):
    with av.open(str(path)) as container:
        return [(s.type, s.codec_context.codec.canonical_name) for s in container.streams]


@pytest.mark.parametrize(
    ("kind", "suffix", "codec"),
    [("mp4", ".m4a", "aac"), ("mov", ".m4a", "aac"), ("mkv", ".m4a", "aac"),
     ("webm", ".ogg", "opus"), ("mkv-mpeg4", ".mp3", "mp3")],
)  # fmt: skip
def test_a_videos_audio_track_is_taken_out_copied_or_reencoded(videos, kind, suffix, codec):
    name, track = audio_track(videos[kind])
    assert name == f"{videos[kind].name}{suffix}" and track.suffix == suffix
    assert streams_of(track) == [("audio", codec)]  # no video stream goes up
    upload = prepare_upload(videos[kind], max_bytes=10**9)
    assert upload.filename == name and upload.path == track


def test_audio_only_files_go_as_they_are(videos, speech_wav_path):
    assert audio_track(videos["webm-audio"]) is None  # a browser recording
    assert audio_track(speech_wav_path) is None
    upload = prepare_upload(videos["webm-audio"], max_bytes=10**9)
    assert upload.path == videos["webm-audio"] and upload.filename.endswith(".webm")


def test_the_track_is_taken_out_once_per_file(videos, monkeypatch):
    first = audio_track(videos["mp4"])
    calls, extract = [], _video._extract
    monkeypatch.setattr(_video, "_extract", lambda *a: calls.append(a) or extract(*a))
    assert audio_track(videos["mp4"]) == first
    assert audio_track(("talk.mp4", videos["mp4"].read_bytes()))[0] == "talk.mp4.m4a"
    assert len(calls) == 1  # the bytes are another input; the path was kept


@pytest.mark.parametrize("kind", ["mp4", "mov", "mkv", "webm"])
def test_transcribe_takes_videos(client, videos, kind):
    transcript = client.transcribe(videos[kind])
    heard = transcript.text.lower()
    assert sum(word in heard for word in WORDS) >= 4, heard


def test_a_video_over_the_upload_limit_goes_when_its_audio_fits(engine, videos, tmp_path):
    big = tmp_path / "big.mp4"
    shutil.copy(videos["mp4"], big)
    with open(big, "ab") as out:  # trailing bytes: the file grows, its audio does not
        out.write(b"\x00" * 200_000)
    limit = 100_000
    with CometClient(base_url=engine.base_url, max_upload_bytes=limit) as client:
        assert big.stat().st_size > limit
        transcript = client.transcribe(big)
    assert "fox" in transcript.text.lower()


def test_a_video_without_sound_says_so(tmp_path, speech_wav):
    silent = tmp_path / "silent.mp4"
    data = make_video(speech_wav, "mp4")
    silent.write_bytes(data)
    with av.open(str(silent)) as inp, av.open(str(tmp_path / "v.mp4"), "w") as out:
        copy = out.add_stream_from_template(inp.streams.video[0])
        for packet in inp.demux(inp.streams.video[0]):
            if packet.dts is not None:
                packet.stream = copy
                out.mux(packet)
    with pytest.raises(ValidationError, match="no audio track"):
        audio_track(tmp_path / "v.mp4")


def test_without_pyav_a_mov_says_what_to_install(videos, monkeypatch):
    def missing(purpose):
        raise ValidationError(f"{purpose} needs PyAV", hint="pip install av")

    monkeypatch.setattr(_video, "_import_av", missing)
    with pytest.raises(ValidationError, match="needs PyAV"):
        audio_track(videos["mov"])
    assert audio_track(videos["webm"]) is None  # webm uploads as it is


def test_container_kinds():
    assert container_kind(b"\x00\x00\x00\x18ftypisom") == "mp4"
    assert container_kind(b"\x00\x00\x00\x18ftypM4A ") is None
    assert container_kind(b"\x1aE\xdf\xa3\x01\x00webm") == "webm"
    assert container_kind(b"\x1aE\xdf\xa3\x01\x00matroska") == "mkv"
    assert container_kind(b"RIFF....WAVE", "x.wav") is None


def test_browsers_play_mp4_and_webm_others_are_remuxed_or_explained(videos, tmp_path):
    assert playable_video(videos["mp4"], tmp_path) == (videos["mp4"], "")
    assert playable_video(videos["webm"], tmp_path) == (videos["webm"], "")
    for kind in ("mov", "mkv"):
        remuxed, why = playable_video(videos[kind], tmp_path)
        assert why == "" and remuxed.parent == tmp_path and remuxed.suffix == ".mp4"
        assert probe(remuxed).kind == "mp4"
        assert [c for _, c in streams_of(remuxed)] == ["h264", "aac"]
    played, why = playable_video(videos["mkv-mpeg4"], tmp_path)
    assert played is None and "cannot play mpeg4 video" in why and "ffmpeg -i" in why


def spoken(text: str = "The quick brown fox.") -> Transcript:
    return Transcript(
        text,
        duration=2.5,
        segment_records=[
            {"start": 0.0, "end": 1.2, "text": "The quick", "speaker": "Ana"},
            {"start": 1.2, "end": 2.5, "text": "brown fox.", "speaker": "Ben"},
        ],
    )


def test_the_video_player_has_the_transcript_as_captions(videos):
    player = spoken().video_player(videos["mp4"])
    assert isinstance(player, VideoPlayer)
    assert player.captions.startswith("WEBVTT") and "<v Ben>brown fox." in player.captions
    assert [s["text"] for s in player.segments] == ["Ana: The quick", "Ben: brown fox."]
    assert player.video == videos["mp4"].read_bytes() and player.video_mime == "video/mp4"
    assert player.problem == ""
    saved = player._repr_mimebundle_()
    saved = saved[0] if isinstance(saved, tuple) else saved
    assert "video: talk-mp4.mp4" in saved["text/html"]
    assert ">Ben</span>brown fox." in saved["text/html"]  # the transcript's view: a name chip


def test_captions_never_overlap(videos):
    transcript = spoken()
    transcript.segment_records[0]["end"] = 1.6  # past the next line's start
    player = transcript.video_player(videos["mp4"])
    assert "00:00:00.000 --> 00:00:01.190\n<v Ana>The quick" in player.captions
    assert transcript.segment_records[0]["end"] == 1.6  # the transcript is left as it was


def test_a_large_video_plays_from_a_file_beside_the_notebook(videos, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    player = spoken().video_player(videos["mp4"], embed_max_bytes=0)
    assert player.video == b""  # never embedded
    played = tmp_path / "comet_audio" / videos["mp4"].name  # copied: Jupyter serves only here
    assert player.video_file == str(played) and played.read_bytes() == videos["mp4"].read_bytes()
    local = tmp_path / "here.webm"
    shutil.copy(videos["webm"], local)
    player = spoken().video_player("here.webm", embed_max_bytes=0)
    assert player.video_file == str(local) and player.video_mime == "video/webm"


def test_a_mov_is_remuxed_and_an_unplayable_video_keeps_its_transcript(
    videos, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    player = spoken().video_player(videos["mov"])
    assert player.video[4:8] == b"ftyp" and player.video_mime == "video/mp4"
    assert list((tmp_path / "comet_audio").glob("video-*.mp4"))
    player = spoken().video_player(videos["mkv-mpeg4"])
    assert "cannot play mpeg4" in player.problem and player.video == b""
    assert len(player.segments) == 2 and "cannot play" in repr(player)


def test_urls_are_played_from_where_they_are_and_bad_input_is_one_line():
    player = spoken().video_player("https://example.org/talk.mp4")
    assert player.video_url == "https://example.org/talk.mp4"
    with pytest.raises(ValidationError, match="no such video file"):
        spoken().video_player("missing.mp4")
    with pytest.raises(ValidationError, match="cannot play a bytes"):
        spoken().video_player(b"\x00\x00")
