"""Helpers for the evidence tests: real temporary git repositories and hand-built checklist items."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report_lint.model import ChecklistItem, CheckState
from report_lint.parsing.nodes import Span

Files = Mapping[str, "str | bytes"]

_TAG = re.compile(r"\((M\d+(?:\+M\d+)*)\)\s*$")


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(root),
        GIT_AUTHOR_DATE="2024-01-01T00:00:00",
        GIT_COMMITTER_DATE="2024-01-01T00:00:00",
    )
    proc = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    return proc.stdout.decode()


def write(root: Path, files: Files) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(
    root: Path, files: Files, *, use_git: bool = True, commit: bool = True, untracked: Files | None = None
) -> Path:
    """A directory with ``files``; as a git repository with them committed unless told otherwise.

    ``untracked`` files are written after the commit (and never added).
    """
    root.mkdir(parents=True, exist_ok=True)
    write(root, files)
    if use_git:
        git(root, "init", "-q")
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", "init")
    if untracked:
        write(root, untracked)
    return root


def item(text: str, state: CheckState = "checked", mark: str = "[x]", line: int = 10) -> ChecklistItem:
    """A ChecklistItem as the parser would build it (module tag taken from a trailing parenthesis)."""
    m = _TAG.search(text)
    tag = m.group(1) if m else None
    modules = tuple(tag.split("+")) if tag else ()
    return ChecklistItem(
        state=state,
        mark=mark,
        text=text,
        module_tag=tag,
        modules=modules,
        span=Span(line, 1, line, len(text) + 7),
        section="Week 1",
    )


@dataclass(frozen=True)
class CliLint:
    """One ``report-lint check`` run through the real CLI."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def report(self) -> dict[str, Any]:
        assert self.returncode in (0, 1), f"exit {self.returncode}: {self.stderr}"
        assert "Traceback" not in self.stderr, self.stderr
        data = json.loads(self.stdout)
        reports = data["reports"]
        assert len(reports) == 1
        report: dict[str, Any] = reports[0]
        return report

    def verdict(self, rule: str) -> dict[str, Any]:
        """The checklist record of the one item matched to ``rule``."""
        records = [r for r in self.report["checklist"] if r["rule"] == rule]
        assert len(records) == 1, [r["rule"] for r in self.report["checklist"]]
        return records[0]

    def messages(self, code: str = "RL501") -> list[str]:
        return [d["message"] for d in self.report["diagnostics"] if d["code"] == code]


def checklist_report(items: Sequence[str]) -> str:
    """A report holding only a checklist; ``items`` are item texts, checked unless they start "[ ] "."""
    lines = ["# Exam report", "", "## Project checklist", ""]
    for text in items:
        lines.append(f"* [ ] {text[4:]}" if text.startswith("[ ] ") else f"* [x] {text}")
    return "\n".join(lines) + "\n"


def cli_lint(root: Path, *, pack: str = "dtu-mlops-31q-2026", timeout: float = 120.0) -> CliLint:
    """``report-lint check --repo ROOT`` (checklist rules only, JSON) in a subprocess."""
    argv = [
        sys.executable, "-m", "report_lint", "check", "--repo", str(root), "--rules", pack,
        "--select", "checklist-unsupported,checklist-unclaimed,checklist-unknown", "--format", "json",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "REPORT_LINT_"))}
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=root, env=env, capture_output=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - start
    return CliLint(proc.returncode, proc.stdout.decode(), proc.stderr.decode(), seconds)
