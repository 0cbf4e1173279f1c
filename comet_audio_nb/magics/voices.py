"""``%comet_voices``: the same line in every voice, a player per row, to choose one."""

from __future__ import annotations

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from ..constants import SPEECH_FORMATS
from ..notebook.error_display import friendly_errors
from ..notebook.session import get_client
from ._args import interpolate, split_options, store

__all__ = ["VoicesMagics"]


@magics_class
class VoicesMagics(Magics):
    """Choose a voice by ear."""

    @line_cell_magic
    @no_var_expand  # $5 is money, as in %comet_say
    @friendly_errors
    @magic_arguments()
    @argument(
        "-m", "--models", metavar="A,B",
        help="speech models, comma-separated (default: tts-1)",
    )  # fmt: skip
    @argument(
        "-v", "--voices", metavar="A,B",
        help="voices to hear on every model (default: each model's own: ten for tts-1, "
        "thirteen for gpt-4o-mini-tts)",
    )  # fmt: skip
    @argument("-f", "--format", type=str.lower, choices=SPEECH_FORMATS, help="default: mp3")
    @argument(
        "-c", "--concurrency", type=int, help="requests at once (default: CometAudio.concurrency)"
    )
    @argument("-o", "--output", metavar="VAR", help="keep the VoiceGallery in VAR (.df, .pick())")
    @argument("text", nargs="*", metavar="TEXT", help="what every voice says (the cell for %%%%)")
    def comet_voices(self, line: str, cell: str | None = None) -> None:
        """Speak one line in every voice and show a table with a player per voice.

        Each row has the voice, the model, the clip's duration and size, its cost
        estimated from the model catalog and the request's time; one clip plays at a time.
        A voice the service refuses shows its error; the others still play. Keep the
        gallery with ``-o VAR``: ``VAR.df`` is a DataFrame, ``VAR.pick("nova")`` makes
        nova the notebook's default voice.

        Examples::

            %comet_voices
            %comet_voices Welcome to the show, {name}!
            %comet_voices --models tts-1,gpt-4o-mini-tts --voices alloy,nova,verse -o g
            %%comet_voices -o g
            Is this the voice for our podcast?

        With no COMETAPI_KEY the built-in engine speaks, and says that its voices are
        variations of one voice.
        """
        from ..jobs.gallery import DEFAULT_TEXT, voice_gallery

        args, text = split_options(self.comet_voices, interpolate(line, self.shell.user_ns))
        if cell is not None:
            if text:
                raise UsageError(
                    "%%comet_voices takes the text from the cell; put only options on the "
                    f"first line (got {text!r} there)"
                )
            text = interpolate(cell, self.shell.user_ns).strip()
        if args.concurrency is not None and args.concurrency < 1:
            raise UsageError(f"--concurrency {args.concurrency}: use 1 or more")
        gallery = voice_gallery(
            text or DEFAULT_TEXT, models=args.models, voices=args.voices, client=get_client(),
            concurrency=args.concurrency, response_format=args.format or "mp3",
        )  # fmt: skip
        store(self.shell, args.output, gallery)
        display(gallery)
