"""transcribe_many: every input gets a row in order, retries, 429 back-off, interrupts, caching.

Most tests answer from the engine with canned transcripts (an injected 200) so that they
measure the batch machinery, not the recognizer; one checks real recognition per input.
"""

from __future__ import annotations

import _thread
import asyncio
import doctest
import gc
import logging

import httpx
import pandas as pd
import pytest

from comet_audio_nb import (
    AsyncCometClient,
    BatchResult,
    CometClient,
    RetryPolicy,
    ValidationError,
    transcribe_many,
)
from comet_audio_nb.jobs import cache as _cache
from comet_audio_nb.jobs import defaults as _defaults
from comet_audio_nb.jobs import dispatch as _dispatch
from comet_audio_nb.jobs import progress as _progress
from comet_audio_nb.jobs import sources as _sources
from comet_audio_nb.jobs.limit import AdaptiveLimit
from comet_audio_nb.local.routes_speech import parse_speech, render_speech

PATH = "/v1/audio/transcriptions"
CANNED = {"text": "canned words", "language": "english", "duration": 1.5, "segments": []}
FAST = RetryPolicy(max_retries=25, initial_delay=0.001, max_delay=0.004, jitter=0.0)
LATENCY = 0.02  # seconds the engine holds each request in the interrupt tests


def wav(seconds: float = 0.2) -> bytes:
    from comet_audio_nb.audio import pcm_to_wav

    return pcm_to_wav(b"\x00\x00" * int(24_000 * seconds))


def clips(count: int) -> list[tuple[str, bytes]]:
    return [(f"clip-{i:03d}.wav", wav()) for i in range(count)]


def client_for(engine, **options) -> CometClient:
    return CometClient(base_url=engine.base_url, retry=options.pop("retry", FAST), **options)


def answer_canned(engine, count: int = 1000) -> None:
    engine.inject(PATH, 200, body=CANNED, count=count)


# -- the acceptance test --------------------------------------------------------


def test_hundred_inputs_with_transient_and_permanent_failures_lose_nothing(engine):
    engine.set_latency(0.01)
    sources: list = clips(100)
    sources[17] = ("notes-017.txt", b"these are not audio bytes")  # refused before sending
    sources[63] = "/no/such/recording-063.wav"  # refused before sending
    # Answered in arrival order: 3 permanent 400s, then 20 transient 503s, then successes.
    engine.inject(PATH, 400, count=3)
    engine.inject(PATH, 503, count=20)
    answer_canned(engine)

    result = transcribe_many(sources, client=client_for(engine), concurrency=8, progress=False)

    df = result.df
    assert list(df.columns) == [
        "source", "status", "text", "language", "duration", "error", "attempts", "elapsed",
    ]  # fmt: skip
    assert len(df) == 100 and len(result.transcripts) == 100
    assert df.source.tolist() == [s if isinstance(s, str) else s[0] for s in sources]
    assert (result.ok, result.failed) == (95, 5)
    assert df.status.value_counts().to_dict() == {"ok": 95, "failed": 5}
    failed = df[df.status == "failed"]
    assert failed.error.str.contains("HTTP 400 bad request").sum() == 3
    assert "cannot tell the audio format" in df.error[17]
    assert "no such audio file" in df.error[63]
    assert (df.attempts[[17, 63]] == 0).all()
    ok = df[df.status == "ok"]
    assert (ok.text == "canned words").all() and (ok.language == "english").all()
    assert ok.error.isna().all() and (ok.duration == 1.5).all()
    # Every transient failure was retried into a success: 98 sent, 20 sent again.
    assert engine.hits(PATH) == 118
    assert ok.attempts.sum() == 95 + 20
    assert 1 <= (ok.attempts > 1).sum() <= 20
    assert [t is None for t in result.transcripts] == (df.status == "failed").tolist()
    assert df.elapsed.notna().all() and df.attempts.dtype == "int64"


def test_each_transcript_belongs_to_its_own_input(engine):
    phrases = ["Good morning everyone.", "The train leaves at noon.", "Please close the window."]
    sources = [
        (f"phrase-{i}.wav", render_speech(parse_speech(
            {"model": "tts-1", "input": text, "voice": "alloy", "response_format": "wav"})))
        for i, text in enumerate(phrases)
    ]  # fmt: skip
    result = transcribe_many(sources, client=client_for(engine), concurrency=3, progress=False)
    assert result.df.status.tolist() == ["ok"] * 3
    texts = [t.lower() for t in result.df.text]
    for keyword, text in zip(["morning", "train", "window"], texts, strict=True):
        assert keyword in text
    assert (result.df.duration > 0.5).all() and (result.df.language == "english").all()


