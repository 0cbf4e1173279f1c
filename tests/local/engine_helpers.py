"""Helpers for the local-engine tests: decoding audio, comparing words, error shapes, raw HTTP."""

from __future__ import annotations

import difflib
import io
import re
import socket

import httpx
import numpy as np

REQUEST_ID = re.compile(r"\(request id: ([0-9a-f]+)\)$")


def decode(data: bytes) -> tuple[np.ndarray, int, str]:
    """Decode audio bytes with PyAV: (mono float samples, sample rate, codec name)."""
    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        codec = stream.codec_context.name
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    return np.concatenate(frames), rate, codec


def duration(data: bytes) -> float:
    samples, rate, _ = decode(data)
    return samples.size / rate


def words(text: str) -> list[str]:
    """Lower-case words without punctuation."""
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


def word_accuracy(reference: str, hypothesis: str) -> float:
    """Share of reference words matched, in order, by the hypothesis."""
    ref, hyp = words(reference), words(hypothesis)
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / max(len(ref), 1)


def pitch(samples: np.ndarray, rate: int) -> float:
    """Median fundamental frequency (Hz) of the voiced 40 ms frames, by autocorrelation."""
    x = samples.astype(np.float32)
    if np.abs(x).max() > 1.5:
        x = x / 32768.0
    frame = int(0.04 * rate)
    lo, hi = int(rate / 400), int(rate / 60)
    estimates = []
    for start in range(0, x.size - frame, frame // 2):
        chunk = x[start : start + frame]
        if np.sqrt(np.mean(chunk**2)) < 0.05:
            continue
        chunk = chunk - chunk.mean()
        ac = np.correlate(chunk, chunk, "full")[frame - 1 :]
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            estimates.append(rate / lag)
    return float(np.median(estimates))


def assert_api_error(
    response: httpx.Response, status: int, *, param: str | None = None, code: str | None = None
) -> dict:
    """Check a CometAPI error response and return its error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "comet_api_error"
    match = REQUEST_ID.search(error["message"])
    assert match, error["message"]
    assert match.group(1) == response.headers["x-request-id"]
    if param is not None:
        assert error["param"] == param
    if code is not None:
        assert error["code"] == code
    return error


def open_request(url: str, path: str, headers: dict[str, str]) -> socket.socket:
    """A connection on which the head of a POST to `path` has been sent, and no body."""
    target = httpx.URL(url)
    sock = socket.create_connection((target.host, target.port), timeout=30)
    lines = [f"POST {path} HTTP/1.1", f"Host: {target.host}:{target.port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def read_response(sock: socket.socket) -> httpx.Response:
    """The response on `sock` (timing out if the server is still waiting for the body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += _recv(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in header_lines]
    length = int(dict((k.lower(), v) for k, v in headers)["content-length"])
    while len(body) < length:
        body += _recv(sock)
    return httpx.Response(int(status_line.split()[1]), headers=headers, content=body)


def _recv(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    assert chunk, "the server closed the connection without an answer"
    return chunk
