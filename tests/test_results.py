"""Speech and Transcript objects, the transcription parsers, SRT/VTT in and out."""

from __future__ import annotations

import io
import json
import math
import re
import struct
import subprocess
import sys
import wave

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comet_audio_nb.results import (
    Speech,
    Transcript,
    format_timestamp,
    parse_srt,
    parse_transcription,
    parse_vtt,
)

# Bodies shaped like the OpenAI/CometAPI responses (see shared/cometapi.md).
JSON_BODY = b'{"text": "Imagine the wildest idea that you\'ve ever had."}'
GPT4O_JSON_BODY = json.dumps(
    {
        "text": "Hello there.",
        "logprobs": [{"token": "Hello", "logprob": -0.01, "bytes": [72, 101]}],
        "usage": {"type": "tokens", "input_tokens": 14, "output_tokens": 4, "total_tokens": 18},
    }
).encode()
TEXT_BODY = b"Imagine the wildest idea that you've ever had.\n"
SRT_BODY = (
    b"1\n00:00:00,000 --> 00:00:03,320\nImagine the wildest idea\n\n"
    b"2\n00:00:03,320 --> 00:00:08,470\nthat you've ever had.\n\n"
)
VTT_BODY = (
    b"WEBVTT\n\n00:00:00.000 --> 00:00:03.320\nImagine the wildest idea\n\n"
    b"00:00:03.320 --> 00:00:08.470\nthat you've ever had.\n\n"
)
SEGMENT_EXTRAS = {"seek": 0, "temperature": 0.0, "compression_ratio": 1.2, "no_speech_prob": 0.01}
VERBOSE = {
    "task": "transcribe",
    "language": "english",
    "duration": 8.47,
    "text": "Imagine the wildest idea that you've ever had.",
    "segments": [
        {"id": 0, "start": 0.0, "end": 3.32, "text": " Imagine the wildest idea",
         "tokens": [50364, 11739], "avg_logprob": -0.28, **SEGMENT_EXTRAS},
        {"id": 1, "start": 3.32, "end": 8.47, "text": " that you've ever had.",
         "tokens": [50530, 300], "avg_logprob": -0.19, **SEGMENT_EXTRAS},
    ],
    "words": [
        {"word": "Imagine", "start": 0.0, "end": 0.48},
        {"word": "the", "start": 0.48, "end": 0.62},
    ],
    "usage": {"type": "duration", "seconds": 9},
}  # fmt: skip


def parse(body: bytes | str, response_format: str, content_type: str | None = None, **kw):
    return parse_transcription(
        body, content_type=content_type, response_format=response_format, **kw
    )


# --- every response format -------------------------------------------------------------


def test_json_body_gives_the_text():
    t = parse(JSON_BODY, "json", "application/json")
    assert t.text == "Imagine the wildest idea that you've ever had."
    assert (t.response_format, t.task, t.language, t.duration) == ("json", "transcribe", None, None)
    assert t.raw == json.loads(JSON_BODY)
    assert t.segment_records == [] and t.usage is None


def test_gpt4o_json_keeps_usage():
    t = parse(GPT4O_JSON_BODY, "json", "application/json")
    assert t.text == "Hello there."
    assert t.usage == {"type": "tokens", "input_tokens": 14, "output_tokens": 4, "total_tokens": 18}
    assert "logprobs" in t.raw


def test_text_body_loses_one_trailing_newline():
    t = parse(TEXT_BODY, "text", "text/plain; charset=utf-8")
    assert t.text == "Imagine the wildest idea that you've ever had."
    assert t.raw == TEXT_BODY.decode() and t.response_format == "text"
    assert parse(b"Two lines\n\n", "text").text == "Two lines\n"
    assert parse(b"Windows\r\n", "text").text == "Windows"


def test_srt_body_gives_timed_segments():
    t = parse(SRT_BODY, "srt", "text/plain")
    assert t.text == "Imagine the wildest idea that you've ever had."
    assert t.response_format == "srt" and t.raw == SRT_BODY.decode()
    assert t.segment_records == [
        {"id": 0, "start": 0.0, "end": 3.32, "text": "Imagine the wildest idea"},
        {"id": 1, "start": 3.32, "end": 8.47, "text": "that you've ever had."},
    ]


