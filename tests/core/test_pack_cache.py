"""The on-disk cache of validated packs: used only when its key matches, never required."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from report_lint.packs import loader, packfile


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("REPORT_LINT_NO_CACHE", raising=False)
    monkeypatch.setattr(loader, "_BUILTINS", None)
    packfile._load_file_cached.cache_clear()
    return tmp_path / "report-lint"


def _fresh() -> dict[str, loader._Entry]:
    loader._BUILTINS = None
    packfile._load_file_cached.cache_clear()
    return loader.builtin_packs()


def test_snapshot_is_written_and_gives_the_same_packs(cache: Path) -> None:
    first = _fresh()
    assert (cache / "builtin-packs.pickle").is_file()
    assert oct((cache / "builtin-packs.pickle").stat().st_mode & 0o777) == "0o600"
    second = _fresh()
    assert first == second
    assert isinstance(second["dtu-mlops-31q-2026"], loader.Pack)
    assert isinstance(second["dtu-common"], str)  # abstract: the error is kept, not a pack
    with pytest.raises(loader.PackError):
        loader.load_pack("dtu-common")


def test_a_snapshot_with_another_key_is_ignored(cache: Path) -> None:
    expected = _fresh()
    path = cache / "builtin-packs.pickle"
    key, entries = pickle.loads(path.read_bytes())
    forged = {name: "forged" for name in entries}
    path.write_bytes(pickle.dumps(((*key[:-1], ("0" * 64,)), forged)))
    assert _fresh() == expected


def test_garbage_or_foreign_snapshots_are_ignored(cache: Path) -> None:
    expected = _fresh()
    path = cache / "builtin-packs.pickle"
    path.write_bytes(b"not a pickle")
    assert _fresh() == expected
    path.chmod(0o666)  # writable by others: never loaded
    key, _ = pickle.loads(path.read_bytes())  # rewritten by the fallback above
    assert loader._read_snapshot(path, key) is None


def test_unwritable_cache_falls_back_silently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # report-lint/ cannot be created under a file
    packs = _fresh()
    assert isinstance(packs["dtu-mlops-27q"], loader.Pack)


def test_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_LINT_NO_CACHE", "1")
    _fresh()
    assert not cache.exists()


def test_a_changed_pack_file_is_revalidated(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text("name: mine\nextends: dtu-mlops-31q-2026\ndescription: one\n")
    packfile._load_file_cached.cache_clear()
    assert loader.load_pack(str(pack)).description == "one"
    assert any(p.name.startswith("packfile-") for p in cache.iterdir())
    pack.write_text("name: mine\nextends: dtu-mlops-31q-2026\ndescription: two\n")
    os.utime(pack, ns=(1, 1))
    packfile._load_file_cached.cache_clear()
    loader._PACKS.clear()
    assert loader.load_pack(str(pack)).description == "two"
    pack.write_text("name: mine\nextends: dtu-mlops-31q-2026\nbogus: 1\n")
    packfile._load_file_cached.cache_clear()
    loader._PACKS.clear()
    with pytest.raises(loader.PackError, match="unknown key"):
        loader.load_pack(str(pack))
