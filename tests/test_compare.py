"""compare_transcription against the engine: one row per file × model, scores, costs, errors.

The engine answers whisper-1 with Whisper base and gpt-4o-mini-transcribe (English) with
Whisper tiny.en, and names the recogniser in a header: the comparison must say which.
"""

from __future__ import annotations

import math
import time

import pytest
from html_checks import typesettable_text

from comet_audio_nb import CometClient, Comparison, RetryPolicy, ValidationError
from comet_audio_nb.jobs.compare import compare_transcription, model_list, reference_texts
from comet_audio_nb.jobs.sources import Source
from comet_audio_nb.results.comparison import COLUMNS, SUMMARY_COLUMNS

PATH = "/v1/audio/transcriptions"
NO_RETRY = RetryPolicy(max_retries=0)


@pytest.fixture
def client(engine):
    with CometClient(base_url=engine.base_url, retry=NO_RETRY) as client:
        yield client


def test_each_model_gets_a_row_with_its_wer_cost_and_recogniser(client, speech_wav, speech_text):
    comparison = compare_transcription(
        ("fox.wav", speech_wav), ["whisper-1", "gpt-4o-mini-transcribe"],
        reference=speech_text, client=client, progress=False,
    )  # fmt: skip
    df = comparison.df
    assert list(df.columns) == list(COLUMNS)
    assert df[["file", "model", "status"]].values.tolist() == [
        ["fox.wav", "whisper-1", "ok"],
        ["fox.wav", "gpt-4o-mini-transcribe", "ok"],
    ]
    # Two real recognisers answered, and each answer said which.
    assert df.answered_by.tolist() == ["whisper-base", "whisper-tiny.en"]
    assert (df.wer <= 0.2).all()
    assert (df.latency > 0).all()
    assert df.audio_seconds.between(2, 5).all()
    # Priced per second of audio by the engine's catalog (tests/data/catalog.json).
    assert (df.estimated_cost > 0).all()
    assert df.cost_formula.str.contains("s of audio").all()
    assert comparison.summary.model.tolist() == ["whisper-1", "gpt-4o-mini-transcribe"]
    assert list(comparison.summary.columns) == list(SUMMARY_COLUMNS)
    text = repr(comparison) + comparison._repr_mimebundle_()["text/plain"]
    assert "whisper-1 → whisper-base" in text
    assert "gpt-4o-mini-transcribe → whisper-tiny.en" in text


def test_a_failed_model_keeps_its_row_and_the_others_still_score(client, speech_wav, speech_text):
    comparison = compare_transcription(
        speech_wav, ["whisper-1", "no-such-model"], reference=speech_text, client=client,
        progress=False,
    )  # fmt: skip
    failed = comparison.df.set_index("model").loc["no-such-model"]
    assert failed.status == "failed"
    assert "400" in failed.error and "no-such-model" in failed.error
    assert math.isnan(failed.wer)
    summary = comparison.summary.set_index("model")
    assert summary.loc["whisper-1", "ok"] == 1
    assert summary.loc["no-such-model", "failed"] == 1
    html = comparison._repr_mimebundle_()["text/html"]
    assert "failed: HTTP 400" in html


def test_wer_counts_substitutions_deletions_and_insertions(engine, client, speech_wav):
    engine.inject(PATH, 200, body={"text": "the quick brown cat jumps over the dog today"}, count=1)
    comparison = compare_transcription(
        speech_wav, ["gpt-4o-transcribe"], reference="The quick brown fox jumps over the dog.",
        client=client, progress=False,
    )  # fmt: skip
    row = comparison.df.iloc[0]
    assert (row.substitutions, row.deletions, row.insertions) == (1, 0, 1)
    assert row.wer == pytest.approx(2 / 8)  # 2 errors, 8 reference words
    html = comparison._repr_mimebundle_()["text/html"]
    assert '<span class="comet-cmp-sub" title="fox">cat</span>' in html
    assert '<span class="comet-cmp-ins">today</span>' in html
    assert typesettable_text(html) == []  # dollar signs are not maths
    assert "normalisation: jiwer" in html


