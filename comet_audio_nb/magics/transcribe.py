"""``%%comet_transcribe``: speech to text for the audio sources listed in the cell."""

from __future__ import annotations

import html
import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from ..audio.downloads import Downloads
from ..constants import ALL_TRANSCRIPT_FORMATS
from ..errors import SourceError
from ..notebook.cell_sources import Source, resolve_sources, source_lines
from ..notebook.error_display import friendly_errors
from ..notebook.live_transcript import STREAM_IS_FOR, live_transcript
from ..notebook.options import transcribe_options
from ..notebook.session import get_client
from ._args import PARAM_HELP, extra_params, split_options, store

__all__ = ["TranscribeMagics"]


@magics_class
class TranscribeMagics(Magics):
    """Speech to text (and to English) in a notebook."""

    @line_cell_magic
    @friendly_errors
    @magic_arguments()
    @argument("-m", "--model", help="model (default: %%config CometAudio.transcribe_model)")
    @argument("-l", "--language", help="language of the audio, ISO-639-1 (en, fr, …)")
    @argument("-p", "--prompt", help="context or spellings to guide the model")
    @argument(
        "-f", "--format", type=str.lower, choices=ALL_TRANSCRIPT_FORMATS, help="response format"
    )
    @argument(
        "-t",
        "--timestamps",
        type=str.lower,
        choices=("segment", "word"),
        help="timestamps per segment, or per word too (.segments, .words)",
    )
    @argument("--translate", action="store_true", help="translate the speech into English")
    @argument(
        "-s", "--stream", action="store_true",
        help="show the text growing as it arrives (gpt-4o-mini-transcribe, gpt-4o-transcribe)",
    )  # fmt: skip
    @argument("--param", action="append", metavar="KEY=VALUE", help=PARAM_HELP)
    @argument(
        "-c", "--concurrency", type=int, help="requests at once (default: CometAudio.concurrency)"
    )
    @argument(
        "-o",
        "--output",
        metavar="VAR",
        help="store the result in VAR: a Transcript, or for several sources a BatchResult "
        "(.df, .transcripts, .retry_failed())",
    )
    @argument(
        "-w", "--widget", action="store_true",
        help="open the transcription panel (a SOURCE: its path or URL; -o VAR: the last result; "
        "--stream: its Stream option ticked)",
    )  # fmt: skip
    @argument("sources", nargs="*", metavar="SOURCE", help="audio sources (or one per cell line)")
    def comet_transcribe(self, line: str, cell: str | None = None) -> None:
        """Transcribe the audio sources listed in the cell, one per line.

        A source is a file path, a glob (``clips/*.mp3``), an http(s) URL, or the name
        of a variable holding bytes, a path, a ``Speech`` or a list of these. One source
        shows its transcript; several show a table (source, status, text, language,
        duration, error, …) and a failed source does not stop the others.

        Examples::

            %%comet_transcribe --timestamps segment -o talk
            recordings/talk.mp3

            %%comet_transcribe --language en
            interviews/*.wav
            https://example.org/podcast.mp3
            greeting

            %comet_transcribe --translate interview-fr.mp3

            %comet_transcribe --stream -m gpt-4o-mini-transcribe talk.mp3

            %%comet_transcribe -m gpt-4o-transcribe-diarize -o panel
            panel-discussion.mp3

        ``--stream`` shows the text as it arrives (one source; whisper-1 does not stream
        and answers whole). ``--param KEY=VALUE`` sends a field this package has no option
        for (``--param include=["logprobs"]``). The diarize model answers with speakers
        (``panel.speakers``).

        Defaults: ``%config CometAudio.transcribe_model``, ``.language``,
        ``.concurrency``. With no COMETAPI_KEY, the built-in offline engine listens.
        """
        args, rest = split_options(self.comet_transcribe, line)
        try:
            lines = shlex.split(rest) + source_lines(cell or "")
        except ValueError as exc:
            raise UsageError(f"{exc} in {rest!r}") from None
        if args.widget:
            from ..widgets import TranscribePanel

            if len(lines) > 1:
                raise UsageError("--widget takes one source at most; upload several in the panel")
            store(self.shell, args.output, None)  # the panel fills it in with each transcript
            display(TranscribePanel(
                lines[0] if lines else None, model=args.model, language=args.language,
                prompt=args.prompt or "", response_format=args.format,
                timestamps=args.timestamps or "segment", translate=args.translate,
                stream=args.stream,
                on_result=lambda transcript: store(self.shell, args.output, transcript),
            ))  # fmt: skip
            return
        if not lines:
            raise UsageError(
                "no audio to transcribe: list sources in the cell, one per line (paths, "
                "globs, URLs or variable names), or give one after the options"
            )
        options = self._options(args)
        client = get_client()
        with Downloads(max_bytes=client.settings.max_upload_bytes) as downloads:
            sources = resolve_sources(lines, self.shell.user_ns, downloads)
            if args.stream:
                if len(sources) != 1:
                    raise UsageError(f"--stream takes one source, not {len(sources)}")
                result = self._live(client, sources[0], options)
                store(self.shell, args.output, result)
                return
            if len(sources) == 1:
                result = self._one(client, sources[0], args.translate, options)
                shown: Any = result
            else:
                from ..jobs.batch import transcribe_many

                result = shown = transcribe_many(
                    sources, client=client, concurrency=args.concurrency,
                    translate=args.translate, **options,
                )  # fmt: skip
                for source, transcript in zip(sources, result.transcripts, strict=True):
                    if transcript is not None:  # named as the cell names it
                        transcript.source = source.label
        store(self.shell, args.output, result)
        display(shown)

    @staticmethod
    def _options(args: Any) -> dict[str, Any]:
        if args.concurrency is not None and args.concurrency < 1:
            raise UsageError(f"--concurrency {args.concurrency}: use 1 or more")
        if args.stream and (args.translate or args.timestamps):
            raise UsageError(f"--stream {STREAM_IS_FOR}; drop --stream")
        options = transcribe_options(
            model=args.model, language=args.language, prompt=args.prompt,
            response_format=args.format, timestamps=args.timestamps, translate=args.translate,
        )  # fmt: skip
        extra = extra_params(args.param)
        if extra:
            options["extra_body"] = extra
        return options

    @staticmethod
    def _one(client: Any, source: Source, translate: bool, options: dict[str, Any]) -> Any:
        if source.error:
            raise SourceError(source.error)
        from ..jobs.long_audio import transcribe_one

        # split when over the upload limit, as it would be among several sources
        transcript = transcribe_one(client, source.audio, translate=translate, **options)
        transcript.source = source.label
        return transcript

    @staticmethod
    def _live(client: Any, source: Source, options: dict[str, Any]) -> Any:
        """One source transcribed with ``stream=true``, its text shown growing in place."""
        if source.error:
            raise SourceError(source.error)
        shown = display(_Line("…", live=True), display_id=True)
        arrived: list[str] = []
        try:
            transcript = live_transcript(
                client, source.audio, options,
                show=lambda text: (arrived.append(text), shown.update(_Line(text, live=True))),
                note=lambda line: display(_Line(line)),
            )  # fmt: skip
        except KeyboardInterrupt:  # Kernel > Interrupt: one line, no traceback
            kept = "the text that had arrived stays above" if arrived else "no text had arrived"
            raise UsageError(f"interrupted: {kept}") from None
        transcript.source = source.label
        shown.update(transcript)
        return transcript


class _Line:
    """A quiet line of output (a notice, or the text so far of a live transcript)."""

    def __init__(self, text: str, *, live: bool = False) -> None:
        self.text, self.live = text, live

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        style = "white-space:pre-wrap" if self.live else "opacity:0.7;font-size:0.9em"
        markup = (
            f'<div class="comet-audio-line tex2jax_ignore mathjax_ignore" style="{style}">'
            f"{html.escape(self.text)}</div>"
        )
        return {"text/plain": self.text, "text/html": markup}
