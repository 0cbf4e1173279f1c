"""POST /v1/audio/speech: formats, voices, speed, validation, and the openai SDK."""

from __future__ import annotations

import statistics

import openai
import pytest
from engine_helpers import assert_api_error, decode, duration, pitch

SENTENCE = "Hello from the local engine."
FORMATS = {
    "mp3": ("audio/mpeg", "mp3"),
    "opus": ("audio/opus", "opus"),
    "aac": ("audio/aac", "aac"),
    "flac": ("audio/flac", "flac"),
    "wav": ("audio/wav", "pcm_s16le"),
}
SEED = 20_240_601  # any number: tests that compare takes seed the engine's synthesis


def speak(api, **fields):
    body = {"model": "tts-1", "input": SENTENCE, "voice": "alloy", **fields}
    return api.post("/audio/speech", json=body)


@pytest.fixture(scope="module")
def reference(engine) -> float:
    """Seconds of SENTENCE as raw pcm (the reference duration)."""
    import httpx

    body = {"model": "tts-1", "input": SENTENCE, "voice": "alloy", "response_format": "pcm"}
    response = httpx.post(engine.base_url + "/audio/speech", json=body, timeout=60)
    return len(response.content) / 2 / 24_000


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_decodes_with_its_content_type(api, reference, fmt):
    content_type, codec = FORMATS[fmt]
    response = speak(api, response_format=fmt)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert len(response.headers["x-request-id"]) == 32
    samples, rate, codec_name = decode(response.content)
    assert codec_name.startswith(codec)  # e.g. the mp3 decoder is "mp3float"
    assert rate == (48_000 if fmt == "opus" else 24_000)
    assert 0.6 * reference < samples.size / rate < 1.5 * reference
    assert 1.0 < samples.size / rate < 4.0


def test_mp3_is_the_default(api):
    response = speak(api)
    assert response.headers["content-type"] == "audio/mpeg"
    assert decode(response.content)[2].startswith("mp3")


def test_opus_is_in_ogg_and_aac_in_adts(api):
    assert speak(api, response_format="opus").content[:4] == b"OggS"
    aac = speak(api, response_format="aac").content
    assert aac[0] == 0xFF and aac[1] & 0xF0 == 0xF0  # ADTS sync word


def test_pcm_is_raw_s16_at_24k(api, reference):
    response = speak(api, response_format="pcm")
    assert response.headers["content-type"] == "audio/pcm"
    assert len(response.content) % 2 == 0
    assert not response.content.startswith(b"RIFF")
    seconds = len(response.content) / 2 / 24_000
    assert 1.0 < seconds < 4.0
    assert abs(seconds - reference) < 0.6  # synthesis is slightly random between calls


@pytest.fixture
def seeded_synthesis():
    """The engine's synthesis noise seeded, so that its takes are the same on every run."""
    from comet_audio_nb.local import tts

    tts.set_seed(SEED)
    yield
    tts.set_seed(None)


def test_voices_differ_and_pitch_follows_the_voice(api, seeded_synthesis):
    """onyx (pitch factor 0.85) < alloy (1.00) < shimmer (1.20): nominally 1.41 apart.

    Measured without a seed, 100 takes of SENTENCE per voice, pitch() of each: onyx
    78.5 ± 2.5 Hz (sd), alloy 91.7 ± 2.7 Hz, shimmer 108.2 ± 3.8 Hz. The shimmer/onyx
    ratio of single takes is 1.38 ± 0.07, lowest 1.20; 3 takes in 100 fell under 1.25,
    which made the one-take version of this test fail by chance. The ratio of the
    medians of three takes is 1.38 ± 0.04, so 1.25 is 3 sd under it (about 1 in 10,000),
    and the voices' medians are 6 sd apart. The seed makes each run give the same
    answer; the three takes keep a new piper or onnxruntime, whose noise for the seed
    differs, from failing it. Without the voices' pitch factors the ratio would be 1.0.
    With SEED (piper-tts 1.8, onnxruntime 1.32): 76.2, 93.8 and 104.6 Hz, ratio 1.37.
    """
    pitches = {}
    for voice in ("onyx", "alloy", "shimmer"):
        takes = []
        for _ in range(3):
            samples, rate, _ = decode(speak(api, voice=voice, response_format="wav").content)
            takes.append(pitch(samples, rate))
        pitches[voice] = statistics.median(takes)
    assert pitches["onyx"] < pitches["alloy"] < pitches["shimmer"], pitches
    assert pitches["shimmer"] / pitches["onyx"] > 1.25, pitches


