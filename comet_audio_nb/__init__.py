"""comet-audio-nb: CometAPI speech, transcription and model pricing inside Jupyter.

>>> from comet_audio_nb import CometClient
>>> speech = CometClient().speech("Hello")                 # doctest: +SKIP

In a notebook::

    %load_ext comet_audio_nb
    %comet_say Hello

Importing this package is cheap: the client, pandas and the audio engines load on
first use, so ``%load_ext comet_audio_nb`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# public name -> module that defines it
_PUBLIC = {
    "CometClient": "client",
    "AsyncCometClient": "client",
    "RetryPolicy": "retry",
    "CallRecord": "client",
    "SpeechStream": "client",
    "AsyncSpeechStream": "client",
    "TranscriptionStream": "client",
    "AsyncTranscriptionStream": "client",
    "Speech": "results",
    "Transcript": "results",
    "TranscriptTextDelta": "results",
    "TranscriptTextSegment": "results",
    "TranscriptTextDone": "results",
    "TranscriptEvent": "results",
    "CometAudio": "notebook.session",
    "ModelRecord": "catalog",
    "Pricing": "catalog",
    "ModelCatalog": "catalog",
    "models": "catalog",
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
    "transcribe_many": "jobs.batch",
    "BatchResult": "jobs.batch",
}

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension", *_PUBLIC]

if TYPE_CHECKING:
    from .catalog import ModelCatalog, ModelRecord, Pricing, models
    from .client import (
        AsyncCometClient,
        AsyncSpeechStream,
        AsyncTranscriptionStream,
        CallRecord,
        CometClient,
        SpeechStream,
        TranscriptionStream,
    )
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
    from .jobs.batch import BatchResult, transcribe_many
    from .notebook.session import CometAudio
    from .results import (
        Speech,
        Transcript,
        TranscriptEvent,
        TranscriptTextDelta,
        TranscriptTextDone,
        TranscriptTextSegment,
    )
    from .retry import RetryPolicy


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext comet_audio_nb``: register the magics and ``%config CometAudio``."""
    from .magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext comet_audio_nb``: take back the short-error hook and quiet notices."""
    from .magics import unload_ipython_extension as unload

    unload(ipython)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'comet_audio_nb' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
