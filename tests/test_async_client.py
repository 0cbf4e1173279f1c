"""AsyncCometClient: the same requests and errors as the blocking client, awaited."""

from __future__ import annotations

import asyncio

import pytest

from comet_audio_nb import AsyncCometClient, BadRequestError, RetryPolicy, ServerError

FAST = RetryPolicy(initial_delay=0.01, max_delay=0.02)


def run(coro):
    return asyncio.run(coro)


def test_concurrent_speech_then_transcription(engine):
    texts = ["Good morning.", "Good evening.", "Good night."]

    async def go():
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            spoken = (client.speech(t, response_format="wav") for t in texts)
            speeches = await asyncio.gather(*spoken)
            return await asyncio.gather(*(client.transcribe(s) for s in speeches))

    transcripts = run(go())
    assert [t.text.strip().lower().rstrip(".") for t in transcripts] == [
        t.lower().rstrip(".") for t in texts
    ]
    assert engine.hits("/v1/audio/speech") == 3


def test_async_retries_then_succeeds(engine):
    engine.inject("/v1/audio/speech", 503, count=2)

    async def go():
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            return await client.speech("Hello")

    assert run(go()).data
    assert engine.hits("/v1/audio/speech") == 3


def test_async_errors_match_sync(engine):
    engine.inject("/v1/audio/speech", 500, count=9)

    async def go(voice):
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            return await client.speech("Hello", voice=voice)

    with pytest.raises(ServerError):
        run(go("alloy"))
    engine.reset()
    with pytest.raises(BadRequestError):
        run(go("nobody"))


def test_async_translate_and_granularities(engine):
    async def go():
        async with AsyncCometClient(base_url=engine.base_url) as client:
            speech = await client.speech("Thank you very much.", response_format="flac")
            words = await client.transcribe(speech, timestamp_granularities="word")
            english = await client.translate(speech)
            return words, english

    words, english = run(go())
    assert len(words.word_records) == 4
    assert english.task == "translate" and "thank you" in english.text.lower()
