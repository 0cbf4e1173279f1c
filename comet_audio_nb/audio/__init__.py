"""Audio: what can be uploaded, what a file is, and decoding/encoding it.

- ``uploads``   — ``prepare_upload``: paths, bytes, file objects, ``(name, data)`` pairs and
  speech results as one re-sendable ``Upload`` (filename with the right extension, MIME type)
- ``sniff``     — the container format from a file's first bytes
- ``wav``       — raw pcm wrapped as WAV; a WAV's duration (no codec library)
- ``codecs``    — PyAV (imported on use): decode to samples, measure, join encoded parts
- ``downloads`` — http(s) URLs fetched into temporary files, size-capped
- ``video``     — a video's audio track for upload (PyAV); copies browsers can play
"""

from __future__ import annotations

from ..constants import UPLOAD_FORMATS
from .sniff import sniff_format
from .uploads import AudioInput, SpeechAudio, Upload, prepare_upload, speech_audio
from .wav import pcm_to_wav

__all__ = [
    "AudioInput",
    "SpeechAudio",
    "UPLOAD_FORMATS",
    "Upload",
    "pcm_to_wav",
    "prepare_upload",
    "sniff_format",
    "speech_audio",
]
