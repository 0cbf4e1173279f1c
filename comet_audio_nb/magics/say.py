"""``%comet_say`` / ``%%comet_say``: speak text and show an inline audio player."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from ..constants import SPEECH_FORMATS
from ..errors import STREAM_CUT_HINT
from ..notebook.error_display import friendly_errors
from ..notebook.options import speech_options
from ..notebook.session import get_client, get_defaults
from ._args import PARAM_HELP, extra_params, interpolate, save_to, split_options, store
from .dialogue import DIALOGUE_HELP, say_dialogue

__all__ = ["SayMagics"]


@magics_class
class SayMagics(Magics):
    """Text to speech in a notebook."""

    @line_cell_magic
    @no_var_expand  # $5 is money: the text is filled in by interpolate(), not by IPython
    @friendly_errors
    @magic_arguments()
    @argument("-v", "--voice", help="voice (default: %%config CometAudio.voice, alloy)")
    @argument("-m", "--model", help="speech model (default: CometAudio.speech_model, tts-1)")
    @argument(
        "-f",
        "--format",
        type=str.lower,
        choices=SPEECH_FORMATS,
        help="audio format (default: CometAudio.response_format, mp3)",
    )
    @argument("--speed", type=float, help="0.25 to 4.0 (default: CometAudio.speed, 1.0)")
    @argument("-i", "--instructions", help="voice style, for gpt-4o-mini-tts")
    @argument("-s", "--save", metavar="PATH", help="also write the audio to PATH")
    @argument("-q", "--quiet", "--no-play", action="store_true", help="show no player")
    @argument(
        "--stream", action="store_true",
        help="play while the audio arrives (text of any length; see %%comet_say?)",
    )  # fmt: skip
    @argument("-o", "--output", metavar="VAR", help="store the Speech in the variable VAR")
    @argument("--param", action="append", metavar="KEY=VALUE", help=PARAM_HELP)
    @argument("--dialogue", action="store_true", help=DIALOGUE_HELP)
    @argument("--voices", metavar="NAME=VOICE,…", help="with --dialogue: each speaker's voice")
    @argument(
        "-w", "--widget", action="store_true",
        help="open the speech studio with TEXT in its box (-o VAR: the studio)",
    )  # fmt: skip
    @argument("text", nargs="*", metavar="TEXT", help="what to say (the cell body for %%%%)")
    def comet_say(self, line: str, cell: str | None = None) -> None:
        """Speak TEXT and show an audio player (it plays by itself where the browser allows).

        Options come first; the rest of the line is the text, exactly as typed (quotes
        and apostrophes included). ``{name}`` and ``$name`` are filled in from your
        variables (``$5`` stays as typed). In the cell form, the cell body is the text;
        use it for questions: a line ending in ``word?`` is IPython's help syntax.
        Text that begins with a dash goes after ``--`` (``%comet_say -- -ing is a
        suffix``); a word like ``-ing`` in the options is an error, never read as ``-i ng``.

        Examples::

            %comet_say Hello from the notebook
            %comet_say -- -ing is a suffix
            %comet_say --voice nova --speed 1.2 -o greeting Nice to meet you, {name}!
            %comet_say --param a_new_option=true Sent with a field this package lacks
            %comet_say --stream -o story {long_text}
            %%comet_say --format wav --save intro.wav
            A longer text,
            over several lines.
            %%comet_say --dialogue --voices Ana=nova -o talk
            Ana: Did you hear the news?
            Ben: No, tell me!

        ``--stream`` plays while the audio arrives (the first sentence is heard while the
        rest is made, and text over 4,096 characters is spoken part by part); when it has
        all arrived the usual player takes its place and goes on from there. mp3 and aac
        stream as asked; pcm, wav, opus and flac stream as pcm and are saved in the format
        asked (opus and flac need PyAV; without it they play once complete).

        Defaults: ``%config CometAudio.voice = "nova"`` (also speech_model,
        response_format, speed, instructions, autoplay, embed_max_bytes). With no
        COMETAPI_KEY, the built-in offline engine speaks.
        """
        args, text = split_options(self.comet_say, interpolate(line, self.shell.user_ns))
        if cell is not None:
            if text:
                raise UsageError(
                    "%%comet_say takes the text from the cell body; put only options "
                    f"on the first line (got {text!r} there)"
                )
            text = interpolate(cell, self.shell.user_ns).strip()
        if args.stream and (args.dialogue or args.voices or args.widget):
            raise UsageError(
                "--stream is for one text; for a dialogue drop --stream, and for the "
                "studio use its Stream box"
            )
        if args.dialogue or args.voices:  # a script of "Name: line" lines (magics/dialogue.py)
            return say_dialogue(self.shell, args, text)
        if args.widget:
            from ..widgets import SpeechStudio

            studio = SpeechStudio(
                text, model=args.model, voice=args.voice, response_format=args.format,
                speed=args.speed, instructions=args.instructions,
            )  # fmt: skip
            store(self.shell, args.output, studio)
            display(studio)
            return
        if not text.strip():
            raise UsageError(
                "there is no text to speak: %comet_say [options] TEXT, or %%comet_say "
                "[options] with the text in the cell (see %comet_say?)"
            )
        options = speech_options(
            model=args.model, voice=args.voice, response_format=args.format,
            speed=args.speed, instructions=args.instructions,
        )  # fmt: skip
        extra = extra_params(args.param)
        live = False
        if args.stream:
            # a terminal has no page to stream to: the player is shown when all has come
            live = getattr(self.shell, "kernel", None) is not None
            speech = _say_streaming(
                text, options, extra, quiet=args.quiet or not live,
                keep=lambda partial: store(self.shell, args.output, partial) or args.output,
            )  # fmt: skip
        else:
            speech = get_client().speech(text, **options, extra_body=extra)
        store(self.shell, args.output, speech)
        saved = save_to(speech, args.save) if args.save else None
        if args.quiet:
            return
        if not (args.stream and live):  # a streamed clip's player is on show already
            display(speech.player(autoplay=get_defaults().autoplay))
        if saved is not None:
            print(f"saved to {saved}")


def _say_streaming(
    text: str,
    options: dict,
    extra: dict | None,
    *,
    quiet: bool,
    keep: Callable[[Any], str | None],
) -> Any:
    """Speak ``text`` into a StreamPlayer on show, then put the saved player in its place.
    What arrived before a failure or an interrupt stays in the player and goes to
    ``keep`` (``-o VAR``: it returns the name), and the line that says what happened says
    where it is."""
    from ..widgets.stream_player import StreamPlayer, stream_plan

    client = get_client()
    plan = stream_plan(options["response_format"], text_length=len(text))
    player = StreamPlayer(plan, autoplay=get_defaults().autoplay)
    shown = None

    def show() -> None:  # once the service has answered: a refusal leaves no empty player
        nonlocal shown
        if not quiet:
            shown = display(player, display_id=True)

    try:
        speech = player.play(client, text, **options, extra_body=extra, on_open=show)
    except BaseException as error:
        partial = getattr(error, "speech", None)
        if shown is not None:
            shown.update(partial.player(stream_id=player.stream_id) if partial else _Nothing())
        places = []
        if shown is not None and partial is not None:
            places.append("the player above")
        name = keep(partial) if partial is not None else None
        if name:
            places.append(name)
        where = " and ".join(places)
        if isinstance(error, KeyboardInterrupt):  # Kernel > Interrupt: one line, no traceback
            raise UsageError(_interrupted(partial, where)) from None
        if where and getattr(error, "hint", "") == STREAM_CUT_HINT:
            error.hint = f"what arrived is in {where}; run the cell again"  # type: ignore[attr-defined]
        raise
    else:
        if shown is not None:
            shown.update(speech.player(stream_id=player.stream_id))
    finally:
        player.close()
    return speech


def _interrupted(partial: Any, where: str) -> str:
    """The line an interrupted stream leaves: how much had arrived, and where it is."""
    if partial is None:
        return "interrupted before any audio arrived"
    kept = f" (it is in {where})" if where else ""
    return f"interrupted: {partial.duration:.1f} s of audio had arrived{kept}"


class _Nothing:
    """What a stream that failed before any audio arrived leaves in its place."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        line = "no audio arrived"
        return {"text/plain": line, "text/html": f'<span style="opacity:0.7">{line}</span>'}
