"""Progress bars in a notebook that leave their final line behind, not a stale "0%".

tqdm's notebook bar is a widget, and the text saved with it is the one it started with: a
notebook reopened where widgets do not render (untrusted, GitHub) showed
``transcribe:   0%|          | 0/4`` above the result. This bar is tqdm's widget while it
runs, shown under a display id, and replaced when it closes by one line of text saying how
it ended (``transcribe: 4/4 files in 1.7 s (ok=4)``), which is what the notebook saves.
(nbval does not apply display updates: ``tests/notebooks/sanitize.cfg`` reads both the
same.)
Importing this module registers it with the jobs layer (``job_defaults.progress_bar``).
"""

from __future__ import annotations

import time
from typing import Any

from ..jobs.defaults import job_defaults

__all__ = ["progress_bar"]


def progress_bar(**options: Any) -> Any:
    """A tqdm bar: in a notebook front end, one whose output ends as its final line."""
    from tqdm.auto import tqdm
    from tqdm.notebook import tqdm as notebook_tqdm

    if not issubclass(tqdm, notebook_tqdm):  # a terminal or a script: tqdm's text bar
        return tqdm(**options)
    return _bar_class()(**options)


def final_line(bar: Any, seconds: float) -> str:
    """``transcribe: 4/4 files in 1.7 s (ok=4)``, or ``stopped at 2/4`` when cut short."""
    what = f"{bar.desc}: " if bar.desc else ""
    count = f"{bar.n}/{bar.total} {bar.unit}s"
    if bar.total and bar.n < bar.total:
        count = f"stopped at {count}"
    counts = f" ({bar.postfix.strip(', ')})" if bar.postfix else ""
    return f"{what}{count} in {seconds:.1f} s{counts}"


def _bar_class() -> type:
    from IPython.display import display
    from tqdm.notebook import tqdm as notebook_tqdm

    class ReplacedAtTheEnd(notebook_tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["display"] = False
            super().__init__(*args, **kwargs)
            self._began = time.perf_counter()
            self._handle = None if self.disable else display(self.container, display_id=True)

        def close(self) -> None:
            handle, self._handle = getattr(self, "_handle", None), None
            super().close()
            if handle is not None:
                line = final_line(self, time.perf_counter() - self._began)
                handle.update({"text/plain": line}, raw=True)  # plain text shows everywhere
                for widget in (*self.container.children, self.container):
                    widget.close()  # nothing of the bar stays in the saved widget state

    return ReplacedAtTheEnd


job_defaults.progress_bar = progress_bar