def test_vtt_body_gives_timed_segments():
    t = parse(VTT_BODY, "vtt", "text/vtt")
    assert t.text == "Imagine the wildest idea that you've ever had."
    assert t.response_format == "vtt"
    assert [(s["start"], s["end"]) for s in t.segment_records] == [(0.0, 3.32), (3.32, 8.47)]


def test_verbose_json_gives_everything():
    t = parse(json.dumps(VERBOSE), "verbose_json", "application/json")
    assert (t.task, t.language, t.duration) == ("transcribe", "english", 8.47)
    assert t.usage == {"type": "duration", "seconds": 9}
    assert t.raw == VERBOSE
    segments = t.segments
    assert list(segments.columns[:4]) == ["start", "end", "text", "id"]
    assert segments["text"].tolist() == ["Imagine the wildest idea", "that you've ever had."]
    assert segments["id"].dtype == "int64"
    for name in ("start", "end", "seek", "temperature", "avg_logprob", "no_speech_prob"):
        assert segments[name].dtype == "float64", name
    assert segments["tokens"][0] == [50364, 11739]
    words = t.words
    assert list(words.columns) == ["word", "start", "end"]
    assert words["end"].tolist() == [0.48, 0.62]


def test_verbose_json_numbers_sent_as_strings_become_floats():
    body = {
        "text": "Hi",
        "duration": "2.5",
        "segments": [
            {"id": "0", "start": "0", "end": " 2.5 ", "text": "Hi", "avg_logprob": "-0.3"}
        ],
        "words": [{"word": "Hi", "start": "0.1", "end": "0.4"}],
    }
    t = parse(json.dumps(body), "verbose_json")
    assert t.duration == 2.5
    assert t.segment_records == [
        {"id": 0, "start": 0.0, "end": 2.5, "text": "Hi", "avg_logprob": -0.3}
    ]
    assert t.word_records == [{"word": "Hi", "start": 0.1, "end": 0.4}]


def test_verbose_json_tolerates_missing_and_null_fields():
    body = {
        "text": None,
        "language": None,
        "duration": None,
        "segments": [
            {"text": " first"},
            {"start": None, "end": "soon", "text": " second"},
            "not a segment",
            {"start": 4.0, "end": 5.0, "text": None},
        ],
        "words": None,
    }
    t = parse(json.dumps(body), "verbose_json")
    assert t.text == "first second"
    assert t.language is None and t.duration is None and t.word_records == []
    assert [s["id"] for s in t.segment_records] == [0, 1, 3]
    assert [(s["start"], s["end"]) for s in t.segment_records] == [
        (None, None),
        (None, None),
        (4.0, 5.0),
    ]
    assert t.segments["start"].isna().tolist() == [True, True, False]
    # Missing times borrow from the neighbours, so the subtitles stay ordered and valid.
    cues = parse_srt(t.to_srt())
    assert [(c["start"], c["end"]) for c in cues] == [(0.0, 4.0), (4.0, 4.0), (4.0, 5.0)]


def test_translation_keeps_its_task():
    body = {**VERBOSE, "task": "translate"}
    assert parse(json.dumps(body), "verbose_json", task="translate").task == "translate"
    assert parse(JSON_BODY, "json", task="translate").task == "translate"
    assert parse(SRT_BODY, "srt", task="translate").task == "translate"


def test_a_byte_order_mark_is_dropped():
    assert parse(b"\xef\xbb\xbf" + JSON_BODY, "json").text.startswith("Imagine")
    assert parse(b"\xef\xbb\xbf" + SRT_BODY, "srt").segment_records[0]["start"] == 0.0
    assert parse("\ufeffHello\n", "text").text == "Hello"


# --- liberal in what we accept -----------------------------------------------------------


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"Service Unavailable", "text/plain"),
        (b"null", "text/plain"),
        (b"null", "application/json"),
        (TEXT_BODY, "application/json"),
        (b"[Music]\n", None),
        (b'"Hello," she said.', None),
    ],
)
def test_json_asked_but_no_json_answered_is_not_a_transcript(body, content_type):
    # A 200 with a proxy's text where JSON was asked must not become transcript text
    # (nor be cached by a batch as one).
    for asked in ("json", "verbose_json"):
        with pytest.raises(ValueError, match="JSON"):
            parse(body, asked, content_type)


