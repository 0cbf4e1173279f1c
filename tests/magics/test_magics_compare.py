"""%%comet_compare: models side by side on the cell's sources; references; one-line errors."""

from __future__ import annotations

import shutil

from IPython.core.error import UsageError

from comet_audio_nb import Comparison

PATH = "/v1/audio/transcriptions"


def test_compare_shows_each_model_with_its_wer_and_keeps_it(run, speech_wav_path, speech_text):
    shutil.copy(speech_wav_path, "fox.wav")
    models = "whisper-1,gpt-4o-mini-transcribe"
    ran = run(f'%%comet_compare --models {models} --reference "{speech_text}" -o cmp\nfox.wav\n')
    assert ran.error is None, ran.error
    comparison = run("cmp").result.result
    assert isinstance(comparison, Comparison)
    assert comparison.models == ["whisper-1", "gpt-4o-mini-transcribe"]
    assert comparison.df.file.tolist() == ["fox.wav", "fox.wav"]
    html = ran.outputs[-1]["text/html"]
    assert "Transcription comparison" in html and "WER" in html
    assert "gpt-4o-mini-transcribe → whisper-tiny.en" in html


def test_reference_file_and_line_form(engine, run, tmp_path, speech_wav_path):
    shutil.copy(speech_wav_path, "fox.wav")
    (tmp_path / "ref.txt").write_text("canned words\n")
    engine.inject(PATH, 200, body={"text": "canned words"}, count=2)
    ran = run("%comet_compare -m gpt-4o-transcribe --reference-file ref.txt -o cmp fox.wav")
    assert ran.error is None, ran.error
    assert run("cmp.df.wer.tolist()").result.result == [0.0]


def test_bad_input_is_one_line(run, speech_wav_path, tmp_path):
    shutil.copy(speech_wav_path, "a.wav")
    shutil.copy(speech_wav_path, "b.wav")
    cases = {
        "%comet_compare -m whisper-1": "no audio to compare",
        "%%comet_compare -r x --reference-file y\na.wav": "not both",
        "%%comet_compare --reference-file missing.txt\na.wav": "cannot read --reference-file",
        "%%comet_compare -r x\na.wav\nb.wav": "one text, for one file",
        "%%comet_compare -c 0\na.wav": "--concurrency 0",
    }
    for cell, message in cases.items():
        ran = run(cell)
        assert isinstance(ran.error, UsageError), cell
        assert message in str(ran.error), (cell, str(ran.error))


def test_a_missing_source_fails_its_rows_without_stopping(engine, run, speech_wav_path):
    shutil.copy(speech_wav_path, "a.wav")
    engine.inject(PATH, 200, body={"text": "fine"}, count=1)
    ran = run("%%comet_compare -m gpt-4o-transcribe -o cmp\na.wav\nnot_here.wav")
    assert ran.error is None, ran.error
    df = run("cmp.df").result.result
    assert df.status.tolist() == ["ok", "failed"]
    assert "not_here.wav" in df.error.tolist()[1]
