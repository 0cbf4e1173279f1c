"""POST /v1/audio/speech streamed: chunked audio a sentence at a time, SSE, and the slots."""

from __future__ import annotations

import base64
import io
import json
import socket
import time

import httpx
import numpy as np
import pytest
from engine_helpers import assert_api_error, decode
from httpx_sse import connect_sse

from comet_audio_nb.audio.wav import wav_duration
from comet_audio_nb.local import LocalEngine

THREE = "A first short sentence. Then a second one follows. And a third ends it."
SEED = 20_240_601
SPEECH_RATE = 24_000


def speech_body(**fields) -> dict:
    return {"model": "tts-1", "input": THREE, "voice": "alloy", **fields}


def chunks_of(api: httpx.Client, **fields) -> tuple[httpx.Response, list[bytes]]:
    """The response and its body as the pieces that arrived (in order)."""
    with api.stream("POST", "/audio/speech", json=speech_body(**fields)) as response:
        return response, list(response.iter_raw())


@pytest.fixture
def seeded():
    from comet_audio_nb.local import tts

    yield lambda: tts.set_seed(SEED)
    tts.set_seed(None)


@pytest.mark.parametrize("fmt", ["pcm", "wav", "mp3", "opus"])
def test_streamable_formats_come_chunked_and_join_into_one_valid_file(api, fmt):
    response, pieces = chunks_of(api, response_format=fmt)
    assert response.status_code == 200
    assert response.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.headers
    body = b"".join(pieces)
    if fmt == "pcm":
        assert len(body) % 2 == 0 and not body.startswith(b"RIFF")
        seconds = len(body) / 2 / SPEECH_RATE
    else:
        samples, rate, _ = decode(body)
        seconds = samples.size / rate
    assert 3.0 < seconds < 9.0  # three sentences, all there


def test_streamed_wav_has_placeholder_sizes_that_readers_accept(api):
    _, pieces = chunks_of(api, response_format="wav")
    body = b"".join(pieces)
    assert body[:4] == b"RIFF" and body[8:16] == b"WAVEfmt "
    assert body[4:8] == body[40:44] == b"\xff\xff\xff\xff"  # sizes unknown when sent
    assert wav_duration(body) == pytest.approx((len(body) - 44) / 2 / SPEECH_RATE)
    samples, rate, _ = decode(body)
    assert samples.size == (len(body) - 44) // 2 and rate == SPEECH_RATE


@pytest.mark.parametrize("fmt", ["flac", "aac"])
def test_formats_encoded_whole_are_sent_whole(api, fmt):
    response, pieces = chunks_of(api, response_format=fmt)
    body = b"".join(pieces)
    assert response.headers["content-length"] == str(len(body))
    assert "transfer-encoding" not in response.headers
    samples, rate, _ = decode(body)
    assert 3.0 < samples.size / rate < 9.0


def test_streaming_speaks_exactly_what_the_whole_file_holds(api, seeded):
    """Same seed, same speech: the streamed pcm is the lossless flac's samples, to the last."""
    seeded()
    streamed = b"".join(chunks_of(api, response_format="pcm")[1])
    seeded()
    whole = api.post("/audio/speech", json=speech_body(response_format="flac")).content
    import av

    with av.open(io.BytesIO(whole)) as container:
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    assert np.array_equal(np.frombuffer(streamed, "<i2"), np.concatenate(frames))


def test_the_first_audio_comes_long_before_the_last(engine):
    """Six sentences: the first arrives after about a sixth of the time the whole takes (a
    body sent whole would have them within a millisecond of each other)."""
    text = " ".join(f"This is sentence number {n}, spoken on its own." for n in range(6))
    with httpx.Client(base_url=engine.base_url, timeout=60) as client:
        started = time.perf_counter()
        with client.stream("POST", "/audio/speech", json=speech_body(input=text)) as response:
            arrivals = [time.perf_counter() - started for _ in response.iter_raw()]
    assert len(arrivals) >= 2
    assert arrivals[0] < 0.5 * arrivals[-1], arrivals