# -- concurrency: bounded, halved on 429, recovered ---------------------------------------


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts requests in flight on the wire; logs ("start", in flight) and ("end", status)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.in_flight = 0
        self.events: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.events.append(("start", self.in_flight))
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
        finally:
            self.in_flight -= 1
        self.events.append(("end", response.status_code))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_429_halves_the_requests_in_flight_then_concurrency_recovers(engine):
    """The counts are exact by the event loop's order, not by the clock: a worker counts
    its answer and starts its next request in one step, so every other worker's request is
    still counted as in flight then, whatever the latency or the machine's load. Measured
    over five runs: 17 of the 24 starts before the 429 at 8, the first 8 after it at start
    39 or 42, then 55 to 57 of the 57 starts from the 40th at 8."""
    engine.set_latency(0.03)
    answer_canned(engine, 16)
    engine.inject(PATH, 429, retry_after=0.05)
    answer_canned(engine)
    wire = CountingTransport()

    async def run() -> BatchResult:
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            client._http = httpx.AsyncClient(transport=wire, timeout=30)
            return await client.transcribe_many(clips(120), concurrency=8, progress=False)

    result = asyncio.run(run())
    assert result.ok == 120 and engine.hits(PATH) == 121
    limited = wire.events.index(("end", 429))
    before = [n for kind, n in wire.events[:limited] if kind == "start"]
    after = [n for kind, n in wire.events[limited:] if kind == "start"]
    assert max(before) == 8  # the ceiling was reached and never passed
    assert max(after[:8]) <= 4  # halved: new requests wait until fewer than 4 are out
    assert max(after[40:]) == 8  # grown back one step per run of successes
    assert max(n for kind, n in wire.events if kind == "start") <= 8


async def _hold(limit: AdaptiveLimit, count: int) -> list[int]:
    return [await limit.acquire() for _ in range(count)]


def test_adaptive_limit_admits_no_more_than_its_limit():
    async def run():
        limit = AdaptiveLimit(3)
        epochs = await _hold(limit, 3)
        waiting = asyncio.ensure_future(limit.acquire())
        await asyncio.sleep(0)
        assert not waiting.done() and limit.in_flight == 3
        limit.release(epochs[0], "ok")
        await asyncio.sleep(0)
        assert waiting.done() and limit.in_flight == 3

    asyncio.run(run())


def test_adaptive_limit_halves_once_per_round_and_grows_back_after_successes():
    async def run():
        limit = AdaptiveLimit(8, grow_after=2)
        epochs = await _hold(limit, 8)
        for epoch in epochs[:5]:  # five 429s from one round of requests: one signal
            limit.release(epoch, "rate_limited")
        assert limit.limit == 4
        for epoch in epochs[5:]:  # successes of the old round do not count
            limit.release(epoch, "ok")
        assert limit.limit == 4
        fresh = await _hold(limit, 4)
        limit.release(fresh[0], "rate_limited")  # a new round's 429 halves again
        assert limit.limit == 2
        for epoch in fresh[1:]:
            limit.release(epoch, "failed")
        for _ in range(6):
            (epoch,) = await _hold(limit, 1)
            limit.release(epoch, "ok")
        assert limit.limit == 5  # +1 per two successes
        for _ in range(40):
            (epoch,) = await _hold(limit, 1)
            limit.release(epoch, "ok")
        assert limit.limit == 8  # never above the concurrency asked for

    asyncio.run(run())


def test_retry_after_pauses_every_new_request():
    async def run():
        limit = AdaptiveLimit(4)
        (epoch,) = await _hold(limit, 1)
        limit.release(epoch, "rate_limited", pause=30.0)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(limit.acquire(), 0.05)
        assert limit.in_flight == 0

    asyncio.run(run())


def test_a_cancelled_waiter_passes_its_turn_on():
    async def run():
        limit = AdaptiveLimit(1)
        (epoch,) = await _hold(limit, 1)
        first = asyncio.ensure_future(limit.acquire())
        second = asyncio.ensure_future(limit.acquire())
        await asyncio.sleep(0)
        limit.release(epoch, "ok")  # wakes `first` ...
        first.cancel()  # ... which is cancelled before it runs
        await asyncio.sleep(0)
        await asyncio.wait_for(second, 1)
        assert limit.in_flight == 1

    asyncio.run(run())


