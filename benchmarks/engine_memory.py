"""Resident memory of the engine before and after a burst of concurrent speech requests.

Run: python benchmarks/engine_memory.py [--requests 32] [--chars 200] [--mode serve|kernel]
                                        [--slots N] [--serial]

The engine runs in its own process: ``comet-audio serve --preload`` (``serve``), or a
Python process holding an in-kernel ``LocalEngine`` on its background thread
(``kernel``). After one warm-up request, ``--requests`` speech requests of ``--chars``
characters each are sent at once from threads here; the engine's RSS is sampled every
20 ms. Prints RSS before, the peak, RSS a few seconds after the last answer, the wall
time and, with ``--serial``, the wall time of the same requests sent one after another,
so the ratio shows what concurrency buys for CPU-bound synthesis. ``--slots`` sets the
engine's synthesis slots (an engine from before they existed ignores nothing: run it
from that checkout without the option).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil

SENTENCE = "The quick brown fox jumps over the lazy dog, and then it runs far away. "
KERNEL = """
import sys
from comet_audio_nb.local import LocalEngine
slots = {"synthesis_slots": int(sys.argv[1])} if len(sys.argv) > 1 else {}
engine = LocalEngine(**slots)
engine.preload()
engine.start()
print(f"comet-audio-nb local engine on {engine.base_url} (Ctrl-C to stop)", flush=True)
sys.stdin.read()
"""
URL_LINE = re.compile(r"local engine on (http://\S+/v1)")


def start_engine(mode: str, slots: int | None) -> tuple[subprocess.Popen, str]:
    if mode == "serve":
        command = [sys.executable, "-m", "comet_audio_nb.local", "serve", "--port", "0"]
        command.append("--preload")
        if slots:
            command += ["--synthesis-slots", str(slots)]
    else:
        command = [sys.executable, "-c", KERNEL, *([str(slots)] if slots else [])]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    match = URL_LINE.search(process.stdout.readline())
    if not match:
        process.kill()
        raise SystemExit("the engine did not start")
    return process, match.group(1)


def speak(client: httpx.Client, text: str) -> int:
    body = {"model": "tts-1", "input": text, "voice": "alloy"}
    response = client.post("/audio/speech", json=body)
    response.raise_for_status()
    return len(response.content)


class Sampler:
    """The peak RSS of a process, sampled on a thread until stopped."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.peak = process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--chars", type=int, default=200)
    parser.add_argument("--mode", choices=["serve", "kernel"], default="serve")
    parser.add_argument("--slots", type=int, help="synthesis slots (default: the engine's)")
    parser.add_argument("--serial", action="store_true", help="also time them one by one")
    args = parser.parse_args()
    text = (SENTENCE * (args.chars // len(SENTENCE) + 1))[: args.chars]
    process, base = start_engine(args.mode, args.slots)
    engine = psutil.Process(process.pid)
    limits = httpx.Limits(max_connections=args.requests)
    try:
        with httpx.Client(base_url=base, timeout=3600, limits=limits) as client:
            speak(client, text)  # warm-up: models, codecs, the first connection
            before = engine.memory_info().rss
            sampler = Sampler(engine)
            started = time.perf_counter()
            with ThreadPoolExecutor(args.requests) as pool:
                sizes = list(pool.map(lambda _: speak(client, text), range(args.requests)))
            wall = time.perf_counter() - started
            peak = sampler.stop()
            time.sleep(3)  # let the allocator give back what it will
            after = engine.memory_info().rss
            print(f"{args.mode}: {args.requests} concurrent requests of {args.chars} chars")
            print(f"  answered      {len(sizes)} (all audio: {all(sizes)})")
            print(f"  RSS before    {before / 1e6:7.0f} MB")
            print(f"  RSS peak      {peak / 1e6:7.0f} MB  (+{(peak - before) / 1e6:.0f} MB)")
            print(f"  RSS after     {after / 1e6:7.0f} MB  (+{(after - before) / 1e6:.0f} MB)")
            print(f"  wall time     {wall:7.1f} s")
            if args.serial:
                started = time.perf_counter()
                for _ in range(args.requests):
                    speak(client, text)
                serial = time.perf_counter() - started
                print(
                    f"  one by one    {serial:7.1f} s  (concurrent / serial = {wall / serial:.2f})"
                )
    finally:
        process.terminate()
        process.wait(15)


if __name__ == "__main__":
    main()
