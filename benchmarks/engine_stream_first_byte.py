"""The built-in engine's time to the first audio byte of a 4,000-character text, streamed.

Run: python benchmarks/engine_stream_first_byte.py [--rounds 3] [--format mp3]

Side by side in each round, on one in-process engine (models loaded once):

- **first byte**: ``POST /v1/audio/speech`` over loopback, the time until the first body
  byte arrives (the engine streams a sentence at a time); then the time to its last byte;
- **whole file**: the same text synthesised and encoded whole, as the engine answered
  before it streamed (``render_speech``, what flac and aac still get), without HTTP;
- **raw piper**: Piper alone (the voice object, the same synthesis settings) speaking the
  text's first sentence, and its first sentence of the whole text (which phonemises all).

Prints the medians and the ratios against the targets of issue #14: first byte ≤ 0.5 s,
at least 8× sooner than the whole file, and within 1.5× of raw piper's first sentence.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

import httpx

from comet_audio_nb.local import LocalEngine, tts
from comet_audio_nb.local.routes_speech import parse_speech, render_speech

PASSAGE = (
    "The lighthouse stood at the end of a long stone pier. "
    "Every evening the keeper climbed its ninety steps to light the lamp. "
    "Ships far out at sea watched for the slow turn of its beam. "
    "In winter the waves broke over the pier and froze where they fell. "
    "The keeper kept a logbook of every storm, every wreck and every rescue. "
    "Most nights were quiet, and he read by the warm light of the lamp room. "
    "His daughter learned to trim the wicks before she learned to write. "
    "She could tell the weather from the colour of the clouds at dawn. "
    "When the fog came in, they rang the great bell every thirty seconds. "
    "Fishermen said they could hear it from the other side of the bay. "
    "One autumn a cargo ship lost its engine in a gale off the point. "
    "The keeper rowed out with two men from the village to reach it. "
    "They brought eleven sailors back before the ship went under. "
    "The village still tells the story on the anniversary of that night. "
    "Years later the lamp was replaced by an electric light and a timer. "
    "The keeper's house became a small museum with his logbooks on display. "
    "Visitors climb the steps in summer and look out across the water. "
    "On clear days they can see the hills of the far coast, blue and low. "
    "Children press their faces to the glass and count the passing boats. "
    "The old bell hangs in the courtyard now, and anyone may ring it once. "
)


def long_text(chars: int = 4000) -> str:
    """The passage repeated and cut at the first sentence end from `chars` characters on
    (under the service's 4,096)."""
    text = PASSAGE * (chars // len(PASSAGE) + 2)
    return text[: text.find(". ", chars - 1) + 1]


def first_byte(client: httpx.Client, body: dict) -> tuple[float, float, int]:
    """(seconds to the first body byte, seconds to the last, bytes) of one streamed answer."""
    started = time.perf_counter()
    first, size = 0.0, 0
    with client.stream("POST", "/audio/speech", json=body) as response:
        response.raise_for_status()
        for chunk in response.iter_raw():
            if not size:
                first = time.perf_counter() - started
            size += len(chunk)
    return first, time.perf_counter() - started, size


def raw_piper(text: str, *, whole_text: str) -> tuple[float, float]:
    """(Piper speaking `text`, Piper's first sentence of `whole_text`), in seconds."""
    from piper import SynthesisConfig

    style = tts.VOICE_STYLES["alloy"]
    config = SynthesisConfig(
        length_scale=style.pitch,
        noise_scale=style.noise_scale,
        noise_w_scale=style.noise_w,
        volume=0.9,
    )
    voice = tts.load_voice()
    started = time.perf_counter()
    for _ in voice.synthesize(text, syn_config=config):
        pass
    sentence = time.perf_counter() - started
    started = time.perf_counter()
    next(iter(voice.synthesize(whole_text, syn_config=config)))
    return sentence, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--format", default="mp3", choices=["mp3", "opus", "wav", "pcm"])
    args = parser.parse_args()
    text = long_text()
    first_sentence = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
    body = {"model": "tts-1", "input": text, "voice": "alloy", "response_format": args.format}
    times: dict[str, list[float]] = {
        "first byte": [],
        "last byte": [],
        "whole file": [],
        "piper sentence": [],
        "piper first of all": [],
    }
    with LocalEngine() as engine, httpx.Client(base_url=engine.base_url, timeout=600) as client:
        engine.preload()
        first_byte(client, {**body, "input": "A warm-up."})
        for _ in range(args.rounds):
            sentence, first_of_all = raw_piper(first_sentence, whole_text=text)
            times["piper sentence"].append(sentence)
            times["piper first of all"].append(first_of_all)
            first, last, size = first_byte(client, body)
            times["first byte"].append(first)
            times["last byte"].append(last)
            started = time.perf_counter()
            render_speech(parse_speech(body))
            times["whole file"].append(time.perf_counter() - started)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"{len(text)} characters, {args.format}, {args.rounds} rounds (medians)")
    print(f"first sentence: {first_sentence!r} ({len(first_sentence)} characters)")
    for name, value in median.items():
        print(f"  {name:<20} {value:7.3f} s")
    whole_ratio = median["whole file"] / median["first byte"]
    piper_ratio = median["first byte"] / median["piper sentence"]
    checks = [
        (f"first byte {median['first byte']:.3f} s", "<= 0.5 s", median["first byte"] <= 0.5),
        (f"whole file / first byte {whole_ratio:.1f}x", ">= 8x", whole_ratio >= 8),
        (f"first byte / piper sentence {piper_ratio:.2f}x", "<= 1.5x", piper_ratio <= 1.5),
    ]
    for measured, target, met in checks:
        print(f"  {measured:<36} target {target:<9} {'met' if met else 'MISSED'}")
    print(f"  (streamed body: {size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
