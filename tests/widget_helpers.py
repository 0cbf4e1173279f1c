"""Helpers for the widget tests: a session on the test engine, recordings as browsers make
them, a comm message as the front end sends it, and answers held back while a test looks.

Import the fixture by name in a test module: ``from widget_helpers import on_engine``.
"""

from __future__ import annotations

import io
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from comet_audio_nb.notebook import session

KEY_VARS = ("COMETAPI_KEY", "COMETAPI_API_KEY", "COMETAPI_BASE_URL")


@pytest.fixture
def on_engine(engine, monkeypatch, tmp_path) -> Iterator[Any]:
    """A fresh session whose client talks to the test engine; the cwd in ``tmp_path``."""
    for name in KEY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COMETAPI_BASE_URL", engine.base_url)
    monkeypatch.chdir(tmp_path)
    session.reset()
    yield engine
    session.reset()


@contextmanager
def answers_held(endpoint: str) -> Iterator[None]:
    """While the block runs, the session client's calls to ``endpoint`` (e.g.
    "audio/speech") get their answer but do not return it: the widget that made one is
    surely still busy when the block looks at it. The answers go on when the block ends."""
    released = threading.Event()

    def hold(record: Any) -> None:
        if record.endpoint == endpoint:
            released.wait(60)

    hooks = session.get_client().call_hooks
    hooks.append(hold)
    try:
        yield
    finally:
        released.set()
        hooks.remove(hold)


@contextmanager
def loopback_server(handler: Any) -> Iterator[str]:
    """``handler`` (a request handler class) serving on 127.0.0.1 while the block runs;
    the block gets its address, ``http://127.0.0.1:PORT``."""
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def recording(wav: bytes, container: str) -> bytes:
    """The WAV re-encoded as a browser's MediaRecorder gives it: opus in webm or ogg."""
    import av
    import numpy as np

    with wave.open(io.BytesIO(wav)) as source:
        rate = source.getframerate()
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    out = io.BytesIO()
    with av.open(out, "w", format=container) as target:
        stream = target.add_stream("libopus", rate=48_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


def front_end_update(widget: Any, state: dict[str, Any], buffers: dict[str | tuple, bytes]) -> None:
    """Deliver a state update to ``widget`` exactly as the front end's comm message does:
    binary values travel as separate buffers, each named by its path in the state
    (a trait name, or a tuple like ``("value", 0, "content")``)."""
    paths = [[key] if isinstance(key, str) else list(key) for key in buffers]
    message = {
        "content": {"data": {"method": "update", "state": state, "buffer_paths": paths}},
        "buffers": [memoryview(data) for data in buffers.values()],
    }
    widget._handle_msg(message)


def widget_states(root: Any) -> list[dict[str, Any]]:
    """The synced state of ``root`` and every widget inside it (what a front end sees)."""
    states, stack = [], [root]
    while stack:
        widget = stack.pop()
        states.append(widget.get_state())
        stack.extend(getattr(widget, "children", ()))
    return states


def shown_text(html_widget: Any) -> str:
    """The text an HTML widget shows (tags and their attributes left out)."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]*>", "", html_widget.value))


def words(text: str) -> list[str]:
    import re

    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()
