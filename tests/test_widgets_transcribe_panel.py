"""TranscribePanel driven through its widgets: recordings, uploads, paths and URLs."""

from __future__ import annotations

import functools
import http.server
from collections.abc import Iterator

import pytest
from widget_helpers import (  # noqa: F401
    answers_held,
    front_end_update,
    loopback_server,
    on_engine,
    recording,
    shown_text,
    words,
)

from comet_audio_nb.notebook import session
from comet_audio_nb.widgets import TranscribePanel, TranscriptPlayer
from comet_audio_nb.widgets._common import DownloadLink

pytestmark = pytest.mark.usefixtures("on_engine")
EXPECTED = {"quick", "brown", "fox", "lazy", "dog"}


def heard(transcript) -> set[str]:
    return EXPECTED & set(words(transcript.text))


def result_widgets(panel: TranscribePanel, kind: type) -> list:
    found, stack = [], list(panel.results.children)
    while stack:
        widget = stack.pop(0)
        if isinstance(widget, kind):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


@pytest.mark.parametrize(
    ("container", "mime", "filename"),
    [("webm", "audio/webm;codecs=opus", "recording.webm"), ("ogg", "audio/ogg", "recording.ogg")],
)
def test_a_recording_from_the_browser_is_transcribed_into_the_panel(
    speech_wav, container, mime, filename, monkeypatch
):
    data = recording(speech_wav, container)
    client, uploaded = session.get_client(), []
    send = client._send
    monkeypatch.setattr(client, "_send", lambda call: uploaded.append(call.upload) or send(call))
    panel = TranscribePanel(background=False)
    front_end_update(panel.recorder, {"mime_type": mime, "status": "sent"}, {"value": data})
    assert panel.inputs.selected_index == 1
    assert len(heard(panel.transcript)) >= 4, panel.transcript.text
    assert panel.transcript.source == "recording"
    (player,) = result_widgets(panel, TranscriptPlayer)
    assert player.audio == data and player.audio_mime == mime.split(";")[0]
    assert player is panel.player and player.segments[0]["start"] == 0.0
    assert "comet-status-ok" in panel.status.value and not panel.busy
    upload = uploaded[-1]
    assert (upload.filename, upload.content_type) == (filename, mime.split(";")[0])


def test_several_uploaded_files_are_transcribed_each_with_its_view(speech_wav):
    panel = TranscribePanel(background=False)
    files = [
        {"name": name, "type": "audio/wav", "size": len(speech_wav), "last_modified": 0}
        for name in ("one.wav", "two.wav")
    ]
    contents = {("value", i, "content"): speech_wav for i in range(2)}
    front_end_update(panel.upload, {"value": files}, contents)
    assert [t.source for t in panel.transcripts] == ["one.wav", "two.wav"]
    assert all(len(heard(t)) >= 4 for t in panel.transcripts)
    assert (panel.progress.max, panel.progress.value) == (2, 2)
    assert panel.progress.layout.display == "none"  # shown only while running
    assert shown_text(panel.status).startswith("✓ Transcribed 2 inputs")
    assert len(result_widgets(panel, TranscriptPlayer)) == 2
    assert panel.upload.value == ()  # cleared, so the same files can be chosen again
    panel.transcribe_button.click()  # the Upload tab: the same files again
    assert len(panel.transcripts) == 2


def test_path_with_options_gives_words_segments_and_subtitle_downloads(speech_wav_path):
    panel = TranscribePanel(str(speech_wav_path), background=False)
    assert panel.inputs.selected_index == 2
    panel.language.value = "en"
    panel.timestamps.value = "word"
    panel.prompt.value = "fox, dog"
    assert panel.options() == {
        "model": "whisper-1",
        "prompt": "fox, dog",
        "language": "en",
        "timestamp_granularities": ["segment", "word"],
    }
    panel.transcribe_button.click()
    transcript = panel.transcript
    assert transcript.language == "english" and not transcript.words.empty
    assert panel.segments.columns[:3].tolist() == ["start", "end", "text"]
    links = {link.label: link for link in result_widgets(panel, DownloadLink)}
    assert links["SRT"].data == transcript.to_srt().encode()
    assert links["VTT"].data == transcript.to_vtt().encode()
    assert links["SRT"].filename == f"{speech_wav_path.stem}.srt"
    assert any(s["words"] for s in panel.player.segments)


