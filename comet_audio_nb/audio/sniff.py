"""Telling an audio container from its first bytes."""

from __future__ import annotations


def sniff_format(head: bytes) -> str | None:
    """The container format from the first bytes of a file, or None.

    >>> sniff_format(b"RIFF\\x00\\x00\\x00\\x00WAVEfmt ")
    'wav'
    """
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1aE\xdf\xa3":
        return "webm"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "m4a" if brand.startswith((b"M4A", b"M4B")) else "mp4"
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        layer = (head[1] >> 1) & 0b11
        return "mp3" if layer else "aac"  # ADTS AAC has layer bits 00
    return None
