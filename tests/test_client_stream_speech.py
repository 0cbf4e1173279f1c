"""stream_speech / stream_speech_long: audio handed out as it arrives, over loopback.

The built-in engine answers speech as one audio body (its own streaming comes later);
SSE answers, cut-off bodies and failures before the first byte come from its fault
injection.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading

import pytest

from comet_audio_nb import (
    APIConnectionError,
    AsyncCometClient,
    BadRequestError,
    CometClient,
    InvalidResponseError,
    RetryPolicy,
    ServerError,
    Speech,
    ValidationError,
)

SPEECH = "/v1/audio/speech"
FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02)
USAGE = {"input_tokens": 4, "output_tokens": 30, "total_tokens": 34}


@pytest.fixture
def records():
    return []


@pytest.fixture
def client(engine, records):
    with CometClient(base_url=engine.base_url, retry=FAST, on_call=records.append) as c:
        yield c


def sse_body(audio: bytes, *, field: str = "audio", pieces: int = 4, done: bool = True) -> str:
    """An SSE speech answer: ``audio`` in base64 delta events, then the done event."""
    size = -(-len(audio) // pieces)
    events = [
        {"type": "speech.audio.delta", field: base64.b64encode(audio[i : i + size]).decode()}
        for i in range(0, len(audio), size)
    ]
    if done:
        events.append({"type": "speech.audio.done", "usage": USAGE})
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events)


PCM = bytes(range(256)) * 40  # 10,240 bytes: 5,120 samples


def test_stream_speech_hands_out_the_audio_and_then_the_whole_speech(client, records):
    with client.stream_speech("Streaming is fun.", voice="nova", response_format="wav") as stream:
        chunks = list(stream)
    speech = stream.speech
    assert isinstance(speech, Speech) and stream.complete
    assert b"".join(chunks) == speech.data and speech.data[:4] == b"RIFF"
    assert speech.voice == "nova" and speech.text == "Streaming is fun." and speech.request_id
    assert 0.5 < speech.duration < 5
    (record,) = records
    assert record.ok and record.streamed and record.attempts == 1 and record.status == 200


def test_pcm_chunks_hold_whole_samples(client):
    with client.stream_speech("Hello there.", response_format="pcm") as stream:
        assert all(len(chunk) % 2 == 0 for chunk in stream)
    assert len(stream.speech.data) % 2 == 0


def test_sse_events_are_decoded_and_done_brings_usage(client, engine, records):
    engine.inject(SPEECH, 200, body=sse_body(PCM), content_type="text/event-stream")
    with client.stream_speech(
        "Hi", model="gpt-4o-mini-tts", response_format="pcm", stream_format="sse"
    ) as stream:
        chunks = list(stream)
    assert len(chunks) == 4 and b"".join(chunks) == PCM
    assert stream.speech.usage == USAGE and stream.speech.content_type == "audio/pcm"
    assert records[-1].usage == USAGE and records[-1].streamed


def test_the_chunk_may_come_in_a_delta_field(client, engine):
    body = sse_body(PCM, field="delta") + "data: [DONE]\n\n"
    engine.inject(SPEECH, 200, body=body, content_type="text/event-stream; charset=utf-8")
    with client.stream_speech("Hi", response_format="pcm", stream_format="sse") as stream:
        assert b"".join(stream) == PCM


def test_plain_audio_where_sse_was_asked_still_works(client, engine):
    # a server that ignores stream_format=sse and answers the audio itself
    mp3 = client.speech("Plain audio.", response_format="mp3").data
    engine.inject(SPEECH, 200, body=mp3, content_type="audio/mpeg")
    with client.stream_speech("Plain audio.", model="gpt-4o-mini-tts", response_format="mp3",
                              stream_format="sse") as s:  # fmt: skip
        data = b"".join(s)
    assert data == s.speech.data == mp3 and s.speech.format == "mp3"


def test_sse_from_the_engine_is_decoded_as_it_arrives(client):
    with client.stream_speech("Two sentences. Streamed as events.", model="gpt-4o-mini-tts",
                              response_format="pcm", stream_format="sse") as s:  # fmt: skip
        chunks = list(s)
    assert len(chunks) >= 2 and b"".join(chunks) == s.speech.data
    assert s.speech.usage and s.speech.usage["input_tokens"] > 0


def test_sse_with_tts_1_is_refused_with_a_hint(client):
    with pytest.raises(BadRequestError) as caught:
        with client.stream_speech("Hi", model="tts-1", stream_format="sse") as s:
            b"".join(s)
    assert "gpt-4o-mini-tts" in str(caught.value)


def test_speech_answered_as_sse_without_streaming_is_decoded(client, engine):
    engine.inject(SPEECH, 200, body=sse_body(PCM), content_type="text/event-stream")
    speech = client.speech("Hi", response_format="pcm", extra_body={"stream_format": "sse"})
    assert speech.data == PCM and speech.usage == USAGE


def test_a_cut_off_stream_raises_and_keeps_what_arrived_without_a_retry(client, engine, records):
    engine.inject(SPEECH, 200, truncate=True)
    received = []
    with pytest.raises(APIConnectionError, match="cut off") as info:
        with client.stream_speech("This answer is cut in half.", response_format="wav") as s:
            received.extend(s)
    assert engine.hits(SPEECH) == 1  # data had reached the caller: never sent again
    partial = info.value.speech
    assert partial.data == b"".join(received) and len(partial.data) > 0
    assert s.speech.data == partial.data and not s.complete
    assert "error.speech" in str(info.value)
    (record,) = records
    assert not record.ok and record.status == 200 and "cut off" in record.error


def test_sse_ending_before_done_is_a_cut(client, engine):
    engine.inject(SPEECH, 200, body=sse_body(PCM, done=False), content_type="text/event-stream")
    with pytest.raises(APIConnectionError, match="speech.audio.done") as info:
        with client.stream_speech("Hi", response_format="pcm", stream_format="sse") as s:
            list(s)
    assert info.value.speech.data == PCM


@pytest.mark.parametrize(
    ("event", "needle"),
    [
        ('data: {"type": "speech.audio.delta", "audio": "###"}', "event 2 (speech.audio.delta)"),
        ('data: {"type": "speech.audio.delta", "audio": 7}', "event 2 (speech.audio.delta)"),
        ('data: {"type": "speech.audio.delta", "audio": "AAA', "event 2 (speech.audio.delta)"),
    ],
)
def test_a_malformed_event_is_an_invalid_response_naming_it(client, engine, event, needle):
    body = sse_body(PCM, pieces=1, done=False) + event + "\n\n"
    engine.inject(SPEECH, 200, body=body, content_type="text/event-stream")
    with pytest.raises(InvalidResponseError) as info:
        with client.stream_speech("Hi", response_format="pcm", stream_format="sse") as s:
            list(s)
    assert needle in str(info.value)
    assert info.value.speech.data == PCM  # what came before it is kept


def test_an_error_event_raises_the_service_message_without_the_key(engine):
    key = "sk-streamtest0123456789abcdef"
    body = f'data: {{"type": "error", "error": {{"message": "bad key {key}"}}}}\n\n'
    engine.inject(SPEECH, 200, body=body, content_type="text/event-stream")
    with CometClient(key, base_url=engine.base_url, retry=FAST) as client:
        stream = client.stream_speech("Hi", stream_format="sse")
        with pytest.raises(InvalidResponseError, match="bad key") as info:
            with stream:
                list(stream)
        assert key not in str(info.value) and key not in repr(stream) and key not in repr(client)


def test_failures_before_the_first_byte_are_retried_by_the_one_loop(client, engine, records):
    engine.inject(SPEECH, 503, count=2)
    with client.stream_speech("Retried before any audio.", response_format="mp3") as s:
        assert b"".join(s)
    assert engine.hits(SPEECH) == 3
    (record,) = records  # one record per streamed request, retries included
    assert record.ok and record.attempts == 3


def test_an_error_status_is_raised_on_entering(client, engine):
    engine.inject(SPEECH, 500, count=9)
    with pytest.raises(ServerError):
        with client.stream_speech("Hello"):
            pass
    assert engine.hits(SPEECH) == 3


def test_leaving_early_closes_the_connection_and_logs_a_stop(client, records):
    stream = client.stream_speech("A sentence long enough to come in several chunks.")
    with stream:
        next(iter(stream))
    assert stream._reply.response.is_closed and not stream.complete
    assert not records[-1].ok and "closed by the caller before the end" in records[-1].error


def test_an_interrupt_stops_the_stream_and_closes_the_connection(client, records):
    stream = client.stream_speech("Interrupted while it plays.", response_format="pcm")
    with pytest.raises(KeyboardInterrupt):
        with stream:
            for _chunk in stream:
                raise KeyboardInterrupt
    assert stream._reply.response.is_closed
    assert not records[-1].ok and "before the end" in records[-1].error


def test_iterating_without_with_sends_on_first_chunk_and_closes_at_the_end(client, engine):
    stream = client.stream_speech("No with block.")
    assert engine.hits(SPEECH) == 0  # nothing is sent before it is used
    data = b"".join(stream)
    assert data == stream.speech.data and stream._reply.response.is_closed


def test_reading_speech_reads_the_rest(client):
    with client.stream_speech("Read it all for me.") as stream:
        speech = stream.speech  # the loop never ran
    assert speech.data and stream.complete


def test_bad_options_are_caught_before_sending(client, engine):
    with pytest.raises(ValidationError, match="stream_format"):
        client.stream_speech("Hi", stream_format="websocket")
    assert engine.hits(SPEECH) == 0


# -- async ------------------------------------------------------------------------------
class CountingGate:
    """An AttemptGate that tells when slots are taken and given back."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def enter(self):
        self.events.append("enter")
        return len(self.events)

    def leave(self, token, outcome):
        self.events.append("leave")


