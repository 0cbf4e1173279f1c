"""The README's set-up commands, CI, and what importing the package costs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    setup = text.split("## ", 2)[1]  # the first section after the title
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_readme_starts_with_exactly_two_setup_commands():
    commands = readme_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)
    assert "pytest" in commands[1] and "pytest" not in commands[0]


def test_ci_runs_the_readme_test_command_word_for_word():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in [line.strip() for line in ci]


def test_import_and_load_ext_stay_light():
    """`import comet_audio_nb` pulls in none of the heavy libraries."""
    code = (
        "import sys, comet_audio_nb; "
        "heavy = {'pandas', 'httpx', 'ipywidgets', 'av', 'numpy', 'anywidget', 'faster_whisper'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_load_ext_does_not_import_pandas_widgets_or_engines():
    code = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shell.run_line_magic('load_ext', 'comet_audio_nb')\n"
        "assert 'comet_say' in shell.magics_manager.magics['line']\n"
        "heavy = {'pandas', 'ipywidgets', 'av', 'faster_whisper', 'piper', 'anywidget'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
