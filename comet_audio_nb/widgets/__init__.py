"""ipywidgets panels for notebooks.

``ModelExplorer``: search, filter and sort the model catalog, chart the cheapest models
for a workload, and set the kernel-wide default speech or transcription model.
``SpeechStudio``: text to speech with every option, a player, save/download and history.
``TranscribePanel``: upload, record or point at audio; a synced transcript player.
``MicRecorder``: the browser's microphone, the recording sent to the kernel as bytes.
``TranscriptPlayer``: audio beside its transcript; click a line or word to seek.
``VideoPlayer``: a video with its transcript as captions and beside it (``video_player``).
``StreamPlayer``: speech that plays while it arrives (``%comet_say --stream``), then the
saved player in its place.
``PageProbe``: what only the browser can tell ``%comet_doctor`` (``page_probe.doctor``).

>>> from comet_audio_nb.widgets import ModelExplorer
>>> ModelExplorer()                                     # doctest: +SKIP

ipywidgets loads when a panel is first used, not when this package is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "ModelExplorer",
    "SpeechStudio",
    "TranscribePanel",
    "MicRecorder",
    "TranscriptPlayer",
    "PageProbe",
    "StreamPlayer",
    "VideoPlayer",
]

# public name -> module that defines it
_PUBLIC = {
    "ModelExplorer": "explorer",
    "SpeechStudio": "studio",
    "TranscribePanel": "transcribe_panel",
    "MicRecorder": "recorder",
    "TranscriptPlayer": "player",
    "PageProbe": "page_probe",
    "StreamPlayer": "stream_player",
    "VideoPlayer": "video_player",
}

if TYPE_CHECKING:
    from .explorer import ModelExplorer
    from .page_probe import PageProbe
    from .player import TranscriptPlayer
    from .recorder import MicRecorder
    from .stream_player import StreamPlayer
    from .studio import SpeechStudio
    from .transcribe_panel import TranscribePanel
    from .video_player import VideoPlayer


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
