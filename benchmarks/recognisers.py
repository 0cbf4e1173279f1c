"""The engine's recognisers side by side: seconds per audio second and word error rate.

Run: python benchmarks/recognisers.py [--rounds 1] [--languages fr,es,de,it]

Same audio, same options as the engine (voice-activity filter, beam 5), one run:

1. English, long: over two minutes of the engine's own voice (Piper, "alloy") reading a
   passage, then the same passage from espeak-ng's English voice. Whisper tiny.en (the old
   recogniser, now gpt-4o-mini-transcribe's for English) and Whisper base (whisper-1's),
   base both told "en" and left to detect the language, as whisper-1 is by default.
2. The notebooks' four English clips (notebooks/audio, 17 s), same two models.
3. Other languages (espeak-ng voices reading a short passage each): Whisper base, language
   detected; the detected language is shown beside the WER. (espeak-ng's Portuguese is not
   intelligible to Whisper base, WER about 0.9, so it measures the voice, not the model:
   left out.)
4. English, all of the above pooled (errors over reference words): the WER goal.

s/audio-s is wall time; cpu-s/audio-s, the process's CPU time, shows what a busy machine
does to it (with both cores free, wall time is about half the CPU time). WER is jiwer's,
on lower-cased words with punctuation dropped (no other normalisation, so
"10" against "ten" counts as an error: the notebook references are written as the models
write numbers). The issue's goals: English WER of base no worse than tiny.en's, and at
most 0.1 s per audio second on long audio on 2 cores. espeak-ng's robotic voices are much
harder for Whisper than people are; their rows show relative, not real-world, accuracy.
Needs espeak-ng (Debian: apt-get install espeak-ng) for the espeak rows; they are skipped
without it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np

from comet_audio_nb.local import encode, stt, tts

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS_PER_SECOND = 0.1

ENGLISH = (
    "The old library stands at the corner of the market square, and most mornings a small "
    "queue forms outside before the doors open. Inside, the air smells of paper and floor "
    "polish. Children head for the picture books near the windows, while students take the "
    "long tables at the back and spread out their notes. The librarian knows nearly everyone "
    "by name. She keeps a list of the books people ask for and cannot find, and at the end "
    "of each month she orders as many of them as the budget allows. Last winter the roof "
    "began to leak above the history shelves. For weeks there were buckets on the floor and "
    "plastic sheets over the oldest volumes, and the town council argued about who should "
    "pay for the repair. In the end the readers raised the money themselves. They held a "
    "book sale in the square, a concert in the reading room and a quiz night that ran far "
    "later than anyone had planned. The new roof was finished in the spring. Now there is "
    "talk of opening on Sunday afternoons, when families have more time, and of a small "
    "cafe beside the entrance where people could sit and read with a cup of tea. Not "
    "everyone likes the idea. Some say a library should stay quiet and plain, a place to "
    "think rather than to chat. Others say that a building full of people is the best "
    "protection it could have. The librarian listens to both sides, writes everything down, "
    "and keeps ordering books. "
    "On the other side of the square, the bakery opens long before the library does. The "
    "baker starts work in the dark, when the streets are empty and the only sound is the "
    "hum of the ovens. By the time the first buses arrive, the shelves are full of bread, "
    "and the smell drifts across to the bus stop, where people stand with their collars "
    "up against the wind. Her son helps on Saturdays. He is saving for a bicycle and counts "
    "his wages twice before he puts them away. The bakery has changed hands many times over "
    "the years, but the recipe for the brown loaf has stayed the same, written on a card "
    "that is now so worn that nobody can read it. Nobody needs to. The baker says she could "
    "make it with her eyes closed, and on the darkest winter mornings she almost does. When "
    "the library holds its book sale, she brings a tray of buns and sells them at the door, "
    "and every year the buns are gone before the books."
)

NOTEBOOK_CLIPS = {
    "meeting.ogg": "The team meeting moves to Thursday at 10 in the morning.",
    "recipe.mp3": "Mix the flour with the butter, then bake for 20 minutes.",
    "tour.ogg": "Welcome to the transcription notebook. Every line of this transcript is a "
    "button. Click one and the player jumps there.",
    "weather.mp3": "It will be sunny tomorrow, with a light breeze from the west.",
}

OTHER_LANGUAGES = {
    "fr": "Bonjour tout le monde. Je voudrais un café et un croissant, s'il vous plaît. "
    "Le train pour Lyon part à huit heures du matin. Nous avons réservé une chambre "
    "dans un petit hôtel près de la gare.",
    "es": "Buenos días. ¿Dónde está la estación de tren? Necesito comprar un billete para "
    "Madrid. Mi hermana vive en Sevilla y trabaja en un hospital. Este verano vamos a "
    "visitar a nuestros abuelos en el campo.",
    "de": "Guten Tag. Ich möchte ein Glas Wasser und ein Stück Kuchen, bitte. Der Zug nach "
    "Berlin fährt um acht Uhr vom Hauptbahnhof ab. Am Wochenende gehen wir mit den "
    "Kindern in den Park.",
    "it": "Buongiorno a tutti. Oggi andiamo al mare con la famiglia. Il treno per Roma parte "
    "alle nove. La sera mangiamo la pizza in una piccola trattoria vicino alla piazza.",
}


def normalise(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.casefold()))


@dataclass
class Score:
    """One recogniser on one audio: speed and errors (errors / words = WER)."""

    seconds: float  # of audio
    wall: float  # seconds per audio second
    cpu: float
    errors: int
    words: int

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)


def piper(text: str) -> np.ndarray:
    # Sentence by sentence: Piper's input limit is per request, and so is the engine's.
    samples = [tts.synthesize(s, "alloy") for s in re.split(r"(?<=[.?!])\s+", text) if s]
    return stt.decode(encode.encode(np.concatenate(samples), "wav"))


def espeak(text: str, voice: str) -> np.ndarray | None:
    if shutil.which("espeak-ng") is None:
        return None
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "160", "--stdout", text], capture_output=True, check=True
    ).stdout
    return stt.decode(wav)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def score(audio: np.ndarray, reference: str, recogniser: str, language, rounds: int):
    """The best of ``rounds`` runs as the engine runs them, and the language heard."""
    seconds = audio.size / stt.RECOGNIZER_RATE
    wall = cpu = float("inf")
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), cpu_seconds()
        rec = stt.recognize(audio, recogniser=recogniser, language=language)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, cpu_seconds() - started_cpu)
    measured = jiwer.process_words(normalise(reference), normalise(rec.text) or "∅")
    errors = measured.substitutions + measured.deletions + measured.insertions
    words = len(normalise(reference).split())
    return Score(seconds, wall / seconds, cpu / seconds, errors, words), rec.language


def header() -> None:
    print(f"  {'recogniser':<26} {'audio':>7} {'s/audio-s':>10} {'cpu-s/audio-s':>14} "
          f"{'WER':>6}  language")  # fmt: skip


def row(label: str, audio, reference: str, recogniser: str, language, rounds: int) -> Score:
    result, heard = score(audio, reference, recogniser, language, rounds)
    print(f"  {label:<26} {result.seconds:6.1f}s {result.wall:10.3f} {result.cpu:14.3f} "
          f"{result.wer:6.3f}  {heard}")  # fmt: skip
    return result


ENGLISH_RECOGNISERS = {
    "Whisper tiny.en (old)": (stt.ENGLISH, "en"),
    "Whisper base, told en": (stt.MULTILINGUAL, "en"),
    "Whisper base, detected": (stt.MULTILINGUAL, None),
}


def english_rows(title: str, audio, reference: str, rounds: int) -> dict[str, Score]:
    print(f"\n{title}")
    header()
    return {
        label: row(label, audio, reference, recogniser, language, rounds)
        for label, (recogniser, language) in ENGLISH_RECOGNISERS.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="runs per row (best is shown)")
    parser.add_argument("--languages", default=",".join(OTHER_LANGUAGES))
    args = parser.parse_args()

    started = time.perf_counter()
    stt.load_model(stt.MULTILINGUAL)
    stt.load_model(stt.ENGLISH)
    warm = piper("A short sentence to warm up both models.")
    for recogniser in (stt.ENGLISH, stt.MULTILINGUAL):
        stt.recognize(warm, recogniser=recogniser, language="en")
    print(f"models loaded and warmed in {time.perf_counter() - started:.1f} s; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip

    tables = [english_rows("1. English, long: Piper", piper(ENGLISH), ENGLISH, args.rounds)]
    robotic = espeak(ENGLISH, "en-us")
    if robotic is not None:
        tables.append(english_rows("1b. English, long: espeak-ng", robotic, ENGLISH, args.rounds))
    folder = ROOT / "notebooks" / "audio"
    gap = np.zeros(stt.RECOGNIZER_RATE // 2, dtype=np.float32)
    clips = [stt.decode((folder / name).read_bytes()) for name in NOTEBOOK_CLIPS]
    joined = np.concatenate([part for clip in clips for part in (clip, gap)])
    reference = " ".join(NOTEBOOK_CLIPS.values())
    title = "2. English: the notebooks' four clips, one after another"
    tables.append(english_rows(title, joined, reference, args.rounds))

    print("\n3. Other languages: espeak-ng, Whisper base, language detected")
    header()
    for code in args.languages.split(","):
        audio = espeak(OTHER_LANGUAGES[code], code)
        if audio is None:
            print("  (espeak-ng is not installed: skipped)")
            break
        row(f"Whisper base, {code}", audio, OTHER_LANGUAGES[code], stt.MULTILINGUAL, None, 1)

    print("\n4. English, pooled over the rows above")
    for label in ENGLISH_RECOGNISERS:
        errors = sum(table[label].errors for table in tables)
        words = sum(table[label].words for table in tables)
        print(f"  {label:<26} WER {errors / words:.3f} ({errors} errors in {words} words)")

    pooled = {
        label: sum(t[label].errors for t in tables) / sum(t[label].words for t in tables)
        for label in ENGLISH_RECOGNISERS
    }
    old, new = pooled["Whisper tiny.en (old)"], pooled["Whisper base, detected"]
    speed = tables[0]["Whisper base, detected"].wall
    fast = speed <= GOAL_SECONDS_PER_SECOND
    print("\ngoals:")
    print(f"  English WER, base {new:.3f} vs tiny.en {old:.3f}: "
          f"{'met' if new <= old else 'NOT met'}")  # fmt: skip
    print(f"  long English audio, base: {speed:.3f} s per audio second (goal <= "
          f"{GOAL_SECONDS_PER_SECOND}): {'met' if fast else 'NOT met'} "
          f"at load average {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
