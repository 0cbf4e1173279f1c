"""What a job uses when it is not told: set from above (the notebook session), read here.

>>> from comet_audio_nb.jobs.defaults import job_defaults
>>> job_defaults.concurrency
4
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..constants import DEFAULT_CONCURRENCY


@dataclass
class JobDefaults:
    concurrency: int = DEFAULT_CONCURRENCY  # requests in flight at once
    # Makes the client a job uses when given none (the session's, with its call log).
    client: Callable[[], Any] | None = None
    # Makes a progress bar (tqdm's keywords and methods); None: tqdm.auto. The notebook
    # layer's leaves its final line in the saved notebook, not the widget's first "0%".
    progress_bar: Callable[..., Any] | None = None

    # Makes (voice, model or None) the notebook's defaults (VoiceGallery.pick); set by the
    # notebook session, as jobs never reach up to it.
    choose_voice: Callable[[str, str | None], None] | None = None


job_defaults = JobDefaults()