def test_translate_and_formats_map_to_what_the_api_accepts(speech_wav_path):
    panel = TranscribePanel(str(speech_wav_path), background=False)
    panel.translate.value = True
    assert panel.language.disabled
    assert panel.options() == {"model": "whisper-1", "response_format": "verbose_json"}
    panel.transcribe()
    assert panel.transcript.task == "translate" and len(heard(panel.transcript)) >= 4
    panel.timestamps.value = "word"
    assert panel.transcribe() is False
    assert "no word timestamps" in shown_text(panel.status)
    panel.translate.value = False
    panel.response_format.value = "srt"
    assert panel.timestamps.disabled and "timestamp_granularities" not in panel.options()
    panel.transcribe()
    assert panel.transcript.response_format == "srt" and panel.transcript.segment_records


def test_an_error_shows_in_the_status_and_the_panel_keeps_working(tmp_path, speech_wav_path):
    panel = TranscribePanel(str(tmp_path / "missing.mp3"), background=False)
    panel.transcribe()
    assert shown_text(panel.status).startswith("✗ no such audio file")
    assert not panel.busy and not panel.transcribe_button.disabled and panel.transcript is None
    panel.path.value = str(speech_wav_path)
    panel.transcribe()
    assert "comet-status-ok" in panel.status.value and panel.transcript is not None


def test_nothing_to_transcribe_says_what_to_do():
    panel = TranscribePanel(background=False)
    assert panel.transcribe() is False and "Choose audio files" in panel.status.value
    panel.inputs.selected_index = 1
    assert panel.transcribe() is False and "Record something" in shown_text(panel.status)
    panel.inputs.selected_index = 2
    assert panel.transcribe() is False and "file path or an http(s) URL" in panel.status.value


def shown_everywhere(panel: TranscribePanel) -> str:
    """All the text the panel shows below its inputs: the status line and every result."""
    import ipywidgets

    shown = [shown_text(panel.status)]
    return "\n".join(shown + [shown_text(w) for w in result_widgets(panel, ipywidgets.HTML)])


def test_each_error_shows_once(tmp_path, speech_wav_path, speech_wav):
    panel = TranscribePanel(str(tmp_path / "missing.mp3"), background=False)
    panel.transcribe()  # one input: the status line says why, and nothing below repeats it
    assert shown_everywhere(panel).count("no such audio file") == 1
    several = TranscribePanel(background=False)
    bad = ("bad.mp3", b"not audio at all")
    several._uploads_arrived({"new": [
        {"name": "bad.mp3", "content": bad[1]},
        {"name": "also-bad.mp3", "content": bad[1]},
        {"name": "speech.wav", "content": speech_wav},
    ]})  # fmt: skip
    shown = shown_everywhere(several)
    assert shown.count("✗ bad.mp3:") == 1 and shown.count("✗ also-bad.mp3:") == 1, shown
    assert "1 transcribed, 2 failed (see below)" in shown
    several._uploads_arrived({"new": [dict(name=n, content=bad[1]) for n in ("x.mp3", "y.mp3")]})
    shown = shown_everywhere(several)
    assert "All 2 inputs failed (see below)" in shown and shown.count("✗ x.mp3:") == 1


def test_a_blocked_microphone_is_said_once_by_the_recorder_itself():
    # The recorder shows its own message beside its buttons; the panel does not repeat it.
    panel = TranscribePanel(background=False)
    front_end_update(
        panel.recorder, {"status": "error", "error": "Microphone access was blocked."}, {}
    )
    assert shown_text(panel.status) == "" and panel.recorder.error


