"""speech_dialogue: a script of ``Name: line`` lines as one audio file, a voice per speaker.

Every line (cut as ``speech_long`` cuts text, when over the length limit) is spoken
concurrently through the batch machinery's bounded dispatcher, as raw PCM, and joined in
script order with a short pause between turns, then encoded once. The result knows each
line's start and end (``DialogueSpeech``). A line that fails fails the dialogue, named in
the error: nothing half-joined is returned.

>>> from comet_audio_nb import CometClient
>>> script = '''
... Ana: Did you hear the news?
... Ben: No, tell me!
... '''
>>> CometClient().speech_dialogue(script, voices={"Ana": "nova"})      # doctest: +SKIP
DialogueSpeech(2 speakers, 2 lines, 2.9 s, 24 KB mp3)
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..audio.codecs import join_encoded
from ..audio.wav import pcm_to_wav
from ..constants import MAX_SPEECH_CHARS, PCM_SAMPLE_RATE, SPEECH_CONTENT_TYPES, SPEECH_FORMATS
from ..errors import CometError, ValidationError
from ..results.dialogue import DialogueSpeech
from ..results.text import shorten
from .dispatch import dispatcher_for, gather_all, run_interruptible
from .progress import Progress
from .split_text import split_text

__all__ = ["DEFAULT_VOICES", "PAUSE", "ScriptLine", "aspeech_dialogue", "parse_script",
           "speech_dialogue"]  # fmt: skip

# Voices given to speakers the caller did not name, in this order (distinct voices first).
DEFAULT_VOICES = ("alloy", "nova", "onyx", "shimmer", "echo", "coral", "fable", "sage", "ash",
                  "ballad")  # fmt: skip
PAUSE = 0.35  # seconds of silence between turns
_QUIET_UP_TO = 4  # requests: more show a progress bar
_SPEAKER = re.compile(r"^\s*([^\W\d][\w .'’-]{0,39}?)\s*:\s*(.*)$")
_OPTIONS = {"model", "speed", "instructions", "extra_body", "extra_headers", "extra_query"}


@dataclass(frozen=True)
class ScriptLine:
    number: int  # the line of the script it starts on, from 1
    speaker: str
    text: str


def parse_script(script: str) -> list[ScriptLine]:
    """The script's lines: ``Name: text``, one per line; a line without a name continues
    the line before it; blank lines and ``#`` comments are skipped.

    >>> [(l.speaker, l.text) for l in parse_script("A: Hi there.\\nHow are you?\\nB: Fine.")]
    [('A', 'Hi there. How are you?'), ('B', 'Fine.')]
    """
    if not isinstance(script, str):
        raise ValidationError(f"a dialogue script is text, not {type(script).__name__}")
    lines: list[ScriptLine] = []
    for number, raw in enumerate(script.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _SPEAKER.match(raw)
        if match and match.group(2).strip():
            lines.append(ScriptLine(number, match.group(1).strip(), match.group(2).strip()))
        elif match:
            raise ValidationError(f"line {number} of the script: {match.group(1)!r} says nothing")
        elif lines:
            last = lines[-1]
            lines[-1] = ScriptLine(last.number, last.speaker, f"{last.text} {raw.strip()}")
        else:
            raise ValidationError(
                f"line {number} of the script has no speaker: {shorten(raw.strip(), 40)!r}",
                hint="write each line as 'Name: what they say'",
            )
    if not lines:
        raise ValidationError("the script is empty", hint="write lines as 'Name: what they say'")
    return lines


def assign_voices(speakers: list[str], voices: Mapping[str, str] | None) -> dict[str, str]:
    """Speaker → voice: the ones given (names matched regardless of case), then distinct
    default voices for the rest.

    >>> assign_voices(["A", "B", "C"], {"b": "alloy"})
    {'A': 'nova', 'B': 'alloy', 'C': 'onyx'}
    """
    if voices is not None and not isinstance(voices, Mapping):
        raise ValidationError("voices is a mapping of speaker to voice: {'Ana': 'nova'}")
    given = {str(k).strip().casefold(): str(v).strip() for k, v in (voices or {}).items()}
    unknown = sorted(set(given) - {s.casefold() for s in speakers})
    if unknown:
        raise ValidationError(
            f"voices for speakers not in the script: {', '.join(unknown)}",
            hint=f"the speakers are {', '.join(speakers)}",
        )
    chosen = {s: given[s.casefold()] for s in speakers if s.casefold() in given}
    spare = [v for v in DEFAULT_VOICES if v not in chosen.values()]
    for speaker in speakers:
        if speaker not in chosen:
            chosen[speaker] = spare.pop(0) if spare else DEFAULT_VOICES[len(chosen) % 10]
    return {s: chosen[s] for s in speakers}


def speech_dialogue(
    script: str,
    voices: Mapping[str, str] | None = None,
    *,
    client: Any = None,
    response_format: str = "mp3",
    pause: float = PAUSE,
    concurrency: int | None = None,
    progress: bool = True,
    max_chars: int = MAX_SPEECH_CHARS,
    **options: Any,
) -> DialogueSpeech:
    """Speak ``script`` (``Name: line`` per line) as one file, each speaker in a voice.

    ``voices``: speaker → voice; speakers not named get distinct default voices.
    ``pause``: seconds of silence between turns. ``options``: model, speed, instructions
    (and extra_body, extra_headers, extra_query) for every line.

    >>> d = speech_dialogue("A: Hello!\\nB: Hi.", voices={"A": "alloy"})  # doctest: +SKIP
    >>> d.transcript_view()          # the line being spoken is highlighted  # doctest: +SKIP
    """
    return run_interruptible(
        _dialogue(script, voices, client, response_format, pause, concurrency, progress,
                  max_chars, options, False)
    )  # fmt: skip


async def aspeech_dialogue(
    script: str,
    voices: Mapping[str, str] | None = None,
    *,
    client: Any = None,
    response_format: str = "mp3",
    pause: float = PAUSE,
    concurrency: int | None = None,
    progress: bool = True,
    max_chars: int = MAX_SPEECH_CHARS,
    **options: Any,
) -> DialogueSpeech:
    """``speech_dialogue`` for asyncio code (and ``AsyncCometClient.speech_dialogue``)."""
    return await _dialogue(script, voices, client, response_format, pause, concurrency,
                           progress, max_chars, options, True)  # fmt: skip


async def _dialogue(
    script: str,
    voices: Mapping[str, str] | None,
    client: Any,
    response_format: str,
    pause: float,
    concurrency: int | None,
    progress: bool,
    max_chars: int,
    options: dict[str, Any],
    share_pool: bool,
) -> DialogueSpeech:
    started = time.perf_counter()
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise TypeError(f"speech_dialogue() got unexpected option(s): {', '.join(unknown)}")
    response_format = str(response_format).lower()
    if response_format not in SPEECH_FORMATS:
        raise ValidationError(f"unknown response_format {response_format!r}")
    if not isinstance(pause, (int, float)) or not 0 <= pause <= 10:
        raise ValidationError(f"pause={pause!r}: use 0 to 10 seconds")
    lines = parse_script(script)
    cast = assign_voices(list(dict.fromkeys(line.speaker for line in lines)), voices)
    parts = [split_text(line.text, max_chars) for line in lines]
    async with dispatcher_for(client, concurrency=concurrency, share_pool=share_pool) as dispatch:
        speak = dispatch.client.speech
        total = sum(len(p) for p in parts)
        shown = progress and total > _QUIET_UP_TO  # a few lines take a second or two
        with Progress(total, enabled=shown, unit="part", description="lines") as bar:

            async def one(line: ScriptLine, text: str):
                send = partial(speak, text, voice=cast[line.speaker], response_format="pcm",
                               **options)  # fmt: skip
                try:
                    speech = await dispatch.call(send)
                except CometError as error:  # the dialogue fails, saying which line
                    said = shorten(line.text, 40)
                    error.message = (
                        f"line {line.number} ({line.speaker}: {said!r}): {error.message}"
                    )
                    raise
                bar.done("ok")
                return speech

            jobs = [
                one(line, text) for line, texts in zip(lines, parts, strict=True) for text in texts
            ]
            speeches = await gather_all(jobs)
    pcm, timings = _join(lines, parts, [s.data for s in speeches], pause)
    data = await asyncio.to_thread(_encode, pcm, response_format)
    first = speeches[0]
    records = [
        {"speaker": line.speaker, "voice": cast[line.speaker], "text": line.text,
         "start": start, "end": end}
        for line, (start, end) in zip(lines, timings, strict=True)
    ]  # fmt: skip
    return DialogueSpeech(
        data,
        format=response_format,
        content_type=SPEECH_CONTENT_TYPES[response_format],
        model=first.model,
        voice=", ".join(dict.fromkeys(cast.values())),
        text=script.strip(),
        speed=first.speed,
        instructions=first.instructions,
        request_id=first.request_id,
        elapsed=time.perf_counter() - started,
        lines=records,
    )


def _join(
    lines, parts, audio: list[bytes], pause: float
) -> tuple[bytes, list[tuple[float, float]]]:
    """Raw PCM of every line in order, a pause between turns; each line's (start, end)."""
    silence = b"\x00\x00" * round(pause * PCM_SAMPLE_RATE)
    out, timings, at = bytearray(), [], 0
    for i, texts in enumerate(parts):
        if i:
            out += silence
        start = len(out)
        for _ in texts:
            chunk = audio[at]
            out += chunk[: len(chunk) - len(chunk) % 2]
            at += 1
        timings.append((start / 2 / PCM_SAMPLE_RATE, len(out) / 2 / PCM_SAMPLE_RATE))
    return bytes(out), timings


def _encode(pcm: bytes, response_format: str) -> bytes:
    if response_format == "pcm":
        return pcm
    wav = pcm_to_wav(pcm, PCM_SAMPLE_RATE)
    if response_format == "wav":
        return wav
    return join_encoded([wav], part_format="wav", response_format=response_format)
