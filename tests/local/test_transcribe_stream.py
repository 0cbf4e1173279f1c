"""Transcription streamed (stream=true), log-probabilities, refused diarization, extra fields."""

from __future__ import annotations

import json
import math

import openai
import pytest
from engine_helpers import assert_api_error, words
from httpx_sse import connect_sse

TWO = (
    "The quick brown fox jumps over the lazy dog. Meanwhile, far away in the quiet "
    "mountains, a small river kept running towards the sea."
)
# The clip is then the same on every run: with piper-tts 1.8 and onnxruntime 1.32, Whisper
# base hears three segments in it and tiny.en two (other seeds give two or three too).
SEED = 4
TRANSCRIBE = "/audio/transcriptions"


@pytest.fixture(scope="module")
def two_wav(engine) -> bytes:
    """Two sentences that Whisper base and tiny.en both hear as two segments."""
    from comet_audio_nb.local import tts
    from comet_audio_nb.local.routes_speech import parse_speech, render_speech

    tts.set_seed(SEED)
    try:
        body = {"model": "tts-1", "input": TWO, "voice": "alloy", "response_format": "wav"}
        return render_speech(parse_speech(body))
    finally:
        tts.set_seed(None)


def upload(wav: bytes) -> dict:
    return {"file": ("speech.wav", wav, "audio/wav")}


def stream_events(api, wav: bytes, **fields) -> tuple[dict, list[dict]]:
    """(response headers, the events) of a streamed transcription."""
    with connect_sse(api, "POST", TRANSCRIBE, files=upload(wav), data=fields) as source:
        assert source.response.status_code == 200, source.response.read()
        assert source.response.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(event.data) for event in source.iter_sse()]
        return dict(source.response.headers), events


def test_gpt_4o_transcribe_streams_a_delta_per_segment_then_done(api, two_wav):
    verbose = api.post(TRANSCRIBE, files=upload(two_wav), data={"response_format": "verbose_json"})
    segments = [s["text"] for s in verbose.json()["segments"]]  # the same recogniser's
    assert len(segments) >= 2
    headers, events = stream_events(api, two_wav, model="gpt-4o-transcribe", stream="true")
    assert headers["x-local-recogniser"] == "whisper-base"
    *deltas, done = events
    assert [e["type"] for e in deltas] == ["transcript.text.delta"] * len(segments)
    assert [e["delta"] for e in deltas] == [segments[0].lstrip(), *segments[1:]]
    assert [e["segment_id"] for e in deltas] == [f"seg_{i}" for i in range(len(segments))]
    assert all("logprobs" not in e for e in events)  # only when asked for
    assert done["type"] == "transcript.text.done"
    assert done["text"] == "".join(e["delta"] for e in deltas) == verbose.json()["text"]
    seconds = math.ceil(verbose.json()["duration"])
    assert done["usage"] == {"type": "duration", "seconds": seconds}


def test_gpt_4o_mini_transcribe_streams_from_tiny_en(api, two_wav):
    headers, events = stream_events(api, two_wav, model="gpt-4o-mini-transcribe", stream="true")
    assert headers["x-local-recogniser"] == "whisper-tiny.en"
    assert words(events[-1]["text"]) == words(TWO)
    assert len(events) >= 3  # two deltas at least, then done


def test_whisper_1_ignores_stream_as_the_service_does(api, speech_wav, speech_text):
    response = api.post(TRANSCRIBE, files=upload(speech_wav), data={"stream": "true"})
    assert response.headers["content-type"] == "application/json"
    assert words(response.json()["text"]) == words(speech_text)


def test_stream_must_be_a_boolean(api, speech_wav):
    response = api.post(
        TRANSCRIBE, files=upload(speech_wav), data={"model": "gpt-4o-transcribe", "stream": "yes"}
    )
    assert_api_error(response, 400, param="stream")


def test_audio_that_cannot_be_decoded_is_a_400_before_any_event(api):
    data = {"model": "gpt-4o-transcribe", "stream": "true"}
    response = api.post(TRANSCRIBE, files=upload(b"RIFF not really"), data=data)
    assert_api_error(response, 400, param="file")


def check_logprobs(entries: list[dict], text: str) -> None:
    """One entry per word: the word as the token, its bytes, the log of its probability."""
    assert "".join(e["token"] for e in entries) == text
    assert len(entries) == len(text.split())
    for entry in entries:
        assert set(entry) == {"token", "logprob", "bytes"}
        assert entry["bytes"] == list(entry["token"].encode())
        assert -30 < entry["logprob"] <= 0
    assert sum(math.exp(e["logprob"]) for e in entries) / len(entries) > 0.5  # clear speech


def test_include_logprobs_gives_one_per_word_in_json(api, speech_wav, speech_text):
    data = {"model": "gpt-4o-mini-transcribe", "include[]": "logprobs"}
    body = api.post(TRANSCRIBE, files=upload(speech_wav), data=data).json()
    assert set(body) == {"text", "logprobs", "usage"}
    assert words(body["text"]) == words(speech_text)
    check_logprobs(body["logprobs"], body["text"])


