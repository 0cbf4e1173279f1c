"""voice_gallery: one line spoken by every voice of each speech model asked for, to choose one.

The requests go out concurrently through the batch machinery's bounded, 429-aware
dispatcher. Every voice gets a row: its clip (duration, size, request time, cost estimated
from the model catalog) or the error the service gave, while the others still play.

>>> from comet_audio_nb import voice_gallery
>>> gallery = voice_gallery("Welcome to the show.")         # doctest: +SKIP
>>> gallery.df[["voice", "duration", "estimated_cost"]]      # doctest: +SKIP
>>> gallery.pick("nova")        # the notebook's default voice from now on  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ..constants import DEFAULT_SPEECH_MODEL, SPEECH_FORMATS, VOICES
from ..errors import ValidationError
from ..results.gallery_view import ENGINE_NOTE
from .costs import price_book
from .defaults import job_defaults
from .dispatch import Dispatcher, dispatcher_for, run_interruptible
from .progress import Progress

if TYPE_CHECKING:
    import pandas as pd

    from ..results import Speech

__all__ = [
    "DEFAULT_TEXT",
    "ENGINE_NOTE",
    "DOCUMENTED_VOICES",
    "GalleryRow",
    "VoiceGallery",
    "avoice_gallery",
    "voice_gallery",
    "voices_for",
]

DEFAULT_TEXT = "Hello! This is how I sound reading a line from your notebook."
# The ten voices CometAPI documents for every speech model; the newer ones (verse, marin,
# cedar) only gpt-4o-mini-tts and its dated versions have.
DOCUMENTED_VOICES: tuple[str, ...] = VOICES[:10]
NEWER_VOICES: tuple[str, ...] = VOICES[10:]
_NEWER_VOICE_MODELS = ("gpt-4o-mini-tts",)
COLUMNS = ("voice", "model", "status", "duration", "size", "estimated_cost", "request_time",
           "cost_formula", "error")  # fmt: skip


def voices_for(model: str) -> tuple[str, ...]:
    """The voices worth hearing on ``model``: the documented ten, plus the newer three for
    the models that have them.

    >>> len(voices_for("tts-1")), len(voices_for("gpt-4o-mini-tts"))
    (10, 13)
    """
    if str(model).startswith(_NEWER_VOICE_MODELS):
        return DOCUMENTED_VOICES + NEWER_VOICES
    return DOCUMENTED_VOICES


@dataclass
class GalleryRow:
    """One voice of one model: its clip, or the error the service gave."""

    voice: str
    model: str
    speech: Speech | None = None
    error: BaseException | None = None
    estimated_cost: float = math.nan
    cost_formula: str = ""

    @property
    def ok(self) -> bool:
        return self.speech is not None


class VoiceGallery:
    """The same text in many voices: ``df``, a player per row, and ``pick(voice)``.

    ``engine``: the built-in engine spoke (its voices are variations of one voice).
    ``prices``: where the cost estimates come from ("sample data" offline).
    """

    def __init__(
        self, text: str, rows: Sequence[GalleryRow], *, prices: str = "", engine: bool = False,
        elapsed: float = math.nan,
    ) -> None:  # fmt: skip
        self.text = text
        self.rows = list(rows)
        self.prices = prices
        self.engine = engine
        self.elapsed = elapsed

    @property
    def voices(self) -> list[str]:
        return list(dict.fromkeys(row.voice for row in self.rows))

    @property
    def speeches(self) -> list[Speech | None]:
        """The clips, row by row (None where the voice failed)."""
        return [row.speech for row in self.rows]

    @property
    def df(self) -> pd.DataFrame:
        """One row per voice and model: voice, model, status, duration (s), size (bytes),
        estimated_cost (USD), request_time (s), cost_formula, error."""
        import pandas as pd

        from ..results.comparison import error_line

        records = []
        for row in self.rows:
            speech = row.speech
            records.append(
                {
                    "voice": row.voice,
                    "model": row.model,
                    "status": "ok" if row.ok else "failed",
                    "duration": _seconds(speech.duration) if speech else math.nan,
                    "size": speech.size if speech else None,
                    "estimated_cost": row.estimated_cost,
                    "request_time": _seconds(speech.elapsed) if speech else math.nan,
                    "cost_formula": row.cost_formula or None,
                    "error": error_line(row.error) if row.error is not None else None,
                }
            )
        frame = pd.DataFrame(records, columns=list(COLUMNS))
        for name in ("duration", "estimated_cost", "request_time"):
            frame[name] = frame[name].astype("float64")
        frame["size"] = frame["size"].astype("Int64")
        frame.attrs = {"text": self.text, "prices": self.prices, "engine": self.engine}
        return frame

    def speech(self, voice: str, model: str | None = None) -> Speech:
        """The clip of ``voice`` (on ``model`` when the gallery has several)."""
        row = self._row(voice, model)
        if row.speech is None:
            raise ValidationError(f"{voice} on {row.model} has no clip: {row.error}")
        return row.speech

    def pick(self, voice: str, model: str | None = None) -> Speech:
        """Make ``voice`` the notebook's default voice (``%config CometAudio.voice``), and
        ``model`` its default speech model when given; returns that voice's clip.

        >>> gallery.pick("nova")                   # %comet_say now speaks as nova  # doctest: +SKIP
        """
        row = self._row(voice, model)
        if row.speech is None:
            raise ValidationError(f"{row.voice} on {row.model} failed: pick a voice that spoke")
        if job_defaults.choose_voice is None:
            raise ValidationError(
                "pick() sets the notebook's default voice, and there is no notebook session",
                hint="%load_ext comet_audio_nb first; in a script, pass voice= to each call",
            )
        job_defaults.choose_voice(row.voice, model and row.model)
        return row.speech

    def _row(self, voice: str, model: str | None) -> GalleryRow:
        wanted = str(voice).strip().lower()
        rows = [r for r in self.rows if r.voice.lower() == wanted]
        if model is not None:
            rows = [r for r in rows if r.model == model]
        if not rows:
            where = f" on {model}" if model else ""
            raise ValidationError(
                f"no voice {voice!r}{where} in this gallery",
                hint=f"its voices are {', '.join(self.voices)}",
            )
        return next((r for r in rows if r.ok), rows[0])

    def summary(self) -> str:
        failed = sum(not r.ok for r in self.rows)
        models = list(dict.fromkeys(r.model for r in self.rows))
        parts = [f"{len(self.rows)} voices", ", ".join(models)]
        if failed:
            parts.append(f"{failed} failed")
        if math.isfinite(self.elapsed):
            parts.append(f"{self.elapsed:.1f} s")
        return " · ".join(parts)

    def __repr__(self) -> str:
        return f"VoiceGallery({self.summary()})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ..results.gallery_view import gallery_bundle

        return gallery_bundle(self)


def voice_gallery(
    text: str = DEFAULT_TEXT,
    models: Sequence[str] | str | None = None,
    voices: Sequence[str] | str | None = None,
    *,
    client: Any = None,
    concurrency: int | None = None,
    response_format: str = "mp3",
    progress: bool = True,
) -> VoiceGallery:
    """Speak ``text`` in every voice of each of ``models`` at once; one row per voice.

    ``models``: speech model ids (default tts-1). ``voices``: the voices to hear on every
    model (default: each model's own, see ``voices_for``). A voice the service refuses
    gets a row with the error; the others still play.

    >>> voice_gallery("Good morning.", models=["tts-1", "gpt-4o-mini-tts"])  # doctest: +SKIP
    >>> voice_gallery(voices="alloy,nova,onyx").pick("onyx")             # doctest: +SKIP
    """
    return run_interruptible(
        _gallery(text, models, voices, client, concurrency, response_format, progress, False)
    )


async def avoice_gallery(
    text: str = DEFAULT_TEXT,
    models: Sequence[str] | str | None = None,
    voices: Sequence[str] | str | None = None,
    *,
    client: Any = None,
    concurrency: int | None = None,
    response_format: str = "mp3",
    progress: bool = True,
) -> VoiceGallery:
    """``voice_gallery`` for asyncio code."""
    return await _gallery(text, models, voices, client, concurrency, response_format, progress,
                          True)  # fmt: skip


def _names(value: Sequence[str] | str | None, what: str) -> list[str] | None:
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    names = list(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))
    if not names:
        raise ValidationError(f"no {what} given", hint=f"leave {what}=None for the defaults")
    return names


async def _gallery(
    text: str,
    models: Sequence[str] | str | None,
    voices: Sequence[str] | str | None,
    client: Any,
    concurrency: int | None,
    response_format: str,
    progress: bool,
    share_pool: bool,
) -> VoiceGallery:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("there is no text to speak", hint='voice_gallery("Hello there")')
    if response_format not in SPEECH_FORMATS:
        raise ValidationError(f"unknown response_format {response_format!r}")
    chosen = _names(voices, "voices")
    pairs = [
        (model, voice)
        for model in (_names(models, "models") or [DEFAULT_SPEECH_MODEL])
        for voice in (chosen or voices_for(model))
    ]
    started = time.perf_counter()
    async with dispatcher_for(client, concurrency=concurrency, share_pool=share_pool) as dispatch:
        prices = asyncio.ensure_future(asyncio.to_thread(price_book, dispatch.client))
        engine = asyncio.ensure_future(_engine_speaks(dispatch))
        with Progress(len(pairs), enabled=progress, unit="voice", description="voices") as bar:

            async def one(model: str, voice: str) -> GalleryRow:
                row = GalleryRow(voice, model)
                send = partial(dispatch.client.speech, text, model=model, voice=voice,
                               response_format=response_format)  # fmt: skip
                try:
                    row.speech = await dispatch.call(send)
                except Exception as error:  # the row's failure, never the gallery's
                    row.error = error
                bar.done("ok" if row.ok else "failed")
                return row

            rows = await asyncio.gather(*(one(m, v) for m, v in pairs))
        book, on_engine = await prices, await engine
    for row in rows:
        if row.ok:
            estimate = book.speech(row.model, len(text))
            row.estimated_cost, row.cost_formula = estimate.cost, estimate.formula or estimate.note
    elapsed = time.perf_counter() - started
    return VoiceGallery(text, rows, prices=book.label, engine=on_engine, elapsed=elapsed)


_engine_urls: dict[str, bool] = {}


async def _engine_speaks(dispatch: Dispatcher) -> bool:
    """Whether the built-in engine answers: no key set, or a loopback base URL whose model
    list is the engine's (``comet-audio serve``)."""
    client = dispatch.client
    if client.uses_local_engine:
        return True
    url = client.base_url
    if url not in _engine_urls:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname or ""
        found = False
        if host in ("127.0.0.1", "localhost", "::1"):
            try:
                listed = await dispatch.call(client.list_models)
                found = any(m.get("owned_by") == "comet-audio-nb-local" for m in listed)
            except Exception:  # not the engine, or it does not list models: no note
                found = False
        _engine_urls[url] = found
    return _engine_urls[url]


def _seconds(value: float | None) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan
