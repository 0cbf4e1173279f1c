"""%%comet_transcribe: one source shows its transcript, several a table; bad sources."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from IPython.core.error import UsageError

from comet_audio_nb import Transcript
from comet_audio_nb.audio.downloads import Downloads
from comet_audio_nb.errors import SourceError
from comet_audio_nb.notebook import session


@pytest.fixture(scope="module")
def web(speech_wav: bytes) -> Iterator[str]:
    """A loopback web server: /speech.wav (with a length), /stream.wav (without), else 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path not in ("/speech.wav", "/stream.wav"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav")
            if path == "/speech.wav":
                self.send_header("Content-Length", str(len(speech_wav)))
            self.end_headers()
            self.wfile.write(speech_wav)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/missing.wav"


@pytest.fixture
def clips(tmp_path, speech_wav_path):
    """Two copies of the test speech in the cwd: a.wav and b.wav."""
    for name in ("a.wav", "b.wav"):
        shutil.copy(speech_wav_path, tmp_path / name)
    return tmp_path


def heard(text: str) -> bool:
    return "fox" in text.lower() and "lazy" in text.lower()


def shown_transcript(ran) -> str:
    assert ran.error is None, ran.stderr
    assert len(ran.outputs) == 1
    bundle = ran.outputs[0]
    assert set(bundle) == {"text/html", "text/plain"}
    return bundle["text/plain"]


def shown_table(ran, shell, name="out"):
    assert ran.error is None, ran.stderr
    assert len(ran.outputs) == 1 and "<table" in ran.outputs[0]["text/html"]
    return shell.user_ns[name].df


def usage_error(ran) -> str:
    assert isinstance(ran.error, UsageError), ran.error
    assert ran.stderr.startswith("UsageError: ") and len(ran.stderr.strip().splitlines()) <= 2
    return ran.stderr


def test_one_file_shows_its_transcript(run, shell, speech_wav_path):
    ran = run(f"%%comet_transcribe -o t\n{speech_wav_path}\n")
    text = shown_transcript(ran)
    transcript = shell.user_ns["t"]
    assert isinstance(transcript, Transcript) and heard(transcript.text)
    assert transcript.text in text and text.startswith("transcript")
    assert transcript.source == str(speech_wav_path)
    assert transcript.model == "whisper-1"


def test_segment_timestamps_show_and_fill_segments(run, shell, speech_wav_path):
    ran = run(f"%%comet_transcribe --timestamps segment -o t\n{speech_wav_path}")
    html = ran.outputs[0]["text/html"]
    assert "[0:00.0 → 0:0" in html
    segments = shell.user_ns["t"].segments
    assert len(segments) >= 1 and str(segments["start"].dtype) == "float64"
    assert heard(" ".join(segments["text"]))


def test_word_timestamps_fill_words(run, shell, speech_wav_path):
    shown_transcript(run(f"%%comet_transcribe -t word -o t\n{speech_wav_path}"))
    words = shell.user_ns["t"].words
    assert len(words) >= 8 and {"word", "start", "end"} <= set(words.columns)
    assert (words["end"] >= words["start"]).all()


@pytest.mark.parametrize("fmt", ["text", "srt", "vtt"])
def test_response_formats(run, shell, speech_wav_path, fmt):
    shown_transcript(run(f"%%comet_transcribe --format {fmt} -o t\n{speech_wav_path}"))
    assert shell.user_ns["t"].response_format == fmt and heard(shell.user_ns["t"].text)


def test_language_prompt_and_model_options(run, shell, speech_wav_path):
    options = "-l en -p 'A fox story.' -m gpt-4o-mini-transcribe -o t"
    code = f"%%comet_transcribe {options}\n{speech_wav_path}"
    shown_transcript(run(code))
    assert shell.user_ns["t"].model == "gpt-4o-mini-transcribe"


def test_language_from_config(run, shell, speech_wav_path):
    run("%config CometAudio.language = 'xx'")
    message = usage_error(run(f"%%comet_transcribe\n{speech_wav_path}"))
    assert "HTTP 400" in message and "xx" in message


def test_translate_gives_an_english_translation(run, shell, speech_wav_path):
    text = shown_transcript(run(f"%%comet_transcribe --translate -o t\n{speech_wav_path}"))
    assert text.startswith("translation") and shell.user_ns["t"].task == "translate"
    assert session.call_log()[-1].endpoint == "audio/translations"


def test_line_form_takes_the_source_after_the_options(run, shell, speech_wav_path):
    shown_transcript(run(f"%comet_transcribe -o t '{speech_wav_path}'"))
    assert heard(shell.user_ns["t"].text)


def test_variables_hold_bytes_paths_and_speech(run, shell, speech_wav, speech_wav_path):
    shell.user_ns.update(raw=speech_wav, where=str(speech_wav_path))
    run("%comet_say -q -o said The quick brown fox jumps over the lazy dog.")
    df = shown_table(run("%%comet_transcribe -o out\nraw\nwhere\nsaid"), shell)
    assert df["source"].tolist() == ["raw", "where", "said"]
    assert df["error"].isna().all() and all(heard(t) for t in df["text"])
    transcripts = shell.user_ns["out"].transcripts
    assert [t.source for t in transcripts] == ["raw", "where", "said"]


def test_a_list_variable_expands(run, shell, clips):
    shell.user_ns["files"] = ["a.wav", "b.wav"]
    df = shown_table(run("%%comet_transcribe -o out\nfiles"), shell)
    assert df["source"].tolist() == ["files[0]", "files[1]"]


def test_a_glob_gives_a_table_with_typed_columns(run, shell, clips):
    df = shown_table(run("%%comet_transcribe -o out\n*.wav\n# a comment line\n"), shell)
    assert df["source"].tolist() == ["a.wav", "b.wav"]
    assert {"source", "status", "text", "language", "duration", "error"} <= set(df.columns)
    assert df["error"].isna().all() and all(heard(t) for t in df["text"])
    assert str(df["duration"].dtype) == "float64"


def test_failed_sources_get_their_own_row_and_the_rest_go_on(run, shell, clips, web, closed_url):
    cell = f"a.wav\nmissing.wav\nnobody\n{closed_url}\n{web}/speech.wav\nnothing-*.mp3\nb.wav"
    df = shown_table(run(f"%%comet_transcribe -o out\n{cell}"), shell)
    assert df["source"].tolist() == cell.split("\n")
    good = df["error"].isna()
    assert good.tolist() == [True, False, False, False, True, False, True]
    assert all(heard(t) for t in df.loc[good, "text"])
    assert df.loc[good, "status"].nunique() == 1
    assert not set(df.loc[~good, "status"]) & set(df.loc[good, "status"])
    errors = df.loc[~good, "error"].tolist()
    assert "no such audio file" in errors[0]
    assert "no variable or file named 'nobody'" in errors[1]
    assert errors[2].startswith(f"cannot download {closed_url}")
    assert errors[3] == "no file matches nothing-*.mp3"
    assert all("\n" not in e for e in errors)
    out = shell.user_ns["out"]
    assert [t is None for t in out.transcripts] == (~good).tolist()
    assert repr(out).startswith("BatchResult(7 inputs: 3 ok, 4 failed; ")
    # nothing was sent for the sources never found or fetched
    assert out.df["attempts"].tolist()[1:4] == [0, 0, 0]


def test_several_sources_go_through_batch_transcribe_many(run, shell, clips, monkeypatch):
    from comet_audio_nb.jobs import batch
    from comet_audio_nb.jobs.defaults import job_defaults

    calls = []
    real = batch.transcribe_many

    def spy(sources, **options):
        calls.append((list(sources), options))
        return real(sources, **options)

    monkeypatch.setattr(batch, "transcribe_many", spy)
    run("%config CometAudio.concurrency = 3")
    shown_table(run("%%comet_transcribe -l en -o out\n*.wav"), shell)
    [(sources, options)] = calls
    assert [s.audio.name for s in sources] == ["a.wav", "b.wav"]
    assert options["language"] == "en"
    # no --concurrency: the job takes the session's, pushed down to the jobs layer
    assert options["concurrency"] is None and job_defaults.concurrency == 3
    assert options["translate"] is False and options["client"] is session.get_client()


def test_a_downloaded_url_is_transcribed(run, shell, web):
    shown_transcript(run(f"%%comet_transcribe -o t\n{web}/stream.wav"))
    assert heard(shell.user_ns["t"].text) and shell.user_ns["t"].source == f"{web}/stream.wav"


@pytest.mark.parametrize(
    "cell, message",
    [
        ("missing.wav", "no such audio file: missing.wav"),
        ("nobody", "no variable or file named 'nobody'"),
        ("clips/*.ogg", "no file matches clips/*.ogg"),
        ("CLOSED", "cannot download http://127.0.0.1:"),
        ("\n\n# only a comment", "no audio to transcribe"),
    ],
)
def test_one_bad_source_is_a_short_error(run, closed_url, cell, message):
    assert message in usage_error(run("%%comet_transcribe\n" + cell.replace("CLOSED", closed_url)))


def test_option_mistakes_are_usage_errors(run, speech_wav_path):
    path = speech_wav_path
    assert "does not apply" in usage_error(run(f"%%comet_transcribe --translate -l fr\n{path}"))
    assert "no word timestamps" in usage_error(
        run(f"%%comet_transcribe --translate -t word\n{path}")
    )
    assert "invalid choice" in usage_error(run(f"%%comet_transcribe -t line\n{path}"))
    assert "use 1 or more" in usage_error(run(f"%%comet_transcribe -c 0\n{path}"))


def test_rate_limit_then_success(run, shell, engine, speech_wav_path):
    engine.inject("/v1/audio/transcriptions", 429, count=1, retry_after=0)
    shown_transcript(run(f"%%comet_transcribe -o t\n{speech_wav_path}"))
    assert session.call_log()[-1].attempts == 2


def test_unauthorized_single_and_several(run, shell, engine, clips):
    engine.inject("/v1/audio/transcriptions", 401, count=3)
    message = usage_error(run("%%comet_transcribe\na.wav"))
    assert "HTTP 401 authentication failed" in message
    df = shown_table(run("%%comet_transcribe -o out\na.wav\nb.wav"), shell)
    assert df["error"].str.contains("HTTP 401").all()


def test_downloads_stop_at_the_upload_limit(web, speech_wav):
    with Downloads(max_bytes=len(speech_wav) - 1) as downloads:
        for path in ("/speech.wav", "/stream.wav"):  # declared length, and streamed
            with pytest.raises(SourceError, match="larger than the upload limit"):
                downloads.fetch(web + path)
        with pytest.raises(SourceError, match="HTTP 404"):
            downloads.fetch(web + "/nothing.wav")
    with Downloads(max_bytes=len(speech_wav)) as downloads:
        path = downloads.fetch(web + "/stream.wav?x=1")
        assert path.name == "stream.wav" and path.read_bytes() == speech_wav
    assert not path.exists()  # the temporary folder is gone


@pytest.mark.parametrize("tail", ["%2e%2e", "%2E%2E/", "x" * 300 + ".wav", "%00.wav"])
def test_a_url_whose_name_cannot_be_a_file_never_stops_the_others(run, shell, clips, web, tail):
    ran = run(f"%%comet_transcribe -o out\na.wav\n{web}/{tail}\nb.wav")
    assert ran.error is None, ran.stderr
    df = shell.user_ns["out"].df
    assert df["status"].tolist() == ["ok", "failed", "ok"]
    assert "404" in df["error"][1]  # fetched under a safe name: the server's own answer


def test_one_source_over_the_upload_limit_is_split_as_among_several(run, shell, clips):
    from comet_audio_nb.notebook.session import _session

    client = session.get_client()
    limit = (clips / "a.wav").stat().st_size * 2 // 3  # the file is over it; its parts are not
    small = type(client)(base_url=client.settings.base_url, max_upload_bytes=limit,
                         on_call=session._log_call)  # fmt: skip
    _session.client = small  # as if the service took files only up to that size
    session.clear_call_log()
    try:
        ran = run("%%comet_transcribe -o t\na.wav")
        assert ran.error is None, ran.stderr
        text = shell.user_ns["t"].text.lower()
        assert "fox" in text and "dog" in text  # (a word can go at a seam of so short a clip)
        assert len(session.call_log()) > 1  # sent in parts
    finally:
        _session.client = None
        small.close()