def test_json_asked_and_a_json_string_or_subtitles_answered_gives_the_text():
    assert parse(b'"Hello"', "json").text == "Hello"
    assert parse(b'"Hello"', "text").text == '"Hello"'
    assert parse(b"[Music]\n", "text").text == "[Music]"
    srt = b"1\n00:00:00,000 --> 00:00:01,000\nHi.\n"
    assert parse(srt, "json").segment_records[0]["text"] == "Hi."


def test_text_asked_but_json_answered_gives_the_text():
    assert parse(JSON_BODY, "text").text == "Imagine the wildest idea that you've ever had."
    t = parse(json.dumps(VERBOSE), "srt")
    assert t.response_format == "verbose_json" and len(t.segment_records) == 2


def test_subtitles_in_the_wrong_format_are_still_parsed():
    assert parse(VTT_BODY, "srt").response_format == "vtt"
    assert parse(SRT_BODY, "text").response_format == "srt"
    headerless = b"00:01.000 --> 00:02.000\nHi\n"
    assert parse(headerless, "vtt").segment_records[0]["start"] == 1.0


def test_subtitle_format_answered_with_plain_text_gives_the_text():
    t = parse(b"Just words.\n", "srt")
    assert (t.text, t.response_format, t.segment_records) == ("Just words.", "text", [])


def test_empty_subtitles_give_an_empty_transcript():
    assert parse(b"", "srt").text == ""
    assert parse(b"WEBVTT\n\n", "vtt").segment_records == []
    assert parse(b"", "text").text == ""


@pytest.mark.parametrize(
    ("body", "response_format", "content_type", "message"),
    [
        (b'{"text": "Hel', "json", None, "not valid JSON"),
        (b'{"text": "Hel', "text", "application/json", "not valid JSON"),
        (b"<!DOCTYPE html><html><body>Moved</body></html>", "json", None, "HTML"),
        (b"<p>gateway</p>", "text", "text/html", "HTML"),
        (b"", "json", "application/json", "empty"),
        (b"  \n", "verbose_json", None, "empty"),
        (b"\xff\xfe\x00garbage", "text", None, "UTF-8"),
        (b"[1, 2]", "json", None, "no transcript"),
        (b'{"task": "transcribe"}', "verbose_json", None, "no 'text'"),
        (b'{"text": ["a"]}', "json", None, "not a string"),
    ],
)
def test_bodies_without_a_transcript_raise_value_error(
    body, response_format, content_type, message
):
    with pytest.raises(ValueError, match=message):
        parse(body, response_format, content_type)


# --- SRT / VTT parsing -------------------------------------------------------------------


def test_parse_vtt_handles_headers_notes_identifiers_and_settings():
    text = (
        "WEBVTT - a title\r\nKind: captions\r\nLanguage: en\r\n\r\n"
        "NOTE written by hand\r\nover two lines\r\n\r\n"
        "STYLE\r\n::cue { color: red }\r\n\r\n"
        "intro\r\n00:01.500 --> 00:04.000 align:start position:10%\r\nHello\r\nthere\r\n\r\n"
        "01:02:03,250 --> 01:02:04.5\r\n<v Ann>Bye</v>\r\n"
    )
    assert parse_vtt(text) == [
        {"id": 0, "start": 1.5, "end": 4.0, "text": "Hello\nthere", "identifier": "intro",
         "settings": "align:start position:10%"},
        {"id": 1, "start": 3723.25, "end": 3724.5, "text": "Bye", "speaker": "Ann"},
    ]  # fmt: skip


def test_parse_srt_handles_sloppy_files():
    text = (
        "\ufeff1\r\n00:00:01.000 --> 00:00:02,000\r\nLine one\r\nline two\r\n"
        "2\r\n00:00:02,000 --> 00:00:03,000 X1:40 X2:600\r\nNo blank line before me\r\n\r\n\r\n"
        "3\n100:00:00,000 --> 100:00:01,000\nFirst part\n\nafter a stray blank line\n"
    )
    assert parse_srt(text) == [
        {"id": 0, "start": 1.0, "end": 2.0, "text": "Line one\nline two"},
        {"id": 1, "start": 2.0, "end": 3.0, "text": "No blank line before me"},
        {"id": 2, "start": 360000.0, "end": 360001.0,
         "text": "First part\nafter a stray blank line"},
    ]  # fmt: skip