def test_streamed_logprobs_come_with_each_delta_and_all_at_the_end(api, two_wav):
    fields = {"model": "gpt-4o-transcribe", "stream": "true", "include[]": "logprobs"}
    _, events = stream_events(api, two_wav, **fields)
    *deltas, done = events
    for delta in deltas:
        assert "".join(e["token"] for e in delta["logprobs"]) == delta["delta"]
    assert done["logprobs"] == [entry for delta in deltas for entry in delta["logprobs"]]
    check_logprobs(done["logprobs"], done["text"])


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"model": "whisper-1", "include[]": "logprobs"}, "unsupported_value"),
        ({"model": "gpt-4o-transcribe", "response_format": "text", "include[]": "logprobs"},
         "unsupported_value"),
        ({"model": "gpt-4o-transcribe", "include[]": "tokens"}, "invalid_value"),
    ],
)  # fmt: skip
def test_logprobs_only_where_the_service_gives_them(api, speech_wav, fields, code):
    response = api.post(TRANSCRIBE, files=upload(speech_wav), data=fields)
    error = assert_api_error(response, 400, param="include", code=code)
    assert "logprobs" in error["message"]


@pytest.mark.parametrize(
    ("path", "fields", "param"),
    [
        (TRANSCRIBE, {"model": "gpt-4o-transcribe-diarize"}, "model"),
        (TRANSCRIBE, {"model": "gpt-4o-transcribe-diarize", "stream": "true"}, "model"),
        (TRANSCRIBE, {"model": "gpt-4o-transcribe", "response_format": "diarized_json"},
         "response_format"),
        ("/audio/translations", {"model": "gpt-4o-transcribe-diarize"}, "model"),
    ],
)  # fmt: skip
def test_the_engine_does_not_diarize_and_says_where(api, speech_wav, path, fields, param):
    response = api.post(path, files=upload(speech_wav), data=fields)
    error = assert_api_error(response, 400, param=param, code="unsupported_value")
    assert "does not diarize" in error["message"] and "CometAPI" in error["message"]
    assert "gpt-4o-transcribe-diarize" in error["message"]


@pytest.mark.parametrize(
    "extra",
    [
        {"chunking_strategy": "auto"},
        {"chunking_strategy": '{"type": "server_vad", "threshold": 0.5}'},
        {"chunking_strategy[type]": "server_vad", "chunking_strategy[silence_duration_ms]": "500"},
        {"known_speaker_names[]": ["ana"], "timestamp_granularities[]": []},
    ],
)
def test_fields_the_engine_does_not_use_are_accepted(api, speech_wav, speech_text, extra):
    data = {"model": "gpt-4o-transcribe", **extra}
    response = api.post(TRANSCRIBE, files=upload(speech_wav), data=data)
    assert response.status_code == 200, response.text
    assert words(response.json()["text"]) == words(speech_text)


def test_the_openai_sdk_streams_with_logprobs_and_a_chunking_strategy(sdk, two_wav):
    stream = sdk.audio.transcriptions.create(
        file=("two.wav", two_wav, "audio/wav"),
        model="gpt-4o-mini-transcribe",
        stream=True,
        include=["logprobs"],
        chunking_strategy={"type": "server_vad", "threshold": 0.5},
    )
    events = list(stream)
    *deltas, done = events
    assert {type(e).__name__ for e in deltas} == {"TranscriptionTextDeltaEvent"}
    assert type(done).__name__ == "TranscriptionTextDoneEvent"
    assert done.text == "".join(e.delta for e in deltas) and words(done.text) == words(TWO)
    assert done.logprobs[0].token == done.text.split()[0]


def test_a_failure_after_the_first_segment_ends_the_stream_with_an_error(api, sdk, monkeypatch):
    from comet_audio_nb.local import routing, stt

    def half(model, audio, *, on_segment=None, **options):
        rec = stt.Recognition(duration=1.0)
        rec.segments.append({"id": 0, "text": " Half of it."})
        on_segment(rec, rec.segments[0], [])
        raise RuntimeError("the recogniser broke")

    monkeypatch.setattr(routing, "answer", half)
    wav = api.post("/audio/speech", json={"model": "tts-1", "input": "Hi.", "voice": "alloy",
                                          "response_format": "wav"}).content  # fmt: skip
    _, events = stream_events(api, wav, model="gpt-4o-transcribe", stream="true")
    assert [e["type"] for e in events] == ["transcript.text.delta", "error"]
    assert events[0]["delta"] == "Half of it."
    assert "RuntimeError" in events[1]["error"]["message"]
    assert "request id:" in events[1]["error"]["message"]
    with pytest.raises(openai.APIError, match="RuntimeError"):
        list(sdk.audio.transcriptions.create(
            file=("hi.wav", wav, "audio/wav"), model="gpt-4o-transcribe", stream=True
        ))  # fmt: skip


def test_segments_are_handed_over_as_the_recogniser_makes_them(engine, two_wav, speech_wav):
    from comet_audio_nb.local import stt

    audio, tiny = stt.decode(two_wav), stt.ENGLISH  # the quicker recogniser will do

    seen: list[int] = []

    def note(recognition, segment, logprobs):
        seen.append(len(recognition.segments))

    rec = stt.recognize(audio, recogniser=tiny, on_segment=note)
    assert len(rec.segments) >= 2
    assert seen == list(range(1, len(rec.segments) + 1))  # each one before the next is taken

    class Enough(Exception):
        pass

    def stop(recognition, segment, logprobs):
        seen.append(segment["id"])
        raise Enough

    seen.clear()
    with pytest.raises(Enough):
        stt.recognize(audio, recogniser=tiny, on_segment=stop)
    assert seen == [0]  # the recognition stopped at the first segment
    assert stt.recognize(stt.decode(speech_wav), recogniser=tiny).text  # the lock is free again
