"""Settings: where the API key and base URL come from, timeouts, and masking the key."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE_URL = "https://api.cometapi.com/v1"
KEY_ENV_VARS = ("COMETAPI_KEY", "COMETAPI_API_KEY")
BASE_URL_ENV_VAR = "COMETAPI_BASE_URL"
CACHE_DIR_ENV_VAR = "COMET_AUDIO_NB_CACHE_DIR"

# Every timeout and retry number in one place (seconds unless named otherwise).
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 120.0  # long audio takes a while to transcribe
WRITE_TIMEOUT = 120.0  # large uploads
POOL_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # 26,214,400: the service's upload limit per file
MAX_SPEECH_CHARS = 4096


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


def mask_key(key: str | None) -> str:
    """Show a key as ``sk-…abcd``: enough to tell two keys apart, never enough to use one.

    >>> mask_key("sk-1234567890abcdef")
    'sk-…cdef'
    """
    if not key:
        return "<none>"
    if len(key) < 12:  # too short to show any of it safely
        return "…"
    prefix = key[:3] if key[2] == "-" else ""
    return f"{prefix}…{key[-4:]}"


@dataclass(frozen=True)
class Settings:
    """Resolved client settings. The key is kept but never shown.

    Precedence: explicit argument, then ``COMETAPI_KEY`` (or ``COMETAPI_API_KEY``) and
    ``COMETAPI_BASE_URL`` from the environment, then the defaults.
    """

    api_key: str | None = field(default=None, repr=False)
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
    api_key: str | None = None,
    base_url: str | None = None,
    *,
    max_retries: int | None = None,
    max_upload_bytes: int | None = None,
    environ: os._Environ[str] | dict[str, str] | None = None,
) -> Settings:
    """Work out the key and base URL from the arguments and the environment."""
    env = os.environ if environ is None else environ
    key, key_source = clean_value(api_key), "argument"
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
        api_key=key,
        base_url=(url or DEFAULT_BASE_URL).rstrip("/"),
        key_source=key_source,
        base_url_source=url_source,
        max_retries=DEFAULT_MAX_RETRIES if max_retries is None else max_retries,
        max_upload_bytes=MAX_UPLOAD_BYTES if max_upload_bytes is None else max_upload_bytes,
    )
