"""Per-request overhead: CometClient vs raw httpx vs the openai SDK, on the same local server.

Run: python benchmarks/client_overhead.py [--rounds 300]

The three callers take turns request by request (so drift in the machine's load hits them
alike) against one built-in engine on loopback, on two endpoints: ``GET /v1/models`` (the
server does almost nothing, so the client's own cost shows) and a short ``pcm`` speech
request. Prints medians and the ratios to raw httpx.
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx
import openai

from comet_audio_nb import CometClient
from comet_audio_nb.local import LocalEngine


def measure(calls: dict, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():  # warm up connections and lazy imports
        call()
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times["raw httpx"])
    print(f"\n{title}")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / base
        print(f"  {name:<12} median {median * 1e3:7.3f} ms   ratio to raw httpx {ratio:5.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with LocalEngine() as engine:
        engine.preload()
        ours = CometClient("bench-key-0000000000", base_url=engine.base_url)
        raw = httpx.Client(base_url=engine.base_url, timeout=60)
        sdk = openai.OpenAI(api_key="bench-key-0000000000", base_url=engine.base_url)
        headers = {"Authorization": "Bearer bench-key-0000000000"}

        def raw_models():
            response = raw.get("/models", headers=headers)
            response.raise_for_status()
            return response.json()["data"]

        report(
            f"GET /v1/models, {args.rounds} rounds",
            measure(
                {
                    "raw httpx": raw_models,
                    "CometClient": ours.list_models,
                    "openai SDK": lambda: sdk.models.list().data,
                },
                args.rounds,
            ),
        )

        body = {"model": "tts-1", "voice": "alloy", "input": "Hi.", "response_format": "pcm"}

        def raw_speech():
            response = raw.post("/audio/speech", json=body, headers=headers)
            response.raise_for_status()
            return response.content

        rounds = max(10, args.rounds // 10)
        report(
            f"POST /v1/audio/speech ('Hi.', pcm), {rounds} rounds",
            measure(
                {
                    "raw httpx": raw_speech,
                    "CometClient": lambda: ours.speech("Hi.", response_format="pcm").data,
                    "openai SDK": lambda: sdk.audio.speech.create(**body).content,
                },
                rounds,
            ),
        )


if __name__ == "__main__":
    main()
