"""%comet_voices: a gallery of players from a line or a cell; -o; one-line errors."""

from __future__ import annotations

from IPython.core.error import UsageError

from comet_audio_nb import VoiceGallery


def test_voices_line_shows_a_player_per_voice_and_keeps_the_gallery(run):
    ran = run("name = 'Ada'\n")
    ran = run("%comet_voices -v alloy,nova -o g Hello {name}, $5 please")
    assert ran.error is None, ran.error
    gallery = run("g").result.result
    assert isinstance(gallery, VoiceGallery)
    assert gallery.text == "Hello Ada, $5 please"
    assert gallery.voices == ["alloy", "nova"]
    assert ran.outputs[-1]["text/html"].count("<audio") == 2


def test_voices_cell_and_pick(run):
    ran = run("%%comet_voices --voices onyx --models tts-1-hd -o g\nIs this the one?")
    assert ran.error is None, ran.error
    assert run("g.df.model.tolist()").result.result == ["tts-1-hd"]
    run("g.pick('onyx')")
    assert (
        run(
            "from comet_audio_nb.notebook.session import get_defaults; get_defaults().voice"
        ).result.result
        == "onyx"
    )


def test_voices_bad_input_is_one_line(run):
    for cell, message in {
        "%comet_voices -c 0 Hi": "--concurrency 0",
        "%%comet_voices Hi\nthere": "takes the text from the cell",
        "%comet_voices -f ogg Hi": "invalid choice",
    }.items():
        ran = run(cell)
        assert isinstance(ran.error, UsageError), cell
        assert message in str(ran.error), (cell, str(ran.error))