def test_sse_sends_base64_deltas_then_done_with_usage(api):
    body = speech_body(model="gpt-4o-mini-tts", response_format="pcm", stream_format="sse")
    with connect_sse(api, "POST", "/audio/speech", json=body) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(event.data) for event in source.iter_sse()]
    *deltas, done = events
    assert len(deltas) >= 3 and {e["type"] for e in deltas} == {"speech.audio.delta"}
    assert all(set(e) == {"type", "audio"} for e in deltas)
    pcm = b"".join(base64.b64decode(e["audio"]) for e in deltas)
    assert len(pcm) % 2 == 0 and 3.0 < len(pcm) / 2 / SPEECH_RATE < 9.0
    assert done["type"] == "speech.audio.done"
    usage = done["usage"]
    assert set(usage) == {"input_tokens", "output_tokens", "total_tokens"}
    assert usage["input_tokens"] == -(-len(THREE) // 4)
    assert usage["output_tokens"] == pytest.approx(len(pcm) / 2 / SPEECH_RATE * 20, abs=1)
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_sse_of_a_whole_format_is_one_delta_holding_the_file(api):
    body = speech_body(model="gpt-4o-mini-tts", response_format="flac", stream_format="sse")
    with connect_sse(api, "POST", "/audio/speech", json=body) as source:
        events = [json.loads(event.data) for event in source.iter_sse()]
    assert [e["type"] for e in events] == ["speech.audio.delta", "speech.audio.done"]
    flac = base64.b64decode(events[0]["audio"])
    assert flac[:4] == b"fLaC" and decode(flac)[2] == "flac"


@pytest.mark.parametrize("model", ["tts-1", "tts-1-hd"])
def test_sse_is_refused_for_tts_1_as_the_service_does(api, model):
    response = api.post("/audio/speech", json=speech_body(model=model, stream_format="sse"))
    error = assert_api_error(response, 400, param="stream_format", code="unsupported_value")
    assert "tts-1" in error["message"] and "gpt-4o-mini-tts" in error["message"]


def test_an_unknown_stream_format_is_a_400(api):
    response = api.post("/audio/speech", json=speech_body(stream_format="websocket"))
    assert_api_error(response, 400, param="stream_format", code="invalid_value")


def test_the_openai_sdk_reads_the_stream_as_it_comes(sdk):
    with sdk.audio.speech.with_streaming_response.create(
        model="gpt-4o-mini-tts", voice="coral", input=THREE, response_format="mp3"
    ) as response:
        pieces = list(response.iter_bytes(4096))
    assert len(pieces) > 1
    assert 3.0 < decode(b"".join(pieces))[0].size / SPEECH_RATE < 9.0


def test_the_openai_sdk_gets_sse_events(sdk):
    response = sdk.audio.speech.create(
        model="gpt-4o-mini-tts", voice="nova", input="Hello.", stream_format="sse"
    )
    lines = [line for line in response.text.splitlines() if line]
    events = [json.loads(line.removeprefix("data: ")) for line in lines]
    assert all(line.startswith("data: ") for line in lines)
    assert events[-1]["type"] == "speech.audio.done"
    mp3 = b"".join(base64.b64decode(e["audio"]) for e in events[:-1])
    assert decode(mp3)[2].startswith("mp3")


# -- a reader that stops reading --------------------------------------------------------------
# Loopback sockets buffer megabytes, so a stalled reader would take minutes of speech to be
# felt. This engine's connections get a small kernel send buffer (accepted sockets inherit
# the listener's), and the reader a small receive buffer: a few sentences fill them.
SEND_BUFFER = 16_384
TEN = " ".join(f"Here is sentence {n} of ten." for n in range(1, 11))


@pytest.fixture
def tight_engine(engine, monkeypatch):
    """An engine whose connections buffer little (the session engine has loaded the voice)."""
    from comet_audio_nb.local import engine as engine_module

    bind = engine_module.bind_socket

    def bind_tight(host: str, port: int) -> socket.socket:
        sock = bind(host, port)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        return sock

    monkeypatch.setattr(engine_module, "bind_socket", bind_tight)
    with LocalEngine() as tight:
        yield tight


def tight_client(base_url: str) -> httpx.Client:
    # Small, but not so small that TCP crawls once the reader reads again.
    options = [(socket.SOL_SOCKET, socket.SO_RCVBUF, 65_536)]
    transport = httpx.HTTPTransport(socket_options=options)
    return httpx.Client(base_url=base_url, timeout=60, transport=transport)


def test_a_stalled_reader_holds_no_slot_and_others_are_served(tight_engine):
    slots = tight_engine.state.synthesis
    body = speech_body(input=TEN, response_format="pcm")
    with (
        tight_client(tight_engine.base_url) as reader,
        reader.stream("POST", "/audio/speech", json=body) as stalled,
    ):
        pieces = stalled.iter_raw()
        received = len(next(pieces))  # then stop reading
        assert slots.wait_for(lambda s: s["stalled"] == 1, timeout=60), slots
        # Its producer waits on a full queue with sentences still to make ...
        with httpx.Client(base_url=tight_engine.base_url, timeout=30) as other:
            answer = other.post("/audio/speech", json=speech_body(input="Me too."))
        # ... and another request was synthesised meanwhile, in the one slot.
        assert answer.status_code == 200 and decode(answer.content)[0].size > SPEECH_RATE // 2
        assert slots.status()["stalled"] == 1 and slots.size == 1
        received += sum(len(piece) for piece in pieces)  # read on: the rest comes
    assert 10 * 0.8 < received / 2 / SPEECH_RATE < 10 * 3.0
    assert slots.wait_for(lambda s: s["streams"] == 0 and s["busy"] == 0, timeout=30), slots


def test_a_reader_that_goes_away_stops_its_stream(tight_engine):
    slots = tight_engine.state.synthesis
    body = speech_body(input=TEN, response_format="pcm")
    with tight_client(tight_engine.base_url) as reader:
        with reader.stream("POST", "/audio/speech", json=body) as stream:
            pieces = stream.iter_raw()  # kept: dropping it would close the connection now
            next(pieces)
            assert slots.wait_for(lambda s: s["stalled"] == 1, timeout=60), slots
        # Leaving the block closes the connection mid-body.
    assert slots.wait_for(lambda s: s == {**s, "streams": 0, "stalled": 0, "busy": 0}, 30), slots
    with httpx.Client(base_url=tight_engine.base_url, timeout=30) as client:
        assert client.post("/audio/speech", json=speech_body(input="Still here.")).content
