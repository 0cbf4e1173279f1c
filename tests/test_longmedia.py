"""Long media: cutting audio at pauses, joining transcripts without seams, long text spoken whole.

The long recordings here are mostly quiet noise with engine-spoken phrases at known
offsets, written with numpy: the cutting, skipping and time shifting run for real while
recognition stays cheap.
"""

from __future__ import annotations

import asyncio
import doctest
import gc
import io
import logging
import re
import wave
from functools import cache
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comet_audio_nb import (
    AsyncCometClient,
    BadRequestError,
    CometClient,
    RetryPolicy,
    Transcript,
    ValidationError,
    transcribe_many,
)
from comet_audio_nb.audio import pcm_to_wav
from comet_audio_nb.audio.codecs import join_encoded
from comet_audio_nb.constants import MAX_UPLOAD_BYTES
from comet_audio_nb.jobs import long_audio, long_text
from comet_audio_nb.jobs import split_audio as splitting
from comet_audio_nb.jobs.join_transcripts import join_transcripts
from comet_audio_nb.jobs.split_audio import FRAME, GAP, Chunk, plan_chunks
from comet_audio_nb.jobs.split_text import split_text
from comet_audio_nb.local.routes_speech import parse_speech, render_speech

TRANSCRIBE = "/v1/audio/transcriptions"
SPEECH = "/v1/audio/speech"
RATE = 24_000
FAST = RetryPolicy(max_retries=3, initial_delay=0.001, max_delay=0.004, jitter=0.0)


def client_for(engine, **options) -> CometClient:
    return CometClient(base_url=engine.base_url, retry=FAST, **options)


@cache
def spoken(text: str, response_format: str = "pcm") -> bytes:
    """The engine's voice saying ``text``, rendered in-process (no request counted)."""
    body = {"model": "tts-1", "input": text, "voice": "alloy", "response_format": response_format}
    return render_speech(parse_speech(body))


def samples(text: str) -> np.ndarray:
    return np.frombuffer(spoken(text), "<i2").astype(np.float32) / 32768


