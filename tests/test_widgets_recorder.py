"""MicRecorder: what arrives from the browser, and how it is named for upload."""

from __future__ import annotations

import pytest
from widget_helpers import front_end_update, recording

from comet_audio_nb.widgets import MicRecorder
from comet_audio_nb.widgets.recorder import recording_extension


@pytest.mark.parametrize(
    ("mime", "extension"),
    [
        ("audio/webm;codecs=opus", "webm"),
        ("audio/ogg; codecs=opus", "ogg"),
        ("audio/mp4", "mp4"),
        ("video/webm", "webm"),
        ("AUDIO/OGG", "ogg"),
        ("", "webm"),
    ],
)
def test_each_browser_format_uploads_under_its_own_extension(mime, extension):
    assert recording_extension(mime) == extension


def test_a_recording_arrives_as_bytes_from_a_binary_buffer(speech_wav):
    data = recording(speech_wav, "ogg")
    recorder = MicRecorder()
    seen = []
    recorder.observe(lambda change: seen.append((recorder.mime_type, change["new"])), "value")
    front_end_update(
        recorder, {"mime_type": "audio/ogg;codecs=opus", "status": "sent"}, {"value": data}
    )
    assert recorder.value == data and isinstance(recorder.value, bytes)
    assert seen == [("audio/ogg;codecs=opus", data)]  # the type is there when value changes
    assert recorder.audio == ("recording.ogg", data)
    assert recorder.status == "sent" and "KB audio/ogg" in repr(recorder)


def test_before_any_recording_there_is_no_audio_and_clear_forgets_one():
    recorder = MicRecorder()
    assert recorder.audio is None and recorder.filename == "recording.webm"
    recorder.mime_type, recorder.value = "audio/mp4", b"\x00\x00\x00\x18ftypmp42"
    assert recorder.audio[0] == "recording.mp4"
    recorder.clear()
    assert recorder.audio is None and recorder.mime_type == ""


def test_a_blocked_microphone_is_reported_by_the_front_end():
    recorder = MicRecorder()
    message = "Microphone access was blocked: allow it for this site in the browser"
    front_end_update(recorder, {"status": "error", "error": message}, {})
    assert recorder.status == "error" and recorder.error == message


def test_the_front_end_module_records_with_media_recorder_and_explains_failures():
    module = MicRecorder._esm
    assert "export default" in module and "new MediaRecorder(" in module
    for case in ("NotAllowedError", "isSecureContext", "NotFoundError", "getUserMedia"):
        assert case in module
    state = MicRecorder(auto_send=True, send_label="Go").get_state()
    assert state["auto_send"] is True and state["send_label"] == "Go"
    assert "value" in state and state["max_seconds"] == 600.0
