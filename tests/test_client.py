"""CometClient and AsyncCometClient against the built-in engine over loopback."""

from __future__ import annotations

import io
import json
import socket

import av
import pytest

from comet_audio_nb import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CometClient,
    InvalidResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    UnprocessableEntityError,
    ValidationError,
)
from comet_audio_nb.audio import pcm_to_wav

SPEECH = "/v1/audio/speech"
TRANSCRIBE = "/v1/audio/transcriptions"
FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02)


@pytest.fixture
def client(engine):
    with CometClient(base_url=engine.base_url, retry=FAST) as c:
        yield c


@pytest.fixture
def waits(monkeypatch):
    """The delays the sync clients asked to sleep, without sleeping them.

    The sleeper is the client's own (``CometClient._sleep``), so sleeps elsewhere in the
    process (the engine's threads, other libraries) never count here.
    """
    asked: list[float] = []
    monkeypatch.setattr(CometClient, "_sleep", staticmethod(asked.append))
    return asked


def words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() or c.isspace() else " " for c in text).split()


# -- speech ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "content_type", "container"),
    [
        ("mp3", "audio/mpeg", "mp3"),
        ("opus", "audio/opus", "ogg"),
        ("aac", "audio/aac", "aac"),
        ("flac", "audio/flac", "flac"),
        ("wav", "audio/wav", "wav"),
    ],
)
def test_speech_returns_decodable_audio_in_each_format(client, fmt, content_type, container):
    speech = client.speech("Testing one two three.", voice="nova", response_format=fmt)
    assert speech.format == fmt
    assert speech.content_type.startswith(content_type)
    assert speech.voice == "nova" and speech.model == "tts-1"
    assert speech.request_id and speech.elapsed > 0
    with av.open(io.BytesIO(speech.data)) as container_file:
        assert container_file.format.name.split(",")[0] in (container, "mov")
        frames = sum(f.samples for f in container_file.decode(audio=0))
    assert frames > 0


def test_speech_pcm_is_raw_24khz_16bit(client):
    speech = client.speech("Hello there.", response_format="pcm")
    assert speech.content_type.startswith("audio/pcm")
    assert len(speech.data) % 2 == 0
    assert 0.3 < len(speech.data) / 2 / 24_000 < 5


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"text": ""}, "no text"),
        ({"text": "   "}, "no text"),
        ({"text": "\x01\x02\x1b"}, "only control characters"),
        ({"text": "x" * 4097}, "4,097 characters"),
        ({"text": "hi", "response_format": "ogg"}, "response_format"),
        ({"text": "hi", "speed": 5}, "speed"),
        ({"text": "hi", "speed": 0.1}, "speed"),
        ({"text": "hi", "voice": ""}, "voice"),
    ],
)
def test_speech_bad_input_is_caught_before_sending(client, engine, kwargs, needle):
    with pytest.raises(ValidationError, match=needle) as info:
        client.speech(kwargs.pop("text"), **kwargs)
    assert engine.hits(SPEECH) == 0
    assert len(str(info.value).splitlines()) <= 2


def test_4096_characters_go_out_in_one_request_and_4097_in_none(client, engine):
    calls = []
    client.call_hooks.append(calls.append)
    at_the_limit = "Hi." + " " * 4093  # spaces count; the engine speaks it quickly
    speech = client.speech(at_the_limit, response_format="pcm")
    assert speech.text == at_the_limit and speech.data
    assert engine.hits(SPEECH) == 1 and [call.input_size for call in calls] == [4096]
    with pytest.raises(ValidationError, match="4,097 characters"):
        client.speech(at_the_limit + " ")
    assert engine.hits(SPEECH) == 1 and len(calls) == 1


def test_unknown_voice_is_rejected_by_the_server_once(client, engine):
    with pytest.raises(BadRequestError) as info:
        client.speech("Hello", voice="no-such-voice")
    assert engine.hits(SPEECH) == 1
    error = info.value
    assert error.status == 400 and error.request_id
    assert "voice" in error.message.lower()
    assert "request id" in str(error) and "(request id: " not in error.message


# -- transcription ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def spoken(engine):
    """A sentence spoken by the engine, as wav bytes, with the text it says."""
    text = "The quick brown fox jumps over the lazy dog."
    with CometClient(base_url=engine.base_url) as c:
        return text, c.speech(text, response_format="wav")


def test_transcribe_accepts_every_kind_of_input(client, spoken, tmp_path):
    text, speech = spoken
    path = tmp_path / "fox.wav"
    path.write_bytes(speech.data)
    inputs = [
        path,
        str(path),
        speech.data,
        io.BytesIO(speech.data),
        ("clip", speech.data),  # no extension: derived from the content
        speech,
    ]
    for audio in inputs:
        transcript = client.transcribe(audio)
        assert words(transcript.text) == words(text), audio
        assert transcript.source.endswith(".wav")


def test_transcribe_speech_in_compressed_formats(client):
    for fmt in ("mp3", "opus", "flac"):
        speech = client.speech("Good morning everyone.", response_format=fmt)
        assert words(client.transcribe(speech).text) == ["good", "morning", "everyone"], fmt


