"""How results look in a notebook: one ``<audio>`` player per Speech, a timestamped Transcript.

Speech stays in its own compressed format (only headerless pcm is wrapped as WAV, which
browsers can play). Audio up to ``CometAudio.embed_max_bytes`` is embedded as a data URI,
so a shared notebook still plays; larger audio is written once (named by its content)
under ``CometAudio.audio_dir`` beside the notebook and played from there. Players follow
``playback`` (one clip at a time; autoplay only in a live view, never on reopening).

A diarized transcript's HTML view has a legend of its speakers (colour, seconds, share)
and each line a border in its speaker's colour (``speakers.speaker_colours``, as in the
transcript player), the speaker's name on the first line of each turn; its text view
prefixes each line with the speaker (``Ana: Hello.``).
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..audio.wav import pcm_to_wav
from ..constants import PCM_SAMPLE_RATE, PLAYER_MIME
from .display import display_options
from .logprobs import confidence_html
from .markup import NO_MATHS
from .playback import autoplay_attributes, script_tag, stream_attribute
from .speakers import speaker_legend, speaker_line, speaker_of
from .text import clock, human_size, seconds_label, shorten
from .values import as_text

if TYPE_CHECKING:
    from .speech import Speech
    from .transcript import Transcript

MAX_SHOWN_SEGMENTS = 500  # a transcript's display stays small; .segments has them all
MAX_SHOWN_CHARS = 20_000
NO_SPEECH = "(no speech heard)"
_CAPTION_STYLE = "font-size:0.85em;opacity:0.75;margin-top:2px"
_TIME_STYLE = "font-family:monospace;opacity:0.6;margin-right:0.6em"
_ROW_STYLE = "display:flex;align-items:center;gap:0.6em"
_CLOCK_STYLE = "font-family:monospace;font-size:0.85em;opacity:0.75"
# A speaker's colour as a border and a tinted chip, the text in the theme's own colour.
_TURN_STYLE = "border-left:4px solid {colour};padding-left:6px"
_CHIP_STYLE = (
    "display:inline-block;border:1px solid {colour};background:{colour}33;border-radius:8px;"
    "padding:0 6px;margin-right:0.5em;font-size:0.85em;font-weight:600"
)
_LEGEND_STYLE = "display:flex;flex-wrap:wrap;gap:4px 12px;margin:2px 0 4px"


@dataclass
class AudioPlayer:
    """An inline player for a Speech: one ``<audio controls>`` element and a caption.

    ``embed_max_bytes`` and ``audio_dir`` default to ``display_options`` (which
    ``%config CometAudio`` sets).

    >>> from comet_audio_nb import Speech
    >>> player = AudioPlayer(Speech(b"ID3" + bytes(400), format="mp3", content_type="audio/mpeg"))
    >>> player._repr_mimebundle_()["text/html"].count("<audio")
    1
    """

    speech: Speech
    autoplay: bool = False
    embed_max_bytes: int | None = None
    audio_dir: str | None = None
    # The streaming player this one replaces (widgets.stream_player): it goes on from there.
    stream_id: str | None = None

    def source(self) -> tuple[str, Path | None]:
        """The ``src`` of the player, and the file written when the audio is too large."""
        data, mime, extension = playable(self.speech)
        limit, folder = self._limits()
        if len(data) <= limit:
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", None
        name = f"speech-{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
        target = Path(folder) / name
        if not (target.is_file() and target.stat().st_size == len(data)):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return target.as_posix(), target

    def _limits(self) -> tuple[int, str]:
        limit, folder = self.embed_max_bytes, self.audio_dir
        limit = display_options.embed_max_bytes if limit is None else limit
        folder = display_options.audio_dir if folder is None else folder
        return limit, folder

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        src, saved = self.source()
        caption = speech_caption(self.speech)
        plain = repr(self.speech)
        if saved is not None:
            note = f"too large to embed: saved as {saved.as_posix()} and played from there"
            caption, plain = f"{caption} · {note}", f"{plain} → {saved.as_posix()}"
        # No `autoplay` attribute: saved HTML must not start by itself when reopened.
        duration = clock(self.speech.duration) if self.speech.duration is not None else "?"
        markup = (
            f'<div class="comet-audio-speech {NO_MATHS}"><div style="{_ROW_STYLE}">'
            f'<audio controls preload="metadata" src="{html.escape(src)}"'
            f"{autoplay_attributes(self.autoplay)}{stream_attribute(self.stream_id)}></audio>"
            f'<span class="comet-audio-clock" style="{_CLOCK_STYLE}">0:00.0 / {duration}</span>'
            f'</div><div style="{_CAPTION_STYLE}">{html.escape(caption)}</div>{script_tag()}</div>'
        )
        return {"text/html": markup, "text/plain": plain}


def playable(speech: Speech) -> tuple[bytes, str, str]:
    """(bytes, MIME type, file extension) a browser can play; only pcm gets a WAV header."""
    kind = (speech.format or "").lower()
    if kind == "pcm":
        return pcm_to_wav(speech.data, rate=PCM_SAMPLE_RATE), "audio/wav", "wav"
    mime = PLAYER_MIME.get(kind) or speech.content_type or "application/octet-stream"
    return speech.data, mime, kind or "bin"


def speech_caption(speech: Speech) -> str:
    """``“Hello there” · tts-1 · alloy · mp3 · 1.2 s · 20 KB``"""
    parts = [f"“{shorten(speech.text, 60)}”"] if speech.text else []
    parts += [p for p in (speech.model, speech.voice) if p]
    parts.append(speech.format)
    if speech.speed not in (None, 1.0):
        parts.append(f"speed {speech.speed:g}")
    if speech.duration is not None:
        parts.append(seconds_label(speech.duration))
    parts.append(human_size(speech.size))
    return " · ".join(parts)


def transcript_lines(transcript: Transcript) -> tuple[str, list[tuple[str, str, str]], str]:
    """(header, [(time range, text, speaker or "")], footer) shared by the text and HTML
    views."""
    task = "translation" if transcript.task == "translate" else "transcript"
    parts = [task]
    if transcript.language:
        parts.append(transcript.language)
    if transcript.duration is not None:
        parts.append(seconds_label(transcript.duration))
    parts += [p for p in (transcript.model, transcript.source) if p]
    segments = [s for s in transcript.segment_records if isinstance(s, dict)]
    timed = [s for s in segments if s.get("start") is not None and str(s.get("text") or "").strip()]
    if not timed and not transcript.text.strip():
        return " · ".join(parts), [("", NO_SPEECH, "")], ""  # silence: say so, not an empty line
    if timed:
        rows = [
            (
                f"[{clock(s.get('start'))} → {clock(s.get('end'))}]",
                as_text(s.get("text")),
                speaker_of(s) or "",
            )
            for s in timed[:MAX_SHOWN_SEGMENTS]
        ]
        hidden = len(timed) - len(rows)
        footer = f"… {hidden} more segments: .segments has them all" if hidden > 0 else ""
        return " · ".join(parts), rows, footer
    text = transcript.text
    footer = ""
    if len(text) > MAX_SHOWN_CHARS:
        text, footer = text[:MAX_SHOWN_CHARS] + "…", "(shortened: .text has it all)"
    return " · ".join(parts), [("", text, "")], footer


def transcript_bundle(transcript: Transcript, *, max_rows: int | None = None) -> dict[str, str]:
    """Readable text with timestamps, as HTML and as plain text (``max_rows`` lines at most:
    the static picture of a player, whose widget holds every segment, stays small)."""
    header, rows, footer = transcript_lines(transcript)
    if max_rows is not None and len(rows) > max_rows:
        footer = f"… {len(rows) - max_rows} more lines: run the cell to see them all"
        rows = rows[:max_rows]
    plain = [header] + [
        f"{stamp} {speaker_line({'speaker': speaker, 'text': text})}".strip()
        for stamp, text, speaker in rows
    ]
    legend = speaker_legend(transcript.segment_records)
    colours = {entry["speaker"]: entry["colour"] for entry in legend}
    body = "".join(
        _timed_row(stamp, text, speaker, colours, turn=speaker != rows[i - 1][2] if i else True)
        if stamp
        else f'<div style="white-space:pre-wrap">{html.escape(text)}</div>'
        for i, (stamp, text, speaker) in enumerate(rows)
    )
    if len(rows) == 1 and not rows[0][0]:  # untimed text: its unlikely tokens shaded
        body = confidence_html(transcript.logprob_records) or body
    tail = f'<div style="{_CAPTION_STYLE}">{html.escape(footer)}</div>' if footer else ""
    markup = (
        f'<div class="comet-audio-transcript {NO_MATHS}"><div style="{_CAPTION_STYLE}">'
        f"{html.escape(header)}</div>{legend_html(legend)}{body}{tail}</div>"
    )
    return {"text/html": markup, "text/plain": "\n".join(plain + ([footer] if footer else []))}


def legend_html(legend: list[dict]) -> str:
    """The speakers of ``speakers.speaker_legend`` as a row of name chips, each with its
    talk time and share (nothing for a transcript without speakers).

    >>> "50%" in legend_html([{"speaker": "A", "colour": "#0072B2", "talk_seconds": 1.0,
    ...                        "turns": 1, "share": 0.5}])
    True
    """
    if not legend:
        return ""
    entries = "".join(
        f'<span class="comet-audio-speaker">{speaker_chip(entry["speaker"], entry["colour"])}'
        f'<span style="opacity:0.75">{html.escape(talk_label(entry))}</span></span>'
        for entry in legend
    )
    return f'<div class="comet-audio-legend" style="{_LEGEND_STYLE}">{entries}</div>'


def speaker_chip(speaker: str, colour: str) -> str:
    style = _CHIP_STYLE.format(colour=colour)
    return f'<span class="comet-audio-chip" style="{style}">{html.escape(speaker)}</span>'


def talk_label(entry: dict) -> str:
    """``6.1 s · 67%``: a legend entry's talk time and share."""
    share = entry.get("share")
    return seconds_label(entry["talk_seconds"]) + (f" · {share:.0%}" if share is not None else "")


def _timed_row(stamp: str, text: str, speaker: str, colours: dict, *, turn: bool) -> str:
    time = f'<span style="{_TIME_STYLE}">{html.escape(stamp)}</span>'
    if not speaker:
        return f"<div>{time}{html.escape(text)}</div>"
    colour = colours[speaker]
    chip = speaker_chip(speaker, colour) if turn else ""
    style = _TURN_STYLE.format(colour=colour)
    return (
        f'<div data-speaker="{html.escape(speaker, quote=True)}" style="{style}">'
        f"{time}{chip}{html.escape(text)}</div>"
    )
