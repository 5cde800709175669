"""One generated fixture (a dozen repositories) and the batch runs over it, shared by the tests."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

from report_lint.batch.cli import main

from .repos import DEADLINE, Expect, make_fixture


class Run:
    def __init__(self, root: Path, out: Path, code: int) -> None:
        self.root, self.out, self.code = root, out, code
        self.json: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
        with open(out / "results.csv", encoding="utf-8", newline="") as handle:
            self.csv = list(csv.DictReader(handle))
        self.rows = {r["path"]: r for r in self.json["repositories"]}


def run_batch(root: Path, out: str, *args: str) -> Run:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code = main(["--out", out, "--no-progress", *args])
    finally:
        os.chdir(cwd)
    return Run(root, root / out, code)


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Expect]]:
    root = tmp_path_factory.mktemp("batch")
    return root, make_fixture(root)


@pytest.fixture(scope="session")
def worktree_run(fixture_root: tuple[Path, dict[str, Expect]]) -> Run:
    return run_batch(fixture_root[0], "out-now", "cloned_repos", "--jobs", "2")


@pytest.fixture(scope="session")
def deadline_run(fixture_root: tuple[Path, dict[str, Expect]]) -> Run:
    return run_batch(fixture_root[0], "out-at", "cloned_repos", "--jobs", "2", "--at", DEADLINE)