def test_parse_srt_of_nothing_is_empty():
    assert parse_srt("") == [] == parse_vtt("WEBVTT\n")
    assert parse_srt("just some words") == []


@pytest.mark.parametrize(
    ("seconds", "sep", "expected"),
    [
        (0, ",", "00:00:00,000"),
        (3.32, ",", "00:00:03,320"),
        (59.9996, ".", "00:01:00.000"),
        (3725.5, ",", "01:02:05,500"),
        (360000.25, ".", "100:00:00.250"),
        (-1.0, ",", "00:00:00,000"),
    ],
)
def test_format_timestamp(seconds, sep, expected):
    assert format_timestamp(seconds, sep=sep) == expected


def test_format_timestamp_refuses_non_finite_numbers():
    with pytest.raises(ValueError):
        format_timestamp(math.nan)


# --- Transcript output -------------------------------------------------------------------


def test_to_srt_and_to_vtt_render_segments():
    t = parse(json.dumps(VERBOSE), "verbose_json")
    assert t.to_srt() == SRT_BODY.decode().rstrip("\n") + "\n"
    assert t.to_vtt() == VTT_BODY.decode().rstrip("\n") + "\n"


def test_to_srt_returns_the_raw_subtitles_normalised():
    body = "1\r\n00:00:00,000 --> 00:00:01,000\r\nHi  \r\n\r\n\r\n\r\n"
    t = parse(body, "srt")
    assert t.to_srt() == "1\n00:00:00,000 --> 00:00:01,000\nHi\n"
    vtt = "WEBVTT\n\nNOTE kept\n\n00:00.000 --> 00:01.000 line:0\nHi\n"
    assert parse(vtt, "vtt").to_vtt() == vtt  # cue settings and notes survive


def test_shifted_segments_are_rendered_not_the_stale_raw():
    t = parse(SRT_BODY, "srt")
    for record in t.segment_records:
        record["start"] += 60
        record["end"] += 60
    assert parse_srt(t.to_srt())[0]["start"] == 60.0


def test_srt_converts_to_vtt_and_back():
    t = parse(SRT_BODY, "srt")
    again = parse(t.to_vtt(), "vtt")
    assert again.segment_records == t.segment_records
    assert again.to_srt() == t.to_srt()


@pytest.mark.parametrize(
    ("transcript", "expected"),
    [
        (Transcript("Hello.", duration=2.0), "1\n00:00:00,000 --> 00:00:02,000\nHello.\n"),
        (Transcript("Hello."), "1\n00:00:00,000 --> 00:00:00,000\nHello.\n"),
        (Transcript(""), ""),
    ],
)
def test_to_srt_without_segments_gives_one_cue(transcript, expected):
    assert transcript.to_srt() == expected


def test_empty_segments_frame_has_typed_columns():
    segments, words = Transcript("Hi").segments, Transcript("Hi").words
    assert list(segments.columns) == ["start", "end", "text"] and segments.empty
    assert list(words.columns) == ["word", "start", "end"] and words.empty
    assert segments["start"].dtype == "float64" and words["end"].dtype == "float64"


@pytest.mark.parametrize(
    ("name", "expected_name", "first_line"),
    [
        ("out.txt", "out.txt", "Imagine the wildest idea that you've ever had."),
        ("out.srt", "out.srt", "1"),
        ("out.VTT", "out.VTT", "WEBVTT"),
        ("out", "out.json", "{"),  # no extension: the one matching response_format
    ],
)
def test_transcript_save_picks_the_format_from_the_extension(
    tmp_path, name, expected_name, first_line
):
    t = parse(json.dumps(VERBOSE), "verbose_json")
    path = t.save(tmp_path / name)
    assert path == tmp_path / expected_name
    assert path.read_text(encoding="utf-8").splitlines()[0] == first_line


def test_transcript_saved_as_json_keeps_every_field(tmp_path):
    t = parse(json.dumps(VERBOSE), "verbose_json")
    t.model, t.request_id, t.elapsed, t.source = "whisper-1", "req-1", 0.5, "talk.mp3"
    saved = json.loads(t.save(tmp_path / "t.json").read_text(encoding="utf-8"))
    assert Transcript(**saved) == t


