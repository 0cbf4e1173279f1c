"""comet-audio-nb: CometAPI speech, transcription and model pricing inside Jupyter.

>>> from comet_audio_nb import CometClient
>>> speech = CometClient().speech("Hello")                 # doctest: +SKIP

Importing this package is cheap: the client, pandas and the audio engines load on
first use, so ``%load_ext comet_audio_nb`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_PUBLIC = {
    "CometClient": "client",
    "AsyncCometClient": "client",
    "RetryPolicy": "retry",
    "CallRecord": "_wire",
    "Speech": "results",
    "Transcript": "results",
    "ModelRecord": "catalog",
    "Pricing": "catalog",
    "Settings": "config",
    "resolve_settings": "config",
    "CometError": "errors",
    "ValidationError": "errors",
    "EngineUnavailableError": "errors",
    "APIError": "errors",
    "BadRequestError": "errors",
    "AuthenticationError": "errors",
    "PermissionDeniedError": "errors",
    "NotFoundError": "errors",
    "PayloadTooLargeError": "errors",
    "UnprocessableEntityError": "errors",
    "RateLimitError": "errors",
    "ServerError": "errors",
    "InvalidResponseError": "errors",
    "APIConnectionError": "errors",
    "APITimeoutError": "errors",
}

__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:
    from ._wire import CallRecord
    from .catalog import ModelRecord, Pricing
    from .client import AsyncCometClient, CometClient
    from .config import Settings, resolve_settings
    from .errors import (
        APIConnectionError,
        APIError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        CometError,
        EngineUnavailableError,
        InvalidResponseError,
        NotFoundError,
        PayloadTooLargeError,
        PermissionDeniedError,
        RateLimitError,
        ServerError,
        UnprocessableEntityError,
        ValidationError,
    )
    from .results import Speech, Transcript
    from .retry import RetryPolicy


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'comet_audio_nb' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
