"""Time to the first audio byte: stream_speech vs raw httpx streaming the same request.

Run: python benchmarks/stream_first_byte.py [--rounds 200]

The callers take turns request by request (each round led by the next one) against one
built-in engine on loopback: real synthesis of a short ``pcm`` sentence (the engine
streams sentence by sentence; see engine_stream_first_byte.py for its own numbers), then a
canned 64 KB audio answer at once (the clients' own cost alone) and after 20 ms of
injected latency. The openai SDK's ``with_streaming_response`` is timed beside them, and
``%comet_say --stream``'s path: a new ``StreamPlayer`` (the widget) playing the request,
up to the moment its first chunk is handed to the comm for the browser.
Prints the medians and the ratios to raw httpx (target: stream_speech ≤ 1.1×).
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx
import openai

from comet_audio_nb import CometClient
from comet_audio_nb.local import LocalEngine
from comet_audio_nb.widgets.stream_player import StreamPlayer, stream_plan

KEY = "bench-key-0000000000"


class _FirstChunk(StreamPlayer):
    """A StreamPlayer that notes when its first chunk goes to the browser."""

    first_at: float | None = None

    def feed(self, chunk: bytes) -> None:
        if self.first_at is None:
            self.first_at = time.perf_counter()
        super().feed(chunk)


BODY = {"model": "tts-1", "voice": "alloy", "input": "Hi there.", "response_format": "pcm"}


def first_byte_times(callers: dict, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in callers}
    for call in callers.values():  # warm up connections and lazy imports
        call()
    names = list(callers)
    for round_ in range(rounds):  # each round starts with the next caller: no order bias
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            times[name].append(callers[name]())
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times["raw httpx"])
    print(f"\n{title}")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / base
        print(f"  {name:<14} first byte {median * 1e3:8.3f} ms   ratio to raw httpx {ratio:5.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with LocalEngine() as engine:
        engine.preload()
        ours = CometClient(KEY, base_url=engine.base_url)
        raw = httpx.Client(base_url=engine.base_url, timeout=60)
        sdk = openai.OpenAI(api_key=KEY, base_url=engine.base_url)
        headers = {"Authorization": f"Bearer {KEY}"}

        def raw_first() -> float:
            started = time.perf_counter()
            with raw.stream("POST", "/audio/speech", json=BODY, headers=headers) as response:
                response.raise_for_status()
                chunks = response.iter_bytes()
                next(chunks)
                elapsed = time.perf_counter() - started
                for _ in chunks:
                    pass
            return elapsed

        def ours_first() -> float:
            started = time.perf_counter()
            with ours.stream_speech(
                BODY["input"], voice=BODY["voice"], response_format="pcm"
            ) as stream:
                chunks = iter(stream)
                next(chunks)
                elapsed = time.perf_counter() - started
                for _ in chunks:
                    pass
            return elapsed

        def sdk_first() -> float:
            started = time.perf_counter()
            with sdk.audio.speech.with_streaming_response.create(**BODY) as response:
                chunks = response.iter_bytes()
                next(chunks)
                elapsed = time.perf_counter() - started
                for _ in chunks:
                    pass
            return elapsed

        def player_first() -> float:
            started = time.perf_counter()
            player = _FirstChunk(stream_plan("pcm"))
            player.play(ours, BODY["input"], voice=BODY["voice"], response_format="pcm")
            player.close()
            assert player.first_at is not None
            return player.first_at - started

        callers = {
            "raw httpx": raw_first, "stream_speech": ours_first, "openai SDK": sdk_first,
            "StreamPlayer": player_first,
        }  # fmt: skip
        rounds = max(10, args.rounds // 5)
        report(
            f"real synthesis of {BODY['input']!r} (pcm), {rounds} rounds",
            first_byte_times(callers, rounds),
        )
        canned = bytes(64 * 1024)
        for latency in (0.0, 0.02):
            engine.reset()
            engine.inject(
                "/v1/audio/speech", 200, count=10**6, latency=latency, body=canned,
                content_type="audio/pcm",
            )  # fmt: skip
            report(
                f"canned 64 KB audio after {latency * 1e3:.0f} ms latency, {args.rounds} rounds",
                first_byte_times(callers, args.rounds),
            )


if __name__ == "__main__":
    main()