def test_transcript_save_without_extension_follows_the_format(tmp_path):
    assert parse(SRT_BODY, "srt").save(tmp_path / "a").name == "a.srt"
    assert parse(TEXT_BODY, "text").save(tmp_path / "b").read_text() == TEXT_BODY.decode()


def test_transcript_save_refuses_unknown_extensions(tmp_path):
    with pytest.raises(ValueError, match=r"\.docx"):
        Transcript("Hi").save(tmp_path / "notes.docx")


def test_transcript_str_and_repr():
    t = parse(json.dumps(VERBOSE), "verbose_json")
    assert str(t) == VERBOSE["text"]
    assert (
        repr(t)
        == 'Transcript("Imagine the wildest idea that you\'ve…", english, 8.5 s, 2 segments)'
    )
    assert repr(Transcript("Hi")) == "Transcript('Hi')"
    assert repr(Transcript("Hi", segment_records=[{"start": 0, "end": 1, "text": "Hi"}])) == (
        "Transcript('Hi', 1 segment)"
    )


# --- Speech ------------------------------------------------------------------------------


def sine_pcm(seconds: float, rate: int = 24_000) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)


def wav_bytes(samples: np.ndarray, rate: int = 24_000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def encoded(samples: np.ndarray, container: str, codec: str, rate: int = 24_000) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        for i in range(0, len(samples), 1024):
            chunk = samples[None, i : i + 1024]
            frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
            frame.sample_rate = rate
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue()


def test_pcm_duration_is_counted_from_the_bytes():
    speech = Speech(sine_pcm(1.5).tobytes(), format="pcm", content_type="audio/pcm")
    assert speech.duration == 1.5 and speech.size == 72_000


def test_wav_duration_comes_from_the_header():
    speech = Speech(wav_bytes(sine_pcm(2.0), rate=16_000), format="wav", content_type="audio/wav")
    assert speech.duration == pytest.approx(3.0)  # 48,000 samples at 16 kHz


def test_streamed_wav_with_a_placeholder_size_still_has_a_duration():
    data = bytearray(wav_bytes(sine_pcm(1.0)))
    data[4:8] = data[40:44] = struct.pack("<I", 0xFFFFFFFF)  # RIFF and data sizes unknown
    speech = Speech(bytes(data), format="wav", content_type="audio/wav")
    assert speech.duration == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("fmt", "container", "codec", "rate"),
    [("mp3", "mp3", "libmp3lame", 24_000), ("opus", "ogg", "libopus", 48_000),
     ("aac", "adts", "aac", 24_000), ("flac", "flac", "flac", 24_000)],
)  # fmt: skip
def test_compressed_duration_is_decoded_with_av(fmt, container, codec, rate):
    data = encoded(sine_pcm(1.2, rate), container, codec, rate)
    speech = Speech(data, format=fmt, content_type=f"audio/{fmt}")
    assert speech.duration == pytest.approx(1.2, abs=0.1)  # AAC keeps its priming frame
    assert "duration" in vars(speech)  # decoded once, then cached


def test_undecodable_audio_has_no_duration():
    speech = Speech(b"definitely not audio" * 10, format="mp3", content_type="audio/mpeg")
    assert speech.duration is None
    assert repr(speech) == "Speech(200 B mp3)"


def test_speech_save_adds_the_extension_when_missing(tmp_path):
    speech = Speech(b"ID3fake", format="opus", content_type="audio/opus")
    assert speech.save(tmp_path / "hello") == tmp_path / "hello.opus"
    assert (tmp_path / "hello.opus").read_bytes() == b"ID3fake"
    assert speech.save(str(tmp_path / "keep.ogg")) == tmp_path / "keep.ogg"


def test_speech_repr_is_short_and_has_no_audio():
    speech = Speech(sine_pcm(3.2).tobytes(), format="pcm", content_type="audio/pcm", voice="alloy")
    assert repr(speech) == "Speech(voice='alloy', 3.2 s, 150 KB pcm)"
    big = Speech(b"\x00" * 3_000_000, format="pcm", content_type="audio/pcm")
    assert repr(big) == "Speech(62.5 s, 2.9 MB pcm)"


