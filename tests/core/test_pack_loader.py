"""Rule pack files: validated in one place, every error one located line."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_lint.errors import PackError
from report_lint.packs.loader import load_pack

BASE = """\
name: base
abstract: true
question_count: 3
rules:
  answer-length: {code: RL201, severity: error}
  image-count: {code: RL202, severity: warning}
questions:
  - {number: 1, kind: group-number}
  - {number: 2, words: [10, 20]}
  - {number: 3, words: [5, 50], images: [1, 2]}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(PackError) as info:
        load_pack(str(path))
    return str(info.value)


def test_extends_merges_child_over_parent(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "child.yaml",
        "name: child\nextends: base\nrules:\n  image-count: {severity: error}\n"
        "questions:\n  - {number: 3, words: [0, 60]}\n",
    )
    pack = load_pack(str(child))
    assert pack.name == "child"
    assert pack.question_count == 3
    assert pack.rules["image-count"].severity == "error"
    assert pack.rules["image-count"].code == "RL202"
    q3 = pack.question(3)
    assert q3 is not None and q3.words is not None and q3.images is not None
    assert (q3.words.min, q3.words.max) == (0, 60)
    assert (q3.images.min, q3.images.max) == (1, 2)  # kept from the parent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\nquestions:\n  - {number: 1, words: [10, five]}\n", ":3:"),
        ("name: x\nquestion_count: 3\nbogus: 1\n", ":3:1: bogus: unknown key"),
        ("name: x\nrules:\n  answer-length: {code: rl1, severity: error}\n", "rules.answer-length.code"),
        ("name: x\nquestions:\n  - {number: 2}\n  - {number: 2}\n", "question 2 is listed twice"),
        ("name: x\nquestions:\n  - {number: 1, words: [20, 10]}\n", "min 20 is above max 10"),
        ("name: x\nrules: !!python/object:os.system {}\n", ":2:8: unsupported YAML tag"),
        ("name: x\nname: y\n", ":2:1: duplicate key 'name'"),
        ("name: x\nrules: [\n", "invalid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_errors_are_located(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    message = error_of(path)
    assert expected in message
    assert "\n" not in message
    assert message.startswith(str(path)) or message.startswith("bad.yaml") or "bad.yaml" in message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
        previous = name
    path = write(tmp_path, "bomb.yaml", "name: bomb\n" + "\n".join(lines) + "\n")
    assert "alias bomb" in error_of(path)


def test_extends_loop_and_missing_parent(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: a\nextends: b\n")
    write(tmp_path, "b.yaml", "name: b\nextends: a\n")
    assert "loops" in error_of(tmp_path / "a.yaml")
    orphan = write(tmp_path, "c.yaml", "name: c\nextends: nowhere-pack\n")
    assert "no rule pack named 'nowhere-pack'" in error_of(orphan)


def test_abstract_pack_is_not_usable(tmp_path: Path) -> None:
    path = write(tmp_path, "base.yaml", BASE)
    assert "abstract" in error_of(path)


def test_every_registry_rule_has_a_default_code_and_severity() -> None:
    # derived from the registry: a rule added to CHECKS without a default fails here, not silently
    from report_lint.checks import CHECKS
    from report_lint.packs.merge import default_rules

    assert set(default_rules()) == set(CHECKS) | {"suppression"}
    codes = [d["code"] for d in default_rules().values()]
    assert len(codes) == len(set(codes))


def test_pack_without_rules_gets_every_builtin_rule_with_its_defaults(tmp_path: Path) -> None:
    from report_lint.checks import CHECKS
    from report_lint.packs.merge import default_rules

    pack = load_pack(str(write(tmp_path, "scratch.yaml", "name: scratch\nquestion_count: 3\n")))
    assert list(pack.rules) == [*CHECKS, "suppression"]
    assert {n: (r.code, r.severity) for n, r in pack.rules.items()} == {
        n: (d["code"], d["severity"]) for n, d in default_rules().items()
    }
    # the DTU packs name their rules themselves and keep exactly those codes
    dtu = load_pack("dtu-mlops-31q-2026")
    assert {n: r.code for n, r in dtu.rules.items()} == {n: r.code for n, r in pack.rules.items()}


def test_listed_rules_run_alone_and_take_default_codes(tmp_path: Path) -> None:
    path = write(
        tmp_path, "two.yaml", "name: two\nrules:\n  answer-length: {severity: warning}\n  broken-link: {}\n"
    )
    pack = load_pack(str(path))
    assert {n: (r.code, r.severity) for n, r in pack.rules.items()} == {
        "answer-length": ("RL201", "warning"),
        "broken-link": ("RL403", "warning"),
    }


def test_empty_rules_in_an_extending_pack_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "child.yaml", "name: child\nextends: dtu-mlops-31q-2026\nrules: {}\n")
    message = error_of(path)
    assert ":3:8: rules: an empty mapping changes nothing" in message


def test_extends_by_relative_path(tmp_path: Path) -> None:
    write(tmp_path, "BASE.yaml", BASE)  # not found by name `base`: a path names the file itself
    (tmp_path / "sub").mkdir()
    child = write(tmp_path, "sub/child.yaml", "name: child\nextends: ../BASE.yaml\n")
    assert load_pack(str(child)).question_count == 3
    missing = write(tmp_path, "sub/orphan.yaml", "name: orphan\nextends: ../nowhere.yaml\n")
    assert ":2:10: extends: pack file ../nowhere.yaml not found" in error_of(missing)


def test_duplicate_code_blames_the_file_that_set_it(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path, "child.yaml", "name: child\nextends: base\nrules:\n  answer-length: {code: RL202}\n"
    )
    assert ":4:25: rules.answer-length.code: RL202 is already the code of image-count" in error_of(child)


def test_detect_in_a_builtin_pack_is_still_allowed() -> None:
    assert load_pack("dtu-mlops-31q-2026").detect is not None


def test_extends_through_a_symlink_loop_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    child = write(tmp_path, "child.yaml", "name: child\nextends: loop\n")
    with pytest.raises(PackError, match=r"child\.yaml:2:10: extends: pack file loop not found"):
        load_pack(str(child), root=tmp_path)