def test_retries_are_the_clients_and_the_table_and_log_count_every_attempt(engine):
    engine.inject(PATH, 503)
    engine.inject(PATH, 429)
    answer_canned(engine)
    calls = []
    result = transcribe_many(
        clips(1), client=client_for(engine, on_call=calls.append), progress=False
    )
    assert result.df["attempts"].tolist() == [3] and result.ok == 1
    # one request, however it was sent: one call-log row with attempts=3
    assert [(c.attempts, c.ok) for c in calls] == [(3, True)]


def test_a_final_failure_counts_its_attempts_and_input_refused_before_sending_none(engine):
    engine.inject(PATH, 503, count=10)
    calls = []
    client = client_for(engine, on_call=calls.append, retry=RetryPolicy(1, initial_delay=0))
    result = transcribe_many([clips(1)[0], ("notes.txt", b"not audio")], client=client,
                             progress=False)  # fmt: skip
    assert result.df["status"].tolist() == ["failed", "failed"]
    assert result.df["attempts"].tolist() == [2, 0]
    assert result.errors[0].attempts == 2 and isinstance(result.errors[1], ValidationError)
    assert [c.attempts for c in calls] == [2]


def test_the_gate_sees_every_attempt_and_halves_the_limit_on_429(engine):
    engine.inject(PATH, 429)
    answer_canned(engine)

    async def run():
        async with _dispatch.dispatcher_for(client_for(engine), concurrency=4) as dispatch:
            tally = _dispatch.Tally()
            await dispatch.call(lambda: dispatch.client.transcribe(clips(1)[0]), tally)
            return tally.attempts, dispatch.limit.limit, dispatch.limit.in_flight

    assert asyncio.run(run()) == (2, 2, 0)


# -- interrupts ---------------------------------------------------------------------------


def test_an_interrupt_stops_new_requests_and_returns_what_finished(engine):
    engine.set_latency(0.02)
    answer_canned(engine)
    client = client_for(engine)
    finished = []

    def interrupt_after_four(record):
        finished.append(record)
        if len(finished) == 5:  # the fifth answer arrives: the user presses stop
            raise KeyboardInterrupt

    client.call_hooks.append(interrupt_after_four)
    result = transcribe_many(clips(20), client=client, concurrency=2, progress=False)

    assert result.interrupted and len(result.df) == 20
    assert result.df.status.value_counts().to_dict() == {"ok": 4, "cancelled": 16}
    assert result.df.source.tolist() == [name for name, _ in clips(20)]
    assert engine.hits(PATH) <= 6  # nothing sent after the interrupt
    assert "cancelled" in repr(result) and "interrupted" in repr(result)
    client.call_hooks.remove(interrupt_after_four)
    rerun = result.retry_failed()
    assert rerun.ok == 20 and not rerun.interrupted
    assert rerun.transcripts[:4] == result.transcripts[:4]  # finished rows are kept


def test_a_real_sigint_returns_a_partial_table(engine):
    """Ctrl-C as the fifth answer arrives. From then on the engine holds every new request
    for 5 s, so that only the interrupt can end the run (no race against the clock): the
    five answered rows are kept, and at most one more, the other worker's, in flight at
    the signal (concurrency 2); every other row is cancelled, none failed. Were the signal
    lost, the run would take minutes and end with more rows ok."""
    engine.set_latency(0.02)
    answer_canned(engine)
    client = client_for(engine)
    finished = []

    def press_ctrl_c(record):
        finished.append(record)
        if len(finished) == 5:
            engine.set_latency(5)
            _thread.interrupt_main()

    client.call_hooks.append(press_ctrl_c)
    result = transcribe_many(clips(30), client=client, concurrency=2, progress=False)
    counts = result.df.status.value_counts().to_dict()
    assert result.interrupted and len(result.df) == 30
    assert 5 <= counts.get("ok", 0) <= 6, counts
    assert counts.get("ok", 0) + counts.get("cancelled", 0) == 30, counts


def test_an_interrupt_inside_a_running_loop_leaves_nothing_running(engine, caplog):
    # A notebook cell runs inside the kernel's event loop, which keeps running afterwards.
    # Answered at once, with concurrency 2, at most 6 requests can ever reach the engine:
    # the five answered and the other worker's; a request sent just before the interrupt
    # may be counted a moment late, so the count is read again after ten latencies, in
    # which a worker left running would send several more.
    engine.set_latency(LATENCY)
    answer_canned(engine)
    client = client_for(engine)
    finished = []

    def interrupt_after_four(record):
        finished.append(record)
        if len(finished) == 5:
            raise KeyboardInterrupt

    client.call_hooks.append(interrupt_after_four)

    async def cell():
        result = transcribe_many(clips(20), client=client, concurrency=2, progress=False)
        sent = engine.hits(PATH)
        await asyncio.sleep(10 * LATENCY)  # the loop runs on, as a kernel's does
        return result, sent, engine.hits(PATH)

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        result, sent, later = asyncio.run(cell())
        gc.collect()
    assert result.interrupted and result.df.status.tolist().count("ok") == 4
    assert sent <= later <= 6  # no request left running in the background
    assert "never retrieved" not in caplog.text  # and no task left holding the interrupt


