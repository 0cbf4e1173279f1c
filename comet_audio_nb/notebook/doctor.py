"""The ``%comet_doctor`` report: one table of checks, each ok / warn / fail with one line.

The kernel's checks (``doctor_checks``) fill their rows as they finish; the rows only the
page can answer (the widget front end, trust, the microphone) wait for the page's probe
(``widgets.page_probe``) and read "no answer from the page" when it stays silent. The
table is one display, updated in place; it never shows the key unmasked.

>>> report = DoctorReport()
>>> [c.status for c in report.checks][-3:]
['pending', 'pending', 'pending']
>>> report.page_answered({"frontend": {"app": "JupyterLab", "version": "4.2.0"},
...                       "trusted": True, "microphone": {"secure": True, "api": True,
...                       "permission": "granted", "inputs": 1}})
>>> [c.status for c in report.checks][-3:]
['ok', 'ok', 'ok']
"""

from __future__ import annotations

import html
import threading
import uuid
from typing import TYPE_CHECKING, Any

from ..results.markup import NO_MATHS
from .doctor_checks import NAMES, Check

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DoctorReport", "PAGE_CHECKS", "NO_ANSWER", "NO_PAGE"]

PAGE_CHECKS = ("widgets (page)", "notebook trusted", "microphone")
NO_ANSWER = "no answer from the page"
NO_PAGE = "not in a notebook: there is no page to ask"
WAITING = "waiting for the page (answers after the cell has run)"
_BOX = f"comet-doctor {NO_MATHS}"
_STYLE = (
    # as specific as JupyterLab's own right-aligned cells (".jp-RenderedHTMLCommon td"), or more
    "<style>.comet-doctor table.comet-doctor-table :is(td,th){text-align:left;"
    "vertical-align:top}.comet-doctor table.comet-doctor-table td:nth-child(2)"
    "{white-space:nowrap}.comet-doctor table.comet-doctor-table td:nth-child(4)"
    "{opacity:.8}</style>"
)
_COLOURS = {"ok": "#15803d", "warn": "#b45309", "fail": "#b91c1c", "pending": "#6b7280"}
_FIXES = {
    "widgets (page)": (
        "the page shows no widgets: pip install -U ipywidgets anywidget (which bring the "
        "JupyterLab front end), restart Jupyter and reload the page; in VS Code, install "
        "its Jupyter extension"
    ),
    "notebook trusted": "JupyterLab: the command palette's “Trust Notebook”; or jupyter trust NB",
    "microphone": "open Jupyter on https or http://localhost, and allow the microphone",
}


class DoctorReport:
    """The checks, in table order; ``df`` for a DataFrame."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex[:12]
        self._lock = threading.Lock()
        self.checks: list[Check] = [Check(n, "pending", "checking…") for n in NAMES]
        self.checks += [Check(n, "pending", WAITING) for n in PAGE_CHECKS]
        self.page_done = False
        self.probe: Any = None  # the page's probe widget, once shown

    def set(self, index: int, check: Check) -> None:
        with self._lock:
            self.checks[index] = check

    def page_answered(self, report: dict[str, Any]) -> None:
        """Fill the page's rows from what the probe saw in the browser."""
        with self._lock:
            self.page_done = True
            start = len(self.checks) - len(PAGE_CHECKS)
            self.checks[start:] = page_checks(report)

    def no_answer(self, detail: str = NO_ANSWER) -> bool:
        """Mark the page's rows unanswered (after the wait); False if the page answered."""
        with self._lock:
            if self.page_done:
                return False
            start = len(self.checks) - len(PAGE_CHECKS)
            for i, name in enumerate(PAGE_CHECKS, start):
                status = "fail" if name == "widgets (page)" and detail == NO_ANSWER else "warn"
                fix = _FIXES[name] if detail == NO_ANSWER else ""
                self.checks[i] = Check(name, status, detail, fix)
            return True

    @property
    def df(self) -> pd.DataFrame:
        import pandas as pd

        with self._lock:
            rows = [(c.name, c.status, c.detail, c.fix or None) for c in self.checks]
        return pd.DataFrame(rows, columns=["check", "status", "detail", "fix"])

    def __repr__(self) -> str:
        with self._lock:
            checks = list(self.checks)
        width = max(len(c.name) for c in checks)
        lines = ["comet-audio-nb doctor"]
        for c in checks:
            lines.append(f"{c.status:<7} {c.name:<{width}}  {c.detail}")
            if c.fix and c.status in ("warn", "fail"):
                lines.append(f"{'':<7} {'':<{width}}  → {c.fix}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._html(), "text/plain": repr(self)}

    def _html(self) -> str:
        with self._lock:
            checks = list(self.checks)
        rows = []
        for c in checks:
            colour = _COLOURS.get(c.status, "inherit")
            fix = html.escape(c.fix) if c.status in ("warn", "fail") else ""
            rows.append(
                f'<tr data-check="{html.escape(c.name)}" data-status="{c.status}">'
                f"<td style='color:{colour}'><b>{c.status}</b></td>"
                f"<td>{html.escape(c.name)}</td><td>{html.escape(c.detail)}</td>"
                f"<td>{fix}</td></tr>"
            )
        head = "".join(f"<th>{h}</th>" for h in ("", "check", "detail", "fix"))
        # The script marks the table when the page runs our scripts: the probe reads it.
        return (
            f'<div class="{_BOX}" data-comet-doctor="{self.id}"><b>comet-audio-nb doctor</b>'
            f"{_STYLE}<table class='comet-doctor-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            "<script>document.currentScript.parentNode.dataset.trusted = '1'</script></div>"
        )


def page_checks(report: dict[str, Any]) -> list[Check]:
    """The page's three rows from the probe's report (see ``page_probe.js``)."""
    frontend = report.get("frontend") or {}
    app = " ".join(str(frontend.get(k) or "") for k in ("app", "version")).strip()
    widgets = Check(
        PAGE_CHECKS[0], "ok", f"a widget rendered{' in ' + app if app else ''} and answered"
    )
    if report.get("trusted"):
        trusted = Check(PAGE_CHECKS[1], "ok", "scripts in outputs run (sortable tables, players)")
    else:
        trusted = Check(PAGE_CHECKS[1], "warn", "scripts in outputs do not run: not trusted",
                        _FIXES["notebook trusted"])  # fmt: skip
    return [widgets, trusted, microphone_check(report.get("microphone") or {})]


def microphone_check(mic: dict[str, Any]) -> Check:
    name = PAGE_CHECKS[2]
    if not mic.get("secure"):
        return Check(name, "fail", "this page is not a secure context: browsers block the "
                     "microphone", "open Jupyter on https or http://localhost")  # fmt: skip
    if not mic.get("api"):
        return Check(name, "fail", "this browser has no microphone API (getUserMedia)",
                     "use a current Chrome, Firefox, Edge or Safari")  # fmt: skip
    permission = str(mic.get("permission") or "unknown")
    inputs = mic.get("inputs")
    found = f"{inputs} input{'s' if inputs != 1 else ''}" if isinstance(inputs, int) else ""
    if permission == "denied":
        return Check(name, "fail", "the browser blocks the microphone for this page",
                     "allow it in the site settings (the icon left of the address)")  # fmt: skip
    if inputs == 0:
        return Check(name, "warn", "no microphone found", "plug one in, then reload the page")
    detail = "allowed" if permission == "granted" else "the browser will ask when recording"
    if permission not in ("granted", "prompt"):
        detail = f"permission {permission}"
    return Check(name, "ok", f"secure page · {detail}" + (f" · {found}" if found else ""))
