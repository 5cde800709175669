"""What the language server knows about the repositories it lints; free of pygls, tested on its own.

A buffer is linted when its file is one of the reports ``report-lint check`` would lint in that
repository: the configuration's ``reports`` (discovered from ``reports/`` upward, as ``check`` does),
else ``reports/README.md``.  Settings (pack, count mode, select/ignore, severities) come from the same
configuration, so the editor shows what the hook will say.  The text linted is the editor's buffer,
never the file on disk; the repository around it is read through a :class:`SnapshotSource` refreshed
when the report is saved.

Every method runs on the server's single lint thread: the caches below need no locks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from report_lint.api import options_for
from report_lint.cli_parser import DEFAULT_REPORT
from report_lint.config import discover
from report_lint.engine import LintOptions, lint_text
from report_lint.evidence.gitlisting import run_git
from report_lint.evidence.repo import open_source
from report_lint.lsp.snapshot import SnapshotSource
from report_lint.result import ReportResult
from report_lint.source import normalise_newlines


@dataclass(frozen=True)
class Target:
    """A report file and how ``report-lint check`` would lint it."""

    file: Path  # resolved
    root: Path  # the repository root (resolved)
    display: str  # root-relative, '/'-separated
    options: LintOptions


class Session:
    def __init__(self, workspace_folders: Sequence[Path] = ()) -> None:
        # resolved, innermost first: a file outside git belongs to the deepest folder holding it
        folders = {p.resolve() for p in workspace_folders}
        self.workspace_folders = sorted(folders, key=lambda p: len(p.parts), reverse=True)
        self._toplevels: dict[Path, Path | None] = {}
        self._snapshots: dict[Path, SnapshotSource] = {}

    # -- where a file belongs ------------------------------------------------------------------

    def repo_root(self, directory: Path) -> Path | None:
        """The git top level of ``directory``, else the innermost workspace folder holding it."""
        if directory not in self._toplevels:
            top = None
            if directory.is_dir():
                out = run_git(directory, "rev-parse", "--show-toplevel")
                if out and out.strip():
                    top = Path(out.decode("utf-8", "surrogateescape").strip()).resolve()
            if top is None:
                top = next((f for f in self.workspace_folders if directory.is_relative_to(f)), None)
            self._toplevels[directory] = top
        return self._toplevels[directory]

    def target(self, file: Path) -> Target | None:
        """How to lint ``file``, or None when it is not a report of its repository.

        Raises :class:`~report_lint.errors.UsageError` for a broken configuration (the server shows it).
        """
        file = file.resolve()
        root = self.repo_root(file.parent)
        if root is None or not file.is_relative_to(root):
            return None
        # as run_check: the configuration nearest to the default report decides the report list
        default = root / DEFAULT_REPORT
        cfg = discover(default.parent, root)
        reports = {p.resolve() for p in cfg.reports} if cfg.reports else {default.resolve()}
        if file not in reports:
            return None
        # a configured pack path is already absolute; a name needs no base
        options = options_for(cfg, pack_base=root)
        return Target(file=file, root=root, display=file.relative_to(root).as_posix(), options=options)

    # -- evidence --------------------------------------------------------------------------------

    def snapshot(self, root: Path) -> SnapshotSource:
        """The repository as last listed; taken on first use, replaced by :meth:`refresh`."""
        snap = self._snapshots.get(root)
        if snap is None:
            snap = self._snapshots[root] = SnapshotSource(open_source(root))
        return snap

    def refresh(self, root: Path) -> None:
        """Forget the snapshot (and where directories belong): the next lint lists the repository again."""
        self._snapshots.pop(root, None)
        self._toplevels.clear()

    # -- linting ---------------------------------------------------------------------------------

    def lint(self, target: Target, buffer: str) -> ReportResult:
        """Lint the editor's text for ``target``; raises ReportLintError for a bad pack or selection."""
        had_bom = buffer.startswith("\ufeff")
        text = normalise_newlines(buffer[1:] if had_bom else buffer)
        return lint_text(
            text,
            file=target.file,
            repo_root=target.root,
            display=target.display,
            options=target.options,
            had_bom=had_bom,
            source=self.snapshot(target.root),
        )


def buffer_lines(buffer: str) -> tuple[tuple[str, ...], bool]:
    """The buffer's document lines (BOM removed, LSP's line split) and whether it had a BOM."""
    had_bom = buffer.startswith("\ufeff")
    text = normalise_newlines(buffer[1:] if had_bom else buffer)
    return tuple(text.split("\n")), had_bom
