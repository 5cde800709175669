"""Rows of earlier runs, reused for a cloned repository whose linted commit has not changed.

A later run over a repos file of URLs mostly finds the same commits: linting them again would give the
same rows, byte for byte, because a row is a function of the commit's content (the commit id), the
report's path, the lint options and the code of report-lint itself.  So each clone keeps the rows it
produced in ``report-lint-rows/<key>.json`` (in our own cache, never in a linted repository), the key
being a hash of exactly those inputs; anything that differs -- another commit, ``--at`` picking
another commit, another ``--rules`` pack (or an edited pack file), ``--select``/``--ignore``,
``--count-mode``, ``--no-inline-config``, ``--report``, an upgrade or an edit of report-lint -- is
another key and a fresh lint.  Only rows that linted are kept (an error may be passing), only for URL
rows (a work tree changes without a commit), and the row's path and group always come from this run's
repos file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from report_lint import __version__
from report_lint.batch.rows import RepoRow

ROWS = "report-lint-rows"
KEEP = 8  # rows per clone: a few option sets side by side (a deadline run and a "now" run)
_PACKAGE = Path(__file__).resolve().parents[1]


def _code_stamp() -> str:
    """The version and every source file's size and modification time: an edited rule is a new key."""
    parts = [__version__]
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml", ".yml", ".json", ".md", ".toml") and path.is_file():
            stat = path.stat()
            parts.append(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def fingerprint(options: Any, report: str, rules_file: Path | None) -> str:
    """Everything besides the commit that a row depends on, as one hash."""
    pack_content = ""
    if rules_file is not None and rules_file.is_file():
        pack_content = hashlib.sha256(rules_file.read_bytes()).hexdigest()
    selection = options.selection
    inputs = {
        "code": _code_stamp(),
        "report": report,
        "pack": options.pack,
        "pack_content": pack_content,
        "count_mode": options.count_mode,
        "select": list(selection.select),
        "ignore": list(selection.ignore),
        "severity": dict(sorted(selection.severity.items())),
        "inline_config": options.inline_config,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def _file(git_dir: Path, commit: str, stamp: str) -> Path:
    return git_dir / ROWS / f"{hashlib.sha256(f'{commit}:{stamp}'.encode()).hexdigest()[:32]}.json"


def load(git_dir: Path, commit: str, stamp: str) -> RepoRow | None:
    try:
        data = json.loads(_file(git_dir, commit, stamp).read_text(encoding="utf-8"))
        row = RepoRow(**data)
    except (OSError, ValueError, TypeError):
        return None
    return row if row.commit == commit and row.linted else None


def save(git_dir: Path, commit: str, stamp: str, row: RepoRow) -> None:
    if not row.linted or row.commit != commit:
        return
    folder = git_dir / ROWS
    try:
        folder.mkdir(exist_ok=True)
        target = _file(git_dir, commit, stamp)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(row), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
        kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:  # a cache that cannot be written only costs the next run a lint
        pass
