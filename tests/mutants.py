"""Plant known bugs one at a time and see whether the tests meant to catch each one fail.

Not collected by pytest (no ``test_`` prefix); run it by hand, at most one at a time:

    python tests/mutants.py                  # every mutant, then a table
    python tests/mutants.py -k subtitle      # those whose name contains "subtitle"
    python tests/mutants.py --list           # the mutants, their files and tests
    python tests/mutants.py --clean          # first check the targeted tests pass unplanted
    python tests/mutants.py --tree DIR       # plant into another checkout (an older commit)

Each mutant is a (file, old text, new text) record and the test files that should catch
it. The tree (the files git would commit) is copied once to a temporary folder; each
mutant rewrites its file there, runs only its test files against the copy (``pytest -x``,
``PYTHONPATH`` and the working directory set to the copy, ``CI=1``), and puts the file
back. Caught: pytest failed. Survived: it passed. Stale: the old text is not in the file
(count given by ``times``), so the record needs pointing at where the code moved.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = {".git", ".ci-venv", ".venv", "test-artifacts", "__pycache__", ".pytest_cache"}
RUN_TIMEOUT = 900  # seconds for one mutant's tests


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # relative to the tree's root
    old: str
    new: str
    tests: tuple[str, ...]
    times: int = 1  # how often ``old`` occurs in the file; every occurrence is replaced


MUTANTS = [
    Mutant(
        "retry table: 524 is not retried",
        "comet_audio_nb/retry.py",
        "RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 524})",
        "RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})",
        ("tests/test_retry.py", "tests/test_client.py"),
    ),
    Mutant(
        "retry table: a 500 invalid_request is retried",
        "comet_audio_nb/retry.py",
        'if error.status == 500 and (error.code or "") == "invalid_request":',
        "if False:",
        ("tests/test_retry.py", "tests/test_client.py"),
    ),
    Mutant(
        "key masking: twelve characters shown",
        "comet_audio_nb/config.py",
        'return f"{prefix}…{key[-4:]}"',
        'return f"{prefix}…{key[-12:]}"',
        ("tests/test_config.py", "tests/magics/test_magics_account.py"),
    ),
    Mutant(
        "key masking: errors keep the key",
        "comet_audio_nb/errors.py",
        "text = text.replace(secret, mask_key(secret))",
        "text = text.replace(secret, secret)",
        ("tests/test_config.py", "tests/magics/test_magics_account.py", "tests/test_client.py"),
    ),
    Mutant(
        "upload extension: the name wins over the content",
        "comet_audio_nb/audio/uploads.py",
        "    if sniffed in UPLOAD_FORMATS:\n        return sniffed\n",
        "    if ext in UPLOAD_FORMATS:\n        return ext\n"
        "    if sniffed in UPLOAD_FORMATS:\n        return sniffed\n",
        ("tests/test_audio.py", "tests/test_client.py"),
    ),
    Mutant(
        "upload extension: an Ogg recording uploads as .webm",
        "comet_audio_nb/widgets/recorder.py",
        '"audio/ogg": "ogg",',
        '"audio/ogg": "webm",',
        ("tests/test_widgets_recorder.py", "tests/test_widgets_transcribe_panel.py"),
    ),
    Mutant(
        "upload MIME: every upload is application/octet-stream",
        "comet_audio_nb/audio/uploads.py",
        "content_type=UPLOAD_MIME[upload_format],",
        'content_type="application/octet-stream",',
        ("tests/test_audio.py", "tests/test_client.py"),
    ),
    Mutant(
        "cost units: audio minutes priced as seconds",
        "comet_audio_nb/catalog/estimate.py",
        'parts.append(_part(minutes * 60, "s of audio", per_second, "s", money, 1))',
        'parts.append(_part(minutes, "s of audio", per_second, "s", money, 1))',
        ("tests/test_catalog_estimate.py",),
    ),
    Mutant(
        "cost units: the call log prices speech per thousand characters",
        "comet_audio_nb/notebook/calllog.py",
        "return size * amount / 1e6,",
        "return size * amount / 1e3,",
        ("tests/magics/test_magics_calllog.py",),
    ),
    Mutant(
        "batch order: the table comes reversed",
        "comet_audio_nb/jobs/batch.py",
        "self.df: pd.DataFrame = _frame(rows)",
        "self.df: pd.DataFrame = _frame(rows[::-1])",
        ("tests/test_batch.py",),
    ),
    Mutant(
        "batch order: the transcripts come reversed",
        "comet_audio_nb/jobs/batch.py",
        "self.transcripts: list[Transcript | None] = [r.transcript for r in rows]",
        "self.transcripts: list[Transcript | None] = [r.transcript for r in rows[::-1]]",
        ("tests/test_batch.py",),
    ),
    Mutant(
        "subtitle times: the engine's SRT/VTT cues one second late",
        "comet_audio_nb/local/transcripts.py",
        "millis = max(0, round(seconds * 1000))",
        "millis = max(0, round(seconds * 1000) + 1000)",
        ("tests/local/test_transcribe.py",),
    ),
    Mutant(
        "subtitle times: the client writes cues one second late",
        "comet_audio_nb/results/subtitles.py",
        "millis = max(0, round(seconds * 1000))",
        "millis = max(0, round(seconds * 1000) + 1000)",
        ("tests/test_results.py",),
    ),
    Mutant(
        "length limit: the engine refuses exactly 4,096 characters",
        "comet_audio_nb/local/routes_speech.py",
        "if len(text) > MAX_INPUT_CHARS:",
        "if len(text) >= MAX_INPUT_CHARS:",
        ("tests/local/test_speech.py",),
    ),
    Mutant(
        "length limit: the client refuses exactly 4,096 characters",
        "comet_audio_nb/client/checks.py",
        "if len(text) > MAX_SPEECH_CHARS:",
        "if len(text) >= MAX_SPEECH_CHARS:",
        ("tests/test_client.py",),
    ),
    Mutant(
        "length limit: speech_long parts of 4,097 characters",
        "comet_audio_nb/jobs/long_text.py",
        "max_chars: int = MAX_SPEECH_CHARS,",
        "max_chars: int = MAX_SPEECH_CHARS + 1,",
        ("tests/test_longmedia.py",),
        times=2,
    ),
    Mutant(
        "length limit: the studio disables Speak at exactly 4,096",
        "comet_audio_nb/widgets/studio.py",
        "self.speak_button.disabled = self.busy or n > MAX_SPEECH_CHARS",
        "self.speak_button.disabled = self.busy or n >= MAX_SPEECH_CHARS",
        ("tests/test_widgets_studio.py",),
    ),
    Mutant(
        "busy button: Speak stays enabled while speaking",
        "comet_audio_nb/widgets/studio.py",
        "self.speak_button.disabled = busy or len(self.text.value) > MAX_SPEECH_CHARS",
        "self.speak_button.disabled = len(self.text.value) > MAX_SPEECH_CHARS",
        ("tests/test_widgets_studio.py",),
    ),
    Mutant(
        "busy button: Transcribe stays enabled while transcribing",
        "comet_audio_nb/widgets/transcribe_panel.py",
        "self.transcribe_button.disabled = busy",
        "self.transcribe_button.disabled = False",
        ("tests/test_widgets_transcribe_panel.py",),
    ),
    Mutant(
        "recorder MIME: a webm recording reported as audio/wav",
        "comet_audio_nb/widgets/recorder.js",
        'model.set("mime_type", blob.type);',
        'model.set("mime_type", "audio/wav");',
        ("tests/test_widgets_recorder.py", "tests/browser/test_widgets_browser.py"),
    ),
    Mutant(
        "stream player: chunks kept but never sent to the browser",
        "comet_audio_nb/widgets/stream_player.py",
        'self.send({"type": "chunk"}, [chunk])',
        "pass",
        ("tests/test_widgets_stream_player.py",),
    ),
    Mutant(
        "stream player: wav and opus kept as the pcm that was streamed",
        "comet_audio_nb/widgets/stream_player.py",
        "        if plan.encode:\n            speech = _encoded(speech, plan.asked)",
        "        pass",
        ("tests/test_widgets_stream_player.py",),
    ),
    Mutant(
        "streamed %comet_say: the player shown before the service answers",
        "comet_audio_nb/magics/say.py",
        "speech = player.play(client, text, **options, extra_body=extra, on_open=show)",
        "show()\n        speech = player.play(client, text, **options, extra_body=extra)",
        ("tests/magics/test_magics_say_stream.py",),
    ),
    Mutant(
        "handover: the saved player starts from the top, not where the stream was",
        "comet_audio_nb/results/one_player.js",
        "audio.currentTime = state.position;",
        "audio.currentTime = 0;",
        ("tests/browser/test_stream_player_browser.py",),
    ),
    Mutant(
        "transcript headers saved with the transcript",
        "comet_audio_nb/results/transcript.py",
        'metadata={"saved": False}',
        'metadata={"saved": True}',
        ("tests/test_client.py",),
    ),
]


def committed_files(tree: Path) -> list[str]:
    """The files git would commit there, or (no git) every file but the junk."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=tree, capture_output=True, check=True,
        ).stdout.decode()  # fmt: skip
        names = [name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        names = [
            p.relative_to(tree).as_posix()
            for p in tree.rglob("*")
            if p.is_file() and not LEFT_OUT & set(p.relative_to(tree).parts)
        ]
    return [name for name in names if (tree / name).is_file()]


def copy_tree(tree: Path, target: Path) -> None:
    for name in committed_files(tree):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(tree / name, target / name)


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[int, float, str]:
    """(pytest's exit code, seconds, its last lines) for ``tests`` run in ``copy``."""
    env = {**os.environ, "PYTHONPATH": str(copy), "CI": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    started = time.monotonic()
    try:
        done = subprocess.run(
            command, cwd=copy, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return -1, time.monotonic() - started, "timed out"
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-3:])
    return done.returncode, time.monotonic() - started, tail


def verdict(code: int) -> str:
    return {0: "survived", 1: "caught"}.get(code, f"error ({code})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-k", default="", help="only mutants whose name contains this")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to plant into")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--clean", action="store_true", help="run the targets unplanted first")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if args.k.lower() in m.name.lower()]
    if args.list:
        for m in chosen:
            print(f"{m.name}\n    {m.path}: {m.old!r} -> {m.new!r}\n    {' '.join(m.tests)}")
        return 0
    results: list[tuple[str, str, float]] = []
    with tempfile.TemporaryDirectory(prefix="comet-audio-nb-mutants-") as folder:
        copy = Path(folder)
        copy_tree(args.tree.resolve(), copy)
        if args.clean:
            targets = tuple(sorted({t for m in chosen for t in m.tests}))
            code, seconds, tail = run_tests(copy, targets)
            print(f"unplanted: {'pass' if code == 0 else 'FAIL'} in {seconds:.0f} s\n{tail}")
            if code != 0:
                return 2
        for m in chosen:
            path = copy / m.path
            original = path.read_text() if path.exists() else ""
            if original.count(m.old) != m.times:
                results.append((m.name, "stale", 0.0))
                print(f"stale     {m.name}: {m.old!r} is not in {m.path} {m.times}x", flush=True)
                continue
            path.write_text(original.replace(m.old, m.new))
            try:
                code, seconds, tail = run_tests(copy, m.tests)
            finally:
                path.write_text(original)
            results.append((m.name, verdict(code), seconds))
            print(f"{verdict(code):9} {m.name} ({seconds:.0f} s)", flush=True)
            if code not in (0, 1):
                print(f"          {tail}", flush=True)
    caught = sum(result == "caught" for _, result, _ in results)
    print(f"\n{caught} of {len(results)} mutants caught")
    for name, result, _ in results:
        if result != "caught":
            print(f"  {result}: {name}")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
