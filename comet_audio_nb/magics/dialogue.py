"""``%%comet_say --dialogue``: the cell is a script of ``Name: line`` lines, spoken as one file.

``magics/say.py`` hands over here when ``--dialogue`` (or ``--voices``) is given, so the
dialogue's options and display live in one place.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

from ..notebook.options import speech_options
from ..notebook.session import get_client
from ._args import extra_params, save_to, store

__all__ = ["DIALOGUE_HELP", "parse_voices", "say_dialogue"]

DIALOGUE_HELP = (
    "the text is a script, one 'Name: line' per line: one file, a voice per speaker (-o VAR: "
    "a DialogueSpeech, with .transcript_view() and .to_srt())"
)


def parse_voices(text: str | None) -> dict[str, str]:
    """``--voices "Ana=nova, Ben=onyx"`` as a mapping.

    >>> parse_voices("Ana=nova, Dr Who=onyx")
    {'Ana': 'nova', 'Dr Who': 'onyx'}
    """
    voices: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, sep, voice = item.partition("=")
        if not sep or not name.strip() or not voice.strip():
            raise UsageError(f"--voices {text!r}: write NAME=VOICE pairs, e.g. Ana=nova,Ben=onyx")
        voices[name.strip()] = voice.strip()
    return voices


def say_dialogue(shell: Any, args: Any, text: str) -> None:
    """Speak the script ``text`` with the options of ``%comet_say`` that apply."""
    if args.widget:
        raise UsageError("--dialogue and --widget do not go together")
    if args.voice:
        raise UsageError("a dialogue has a voice per speaker: use --voices Ana=nova,Ben=onyx")
    if not text.strip():
        raise UsageError("there is no script: %%comet_say --dialogue, then 'Name: line' lines")
    options = speech_options(
        model=args.model, response_format=args.format, speed=args.speed,
        instructions=args.instructions,
    )  # fmt: skip
    options.pop("voice")
    response_format = options.pop("response_format")
    options = {k: v for k, v in options.items() if v is not None}
    extra = extra_params(args.param)
    if extra:
        options["extra_body"] = extra
    speech = get_client().speech_dialogue(
        text, parse_voices(args.voices), response_format=response_format, **options
    )
    store(shell, args.output, speech)
    saved = save_to(speech, args.save) if args.save else None
    if args.quiet:
        return
    display(speech)
    if saved is not None:
        print(f"saved to {saved}")
