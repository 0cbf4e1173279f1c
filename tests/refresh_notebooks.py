"""Re-run notebooks/*.ipynb the way the test suite does and save what they show.

    python tests/refresh_notebooks.py                       # every notebook in notebooks/
    python tests/refresh_notebooks.py notebooks/01-quickstart.ipynb
    python tests/refresh_notebooks.py --screenshots         # test-artifacts → docs/images

Each notebook runs top to bottom in a fresh kernel of this venv with the environment the
suite gives it (``conftest.notebook_kernel_env``: no key, its own built-in engine, no live
catalog), so the saved outputs are what nbval compares against and what a reader without a
key sees. Timing metadata is dropped and the widget state is kept, so saved widgets still
show in JupyterLab and on nbviewer; ``tests/test_notebooks.py`` checks the result stays
small and free of anything key-like.

``--screenshots`` copies the browser tests' screenshots that the README shows from
``test-artifacts/`` (run ``python -m pytest tests/browser`` first) to ``docs/images/``,
reduced to a small palette so that they stay small.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts"
IMAGES = ROOT / "docs" / "images"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# docs/images/NAME <- test-artifacts/NAME (taken by tests/browser/)
SCREENSHOTS = {
    "say-hello.png": "quickstart-say-hello.png",
    "pricing-table.png": "quickstart-pricing.png",
    "transcript-player.png": "transcription-player.png",
    "speakers-player.png": "speakers-player.png",
    "stream-player.png": "stream-lab-pcm-live.png",
    "model-explorer.png": "model-explorer.png",
    "speech-studio.png": "speech-studio.png",
    "transcribe-panel.png": "transcribe-panel.png",
    "voice-gallery.png": "voice-gallery.png",
    "comparison.png": "comparison.png",
    "video-player.png": "video-player.png",
    "doctor.png": "doctor.png",
}
CELL_TIMEOUT = 600  # seconds; the first cell to call the engine waits for its models

sys.path.insert(0, str(ROOT))
from conftest import notebook_kernel_env  # noqa: E402


def refresh(path: Path) -> None:
    """Execute ``path`` in place with the suite's kernel environment."""
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory(prefix="comet-nb-cache-") as cache:
        client = NotebookClient(
            book,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
        )
        client.execute(env=notebook_kernel_env(cache))
    book.metadata.get("language_info", {}).pop("version", None)
    compact_widget_state(book)
    nbformat.validate(book)
    nbformat.write(book, path)


def compact_widget_state(book: nbformat.NotebookNode) -> None:
    """Keep only the widgets something shows, and drop the unset (null) attributes of
    layouts and styles, to keep the notebook small.

    A widget is kept when an output shows it or a kept widget refers to it
    (``IPY_MODEL_<id>``); a closed one, such as a streaming player that the saved player
    replaced, is not. The null attributes of ipywidgets' Layout and *Style models default
    to null in the browser too, so the saved widgets look the same.
    """
    saved = book.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    models = (saved or {}).get("state", {})
    wanted = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in book.cells
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    kept: set[str] = set()
    while wanted:
        model_id = wanted.pop()
        if model_id in kept or model_id not in models:
            continue
        kept.add(model_id)
        wanted += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(models[model_id]["state"]))
    for model_id in set(models) - kept:
        del models[model_id]
    for model in models.values():
        name = model.get("model_name", "")
        if name == "LayoutModel" or name.endswith("StyleModel"):
            model["state"] = {k: v for k, v in model["state"].items() if v is not None}


def copy_screenshots() -> None:
    from PIL import Image

    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, taken in SCREENSHOTS.items():
        image = Image.open(ARTIFACTS / taken).convert("RGB")
        small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(IMAGES / name, optimize=True)
        print(f"docs/images/{name}: {(IMAGES / name).stat().st_size / 1024:.0f} KB")


def main(argv: list[str]) -> None:
    if argv == ["--screenshots"]:
        copy_screenshots()
        return
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        started = time.monotonic()
        refresh(path)
        size = path.stat().st_size / 1024
        print(f"{path.relative_to(ROOT)}: {size:.0f} KB, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
