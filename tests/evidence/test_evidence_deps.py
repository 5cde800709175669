"""The dependency view: every declaration format, names normalised as pip does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from report_lint.evidence.deps import dependencies
from report_lint.evidence.models import normalize_name
from report_lint.evidence.repo import RepoIndex


def names(root: Path) -> set[str]:
    return set(dependencies(RepoIndex.open(root)).names)


def test_normalize_name() -> None:
    assert normalize_name("Hydra_Core") == "hydra-core"
    assert normalize_name("ruamel.yaml") == "ruamel-yaml"
    assert normalize_name("A__b--C") == "a-b-c"


def test_requirements_follow_r_inside_root_cycle_safe(repo: Callable[..., Path], tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text("outside-package\n")
    root = repo(
        {
            "requirements.txt": "torch>=2.0  # the model\nHydra_Core==1.3\n-r requirements/dev.txt\n"
            "--requirement=requirements.txt\n-r ../../evil.txt\n-e git+https://x/y.git#egg=my_pkg\n"
            "-e .\n--index-url https://example.com\nwandb[media] ; python_version > '3.8'\n"
            "pkg @ https://example.com/pkg.whl\nlong-name \\\n  >=1\n",
            "requirements/dev.txt": "-r ../requirements.txt\npytest\n-c constraints.txt\n",
            "requirements/constraints.txt": "constrained-only\n",
        }
    )
    assert names(root) == {"torch", "hydra-core", "pytest", "my-pkg", "wandb", "pkg", "long-name"}


def test_pyproject_all_sections(repo: Callable[..., Path]) -> None:
    root = repo(
        {
            "pyproject.toml": """
[project]
name = "x"
dependencies = ["fastapi>=0.100", "Typer"]
[project.optional-dependencies]
dev = ["ruff"]
[dependency-groups]
test = ["pytest-cov", {include-group = "lint"}]
lint = ["mypy"]
[tool.poetry.dependencies]
python = "^3.11"
Lightning = "^2"
[tool.poetry.group.docs.dependencies]
mkdocs = "*"
[tool.uv]
dev-dependencies = ["locust"]
"""
        }
    )
    assert names(root) == {"fastapi", "typer", "ruff", "pytest-cov", "mypy", "lightning", "mkdocs", "locust"}


def test_lock_files(repo: Callable[..., Path]) -> None:
    root = repo(
        {
            "uv.lock": 'version = 1\n[[package]]\nname = "prometheus-client"\nversion = "0.20"\n',
            "poetry.lock": '[[package]]\nname = "Evidently"\nversion = "0.4"\n',
        }
    )
    assert names(root) == {"prometheus-client", "evidently"}


def test_environment_yml_conda_and_pip(repo: Callable[..., Path]) -> None:
    root = repo(
        {
            "environment.yml": "name: p\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n"
            "  - pytorch::pytorch>=2\n  - numpy\n  - pip\n  - pip:\n    - wandb==0.16\n"
            "    - -r requirements.txt\n"
        }
    )
    assert names(root) == {"pytorch", "numpy", "pip", "wandb"}


def test_setup_cfg(repo: Callable[..., Path]) -> None:
    root = repo(
        {
            "setup.cfg": "[metadata]\nname = x\n[options]\ninstall_requires =\n    click>=8\n    dvc[gs]\n"
            "[options.extras_require]\nload = locust\n"
        }
    )
    assert names(root) == {"click", "dvc", "locust"}


def test_broken_files_are_skipped(repo: Callable[..., Path]) -> None:
    root = repo({"pyproject.toml": "[project\n", "environment.yml": ": : :\n", "requirements.txt": "ok\n"})
    assert names(root) == {"ok"}


def test_ignored_requirements_do_not_count(repo: Callable[..., Path]) -> None:
    root = repo({".gitignore": "requirements_local.txt\n"}, untracked={"requirements_local.txt": "wandb\n"})
    assert names(root) == set()
