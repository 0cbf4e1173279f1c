"""The key never reaches what a notebook shows or saves: reprs, verbose tracebacks, errors."""

from __future__ import annotations

import pickle

import pytest

from comet_audio_nb import CometClient, ServerError
from comet_audio_nb.config import Secret
from comet_audio_nb.notebook import session

KEY = "sk-sentinel0123456789abcdefSECRET"
SPEECH = "/v1/audio/speech"


def test_a_verbose_traceback_of_a_failing_call_never_shows_the_key(run, shell, engine):
    session.set_api_key(KEY)
    engine.inject(SPEECH, 400, body={"error": {"message": "bad voice"}}, count=5)
    ran = run(
        "%xmode Verbose\n"
        "%config CometAudio.short_errors = False\n"
        "client = __import__('comet_audio_nb').notebook.session.get_client()\n"
        "client.speech('Hello there')"
    )
    shown = ran.stdout + ran.stderr
    assert "BadRequestError" in shown and "bad voice" in shown  # the full traceback came out
    assert "settings" in shown  # ... with the client's attributes in it
    assert KEY not in shown and KEY[3:20] not in shown
    run("%xmode Context")


def test_the_key_is_a_secret_that_shows_masked_everywhere():
    client = CometClient(api_key=KEY, base_url="http://127.0.0.1:9/v1")
    key = client.settings.api_key
    assert isinstance(key, Secret) and key.get_secret_value() == KEY
    for text in (repr(key), str(key), f"{key}", repr(client.settings), repr(client),
                 repr(vars(client.settings))):  # fmt: skip
        assert KEY not in text and "…" in text
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_a_key_echoed_by_the_server_is_masked_before_the_message_is_cut(engine):
    client = CometClient(api_key=KEY, base_url=engine.base_url, max_retries=0)
    for prefix in (280, 290, 295, 299):  # the key straddles the 300-character cut
        message = "x" * prefix + " " + KEY + " tail"
        engine.inject(SPEECH, 500, body={"error": {"message": message}},
                      headers={"x-echo": f"Bearer {KEY}"})  # fmt: skip
        with pytest.raises(ServerError) as caught:
            client.speech("Hello")
        error = caught.value
        everything = " ".join([str(error), repr(error.body), repr(error.headers)])
        assert KEY[3:12] not in everything, prefix
        assert KEY[-6:] not in everything and "sk-s" not in str(error).replace("sk-s…", "")
    client.close()
