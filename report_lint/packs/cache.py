"""The on-disk cache of validated packs and settings: where it is, the code it is keyed by, and
pickles read back only when we wrote them."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

from report_lint import __version__

SNAPSHOT_FORMAT = 2
# the pack-file cache holds files that passed these modules' checks (the registry: its rule names);
# packs/loader.py's code is split over the modules listed after it, and all of it decides what is cached
_MODEL_MODULES = (
    "packs/models.py",
    "packs/plain.py",
    "packs/loader.py",
    "packs/cache.py",
    "packs/chain.py",
    "packs/locate.py",
    "packs/merge.py",
    "packs/packfile.py",
    "packs/problems.py",
    "packs/semantics.py",
    "packs/structure.py",
    "packs/base.py",
    "evidence/models.py",
    "checks/__init__.py",
)


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/report-lint`` or ``~/.cache/report-lint``; None when caching is off."""
    if os.environ.get("REPORT_LINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "report-lint"


def validator_version() -> str:
    """pydantic's version file, hashed: what validated the snapshot, known without importing pydantic."""
    spec = importlib.util.find_spec("pydantic")
    if spec is None or not spec.submodule_search_locations:
        raise OSError("pydantic is not installed")
    version_file = Path(next(iter(spec.submodule_search_locations))) / "version.py"
    return hashlib.sha256(version_file.read_bytes()).hexdigest()


def _owned_by_us(st: os.stat_result) -> bool:
    uid = os.getuid() if hasattr(os, "getuid") else None
    return (uid is None or st.st_uid == uid) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_pickle(path: Path, key: tuple[Any, ...]) -> Any:
    """The value stored at ``path`` under ``key``; None unless the file is ours and the key matches."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _owned_by_us(st) or not _owned_by_us(path.parent.stat()):
                return None
            stored_key, value = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, from another version: load from YAML
        return None
    return value if stored_key == key else None


def write_pickle(path: Path, key: tuple[Any, ...], value: Any) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # read-only home, full disk: no snapshot, same results
        with contextlib.suppress(OSError):
            tmp.unlink()


# the code half of the pack-file and chain caches' keys: hashed once per process
_CODE_KEY: tuple[Any, ...] | None = None


def _code_key() -> tuple[Any, ...]:
    global _CODE_KEY
    if _CODE_KEY is None:
        package = Path(__file__).resolve().parent.parent
        digests = tuple(hashlib.sha256((package / rel).read_bytes()).hexdigest() for rel in _MODEL_MODULES)
        _CODE_KEY = (SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), validator_version(), digests)
    return _CODE_KEY
