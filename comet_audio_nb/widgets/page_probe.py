"""PageProbe and ``doctor()``: ``%comet_doctor``'s table, with the page answering its rows.

The kernel's checks run first, concurrently, and the table shows their rows. Then a tiny
widget goes to the page: when the page renders it, it reports the widget front end, trust
and the microphone (``page_probe.js``), and those rows update in place, after the cell has
ended (comm messages arrive only then). If nothing answers within ``wait`` seconds, they
say "no answer from the page".

>>> from comet_audio_nb.widgets.page_probe import doctor
>>> report = doctor()                                      # doctest: +SKIP
>>> report.df[report.df.status != "ok"]                    # doctest: +SKIP
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import anywidget
from IPython.display import display
from traitlets import Dict, Unicode

from ..notebook.doctor import NO_PAGE, DoctorReport
from ..notebook.doctor_checks import SERVER_CHECKS, run_check
from ._common import read_js
from .static import StaticView

__all__ = ["PAGE_WAIT", "PageProbe", "doctor"]

PAGE_WAIT = 5.0  # seconds the page has to answer, once the cell has run
_WORKERS = 4


class PageProbe(StaticView, anywidget.AnyWidget):
    """Reports what the browser knows (``report``, set by the page) for one doctor table."""

    _esm = read_js("page_probe.js")
    doctor_id = Unicode("", help="the doctor table this page's answers belong to").tag(sync=True)
    report = Dict(help="{frontend, trusted, microphone}, set by the page").tag(sync=True)

    def _static_html(self) -> str:
        return "the page answers the doctor when the cell runs"

    def __repr__(self) -> str:
        return f"PageProbe({'answered' if self.report else 'waiting for the page'})"


def doctor(*, wait: float = PAGE_WAIT) -> DoctorReport:
    """Show the doctor's table, run every check, and let the page answer its rows.

    Returns the report (its ``df`` fills in as the page answers). Never raises: each
    check's failure is its own row.
    """
    report = DoctorReport()
    # The kernel's checks take a few seconds at most (the network's is capped): the table
    # is shown once they are done, so that only the page's rows change afterwards.
    with ThreadPoolExecutor(_WORKERS) as pool:
        running = {pool.submit(run_check, i): i for i in range(len(SERVER_CHECKS))}
        for done in as_completed(running):
            report.set(running[done], done.result())
    if not _in_notebook():  # a terminal has no page to ask
        report.no_answer(NO_PAGE)
        display(report)
        return report
    handle = display(report, display_id=True)

    def show() -> None:
        if handle is not None:
            handle.update(report)

    probe = PageProbe(doctor_id=report.id)

    def answered(change: Any) -> None:
        report.page_answered(change["new"] or {})
        show()

    probe.observe(answered, "report")
    display(probe)

    def silent() -> None:
        if report.no_answer():
            show()

    timer = threading.Timer(wait, silent)
    timer.daemon = True
    timer.start()
    report.probe = probe
    return report


def _in_notebook() -> bool:
    """Whether a front end may be showing this kernel's output (ipykernel is serving it)."""
    kernel = sys.modules.get("ipykernel.kernelapp")
    return bool(kernel is not None and kernel.IPKernelApp.initialized())
