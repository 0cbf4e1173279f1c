"""Helpers for the magics tests: a captured cell, audio sources in a player's HTML."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

_DATA_URI = re.compile(r'src="data:(?P<mime>[^;"]+);base64,(?P<data>[^"]*)"')


@dataclass
class Ran:
    """One executed cell: its result, what it printed and what it displayed."""

    result: Any
    stdout: str
    stderr: str
    outputs: list[dict[str, Any]]

    @property
    def error(self) -> BaseException | None:
        return self.result.error_in_exec or self.result.error_before_exec

    def texts(self) -> str:
        """Everything the cell showed, as one string (for "never shows X" checks)."""
        shown = [self.stdout, self.stderr]
        for output in self.outputs:
            shown += [str(v) for v in output.values()]
        return "\n".join(shown)


def audio_sources(html: str) -> list[tuple[str, bytes]]:
    """(MIME type, bytes) of every data-URI audio source in ``html``."""
    return [(m["mime"], base64.b64decode(m["data"])) for m in _DATA_URI.finditer(html)]
