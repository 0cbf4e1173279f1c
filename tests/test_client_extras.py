"""extra_body / extra_headers / extra_query, known speakers, refusal hints, usage in the log."""

from __future__ import annotations

import io
import wave
from contextlib import ExitStack

import pytest

from comet_audio_nb import BadRequestError, CometClient, RetryPolicy, ValidationError
from comet_audio_nb.client.extras import form_fields

SPEECH = "/v1/audio/speech"
TRANSCRIBE = "/v1/audio/transcriptions"
FAST = RetryPolicy(max_retries=1, initial_delay=0.01, max_delay=0.02)


@pytest.fixture
def records():
    return []


@pytest.fixture
def client(engine, records):
    with CometClient(base_url=engine.base_url, retry=FAST, on_call=records.append) as c:
        yield c


def built(client, call):
    """The httpx request the client would send for ``call`` (headers, URL, body)."""
    with ExitStack() as stack:
        request = client._request(client._http, call, stack)
        request.read()
    return request


def wav_clip(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(int(seconds * rate) * 2))
    return out.getvalue()


# -- extra_body reaches the wire --------------------------------------------------------
def test_extra_body_overrides_the_json_body_and_the_result_says_so(client):
    speech = client.speech("Hello there.", extra_body={"response_format": "wav"})
    assert speech.data[:4] == b"RIFF" and speech.format == "wav"


def test_extra_body_lists_go_out_as_repeated_fields(client, speech_wav):
    transcript = client.transcribe(
        speech_wav,
        response_format="verbose_json",
        extra_body={"timestamp_granularities": ["segment", "word"]},
    )
    assert transcript.word_records  # the engine saw timestamp_granularities[]=word


def test_extra_body_in_a_form_is_flattened_as_the_sdk_sends_it(client, speech_wav):
    extra = {"chunking_strategy": {"type": "server_vad", "threshold": 0.5}, "flag": True}
    call = client._audio_call(
        "transcribe", speech_wav, model="gpt-4o-transcribe", extra_body=extra,
        include=["logprobs"], stream=True,
    )  # fmt: skip
    body = built(client, call).content.decode("latin-1")
    for name, value in [
        ("chunking_strategy[type]", "server_vad"),
        ("chunking_strategy[threshold]", "0.5"),
        ("flag", "true"),
        ("include[]", "logprobs"),
        ("stream", "true"),
    ]:
        assert f'name="{name}"\r\n\r\n{value}\r\n' in body


def test_form_fields_repeat_lists_and_leave_out_none():
    assert form_fields({"a": [1, 2], "b": None, "c": {"d": [True]}}) == {
        "a[]": ["1", "2"],
        "c[d][]": ["true"],
    }


def test_extra_headers_and_query_are_sent(client):
    call = client._speech_call(
        "Hi", model="tts-1", voice="alloy", response_format="mp3", speed=None,
        instructions=None, extra_headers={"X-Trace": "abc"}, extra_query={"region": "eu"},
    )  # fmt: skip
    request = built(client, call)
    assert request.headers["x-trace"] == "abc" and request.url.params["region"] == "eu"
    assert client.speech("Hi", extra_headers={"X-Trace": "abc"}, extra_query={"a": 1}).data


@pytest.mark.parametrize(
    "kwargs",
    [
        {"extra_body": ["not", "a", "dict"]},
        {"extra_headers": {"X-Number": 5}},
        {"extra_query": {1: "x"}},
    ],
)
def test_bad_extras_are_caught_before_sending(client, engine, kwargs):
    with pytest.raises(ValidationError):
        client.speech("Hi", **kwargs)
    assert engine.hits(SPEECH) == 0


def test_model_lists_take_extra_headers_and_query(client, engine):
    assert any(m["id"] == "whisper-1" for m in client.list_models(extra_headers={"X-A": "b"}))
    assert client.models(extra_headers={"X-A": "b"}, extra_query={"lang": "en"})
    with pytest.raises(ValidationError):
        client.models(extra_headers={"X-A": 1})
    assert engine.hits("/api/models") == 1


