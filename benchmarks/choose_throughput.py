"""The choosing features at the batch machinery's throughput: wall time against the ideal.

Run: python benchmarks/choose_throughput.py [--concurrency 4] [--latency 0.4] [--rounds 3]

1. ``voice_gallery`` of the 13 voices of gpt-4o-mini-tts, and
2. ``compare_transcription`` of 3 models × 5 files, with a reference,

each against the built-in engine answering every request with a canned body after exactly
``--latency`` seconds (an injected fault with that latency: so the service's time, and the
ideal ``ceil(requests / concurrency) * latency``, are known), next to the same requests made
one after another with ``CometClient`` (``requests * latency``). The issue asks for at most
1.2x the ideal.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from comet_audio_nb import CometClient, RetryPolicy, compare_transcription, voice_gallery
from comet_audio_nb.audio import pcm_to_wav
from comet_audio_nb.jobs.gallery import voices_for
from comet_audio_nb.local import LocalEngine

SPEECH, TRANSCRIBE = "/v1/audio/speech", "/v1/audio/transcriptions"
MODELS = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")
CANNED = {"text": "the quick brown fox", "language": "english", "duration": 1.0, "segments": []}


def canned_mp3(engine: LocalEngine) -> bytes:
    with CometClient(base_url=engine.base_url) as client:
        return client.speech("Hi.", response_format="mp3").data


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def run(title: str, requests: int, concurrency: int, latency: float, rounds: int, batch, one):
    ideal = math.ceil(requests / concurrency) * latency
    batched = [timed(batch) for _ in range(rounds + 1)][1:]  # the first warms up
    sequential = [timed(one) for _ in range(rounds)]
    median, serial = statistics.median(batched), statistics.median(sequential)
    verdict = "ok" if median <= 1.2 * ideal else "OVER 1.2x"
    print(f"{title}: {requests} requests, concurrency {concurrency}, {latency * 1000:.0f} ms each")
    print(f"  ideal ceil({requests}/{concurrency})*{latency} = {ideal:.2f} s")
    print(f"  batched     median {median:.3f} s  best {min(batched):.3f} s  "
          f"({median / ideal:.2f}x ideal, {verdict}; {rounds} rounds)")  # fmt: skip
    print(f"  sequential  median {serial:.3f} s  ({serial / median:.1f}x the batched time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    c, latency = args.concurrency, args.latency
    with LocalEngine(control=True) as engine:
        client = CometClient(base_url=engine.base_url, retry=RetryPolicy(max_retries=0))
        mp3 = canned_mp3(engine)
        voices = voices_for("gpt-4o-mini-tts")

        def speak(count: int) -> None:
            engine.inject(SPEECH, 200, body=mp3, content_type="audio/mpeg", count=count,
                          latency=latency)  # fmt: skip

        def gallery() -> None:
            speak(len(voices))
            result = voice_gallery("Hello there.", models="gpt-4o-mini-tts", client=client,
                                   concurrency=c, progress=False)  # fmt: skip
            assert (result.df.status == "ok").all(), result.df

        def gallery_one_by_one() -> None:
            speak(len(voices))
            for voice in voices:
                client.speech("Hello there.", model="gpt-4o-mini-tts", voice=voice)

        run("voice_gallery (13 voices)", len(voices), c, latency, args.rounds, gallery,
            gallery_one_by_one)  # fmt: skip

        files = [(f"clip-{i}.wav", pcm_to_wav(b"\x00\x00" * 24_000)) for i in range(5)]
        references = ["the quick brown fox"] * len(files)

        def answer(count: int) -> None:
            engine.inject(TRANSCRIBE, 200, body=CANNED, count=count, latency=latency)

        def comparison() -> None:
            answer(len(files) * len(MODELS))
            result = compare_transcription(files, MODELS, reference=references, client=client,
                                           concurrency=c, progress=False)  # fmt: skip
            assert (result.df.status == "ok").all(), result.df

        def comparison_one_by_one() -> None:
            answer(len(files) * len(MODELS))
            for file in files:
                for model in MODELS:
                    client.transcribe(file, model=model)

        run("compare_transcription (3 models × 5 files)", len(files) * len(MODELS), c, latency,
            args.rounds, comparison, comparison_one_by_one)  # fmt: skip
        client.close()


if __name__ == "__main__":
    main()