def test_the_microphone_tab_has_one_transcribe_button():
    # A recording goes to the kernel when Stop is pressed: no "Transcribe recording" button
    # of the recorder's own beside the panel's Transcribe.
    panel = TranscribePanel(background=False)
    assert panel.recorder.auto_send
    panel.inputs.selected_index = 1
    assert panel.transcribe() is False
    assert "transcribed when you press Stop" in shown_text(panel.status)


def test_silence_is_said_to_hold_no_speech(speech_wav, monkeypatch):
    from comet_audio_nb import Transcript

    silent = Transcript("", duration=2.0, segment_records=[{"start": 0, "end": 2.0, "text": ""}])
    monkeypatch.setattr(session.get_client(), "transcribe", lambda audio, **options: silent)
    panel = TranscribePanel(background=False)
    front_end_update(
        panel.recorder, {"mime_type": "audio/wav", "status": "sent"}, {"value": speech_wav}
    )
    assert panel.transcript is silent and "comet-status-ok" in panel.status.value
    assert panel.player.segments == []  # the player says "(no speech heard)", not "0:00.0"


@pytest.fixture
def audio_url(speech_wav_path) -> Iterator[str]:
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(speech_wav_path.parent)
    )
    handler.log_message = lambda *args: None
    with loopback_server(handler) as address:
        yield f"{address}/{speech_wav_path.name}"


def test_a_url_is_downloaded_for_the_api_and_played_from_where_it_is(audio_url):
    panel = TranscribePanel(audio_url, background=False)
    panel.transcribe()
    assert len(heard(panel.transcript)) >= 4 and panel.transcript.source == audio_url
    assert panel.player.audio_url == audio_url and panel.player.audio == b""
    panel.path.value = audio_url.rsplit("/", 1)[0] + "/missing.wav"
    panel.transcribe()
    assert "HTTP 404" in shown_text(panel.status) and panel.transcript is None


def test_transcribe_runs_in_the_background_with_the_button_disabled(engine, speech_wav_path):
    results = []
    panel = TranscribePanel(str(speech_wav_path), on_result=results.append)
    with answers_held("audio/transcriptions"):
        assert panel.transcribe() is True
        assert panel.busy and panel.transcribe_button.disabled
        assert panel.progress.layout.display == ""
        assert panel.transcribe() is False and "Still transcribing" in panel.status.value
    assert panel.wait(120)
    assert not panel.busy and not panel.transcribe_button.disabled
    assert results == [panel.transcript] and len(heard(panel.transcript)) >= 4


def test_models_come_from_the_engine_and_defaults_from_config():
    session.get_defaults().transcribe_model = "gpt-4o-transcribe"
    session.get_defaults().language = "en"
    panel = TranscribePanel(background=False)
    assert panel.model.value == "gpt-4o-transcribe" and panel.language.value == "en"
    assert set(panel.model.options) == {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"}


def test_options_given_to_the_panel_win_over_the_defaults(speech_wav_path):
    panel = TranscribePanel(
        str(speech_wav_path),
        model="gpt-4o-mini-transcribe",
        prompt="fox",
        response_format="json",
        timestamps=None,
        translate=True,
        background=False,
    )
    assert panel.language.disabled and panel.timestamps.disabled
    assert panel.options() == {
        "model": "gpt-4o-mini-transcribe",
        "prompt": "fox",
        "response_format": "json",
    }
    words_panel = TranscribePanel(language="fr", timestamps="word", background=False)
    assert words_panel.options()["language"] == "fr"
    assert words_panel.options()["timestamp_granularities"] == ["segment", "word"]


def test_one_file_over_the_upload_limit_is_split_as_in_the_magic(speech_wav_path, engine):
    from comet_audio_nb import CometClient

    calls = []
    limit = speech_wav_path.stat().st_size * 2 // 3  # the file is over it; its parts are not
    client = CometClient(base_url=engine.base_url, max_upload_bytes=limit, on_call=calls.append)
    panel = TranscribePanel(str(speech_wav_path), client=client, background=False)
    panel.transcribe_button.click()
    assert panel.transcript is not None and "fox" in panel.transcript.text.lower()
    assert len(calls) > 1 and all(c.ok for c in calls)  # sent in parts, nothing refused
    client.close()
