"""Diarized transcripts, token log-probabilities and word confidence, from wire bodies.

The bodies are in ``tests/data/wire`` (see its README: written from the documented
format, not recorded from the live service).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comet_audio_nb.results import Transcript, parse_transcription, parse_vtt
from comet_audio_nb.results.display import display_options
from comet_audio_nb.results.speakers import SPEAKER_PALETTE, speaker_colours, speaker_legend
from comet_audio_nb.results.usage import sum_usage

WIRE = Path(__file__).parent / "data" / "wire"


def parsed(name: str, response_format: str) -> Transcript:
    body = (WIRE / name).read_bytes()
    return parse_transcription(
        body, content_type="application/json", response_format=response_format
    )


@pytest.fixture
def diarized() -> Transcript:
    return parsed("diarized_json.json", "diarized_json")


def test_diarized_segments_have_a_speaker_column(diarized):
    segments = diarized.segments
    assert diarized.response_format == "diarized_json"
    assert segments["speaker"].tolist() == ["A", "B", "A"]
    assert segments["id"].tolist() == ["seg_0", "seg_1", "seg_2"]
    assert "type" not in segments.columns  # every segment says the same: not kept
    assert diarized.usage["total_tokens"] == 236


def test_speakers_table_adds_up_talk_and_turns(diarized):
    table = diarized.speakers
    assert table.columns.tolist() == ["speaker", "talk_seconds", "turns", "share"]
    assert table["speaker"].tolist() == ["A", "B"]
    assert table["talk_seconds"].tolist() == pytest.approx([6.1, 3.0])
    assert table["turns"].tolist() == [2, 1]
    assert table["share"].sum() == pytest.approx(1.0)


def test_a_transcript_without_speakers_has_no_speaker_column_and_an_empty_table():
    plain = Transcript("Hi", segment_records=[{"id": 0, "start": 0, "end": 1, "text": "Hi"}])
    assert "speaker" not in plain.segments.columns
    assert plain.speakers.empty and plain.speakers.columns.tolist()[0] == "speaker"


def test_subtitles_carry_speakers(diarized):
    vtt = diarized.to_vtt()
    assert "<v A>Welcome back to the show." in vtt and "<v B>Thanks" in vtt
    srt = diarized.to_srt()
    assert "\nA: Welcome back to the show.\n" in srt and "\nB: Thanks" in srt
    again = parse_vtt(vtt)
    assert [c["speaker"] for c in again] == ["A", "B", "A"]
    assert again[0]["text"] == "Welcome back to the show."


def test_the_text_view_prefixes_lines_with_speakers(diarized):
    bundle = diarized._repr_mimebundle_()
    lines = bundle["text/plain"].splitlines()
    assert lines[1].endswith("A: Welcome back to the show.")
    assert lines[2].endswith("B: Thanks, it's good to be here.")
    assert repr(diarized).endswith("3 segments, 2 speakers)")


def test_each_speaker_keeps_one_colour_of_the_palette_in_order_of_first_appearance():
    segments = [{"start": i, "end": i + 1, "speaker": name, "text": "x"} for i, name in
                enumerate(["Ben", "Ana", "Ben", *"CDEFGH"])]  # fmt: skip
    colours = speaker_colours(segments)
    assert list(colours) == ["Ben", "Ana", *"CDEFGH"]
    assert list(colours.values())[:7] == list(SPEAKER_PALETTE)
    assert colours["H"] == colours["Ben"]  # an eighth speaker: the palette again
    assert len(set(SPEAKER_PALETTE)) == 7 and "#000000" not in SPEAKER_PALETTE
    assert speaker_colours([{"start": 0, "end": 1, "text": "no speaker"}]) == {}


def test_the_legend_gives_each_speaker_its_colour_talk_and_share(diarized):
    legend = speaker_legend(diarized.segment_records)
    assert [(e["speaker"], e["colour"], e["turns"]) for e in legend] == [
        ("A", SPEAKER_PALETTE[0], 2),
        ("B", SPEAKER_PALETTE[1], 1),
    ]
    assert [e["talk_seconds"] for e in legend] == pytest.approx([6.1, 3.0])
    assert [e["share"] for e in legend] == pytest.approx([6.1 / 9.1, 3.0 / 9.1])
    untimed = [{"speaker": "A", "text": "Hi"}]  # no lengths: no share rather than NaN
    assert speaker_legend(untimed)[0]["share"] is None
    assert speaker_legend([{"start": 0, "end": 1, "text": "Hi"}]) == []


def test_the_html_view_borders_lines_in_their_speakers_colour_under_a_legend(diarized):
    html = diarized._repr_mimebundle_()["text/html"]
    blue, orange = SPEAKER_PALETTE[:2]
    legend = re.search(r'<div class="comet-audio-legend".*?</div>', html).group(0)
    assert re.findall(r">([AB])</span>", legend) == ["A", "B"]
    assert "6.1 s · 67%" in legend and "3.0 s · 33%" in legend
    rows = re.findall(r'<div data-speaker="(\w)" style="border-left:4px solid (#\w+)', html)
    assert rows == [("A", blue), ("B", orange), ("A", blue)]
    # The name at each turn (here every line is a turn) and in the legend: 3 + 2 chips.
    assert html.count('class="comet-audio-chip"') == 5
    same_turn = Transcript("a b", segment_records=[
        {"start": 0, "end": 1, "speaker": "A", "text": "a"},
        {"start": 1, "end": 2, "speaker": "A", "text": "b"},
    ])  # fmt: skip
    assert same_turn._repr_mimebundle_()["text/html"].count('class="comet-audio-chip"') == 2


def test_a_transcript_without_speakers_has_no_legend_nor_coloured_lines():
    plain = Transcript("Hi. Bye.", segment_records=[
        {"start": 0, "end": 1, "text": "Hi."}, {"start": 1, "end": 2, "text": "Bye."}
    ])  # fmt: skip
    html = plain._repr_mimebundle_()["text/html"]
    assert "comet-audio-legend" not in html and "border-left" not in html
    assert "data-speaker" not in html and "comet-audio-chip" not in html


def test_a_diarized_format_without_speakers_is_read_as_plain_json():
    transcript = parse_transcription(
        b'{"text": "Hi"}', content_type="application/json", response_format="diarized_json"
    )
    assert transcript.response_format == "json" and transcript.speakers.empty


def test_logprobs_become_a_table_with_probabilities():
    transcript = parsed("json_logprobs.json", "json")
    table = transcript.logprobs
    assert table.columns.tolist()[:3] == ["token", "logprob", "probability"]
    assert table["token"].str.cat() == transcript.text
    assert table["probability"].round(3).tolist() == [1.0, 0.989, 0.202, 0.97, 0.67]
    assert Transcript("Hi").logprobs.empty


def test_the_html_view_shades_low_confidence_tokens():
    transcript = parsed("json_logprobs.json", "json")
    html = transcript._repr_mimebundle_()["text/html"]
    assert html.count("comet-audio-low-confidence") == 1  # only " brown" (p = 0.20)
    assert 'title="p = 0.20"' in html and "brown</span>" in html
    before = display_options.low_confidence
    try:
        display_options.low_confidence = 0.8  # a stricter threshold shades "." too
        html = transcript._repr_mimebundle_()["text/html"]
        assert html.count("comet-audio-low-confidence") == 2
        display_options.low_confidence = 0  # off
        assert "low-confidence" not in transcript._repr_mimebundle_()["text/html"]
    finally:
        display_options.low_confidence = before


def test_words_with_a_probability_gain_a_confidence_column():
    body = (
        b'{"text": "Hi there", "words": [{"word": "Hi", "start": 0, "end": 0.4, '
        b'"probability": 0.91}, {"word": "there", "start": 0.4, "end": 0.9, "probability": 0.4}]}'
    )
    words = parse_transcription(body, content_type="application/json", response_format="json")
    assert words.words["confidence"].tolist() == [0.91, 0.4]
    assert "confidence" not in Transcript("x", word_records=[{"word": "x"}]).words.columns


def test_usage_adds_up_over_parts_only_when_every_part_has_it():
    tokens = {"type": "tokens", "input_tokens": 2, "input_token_details": {"audio_tokens": 2}}
    assert sum_usage([tokens, tokens]) == {
        "type": "tokens",
        "input_tokens": 4,
        "input_token_details": {"audio_tokens": 4},
    }
    assert sum_usage([tokens, None]) is None and sum_usage([]) is None


def test_diarized_chunks_joined_keep_their_speakers(diarized):
    from comet_audio_nb.jobs.join_transcripts import join_transcripts
    from comet_audio_nb.jobs.split_audio import Chunk

    joined = join_transcripts(
        [(Chunk(((0.0, 12.3),)), diarized), (Chunk(((12.3, 24.6),)), diarized)],
        duration=24.6,
        response_format="diarized_json",
    )
    assert joined.segments["speaker"].tolist() == ["A", "B", "A"] * 2
    assert joined.segments["start"].tolist()[3] == pytest.approx(12.3)
    assert joined.speakers["turns"].tolist() == [3, 2]  # A B A|A B A: the seam joins a turn
    assert joined.usage["type"] == "tokens" and joined.usage["total_tokens"] == 2 * 236