def test_verbose_json_has_segments_and_words_with_real_timestamps(client, spoken):
    text, speech = spoken
    transcript = client.transcribe(speech.data, timestamp_granularities=["segment", "word"])
    assert transcript.response_format == "verbose_json"
    assert transcript.language == "english"
    assert transcript.duration == pytest.approx(speech.duration, abs=0.1)
    assert [words(w["word"])[0] for w in transcript.word_records] == words(text)
    starts = [w["start"] for w in transcript.word_records]
    assert starts == sorted(starts) and starts[-1] < transcript.duration
    assert transcript.segment_records[0]["start"] >= 0


@pytest.mark.parametrize("fmt", ["text", "srt", "vtt", "json"])
def test_every_response_format_is_parsed(client, spoken, fmt):
    text, speech = spoken
    transcript = client.transcribe(speech.data, response_format=fmt)
    assert words(transcript.text) == words(text)
    if fmt in ("srt", "vtt"):
        assert transcript.segment_records and transcript.segment_records[-1]["end"] > 1


def test_translation_returns_english_text(client, spoken):
    text, speech = spoken
    transcript = client.translate(speech.data, response_format="verbose_json")
    assert transcript.task == "translate"
    assert words(transcript.text) == words(text)


def write(path, content: bytes):
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p / "missing.wav", "no such audio file"),
        (lambda p: write(p / "empty.wav", b""), "empty"),
        (lambda p: write(p / "notes.txt", b"hello"), "audio format"),
        (lambda p: p, "folder"),
    ],
)
def test_bad_files_are_caught_before_sending(client, engine, tmp_path, make, needle):
    with pytest.raises(ValidationError, match=needle):
        client.transcribe(make(tmp_path))
    assert engine.hits(TRANSCRIBE) == 0


def test_file_over_25_mb_is_caught_before_sending(client, engine, tmp_path):
    big = tmp_path / "big.wav"
    with open(big, "wb") as f:
        f.write(b"RIFF\0\0\0\0WAVEfmt ")
        f.truncate(26_214_401)  # sparse: costs no disk
    with pytest.raises(ValidationError, match="upload limit") as info:
        client.transcribe(big)
    assert "transcribe_long" in str(info.value)
    assert engine.hits(TRANSCRIBE) == 0


def test_timestamps_need_verbose_json(client):
    with pytest.raises(ValidationError, match="verbose_json"):
        client.transcribe(b"RIFF", response_format="text", timestamp_granularities=["word"])


# -- errors and retries -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "error_class", "code"),
    [
        (400, BadRequestError, ""),
        (401, AuthenticationError, ""),
        (403, PermissionDeniedError, ""),
        (404, NotFoundError, ""),
        (413, PayloadTooLargeError, ""),
        (422, UnprocessableEntityError, ""),
        (500, ServerError, "invalid_request"),
    ],
)
def test_errors_that_are_not_retried(client, engine, waits, status, error_class, code):
    engine.inject(SPEECH, status, count=5, error_code=code)
    with pytest.raises(error_class) as info:
        client.speech("Hello")
    assert engine.hits(SPEECH) == 1 and waits == []
    assert info.value.status == status and info.value.request_id
    assert info.value.hint and info.value.attempts == 1


@pytest.mark.parametrize(("status", "error_class"), [(429, RateLimitError)] + [
    (s, ServerError) for s in (500, 502, 503, 504, 524)
])  # fmt: skip
def test_transient_errors_are_retried_then_raised(client, engine, waits, status, error_class):
    engine.inject(SPEECH, status, count=10)
    with pytest.raises(error_class) as info:
        client.speech("Hello")
    assert engine.hits(SPEECH) == 3  # default: two retries
    assert len(waits) == 2 and waits[1] > waits[0] > 0
    assert info.value.attempts == 3


def test_transient_error_then_success(client, engine, waits):
    engine.inject(SPEECH, 503, count=2)
    speech = client.speech("Hello")
    assert speech.data and engine.hits(SPEECH) == 3


def test_retry_after_is_honoured(client, engine, waits):
    engine.inject(SPEECH, 429, count=1, retry_after="3")
    engine.inject(SPEECH, 429, count=1, retry_after_ms="250")
    client.speech("Hello")
    assert waits == [3.0, 0.25]


def test_retry_after_is_capped(engine, waits):
    policy = RetryPolicy(initial_delay=0.01, max_retry_after=5)
    with CometClient(base_url=engine.base_url, retry=policy) as c:
        engine.inject(SPEECH, 503, count=1, retry_after="3600")
        c.speech("Hello")
    assert waits == [5]


def test_max_retries_is_configurable(engine, waits):
    with CometClient(base_url=engine.base_url, max_retries=0) as c:
        engine.inject(SPEECH, 503, count=1)
        with pytest.raises(ServerError):
            c.speech("Hello")
    assert engine.hits(SPEECH) == 1


