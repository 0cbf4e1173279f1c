"""%%comet_say --dialogue: the cell as a script, a voice per speaker; one-line errors."""

from __future__ import annotations

from IPython.core.error import UsageError

from comet_audio_nb import DialogueSpeech
from comet_audio_nb.magics.dialogue import parse_voices


def test_dialogue_cell_speaks_the_script_and_keeps_it(run):
    ran = run("%%comet_say --dialogue --voices Ana=nova -f wav -o talk\nAna: Hi Ben.\nBen: Hi Ana.")
    assert ran.error is None, ran.error
    talk = run("talk").result.result
    assert isinstance(talk, DialogueSpeech)
    assert talk.speakers == {"Ana": "nova", "Ben": "alloy"} and talk.format == "wav"
    shown = ran.outputs[-1]
    assert shown["text/html"].count("<audio") == 1
    assert "Ben (alloy): Hi Ana." in shown["text/plain"]


def test_dialogue_save_and_quiet(run, tmp_path):
    ran = run("%%comet_say --dialogue -q --save talk.mp3\nA: One.\nB: Two.")
    assert ran.error is None, ran.error
    assert (tmp_path / "talk.mp3").stat().st_size > 1000
    assert ran.outputs == []


def test_dialogue_errors_are_one_line(run):
    cases = {
        "%%comet_say --dialogue --voice nova\nA: Hi.": "a voice per speaker",
        "%%comet_say --dialogue --voices nova\nA: Hi.": "NAME=VOICE",
        "%%comet_say --dialogue\nno speaker here": "has no speaker",
        "%%comet_say --dialogue --widget\nA: Hi.": "do not go together",
        "%%comet_say --dialogue --voices Zed=nova\nA: Hi.": "not in the script: zed",
    }
    for cell, message in cases.items():
        ran = run(cell)
        assert isinstance(ran.error, UsageError), cell
        assert message in str(ran.error), (cell, str(ran.error))


def test_parse_voices_keeps_names_with_spaces():
    assert parse_voices(" Dr Who = onyx ,Ana=nova") == {"Dr Who": "onyx", "Ana": "nova"}
    assert parse_voices(None) == {}
