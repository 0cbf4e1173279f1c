"""The notebook's progress bar: tqdm's widget while it runs, its final line once done."""

from __future__ import annotations

import IPython.display
import pytest

from comet_audio_nb.jobs.defaults import job_defaults
from comet_audio_nb.jobs.progress import Progress
from comet_audio_nb.notebook import progress


class Handle:
    def __init__(self, shown):
        self.shown = [shown]

    def update(self, data, raw=False):
        assert raw
        self.shown.append(data)


@pytest.fixture
def handles(monkeypatch):
    made = []

    def display(obj, display_id=False):
        assert display_id
        made.append(Handle(obj))
        return made[-1]

    monkeypatch.setattr(IPython.display, "display", display)
    monkeypatch.setattr(job_defaults, "progress_bar", lambda **o: progress._bar_class()(**o))
    return made


def test_the_bar_is_replaced_by_its_final_line_so_no_stale_zero_percent_is_saved(handles):
    with Progress(4, enabled=True, unit="file", description="transcribe") as bar:
        assert len(handles) == 1 and "0%" in repr(handles[0].shown[0])  # the live widget
        for outcome in ("ok", "ok", "ok", "failed"):
            bar.done(outcome)
    final = handles[0].shown[-1]
    assert set(final) == {"text/plain"}
    assert final["text/plain"].startswith("transcribe: 4/4 files in ")
    assert final["text/plain"].endswith(" s (ok=3, failed=1)")
    assert "0%" not in final["text/plain"]
    assert handles[0].shown[0].comm is None  # the widget is closed: not saved either


def test_a_bar_cut_short_says_where_it_stopped(handles):
    with Progress(3, enabled=True, unit="chunk") as bar:
        bar.done("ok")
    assert handles[0].shown[-1]["text/plain"].startswith("stopped at 1/3 chunks in ")


def test_the_session_registers_the_notebook_bar_and_scripts_keep_tqdm_text():
    assert job_defaults.progress_bar is progress.progress_bar
    bar = progress.progress_bar(total=2, disable=True)  # not in a kernel: tqdm's text bar
    assert type(bar).__module__.startswith("tqdm")


def test_in_a_kernel_the_bar_is_the_one_replaced_at_the_end(monkeypatch, handles):
    import tqdm.auto
    import tqdm.notebook

    class KernelAuto(tqdm.notebook.tqdm):  # what tqdm.auto gives in a kernel: a subclass
        pass

    monkeypatch.setattr(tqdm.auto, "tqdm", KernelAuto)
    bar = progress.progress_bar(total=1, desc="transcribe")
    assert type(bar).__name__ == "ReplacedAtTheEnd" and len(handles) == 1
    bar.close()
