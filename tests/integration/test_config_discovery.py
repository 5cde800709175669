"""Configuration discovery, validation errors with file:line:col, and `report-lint config` text."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_lint.config import discover, load
from report_lint.config_describe import describe
from report_lint.errors import UsageError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "reports").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def test_no_configuration(repo: Path) -> None:
    cfg = discover(repo / "reports", repo)
    assert cfg.file is None and cfg.rules is None and cfg.sources == {}
    assert cfg.searched == (repo / "reports", repo)


def test_yaml_in_report_dir_wins_over_root(repo: Path) -> None:
    write(repo / ".report-lint.yaml", "count-mode: prose\n")
    near = write(repo / "reports" / ".report-lint.yml", "fail-on: warning\n")
    cfg = discover(repo / "reports", repo)
    assert cfg.file == near.resolve()
    assert cfg.fail_on == "warning" and cfg.count_mode is None


def test_pyproject_section(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.report-lint]\nrules = "dtu-mlops-31q-2026"\n'
        'select = ["answer-length", "RL301"]\ncount_mode = "prose"\n\n[tool.report-lint.severity]\n'
        'figure-format = "error"\n',
    )
    cfg = discover(repo / "reports", repo)
    assert cfg.rules == "dtu-mlops-31q-2026"
    assert cfg.select == ("answer-length", "RL301")
    assert cfg.count_mode == "prose"
    assert cfg.severity == {"figure-format": "error"}
    assert cfg.sources["rules"].line == 5 and cfg.sources["count_mode"].line == 7


def test_pyproject_without_section_is_skipped(repo: Path) -> None:
    write(repo / "reports" / "pyproject.toml", '[project]\nname = "report-lint-demo"\n')
    write(repo / ".report-lint.yaml", "fail-on: info\n")
    assert discover(repo / "reports", repo).fail_on == "info"


def test_never_above_the_repository_root(repo: Path) -> None:
    write(repo.parent / ".report-lint.yaml", "fail-on: info\n")
    assert discover(repo / "reports", repo).file is None
    # a start directory outside the repository: only the root is searched
    assert discover(repo.parent, repo).searched == (repo.resolve(),)


def test_two_configurations_in_one_directory(repo: Path) -> None:
    write(repo / ".report-lint.yaml", "fail-on: info\n")
    write(repo / "pyproject.toml", '[tool.report-lint]\nfail-on = "error"\n')
    with pytest.raises(UsageError, match="configure report-lint; keep one"):
        discover(repo, repo)


def test_paths_resolved_relative_to_the_file(repo: Path) -> None:
    write(repo / "staff" / "pack.yaml", "name: x\n")
    write(repo / "staff" / ".report-lint.yaml", "rules: pack.yaml\nreports: [../reports/README.md]\n")
    cfg = load(repo / "staff" / ".report-lint.yaml", repo)
    assert cfg.rules == str((repo / "staff" / "pack.yaml").resolve())
    assert cfg.reports == ((repo / "reports" / "README.md").resolve(),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fail-on: warning\ncolour: red\n", ".report-lint.yaml:2:1: colour: unknown setting"),
        ("count-mode: words\n", ".report-lint.yaml:1:13: count-mode: Input should be 'official' or 'prose'"),
        ("select:\n  - answer-length\n  - answer-lenght\n", ".report-lint.yaml:3:5: select.1: unknown rule"),
        (
            "severity:\n  broken-link: fatal\n",
            ".report-lint.yaml:2:16: severity.broken-link: Input should be",
        ),
        (
            "rules: ../outside.yaml\n",
            ".report-lint.yaml:1:8: rules: ../outside.yaml is outside the repository",
        ),
        ("rules: missing.yaml\n", ".report-lint.yaml:1:8: rules: pack file missing.yaml not found"),
        ("reports: [a.md, ../../b.md]\n", ".report-lint.yaml:1:17: reports.1: ../../b.md is outside"),
        ("fail-on: error\nfail_on: info\n", ".report-lint.yaml:2:1: fail_on: set twice"),
        ("fail-on: error\nfail-on: info\n", ".report-lint.yaml:2:1: fail-on: set twice"),
        ("select: [a\n", ".report-lint.yaml:2:1: (yaml):"),
        ("- a\n- b\n", ".report-lint.yaml:1:1: (top): expected a mapping"),
    ],
)
def test_yaml_errors_point_at_the_line(repo: Path, text: str, expected: str) -> None:
    write(repo / ".report-lint.yaml", text)
    with pytest.raises(UsageError) as info:
        discover(repo / "reports", repo)
    assert str(info.value).startswith(expected), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[tool.report-lint]\nfail-on = "error"\ncolour = 1\n',
            "pyproject.toml:3:1: colour: unknown setting",
        ),
        (
            '[tool.other]\nx = 1\n\n[tool.report-lint]\n  count-mode = "x"\n',
            "pyproject.toml:5:3: count-mode:",
        ),
        (
            '[tool.report-lint]\nfail-on = "error"\n[tool.report-lint.severity]\nbroken-link = "x"\n',
            "pyproject.toml:4:1: severity.broken-link:",
        ),
        ('[tool.report-lint]\nignore = ["nope"]\n', "pyproject.toml:2:1: ignore.0: unknown rule 'nope'"),
        ("[tool.report-lint]\nfail-on = \n", "pyproject.toml:2:"),
    ],
)
def test_toml_errors_point_at_the_line(repo: Path, text: str, expected: str) -> None:
    write(repo / "pyproject.toml", text)
    with pytest.raises(UsageError) as info:
        discover(repo, repo)
    assert str(info.value).startswith(expected), str(info.value)


def test_describe_sources(repo: Path) -> None:
    write(repo / ".report-lint.yaml", "rules: dtu-mlops-27q\nignore: [broken-link]\n")
    cfg = discover(repo / "reports", repo)
    text = describe(cfg, {"count_mode": "prose", "select": None})
    lines = {line.split("=")[0].strip(): line for line in text.splitlines() if "=" in line}
    assert lines["rules"].endswith("# .report-lint.yaml:1") and "dtu-mlops-27q" in lines["rules"]
    assert lines["ignore"].endswith("# .report-lint.yaml:2")
    assert lines["count-mode"].endswith("# command line") and "prose" in lines["count-mode"]
    assert lines["fail-on"].endswith("# default")
    assert "configuration file: .report-lint.yaml" in text


def test_describe_without_file(repo: Path) -> None:
    text = describe(discover(repo / "reports", repo))
    assert "configuration file: none (searched reports, .)" in text


def test_unknown_rule_as_severity_key(repo: Path) -> None:
    write(repo / ".report-lint.yaml", "severity:\n  broken-link: info\n  nope: error\n")
    with pytest.raises(UsageError, match=r"^\.report-lint\.yaml:3:3: severity\.nope: unknown rule 'nope'"):
        discover(repo, repo)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".report-lint.yaml", "rules: dtu-mlops-27", ".report-lint.yaml:1:8: rules: no rule pack named"),
        (".report-lint.yaml", "reports: []\n", ".report-lint.yaml:1:10: reports: lists no report"),
        (".report-lint.yaml", "select: []\n", ".report-lint.yaml:1:9: select: selects no rule"),
        (
            "pyproject.toml",
            "[tool.report-lint]\nselect = []\n",
            "pyproject.toml:2:1: select: selects no rule",
        ),
        (
            ".report-lint.yaml",
            "ignore: [image-cont]\n",
            ".report-lint.yaml:1:10: ignore.0: unknown rule 'image-cont'; did you mean 'image-count'?",
        ),
        (
            ".report-lint.yaml",
            "fail-on: error\nselect: " + "[" * 70 + "]" * 70 + "\n",
            ".report-lint.yaml:2:72: (yaml): nested more than 64 levels deep",
        ),
        (
            "pyproject.toml",
            '[tool.report-lint]\nfail-on = "error"\nselect = ' + "[" * 70 + "]" * 70 + "\n",
            "pyproject.toml:3:74: (toml): nested more than 64 levels deep",
        ),
    ],
    ids=[
        "unknown-pack",
        "empty-reports",
        "empty-select",
        "empty-select-toml",
        "hint",
        "deep-yaml",
        "deep-toml",
    ],
)
def test_values_that_would_be_ignored_or_overflow(repo: Path, name: str, text: str, expected: str) -> None:
    write(repo / name, text)
    with pytest.raises(UsageError) as info:
        discover(repo, repo)
    assert str(info.value).startswith(expected), str(info.value)
    if "no rule pack named" in expected:
        assert "did you mean 'dtu-mlops-27q'?" in str(info.value)


def test_toml_brackets_in_strings_and_comments_are_not_nesting(repo: Path) -> None:
    deep = "[" * 80
    write(
        repo / "pyproject.toml",
        f'[project]\nname = "{deep}"\ndescription = """\n{deep}\n"""\n# {deep}\n'
        f"x = '{deep}'\n\n[tool.report-lint]\nfail-on = \"info\"\n",
    )
    assert discover(repo, repo).fail_on == "info"