def test_async_stream_speech_holds_its_gate_slot_until_the_end(engine):
    gate = CountingGate()

    async def go():
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST, gate=gate) as client:
            async with client.stream_speech("Async streaming.", response_format="pcm") as s:
                got = b""
                async for chunk in s:
                    assert gate.events == ["enter"]  # still held while chunks come
                    got += chunk
            return got, s.speech, await s.read()

    data, speech, again = asyncio.run(go())
    assert data == speech.data == again.data and gate.events == ["enter", "leave"]


def test_async_cut_off_keeps_what_arrived(engine):
    engine.inject(SPEECH, 200, truncate=True)

    async def go():
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            async with client.stream_speech("Cut in half, asynchronously.") as s:
                async for _ in s:
                    pass

    with pytest.raises(APIConnectionError) as info:
        asyncio.run(go())
    assert info.value.speech.data and engine.hits(SPEECH) == 1


def test_async_sse(engine):
    engine.inject(SPEECH, 200, body=sse_body(PCM), content_type="text/event-stream")

    async def go():
        async with AsyncCometClient(base_url=engine.base_url) as client:
            stream = client.stream_speech("Hi", response_format="pcm", stream_format="sse")
            async with stream:
                return [chunk async for chunk in stream], stream.speech

    chunks, speech = asyncio.run(go())
    assert b"".join(chunks) == PCM and speech.usage == USAGE


