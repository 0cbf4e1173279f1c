"""Where requests go with no key: the built-in engine, started on first use, said once.

The only way the client reaches ``comet_audio_nb.local``; imported lazily, so a client
with a key never loads the engine.

``notice_sink`` shows the package's one-line notices (this one, and the catalog's "using
an older copy" or "using the sample catalog"): on stderr by default, for scripts and
terminals; ``%load_ext comet_audio_nb`` replaces it with a quiet line in notebooks
(``notebook.notices``), since stderr looks like a failure there.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from ..errors import EngineUnavailableError

LOCAL_ENGINE_NOTICE = (
    "no COMETAPI_KEY: using the built-in offline engine; "
    "set the key or run %comet_login to use CometAPI"
)


def print_notice(text: str) -> None:
    """The default notice sink: one line on stderr."""
    print(text, file=sys.stderr)


# How notices are shown; the notebook layer replaces it with a quiet line.
notice_sink: Callable[[str], None] = print_notice
_notice_lock = threading.Lock()
_notice_shown = False


def say_local_engine_once() -> None:
    global _notice_shown
    with _notice_lock:
        if _notice_shown:
            return
        _notice_shown = True
    notice_sink(LOCAL_ENGINE_NOTICE)


def local_engine_url(*, notice: bool = True) -> str:
    """The base URL of the built-in engine in this process, started if need be."""
    try:
        from ..local import get_engine
    except ImportError as exc:
        raise EngineUnavailableError(
            "no API key is set and the offline engine is not installed"
        ) from exc
    url = get_engine().base_url
    if notice:
        say_local_engine_once()
    return url


def local_engine_models() -> list[tuple[str, str]]:
    """(model id or ids, what answers them) for the built-in engine; [] when not installed."""
    try:
        from ..local import recognisers
        from ..local.registry import SPEECH_MODELS
        from ..local.tts import DESCRIPTION
    except ImportError:
        return []
    rows = [(", ".join(SPEECH_MODELS), DESCRIPTION)]
    return rows + [(row["model"], row["answered_by"]) for row in recognisers()]
