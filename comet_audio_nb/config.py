"""Settings: where the API key and base URL come from, timeouts, and masking the key."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .constants import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, MAX_UPLOAD_BYTES

KEY_ENV_VARS = ("COMETAPI_KEY", "COMETAPI_API_KEY")
BASE_URL_ENV_VAR = "COMETAPI_BASE_URL"
CACHE_DIR_ENV_VAR = "COMET_AUDIO_NB_CACHE_DIR"


class Secret:
    """A key that shows itself masked: in reprs, ``str()``, f-strings, tracebacks.

    The string itself only through ``get_secret_value()`` (as pydantic's ``SecretStr``),
    so that a verbose traceback (``%xmode Verbose``), which prints the value of every
    name and attribute on the failing lines, shows ``Secret('sk-…abcd')`` instead.

    >>> key = Secret("sk-1234567890abcdef")
    >>> key, f"{key}", key.get_secret_value()[:5]
    (Secret('sk-…cdef'), 'sk-…cdef', 'sk-12')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"a key is a string, not {type(value).__name__}")
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({mask_key(self._value)!r})"

    def __str__(self) -> str:
        return mask_key(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self):  # never pickled in clear by accident (a saved widget, a cache)
        raise TypeError("a Secret is not picklable")


def reveal(key: str | Secret | None) -> str | None:
    """The plain string of a key given either way (None stays None)."""
    return key.get_secret_value() if isinstance(key, Secret) else key


def clean_value(value: str | None) -> str | None:
    """Trim whitespace and a byte-order mark, as CometAPI's own SDK does; empty means unset."""
    if value is None:
        return None
    value = value.strip().lstrip("\ufeff").strip()
    return value or None


def cache_root() -> Path:
    """The user cache folder that the catalog copies and the engine's joined model share.

    ``$COMET_AUDIO_NB_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/comet-audio-nb``, else the
    platform's (``~/.cache/comet-audio-nb`` on Linux, ``~/Library/Caches/comet-audio-nb`` on
    macOS, ``%LOCALAPPDATA%\\comet-audio-nb\\Cache`` on Windows). It need not exist yet.
    """
    override = os.environ.get(CACHE_DIR_ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg:
        return Path(xdg).expanduser() / "comet-audio-nb"
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "comet-audio-nb"
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        return (Path(local) if local else home / "AppData" / "Local") / "comet-audio-nb" / "Cache"
    return home / ".cache" / "comet-audio-nb"


def mask_key(key: str | Secret | None) -> str:
    """Show a key as ``sk-…abcd``: enough to tell two keys apart, never enough to use one.

    >>> mask_key("sk-1234567890abcdef")
    'sk-…cdef'
    """
    key = reveal(key)
    if not key:
        return "<none>"
    if len(key) < 12:  # too short to show any of it safely
        return "…"
    prefix = key[:3] if key[2] == "-" else ""
    return f"{prefix}…{key[-4:]}"


@dataclass(frozen=True)
class Settings:
    """Resolved client settings. The key is kept but never shown.

    ``api_key`` is a ``Secret`` (or None): ``settings.api_key.get_secret_value()`` is the
    string; its repr and ``str()`` are masked.

    Precedence: explicit argument, then ``COMETAPI_KEY`` (or ``COMETAPI_API_KEY``) and
    ``COMETAPI_BASE_URL`` from the environment, then the defaults.
    """

    api_key: Secret | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    key_source: str = "none"
    base_url_source: str = "default"
    max_retries: int = DEFAULT_MAX_RETRIES
    max_upload_bytes: int = MAX_UPLOAD_BYTES

    @property
    def masked_key(self) -> str:
        return mask_key(self.api_key)

    @property
    def catalog_url(self) -> str:
        """The public catalog lives beside ``/v1``, not under it: ``<origin>/api/models``."""
        base = self.base_url.rstrip("/")
        if base.endswith("/v1"):
            base = base[: -len("/v1")]
        return f"{base}/api/models"

    def __repr__(self) -> str:
        return (
            f"Settings(api_key={self.masked_key!r} from {self.key_source}, "
            f"base_url={self.base_url!r} from {self.base_url_source})"
        )


def resolve_settings(
    api_key: str | Secret | None = None,
    base_url: str | None = None,
    *,
    max_retries: int | None = None,
    max_upload_bytes: int | None = None,
    environ: os._Environ[str] | dict[str, str] | None = None,
) -> Settings:
    """Work out the key and base URL from the arguments and the environment."""
    env = os.environ if environ is None else environ
    key, key_source = clean_value(reveal(api_key)), "argument"
    if key is None:
        key_source = "none"
        for name in KEY_ENV_VARS:
            key = clean_value(env.get(name))
            if key:
                key_source = f"${name}"
                break
    url, url_source = clean_value(base_url), "argument"
    if url is None:
        url = clean_value(env.get(BASE_URL_ENV_VAR))
        url_source = f"${BASE_URL_ENV_VAR}" if url else "default"
    return Settings(
        api_key=Secret(key) if key else None,
        base_url=(url or DEFAULT_BASE_URL).rstrip("/"),
        key_source=key_source,
        base_url_source=url_source,
        max_retries=DEFAULT_MAX_RETRIES if max_retries is None else max_retries,
        max_upload_bytes=MAX_UPLOAD_BYTES if max_upload_bytes is None else max_upload_bytes,
    )
