"""``--widget`` on the magics: the panel opens with the magic's options, and no request."""

from __future__ import annotations

from comet_audio_nb.widgets import SpeechStudio, TranscribePanel


def test_say_widget_opens_the_studio_with_the_text_and_options(run, shell, engine):
    ran = run("%comet_say --widget -v nova -f wav --speed 1.5 -o studio Hello, {who}!")
    assert ran.error is None, ran.stderr
    studio = shell.user_ns["studio"]
    assert isinstance(studio, SpeechStudio) and studio.text.value == "Hello, {who}!"
    assert (studio.voice.value, studio.format.value, studio.speed.value) == ("nova", "wav", 1.5)
    assert len(ran.outputs) == 1 and "application/vnd.jupyter.widget-view+json" in ran.outputs[0]
    assert engine.hits("/v1/audio/speech") == 0  # nothing is spoken until Speak is pressed


def test_say_widget_cell_form_puts_the_body_in_the_box(run, shell):
    ran = run("%%comet_say --widget -o studio\nLine one.\nLine two.")
    assert ran.error is None, ran.stderr
    assert shell.user_ns["studio"].text.value == "Line one.\nLine two."


def test_say_widget_with_no_text_opens_an_empty_studio(run):
    ran = run("%comet_say --widget")
    assert ran.error is None and len(ran.outputs) == 1


def shown_widget(ran):
    from ipywidgets.widgets.widget import _instances

    assert ran.error is None, ran.stderr
    (bundle,) = ran.outputs
    return _instances[bundle["application/vnd.jupyter.widget-view+json"]["model_id"]]


def test_transcribe_widget_opens_the_panel_and_fills_the_variable(run, shell, speech_wav_path):
    ran = run(f"%comet_transcribe --widget -l en -t word -o heard {speech_wav_path}")
    panel = shown_widget(ran)
    assert isinstance(panel, TranscribePanel) and panel.path.value == str(speech_wav_path)
    assert panel.options()["language"] == "en" and panel.timestamps.value == "word"
    assert shell.user_ns["heard"] is None  # until a transcript is made
    panel.transcribe()
    assert panel.wait(120)
    assert shell.user_ns["heard"] is panel.transcript and "fox" in panel.transcript.text.lower()


def test_transcribe_widget_takes_one_source_at_most(run):
    ran = run("%%comet_transcribe --widget\na.wav\nb.wav")
    assert "one source at most" in str(ran.error)
    panel = shown_widget(run("%comet_transcribe --widget --translate"))
    assert panel.translate.value and panel.inputs.selected_index == 0


def test_transcribe_widget_with_stream_opens_the_panel_with_stream_ticked(run):
    panel = shown_widget(run("%comet_transcribe --widget --stream -m gpt-4o-mini-transcribe"))
    assert panel.stream.value and not panel.stream.disabled and panel.timestamps.disabled
    assert "timestamp_granularities" not in panel.options()