# -- long text -----------------------------------------------------------------------------
LONG = (
    "The first part is spoken while the rest is made. It is a little longer than one part. "
    "The second part follows right after the first, and then the stream is over."
)


def test_stream_speech_long_plays_parts_in_order_and_joins_them_once(client, engine, records):
    with client.stream_speech_long(LONG, max_chars=100, response_format="pcm") as stream:
        pcm = b"".join(stream)
    assert len(stream.parts) == 2 and engine.hits(SPEECH) == 2
    assert stream.speech.data == pcm and stream.speech.text == LONG
    assert [r.streamed for r in records] == [True, True]


def test_stream_speech_long_encodes_the_whole_in_the_format_asked(client):
    with client.stream_speech_long(LONG, max_chars=100, response_format="mp3") as stream:
        pcm = b"".join(stream)
    speech = stream.speech
    assert speech.format == "mp3" and (speech.data[:3] == b"ID3" or speech.data[0] == 0xFF)
    assert speech.duration == pytest.approx(len(pcm) / 2 / 24_000, abs=0.2)


def test_stream_speech_long_stops_every_part_when_left_early(client):
    with client.stream_speech_long(LONG, max_chars=60) as stream:
        next(iter(stream))
    assert not any(t.name == "comet-audio-stream" for t in threading.enumerate())
    with pytest.raises(RuntimeError, match="not finished"):
        stream.speech  # noqa: B018


def test_async_stream_speech_long(engine):
    async def go():
        async with AsyncCometClient(base_url=engine.base_url) as client:
            async with client.stream_speech_long(LONG, max_chars=100, response_format="wav") as s:
                pcm = b"".join([chunk async for chunk in s])
            return pcm, s.speech

    pcm, speech = asyncio.run(go())
    assert speech.format == "wav" and speech.data[44:] == pcm


def test_stream_speech_long_checks_its_options_before_sending(client, engine):
    with pytest.raises(ValidationError, match="speed"):
        client.stream_speech_long(LONG, speed=9)
    with pytest.raises(TypeError, match="vioce"):
        client.stream_speech_long(LONG, vioce="nova")
    with pytest.raises(ValidationError, match="no text"):
        client.stream_speech_long("   ")
    assert engine.hits(SPEECH) == 0
