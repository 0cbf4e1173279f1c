"""Batch throughput against the ideal, and peak memory while long media is split and sent.

Run: python benchmarks/batch_throughput.py [--files 64] [--concurrency 8] [--latency 0.2]
                                           [--megabytes 200] [--rounds 5]

1. ``transcribe_many`` of ``--files`` small files at ``--concurrency``, the engine adding
   ``--latency`` to every request and answering a canned transcript (so the service's
   time is exactly the latency): wall time next to the ideal
   ``ceil(files / concurrency) * latency``. The issue asks for at most 1.2x.
2. ``transcribe_long`` of WAVs of a quarter, one and two times ``--megabytes``
   (speech-loud noise, so nothing is skipped), each in a fresh child process, the engine
   in another: peak resident memory growth of the client while it decodes, cuts, encodes
   and uploads the chunks (the libraries loaded beforehand), next to the file size.
"""

from __future__ import annotations

import argparse
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx
import numpy as np

from comet_audio_nb import CometClient, RetryPolicy, transcribe_many
from comet_audio_nb.audio import pcm_to_wav
from comet_audio_nb.local import LocalEngine

PATH = "/v1/audio/transcriptions"
CANNED = {"text": "canned", "language": "english", "duration": 1.0, "segments": []}

# Resident memory sampled every 5 ms (Linux /proc): ru_maxrss would also count the peak
# of importing the libraries, which can exceed what the work itself needs.
CHILD = """
import sys, threading, time
import av, numpy  # loaded first: libraries are not what is measured
from comet_audio_nb import CometClient
import comet_audio_nb.jobs.long_audio  # loaded before measuring, as the libraries are
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
base, path = sys.argv[1:3]
client = CometClient(base_url=base)
client.list_models()  # connections and the client's lazy imports, before measuring
before = peak = rss()
def sample():
    global peak
    while True:
        peak = max(peak, rss())
        time.sleep(0.005)
threading.Thread(target=sample, daemon=True).start()
started = time.perf_counter()
transcript = client.transcribe_long(path, progress=False)
elapsed = time.perf_counter() - started
time.sleep(0.02)
print(peak - before, elapsed, len(transcript.raw["chunks"]))
"""


def throughput(files: int, concurrency: int, latency: float, rounds: int) -> None:
    ideal = math.ceil(files / concurrency) * latency
    sources = [(f"clip-{i:03d}.wav", pcm_to_wav(b"\x00\x00" * 4800)) for i in range(files)]
    with LocalEngine() as engine:
        client = CometClient(base_url=engine.base_url, retry=RetryPolicy(max_retries=0))
        engine.set_latency(latency)
        times = []
        for round_ in range(rounds + 1):  # the first round warms up connections and imports
            engine.inject(PATH, 200, body=CANNED, count=files)
            started = time.perf_counter()
            result = transcribe_many(
                sources, client=client, concurrency=concurrency, progress=False
            )
            elapsed = time.perf_counter() - started
            assert result.ok == files, result
            if round_:
                times.append(elapsed)
        client.close()
    median, best = statistics.median(times), min(times)
    verdict = "ok" if median <= 1.2 * ideal else "OVER 1.2x"
    print(f"{files} files, concurrency {concurrency}, engine latency {latency * 1000:.0f} ms")
    print(f"  ideal ceil({files}/{concurrency})*{latency} = {ideal:.2f} s")
    print(f"  transcribe_many  median {median:.3f} s  best {best:.3f} s  "
          f"({median / ideal:.2f}x ideal, {verdict}; {rounds} rounds)")  # fmt: skip


def write_noise_wav(path: Path, megabytes: int) -> None:
    """24 kHz mono 16-bit noise at about -30 dBFS, with a half-second pause every 20 s."""
    rng = np.random.default_rng(0)
    rate, total = 24_000, megabytes * 1_000_000 // 2
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for start in range(0, total, rate * 20):
            count = min(rate * 20, total - start)
            block = rng.normal(0, 1000, count).astype("<i2")
            block[: rate // 2] = 0
            out.writeframes(block.tobytes())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def long_media_memory(sizes: list[int]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "comet_audio_nb.local", "serve", "--port", str(port), "--control"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/v1/models", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        fault = {"path": PATH, "status": 200, "count": 1000, "body": CANNED}
        httpx.post(f"{base}/_engine/faults", json=fault).raise_for_status()
        print("transcribe_long (peak RSS growth of the client process)")
        for megabytes in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "long.wav"
                write_noise_wav(path, megabytes)
                size = os.path.getsize(path)
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, f"{base}/v1", str(path)],
                    check=True, capture_output=True, text=True,
                )  # fmt: skip
                growth, elapsed, chunks = out.stdout.split()
                print(f"  {size / 1e6:5.0f} MB WAV ({size / 48_000 / 60:3.0f} min): "
                      f"{int(growth) / 1e6:6.1f} MB ({int(growth) / size:5.1%} of the file), "
                      f"{chunks} chunks, {float(elapsed):.1f} s")  # fmt: skip
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    throughput(args.files, args.concurrency, args.latency, args.rounds)
    long_media_memory([args.megabytes // 4, args.megabytes, args.megabytes * 2])


if __name__ == "__main__":
    main()
