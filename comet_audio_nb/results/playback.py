"""One clip at a time: the small front-end script that every player we show shares.

Run All on a notebook with several ``%comet_say`` cells used to play them all at once, and
a saved notebook that the front end trusts played all its players marked ``autoplay``
together when it was reopened. So no player we show carries ``autoplay``; instead:

- **HTML players** (``Speech``'s ``AudioPlayer``, and any player written as HTML) mark an
  ``<audio>`` that should start with ``data-comet-autoplay`` and end with
  ``script_tag()``. JupyterLab 4 and Notebook 7 run that script only for outputs they
  trust, which the output of a cell run in this page is; the script starts the clip only
  if its cell is running now (a live run), so a reopened notebook, trusted or not, stays
  silent. Where scripts do not run (an untrusted notebook, GitHub) the player still plays
  when clicked.
- **Streaming players** (``widgets.StreamPlayer``) play while the audio arrives and are
  then replaced by the saved player, which carries ``data-comet-stream`` (their id): the
  script hands the position over, so the clip goes on from where it was. Nothing is handed
  over in a reopened notebook, so there it stays silent.
- **Widget players** (``TranscriptPlayer``, the studio's ``ClipPlayer``, the recorder's
  preview, ``StreamPlayer``) put ``playback_js()`` before their ES module
  (``widgets._common.esm``) and start playing only when the kernel sends them a ``play``
  message (or, streaming, audio), which is never saved.

The script (``one_player.js``, installed once per page as ``window.cometAudio``) pauses every
other ``<audio>`` on the page when one starts, so the newest clip of a run is the one
heard, and keeps a clock with tenths beside each player (``0:00.0 / 0:00.6``: the
browser's own shows ``0:00 / 0:00`` for a clip under a second).

>>> "cometAudio" in script_tag()
True
>>> autoplay_attributes(False)
''
"""

from __future__ import annotations

import re
import time
from functools import cache
from pathlib import Path

__all__ = ["autoplay_attributes", "playback_js", "script_tag", "stream_attribute"]


@cache
def playback_js() -> str:
    """The script, without comments or indentation (it is saved with every HTML player)."""
    text = (Path(__file__).parent / "one_player.js").read_text(encoding="utf-8")
    lines = (re.sub(r"\s+// .*$", "", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def script_tag() -> str:
    """A ``<script>`` that sets up the players inside the element it ends."""
    return f"<script>{playback_js()}\ncometAudio.show(document.currentScript.parentNode)</script>"


def autoplay_attributes(autoplay: bool) -> str:
    """What an ``<audio>`` that should start in a live view carries instead of ``autoplay``.

    ``data-made`` (the kernel's clock) lets front ends other than Jupyter's, where the
    script cannot see a running cell, treat only a just-made player as live.
    """
    return f' data-comet-autoplay data-made="{int(time.time())}"' if autoplay else ""


def stream_attribute(stream_id: str | None) -> str:
    """What an ``<audio>`` that takes over from streaming player ``stream_id`` carries.

    >>> stream_attribute("a1b2")
    ' data-comet-stream="a1b2"'
    """
    if not stream_id:
        return ""
    if not re.fullmatch(r"[\w-]{1,64}", stream_id):
        raise ValueError(f"a stream id is letters, digits, - and _ (got {stream_id!r})")
    return f' data-comet-stream="{stream_id}"'