# -- retrying, caching, progress ----------------------------------------------------------


def test_retry_failed_reruns_only_the_failures(engine):
    engine.inject(PATH, 400, count=2)
    answer_canned(engine)
    first = transcribe_many(clips(6), client=client_for(engine), concurrency=1, progress=False)
    assert first.df.status.tolist() == ["failed", "failed", "ok", "ok", "ok", "ok"]
    assert engine.hits(PATH) == 6

    second = first.retry_failed()
    assert engine.hits(PATH) == 8  # only the two failures ran again
    assert second.df.status.tolist() == ["ok"] * 6 and second.failed == 0
    assert second.transcripts[2:] == first.transcripts[2:]
    assert first.df.status.tolist()[0] == "failed"  # the first result is unchanged


def test_a_rerun_with_a_cache_dir_skips_finished_inputs(engine, tmp_path):
    engine.inject(PATH, 400, count=1)
    answer_canned(engine)
    folder = tmp_path / "done"
    sources = [(f"c{i}.wav", wav(0.1 + i / 100)) for i in range(4)]
    client = client_for(engine)
    first = transcribe_many(sources, client=client, concurrency=1, progress=False, cache_dir=folder)
    assert first.df.status.tolist() == ["failed", "ok", "ok", "ok"]
    assert len(list(folder.glob("*.json"))) == 3

    again = transcribe_many(sources, client=client, concurrency=1, progress=False, cache_dir=folder)
    assert engine.hits(PATH) == 5  # only the input that failed was sent again
    assert again.df.status.tolist() == ["ok", "skipped", "skipped", "skipped"]
    assert again.ok == 4 and (again.df.text == "canned words").all()
    assert again.df.attempts.tolist() == [1, 0, 0, 0]
    # Other options are another job: nothing is skipped.
    other = transcribe_many(sources, client=client, progress=False, cache_dir=folder, language="en")
    assert other.df.status.tolist() == ["ok"] * 4


def test_a_cache_that_cannot_be_written_warns_and_keeps_the_result(engine, tmp_path, monkeypatch):
    answer_canned(engine)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_cache.TranscriptCache, "put", disk_full)
    with pytest.warns(UserWarning, match="could not keep .* No space left"):
        result = transcribe_many(
            clips(2), client=client_for(engine), progress=False, cache_dir=tmp_path
        )
    assert result.ok == 2 and result.transcripts[0].text == "canned words"


def test_the_progress_bar_shows_done_and_failed_counts(engine, capsys):
    answer_canned(engine)
    sources = [*clips(2), ("readme.txt", b"not audio at all")]
    result = transcribe_many(sources, client=client_for(engine), concurrency=2)
    shown = capsys.readouterr().err
    assert result.ok == 2
    assert "3/3" in shown and "ok=2" in shown and "failed=1" in shown


# -- inputs -------------------------------------------------------------------------------


def test_a_glob_a_folder_and_pandas_columns_are_expanded_in_order(engine, tmp_path):
    answer_canned(engine)
    for name in ("b.wav", "a.wav", "c.mp3"):
        (tmp_path / name).write_bytes(wav())
    (tmp_path / "notes.txt").write_text("not audio")
    client = client_for(engine)
    by_glob = transcribe_many(str(tmp_path / "*.wav"), client=client, progress=False)
    assert by_glob.df.source.tolist() == [str(tmp_path / "a.wav"), str(tmp_path / "b.wav")]
    by_folder = transcribe_many(tmp_path, client=client, progress=False)
    assert [s.rsplit("/", 1)[1] for s in by_folder.df.source] == ["a.wav", "b.wav", "c.mp3"]
    assert by_folder.ok == 3  # notes.txt is not audio: not an input at all
    frame = pd.DataFrame({"path": [str(tmp_path / "b.wav"), str(tmp_path / "a.wav")]})
    by_column = transcribe_many(frame["path"], client=client, progress=False)
    assert by_column.df.source.tolist() == frame["path"].tolist()
    by_frame = transcribe_many(frame, client=client, progress=False)
    assert by_frame.ok == 2