def test_importing_results_loads_neither_pandas_nor_av():
    code = "import sys, comet_audio_nb.results; print('pandas' in sys.modules, 'av' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- properties --------------------------------------------------------------------------

cue_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")) | st.just("\n"),
    max_size=30,
)
millis = st.integers(min_value=0, max_value=100 * 3600 * 1000)
segments = st.lists(st.tuples(millis, millis, cue_text), max_size=15)


def as_cue_text(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"-{2,}>", "->", "\n".join(line for line in lines if line))


@given(segments)
def test_segments_survive_srt_and_vtt_round_trips(cues):
    records = [
        {"id": i, "start": start / 1000, "end": (start + length) / 1000, "text": text}
        for i, (start, length, text) in enumerate(cues)
    ]
    transcript = Transcript("", segment_records=records)
    for parsed in (parse_srt(transcript.to_srt()), parse_vtt(transcript.to_vtt())):
        assert [round(c["start"] * 1000) for c in parsed] == [s for s, _, _ in cues]
        assert [round(c["end"] * 1000) for c in parsed] == [s + n for s, n, _ in cues]
        assert [c["text"] for c in parsed] == [as_cue_text(t) for _, _, t in cues]


json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_value = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
number_like = json_scalar | st.sampled_from(["1.5", " 2 ", "nan", "1e400", "-3", "", "0x10"])
segment_like = st.fixed_dictionaries(
    {},
    optional={
        "id": number_like,
        "seek": number_like,
        "start": number_like,
        "end": number_like,
        "text": json_scalar,
        "tokens": json_value,
        "avg_logprob": number_like,
        "extra": json_value,
    },
)
word_like = st.fixed_dictionaries(
    {}, optional={"word": json_scalar, "start": number_like, "end": number_like}
)
verbose_like = st.fixed_dictionaries(
    {},
    optional={
        "task": st.sampled_from(["transcribe", "translate"]) | json_value,
        "language": json_value,
        "duration": number_like,
        "text": json_scalar | json_value,
        "segments": st.lists(segment_like | json_value, max_size=5) | json_value,
        "words": st.lists(word_like | json_value, max_size=5) | json_value,
        "usage": json_value,
    },
)


def exercise(transcript: Transcript) -> None:
    """Everything a user might call on a parsed transcript must work."""
    assert isinstance(transcript.text, str)
    assert len(repr(transcript)) < 120 and str(transcript) == transcript.text
    frame = transcript.segments
    assert list(frame.columns[:3]) == ["start", "end", "text"]
    assert frame["start"].dtype == frame["end"].dtype == "float64"
    assert list(transcript.words.columns[:3]) == ["word", "start", "end"]
    parse_srt(transcript.to_srt())
    parse_vtt(transcript.to_vtt())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(verbose_like, st.sampled_from(["verbose_json", "json", "text", "srt", "vtt"]))
def test_verbose_json_like_bodies_never_raise_anything_but_value_error(body, response_format):
    try:
        transcript = parse(json.dumps(body), response_format, "application/json")
    except ValueError:
        return
    exercise(transcript)


@given(
    st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    st.sampled_from(["verbose_json", "json", "text", "srt", "vtt"]),
    st.sampled_from([None, "application/json", "text/plain", "text/html"]),
)
def test_arbitrary_bodies_never_raise_anything_but_value_error(body, response_format, ctype):
    try:
        transcript = parse(body, response_format, ctype)
    except ValueError:
        return
    exercise(transcript)


names = st.text(st.characters(exclude_characters="\\'\""), max_size=60)  # no escapes of their own


@given(
    st.binary(max_size=300),
    st.sampled_from(["mp3", "opus", "aac", "flac", "wav", "pcm"]) | names,
    st.none() | names,
)
def test_speech_repr_stays_short_and_shows_no_bytes(data, fmt, voice):
    text = repr(Speech(data, format=fmt, content_type="audio/mpeg", voice=voice))
    assert len(text) < 100
    assert re.fullmatch(r"Speech\((voice='[^'\\]*', )?([\d.]+ s, )?[\d.]+ K?M?B [^'\\]*\)", text)


@given(st.text(max_size=500), st.none() | st.text(max_size=60))
def test_transcript_repr_stays_short(text, language):
    assert len(repr(Transcript(text, language=language))) < 120
