"""Shared fixtures for tests that talk to the built-in local engine over loopback.

Fixtures (stable: other test modules rely on them):

- ``engine`` (session): a started ``LocalEngine`` on 127.0.0.1 and a free port, with its TTS
  and STT models preloaded once and its ``/_engine/`` control endpoints on. It serves
  ``tests/data/catalog.json`` at ``/api/models`` if that file exists, else the built-in
  sample catalog. No API key is required.
  After every test that uses ``engine`` its faults, latency and hit counts are reset (the
  autouse ``_reset_engine`` fixture), so inject faults freely inside a test.
- ``speech_text`` (session): the English sentence the engine speaks for ``speech_wav``.
- ``speech_wav`` (session): WAV bytes (24 kHz mono s16, voice alloy) of the engine speaking
  ``speech_text``; made in-process (so it adds no hits) and checked to transcribe word for
  word (synthesis is slightly random from take to take).
- ``speech_wav_path`` (session): the same WAV written to a temporary ``.wav`` file (a Path).
- ``scratch_tempdir``: ``tempfile``'s default folder moved to a fresh one for the test and
  removed after it, for module examples (doctests) that make temporary folders.

Hypothesis runs without its per-example deadline (profile "ci" when ``$CI`` is set, else
"dev"; ``$HYPOTHESIS_PROFILE`` chooses another): the examples build DataFrames and parse
records, whose time depends on the machine's load more than on the code.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

DATA_DIR = Path(__file__).parent / "data"
SPEECH_TEXT = "The quick brown fox jumps over the lazy dog."

# A deadline turns a slow moment of a loaded CI machine into DeadlineExceeded or Flaky.
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def engine() -> Iterator:
    from comet_audio_nb.local import LocalEngine

    catalog = DATA_DIR / "catalog.json"
    # control=True: tests/local/test_faults.py drives the /_engine/ endpoints over HTTP.
    eng = LocalEngine(catalog_path=catalog if catalog.is_file() else None, control=True)
    eng.preload()
    eng.start()
    yield eng
    eng.stop()


@pytest.fixture(autouse=True)
def _reset_engine(request: pytest.FixtureRequest) -> Iterator[None]:
    eng = request.getfixturevalue("engine") if "engine" in request.fixturenames else None
    yield
    if eng is not None:
        eng.reset()


@pytest.fixture(scope="session")
def speech_text() -> str:
    return SPEECH_TEXT


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


@pytest.fixture(scope="session")
def speech_wav(engine) -> bytes:
    # Rendered in-process by the engine's own speech code, so no request shows up in hits().
    # Synthesis is slightly random; keep the first take the recognizer hears word for word.
    from comet_audio_nb.local import stt
    from comet_audio_nb.local.routes_speech import parse_speech, render_speech

    body = {"model": "tts-1", "input": SPEECH_TEXT, "voice": "alloy", "response_format": "wav"}
    for _ in range(3):
        wav = render_speech(parse_speech(body))
        if _words(stt.recognize(stt.decode(wav)).text) == _words(SPEECH_TEXT):
            break
    return wav


@pytest.fixture(scope="session")
def speech_wav_path(speech_wav: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("speech") / "speech.wav"
    path.write_bytes(speech_wav)
    return path


@pytest.fixture
def scratch_tempdir() -> Iterator[Path]:
    saved = tempfile.tempdir
    with tempfile.TemporaryDirectory(prefix="comet-audio-nb-test-") as folder:
        tempfile.tempdir = folder
        try:
            yield Path(folder)
        finally:
            tempfile.tempdir = saved
