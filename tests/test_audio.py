"""Upload preparation: format sniffing, names, limits, and streaming from disk."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from comet_audio_nb.audio import pcm_to_wav, prepare_upload, sniff_format
from comet_audio_nb.errors import ValidationError

LIMIT = 25 * 1024 * 1024


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
        (b"fLaC\x00\x00\x00\x22", "flac"),
        (b"OggS\x00\x02", "ogg"),
        (b"\x1aE\xdf\xa3\x9fB\x86\x81", "webm"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", "m4a"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00", "mp4"),
        (b"ID3\x04\x00\x00", "mp3"),
        (b"\xff\xfb\x90\x64", "mp3"),
        (b"\xff\xf1\x50\x80", "aac"),
        (b"hello world", None),
    ],
)
def test_sniff_format(head, fmt):
    assert sniff_format(head) == fmt


def test_extension_comes_from_content_not_name():
    wav = pcm_to_wav(b"\x00\x00" * 100)
    assert prepare_upload(("recording.mp3", wav), max_bytes=LIMIT).filename == "recording.wav"
    assert prepare_upload(wav, max_bytes=LIMIT).filename == "audio.wav"
    upload = prepare_upload(io.BytesIO(wav), max_bytes=LIMIT)
    assert (upload.filename, upload.content_type, upload.size) == ("audio.wav", "audio/wav", 244)


def test_unknown_content_falls_back_to_a_known_extension():
    assert prepare_upload(("x.webm", b"\x00" * 64), max_bytes=LIMIT).filename == "x.webm"
    with pytest.raises(ValidationError, match="cannot tell"):
        prepare_upload(("x.bin", b"\x00" * 64), max_bytes=LIMIT)


def test_raw_aac_is_refused_with_advice():
    with pytest.raises(ValidationError, match="AAC"):
        prepare_upload(b"\xff\xf1\x50\x80" + b"\x00" * 60, max_bytes=LIMIT)


def test_size_limit_counts_from_the_file_position():
    stream = io.BytesIO(b"x" * 100 + pcm_to_wav(b"\x00\x00" * 10))
    stream.seek(100)
    upload = prepare_upload(stream, max_bytes=LIMIT)
    assert upload.size == 64 and upload.filename == "audio.wav"
    with pytest.raises(ValidationError, match="upload limit"):
        prepare_upload(stream, max_bytes=63)


def test_speech_like_objects_upload_in_their_format():
    class FakeSpeech:  # anything with .data and .format, like results.Speech
        data = b"\x00\x01" * 50
        format = "pcm"

    upload = prepare_upload(FakeSpeech(), max_bytes=LIMIT)
    assert upload.filename == "speech.wav" and upload.size == 144


def test_upload_from_disk_is_streamed_not_read_whole(engine, tmp_path):
    """Peak Python memory while uploading 40 MB stays far below the file size."""
    big = tmp_path / "long.wav"
    with open(big, "wb") as f:
        f.write(pcm_to_wav(b"", rate=16_000)[:44])
        f.write(b"\x00" * 40_000_000)
    engine.inject("/v1/audio/transcriptions", 400, count=1)
    script = textwrap.dedent(f"""
        import tracemalloc
        from comet_audio_nb import CometClient, CometError
        client = CometClient(base_url={engine.base_url!r}, max_upload_bytes=10**9)
        tracemalloc.start()
        try:
            client.transcribe({str(big)!r})
        except CometError:
            pass
        print(tracemalloc.get_traced_memory()[1])
    """)
    peak = int(subprocess.run([sys.executable, "-c", script], check=True,
                              capture_output=True, text=True).stdout.split()[-1])  # fmt: skip
    assert engine.hits("/v1/audio/transcriptions") == 1
    assert peak < 8_000_000, f"peak {peak:,} bytes for a 40 MB upload"