def write_recording(
    path: Path,
    seconds: float,
    phrases: dict[float, str],
    *,
    noise: float = 0.001,
    beds: tuple[tuple[float, float], ...] = (),
) -> Path:
    """A 24 kHz mono WAV: quiet noise (~-60 dBFS), ``phrases`` spoken at their offsets, and
    louder noise (~-30 dBFS) over each ``beds`` span, written a minute at a time."""
    rng = np.random.default_rng(7)
    spans = {offset: samples(text) for offset, text in phrases.items()}
    total = int(seconds * RATE)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        for start in range(0, total, RATE * 60):
            end = min(total, start + RATE * 60)
            block = (rng.standard_normal(end - start) * noise).astype(np.float32)
            for first, last in beds:
                low, high = max(int(first * RATE), start), min(int(last * RATE), end)
                if low < high:
                    block[low - start : high - start] += rng.standard_normal(high - low) * 0.03
            for offset, audio in spans.items():
                at = int(offset * RATE)
                low, high = max(at, start), min(at + audio.size, end)
                if low < high:
                    block[low - start : high - start] += audio[low - at : high - at]
            out.writeframes((np.clip(block, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def words_of(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


def decoded_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        count = sum(frame.samples for frame in container.decode(stream))
        return count / stream.codec_context.sample_rate


# -- the acceptance test --------------------------------------------------------

MEETING = {
    3.0: "Good morning and welcome to the meeting.",
    600.0: "First item is the budget for next year.",  # three phrases close together:
    606.0: "Second item covers hiring plans.",  # one stretch, cut at its pauses
    612.0: "Third item is the office move.",
    900.0: "Our sales grew strongly in the north.",  # over a noise bed: no pauses,
    903.0: "Prices stayed low in the south.",  # so fixed windows that overlap
    906.0: "The team finished the project on time.",
    909.0: "Customers praised the faster delivery.",
    912.0: "We will review the results next month.",
    1200.0: "Please remember to submit your reports.",
    1845.0: "Thank you all, see you next week.",  # then 12 s of silence: not sent
}


@pytest.mark.slow
def test_a_half_hour_recording_over_the_upload_limit_is_transcribed_end_to_end(engine, tmp_path):
    path = write_recording(tmp_path / "meeting.wav", 1860.0, MEETING, beds=((899.0, 916.0),))
    assert path.stat().st_size > MAX_UPLOAD_BYTES  # 89 MB: one request cannot take it

    transcript = client_for(engine).transcribe_long(path, chunk_seconds=10, progress=False)

    chunks = transcript.raw["chunks"]
    assert engine.hits(TRANSCRIBE) == len(chunks) >= 6
    assert any(c["overlaps_previous"] for c in chunks)  # fixed windows in the noisy stretch
    assert any(len(c["pieces"]) > 1 for c in chunks)  # pieces across a skipped silence
    sent = sum(end - start for c in chunks for start, end in c["pieces"])
    assert sent < 120  # the silences (29 of 31 minutes) were not sent
    assert transcript.duration == pytest.approx(1860.0, abs=0.05)
    assert transcript.language == "english" and transcript.response_format == "verbose_json"

    words = transcript.word_records
    segments = transcript.segment_records
    for records in (words, segments):
        starts = [r["start"] for r in records]
        assert starts == sorted(starts)
        assert all(0 <= r["start"] <= r["end"] <= transcript.duration for r in records)
    assert [s["id"] for s in segments] == list(range(len(segments)))
    # Every phrase is heard once, where it was said, on the original timeline.
    for offset, phrase in MEETING.items():
        heard = [w["word"].lower() for w in words if offset - 1.0 <= w["start"] <= offset + 3.5]
        expected = words_of(phrase)
        found = sum(word in heard for word in expected)
        assert found >= 0.6 * len(expected), (offset, phrase, heard)
    assert words[0]["start"] == pytest.approx(3.0, abs=1.0)
    assert words[-1]["start"] > 1844  # the last words, 31 minutes in
    # No word twice at a seam: the same word never starts again within 0.6 s.
    for a, b in zip(words, words[1:], strict=False):
        assert not (a["word"].lower() == b["word"].lower() and b["start"] - a["start"] < 0.6)
    counts = [words_of(transcript.text).count(w) for w in ("project", "delivery", "north",
              "south", "hiring", "budget", "reports", "welcome")]  # fmt: skip
    assert max(counts) == 1 and counts.count(1) >= 6, (chunks, segments)  # never twice
    assert "00:15:0" in transcript.to_srt()  # the noisy stretch, at 15 minutes


# -- transcribe_long and batches --------------------------------------------------------


def test_audio_that_fits_goes_in_one_request_with_timestamps(engine, speech_wav_path):
    transcript = client_for(engine).transcribe_long(speech_wav_path, progress=False)
    assert engine.hits(TRANSCRIBE) == 1
    assert "fox" in transcript.text.lower()
    assert transcript.word_records and transcript.segment_records
    assert transcript.response_format == "verbose_json"


def test_a_batch_splits_an_input_over_the_upload_limit(engine, tmp_path, speech_wav_path):
    phrases = {0.5: "Good morning everyone.", 4.0: "Please submit your reports.", 8.0: "See you."}
    path = write_recording(tmp_path / "walk.wav", 11.0, phrases)
    client = client_for(engine, max_upload_bytes=200_000)  # chunks of at most 5.6 s
    result = transcribe_many([path, speech_wav_path], client=client, concurrency=3, progress=False)
    assert result.df.status.tolist() == ["ok", "ok"]
    long_row = result.df.iloc[0]
    assert long_row.attempts == engine.hits(TRANSCRIBE) - 1 >= 2
    heard = " ".join(words_of(long_row.text))
    assert "morning" in heard and "reports" in heard and "see you" in heard
    assert long_row.duration == pytest.approx(11.0, abs=0.05)
    joined = result.transcripts[0]
    second_chunk = joined.raw["chunks"][1]["pieces"][0][0]
    assert joined.segment_records[-1]["start"] >= second_chunk > 4  # on the original timeline
    assert joined.word_records[-1]["end"] > 8  # "See you" at 8 s


def test_models_without_timestamps_are_joined_by_text(engine, tmp_path):
    phrases = {0.5: "Good morning everyone.", 7.0: "Please submit your reports."}
    path = write_recording(tmp_path / "fruit.wav", 10.0, phrases)
    transcript = client_for(engine).transcribe_long(
        path, model="gpt-4o-transcribe", chunk_seconds=6, progress=False
    )  # the engine answers 400 to this model if asked for verbose_json
    assert engine.hits(TRANSCRIBE) == 2
    assert transcript.response_format == "json" and not transcript.segment_records
    heard = " ".join(words_of(transcript.text))
    assert "morning" in heard and "reports" in heard


def tone_bursts(path: Path, count: int, *, spacing: float = 12.0) -> Path:
    """1 s tones ``spacing`` seconds apart: each becomes a chunk of its own."""
    time = np.arange(int(16_000 * count * spacing)) / 16_000
    signal = np.where((time % spacing) < 1.0, 0.3 * np.sin(2 * np.pi * 440 * time), 0.0)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((signal * 32767).astype("<i2").tobytes())
    return path


def test_a_chunk_that_fails_fails_its_input_and_stops_the_others(engine, tmp_path):
    path = tone_bursts(tmp_path / "tones.wav", 10)
    engine.inject(TRANSCRIBE, 400, count=100)
    client = client_for(engine)
    with pytest.raises(BadRequestError):
        client.transcribe_long(path, chunk_seconds=5, concurrency=2, progress=False)
    assert 1 <= engine.hits(TRANSCRIBE) <= 4  # of 10 chunks
    row = transcribe_many([path], client=client, chunk_seconds=5, progress=False).df.iloc[0]
    assert row.status == "failed" and "HTTP 400" in row.error


def test_an_interrupt_in_a_notebook_stops_the_chunks_in_flight(engine, tmp_path, caplog):
    # Two chunks at a time, the interrupt at the second answer: at most 3 of the 10 chunks
    # can ever reach the engine. One sent just before the interrupt may be counted a moment
    # late, so the count is read again after six latencies, in which chunks left running
    # would send more.
    latency = 0.05
    path = tone_bursts(tmp_path / "tones.wav", 10)
    engine.set_latency(latency)
    engine.inject(TRANSCRIBE, 200, body={"text": "tone"}, count=100)
    client = client_for(engine)
    answers = []

    def interrupt_after_two(record):
        answers.append(record)
        if len(answers) == 2:
            raise KeyboardInterrupt

    client.call_hooks.append(interrupt_after_two)

    async def cell():  # inside a running loop, as in a notebook
        with pytest.raises(KeyboardInterrupt):
            client.transcribe_long(path, chunk_seconds=5, concurrency=2, progress=False)
        sent = engine.hits(TRANSCRIBE)
        await asyncio.sleep(6 * latency)
        return sent, engine.hits(TRANSCRIBE)

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        sent, later = asyncio.run(cell())
        gc.collect()
    assert 2 <= sent <= later <= 3
    assert "never retrieved" not in caplog.text


def test_translations_of_long_audio_join_segments(engine, tmp_path):
    canned = {"text": "Hello.", "duration": 3.0, "segments": [
        {"id": 0, "start": 0.2, "end": 1.0, "text": "Hello."}]}  # fmt: skip
    engine.inject("/v1/audio/translations", 200, body=canned, count=20)
    path = tone_bursts(tmp_path / "tones.wav", 3)
    transcript = client_for(engine).transcribe_long(
        path, translate=True, chunk_seconds=5, progress=False
    )
    assert engine.hits("/v1/audio/translations") == 3 and engine.hits(TRANSCRIBE) == 0
    assert transcript.task == "translate" and transcript.text == "Hello. Hello. Hello."
    starts = [s["start"] for s in transcript.segment_records]
    chunk_starts = [c["pieces"][0][0] for c in transcript.raw["chunks"]]
    assert starts == pytest.approx([start + 0.2 for start in chunk_starts])
    assert chunk_starts == pytest.approx([0.0, 11.0, 23.0], abs=0.2)  # a second before a tone


def test_silent_audio_sends_nothing(engine, tmp_path):
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(bytes(2 * 16_000 * 60))
    transcript = client_for(engine).transcribe_long(path, chunk_seconds=10, progress=False)
    assert engine.hits(TRANSCRIBE) == 0
    assert transcript.text == "" and transcript.duration == pytest.approx(60.0)


def test_undecodable_long_input_fails_clearly(engine):
    junk = b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(range(256)) * 1000
    client = client_for(engine, max_upload_bytes=10_000)
    with pytest.raises(ValidationError, match="could not decode"):
        client.transcribe_long(("junk.wav", junk), progress=False)
    assert engine.hits(TRANSCRIBE) == 0


def test_chunk_seconds_below_five_is_refused():
    with pytest.raises(ValidationError, match="chunk_seconds"):
        long_audio.transcribe_long(b"RIFF", chunk_seconds=1)


# -- planning the cuts --------------------------------------------------------------------


def runs(*parts: tuple[float, float]) -> np.ndarray:
    """Levels from (dBFS, seconds) runs."""
    return np.concatenate([np.full(round(seconds / FRAME), level) for level, seconds in parts])


def test_a_long_stretch_is_cut_at_its_pauses():
    levels = runs(*([(-20, 4.4), (-70, 0.6)] * 12))  # 60 s: a pause every 5 s
    chunks = plan_chunks(levels, duration=60.0, chunk_seconds=12)
    assert [c.overlaps_previous for c in chunks] == [False] * len(chunks)
    assert chunks[0].start == 0 and chunks[-1].end == 60.0
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start == before.end  # contiguous: nothing lost, nothing twice
        assert (before.end % 5) == pytest.approx(4.7, abs=0.1)  # in the middle of a pause
    assert all(c.length <= 12 for c in chunks)


def test_without_pauses_fixed_windows_overlap():
    chunks = plan_chunks(runs((-20, 30)), duration=30.0, chunk_seconds=12, overlap=2)
    assert [c.pieces for c in chunks] == [((0.0, 12.0),), ((10.0, 22.0),), ((20.0, 30.0),)]
    assert [c.overlaps_previous for c in chunks] == [False, True, True]


def test_long_silences_are_skipped_and_their_neighbours_share_a_chunk():
    levels = runs((-70, 30), (-20, 2), (-70, 60), (-20, 2), (-70, 30))
    (chunk,) = plan_chunks(levels, duration=124.0, chunk_seconds=30)
    (first, second) = chunk.pieces
    assert first == pytest.approx((29.0, 33.0), abs=0.2)
    assert second == pytest.approx((91.0, 95.0), abs=0.2)
    assert chunk.to_original(first[1] - first[0] + GAP + 0.5) == pytest.approx(second[0] + 0.5)
    everything = plan_chunks(levels, duration=124.0, chunk_seconds=30, skip_silence=None)
    assert sum(c.length for c in everything) >= 124.0


def test_all_silent_audio_has_no_chunks():
    assert plan_chunks(runs((-100, 30)), duration=30.0) == []
    assert plan_chunks(np.zeros(0), duration=0.0) == []


def test_chunk_times_map_back_through_gaps():
    chunk = Chunk(((10.0, 12.0), (40.0, 41.0), (70.0, 75.0)))
    assert chunk.length == 10.0
    assert chunk.to_original(0) == 10.0
    assert chunk.to_original(2.2) == 12.0  # in a gap: the nearer edge
    assert chunk.to_original(2.8) == 40.0
    assert chunk.to_original(5.5) == 70.5
    assert chunk.to_original(99) == 75.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from([-100, -65, -45, -30, -20, -8]), st.integers(1, 900)),
        min_size=1,
        max_size=16,
    ),
    st.sampled_from([5.0, 12.0, 40.0]),
)
def test_no_sound_is_ever_left_out_and_chunks_keep_their_size(parts, size):
    levels = np.concatenate([np.full(n, float(level)) for level, n in parts])
    duration = levels.size * FRAME
    chunks = plan_chunks(levels, duration=duration, chunk_seconds=size)
    pieces = [p for c in chunks for p in c.pieces]
    assert all(0 <= a < b <= duration + 1e-6 for a, b in pieces)
    assert all(c.length <= size + 2 for c in chunks)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start >= before.end - 1e-6 or after.overlaps_previous
    loud = np.flatnonzero(levels >= -20)  # speech-loud frames: always sent
    for frame in loud:
        t = (frame + 0.5) * FRAME
        assert any(a - 1e-6 <= t <= b + 1e-6 for a, b in pieces), t


# -- joining transcripts ------------------------------------------------------------------


def word(text: str, start: float, end: float) -> dict:
    return {"word": text, "start": start, "end": end}


def test_words_heard_on_both_sides_of_an_overlap_are_kept_once():
    first = Transcript(
        "Alpha, bravo, charlie.",
        segment_records=[{"id": 0, "start": 9.0, "end": 11.9, "text": "Alpha, bravo, charlie."}],
        word_records=[word("Alpha", 9.0, 9.4), word("bravo", 10.2, 10.6),
                      word("charlie", 11.2, 11.9)],
    )  # fmt: skip
    second = Transcript(  # chunk time: starts at 10.0 in the original
        "Bravo, charlie, delta.",
        segment_records=[{"id": 0, "start": 0.2, "end": 3.0, "text": "Bravo, charlie, delta."}],
        word_records=[word("Bravo", 0.25, 0.6), word("charlie", 1.2, 1.6), word("delta", 2.5, 3.0)],
    )  # fmt: skip
    joined = join_transcripts(
        [(Chunk(((0.0, 12.0),)), first), (Chunk(((10.0, 22.0),), overlaps_previous=True), second)],
        duration=22.0,
    )
    assert [w["word"] for w in joined.word_records] == ["Alpha", "bravo", "charlie", "delta"]
    assert [w["start"] for w in joined.word_records] == [9.0, 10.2, 11.2, 12.5]
    assert joined.text == "Alpha, bravo, charlie, delta."
    assert [s["text"] for s in joined.segment_records] == ["Alpha, bravo,", "charlie, delta."]
    assert [s["start"] for s in joined.segment_records] == [9.0, 11.2]


def test_a_word_on_both_sides_of_the_seam_midpoint_is_dropped_from_the_later_side():
    first = Transcript("one two", word_records=[word("one", 9.0, 9.5), word("two", 10.7, 11.1)])
    second = Transcript(
        "two three", word_records=[word("Two,", 0.9, 1.3), word("three", 1.6, 2.0)]
    )  # "two" heard at 10.9 (mid 10.9 < 11) and at 10.9 + 0.2 (mid 11.1 >= 11)
    joined = join_transcripts(
        [(Chunk(((0.0, 12.0),)), first), (Chunk(((10.0, 22.0),), True), second)], duration=22.0
    )
    assert [w["word"] for w in joined.word_records] == ["one", "two", "three"]


def test_repeated_text_at_a_seam_without_timestamps_is_removed():
    first = Transcript("The meeting starts now and we")
    second = Transcript("and we begin with the budget.")
    joined = join_transcripts(
        [(Chunk(((0.0, 12.0),)), first), (Chunk(((10.0, 22.0),), True), second)],
        duration=22.0,
        response_format="json",
    )
    assert joined.text == "The meeting starts now and we begin with the budget."
    segments_only = join_transcripts(
        [
            (
                Chunk(((0.0, 12.0),)),
                Transcript(
                    "a",
                    segment_records=[{"start": 8.0, "end": 10.9, "text": "It was a very long day"}],
                ),
            ),
            (
                Chunk(((10.0, 22.0),), True),
                Transcript(
                    "b",
                    segment_records=[{"start": 0.5, "end": 4.0, "text": "long day for everyone."}],
                ),
            ),
        ],  # fmt: skip
        duration=22.0,
    )
    assert segments_only.text == "It was a very long day for everyone."


def test_text_whisper_invents_in_measured_silence_is_dropped():
    heard = Transcript(
        "Second item covers hiring plans. Second item is the budget for next year.",
        segment_records=[
            {"start": 7.1, "end": 9.1, "text": "Second item covers hiring plans.",
             "no_speech_prob": 0.05},
            {"start": 9.1, "end": 9.6, "text": "Second item is the budget for next year.",
             "no_speech_prob": 0.89},
            {"start": 9.6, "end": 9.9, "text": "Yes.", "no_speech_prob": 0.05},
        ],
        word_records=[word("Second", 7.1, 7.5), word("plans", 8.6, 9.1),
                      word("Second", 9.1, 9.6), word("budget", 9.6, 9.6), word("Yes", 9.6, 9.9)],
    )  # fmt: skip
    loudness = splitting.Loudness(runs((-20, 9.1), (-70, 0.9)))  # silent after 9.1 s
    joined = join_transcripts(
        [(Chunk(((0.0, 10.0),)), heard)], duration=10.0, sound_share=loudness.sound_share
    )
    # Whisper doubted the invented sentence; "Yes." it did not doubt, so it stays.
    assert joined.text == "Second item covers hiring plans. Yes."
    assert [w["word"] for w in joined.word_records] == ["Second", "plans", "Yes"]


def test_joined_times_are_monotonic_and_inside_the_recording():
    odd = Transcript(
        "x",
        segment_records=[
            {"start": 5.0, "end": 9.0, "text": "late"},
            {"start": 2.0, "end": None, "text": "early"},
            {"start": None, "end": 50.0, "text": "over"},
        ],
        usage={"type": "duration", "seconds": 9},
        language="english",
    )
    joined = join_transcripts([(Chunk(((0.0, 10.0),)), odd)], duration=10.0)
    assert [(s["start"], s["end"]) for s in joined.segment_records] == [
        (5.0, 9.0), (5.0, 5.0), (5.0, 10.0),
    ]  # fmt: skip
    assert joined.usage == {"type": "duration", "seconds": 9.0}
    assert joined.language == "english"


# -- long speech --------------------------------------------------------------------------

SENTENCES = "The sun rose early. Farmers walked to the fields. Children ran to school."


def test_long_text_is_spoken_in_parts_and_joined_into_one_file(engine):
    client = client_for(engine)
    speech = client.speech_long(SENTENCES, max_chars=30, progress=False)
    assert engine.hits(SPEECH) == 3
    assert speech.format == "mp3" and speech.content_type == "audio/mpeg"
    assert speech.text == SENTENCES and speech.voice == "alloy"
    parts = [len(spoken(part)) / 2 / RATE for part in split_text(SENTENCES, 30)]
    assert decoded_seconds(speech.data) == pytest.approx(sum(parts), rel=0.1)  # piper varies
    heard = words_of(client.transcribe(speech).text)
    assert {"sun", "farmers", "children", "school"} <= set(heard)


@pytest.mark.parametrize("response_format", ["wav", "pcm"])
def test_wav_and_pcm_parts_are_joined_without_a_codec(engine, response_format):
    part = spoken("One part.")
    engine.inject(SPEECH, 200, body=part, content_type="audio/pcm", count=3)
    speech = client_for(engine).speech_long(
        SENTENCES, max_chars=30, response_format=response_format, progress=False
    )
    assert engine.hits(SPEECH) == 3
    if response_format == "pcm":
        assert speech.data == part * 3
    else:
        assert speech.data == pcm_to_wav(part * 3) and speech.duration == len(part) * 3 / 2 / RATE


def test_text_over_4096_characters_is_split_into_requests_the_service_takes(engine):
    part = spoken("One part.", "flac")
    engine.inject(SPEECH, 200, body=part, content_type="audio/flac", count=9)
    text = " ".join(f"Sentence number {i} is here." for i in range(400))  # 11,000 characters
    speech = client_for(engine).speech_long(text, response_format="opus", progress=False)
    assert engine.hits(SPEECH) == 3
    assert decoded_seconds(speech.data) == pytest.approx(3 * decoded_seconds(part), abs=0.05)
    assert speech.format == "opus" and speech.data[:4] == b"OggS"


def sentence_of(length: int) -> str:
    """A sentence of exactly ``length`` characters: words, then a full stop."""
    body = ("Many words " * length)[: length - 1]
    return body[:-1] + "s." if body.endswith(" ") else body + "."


def test_parts_of_long_speech_fill_4096_characters_and_never_pass_them(engine):
    part = spoken("One part.", "flac")
    engine.inject(SPEECH, 200, body=part, content_type="audio/flac", count=3)
    calls = []
    client = client_for(engine, on_call=calls.append)
    first = sentence_of(2048)
    exactly = f"{first} {sentence_of(2047)}"
    one_over = f"{first} {sentence_of(2048)}"
    assert (len(exactly), len(one_over)) == (4096, 4097)
    client.speech_long(exactly, response_format="flac", progress=False)
    assert [call.input_size for call in calls] == [4096]  # one request, full
    client.speech_long(one_over, response_format="flac", progress=False)
    assert sorted(call.input_size for call in calls[1:]) == [2048, 2048]
    assert engine.hits(SPEECH) == 3


def test_short_text_is_one_ordinary_request(engine):
    speech = client_for(engine).speech_long("Hello.", response_format="aac", progress=False)
    assert engine.hits(SPEECH) == 1 and speech.format == "aac"


@pytest.mark.parametrize("response_format", ["mp3", "opus", "aac", "flac", "wav"])
def test_joined_speech_decodes_in_every_format(response_format):
    parts = [spoken("First part.", "flac"), spoken("Second part.", "flac")]
    data = join_encoded(parts, part_format="flac", response_format=response_format)
    expected = sum(decoded_seconds(part) for part in parts)
    assert decoded_seconds(data) == pytest.approx(expected, abs=0.1)  # aac primes and pads


def test_async_clients_have_the_long_media_methods(engine, speech_wav_path):
    async def run():
        async with AsyncCometClient(base_url=engine.base_url, retry=FAST) as client:
            transcript = await client.transcribe_long(speech_wav_path, progress=False)
            speech = await client.speech_long(SENTENCES, max_chars=30, progress=False)
            return transcript, speech

    transcript, speech = asyncio.run(run())
    assert "fox" in transcript.text.lower() and speech.format == "mp3"
    assert engine.hits(SPEECH) == 3


def test_speech_long_refuses_an_unknown_format():
    with pytest.raises(ValidationError, match="response_format"):
        long_text.speech_long("Hi.", response_format="ogg", progress=False)


# -- splitting text -----------------------------------------------------------------------

sentence = st.from_regex(r"[A-Z][a-z]{0,12}( [a-z]{1,12}){0,15}[.!?]", fullmatch=True)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence, min_size=1, max_size=30), st.integers(40, 400))
def test_text_parts_fit_keep_every_word_and_end_at_sentences(sentences, limit):
    text = " ".join(sentences)
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert " ".join(parts).split() == text.split()
    if all(len(s) <= limit for s in sentences):
        assert all(part[-1] in ".!?" for part in parts)


def test_an_overlong_sentence_is_cut_at_clauses_then_words():
    clauses = "one two three, four five six, seven eight nine."
    assert split_text(clauses, 16) == ["one two three,", "four five six,", "seven eight", "nine."]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert split_text("First paragraph\n\nSecond one", 20) == ["First paragraph", "Second one"]


def test_module_examples_run():
    from comet_audio_nb.audio import codecs
    from comet_audio_nb.jobs import join_transcripts, split_text

    for module in (splitting, join_transcripts, long_audio, long_text, split_text, codecs):
        failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, module.__name__
