"""Known speakers for diarization: names and reference clips, checked before sending.

``known_speakers={"Ana": "ana.wav", "Ben": ben_bytes}`` goes out as the form fields
``known_speaker_names[]`` and ``known_speaker_references[]`` (data URLs, same order).
The service takes at most 4 speakers, each clip 2 to 10 seconds long; the length is
checked here where it can be told (WAV always; other formats with PyAV installed).

>>> import io, wave
>>> clip = io.BytesIO()
>>> with wave.open(clip, "wb") as w:
...     w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(48000))
>>> fields = known_speaker_fields({"Ana": clip.getvalue()})
>>> fields["known_speaker_names[]"], fields["known_speaker_references[]"][0][:22]
(['Ana'], 'data:audio/wav;base64,')
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..audio import prepare_upload
from ..audio.codecs import decoded_duration
from ..audio.wav import wav_duration
from ..constants import KNOWN_SPEAKER_SECONDS, MAX_KNOWN_SPEAKERS
from ..errors import ValidationError

# A clip of at most 10 s is small in any format; this only stops a mistaken long file.
MAX_REFERENCE_BYTES = 5 * 1024 * 1024


def known_speaker_fields(known: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """The form fields for ``known`` (name -> audio or a data URL); empty for None."""
    if known is None:
        return {}
    if not isinstance(known, Mapping):
        raise ValidationError(
            f"known_speakers must be a dict of name -> audio clip, not {type(known).__name__}",
            hint='e.g. known_speakers={"Ana": "ana.wav", "Ben": ben_bytes}',
        )
    if not known:
        return {}
    if len(known) > MAX_KNOWN_SPEAKERS:
        raise ValidationError(
            f"{len(known)} known speakers given; the service takes at most {MAX_KNOWN_SPEAKERS}"
        )
    names, references = [], []
    for name, clip in known.items():
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"a known speaker's name must be a non-empty string: {name!r}")
        names.append(name.strip())
        references.append(reference_url(name.strip(), clip))
    return {"known_speaker_names[]": names, "known_speaker_references[]": references}


def reference_url(name: str, clip: Any) -> str:
    """``clip`` (a path, bytes, a file, a Speech, or already a data URL) as a data URL."""
    if isinstance(clip, str) and clip.startswith("data:"):
        return clip
    upload = prepare_upload(clip, max_bytes=MAX_REFERENCE_BYTES)
    with upload.open() as stream:
        data = stream.read()
    seconds = wav_duration(data)
    if seconds is None:
        seconds = decoded_duration(data)  # None without PyAV: the service checks it then
    low, high = KNOWN_SPEAKER_SECONDS
    if seconds is not None and not low <= seconds <= high:
        raise ValidationError(
            f"the reference clip for {name!r} is {seconds:.1f} s long; the service takes "
            f"{low:g} to {high:g} s",
            hint="cut a clip of a few seconds where only that speaker talks",
        )
    encoded = base64.b64encode(data).decode("ascii")
    return f"data:{upload.content_type};base64,{encoded}"