def test_without_a_reference_models_are_scored_by_agreement(engine, client, speech_wav):
    engine.inject(PATH, 200, body={"text": "one two three four"}, count=1)
    engine.inject(PATH, 200, body={"text": "one two three five"}, count=1)
    comparison = compare_transcription(
        speech_wav, ["gpt-4o-transcribe", "gpt-4o-mini-transcribe"], client=client,
        concurrency=1, progress=False,
    )  # fmt: skip
    assert comparison.df.agreement.tolist() == [0.75, 0.75]
    assert comparison.df.wer.isna().all()
    assert comparison.summary.agreement.tolist() == [0.75, 0.75]
    assert comparison._attrs()["measure"] == "agreement"
    assert "differences from gpt-4o-transcribe" in comparison._repr_mimebundle_()["text/html"]


def test_several_files_give_a_row_per_file_and_model(engine, client, speech_wav):
    engine.inject(PATH, 200, body={"text": "same words"}, count=4)
    files = [("a.wav", speech_wav), ("b.wav", speech_wav)]
    comparison = compare_transcription(
        files, "gpt-4o-transcribe,gpt-4o-mini-transcribe", reference=["same words", "other"],
        client=client, progress=False,
    )  # fmt: skip
    assert comparison.df[["file", "model"]].values.tolist() == [
        ["a.wav", "gpt-4o-transcribe"],
        ["a.wav", "gpt-4o-mini-transcribe"],
        ["b.wav", "gpt-4o-transcribe"],
        ["b.wav", "gpt-4o-mini-transcribe"],
    ]
    assert comparison.df.wer.tolist() == [0.0, 0.0, 2.0, 2.0]  # "other": 1 sub + 1 ins
    # Corpus WER: 2 errors over 3 reference words, per model.
    assert comparison.summary.wer.tolist() == pytest.approx([2 / 3, 2 / 3])
    assert comparison.transcript("gpt-4o-transcribe", "b.wav").text == "same words"


def test_requests_go_out_concurrently(engine, client, speech_wav):
    engine.inject(PATH, 200, body={"text": "canned"}, count=6, latency=0.4)
    started = time.perf_counter()
    comparison = compare_transcription(
        [("a.wav", speech_wav), ("b.wav", speech_wav)], list(_THREE), client=client,
        concurrency=6, progress=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    assert (comparison.df.status == "ok").all()
    assert elapsed < 6 * 0.4 * 0.6, elapsed  # sequential would be 2.4 s


_THREE = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")


def test_bad_arguments_are_one_line_errors():
    with pytest.raises(ValidationError, match="no models"):
        model_list(" , ")
    sources = [Source("a.wav", b""), Source("b.wav", b"")]
    with pytest.raises(ValidationError, match="one reference text for 2 files"):
        reference_texts("text", sources)
    with pytest.raises(ValidationError, match="not compared: c.wav"):
        reference_texts({"c.wav": "x"}, sources)
    with pytest.raises(ValidationError, match="1 reference texts for 2 files"):
        reference_texts(["x"], sources)
    with pytest.raises(TypeError, match="unexpected option"):
        compare_transcription(b"x", ["whisper-1"], response_format="srt")


def test_a_comparison_built_by_hand_scores_itself():
    from comet_audio_nb import Transcript
    from comet_audio_nb.results.comparison import ModelRun

    runs = [
        ModelRun("f", "a", Transcript("Hello, world!"), latency=1.0, audio_seconds=2.0,
                 estimated_cost=0.001),
        ModelRun("f", "b", error=ValueError("boom")),
    ]  # fmt: skip
    comparison = Comparison(runs, references={"f": "hello world"})
    assert comparison.df.wer.tolist()[0] == 0.0
    assert comparison.df.error.tolist()[1] == "ValueError: boom"
    assert comparison.summary.estimated_cost.tolist()[0] == 0.001
    assert math.isnan(comparison.summary.estimated_cost.tolist()[1])
