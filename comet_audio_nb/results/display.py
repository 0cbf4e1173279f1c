"""How results show themselves in a notebook: options set from above, read here.

The notebook session (``%config CometAudio.embed_max_bytes`` / ``audio_dir``) writes these
when they change; results never read the session themselves.

>>> from comet_audio_nb.results.display import display_options
>>> display_options.embed_max_bytes
2000000
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DisplayOptions:
    embed_max_bytes: int = 2_000_000  # larger audio is written beside the notebook
    audio_dir: str = "comet_audio"  # where, relative to the notebook
    # Tokens less likely than this are shaded in a transcript with logprobs (0 turns it off).
    low_confidence: float = 0.5


display_options = DisplayOptions()
