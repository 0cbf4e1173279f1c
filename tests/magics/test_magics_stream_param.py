"""%%comet_transcribe --stream (the text growing in place) and --param KEY=VALUE."""

from __future__ import annotations

from pathlib import Path

from comet_audio_nb import Speech, Transcript

WIRE = Path(__file__).parent.parent / "data" / "wire"
TRANSCRIBE = "/v1/audio/transcriptions"


def test_say_param_goes_into_the_request_body(run, shell):
    ran = run('%comet_say --param response_format="wav" -o s Hello with a parameter')
    assert ran.error is None, ran.stderr
    speech = shell.user_ns["s"]
    assert isinstance(speech, Speech) and speech.data[:4] == b"RIFF" and speech.format == "wav"


def test_param_without_an_equals_sign_is_a_usage_error(run):
    ran = run("%comet_say --param speed Hello")
    assert ran.error is not None and "KEY=VALUE" in str(ran.error)


def test_transcribe_param_reads_json_values(run, shell, speech_wav_path):
    shell.user_ns["clip"] = speech_wav_path.read_bytes()
    ran = run(
        "%comet_transcribe -f verbose_json --param "
        '\'timestamp_granularities=["segment", "word"]\' -o t clip'
    )
    assert ran.error is None, ran.stderr
    assert shell.user_ns["t"].word_records  # the list went out as repeated fields


def test_stream_with_whisper_says_in_one_line_that_it_does_not_stream(
    run, shell, speech_wav_path, speech_text
):
    shell.user_ns["clip"] = speech_wav_path.read_bytes()
    ran = run("%comet_transcribe --stream -o t clip")
    assert ran.error is None, ran.stderr
    transcript = shell.user_ns["t"]
    assert isinstance(transcript, Transcript) and transcript.text.strip() == speech_text
    notes = [o["text/plain"] for o in ran.outputs if "does not stream" in o["text/plain"]]
    assert notes == [
        "whisper-1 does not stream: the transcript came whole (models that stream: "
        "gpt-4o-mini-transcribe, gpt-4o-transcribe)"
    ]


def test_stream_shows_the_text_then_the_transcript(run, shell, engine):
    body = (WIRE / "stream_mini_logprobs.sse").read_text()
    engine.inject(TRANSCRIBE, 200, body=body, content_type="text/event-stream")
    shell.user_ns["clip"] = b"RIFF0000WAVEfmt " + bytes(64)
    ran = run("%comet_transcribe --stream -m gpt-4o-mini-transcribe -o t clip")
    assert ran.error is None, ran.stderr
    assert shell.user_ns["t"].text == "The quick brown fox."
    shown = [o["text/plain"] for o in ran.outputs]  # the display, then its updates
    assert shown[0] == "…" and "The quick brown fox.".startswith(shown[1])  # text so far
    assert shown[-1] == "transcript · gpt-4o-mini-transcribe · clip\nThe quick brown fox."
    assert not any("does not stream" in s for s in shown)


def test_stream_takes_one_source_and_no_timestamps(run, shell, speech_wav_path):
    shell.user_ns["clip"] = speech_wav_path.read_bytes()
    ran = run("%%comet_transcribe --stream\nclip\nclip")
    assert ran.error is not None and "one source" in str(ran.error)
    ran = run("%comet_transcribe --stream -t word clip")
    assert ran.error is not None and "drop --stream" in str(ran.error)


def test_an_interrupted_stream_keeps_its_text_and_says_so_in_one_line(run, shell, monkeypatch):
    from comet_audio_nb.magics import transcribe

    def interrupted(client, audio, options, *, show, note):  # Kernel > Interrupt mid-way
        show("The quick")
        raise KeyboardInterrupt

    monkeypatch.setattr(transcribe, "live_transcript", interrupted)
    shell.user_ns["clip"] = b"RIFF0000WAVEfmt " + bytes(64)
    ran = run("%comet_transcribe --stream -m gpt-4o-mini-transcribe -o t clip")
    assert ran.error is not None and "t" not in shell.user_ns
    assert [o["text/plain"] for o in ran.outputs][-1] == "The quick"  # what arrived stays
    said = ran.stdout + ran.stderr
    assert "interrupted" in ran.stderr and "Traceback" not in said, said
    assert len(ran.stderr.strip().splitlines()) == 1
