"""StreamPlayer: speech that plays in the browser while it is made, then the saved player.

``%comet_say --stream`` and the speech studio's Stream option show it. It starts on the
first chunk, shows what has arrived and what has been heard, and when the request ends it
is replaced by the usual saved player (``Speech.player``; in the studio, its clip player),
which goes on from the same position: a terminal, nbconvert or a reopened notebook only
ever sees the saved player. It is one of the players of ``results.playback``: starting it
pauses every other clip on the page, and another clip starting pauses it.

How each format plays while it arrives (``stream_plan``):

==============  ===============================================  ==========================
asked format    sent by the service while it plays                saved clip
==============  ===============================================  ==========================
mp3, aac        as asked, played by the browser's Media Source   as sent
pcm, wav        pcm, played through Web Audio                    pcm; wav wraps it (lossless)
opus, flac      pcm, played through Web Audio (needs PyAV)       encoded once at the end
                without PyAV: as asked, heard when complete
text > 4,096    pcm, part by part (``stream_speech_long``)       joined, encoded once
==============  ===============================================  ==========================

Where the browser has no Media Source for mp3/aac, the clip is heard when complete.

>>> plan = stream_plan("mp3"); (plan.wire, plan.mode, plan.mime)
('mp3', 'mse', 'audio/mpeg')
>>> stream_plan("wav").wire, stream_plan("wav").mode
('pcm', 'pcm')
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anywidget
from traitlets import Bool, Int, Unicode

from ..constants import MAX_SPEECH_CHARS, PCM_SAMPLE_RATE, PLAYER_MIME, SPEECH_CONTENT_TYPES
from ._common import esm

if TYPE_CHECKING:
    from ..results import Speech

__all__ = ["StreamPlan", "StreamPlayer", "stream_plan"]

_MSE_FORMATS = ("mp3", "aac")  # what Chromium's Media Source plays as it arrives


@dataclass(frozen=True)
class StreamPlan:
    """How speech asked in ``asked`` format is streamed and played."""

    asked: str  # the saved clip's format
    wire: str  # the response_format sent to the service
    mode: str  # how the browser plays it: "pcm" (Web Audio), "mse" (Media Source), "end"
    mime: str = ""  # for "mse": the Media Source type
    long: bool = False  # over one request: stream_speech_long, which encodes itself
    max_chars: int = MAX_SPEECH_CHARS  # the most one request takes, when long

    @property
    def encode(self) -> bool:
        """Whether the saved clip is encoded from the streamed pcm at the end."""
        return not self.long and self.wire != self.asked


def stream_plan(
    asked: str, *, text_length: int = 0, max_chars: int = MAX_SPEECH_CHARS
) -> StreamPlan:
    """The plan for speech in format ``asked`` (see the module's table); text over
    ``max_chars`` goes part by part."""
    asked = asked.lower()
    if text_length > max_chars:
        return StreamPlan(asked, "pcm", "pcm", long=True, max_chars=max_chars)
    if asked in _MSE_FORMATS:
        return StreamPlan(asked, asked, "mse", PLAYER_MIME[asked])
    if asked in ("pcm", "wav") or _has_av():
        return StreamPlan(asked, "pcm", "pcm")
    return StreamPlan(asked, asked, "end")


def _has_av() -> bool:
    import importlib.util

    return importlib.util.find_spec("av") is not None


class StreamPlayer(anywidget.AnyWidget):
    """Plays speech while it arrives (``feed`` each chunk, then ``end``); see the module.

    ``stream_id`` names it to the saved player that replaces it
    (``speech.player(stream_id=...)``), which goes on from where it was.

    >>> player = StreamPlayer(stream_plan("pcm"), caption="“Hello”")
    >>> player.mode, player.rate, len(player.stream_id)
    ('pcm', 24000, 32)
    """

    _esm = esm("stream_player.js")

    mode = Unicode("pcm", help='"pcm" (Web Audio), "mse" (Media Source) or "end"').tag(sync=True)
    mime = Unicode("", help="the Media Source type, for mode mse").tag(sync=True)
    rate = Int(PCM_SAMPLE_RATE, help="pcm samples per second").tag(sync=True)
    stream_id = Unicode("", help="what the saved player that replaces it carries").tag(sync=True)
    autoplay = Bool(True, help="start on the first chunk (the browser may refuse)").tag(sync=True)
    caption = Unicode("").tag(sync=True)
    state = Unicode("waiting", help="waiting, streaming, done or failed").tag(sync=True)

    def __init__(self, plan: StreamPlan | None = None, **kwargs: Any) -> None:
        plan = plan or stream_plan("pcm")
        kwargs.setdefault("stream_id", uuid.uuid4().hex)
        super().__init__(mode=plan.mode, mime=plan.mime, **kwargs)
        self.plan = plan
        self.first_audio: float | None = None  # seconds from the request to the first chunk
        self.seconds: float | None = None  # from the request to the end of the stream
        self._started = time.perf_counter()
        self._chunks: list[bytes] = []

    def feed(self, chunk: bytes) -> None:
        """Send one chunk of audio to the views on show (kept for ``partial``)."""
        if not chunk:
            return
        if self.state == "waiting":
            self.first_audio = time.perf_counter() - self._started
            self.state = "streaming"
        self._chunks.append(chunk)
        self.send({"type": "chunk"}, [chunk])

    @property
    def received(self) -> int:
        """Bytes fed so far."""
        return sum(map(len, self._chunks))

    def end(self, *, failed: bool = False) -> None:
        """All of it has arrived (or, ``failed``, no more will)."""
        self.seconds = time.perf_counter() - self._started
        self.state = "failed" if failed else "done"
        self.send({"type": "end"})

    def play(
        self, client: Any, text: str, *, on_open: Callable[[], Any] | None = None, **options: Any
    ) -> Speech:
        """Speak ``text`` through ``client``, feeding this player, and return the Speech in
        the format asked (``options`` are ``CometClient.speech``'s). ``on_open()`` is called
        once the service has answered, before the first chunk (``%comet_say --stream``
        shows the player then, so that options it refuses leave no empty player behind).
        When the stream fails the error carries what arrived as ``error.speech``; the
        player is ended either way."""
        plan = self.plan
        self._started = time.perf_counter()
        if not self.caption:
            from ..results.text import shorten

            shown = [f"“{shorten(text, 60)}”", options.get("model"), options.get("voice")]
            shown.append(f"{plan.asked}, streamed as {plan.wire}" if plan.encode else plan.asked)
            self.caption = " · ".join(str(part) for part in shown if part)
        if plan.long:
            stream = client.stream_speech_long(text, max_chars=plan.max_chars, **options)
        else:
            stream = client.stream_speech(text, **{**options, "response_format": plan.wire})
        try:
            with stream:
                if on_open is not None:
                    on_open()
                for chunk in stream:
                    self.feed(chunk)
            speech = stream.speech
        except BaseException as error:
            self.end(failed=True)
            partial = self.partial(getattr(error, "speech", None))
            if partial is not None and partial.text is None:  # made here from the chunks
                partial = dataclasses.replace(
                    partial, text=text, model=options.get("model"), voice=options.get("voice")
                )
            error.speech = partial  # type: ignore[attr-defined]
            raise
        if plan.encode:
            speech = _encoded(speech, plan.asked)
        self.end()
        return speech

    def partial(self, arrived: Speech | None = None) -> Speech | None:
        """What arrived before a stream stopped, as a Speech (None if nothing did)."""
        from ..results import Speech

        if arrived is not None and arrived.data:
            return arrived
        if not self._chunks:
            return None
        return Speech(
            b"".join(self._chunks),
            format=self.plan.wire,
            content_type=SPEECH_CONTENT_TYPES.get(self.plan.wire, "application/octet-stream"),
        )

    def _static_html(self) -> str:
        return ""  # replaced by the saved player when the stream ends; nothing to keep

    def __repr__(self) -> str:
        return f"StreamPlayer({self.mode}, {self.state}, {self.received:,} bytes)"


def _encoded(speech: Speech, asked: str) -> Speech:
    """``speech`` (pcm) in format ``asked``, encoded once."""
    from ..audio.codecs import encode_pcm

    return dataclasses.replace(
        speech,
        data=encode_pcm([speech.data], asked),
        format=asked,
        content_type=SPEECH_CONTENT_TYPES[asked],
    )
