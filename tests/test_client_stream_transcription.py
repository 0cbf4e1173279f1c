"""stream_transcription: typed live events over loopback; partial transcripts on a cut.

SSE bodies are the wire samples in ``tests/data/wire`` (see its README: written from the
documented format, not recorded), served by the engine's fault injection.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from comet_audio_nb import (
    APIConnectionError,
    AsyncCometClient,
    BadRequestError,
    CometClient,
    InvalidResponseError,
    RetryPolicy,
    Transcript,
    TranscriptTextDelta,
    TranscriptTextDone,
    TranscriptTextSegment,
)

TRANSCRIBE = "/v1/audio/transcriptions"
WIRE = Path(__file__).parent / "data" / "wire"
FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02)
SSE = "text/event-stream"


@pytest.fixture
def records():
    return []


@pytest.fixture
def client(engine, records):
    with CometClient(base_url=engine.base_url, retry=FAST, on_call=records.append) as c:
        yield c


def serve(engine, name: str, **options) -> None:
    engine.inject(TRANSCRIBE, 200, body=(WIRE / name).read_text(), content_type=SSE, **options)


def test_whisper_ignores_stream_and_comes_as_one_done_event(client, speech_wav, speech_text):
    with client.stream_transcription(speech_wav) as stream:
        events = list(stream)
    (done,) = events
    assert isinstance(done, TranscriptTextDone) and done.type == "transcript.text.done"
    assert done.transcript is stream.transcript and not stream.streamed
    assert stream.transcript.text.strip() == speech_text
    assert stream.transcript.model == "whisper-1"


def test_delta_events_build_the_transcript_with_usage_and_logprobs(client, engine, records):
    serve(engine, "stream_mini_logprobs.sse")
    stream = client.stream_transcription(
        b"RIFF0000WAVEfmt " + bytes(64), model="gpt-4o-mini-transcribe", include=["logprobs"]
    )
    texts = []
    with stream:
        for event in stream:
            texts.append(stream.text)
            if event.type == "transcript.text.delta":
                assert isinstance(event, TranscriptTextDelta) and event.delta
    assert texts == ["The", "The quick", "The quick brown", "The quick brown fox."] + [
        "The quick brown fox."
    ]
    transcript = stream.transcript
    assert isinstance(transcript, Transcript) and stream.streamed
    assert transcript.text == "The quick brown fox." and transcript.request_id
    assert transcript.usage["type"] == "tokens" and transcript.usage["total_tokens"] == 37
    assert transcript.logprobs["token"].tolist() == ["The", " quick", " brown", " fox", "."]
    assert records[-1].usage == transcript.usage and records[-1].streamed


def test_diarized_stream_yields_segments_with_speakers(client, engine):
    serve(engine, "stream_diarize.sse")
    with client.stream_transcription(
        b"RIFF0000WAVEfmt " + bytes(64), model="gpt-4o-transcribe-diarize"
    ) as stream:
        segments = [e for e in stream if e.type == "transcript.text.segment"]
    assert all(isinstance(s, TranscriptTextSegment) for s in segments)
    assert [(s.id, s.speaker, s.start, s.end) for s in segments] == [
        ("seg_0", "A", 0.0, 3.1),
        ("seg_1", "B", 3.4, 6.4),
        ("seg_2", "A", 6.9, 9.9),
    ]
    transcript = stream.transcript
    assert transcript.response_format == "diarized_json"
    assert transcript.speakers["speaker"].tolist() == ["A", "B"]
    assert transcript.speakers["turns"].tolist() == [2, 1]


def test_events_named_on_an_event_line_are_read_too(client, engine):
    body = (
        'event: transcript.text.delta\ndata: {"delta": "Hi"}\n\n'
        ": a keep-alive comment\n\n"
        'event: transcript.text.done\ndata: {"text": "Hi."}\n\n'
    )
    engine.inject(TRANSCRIBE, 200, body=body, content_type=SSE)
    with client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64), model="x") as stream:
        kinds = [event.type for event in stream]
    assert kinds == ["transcript.text.delta", "transcript.text.done"]
    assert stream.transcript.text == "Hi."


def test_a_stream_cut_mid_way_raises_with_the_partial_transcript(client, engine, records):
    lines = (WIRE / "stream_mini_logprobs.sse").read_text().split("\n\n")
    body = "\n\n".join(lines[:2]) + "\n\n"  # two deltas, then the connection drops
    # A declared length longer than the body: the engine closes the connection mid-body.
    engine.inject(TRANSCRIBE, 200, body=body, content_type=SSE, headers={"content-length": "9999"})
    seen = []
    with pytest.raises(APIConnectionError, match="cut off") as info:
        with client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64), model="m") as stream:
            seen.extend(event.delta for event in stream)
    assert seen == ["The", " quick"] and engine.hits(TRANSCRIBE) == 1
    assert info.value.transcript.text == "The quick"
    assert stream.transcript.text == "The quick" and not stream.complete
    assert not records[-1].ok and records[-1].status == 200


def test_a_stream_ending_without_done_is_a_cut(client, engine):
    body = 'data: {"type": "transcript.text.delta", "delta": "Half"}\n\n'
    engine.inject(TRANSCRIBE, 200, body=body, content_type=SSE)
    with pytest.raises(APIConnectionError, match="transcript.text.done") as info:
        with client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64), model="m") as s:
            list(s)
    assert info.value.transcript.text == "Half"


@pytest.mark.parametrize(
    ("event", "needle"),
    [
        ('data: {"type": "transcript.text.delta", "delta": "x"', "event 2 (transcript.text.delta)"),
        ('data: {"type": "transcript.text.delta"}', "event 2 (transcript.text.delta)"),
        ('data: {"type": "transcript.text.done", "text": 5}', "event 2 (transcript.text.done)"),
        ("data: [1, 2]", "event 2"),
    ],
)
def test_a_malformed_event_is_an_invalid_response_naming_it(client, engine, event, needle):
    body = 'data: {"type": "transcript.text.delta", "delta": "ok"}\n\n' + event + "\n\n"
    engine.inject(TRANSCRIBE, 200, body=body, content_type=SSE)
    with pytest.raises(InvalidResponseError) as info:
        with client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64), model="m") as s:
            list(s)
    assert needle in str(info.value)
    assert info.value.transcript.text == "ok"


def test_unknown_events_are_kept_as_sent(client, engine):
    body = (
        'data: {"type": "transcript.text.future", "x": 1}\n\n'
        'data: {"type": "transcript.text.done", "text": "Done."}\n\n'
    )
    engine.inject(TRANSCRIBE, 200, body=body, content_type=SSE)
    with client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64), model="m") as s:
        first, _ = list(s)
    assert first.type == "transcript.text.future" and first.raw["x"] == 1


def test_retried_before_the_first_event_once_in_the_log(client, engine, records, speech_wav):
    engine.inject(TRANSCRIBE, 502, count=1)
    with client.stream_transcription(speech_wav) as stream:
        list(stream)
    assert engine.hits(TRANSCRIBE) == 2
    (record,) = records
    assert record.ok and record.attempts == 2


def test_the_engine_refuses_diarization_and_the_hint_says_where_it_works(client, speech_wav):
    with pytest.raises(BadRequestError) as info:
        with client.stream_transcription(speech_wav, model="gpt-4o-transcribe-diarize"):
            pass
    assert "gpt-4o-transcribe-diarize" in info.value.hint and "CometAPI" in info.value.hint


def test_async_stream_transcription(engine):
    serve(engine, "stream_mini_logprobs.sse")

    async def go():
        async with AsyncCometClient(base_url=engine.base_url) as client:
            stream = client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64), model="m")
            async with stream:
                deltas = [e.delta async for e in stream if e.type == "transcript.text.delta"]
            return deltas, stream.transcript, await stream.read()

    deltas, transcript, again = asyncio.run(go())
    assert "".join(deltas) == transcript.text == again.text == "The quick brown fox."


def test_async_cut_keeps_the_partial_transcript(engine):
    body = 'data: {"type": "transcript.text.delta", "delta": "Part"}\n\n'
    engine.inject(TRANSCRIBE, 200, body=body, content_type=SSE, headers={"content-length": "999"})

    async def go():
        async with AsyncCometClient(base_url=engine.base_url) as client:
            async with client.stream_transcription(b"RIFF0000WAVEfmt " + bytes(64)) as s:
                async for _ in s:
                    pass

    with pytest.raises(APIConnectionError) as info:
        asyncio.run(go())
    assert info.value.transcript.text == "Part"
