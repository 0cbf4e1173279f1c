"""``%%comet_compare``: the same audio through several transcription models, side by side."""

from __future__ import annotations

import shlex
from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from ..audio.downloads import Downloads
from ..notebook.cell_sources import resolve_sources, source_lines
from ..notebook.error_display import friendly_errors
from ..notebook.session import get_client, get_defaults
from ._args import split_options, store

__all__ = ["CompareMagics"]


@magics_class
class CompareMagics(Magics):
    """Choose a transcription model: accuracy, speed and cost on your own audio."""

    @line_cell_magic
    @friendly_errors
    @magic_arguments()
    @argument(
        "-m", "--models", metavar="A,B,…",
        help="models to compare, comma-separated (default: whisper-1, gpt-4o-transcribe, "
        "gpt-4o-mini-transcribe)",
    )  # fmt: skip
    @argument("-r", "--reference", metavar="TEXT", help="what was really said (one file)")
    @argument("--reference-file", metavar="F", help="a text file holding the reference")
    @argument("-l", "--language", help="language of the audio, ISO-639-1 (en, fr, …)")
    @argument("-p", "--prompt", help="context or spellings, sent to every model")
    @argument(
        "-c", "--concurrency", type=int, help="requests at once (default: CometAudio.concurrency)"
    )
    @argument("-o", "--output", metavar="VAR", help="store the Comparison in VAR (.df, .summary)")
    @argument("sources", nargs="*", metavar="SOURCE", help="audio sources (or one per cell line)")
    def comet_compare(self, line: str, cell: str | None = None) -> None:
        """Transcribe the same audio with several models at once and compare them.

        Sources are listed as for ``%%comet_transcribe``: paths, globs, URLs or variable
        names, one per line. Shows one row per model (word error rate against the
        reference, or agreement between the models without one; latency; estimated cost
        from the model catalog) and each file's texts aligned with the differences marked.
        A model that fails keeps its row, with the error.

        Examples::

            %%comet_compare --models whisper-1,gpt-4o-mini-transcribe --reference "Hello there."
            hello.wav

            %%comet_compare --reference-file talk.txt -o cmp
            talk.mp4

            %%comet_compare --language en
            interviews/*.mp3

        On the built-in engine (no COMETAPI_KEY) the output says which of its recognisers
        answered each model name.
        """
        from ..jobs.compare import DEFAULT_MODELS, compare_transcription

        args, rest = split_options(self.comet_compare, line)
        try:
            lines = shlex.split(rest) + source_lines(cell or "")
        except ValueError as exc:
            raise UsageError(f"{exc} in {rest!r}") from None
        if not lines:
            raise UsageError(
                "no audio to compare on: list sources in the cell, one per line, or give one "
                "after the options (see %comet_compare?)"
            )
        if args.concurrency is not None and args.concurrency < 1:
            raise UsageError(f"--concurrency {args.concurrency}: use 1 or more")
        reference = self._reference(args)
        options = {"language": args.language or get_defaults().language or None}
        if args.prompt:
            options["prompt"] = args.prompt
        client = get_client()
        with Downloads(max_bytes=client.settings.max_upload_bytes) as downloads:
            sources = resolve_sources(lines, self.shell.user_ns, downloads)
            if reference is not None and len(sources) != 1:
                raise UsageError(
                    f"--reference is one text, for one file ({len(sources)} listed): for "
                    "several, call compare_transcription(..., reference=[...])"
                )
            comparison = compare_transcription(
                sources, args.models or DEFAULT_MODELS, reference=reference, client=client,
                concurrency=args.concurrency, **options,
            )  # fmt: skip
        store(self.shell, args.output, comparison)
        display(comparison)

    @staticmethod
    def _reference(args) -> str | None:
        if args.reference is not None and args.reference_file:
            raise UsageError("give --reference or --reference-file, not both")
        if args.reference_file:
            path = Path(args.reference_file).expanduser()
            try:
                return path.read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot read --reference-file {path}: {exc.strerror}") from None
            except UnicodeDecodeError:
                raise UsageError(f"--reference-file {path} is not UTF-8 text") from None
        return args.reference
