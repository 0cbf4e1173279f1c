"""Oversized bodies are refused as soon as their declared or streamed size passes the limit."""

from __future__ import annotations

import re
import socket
import threading

import httpx
import pytest
from engine_helpers import assert_api_error, open_request, read_response

from comet_audio_nb.local import LocalEngine
from comet_audio_nb.local.bodylimit import SPEECH_BODY_LIMIT, UPLOAD_SLACK

CHUNK = 64 * 1024
DECLARED = 200_000_000  # a 200 MB body, announced and never sent
SMALL_UPLOAD_LIMIT = 1_000_000
BOUNDARY = "comet-test-boundary"
READ = re.compile(r"\((\d+) bytes read\)")


@pytest.fixture(scope="module")
def small_engine():
    """An engine taking uploads of at most 1 MB, so streams past the limit stay small."""
    with LocalEngine(max_upload_bytes=SMALL_UPLOAD_LIMIT) as eng:
        yield eng


class ChunkedSender(threading.Thread):
    """Streams `first` then `total` bytes of filler as a chunked body; stops if cut off."""

    def __init__(self, sock: socket.socket, total: int, first: bytes = b"") -> None:
        super().__init__(daemon=True)
        self.sock, self.total, self.first = sock, total, first

    def _chunk(self, data: bytes) -> bytes:
        return b"%x\r\n%s\r\n" % (len(data), data)

    def run(self) -> None:
        filler = b"x" * CHUNK
        try:
            if self.first:
                self.sock.sendall(self._chunk(self.first))
            for _ in range(self.total // CHUNK):
                self.sock.sendall(self._chunk(filler))
            self.sock.sendall(b"0\r\n\r\n")
        except OSError:  # the server refused and closed: what we hope for
            pass


def bytes_read(response: httpx.Response) -> int:
    return int(READ.search(response.json()["error"]["message"]).group(1))


def assert_refused(response: httpx.Response, param: str = "") -> None:
    assert_api_error(response, 413, code="content_too_large", param=param)
    assert response.headers["connection"] == "close"  # the rest is not read: no keep-alive


@pytest.mark.parametrize(
    ("path", "content_type", "param"),
    [
        ("/v1/audio/speech", "application/json", ""),
        ("/v1/audio/transcriptions", f"multipart/form-data; boundary={BOUNDARY}", "file"),
        ("/v1/audio/translations", f"multipart/form-data; boundary={BOUNDARY}", "file"),
    ],
)
def test_a_declared_length_over_the_limit_is_refused_before_the_body(
    engine, path, content_type, param
):
    headers = {"Content-Type": content_type, "Content-Length": str(DECLARED)}
    with open_request(engine.url, path, headers) as sock:
        response = read_response(sock)  # answered although not one byte of body was sent
    assert_refused(response, param)
    assert httpx.get(engine.base_url + "/models").status_code == 200


def test_a_streamed_json_body_is_cut_off_at_the_limit(engine):
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    total = SPEECH_BODY_LIMIT + 8_000_000
    with open_request(engine.url, "/v1/audio/speech", headers) as sock:
        sender = ChunkedSender(sock, total)
        sender.start()
        response = read_response(sock)
        sender.join(timeout=30)
    assert_refused(response)
    assert SPEECH_BODY_LIMIT < bytes_read(response) < SPEECH_BODY_LIMIT + 1_000_000 < total


def test_a_streamed_upload_is_cut_off_at_the_limit(small_engine):
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Transfer-Encoding": "chunked",
    }
    part = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    limit = SMALL_UPLOAD_LIMIT + UPLOAD_SLACK
    total = limit + 8_000_000
    with open_request(small_engine.url, "/v1/audio/transcriptions", headers) as sock:
        sender = ChunkedSender(sock, total, first=part)
        sender.start()
        response = read_response(sock)
        sender.join(timeout=30)
    assert_refused(response, "file")
    assert limit < bytes_read(response) < limit + 1_000_000 < total


def test_httpx_streaming_too_much_gets_the_413_and_stops_early(engine):
    total = SPEECH_BODY_LIMIT + 64_000_000
    sent = 0

    def body():
        nonlocal sent
        while sent < total:
            sent += CHUNK
            yield b"x" * CHUNK

    response = httpx.post(
        engine.base_url + "/audio/speech",
        content=body(),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert_refused(response)
    assert sent < total  # the client stopped when the server closed; the rest never left
