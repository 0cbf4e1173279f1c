"""%comet_say and %%comet_say: the player, every option, and clear errors."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from magic_helpers import audio_sources

from comet_audio_nb import AuthenticationError, Speech
from comet_audio_nb.client import launcher
from comet_audio_nb.notebook import session


def player(ran) -> str:
    """The HTML of the one player a cell displayed."""
    assert ran.error is None, ran.stderr
    assert len(ran.outputs) == 1, ran.outputs
    bundle = ran.outputs[0]
    assert set(bundle) == {"text/html", "text/plain"}  # one audio representation, no audio/*
    return bundle["text/html"]


def test_say_shows_one_player_whose_data_uri_is_the_mp3_itself(run, shell):
    ran = run("%comet_say -o hello Hello from the notebook")
    html = player(ran)
    speech = shell.user_ns["hello"]
    assert isinstance(speech, Speech) and speech.text == "Hello from the notebook"
    assert html.count("<audio") == 1 and " controls" in html
    assert " data-comet-autoplay" in html and " autoplay" not in html  # live views only
    [(mime, data)] = audio_sources(html)
    assert mime == "audio/mpeg" and data == speech.data  # kept compressed, never decoded
    assert data[:3] == b"ID3" or data[0] == 0xFF
    assert "tts-1" in html and "alloy" in html and "mp3" in html
    assert ran.outputs[0]["text/plain"] == repr(speech)
    assert ran.stdout == "" and ran.stderr == ""


def test_line_interpolates_names_and_keeps_quotes_as_typed(run, shell):
    shell.user_ns["name"] = "Ada"
    ran = run("""%comet_say -o s It's "{name}", isn't it, $name!""")
    player(ran)
    assert shell.user_ns["s"].text == """It's "Ada", isn't it, Ada!"""


def test_questions_go_in_the_cell_form(run, shell):
    # A line ending in "word?" is IPython's help syntax, before any magic sees it.
    player(run("%%comet_say -o s\nHow are you?"))
    assert shell.user_ns["s"].text == "How are you?"


def test_cell_form_speaks_the_body_with_interpolation(run, shell):
    shell.user_ns["who"] = "world"
    player(run("%%comet_say -o s --voice nova\nHello,\n{who}! It costs $5."))
    speech = shell.user_ns["s"]
    assert speech.text == "Hello,\nworld! It costs $5."
    assert speech.voice == "nova"


def test_options_reach_the_request(run, shell):
    ran = run("%comet_say -v echo -m tts-1-hd -f wav --speed 1.5 -o s Quick test.")
    html = player(ran)
    speech = shell.user_ns["s"]
    assert (speech.voice, speech.model, speech.format, speech.speed) == (
        "echo",
        "tts-1-hd",
        "wav",
        1.5,
    )
    [(mime, data)] = audio_sources(html)
    assert mime == "audio/wav" and data == speech.data
    assert "speed 1.5" in html


def test_instructions_are_sent_for_gpt_4o_mini_tts(run, shell):
    player(run('%comet_say -m gpt-4o-mini-tts -i "speak slowly" -o s Hi there.'))
    assert shell.user_ns["s"].instructions == "speak slowly"
    assert shell.user_ns["s"].model == "gpt-4o-mini-tts"


def test_pcm_is_wrapped_as_wav_for_playback_only(run, shell):
    html = player(run("%comet_say --format pcm -o s Hi."))
    speech = shell.user_ns["s"]
    [(mime, data)] = audio_sources(html)
    assert speech.data[:4] != b"RIFF"  # the result keeps the raw pcm
    assert mime == "audio/wav" and data[:4] == b"RIFF" and data[44:] == speech.data


def test_opus_plays_as_ogg(run, shell):
    [(mime, data)] = audio_sources(player(run("%comet_say -f opus -o s Hi.")))
    assert mime == "audio/ogg" and data[:4] == b"OggS" == shell.user_ns["s"].data[:4]


def test_save_writes_the_file_and_says_where(run, shell, tmp_path):
    ran = run("%comet_say --save out/hello -o s Hello.")
    assert len(ran.outputs) == 1
    assert ran.stdout.strip() == "saved to out/hello.mp3"
    assert (tmp_path / "out" / "hello.mp3").read_bytes() == shell.user_ns["s"].data


def test_save_to_an_impossible_path_is_one_line(run, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    assert "file/x.mp3" in usage_error(run("%comet_say --save file/x.mp3 Hello."))


@pytest.mark.parametrize("flag", ["-q", "--quiet", "--no-play"])
def test_quiet_shows_nothing_but_keeps_the_variable(run, shell, flag):
    ran = run(f"%comet_say {flag} -o s Hello.")
    assert ran.error is None and ran.outputs == [] and ran.stdout == ""
    assert isinstance(shell.user_ns["s"], Speech)


def test_config_defaults_apply_and_options_win(run, shell):
    run("%config CometAudio.voice = 'nova'")
    run("%config CometAudio.response_format = 'flac'")
    run("%config CometAudio.autoplay = False")
    html = player(run("%comet_say -o a One."))
    assert (shell.user_ns["a"].voice, shell.user_ns["a"].format) == ("nova", "flac")
    assert " autoplay" not in html and "data-comet-autoplay" not in html and " controls" in html
    player(run("%comet_say -v onyx -o b Two."))
    assert shell.user_ns["b"].voice == "onyx"


def test_speed_from_config_is_sent(run, shell):
    run("%config CometAudio.speed = 2.0")
    player(run("%comet_say -o s Fast."))
    assert shell.user_ns["s"].speed == 2.0


def test_large_audio_is_written_beside_the_notebook(run, shell, tmp_path):
    run("%config CometAudio.embed_max_bytes = 1000")
    ran = run("%comet_say -o s This sentence is long enough to pass one kilobyte of mp3.")
    html = player(ran)
    assert audio_sources(html) == []  # nothing embedded
    files = list((tmp_path / "comet_audio").iterdir())
    assert len(files) == 1 and files[0].suffix == ".mp3"
    assert files[0].read_bytes() == shell.user_ns["s"].data
    assert f'src="comet_audio/{files[0].name}"' in html
    assert "too large to embed" in html and files[0].name in ran.outputs[0]["text/plain"]
    run("s")  # showing it again reuses the same file
    assert len(list((tmp_path / "comet_audio").iterdir())) == 1


# --- bad input: one or two clear lines, never a traceback -----------------------------


def usage_error(ran) -> str:
    assert isinstance(ran.error, UsageError), ran.error
    assert ran.stderr.startswith("UsageError: ") and "Traceback" not in ran.stderr
    assert len(ran.stderr.strip().splitlines()) <= 2
    return ran.stderr


def test_no_text_says_how_to_call_it(run):
    assert "no text to speak" in usage_error(run("%comet_say"))
    assert "no text to speak" in usage_error(run("%comet_say -v nova"))
    assert "no text to speak" in usage_error(run("%%comet_say\n\n  \n"))


def test_unknown_voice_reports_the_service_message(run, engine):
    message = usage_error(run("%comet_say --voice nobody Hello"))
    assert "HTTP 400" in message and "nobody" in message
    assert engine.hits("/v1/audio/speech") == 1  # a 400 is not retried


def test_unknown_format_and_bad_options_are_usage_errors(run):
    assert "invalid choice" in usage_error(run("%comet_say --format ogg Hello"))
    assert "invalid float" in usage_error(run("%comet_say --speed fast Hello"))
    assert "speed 9.0 is out of range" in usage_error(run("%comet_say --speed 9 Hello"))
    assert "unknown option '--loud'" in usage_error(run("%comet_say --loud Hello"))
    assert "Python variable name" in usage_error(run("%comet_say -o 1x Hello"))
    assert "no closing" in usage_error(run('%comet_say -v "nova Hello'))


def test_a_word_that_looks_like_a_short_option_is_never_swallowed(run, shell):
    message = usage_error(run("%comet_say -ing is a suffix"))
    assert "unknown option '-ing'" in message and "%comet_say -- -ing is a suffix" in message
    assert "unknown option '--inst'" in usage_error(run("%comet_say --inst calm Hello"))
    ran = run("%comet_say -q -o said -- -ing is a suffix")
    assert ran.error is None and shell.user_ns["said"].text == "-ing is a suffix"
    assert shell.user_ns["said"].instructions is None


def test_text_on_both_line_and_cell_is_refused(run):
    assert "only options" in usage_error(run("%%comet_say Hello\nWorld"))


def test_too_long_text_says_to_split_it(run):
    message = usage_error(run("%comet_say " + "word " * 1000))
    assert "4,096" in message and "split it" in message


def test_rate_limit_then_success_plays(run, shell, engine):
    engine.inject("/v1/audio/speech", 429, count=1, retry_after=0)
    player(run("%comet_say -o s Hello after a wait."))
    assert engine.hits("/v1/audio/speech") == 2
    assert session.call_log()[-1].attempts == 2


def test_server_errors_exhausting_retries_end_in_two_lines(run, engine):
    engine.inject("/v1/audio/speech", 503, count=10, retry_after=0)
    message = usage_error(run("%comet_say Hello"))
    assert "HTTP 503" in message and "try again" in message


def test_unauthorized_is_short_and_full_traceback_on_request(run, shell, engine):
    engine.inject("/v1/audio/speech", 401, count=3)
    message = usage_error(run("%comet_say Hello"))
    assert "HTTP 401 authentication failed" in message and "%comet_login" in message
    run("%config CometAudio.short_errors = False")
    with pytest.raises(AuthenticationError):
        shell.run_line_magic("comet_say", "Hello")
    ran = run("%comet_say Hi")
    assert isinstance(ran.error, AuthenticationError)
    shown = ran.stdout + ran.stderr
    assert "AuthenticationError" in shown and "_send" in shown  # the whole traceback


def test_without_key_or_url_the_builtin_engine_answers_with_one_notice(run, monkeypatch, engine):
    monkeypatch.delenv("COMETAPI_BASE_URL")
    monkeypatch.setattr("comet_audio_nb.local.get_engine", lambda: engine)
    monkeypatch.setattr(launcher, "_notice_shown", False)
    first = run("%comet_say Hello")
    player(first)
    assert first.stderr.strip() == launcher.LOCAL_ENGINE_NOTICE
    second = run("%comet_say Hello again")
    player(second)
    assert second.stderr == ""
    assert session.get_client().uses_local_engine
