"""The saved notebooks: small, free of keys, run top to bottom, and run by the suite.

nbval runs every notebook and compares its outputs (``--nbval`` in pyproject's addopts);
these tests check what nbval cannot: what is saved. ``tests/refresh_notebooks.py``
re-runs and saves them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
READER_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ALL_NOTEBOOKS = READER_NOTEBOOKS + sorted((ROOT / "tests" / "notebooks").glob("*.ipynb"))
ids = [str(p.relative_to(ROOT)) for p in ALL_NOTEBOOKS]
reader_ids = [p.name for p in READER_NOTEBOOKS]

MAX_SAVED_BYTES = 100_000  # outputs and widget state, per notebook
MAX_EMBEDDED_AUDIO_BYTES = 40_000  # one data URI
MAX_CLIP_BYTES = 50_000  # a file in notebooks/audio/
KEY_LIKE = [
    re.compile(r"sk-[A-Za-z0-9_-]{16,}"),
    re.compile(r"Bearer\s+[A-Za-z0-9]"),
    re.compile(r"COMETAPI(_API)?_KEY\s*=\s*['\"]?[A-Za-z0-9_-]{8,}"),
    re.compile(r"[\"']?api_key[\"']?\s*[=:]\s*[\"'][A-Za-z0-9_-]{8,}"),
]


def saved_outputs(book: nbformat.NotebookNode) -> str:
    """Every saved output and the widget state, as compact JSON."""
    outputs = [cell.get("outputs", []) for cell in book.cells]
    return json.dumps([outputs, book.metadata.get("widgets", {})], separators=(",", ":"))


def test_the_suite_runs_the_reader_notebooks_with_nbval():
    pyproject = (ROOT / "pyproject.toml").read_text()
    testpaths = re.search(r"^testpaths = \[(.*)\]", pyproject, re.M).group(1)
    assert '"notebooks"' in testpaths
    assert "--nbval" in re.search(r"^addopts = (.*)", pyproject, re.M).group(1).split()
    assert [p.name for p in READER_NOTEBOOKS] == [
        "01-quickstart.ipynb",
        "02-model-pricing.ipynb",
        "03-transcription.ipynb",
        "04-choose.ipynb",
    ]


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids)
def test_no_notebook_holds_anything_key_like(path):
    text = path.read_text(encoding="utf-8")
    found = [m.group(0)[:12] + "…" for pattern in KEY_LIKE for m in pattern.finditer(text)]
    assert not found, f"key-like text in {path.name}: {found}"


def test_the_key_scan_finds_a_planted_key():
    planted = ["sk-" + "Ab1" * 8, "Authorization: Bearer abc", "COMETAPI_KEY='abcd1234efgh'"]
    assert all(any(p.search(text) for p in KEY_LIKE) for text in planted)
    assert not any(p.search("COMETAPI_KEY=... jupyter lab  sk-…abcd") for p in KEY_LIKE)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids)
def test_saved_outputs_stay_small(path):
    book = nbformat.read(path, as_version=4)
    saved = saved_outputs(book)
    assert len(saved) <= MAX_SAVED_BYTES, f"{path.name}: {len(saved):,} bytes of outputs"
    for uri in re.findall(r"data:audio/[^;\"]+;base64,[A-Za-z0-9+/=]+", saved):
        assert len(uri) <= MAX_EMBEDDED_AUDIO_BYTES, f"{path.name}: {len(uri):,} bytes of audio"


@pytest.mark.parametrize("path", READER_NOTEBOOKS, ids=reader_ids)
def test_saved_notebook_ran_top_to_bottom_without_an_error(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", cell.source
            if output.output_type == "stream" and output.name == "stderr":
                assert not re.search(r"Error|Traceback|Warning", output.text), output.text


@pytest.mark.parametrize("path", READER_NOTEBOOKS, ids=reader_ids)
def test_reader_notebooks_compare_every_output(path):
    """No cell is skipped or has its output ignored: sanitize.cfg masks what varies.

    One exception: a ``%comet_say --stream`` cell shows a streaming player that the saved
    player replaces by ``update_display``, which nbval does not apply (nbclient and the
    front ends do), so nbval sees the live player. Its output is not compared there (its
    errors still fail nbval); ``test_a_streamed_cell_saves_the_saved_player`` checks what
    was saved, and tests/browser/test_stream_player_browser.py the page.
    """
    for cell in nbformat.read(path, as_version=4).cells:
        tags = {t.lower() for t in cell.metadata.get("tags", [])}
        assert "NBVAL_" not in cell.source
        if _streams(cell):
            assert tags == {"nbval-ignore-output"}, cell.source
            continue
        assert not tags & {"nbval-ignore-output", "nbval-skip", "raises-exception"}


def _streams(cell) -> bool:
    return cell.cell_type == "code" and bool(
        re.match(r"%%?comet_say\b[^\n]*\s--stream\b", cell.source)
    )


def test_a_streamed_cell_saves_the_saved_player():
    book = nbformat.read(READER_NOTEBOOKS[0], as_version=4)
    (cell,) = [c for c in book.cells if _streams(c)]
    (output,) = cell.outputs  # the streaming player was replaced, not kept beside it
    html = output["data"]["text/html"]
    assert html.count("<audio") == 1 and 'data-comet-stream="' in html
    assert "data-comet-autoplay" not in html  # silent when reopened
    assert set(output["data"]) == {"text/html", "text/plain"}
    state = book.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert not any("stream_id" in model["state"] for model in state.values())


@pytest.mark.parametrize("path", READER_NOTEBOOKS, ids=reader_ids)
def test_saved_outputs_are_those_of_a_reader_without_a_key(path):
    """Made by the built-in engine and the sample catalog, as a reader with no key sees."""
    saved = saved_outputs(nbformat.read(path, as_version=4))
    assert "api.cometapi.com/v1" not in saved
    if "models(" in path.read_text():
        assert "sample data from the built-in engine" in saved


def test_quickstart_covers_the_newcomers_path():
    sources = "\n".join(
        cell.source for cell in nbformat.read(READER_NOTEBOOKS[0], as_version=4).cells
    )
    for step in (
        "%load_ext comet_audio_nb",
        "%comet_say Hello",
        "--voice",
        "--format",
        "--stream",
        "%%comet_transcribe",
        "--translate",
        "models(",
        "%comet_status",
        "%comet_login",
        "COMETAPI_KEY",
    ):
        assert step in sources, step


@pytest.mark.parametrize("path", READER_NOTEBOOKS, ids=reader_ids)
def test_links_between_notebooks_resolve(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for target in re.findall(r"\]\(([^)#:]+\.ipynb)\)", cell.source):
                assert (path.parent / target).is_file(), target


def test_audio_clips_are_small_and_transcribable_formats():
    clips = sorted((ROOT / "notebooks" / "audio").iterdir())
    assert clips
    for clip in clips:
        assert clip.suffix in {".mp3", ".ogg", ".wav", ".flac", ".m4a", ".webm"}, clip.name
        assert clip.stat().st_size <= MAX_CLIP_BYTES, clip.name
