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
