"""The composite action run as GitHub's runner runs it, without GitHub: read action.yml, evaluate each
step's ``${{ }}`` expressions, run ``run:`` with bash, give each step fresh GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY files, and map the action's outputs.  Used by the action harness tests and by the
README snippet test."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from e2e_support import PROJECT

ACTION: dict[str, Any] = yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class StepRun:
    id: str | None
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(s.returncode != 0 for s in self.steps)

    @property
    def stdout(self) -> str:
        return "".join(s.stdout for s in self.steps)

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)

    def step(self, step_id: str) -> StepRun:
        return next(s for s in self.steps if s.id == step_id)


def parse_output_file(text: str) -> dict[str, str]:
    """``name=value`` and ``name<<DELIM`` … ``DELIM`` blocks, as the runner reads $GITHUB_OUTPUT."""
    out: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


def run_action(
    action_path: Path,
    workspace: Path,
    runner_temp: Path,
    inputs: dict[str, str],
    github_env: dict[str, str],
) -> ActionRun:
    declared = ACTION["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"not inputs of the action: {unknown}"
    values = {name: inputs.get(name, str(spec.get("default", ""))) for name, spec in declared.items()}
    run = ActionRun()
    step_outputs: dict[str, dict[str, str]] = {}
    contexts = {
        "github.action_path": str(action_path),
        "github.workspace": str(workspace),
        "runner.temp": str(runner_temp),
    }

    def evaluate(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            expr = match.group(1)
            if expr in contexts:
                return contexts[expr]
            if expr.startswith("inputs."):
                return values[expr[len("inputs.") :]]
            parts = expr.split(".")
            if len(parts) == 4 and parts[0] == "steps" and parts[2] == "outputs":
                return step_outputs.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"the harness does not evaluate ${{{{ {expr} }}}}")

        return EXPR.sub(one, text)

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
    for step in ACTION["runs"]["steps"]:
        assert "run" in step, "the harness runs only run: steps"
        assert step.get("shell") == "bash"
        assert "if" not in step
        files = runner_temp / f"step-{len(list(runner_temp.glob('step-*')))}"
        files.mkdir()
        output_file, summary_file = files / "output", files / "summary"
        output_file.touch()
        summary_file.touch()
        script = files / "script.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = {
            **base_env,
            **github_env,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "RUNNER_TEMP": str(runner_temp),
            **{k: evaluate(str(v)) for k, v in (step.get("env") or {}).items()},
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        outputs = parse_output_file(output_file.read_text(encoding="utf-8"))
        step_id = step.get("id")
        if step_id:
            step_outputs[step_id] = outputs
        run.steps.append(
            StepRun(
                step_id, done.returncode, done.stdout, done.stderr, outputs, summary_file.read_text("utf-8")
            )
        )
        if done.returncode != 0:
            break
    run.outputs = {name: evaluate(spec["value"]) for name, spec in ACTION["outputs"].items()}
    return run
