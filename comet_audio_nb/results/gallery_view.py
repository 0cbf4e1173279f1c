"""How a voice gallery shows itself: a table with one player per voice, one clip at a time.

Each clip is embedded, or written beside the notebook when large, as ``AudioPlayer`` does.
The shared player script (``playback``) pauses every other clip on the page when one
starts, so only one voice is heard at a time; nothing starts by itself.
"""

from __future__ import annotations

import html
import math
from typing import Any

from .markup import NO_MATHS
from .playback import script_tag
from .text import human_size, seconds_label, shorten
from .views import AudioPlayer

_BOX = f"comet-voice-gallery {NO_MATHS}"
_CAPTION = "font-size:0.85em;opacity:0.75;margin:2px 0"
_STYLE = """<style>
.comet-voice-gallery table.comet-gallery{border-collapse:collapse;margin:4px 0}
.comet-voice-gallery table.comet-gallery :is(td,th){padding:2px 8px;text-align:left;
  border-bottom:1px solid rgba(128,128,128,.25);vertical-align:middle}
.comet-voice-gallery table.comet-gallery td.num{text-align:right;
  font-variant-numeric:tabular-nums}
.comet-voice-gallery audio{height:32px;width:220px}
.comet-voice-gallery .comet-gallery-error{color:#c00}
</style>"""
ENGINE_NOTE = (
    "the built-in engine's voices are variations of one voice (Piper's en-US 'joe', varied in "
    "pitch and rhythm); CometAPI's are distinct voices"
)
HEAD = ("voice", "model", "listen", "duration", "size", "est. cost", "request")


def gallery_bundle(gallery: Any) -> dict[str, str]:
    """HTML (a table of players) and plain text for a ``VoiceGallery``."""
    return {"text/html": gallery_html(gallery), "text/plain": gallery_text(gallery)}


def gallery_notes(gallery: Any) -> list[str]:
    notes = []
    if gallery.engine:
        notes.append(ENGINE_NOTE)
    if gallery.prices:
        notes.append(f"estimated costs ({gallery.prices})")
    return notes


def gallery_html(gallery: Any) -> str:
    header = f"“{shorten(gallery.text, 80)}” · {gallery.summary()}"
    parts = [f'<div class="{_BOX}">{_STYLE}<div><b>Voice gallery</b>: {_e(header)}</div>']
    parts += [f'<div style="{_CAPTION}">{_e(note)}</div>' for note in gallery_notes(gallery)]
    head = "".join(f"<th>{_e(h)}</th>" for h in HEAD)
    body = "".join(_row(row) for row in gallery.rows)
    parts.append(
        f"<table class='comet-gallery'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
    if any(row.ok for row in gallery.rows):
        first = next(row.voice for row in gallery.rows if row.ok)
        parts.append(
            f'<div style="{_CAPTION}">one clip plays at a time · '
            f"<code>.pick({first!r})</code> makes a voice the notebook's default</div>"
        )
    parts.append(f"{script_tag()}</div>")
    return "".join(parts)


def gallery_text(gallery: Any) -> str:
    lines = [repr(gallery), *gallery_notes(gallery)]
    for row in gallery.rows:
        if row.ok:
            speech = row.speech
            size = human_size(speech.size)
            length = seconds_label(speech.duration) if speech.duration is not None else "?"
            lines.append(f"  {row.voice:<8} {row.model:<16} {length:>7} {size:>7} "
                         f"{_money(row.estimated_cost):>10}")  # fmt: skip
        else:
            lines.append(f"  {row.voice:<8} {row.model:<16} failed: {_error(row)}")
    return "\n".join(lines)


def _row(row: Any) -> str:
    start = f'<tr data-voice="{_e(row.voice)}" data-model="{_e(row.model)}">'
    names = f"<td><b>{_e(row.voice)}</b></td><td>{_e(row.model)}</td>"
    if not row.ok:
        error = f'<td colspan="5" class="comet-gallery-error">failed: {_e(_error(row))}</td>'
        return f"{start}{names}{error}</tr>"
    speech = row.speech
    src, _ = AudioPlayer(speech).source()
    player = f'<audio controls preload="metadata" src="{_e(src)}"></audio>'
    length = seconds_label(speech.duration) if speech.duration is not None else "?"
    request = seconds_label(speech.elapsed) if speech.elapsed is not None else "?"
    cost = f'<span title="{_e(row.cost_formula)}">{_e(_money(row.estimated_cost))}</span>'
    cells = [length, human_size(speech.size)]
    numbers = "".join(f'<td class="num">{_e(c)}</td>' for c in cells)
    return (
        f"{start}{names}<td>{player}</td>{numbers}<td class='num'>{cost}</td>"
        f"<td class='num'>{_e(request)}</td></tr>"
    )


def _error(row: Any) -> str:
    from .comparison import error_line

    return error_line(row.error) if row.error is not None else "no clip"


def _money(value: float) -> str:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return "–"
    text = f"{value:.3g}"
    if "e" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    return f"${text}"


def _e(text: Any) -> str:
    return html.escape(str(text))
