"""The kernel-wide session: ``%config CometAudio.*`` defaults, the client, the key, the call log.

The magics, widgets and batch helpers all take their defaults and their client from here,
so ``%config CometAudio.voice = "nova"`` or ``%comet_login`` changes every one of them.

>>> from comet_audio_nb.notebook import session
>>> session.get_defaults().voice
'alloy'
>>> client = session.get_client()          # no key: the built-in engine  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from traitlets import Bool, CaselessStrEnum, Float, Int, TraitError, Unicode, observe, validate
from traitlets.config import Configurable

from ..config import Secret, clean_value, resolve_settings, reveal
from ..constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_SPEECH_FORMAT,
    DEFAULT_SPEECH_MODEL,
    DEFAULT_TRANSCRIBE_MODEL,
    DEFAULT_VOICE,
    MAX_SPEED,
    MIN_SPEED,
    READ_TIMEOUT,
    SPEECH_FORMATS,
)
from ..errors import ValidationError
from ..jobs.defaults import job_defaults
from ..results.display import display_options

if TYPE_CHECKING:
    from ..client import AsyncCometClient, CallRecord, CometClient
    from ..config import Settings

__all__ = [
    "CometAudio",
    "call_log",
    "clear_call_log",
    "get_async_client",
    "get_client",
    "get_defaults",
    "key_source",
    "register",
    "reset",
    "set_api_key",
    "settings",
]

MAX_LOGGED_CALLS = 10_000  # the call log keeps the newest calls; older ones drop off


class SettingError(ValidationError, TraitError):
    """A ``%config CometAudio.*`` value out of range: shown in one line like other errors."""


class CometAudio(Configurable):
    """Defaults for the comet-audio magics; change them with ``%config CometAudio.<name> = ...``.

    ``%config CometAudio`` lists every option with its current value.

    >>> CometAudio(voice="nova").voice
    'nova'
    """

    speech_model = Unicode(DEFAULT_SPEECH_MODEL, help="Speech model for %comet_say.").tag(
        config=True
    )
    voice = Unicode(
        DEFAULT_VOICE,
        help="Voice for %comet_say: alloy, ash, ballad, coral, echo, fable, onyx, nova, "
        "sage, shimmer (others are passed through to the service).",
    ).tag(config=True)
    response_format = CaselessStrEnum(
        SPEECH_FORMATS, default_value=DEFAULT_SPEECH_FORMAT, help="Audio format of speech."
    ).tag(config=True)
    speed = Float(1.0, help=f"Speaking speed, {MIN_SPEED} to {MAX_SPEED} (1.0 is not sent).").tag(
        config=True
    )
    instructions = Unicode(
        "", help="Voice style instructions (gpt-4o-mini-tts only); empty: none."
    ).tag(config=True)
    transcribe_model = Unicode(
        DEFAULT_TRANSCRIBE_MODEL, help="Model for %%comet_transcribe (and translation)."
    ).tag(config=True)
    language = Unicode(
        "", help="Language of the audio for transcription (ISO-639-1, e.g. en); empty: detect."
    ).tag(config=True)
    concurrency = Int(4, help="Transcriptions in flight at once for several sources.").tag(
        config=True
    )
    embed_max_bytes = Int(
        2_000_000,
        help="Largest audio embedded in the notebook (bytes); larger audio is written to "
        "audio_dir beside the notebook and played from there.",
    ).tag(config=True)
    low_confidence = Float(
        0.5,
        help="Shade transcript tokens less likely than this (transcripts with logprobs); "
        "0 turns shading off.",
    ).tag(config=True)
    audio_dir = Unicode(
        "comet_audio", help="Folder (relative to the notebook) for audio too large to embed."
    ).tag(config=True)
    short_errors = Bool(
        True, help="Show errors as one or two lines; False shows the full traceback."
    ).tag(config=True)
    autoplay = Bool(True, help="Start playing %comet_say's audio where the browser allows.").tag(
        config=True
    )
    base_url = Unicode(
        "",
        help="API base URL; empty: $COMETAPI_BASE_URL, else CometAPI "
        "(or the built-in engine when no key is set).",
    ).tag(config=True)
    max_retries = Int(DEFAULT_MAX_RETRIES, help="Retries of a failed request.").tag(config=True)
    timeout = Float(READ_TIMEOUT, help="Seconds to wait for an answer.").tag(config=True)

    @validate("speed")
    def _check_speed(self, proposal: Any) -> float:
        if not MIN_SPEED <= proposal["value"] <= MAX_SPEED:
            raise SettingError(
                f"CometAudio.speed = {proposal['value']!r} is out of range: "
                f"use {MIN_SPEED} to {MAX_SPEED}"
            )
        return proposal["value"]

    @validate("timeout")
    def _check_timeout(self, proposal: Any) -> float:
        value = proposal["value"]
        if not 0 < value < float("inf"):
            raise SettingError(f"CometAudio.timeout = {value!r}: use a positive number of seconds")
        return value

    @validate("concurrency", "max_retries", "embed_max_bytes")
    def _check_not_negative(self, proposal: Any) -> int:
        name, value = proposal["trait"].name, proposal["value"]
        least = 1 if name == "concurrency" else 0
        if value < least:
            raise SettingError(f"CometAudio.{name} = {value!r} is too small: use {least} or more")
        return value

    @validate("low_confidence")
    def _check_low_confidence(self, proposal: Any) -> float:
        if not 0 <= proposal["value"] <= 1:
            raise SettingError(f"CometAudio.low_confidence = {proposal['value']!r}: use 0 to 1")
        return proposal["value"]

    @observe("concurrency", "embed_max_bytes", "audio_dir", "low_confidence")
    def _push_down(self, change: Any = None) -> None:
        """Give the layers below the defaults they follow (they never read the session)."""
        if self is _session.defaults:
            _push(self)


def _push(defaults: CometAudio) -> None:
    job_defaults.concurrency = defaults.concurrency
    display_options.embed_max_bytes = defaults.embed_max_bytes
    display_options.audio_dir = defaults.audio_dir
    display_options.low_confidence = defaults.low_confidence


class _Session:
    """Everything kernel-wide, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.defaults: CometAudio | None = None
        self.client: CometClient | None = None
        self.client_settings: tuple | None = None
        self.api_key: Secret | None = None  # from set_api_key / %comet_login: memory only
        self.calls: deque[CallRecord] = deque(maxlen=MAX_LOGGED_CALLS)


