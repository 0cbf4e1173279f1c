"""Input the engine cannot speak is a 400, and the engine's logs never reach a notebook cell."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from engine_helpers import assert_api_error


@pytest.mark.parametrize(
    "text",
    ["a\x00b", "bell \x07 here", "escape \x1b[31m red", "form\x0cfeed", "delete \x7f"],
)
def test_control_characters_in_the_input_are_a_400(api, text):
    body = {"model": "tts-1", "input": text, "voice": "alloy"}
    error = assert_api_error(api.post("/audio/speech", json=body), 400, param="input")
    assert error["code"] == "invalid_value" and "control character" in error["message"]
    assert "\n" not in error["message"]


def test_a_lone_surrogate_is_a_400(api):
    raw = b'{"model": "tts-1", "input": "half \\ud800 a pair", "voice": "alloy"}'
    response = api.post("/audio/speech", content=raw, headers={"Content-Type": "application/json"})
    assert_api_error(response, 400, param="input", code="invalid_value")


@pytest.mark.parametrize("fmt", ["mp3", "flac"])  # streamed, and sent whole
def test_text_the_voice_refuses_is_a_400_not_a_500(api, monkeypatch, fmt):
    from comet_audio_nb.local import tts

    def refuse(*args, **kwargs):  # a generator, as tts.speak is: it fails when first asked
        raise ValueError("the phonemiser cannot read this")
        yield

    monkeypatch.setattr(tts, "speak", refuse)
    body = {
        "model": "tts-1",
        "input": "Something to refuse.",
        "voice": "alloy",
        "response_format": fmt,
    }
    error = assert_api_error(api.post("/audio/speech", json=body), 400, param="input")
    assert error["message"].startswith("'input' could not be synthesised.")


def test_tabs_and_newlines_are_speech(api):
    body = {"model": "tts-1", "input": "One line.\nAnother,\tafter a tab.\r\n", "voice": "alloy"}
    response = api.post("/audio/speech", json=body)
    assert response.status_code == 200 and response.content


# A kernel's stderr is its cells' output: run the in-kernel engine in a fresh process (no
# logging configured, like a kernel) and make it fail in the three ways that used to print
# there: a bad input, an internal error before the response, and one after it started.
KERNEL = r"""
import json, logging, sys
import httpx
from comet_audio_nb.local import LocalEngine, middleware, tts

seen = []
class Keep(logging.Handler):
    def emit(self, record):
        seen.append(record.name)
logging.getLogger("comet_audio_nb.local").addHandler(Keep())

def broken(*args):
    raise RuntimeError("synthesis blew up")
tts.speak = broken  # what every speech answer, streamed or whole, is made by

async def half_sent(self, scope, receive, send):
    if scope["path"] == "/v1/models":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("after the start")
    await original(self, scope, receive, send)
original = middleware.EngineMiddleware._serve
middleware.EngineMiddleware._serve = half_sent

engine = LocalEngine().start()
statuses = []
with httpx.Client(base_url=engine.base_url, timeout=30) as client:
    body = {"model": "tts-1", "input": "nul\u0000here", "voice": "alloy"}
    statuses.append(client.post("/audio/speech", json=body).status_code)
    body["input"] = "fine"
    statuses.append(client.post("/audio/speech", json=body).status_code)
    try:
        client.get("/models")
    except httpx.HTTPError:
        statuses.append("cut")
engine.stop()
sys.stdout.write(json.dumps({"statuses": statuses, "logged": seen}))
"""


def test_the_in_kernel_engine_logs_to_a_logger_not_to_stderr():
    result = subprocess.run(
        [sys.executable, "-c", KERNEL], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    outcome = json.loads(result.stdout)
    assert outcome["statuses"] == [400, 500, "cut"]
    assert len(outcome["logged"]) >= 2  # both failures reached the engine's logger
    assert all(name.startswith("comet_audio_nb.local") for name in outcome["logged"])