def test_positioned_file_object_is_resent_from_its_start_on_retry(client, engine, waits, spoken):
    text, speech = spoken
    stream = io.BytesIO(b"junk-before" + speech.data)
    stream.seek(len(b"junk-before"))
    engine.inject(TRANSCRIBE, 502, count=2)
    transcript = client.transcribe(stream, filename="fox.wav")
    assert engine.hits(TRANSCRIBE) == 3
    assert words(transcript.text) == words(text)


def test_truncated_body_is_retried(client, engine, waits):
    engine.inject(SPEECH, 200, truncate=True)
    speech = client.speech("Hello", response_format="wav")
    assert engine.hits(SPEECH) == 2
    assert speech.duration > 0.2


def test_redirect_is_not_followed(client, engine, waits):
    engine.inject(SPEECH, 301, headers={"Location": "https://example.invalid/v1/audio/speech"})
    with pytest.raises(NotFoundError) as info:
        client.speech("Hello")
    assert "base URL" in str(info.value) and engine.hits(SPEECH) == 1


def test_html_page_is_an_error_even_with_200(client, engine, waits):
    engine.inject(SPEECH, 200, body="<!DOCTYPE html><html>Welcome</html>", content_type="text/html")
    with pytest.raises(InvalidResponseError) as info:
        client.speech("Hello")
    assert "HTML" in str(info.value) and engine.hits(SPEECH) == 1


def test_200_with_error_object_is_an_error(client, engine, waits):
    body = '{"error": {"message": "upstream failed (request id: abc123)", "code": "bad_thing"}}'
    engine.inject(SPEECH, 200, body=body, content_type="application/json")
    with pytest.raises(InvalidResponseError) as info:
        client.speech("Hello")
    assert info.value.request_id == "abc123" and info.value.status == 200
    assert info.value.message == "a 200 answer carrying an error (bad_thing): upstream failed"
    assert engine.hits(SPEECH) == 1  # not retried


@pytest.mark.parametrize("code", ["rate_limit_exceeded", "invalid_api_key", "invalid_request"])
def test_200_with_error_object_is_invalid_response_whatever_its_code(client, engine, waits, code):
    body = json.dumps({"error": {"message": "nope", "code": code}})
    engine.inject(SPEECH, 200, body=body, content_type="application/json")
    with pytest.raises(InvalidResponseError) as info:
        client.speech("Hello")
    assert code in info.value.message and engine.hits(SPEECH) == 1 and waits == []


@pytest.mark.parametrize("body", [b"Service Unavailable", b"null"])
def test_200_plain_text_to_a_json_request_is_an_error_not_a_transcript(client, engine, body):
    engine.inject(TRANSCRIBE, 200, body=body, content_type="text/plain")
    with pytest.raises(InvalidResponseError, match="expected a JSON transcript"):
        client.transcribe(("a.wav", pcm_to_wav(b"\x00\x00" * 2400)))


def test_connection_refused_is_retried_then_raised(waits):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with CometClient(base_url=f"http://127.0.0.1:{port}/v1", retry=FAST) as c:
        with pytest.raises(APIConnectionError) as info:
            c.speech("Hello")
    assert info.value.attempts == 3 and len(waits) == 2


def test_timeout_is_its_own_error(engine, waits):
    engine.inject(SPEECH, 200, count=3, latency=1.0, body="late", content_type="audio/mpeg")
    with CometClient(base_url=engine.base_url, timeout=0.2, max_retries=0) as c:
        with pytest.raises(APITimeoutError):
            c.speech("Hello")


def test_every_finished_call_reaches_the_call_hooks(engine, waits):
    records = []
    with CometClient(base_url=engine.base_url, retry=FAST, on_call=records.append) as c:
        c.speech("Hello there")
        engine.inject(SPEECH, 503, count=1)
        c.speech("Again")
        engine.inject(SPEECH, 400, count=1)
        with pytest.raises(BadRequestError):
            c.speech("Third")
    assert [(r.endpoint, r.ok, r.attempts, r.status) for r in records] == [
        ("audio/speech", True, 1, 200),
        ("audio/speech", True, 2, 200),
        ("audio/speech", False, 1, 400),
    ]
    assert records[0].input_size == len("Hello there") and records[0].model == "tts-1"
    assert all(r.request_id for r in records) and "BadRequestError" in records[2].error


def test_a_transcript_keeps_its_response_headers_but_never_saves_them(client, spoken, tmp_path):
    from comet_audio_nb.jobs.cache import TranscriptCache

    _, speech = spoken
    transcript = client.transcribe(speech)
    assert transcript.headers["x-local-recogniser"]  # which model the engine used
    assert transcript.headers["content-type"].startswith("application/json")
    assert "headers" not in repr(transcript)
    saved = json.loads(transcript.save(tmp_path / "t.json").read_text())
    assert "headers" not in saved and saved["text"] == transcript.text
    cache = TranscriptCache(tmp_path / "cache", task="transcribe", options={})
    cache.put("k", transcript, label="spoken")
    assert "x-local-recogniser" not in next((tmp_path / "cache").iterdir()).read_text()
    assert cache.get("k").text == transcript.text and cache.get("k").headers == {}