def test_sources_of_every_kind_get_readable_labels():
    from comet_audio_nb.results import Speech

    speech = Speech(wav(), format="wav", content_type="audio/wav", text="Hello there")
    labels = [
        s.label for s in _sources.expand_sources(["x.wav", ("named.wav", b"RIFF"), b"RIFF", speech])
    ]
    assert labels == ["x.wav", "named.wav", "[2] 4 bytes", "[3] speech 'Hello there'"]
    assert [s.label for s in _sources.expand_sources(("one.wav", b"RIFF"))] == ["one.wav"]
    series = pd.Series([b"RIFF", b"RIFF"], index=[10, 11], name="audio")
    assert [s.label for s in _sources.expand_sources(series)] == ["audio[10]", "audio[11]"]


def test_inputs_that_cannot_be_a_batch_raise_at_once(tmp_path):
    with pytest.raises(ValidationError, match="no files match"):
        transcribe_many(str(tmp_path / "*.mp3"), progress=False)
    with pytest.raises(ValidationError, match="no audio files"):
        transcribe_many(tmp_path, progress=False)
    with pytest.raises(ValidationError, match="one column"):
        transcribe_many(pd.DataFrame({"a": [1], "b": [2]}), progress=False)
    with pytest.raises(TypeError, match="language"):
        transcribe_many([b"RIFF"], translate=True, language="en", progress=False)
    with pytest.raises(ValidationError, match="concurrency"):
        transcribe_many([b"RIFF"], concurrency=0, progress=False)
    with pytest.raises(ValidationError, match="chunk_seconds"):
        transcribe_many([b"RIFF"], chunk_seconds=1, progress=False)
    with pytest.raises(TypeError, match="filename"):
        transcribe_many([b"RIFF"], filename="x.wav", progress=False)
    assert len(transcribe_many([], progress=False)) == 0


def test_translate_uses_the_translations_endpoint(engine):
    engine.inject("/v1/audio/translations", 200, body=CANNED, count=10)
    result = transcribe_many(clips(3), client=client_for(engine), translate=True, progress=False)
    assert result.ok == 3 and engine.hits("/v1/audio/translations") == 3
    assert engine.hits(PATH) == 0


# -- clients and the session --------------------------------------------------------------


def test_both_clients_have_transcribe_many(engine):
    answer_canned(engine)
    with client_for(engine) as client:
        result = client.transcribe_many(clips(2), progress=False)
    assert isinstance(result, BatchResult) and result.ok == 2

    async def run():
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            return await client.transcribe_many(clips(2), progress=False)

    assert asyncio.run(run()).ok == 2


def test_no_client_takes_the_registered_client_and_concurrency(engine, monkeypatch):
    answer_canned(engine)
    calls = []
    monkeypatch.setattr(
        _defaults.job_defaults, "client",
        lambda: CometClient(base_url=engine.base_url, on_call=calls.append),
    )  # fmt: skip
    monkeypatch.setattr(_defaults.job_defaults, "concurrency", 3)

    async def ceiling():
        async with _dispatch.dispatcher_for(None, concurrency=None) as dispatch:
            return dispatch.limit.ceiling

    assert asyncio.run(ceiling()) == 3
    result = transcribe_many(clips(3), progress=False)
    assert result.ok == 3 and len(calls) == 3  # the registered client's log saw every request


def test_no_client_and_nothing_registered_uses_the_environment(engine, monkeypatch):
    answer_canned(engine)
    monkeypatch.setattr(_defaults.job_defaults, "client", None)
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    assert transcribe_many(clips(2), progress=False).ok == 2


def test_the_notebook_session_registers_its_client_and_pushes_its_concurrency(monkeypatch):
    from comet_audio_nb.notebook import session

    session.reset()
    try:
        session.get_defaults().concurrency = 5
        assert _defaults.job_defaults.concurrency == 5
        assert _defaults.job_defaults.client is session.get_client
    finally:
        session.reset()
    assert _defaults.job_defaults.concurrency == 4


def test_the_result_summarises_itself(engine):
    engine.inject(PATH, 400)
    answer_canned(engine)
    result = transcribe_many(clips(3), client=client_for(engine), concurrency=1, progress=False)
    assert repr(result).startswith("BatchResult(3 inputs: 2 ok, 1 failed; ")
    page = result._repr_html_()
    assert "<table" in page and "2 ok, 1 failed" in page
    assert result.counts() == {"ok": 2, "failed": 1, "skipped": 0, "cancelled": 0}


def test_module_examples_run(scratch_tempdir):
    for module in (_dispatch, _progress, _sources, _cache, _defaults):
        failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, module.__name__
    assert any(scratch_tempdir.iterdir())  # _cache's example made its folder in here
