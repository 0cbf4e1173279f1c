"""TranscribePanel's Stream option: the text growing while it arrives, then the transcript.

The engine streams for the gpt-4o transcribe names and answers whisper-1 whole; a loopback
stand-in for the service sends deltas slowly enough to see each redraw.
"""

from __future__ import annotations

import http.server
import json
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import ipywidgets
import pytest
from widget_helpers import loopback_server, on_engine, shown_text, words  # noqa: F401

from comet_audio_nb import CometClient
from comet_audio_nb.notebook.live_transcript import REDRAW_SECONDS, SENT_IN_PARTS, not_streamed
from comet_audio_nb.widgets import TranscribePanel, TranscriptPlayer

pytestmark = pytest.mark.usefixtures("on_engine")
TRANSCRIBE = "/v1/audio/transcriptions"
WIRE = Path(__file__).parent / "data" / "wire"
SENTENCES = (
    "The quick brown fox jumps over the lazy dog. She sells sea shells by the sea shore. "
    "Peter Piper picked a peck of pickled peppers."
)


def shown_below(panel: TranscribePanel, kind: type = ipywidgets.HTML) -> list:
    """The widgets of ``kind`` in the panel's results, in page order."""
    found, stack = [], list(panel.results.children)
    while stack:
        widget = stack.pop(0)
        if isinstance(widget, kind):
            found.append(widget)
        stack[:0] = getattr(widget, "children", ())
    return found


def live_values(panel: TranscribePanel) -> list[tuple[str, str]]:
    """Every (text, markup) the live text takes from now on."""
    seen: list[tuple[str, str]] = []
    panel.live_text.observe(lambda c: seen.append((panel.live_text.text, c["new"])), "value")
    return seen


@pytest.fixture(scope="module")
def sentences_wav(engine) -> bytes:
    """The engine speaking three sentences (in-process, as conftest's speech_wav)."""
    from comet_audio_nb.local.routes_speech import parse_speech, render_speech

    body = {"model": "tts-1", "input": SENTENCES, "voice": "alloy", "response_format": "wav"}
    return render_speech(parse_speech(body))


def test_the_text_grows_on_the_page_then_the_transcript_replaces_it(sentences_wav, tmp_path):
    clip = tmp_path / "three.wav"
    clip.write_bytes(sentences_wav)
    panel = TranscribePanel(
        str(clip), model="gpt-4o-mini-transcribe", stream=True, background=False
    )
    assert panel.timestamps.disabled and "timestamp_granularities" not in panel.options()
    seen = live_values(panel)
    panel.transcribe()
    transcript = panel.transcript
    texts = [text for text, _ in seen if text]
    assert len(set(texts)) >= 2, texts  # a sentence, then more: one segment at a time
    assert all(later.startswith(earlier) for earlier, later in pairwise(texts))
    assert texts[-1].strip() == transcript.text.strip()
    assert {"fox", "peppers"} <= set(words(transcript.text))
    assert transcript.model == "gpt-4o-mini-transcribe" and transcript.source == str(clip)
    assert panel.live_text not in panel.results.children  # the transcript view took its place
    (player,) = shown_below(panel, TranscriptPlayer)
    assert "does not stream" not in " ".join(shown_text(w) for w in shown_below(panel))
    assert "comet-status-ok" in panel.status.value and not panel.busy


@pytest.fixture
def slow_service() -> Iterator[str]:
    """A loopback stand-in for the service: any POST gets a burst of one-letter deltas,
    then three deltas 0.15 s apart, then done."""
    burst = [(letter, 0.0) for letter in "The quick brown fox jumps over the lazy dog."]
    deltas = [*burst, (" It costs", 0.15), (" $5 <b>each</b>", 0.15), (" today.", 0.15)]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the body ends when the connection closes

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            text = "".join(delta for delta, _ in deltas)
            for delta, pause in [*deltas, (None, 0.0)]:
                event = {"type": "transcript.text.delta", "delta": delta}
                if delta is None:
                    event = {"type": "transcript.text.done", "text": text}
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
                time.sleep(pause)

        def do_GET(self) -> None:  # the panel asks for the model list: there is none
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as address:
        yield f"{address}/v1"


def test_each_redraw_shows_more_escaped_and_at_most_ten_a_second(slow_service, speech_wav):
    with CometClient(base_url=slow_service, api_key="sk-test") as client:
        panel = TranscribePanel(
            model="gpt-4o-transcribe", stream=True, client=client, background=False
        )
        seen = live_values(panel)
        started = time.monotonic()
        panel._uploads_arrived({"new": [{"name": "price.wav", "content": speech_wav}]})
        elapsed = time.monotonic() - started
    texts = [text for text, _ in seen if text]
    assert len(set(texts)) >= 3, texts  # the text grew while it arrived, not only at the end
    assert all(later.startswith(earlier) for earlier, later in pairwise(texts))
    said = "The quick brown fox jumps over the lazy dog. It costs $5 <b>each</b> today."
    assert texts[-1] == panel.transcript.text == said
    # 47 deltas; the ellipsis, then a redraw per 0.1 s at most, and the rest at the end
    assert len(seen) <= 2 + elapsed / REDRAW_SECONDS, len(seen)
    markup = seen[-1][1]
    assert "&lt;b&gt;each&lt;/b&gt;" in markup and "<b>" not in markup  # shown as written
    assert "tex2jax_ignore mathjax_ignore" in markup  # "$5" stays a dollar amount


def test_whisper_says_in_one_quiet_line_that_it_does_not_stream(speech_wav_path, speech_text):
    panel = TranscribePanel(str(speech_wav_path), stream=True, background=False)
    seen = live_values(panel)
    panel.transcribe()
    assert panel.transcript.text.strip() == speech_text
    lines = [shown_text(w) for w in shown_below(panel) if "does not stream" in shown_text(w)]
    assert lines == [not_streamed("whisper-1")]
    assert "gpt-4o-mini-transcribe, gpt-4o-transcribe" in lines[0]
    assert [text for text, _ in seen if text] == []  # nothing grew: it came whole
    assert "comet-status-ok" in panel.status.value


def test_a_stream_cut_mid_way_keeps_its_text_and_says_why_in_one_line(engine, speech_wav_path):
    lines = (WIRE / "stream_mini_logprobs.sse").read_text().split("\n\n")
    body = "\n\n".join(lines[:2]) + "\n\n"  # two deltas, then the connection drops
    engine.inject(
        TRANSCRIBE, 200, body=body, content_type="text/event-stream",
        headers={"content-length": "9999"},
    )  # fmt: skip
    panel = TranscribePanel(
        str(speech_wav_path), model="gpt-4o-mini-transcribe", stream=True, background=False
    )
    panel.transcribe()
    kept = [shown_text(w) for w in shown_below(panel)]
    assert kept == ["The quick"]  # what arrived stays on the page
    status = shown_text(panel.status)
    assert status.startswith("✗") and "cut off" in status and "\n" not in status
    assert "Traceback" not in panel.status.value and panel.transcript is None
    assert not panel.busy and engine.hits(TRANSCRIBE) == 1  # not retried after the first event


def test_stream_is_off_for_translations_and_verbose_json_and_the_status_says_so(speech_wav_path):
    panel = TranscribePanel(str(speech_wav_path), translate=True, stream=True, background=False)
    assert panel.stream.disabled and "Stream is for transcripts" in shown_text(panel.status)
    panel.translate.value = False
    assert not panel.stream.disabled and panel.timestamps.disabled
    assert shown_text(panel.status) == ""  # the note went with the reason for it
    panel.response_format.value = "verbose_json"
    assert panel.stream.disabled and not panel.timestamps.disabled
    assert panel.options()["timestamp_granularities"] == ["segment"]
    panel.response_format.value, panel.translate.value = "", True
    seen = live_values(panel)
    panel.transcribe()
    assert panel.transcript.task == "translate" and "fox" in panel.transcript.text.lower()
    status = shown_text(panel.status)
    assert status.startswith("✓ Translated") and "Stream is for transcripts" in status
    assert seen == [] and "Traceback" not in panel.status.value


def test_a_file_over_the_upload_limit_goes_in_parts_and_says_it_did_not_stream(
    speech_wav_path, engine
):
    calls = []
    limit = speech_wav_path.stat().st_size * 2 // 3  # the file is over it; its parts are not
    with CometClient(base_url=engine.base_url, max_upload_bytes=limit, on_call=calls.append) as c:
        panel = TranscribePanel(str(speech_wav_path), stream=True, client=c, background=False)
        panel.transcribe()
    assert "fox" in panel.transcript.text.lower() and len(calls) > 1
    assert [shown_text(w) for w in shown_below(panel)][0] == SENT_IN_PARTS
    assert "comet-status-ok" in panel.status.value
