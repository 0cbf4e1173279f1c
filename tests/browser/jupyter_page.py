"""Driving a notebook in JupyterLab or Notebook 7 from a test: open, run all, wait, close.

Both front ends expose ``window.jupyterapp`` (the fixtures start them so) with the same
commands and notebook panel, so one set of page scripts serves both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import nbformat

TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1500, "height": 1600}  # wide enough for the catalog's tables
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

# The notebook's kernel is up (the promise is raced, so that evaluate() never hangs).
KERNEL_READY = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    const later = new Promise((resolve) => setTimeout(() => resolve(false), 60000));
    return await Promise.race([panel.sessionContext.ready.then(() => true), later]);
}"""
# "Run All" is started, not awaited: a cell that never ends must fail the test, not hang it.
RUN_ALL = """() => { window.jupyterapp.commands.execute("notebook:run-all-cells"); }"""
# What went wrong so far: an error output, or a one-line UsageError or a traceback, which
# IPython and asyncio print to stderr.
PROBLEMS = """() => {
    const problems = [];
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== "code") continue;
        for (const output of cell.toJSON().outputs) {
            const text = [].concat(output.text || "").join("");
            if (output.output_type === "error") {
                problems.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
            } else if (output.name === "stderr" && /Error|Traceback/.test(text)) {
                problems.push(`cell ${i}: ${text.trim().slice(0, 600)}`);
            }
        }
    }
    return problems;
}"""
# Every code cell has run and the kernel is idle, or something went wrong already.
FINISHED = f"""() => {{
    if (({PROBLEMS})().length) return true;
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {{
        const cell = cells.get(i);
        if (cell.type === "code" && !cell.executionCount) return false;
    }}
    return panel.sessionContext.session.kernel.status === "idle";
}}"""
SAVE = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await window.jupyterapp.commands.execute("docmanager:save");
    return !panel.context.model.dirty;
}"""
SHUT_DOWN = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.sessionContext) return;
    const done = panel.sessionContext.shutdown();
    await Promise.race([done, new Promise(resolve => setTimeout(resolve, 10000))]);
    const commands = window.jupyterapp.commands;
    if (commands.hasCommand("application:close-all")) commands.execute("application:close-all");
}"""
# Notebook 7.6 with JupyterLab 4.6 throws this while loading its own settings, in every
# page, before any notebook code runs: not ours to fail on.
FRONT_END_NOISE = ("Cannot read properties of undefined (reading 'schema')", "notebook_core")


def _ours(error) -> bool:
    message, stack = str(error), getattr(error, "stack", "") or ""
    return not (FRONT_END_NOISE[0] in message and FRONT_END_NOISE[1] in stack)


def notebook_url(server, name: str, workspace: str = "") -> str:
    """Where ``name`` opens: in JupyterLab in a workspace of its own (so that JupyterLab
    does not reopen it for other tests), in Notebook 7 on its own page."""
    if server.app == "notebook":
        return server.url(f"notebooks/{name}")
    return server.url(f"lab/workspaces/{workspace or name.split('.')[0]}/tree/{name}")


def write_notebook(server, name: str, cells: list[str]) -> None:
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    book.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(book, server.root / name)


@contextmanager
def opened(server, browser, name: str, *, workspace: str = "", run: bool = False) -> Iterator:
    """A page with the notebook ``name`` open (its cells all run when ``run``); page
    errors fail the test, and the kernel is shut down at the end."""
    page = browser.new_page()
    page.set_viewport_size(VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: _ours(error) and page_errors.append(str(error)))
    page.goto(notebook_url(server, name, workspace))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
    )
    assert page.evaluate(KERNEL_READY), "the notebook's kernel did not start"
    if run:
        page.evaluate(RUN_ALL)
        page.wait_for_function(FINISHED, polling=250)
    try:
        yield page
    finally:
        page.evaluate(SHUT_DOWN)
        page.close()
    assert not page_errors, f"errors in the page: {page_errors}"
