"""Peak memory growth of the client while it uploads a 200 MB file.

Run: python benchmarks/upload_memory.py [--megabytes 200]

The engine runs in its own process (``comet-audio serve``) so that only the client's
memory is counted; it is told to answer the upload with a 400 after reading it all, so
the whole file crosses the wire without 200 MB of recognition. Prints the peak RSS growth
of the uploading process next to the file size, for our client and for a naive upload
that reads the file into memory first.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CHILD = """
import resource, sys, httpx
from comet_audio_nb import CometClient, CometError
mode, base, path = sys.argv[1:4]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if mode == "comet":
    client = CometClient(base_url=base, max_upload_bytes=10**10, max_retries=0)
    try:
        client.transcribe(path)
    except CometError as error:
        assert error.status == 400, error
else:
    data = open(path, "rb").read()
    httpx.post(base + "/audio/transcriptions", files={"file": ("a.wav", data, "audio/wav")},
               data={"model": "whisper-1"}, timeout=600)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "comet_audio_nb.local", "serve", "--port", str(port), "--control"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/v1/models", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "long.wav"
            with open(path, "wb") as f:
                f.write(b"RIFF\xff\xff\xff\xffWAVEfmt ")
                f.truncate(args.megabytes * 1_000_000)
            size = os.path.getsize(path)
            print(f"upload of {size / 1e6:.0f} MB (peak RSS growth of the uploading process)")
            for mode in ("comet", "naive"):
                body = {"path": "/v1/audio/transcriptions", "status": 400, "count": 1}
                httpx.post(f"{base}/_engine/faults", json=body).raise_for_status()
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, mode, f"{base}/v1", str(path)],
                    check=True, capture_output=True, text=True,
                )  # fmt: skip
                growth = int(out.stdout.split()[-1])
                name = "CometClient" if mode == "comet" else "read-then-post"
                print(f"  {name:<15} {growth / 1e6:8.1f} MB  ({growth / size:.1%} of the file)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