_session = _Session()


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    return get_ipython()


def get_defaults() -> CometAudio:
    """The kernel-wide ``CometAudio`` defaults (works without IPython too).

    >>> get_defaults().transcribe_model
    'whisper-1'
    """
    with _session.lock:
        if _session.defaults is None:
            shell = _shell()
            # With a shell, the profile's ``c.CometAudio.*`` settings apply from the start.
            _session.defaults = CometAudio(parent=shell) if shell is not None else CometAudio()
            _session.defaults._push_down()
        return _session.defaults


def register(shell: Any) -> CometAudio:
    """Make ``%config CometAudio.*`` reach the kernel-wide defaults (``%load_ext`` does this)."""
    with _session.lock:
        defaults = _session.defaults
        if defaults is None or defaults.parent is not shell:
            defaults = _session.defaults = CometAudio(parent=shell)
            defaults._push_down()
        if defaults not in shell.configurables:
            shell.configurables.append(defaults)
        return defaults


def set_api_key(key: str | None) -> None:
    """Use ``key`` for this kernel's requests (``None`` forgets it). Kept in memory only.

    It wins over ``$COMETAPI_KEY``; the next ``get_client()`` uses it.
    """
    with _session.lock:
        key = clean_value(reveal(key))
        _session.api_key = Secret(key) if key else None


def settings() -> Settings:
    """The key and base URL in effect, and where each comes from.

    Key: ``set_api_key``/``%comet_login``, else ``$COMETAPI_KEY`` (or ``$COMETAPI_API_KEY``).
    Base URL: ``%config CometAudio.base_url`` (source ``"argument"``), else
    ``$COMETAPI_BASE_URL``, else the default.
    """
    with _session.lock:
        return resolve_settings(_session.api_key, clean_value(get_defaults().base_url))


def key_source() -> str:
    """Where the key in effect comes from: ``%comet_login``, ``$COMETAPI_KEY``, or ``none``."""
    with _session.lock:
        if _session.api_key:
            return "%comet_login (this kernel's memory only)"
        return settings().key_source


def _client_options() -> tuple[tuple, dict[str, Any]]:
    defaults = get_defaults()
    current = settings()
    options = {
        "api_key": current.api_key,
        "base_url": None if current.base_url_source == "default" else current.base_url,
        "max_retries": defaults.max_retries,
        "timeout": defaults.timeout,
    }
    return tuple(options.values()), options


def get_client() -> CometClient:
    """The kernel-wide ``CometClient``, rebuilt when the key, base URL or retry settings change.

    Setting ``COMETAPI_KEY`` in ``os.environ`` or running ``%comet_login`` switches from the
    built-in engine to CometAPI at the next call, with no kernel restart. Every call it
    makes is added to ``call_log()``.
    """
    from ..client import CometClient

    with _session.lock:
        signature, options = _client_options()
        if _session.client is None or _session.client_settings != signature:
            previous = _session.client
            _session.client = CometClient(**options, on_call=_log_call)
            _session.client_settings = signature
            if previous is not None:
                previous.close()
        return _session.client


def get_async_client() -> AsyncCometClient:
    """A new ``AsyncCometClient`` with the session's settings; its calls go to the call log.

    An async client's connection pool belongs to the event loop that first uses it, so
    make one per loop (one per ``run_sync`` call) and close it when done:

    >>> async def speak(texts):                             # doctest: +SKIP
    ...     async with get_async_client() as client:
    ...         return await asyncio.gather(*(client.speech(t) for t in texts))
    """
    from ..client import AsyncCometClient

    with _session.lock:
        _, options = _client_options()
    return AsyncCometClient(**options, on_call=_log_call)


def _log_call(record: CallRecord) -> None:
    _session.calls.append(record)  # deque.append is atomic; no lock on the request path


def call_log() -> list[CallRecord]:
    """The calls made through the session's clients in this kernel, oldest first."""
    return list(_session.calls)


def clear_call_log() -> None:
    """Forget the calls logged so far."""
    _session.calls.clear()


def reset() -> None:
    """Forget the defaults, client, key and call log (a fresh kernel, for tests)."""
    with _session.lock:
        defaults, client = _session.defaults, _session.client
        if defaults is not None and defaults.parent is not None:
            configurables = getattr(defaults.parent, "configurables", [])
            if defaults in configurables:
                configurables.remove(defaults)
        if client is not None:
            client.close()
        _session.defaults = _session.client = _session.client_settings = None
        _session.api_key = None
        _session.calls.clear()
        _push(CometAudio())  # the layers below go back to the plain defaults too


# Jobs given no client use the session's (its settings, and its call log).
job_defaults.client = get_client
