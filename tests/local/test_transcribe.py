"""POST /v1/audio/transcriptions and /translations: shapes, timestamps, validation, SDK."""

from __future__ import annotations

import re

import httpx
import pytest
from engine_helpers import assert_api_error, word_accuracy, words

from comet_audio_nb import CometClient
from comet_audio_nb.local import LocalEngine

SRT_TIME = r"\d\d:\d\d:\d\d,\d\d\d"
VTT_TIME = r"\d\d:\d\d:\d\d\.\d\d\d"


def transcribe(api, wav, *, path="/audio/transcriptions", filename="speech.wav", **fields):
    files = {"file": (filename, wav, "audio/wav")}
    return api.post(path, files=files, data=fields)


@pytest.fixture(scope="module")
def verbose(engine, speech_wav) -> dict:
    """One verbose_json transcription with words and segments, shared by the shape tests."""
    with httpx.Client(base_url=engine.base_url, timeout=60) as client:
        response = transcribe(
            client,
            speech_wav,
            response_format="verbose_json",
            **{"timestamp_granularities[]": ["word", "segment"]},
        )
    assert response.status_code == 200, response.text
    return response.json()


def test_json_gets_the_words_right(api, speech_wav, speech_text):
    response = transcribe(api, speech_wav)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"text"}
    assert words(body["text"]) == words(speech_text)


def test_verbose_json_shape(verbose, speech_text):
    assert set(verbose) == {"task", "language", "duration", "text", "segments", "words", "usage"}
    assert verbose["task"] == "transcribe"
    assert verbose["language"] == "english"
    assert words(verbose["text"]) == words(speech_text)
    assert 1.5 < verbose["duration"] < 5
    assert verbose["usage"] == {"type": "duration", "seconds": pytest.approx(3, abs=2)}
    keys = {"id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob"}
    keys |= {"compression_ratio", "no_speech_prob"}
    for index, segment in enumerate(verbose["segments"]):
        assert set(segment) == keys
        assert segment["id"] == index
        assert 0 <= segment["start"] < segment["end"] <= verbose["duration"] + 0.05
        assert all(isinstance(t, int) for t in segment["tokens"])
    assert "".join(s["text"] for s in verbose["segments"]).strip() == verbose["text"]


def test_word_timestamps_are_real_and_monotonic(verbose, speech_text):
    found = verbose["words"]
    assert [w["word"].lower() for w in found] == words(speech_text)
    previous_end = 0.0
    for word in found:
        assert set(word) == {"word", "start", "end"}
        assert previous_end - 0.01 <= word["start"] <= word["end"]
        previous_end = word["end"]
    assert previous_end <= verbose["duration"] + 0.05
    assert found[-1]["end"] - found[0]["start"] > 1.0  # spread over the audio, not invented


def test_words_only_when_asked(api, speech_wav):
    segments_only = transcribe(
        api, speech_wav, response_format="verbose_json", timestamp_granularities="segment"
    ).json()
    assert "words" not in segments_only
    assert segments_only["segments"]
    plain = transcribe(api, speech_wav, response_format="verbose_json").json()
    assert "words" not in plain


def test_text_srt_vtt_bodies(api, speech_wav, speech_text):
    text = transcribe(api, speech_wav, response_format="text")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert words(text.text) == words(speech_text)
    assert text.text.endswith("\n")

    srt = transcribe(api, speech_wav, response_format="srt")
    assert srt.headers["content-type"] == "text/plain; charset=utf-8"
    cues = srt.text.strip().split("\n\n")
    for number, cue in enumerate(cues, start=1):
        lines = cue.split("\n")
        assert lines[0] == str(number)
        assert re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert lines[2].strip()
    assert words(" ".join(c.split("\n", 2)[2] for c in cues)) == words(speech_text)

    vtt = transcribe(api, speech_wav, response_format="vtt")
    assert vtt.text.startswith("WEBVTT\n\n")
    first = vtt.text.split("\n\n")[1].split("\n")
    assert re.fullmatch(f"{VTT_TIME} --> {VTT_TIME}", first[0])
    start, end = first[0].split(" --> ")
    assert start < end  # real, increasing timestamps


def test_srt_and_vtt_cues_are_the_verbose_json_segments(engine, api, speech_wav):
    """Each cue's times, read by the package's own SRT and WebVTT parsers, are its
    segment's verbose_json times to the millisecond, and its text is the segment's."""
    segments = transcribe(api, speech_wav, response_format="verbose_json").json()["segments"]
    assert segments and all(s["end"] > s["start"] for s in segments)
    with CometClient(base_url=engine.base_url) as client:
        for fmt in ("srt", "vtt"):
            cues = client.transcribe(speech_wav, response_format=fmt).segment_records
            assert [c["text"] for c in cues] == [s["text"].strip() for s in segments], fmt
            times = [t for c in cues for t in (c["start"], c["end"])]
            expected = [t for s in segments for t in (s["start"], s["end"])]
            assert times == pytest.approx(expected, abs=0.0005), fmt


def test_gpt_4o_models_answer_json_and_text_only(api, speech_wav, speech_text):
    for model in ("gpt-4o-transcribe", "gpt-4o-mini-transcribe"):
        body = transcribe(api, speech_wav, model=model).json()
        assert words(body["text"]) == words(speech_text)
        assert body["usage"]["type"] == "duration"
        assert transcribe(api, speech_wav, model=model, response_format="text").status_code == 200
        for fmt in ("srt", "vtt", "verbose_json"):
            response = transcribe(api, speech_wav, model=model, response_format=fmt)
            assert_api_error(response, 400, param="response_format")


def test_prompt_and_language_are_accepted(api, speech_wav, speech_text):
    response = transcribe(api, speech_wav, prompt="A pangram.", language="en")
    assert response.status_code == 200
    assert words(response.json()["text"]) == words(speech_text)
    assert transcribe(api, speech_wav, language="DE").status_code == 200  # valid ISO-639-1


def test_temperature_is_accepted(api, speech_wav, speech_text):
    # A temperature above 0 samples, so the words may vary a little.
    text = transcribe(api, speech_wav, temperature="0.2").json()["text"]
    assert word_accuracy(speech_text, text) >= 0.6, text
    assert transcribe(api, speech_wav, temperature="0").status_code == 200


def test_mp3_and_ogg_uploads(api, engine, speech_text):
    for fmt, ext in (("mp3", "mp3"), ("opus", "ogg"), ("flac", "flac")):
        audio = api.post(
            "/audio/speech",
            json={"model": "tts-1", "voice": "alloy", "input": speech_text, "response_format": fmt},
        ).content
        response = transcribe(api, audio, filename=f"speech.{ext}")
        assert word_accuracy(speech_text, response.json()["text"]) >= 0.8


def test_translations(api, speech_wav, speech_text):
    body = transcribe(api, speech_wav, path="/audio/translations").json()
    assert set(body) == {"text"}
    assert words(body["text"]) == words(speech_text)
    verbose = transcribe(
        api, speech_wav, path="/audio/translations", response_format="verbose_json"
    ).json()
    assert verbose["task"] == "translate"
    assert verbose["language"] == "english"
    srt = transcribe(api, speech_wav, path="/audio/translations", response_format="srt")
    assert srt.text.startswith("1\n")
    response = transcribe(api, speech_wav, path="/audio/translations", model="gpt-4o-transcribe")
    assert_api_error(response, 400, param="model", code="model_not_found")


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"model": "whisper-9"}, "model"),
        ({"response_format": "xml"}, "response_format"),
        ({"language": "english"}, "language"),
        ({"temperature": "hot"}, "temperature"),
        ({"temperature": "1.5"}, "temperature"),
        ({"timestamp_granularities[]": "word"}, "timestamp_granularities"),
        (
            {"timestamp_granularities[]": "sentence", "response_format": "verbose_json"},
            "timestamp_granularities",
        ),
    ],
)
def test_field_validation(api, speech_wav, fields, param):
    assert_api_error(transcribe(api, speech_wav, **fields), 400, param=param)


def test_file_validation(api, speech_wav):
    error = assert_api_error(transcribe(api, speech_wav, filename="speech.txt"), 400, param="file")
    assert error["message"].startswith("Invalid file format. Supported formats: ['flac', 'mp3'")
    assert_api_error(transcribe(api, speech_wav, filename="noextension"), 400, param="file")
    assert_api_error(transcribe(api, b"", filename="empty.wav"), 400, param="file")
    error = assert_api_error(transcribe(api, b"not audio at all" * 100), 400, param="file")
    assert "could not be decoded" in error["message"]
    missing = api.post("/audio/transcriptions", data={"model": "whisper-1"}, files={"x": b"1"})
    assert_api_error(missing, 400, param="file")
    assert_api_error(api.post("/audio/transcriptions", json={"file": "a.wav"}), 400)


def test_upload_size_limit():
    with LocalEngine(max_upload_bytes=2000) as small, httpx.Client(timeout=30) as client:
        url = small.base_url + "/audio/transcriptions"
        just_over = client.post(url, files={"file": ("a.wav", b"\0" * 2001, "audio/wav")})
        error = assert_api_error(just_over, 413, param="file")
        assert error["message"].startswith("Maximum content size limit (2000) exceeded")
        far_over = client.post(url, files={"file": ("a.wav", b"\0" * 500_000, "audio/wav")})
        assert_api_error(far_over, 413)
        assert small.hits("/v1/audio/transcriptions") == 2


def test_openai_sdk_transcription(sdk, speech_wav_path, speech_text):
    with open(speech_wav_path, "rb") as audio:
        result = sdk.audio.transcriptions.create(
            file=audio,
            model="whisper-1",
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
        )
    assert words(result.text) == words(speech_text)
    assert result.language == "english"
    assert len(result.words) == len(words(speech_text))
    assert result.segments[0].start >= 0
    with open(speech_wav_path, "rb") as audio:
        text = sdk.audio.transcriptions.create(
            file=audio, model="whisper-1", response_format="text"
        )
    assert words(text) == words(speech_text)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK marks translations deprecated
def test_openai_sdk_translation(sdk, speech_wav_path, speech_text):
    with open(speech_wav_path, "rb") as audio:
        translation = sdk.audio.translations.create(file=audio, model="whisper-1")
    assert words(translation.text) == words(speech_text)
