"""Bad input to the client: a clear ValidationError naming the option, nothing sent."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from comet_audio_nb import AsyncCometClient, CometClient, ValidationError
from comet_audio_nb.audio import pcm_to_wav

SPEECH = "/v1/audio/speech"
TRANSCRIBE = "/v1/audio/transcriptions"
CLIP = ("a.wav", pcm_to_wav(b"\x00\x00" * 2400))


@pytest.fixture
def client(engine):
    with CometClient(base_url=engine.base_url, max_retries=0) as c:
        yield c


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Hello\x00 world", "Hello world"),
        ("Tab\tand\nnew line\r\n", "Tab\tand\nnew line\r\n"),
        ("\x07Bell\x1b[0m and escape", "Bell[0m and escape"),
    ],
)
def test_control_characters_are_removed_before_sending(client, engine, text, kept):
    speech = client.speech(text, response_format="pcm")
    assert speech.text == kept and engine.hits(SPEECH) == 1


def test_a_lone_surrogate_is_refused_in_one_line(client, engine):
    with pytest.raises(ValidationError, match=r"lone surrogate \(\\ud800\) at position 3"):
        client.speech("abc\ud800def")
    assert engine.hits(SPEECH) == 0


@pytest.mark.parametrize(
    "options, named",
    [
        ({"speed": "fast"}, "speed"),
        ({"speed": True}, "speed"),
        ({"speed": 9}, "speed"),
        ({"voice": 3}, "voice"),
        ({"model": None}, "model"),
        ({"response_format": ["mp3"]}, "response_format"),
        ({"instructions": 5}, "instructions"),
    ],
)
def test_wrong_speech_options_name_the_option(client, engine, options, named):
    with pytest.raises(ValidationError, match=named):
        client.speech("Hello", **options)
    assert engine.hits(SPEECH) == 0


@pytest.mark.parametrize(
    "options, named",
    [
        ({"temperature": "hot"}, "temperature"),
        ({"temperature": 2}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"language": 7}, "language"),
        ({"prompt": b"bytes"}, "prompt"),
        ({"timestamp_granularities": ["line"]}, "timestamp_granularities"),
        ({"filename": 3}, "filename"),
    ],
)
def test_wrong_transcription_options_name_the_option(client, engine, options, named):
    with pytest.raises(ValidationError, match=named):
        client.transcribe(CLIP, **options)
    assert engine.hits(TRANSCRIBE) == 0


@pytest.mark.parametrize(
    "options, named",
    [
        ({"timeout": -1}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": "10"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"max_upload_bytes": 0}, "max_upload_bytes"),
        ({"retry": 3}, "retry"),
    ],
)
def test_wrong_client_options_name_the_option(engine, options, named):
    with pytest.raises(ValidationError, match=named):
        CometClient(base_url=engine.base_url, **options)


def test_waiting_for_a_free_connection_is_not_a_timeout(engine):
    """150 requests at once on one async client, never retried: all answered."""
    engine.inject(SPEECH, 200, body=b"ID3" + bytes(64), content_type="audio/mpeg",
                  latency=0.05, count=150)  # fmt: skip

    async def run():
        async with AsyncCometClient(base_url=engine.base_url, max_retries=0) as client:
            assert client.timeout.pool is None
            # a small pool, so that most requests wait for a connection
            await client._http.aclose()
            client._http = httpx.AsyncClient(timeout=client.timeout,
                                             limits=httpx.Limits(max_connections=5))  # fmt: skip
            results = await asyncio.gather(
                *(client.speech(f"Line {i}.") for i in range(150)), return_exceptions=True
            )
        return [r for r in results if isinstance(r, BaseException)]

    assert asyncio.run(run()) == [] and engine.hits(SPEECH) == 150
    for timeout in (None, 30.0):
        assert CometClient(base_url=engine.base_url, timeout=timeout).timeout.pool is None
