"""Hostile rule packs (``--rules``) and configuration files: a pointed one-line error, never run, never hang."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import run_cli

LOCATED = re.compile(r"^report-lint: error: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): ")


def _located(line: str, file: str) -> tuple[int, int]:
    match = LOCATED.match(line)
    assert match and match.group("file").endswith(file), line
    return int(match.group("line")), int(match.group("col"))


@pytest.fixture()
def linted(repo: Path) -> Path:
    (repo / "reports" / "README.md").write_text(ReportBuilder(fill_words=60).text())
    return repo


def test_catastrophic_backtracking_pattern_runs_in_linear_time(linted: Path) -> None:
    (linted / "pack.yaml").write_text(
        "name: evil\nextends: dtu-mlops-31q-2026\nplaceholders:\n"
        "  - id: evil\n    pattern: '(a+)+$'\n    message: backtracking\n"
        "  - id: evil2\n    pattern: '(x+x+)+y'\n    message: backtracking\n"
    )
    answer = "a" * 50_000 + "!" + "\n\n" + "x" * 50_000
    (linted / "reports" / "README.md").write_text(ReportBuilder(fill_words=60, answers={5: answer}).text())
    run = run_cli(["--rules", "pack.yaml"], linted, timeout=30)
    run.diagnostics()
    assert run.seconds < 15, f"{run.seconds:.1f}s"


def test_pattern_re2_rejects_is_a_located_error(linted: Path) -> None:
    (linted / "pack.yaml").write_text(
        "name: evil\nextends: dtu-mlops-31q-2026\nplaceholders:\n"
        "  - id: backref\n    pattern: '(a)\\1'\n    message: RE2 has no backreferences\n"
    )
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == (5, 14), line
    assert "placeholders.0.pattern" in line


def test_billion_laughs(linted: Path) -> None:
    lines = ["name: bomb", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (linted / "pack.yaml").write_text("\n".join(lines) + "\n")
    run = run_cli(["--rules", "pack.yaml"], linted, timeout=30)
    line = run.error_line()
    _located(line, "pack.yaml")
    assert "alias bomb" in line
    assert run.seconds < 10


def test_hundred_thousand_keys(linted: Path) -> None:
    body = "".join(f"  k{i}: {i}\n" for i in range(100_000))
    (linted / "pack.yaml").write_text(
        "name: wide\nrules:\n  answer-length:\n    options:\n" + body.replace("  k", "      k")
    )
    run = run_cli(["--rules", "pack.yaml"], linted, timeout=30)
    line = run.error_line()
    _located(line, "pack.yaml")
    assert "larger than" in line or "more than" in line
    assert run.seconds < 10


def test_python_object_tag_is_not_executed(linted: Path, tmp_path: Path) -> None:
    canary = tmp_path / "executed"
    (linted / "pack.yaml").write_text(
        f"name: rce\ndescription: !!python/object/apply:os.system ['touch {canary}']\n"
    )
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == (2, 14)
    assert "unsupported YAML tag" in line and "python/object/apply" in line
    assert not canary.exists()


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("name: t\nquestion_count: many\n", (2, 17), "question_count"),
        ("name: t\nquestions:\n  - number: 3\n    words: [200, 100]\n", (4, 12), "min 200 is above max 100"),
        ("name: t\ncolour: red\n", (2, 1), "colour: unknown key"),
        ("name: t\nrules:\n  answer-length:\n    sevrity: error\n", (4, 5), "unknown key"),
        (
            "name: t\nquestions:\n  - number: 3\n  - number: 4\n  - number: 3\n",
            (3, 3),
            "question 3 is listed twice",
        ),
        ("name: t\nname: u\n", (2, 1), "duplicate key"),
        ("name: t\nrules: [\n", (3, 1), "invalid YAML"),
        ("name: t\nq: <<: *x\n", None, "pack.yaml"),
    ],
    ids=[
        "wrong-type",
        "bad-range",
        "unknown-key",
        "unknown-nested-key",
        "duplicate-question",
        "duplicate-key",
        "syntax",
        "undefined-alias",
    ],
)
def test_malformed_packs_are_located(
    linted: Path, body: str, where: tuple[int, int] | None, needle: str
) -> None:
    (linted / "pack.yaml").write_text(body)
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    position = _located(line, "pack.yaml")
    if where is not None:
        assert position == where, line
    assert needle in line


def test_pack_file_that_is_binary_or_huge(linted: Path) -> None:
    (linted / "pack.yaml").write_bytes(b"\xff\xfe\x00garbage")
    assert "not valid UTF-8" in run_cli(["--rules", "pack.yaml"], linted).error_line()
    (linted / "pack.yaml").write_bytes(b"name: x\n" + b"#" * (2 * 1024 * 1024))
    assert "larger than" in run_cli(["--rules", "pack.yaml"], linted).error_line()
    (linted / "pack.yaml").unlink()
    (linted / "pack.yaml").mkdir()
    assert "pack.yaml" in run_cli(["--rules", "pack.yaml"], linted).error_line()


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("fail-on: [\n", (2, 1), "(yaml)"),
        ("fail-on: sometimes\n", (1, 10), "fail-on"),
        ("colour: red\n", (1, 1), "unknown setting"),
        ("select: 42\n", (1, 9), "select"),
        ("fail-on: error\nfail_on: error\n", (2, 1), "set twice"),
        ("rules: ../../outside.yaml\n", (1, 8), "outside the repository root"),
        ("rules: !!python/object/apply:os.system ['touch {canary}']\n", (1, 8), "python/object/apply"),
    ],
    ids=["syntax", "bad-value", "unknown-key", "wrong-type", "duplicate", "pack-outside", "python-tag"],
)
def test_malformed_config(
    linted: Path, tmp_path: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    canary = tmp_path / "executed"
    (linted / ".report-lint.yaml").write_text(body.replace("{canary}", str(canary)))
    line = run_cli([], linted).error_line()
    assert _located(line, ".report-lint.yaml") == where, line
    assert needle in line
    assert not canary.exists()


def test_config_alias_bomb(linted: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (linted / ".report-lint.yaml").write_text("\n".join(lines) + "\nselect: *a9\n")
    run = run_cli([], linted, timeout=30)
    _located(run.error_line(), ".report-lint.yaml")
    assert run.seconds < 10


def test_malformed_pyproject(linted: Path) -> None:
    (linted / "pyproject.toml").write_text("[tool.report-lint]\nfail-on = \n")
    line = run_cli([], linted).error_line()
    assert _located(line, "pyproject.toml")[0] == 2


# ---------------------------------------------------------------------------------------------
# issue 9: rule packs and configuration that cannot fail silently


def _json(run_stdout: str) -> dict[str, object]:
    import json

    data = json.loads(run_stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        (
            "name: t\nextends: dtu-mlops-31q-2026\nrules:\n  answer-lenght: {code: RL299, severity: warning}\n",
            (4, 3),
            "did you mean 'answer-length'?",
        ),
        ("name: t\nrules:\n  bogus-rule: {code: RL999, severity: error}\n", (3, 3), "no built-in rule"),
        (
            "name: t\nextends: dtu-mlops-31q-2026\nsuppressions:\n  forbidden_rules: [answer-lenght]\n",
            (4, 21),
            "did you mean 'answer-length'?",
        ),
    ],
    ids=["misspelt", "bogus", "forbidden-suppression"],
)
def test_unknown_rule_names_are_located_errors(
    linted: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    (linted / "pack.yaml").write_text(body)
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == where, line
    assert needle in line


def test_unknown_rule_in_an_in_repository_pack_named_by_config(linted: Path) -> None:
    (linted / "packs").mkdir()
    (linted / "packs" / "course.yaml").write_text(
        "name: course\nrules:\n  answer-length: {code: RL201, severity: error}\n  image-cuont: {}\n"
    )
    (linted / ".report-lint.yaml").write_text("rules: packs/course.yaml\n")
    line = run_cli([], linted).error_line()
    assert _located(line, "packs/course.yaml") == (4, 3), line
    assert "did you mean 'image-count'?" in line


def test_pack_without_rules_runs_every_builtin_rule(linted: Path) -> None:
    # written from scratch: limits for questions 3 and 4 that the 60-word answers break
    (linted / "pack.yaml").write_text(
        "name: scratch\nquestion_count: 31\nquestions:\n"
        "  - {number: 3, words: [0, 5]}\n  - {number: 4, words: [0, 5]}\n"
    )
    run = run_cli(["--rules", "pack.yaml", "--format", "json"], linted)
    data = _json(run.diagnostics())
    assert run.returncode == 1
    (report,) = data["reports"]  # type: ignore[misc]
    failed = {q["number"] for q in report["questions"] if not q["passed"]}
    assert {3, 4} <= failed
    lengths = [d for d in report["diagnostics"] if d["rule"] == "answer-length"]
    assert [(d["question"], d["code"], d["severity"]) for d in lengths] == [
        (3, "RL201", "error"),
        (4, "RL201", "error"),
    ]
    # the other built-in rules ran too, with their default codes (the figures the answers show are absent)
    ran = {(d["rule"], d["code"]) for d in report["diagnostics"]}
    assert {("template-structure", "RL401"), ("missing-figure", "RL301")} <= ran


def test_explicitly_empty_rules_is_an_error(linted: Path) -> None:
    (linted / "pack.yaml").write_text("name: scratch\nquestion_count: 31\nrules: {}\n")
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == (3, 8), line
    assert "no rule would run" in line


def test_bad_extends_name_is_located(linted: Path) -> None:
    (linted / "pack.yaml").write_text("name: t\ndescription: x\nextends: dtu-mlops-31q-2062\n")
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == (3, 10), line
    assert "did you mean 'dtu-mlops-31q-2026'?" in line


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink", "symlinked-dir"])
@pytest.mark.parametrize("entry", ["config", "cli"])
def test_extends_from_a_repository_pack_stays_inside(
    linted: Path, tmp_path: Path, how: str, entry: str
) -> None:
    # outside the repository: a file whose contents would be an error of its own if it were read
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("name: secret\nrules: [\n")
    packs = linted / "packs"
    packs.mkdir()
    if how == "dotdot":
        target = "../../outside/secret.yaml"
    elif how == "absolute":
        target = str(outside / "secret.yaml")
    elif how == "symlink":
        (packs / "base.yaml").symlink_to(outside / "secret.yaml")
        target = "base"
    else:
        (packs / "shared").symlink_to(outside, target_is_directory=True)
        target = "shared/secret.yaml"
    (packs / "child.yaml").write_text(f"name: child\nextends: {target}\n")
    if entry == "config":
        (linted / ".report-lint.yaml").write_text("rules: packs/child.yaml\n")
        args: list[str] = []
    else:
        args = ["--rules", "packs/child.yaml"]
    line = run_cli(args, linted).error_line()
    assert _located(line, "packs/child.yaml") == (2, 10), line
    assert "outside the repository" in line
    assert "invalid YAML" not in line


def test_extends_inside_the_repository_and_builtin_names_still_work(linted: Path) -> None:
    packs = linted / "packs"
    (packs / "shared").mkdir(parents=True)
    (packs / "shared" / "base.yaml").write_text("name: base\nabstract: true\nextends: dtu-mlops-31q-2026\n")
    (packs / "child.yaml").write_text("name: child\nextends: shared/base.yaml\n")
    (linted / ".report-lint.yaml").write_text("rules: packs/child.yaml\n")
    out = run_cli(["--format", "json"], linted).diagnostics()
    assert _json(out)["reports"][0]["rules"] == "child"  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("name: t\nextends: dtu-mlops-31q-2026\nquestion_count: 1000000000\n", (3, 17), "500"),
        ("name: t\nextends: dtu-mlops-31q-2026\nquestion_count: 1.0e+18\n", (3, 17), "integer"),
        ("name: t\nextends: dtu-mlops-31q-2026\nquestion_count: 1e30\n", (3, 17), "integer"),
        ("name: t\nextends: dtu-mlops-31q-2026\nquestion_count: true\n", (3, 17), "integer"),
        ("name: t\nquestions:\n  - {number: 3, words: [true, 200]}\n", (3, 25), "integer"),
        ("name: t\nquestions:\n  - {number: 3.0, words: [0, 200]}\n", (3, 14), "integer"),
        ("name: t\nquestions:\n  - {number: 100000, words: [0, 200]}\n", (3, 14), "500"),
        ("name: t\nquestions:\n  - {number: 3, images: [0, 1.5]}\n", (3, 29), "integer"),
        ("name: t\nofficial_skip_chars: false\n", (2, 22), "integer"),
        (
            "name: t\nplaceholders:\n  - {id: a, pattern: x, message: m, questions: [true]}\n",
            (3, 49),
            "integer",
        ),
        ("name: t\nextends: dtu-mlops-31q-2026\nchecklist:\n  min_words: true\n", (4, 14), "integer"),
        (
            "name: t\nextends: dtu-mlops-31q-2026\nchecklist:\n  rules:\n"
            "    - {id: x, title: x, phrases: [x], evidence: {files: ['*.py'], min_count: 2.0}}\n",
            (5, 78),
            "integer",
        ),
        (
            "name: t\nextends: dtu-mlops-31q-2026\nchecklist:\n  rules:\n"
            "    - {id: x, title: x, phrases: [x], evidence: {files: ['*.py'], min_count: 100000000}}\n",
            (5, 78),
            "1000000",
        ),
    ],
    ids=[
        "huge-count",
        "float-count",
        "exp-string",
        "bool-count",
        "bool-limit",
        "float-number",
        "huge-number",
        "float-limit",
        "bool-skip",
        "bool-question",
        "bool-evidence-words",
        "float-evidence-count",
        "huge-evidence-count",
    ],
)
def test_numbers_are_strict_bounded_integers(
    linted: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    (linted / "pack.yaml").write_text(body)
    line = run_cli(["--rules", "pack.yaml"], linted, timeout=30).error_line()
    assert _located(line, "pack.yaml") == where, line
    assert needle in line


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("kind", ["yaml-config", "pyproject", "pack", "pack-via-config"])
def test_deeply_nested_files_blame_the_right_file(linted: Path, kind: str) -> None:
    args: list[str] = []
    if kind == "yaml-config":
        name = ".report-lint.yaml"
        (linted / name).write_text(f"fail-on: error\nselect: {_nested(1000)}\n")
    elif kind == "pyproject":
        name = "pyproject.toml"
        (linted / name).write_text(f'[tool.report-lint]\nfail-on = "error"\nselect = {_nested(1000)}\n')
    else:
        name = "pack.yaml"
        (linted / name).write_text(
            f"name: deep\nrules:\n  answer-length:\n    options: {{x: {_nested(1000)}}}\n"
        )
        if kind == "pack":
            args = ["--rules", name]
        else:
            (linted / ".report-lint.yaml").write_text(f"rules: {name}\n")
    line = run_cli(args, linted, timeout=30).error_line()
    assert "the report" not in line, line
    assert line.startswith(f"report-lint: error: {name}:"), line
    assert "nested" in line


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        (
            "name: t\nextends: dtu-mlops-31q-2026\nrules:\n  answer-length:\n    options: {max_words: 10}\n",
            (5, 15),
            "takes no options",
        ),
        (
            "name: t\nextends: dtu-mlops-31q-2026\ndetect:\n  question_count: 31\n",
            (3, 1),
            "only built-in packs are detected",
        ),
        (
            "name: t\nextends: dtu-mlops-31q-2026\nrules:\n  image-count: {code: RL201}\n",
            (4, 23),
            "RL201 is already the code of answer-length",
        ),
        (
            "name: t\nextends: dtu-mlops-31q-2026\nsuppressions:\n  forbidden_rules: [RL999]\n",
            (4, 21),
            "no rule of this pack has the code RL999",
        ),
    ],
    ids=["options-ignored", "detect-ignored", "duplicate-code", "forbidden-unknown-code"],
)
def test_fields_that_would_be_ignored_are_errors(
    linted: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    (linted / "pack.yaml").write_text(body)
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == where, line
    assert needle in line


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("reports: []\n", (1, 10), "lists no report"),
        ("select: []\n", (1, 9), "selects no rule"),
        ("rules: dtu-mlops-31q-2062\n", (1, 8), "did you mean 'dtu-mlops-31q-2026'?"),
        ("select: [answer-lenght]\n", (1, 10), "did you mean 'answer-length'?"),
    ],
    ids=["empty-reports", "empty-select", "unknown-pack", "misspelt-rule"],
)
def test_config_values_that_would_be_ignored_are_errors(
    linted: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    (linted / ".report-lint.yaml").write_text(body)
    line = run_cli([], linted).error_line()
    assert _located(line, ".report-lint.yaml") == where, line
    assert needle in line


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("name: t\nextends: dtu-mlops-31q-2026\nplaceholders: []\n", (3, 15), "changes nothing"),
        ("name: t\nextends: dtu-mlops-31q-2026\ntemplate_figures: []\n", (3, 19), "template-figure"),
        ("name: t\nextends: dtu-mlops-31q-2026\nquestions: []\n", (3, 12), "changes nothing"),
        (
            "name: t\nextends: dtu-mlops-31q-2026\nplaceholders:\n  - {id: x, pattern: x, message: m, questions: []}\n",
            (4, 48),
            "restricts the pattern to no question",
        ),
    ],
    ids=["placeholders", "template-figures", "questions", "placeholder-questions"],
)
def test_empty_lists_that_would_be_ignored_are_errors(
    linted: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    (linted / "pack.yaml").write_text(body)
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == where, line
    assert needle in line


def test_config_naming_an_abstract_pack_is_located(linted: Path) -> None:
    (linted / ".report-lint.yaml").write_text("fail-on: error\nrules: dtu-common\n")
    line = run_cli([], linted).error_line()
    assert _located(line, ".report-lint.yaml") == (2, 8), line
    assert "abstract" in line


@pytest.mark.parametrize("name", [".report-lint.yaml", "pyproject.toml"])
def test_configuration_linked_out_of_the_repository_is_never_read(
    linted: Path, tmp_path: Path, name: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("report-lint [tool.report-lint] = = secret contents\n")
    (linted / name).symlink_to(secret)
    line = run_cli([], linted).error_line()
    assert line.startswith(f"report-lint: error: {name}: the configuration is a link"), line
    assert "secret contents" not in line


@pytest.mark.parametrize("name", [".report-lint.yaml", "pyproject.toml"])
def test_huge_configuration_is_refused_unread(linted: Path, name: str) -> None:
    filler = "#" * (2 * 1024 * 1024)
    body = f"fail-on: error\n{filler}\n" if name.endswith(".yaml") else f"# report-lint\n{filler}\n"
    (linted / name).write_text(body)
    line = run_cli([], linted).error_line()
    assert _located(line, name) == (1, 1), line
    assert "larger than" in line


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("pack.yaml", 'name: t\n"x\\n::error::pwned\\e[2J": 1\n'),
        ("pack.yaml", 'name: t\nextends: "base\\r\\n::warning::pwned\\u202e"\n'),
        ("pack.yaml", 'name: t\nrules:\n  "answer-length\\n::error::pwned": {}\n'),
        (".report-lint.yaml", '"colour\\n::error::pwned": 1\n'),
        (".report-lint.yaml", 'select: ["x\\n::error::pwned"]\n'),
    ],
    ids=["pack-key", "pack-extends", "pack-rule", "config-key", "config-value"],
)
def test_file_text_in_errors_cannot_start_a_line(linted: Path, name: str, body: str) -> None:
    (linted / name).write_text(body)
    run = run_cli(["--rules", name] if name == "pack.yaml" else [], linted)
    line = run.error_line()  # exactly one line on stderr
    assert "\x1b" not in line and "\u202e" not in line and "\r" not in line
    assert "::error::pwned" in line or "::warning::pwned" in line  # shown, escaped, mid-line