def test_a_seed_makes_synthesis_repeat_itself(api, seeded_synthesis):
    from comet_audio_nb.local import tts

    def takes() -> list[bytes]:
        return [
            speak(api, voice=v, input="Hi.", response_format="pcm").content
            for v in ("onyx", "nova")
        ]

    first = takes()
    tts.set_seed(SEED)
    assert takes() == first
    tts.set_seed(None)
    assert takes() != first


def test_every_voice_is_accepted(api):
    from comet_audio_nb.local.registry import VOICES

    for voice in VOICES:
        assert speak(api, voice=voice, response_format="pcm", input="Hi.").status_code == 200


def test_speed_changes_duration(api):
    slow = duration(speak(api, response_format="wav", speed=0.5).content)
    normal = duration(speak(api, response_format="wav").content)
    fast = duration(speak(api, response_format="wav", speed=2.0).content)
    assert slow > 1.5 * normal
    assert fast < 0.8 * normal


def test_instructions_are_followed_cheaply_by_gpt_4o_mini_tts(api):
    def peak(fields):
        samples, _, _ = decode(speak(api, response_format="wav", **fields).content)
        return abs(samples).max()

    loud = peak({"model": "gpt-4o-mini-tts"})
    quiet = peak({"model": "gpt-4o-mini-tts", "instructions": "Whisper it softly."})
    ignored = peak({"model": "tts-1", "instructions": "Whisper it softly."})
    assert quiet < 0.6 * loud
    assert ignored > 0.8 * loud


def test_hd_model_and_several_sentences(api):
    text = "The quick brown fox jumps over the lazy dog. " * 2
    response = speak(api, model="tts-1-hd", input=text)
    assert response.status_code == 200
    assert 4 < duration(response.content) < 9


@pytest.mark.parametrize(
    ("fields", "param", "code"),
    [
        ({"model": "tts-9"}, "model", "model_not_found"),
        ({"model": None}, "model", "missing_required_parameter"),
        ({"input": ""}, "input", "invalid_value"),
        ({"input": "   "}, "input", "invalid_value"),
        ({"input": "x" * 4097}, "input", "string_above_max_length"),
        ({"input": 42}, "input", "invalid_type"),
        ({"voice": "darth"}, "voice", "invalid_value"),
        ({"voice": None}, "voice", "missing_required_parameter"),
        ({"response_format": "ogg"}, "response_format", "invalid_value"),
        ({"speed": 0.1}, "speed", "invalid_value"),
        ({"speed": 4.5}, "speed", "invalid_value"),
        ({"speed": "fast"}, "speed", "invalid_type"),
        ({"speed": True}, "speed", "invalid_type"),
    ],
)
def test_validation_errors(api, fields, param, code):
    body = {"model": "tts-1", "input": SENTENCE, "voice": "alloy", **fields}
    body = {k: v for k, v in body.items() if v is not None}
    error = assert_api_error(api.post("/audio/speech", json=body), 400, param=param, code=code)
    assert error["message"]


def test_speed_limits_are_inclusive(api):
    assert speak(api, speed=0.25, input="Hi.", response_format="pcm").status_code == 200
    assert speak(api, speed=4, input="Hi.", response_format="pcm").status_code == 200


def test_input_of_exactly_4096_characters_is_accepted(api):
    text = "Hi." + " " * 4093  # the limit counts characters, spaces included
    response = speak(api, input=text, response_format="pcm")
    assert response.status_code == 200


def test_body_that_is_not_json(api):
    response = api.post("/audio/speech", content=b"model=tts-1")
    assert_api_error(response, 400, code="invalid_json")
    assert_api_error(api.post("/audio/speech", json=["tts-1"]), 400, code="invalid_json")


def test_wrong_method_and_unknown_path_are_json_errors(api):
    assert_api_error(api.get("/audio/speech"), 405)
    assert_api_error(api.post("/audio/speak", json={}), 404, code="invalid_url")


def test_openai_sdk_speech(sdk):
    for fmt in ("mp3", "wav", "opus"):
        response = sdk.audio.speech.create(
            model="gpt-4o-mini-tts",
            voice="coral",
            input="The SDK works too.",
            response_format=fmt,
            instructions="Speak calmly.",
        )
        assert 0.5 < duration(response.content) < 4


def test_openai_sdk_sees_validation_errors(sdk):
    with pytest.raises(openai.BadRequestError) as info:
        sdk.audio.speech.create(model="tts-1", voice="nobody", input="Hi")
    assert info.value.status_code == 400
    assert "Invalid voice" in info.value.message
    assert "request id:" in info.value.message
