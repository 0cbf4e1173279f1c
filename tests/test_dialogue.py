"""speech_dialogue: a script as one file; voices per speaker; timings; subtitles; failures."""

from __future__ import annotations

import asyncio
import time

import pytest
from html_checks import typesettable_text

from comet_audio_nb import (
    AsyncCometClient,
    BadRequestError,
    CometClient,
    DialogueSpeech,
    RetryPolicy,
    ValidationError,
)
from comet_audio_nb.jobs.dialogue import PAUSE, assign_voices, parse_script

SCRIPT = """
Ana: Did you hear the news?
Ben: No, tell me!
# a comment
Ana: We ship on Friday,
and everyone is invited.
"""
SPEECH = "/v1/audio/speech"


@pytest.fixture
def client(engine):
    with CometClient(base_url=engine.base_url, retry=RetryPolicy(max_retries=0)) as client:
        yield client


def test_a_script_is_lines_of_name_and_text():
    lines = parse_script(SCRIPT)
    assert [(line.number, line.speaker, line.text) for line in lines] == [
        (2, "Ana", "Did you hear the news?"),
        (3, "Ben", "No, tell me!"),
        (5, "Ana", "We ship on Friday, and everyone is invited."),
    ]
    assert parse_script("Dr. Who: Hello")[0].speaker == "Dr. Who"
    with pytest.raises(ValidationError, match="line 1 of the script has no speaker"):
        parse_script("just text")
    with pytest.raises(ValidationError, match="empty"):
        parse_script("\n# nothing\n")
    with pytest.raises(ValidationError, match="line 2 of the script: 'B' says nothing"):
        parse_script("A: hi\nB:")


def test_unnamed_speakers_get_distinct_voices():
    cast = assign_voices(["A", "B", "C", "D"], {"c": "alloy"})
    assert cast["C"] == "alloy"
    assert len(set(cast.values())) == 4
    with pytest.raises(ValidationError, match="not in the script: zed"):
        assign_voices(["A"], {"Zed": "nova"})


def test_the_dialogue_is_one_file_that_knows_its_lines(client):
    dialogue = client.speech_dialogue(SCRIPT, {"ana": "nova"}, response_format="wav",
                                      progress=False)  # fmt: skip
    assert isinstance(dialogue, DialogueSpeech)
    assert dialogue.speakers == {"Ana": "nova", "Ben": "alloy"}
    lines = dialogue.lines
    assert [line["speaker"] for line in lines] == ["Ana", "Ben", "Ana"]
    for before, after in zip(lines, lines[1:], strict=False):
        assert after["start"] == pytest.approx(before["end"] + PAUSE, abs=1e-3)
    assert lines[0]["start"] == 0.0
    assert dialogue.duration == pytest.approx(lines[-1]["end"], abs=0.01)
    assert dialogue.data[:4] == b"RIFF"
    srt, vtt = dialogue.to_srt(), dialogue.to_vtt()
    assert "Ana: Did you hear the news?" in srt and "Ben: No, tell me!" in srt
    assert "<v Ben>No, tell me!" in vtt
    segments = dialogue.transcript.segments
    assert segments.speaker.tolist() == ["Ana", "Ben", "Ana"]
    assert dialogue.df.columns.tolist() == ["speaker", "voice", "text", "start", "end"]


def test_the_dialogue_transcribes_back_line_by_line(client):
    dialogue = client.speech_dialogue(SCRIPT, progress=False)
    heard = client.transcribe(dialogue, timestamp_granularities=["segment"])
    assert "friday" in heard.text.lower() and "news" in heard.text.lower()
    assert heard.duration == pytest.approx(dialogue.duration, abs=0.3)


def test_the_transcript_view_highlights_lines_with_their_speakers(client):
    dialogue = client.speech_dialogue("A: One.\nB: Two.", progress=False)
    view = dialogue.transcript_view()
    assert [(s["speaker"], s["text"]) for s in view.segments] == [("A", "One."), ("B", "Two.")]
    assert [entry["speaker"] for entry in view.speakers] == ["A", "B"]  # the legend
    assert view.segments[1]["start"] == dialogue.lines[1]["start"]
    assert view.audio == dialogue.data
    html = dialogue._repr_mimebundle_()["text/html"]
    assert html.count("<audio") == 1 and "B (nova): Two." in html
    assert typesettable_text(html) == []


def test_lines_are_spoken_concurrently(engine, client):
    engine.set_latency(0.4)
    started = time.perf_counter()
    client.speech_dialogue("A: One.\nB: Two.\nA: Three.\nB: Four.", concurrency=4,
                           progress=False)  # fmt: skip
    assert time.perf_counter() - started < 4 * 0.4  # one after another: 1.6 s of latency


def test_a_line_over_the_limit_is_split_and_stays_one_line(engine, client):
    long = "This is a sentence. " * 4
    dialogue = client.speech_dialogue(f"A: {long}\nB: Short.", max_chars=45, progress=False)
    assert engine.hits(SPEECH) == 3  # the long line in two parts, and the short one
    assert len(dialogue.lines) == 2
    assert dialogue.lines[0]["text"] == long.strip()


def test_a_failed_line_fails_the_dialogue_and_names_the_line(client):
    with pytest.raises(BadRequestError) as caught:
        client.speech_dialogue("A: Hello.\nB: Hi there.", {"B": "not-a-voice"}, progress=False)
    assert "line 2 (B: 'Hi there.')" in str(caught.value)
    assert "not-a-voice" in str(caught.value)


def test_async_clients_have_it_too(engine):
    async def main():
        async with AsyncCometClient(base_url=engine.base_url) as client:
            return await client.speech_dialogue("A: Hi.\nB: Yo.", progress=False)

    dialogue = asyncio.run(main())
    assert [line["speaker"] for line in dialogue.lines] == ["A", "B"]


def test_bad_options_are_one_line_errors(client):
    with pytest.raises(ValidationError, match="pause"):
        client.speech_dialogue("A: Hi.", pause=-1)
    with pytest.raises(ValidationError, match="response_format"):
        client.speech_dialogue("A: Hi.", response_format="ogg")
    with pytest.raises(TypeError, match="unexpected option"):
        client.speech_dialogue("A: Hi.", voice="nova")
