"""Bounded reads of repository files for evidence: YAML limits, notebook code cells, per-file failures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from report_lint.evidence import yamlread
from report_lint.evidence.deps import dependencies
from report_lint.evidence.repo import RepoIndex
from report_lint.evidence.textview import notebook_code
from report_lint.evidence.workflows import workflows
from report_lint.evidence.yamlread import MAX_NODES, MAX_TOTAL_NODES, Unreadable, YMap, parse_yaml

WORKFLOW_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml")


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both parsers PyYAML may have: the limits must hold with either."""
    if request.param == "libyaml":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("PyYAML built without libyaml")
        monkeypatch.setattr(yamlread, "_LOADER", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlread, "_LOADER", yaml.SafeLoader)
    yield request.param


def reason(text: str) -> str:
    with pytest.raises(Unreadable) as info:
        parse_yaml(text)
    return info.value.reason


def test_plain_data_with_key_lines(loader: str) -> None:
    data = parse_yaml(
        "on: [push]\njobs:\n  a: &base\n    runs-on: x\n    strategy:\n      matrix: {os: [u]}\n"
        "  b:\n    <<: *base\n    runs-on: y\nempty:\nquoted: ''\n"
    )
    assert isinstance(data, YMap)
    assert data == {
        "on": ["push"],
        "jobs": {
            "a": {"runs-on": "x", "strategy": {"matrix": {"os": ["u"]}}},
            "b": {"runs-on": "y", "strategy": {"matrix": {"os": ["u"]}}},
        },
        "empty": None,
        "quoted": "",
    }
    assert data.lines == {"on": 1, "jobs": 2, "empty": 10, "quoted": 11}
    assert data["jobs"]["b"].lines["runs-on"] == 9


def test_limits_give_reasons(loader: str) -> None:
    assert reason("a: " + "[" * 200 + "]" * 200) == "nested too deeply"
    assert reason("a:\n" + "".join(" " * i + "- \n" for i in range(200))) == "nested too deeply"
    assert reason("a: [" + "x," * MAX_NODES + "x]\n") == f"more than {MAX_NODES} YAML nodes"
    assert reason("a: [b\n") == "not valid YAML at line 2"
    assert reason("a: *nowhere\n") == "not valid YAML at line 1 (unknown alias *nowhere)"


def test_aliases_count_their_full_size(loader: str) -> None:
    # nine levels of ten aliases each: 10^9 nodes if expanded, refused after MAX_NODES
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    assert reason("\n".join(lines) + "\n") == f"more than {MAX_NODES} YAML nodes"


def test_repository_budget_bounds_the_total_work(repo: Callable[..., Path]) -> None:
    dense = "on: [push]\njobs:\n  t:\n    steps:\n      - run: [" + "a," * (MAX_NODES - 100) + "a]\n"
    n = MAX_TOTAL_NODES // MAX_NODES + 3
    index = RepoIndex.open(repo({f".github/workflows/w{i:02}.yaml": dense for i in range(n)}))
    found = workflows(index, WORKFLOW_GLOBS)
    assert index.cache["yaml_nodes"] <= MAX_TOTAL_NODES
    errors = [wf.error for wf in found]
    assert errors[0] is None
    assert errors[-1] == "the repository's YAML budget is spent"


def test_oversized_yaml_is_never_parsed(repo: Callable[..., Path]) -> None:
    big = "on: [push]\n" + "# padding\n" * 30_000
    index = RepoIndex.open(repo({".github/workflows/big.yml": big}))
    (wf,) = workflows(index, WORKFLOW_GLOBS)
    assert wf.error == "larger than 256 KiB of YAML"
    assert ".github/workflows/big.yml" not in index._reads  # refused by size before any read


def test_deep_files_are_unreadable_one_by_one(repo: Callable[..., Path]) -> None:
    deep = "[" * 1000 + "]" * 1000
    root = repo(
        {
            "pyproject.toml": f'[project]\nname = "x"\ndependencies = ["torch"]\n[tool.x]\nv = {deep}\n',
            "environment.yml": f"dependencies:\n  - {deep}\n",
            "requirements.txt": "numpy\n",
        }
    )
    view = dependencies(RepoIndex.open(root))
    assert set(view.names) == {"numpy"}
    assert view.unreadable == {"pyproject.toml": "nested too deeply", "environment.yml": "nested too deeply"}


def _nb(cells: list[dict[str, object]]) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}, indent=1, sort_keys=True)


def test_notebook_code_cells_only() -> None:
    raw = _nb(
        [
            {"cell_type": "markdown", "metadata": {}, "source": ["import wandb\n"]},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [{"output_type": "stream", "text": ["import torch\n"]}],
                "source": ["import os\n", "x = 1"],
            },
            {"cell_type": "raw", "metadata": {}, "source": "import raw"},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": "import json"},
        ]
    )
    text = notebook_code(raw)
    assert text.data == b"import os\nx = 1\nimport json\n"
    assert text.where("nb.ipynb", 0) == "nb.ipynb (cell 2)"
    assert text.where("nb.ipynb", text.data.index(b"import json")) == "nb.ipynb (cell 4)"


def test_notebook_cut_off_keeps_whole_cells() -> None:
    raw = _nb(
        [
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": [f"import m{i}\n"]}
            for i in range(50)
        ]
    )
    text = notebook_code(raw[: len(raw) // 2])
    assert text.data.startswith(b"import m0\nimport m1\n")
    assert 10 < text.data.count(b"\n") < 50 and b"\n\n" not in text.data


def test_notebook_nested_too_deeply() -> None:
    raw = '{"cells": [{"cell_type": "code", "source": ' + "[" * 100_000 + "]" * 100_000 + "}]}"
    with pytest.raises(Unreadable, match="nested too deeply"):
        notebook_code(raw)


def test_requirement_include_chains_stop(repo: Callable[..., Path]) -> None:
    files = {f"deps/r{i}.txt": f"pkg{i}\n-r r{i + 1}.txt\n" for i in range(2000)}
    files["requirements.txt"] = "-r deps/r0.txt\n"
    view = dependencies(RepoIndex.open(repo(files)))
    assert "pkg0" in view.names and "pkg300" not in view.names
    assert list(view.unreadable.values()) == ["nested too deeply (`-r` includes)"]


def test_a_libyaml_syntax_error_is_retried_with_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    class Rejecting(yaml.SafeLoader):
        def check_event(self, *choices: object) -> bool:
            raise yaml.YAMLError("libyaml disagrees")

    monkeypatch.setattr(yamlread, "_LOADER", Rejecting)
    assert parse_yaml("on: [push]\n") == {"on": ["push"]}
    assert reason("a: [" + "x," * MAX_NODES + "x]\n") == f"more than {MAX_NODES} YAML nodes"  # same limits