# -- diarization requests ----------------------------------------------------------------
def test_the_diarize_model_defaults_to_diarized_json_and_auto_chunking(client, speech_wav):
    call = client._audio_call("transcribe", speech_wav, model="gpt-4o-transcribe-diarize")
    assert call.data["response_format"] == "diarized_json"
    assert call.data["chunking_strategy"] == "auto"
    other = client._audio_call("transcribe", speech_wav, model="whisper-1")
    assert "chunking_strategy" not in other.data


def test_known_speakers_go_out_as_names_and_data_urls(client, speech_wav, tmp_path):
    ana = tmp_path / "ana.wav"
    ana.write_bytes(wav_clip(3))
    call = client._audio_call(
        "transcribe", speech_wav, model="gpt-4o-transcribe-diarize",
        known_speakers={"Ana": ana, "Ben": wav_clip(2.5)},
    )  # fmt: skip
    assert call.data["known_speaker_names[]"] == ["Ana", "Ben"]
    refs = call.data["known_speaker_references[]"]
    assert [r[:22] for r in refs] == ["data:audio/wav;base64,"] * 2
    assert "known_speaker_references[]" not in call.meta  # not copied into the log


@pytest.mark.parametrize(
    ("known", "needle"),
    [
        ({f"s{i}": wav_clip(3) for i in range(5)}, "at most 4"),
        ({"Ana": wav_clip(1)}, "1.0 s long"),
        ({"Ana": wav_clip(12)}, "12.0 s long"),
        ({"": wav_clip(3)}, "name"),
        ({"Ana": "no-such-file.wav"}, "no such audio file"),
        (["Ana"], "dict"),
    ],
)
def test_known_speakers_are_checked_before_sending(client, engine, speech_wav, known, needle):
    with pytest.raises(ValidationError, match=needle):
        client.transcribe(speech_wav, model="gpt-4o-transcribe-diarize", known_speakers=known)
    assert engine.hits(TRANSCRIBE) == 0


# -- refusals explained ----------------------------------------------------------------
def test_verbose_json_with_a_gpt4o_model_names_whisper(client, engine, speech_wav):
    with pytest.raises(BadRequestError) as info:  # the engine refuses it as the service does
        client.transcribe(speech_wav, model="gpt-4o-transcribe", response_format="verbose_json")
    assert "use whisper-1 for timestamps" in info.value.hint
    assert engine.hits(TRANSCRIBE) == 1  # sent: the service decides


@pytest.mark.parametrize(
    ("kwargs", "message", "needle"),
    [
        (
            {"instructions": "Cheerful"},
            "instructions are not supported for tts-1",
            "gpt-4o-mini-tts",
        ),
        ({"stream_format": "sse"}, "stream_format 'sse' is not supported", "stream_format='audio'"),
    ],
)
def test_refusals_of_known_speech_incompatibilities_name_the_fix(
    client, engine, kwargs, message, needle
):
    engine.inject(SPEECH, 400, body={"error": {"message": message, "type": "invalid_request"}})
    with pytest.raises(BadRequestError) as info:
        if "stream_format" in kwargs:
            with client.stream_speech("Hi", model="tts-1", **kwargs):
                pass
        else:
            client.speech("Hi", model="tts-1", **kwargs)
    assert needle in info.value.hint


def test_an_unrelated_refusal_keeps_the_usual_hint(client, engine):
    with pytest.raises(BadRequestError) as info:
        client.speech("Hi", model="tts-1", voice="nobody", instructions="Cheerful")
    assert "gpt-4o-mini-tts" not in info.value.hint


# -- usage in results and the call log -----------------------------------------------------
def test_usage_is_kept_on_the_transcript_and_the_call_record(client, records, speech_wav):
    transcript = client.transcribe(speech_wav, response_format="verbose_json")
    assert transcript.usage["type"] == "duration"
    assert records[-1].usage == transcript.usage and not records[-1].streamed
    client.speech("No usage here.")
    assert records[-1].usage is None
