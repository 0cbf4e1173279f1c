"""The package's one-way layers hold (pyproject.toml's import-linter contracts)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_layers_contracts_are_kept():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "import-linter is part of the [dev] extra"
    done = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


def test_no_module_is_over_the_size_the_layout_allows():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "comet_audio_nb").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 440
    }
    assert not too_long, too_long
