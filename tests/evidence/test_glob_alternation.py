"""The glob matcher's one combined regex answers exactly as "any of the set's patterns matches" does.

``globmatch._compiled_matcher`` joins a glob set's pathspec regexes into one alternation (one scan per
listed path instead of one per pattern, issue 11); this holds it to the per-pattern answer on random
glob sets and paths, anchored and not, directory patterns, wildcards and character classes included.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pathspec
import pytest

from report_lint.evidence import globmatch, repo
from report_lint.evidence.globmatch import _alternation, _compiled_matcher

PARTS = [
    "src",
    "tests",
    "a",
    "docs",
    "x.py",
    "Dockerfile",
    "*.py",
    "**",
    "*",
    "d?r",
    "[ab]c",
    "req*.txt",
    ".github",
]
NAMES = [
    "src",
    "tests",
    "a",
    "b",
    "docs",
    "x.py",
    "y.yaml",
    "Dockerfile",
    "Dockerfile.api",
    "req.txt",
    "ac",
    "dir",
]


def _per_pattern(globs: tuple[str, ...], path: str) -> bool:
    spec = pathspec.GitIgnoreSpec.from_lines(list(globs))
    return any(p.regex.match(path) is not None for p in spec.patterns if p.include)


def test_combined_matcher_agrees_with_each_pattern() -> None:
    rng = random.Random(11)
    compared = 0
    for _ in range(1500):
        globs = tuple(
            ("/" if rng.random() < 0.2 else "")
            + "/".join(rng.choice(PARTS) for _ in range(rng.randint(1, 3)))
            + rng.choice(["", "", "/"])
            for _ in range(rng.randint(2, 5))
        )
        match = _compiled_matcher(globs)
        for _ in range(20):
            path = "/".join(rng.choice(NAMES) for _ in range(rng.randint(1, 4)))
            assert match(path) == _per_pattern(globs, path), (globs, path)
            compared += 1
    assert compared == 30000


def test_alternation_is_one_regex_without_named_groups() -> None:
    spec = pathspec.GitIgnoreSpec.from_lines(["*.py", "src/", "Dockerfile*"])
    assert {p.regex.flags for p in spec.patterns} == {re.compile("").flags}  # what _alternation compiles with
    combined = _alternation([p.regex.pattern for p in spec.patterns])
    assert combined is not None
    assert combined.groupindex == {}  # pathspec's ps_d groups are plain groups now
    assert combined.match("a/b.py") and combined.match("src/x") and not combined.match("a/b.txt")


def test_remembered_answers_are_the_matchers(monkeypatch: pytest.MonkeyPatch) -> None:
    """``globmatch._selector`` keeps each path's answer (a batch's hand-ins share most paths): asked again,
    in other orders, across memo clearings (a small memo here), negated sets included, it selects
    exactly the paths the matcher accepts (``keep``) or rejects, in the order given."""
    monkeypatch.setattr(globmatch, "MATCH_MEMO", 16)
    rng = random.Random(5)
    for _ in range(300):
        globs = tuple(
            ("!" if i and rng.random() < 0.1 else "")
            + "/".join(rng.choice(PARTS) for _ in range(rng.randint(1, 2)))
            for i in range(rng.randint(1, 4))
        )
        match = _compiled_matcher(globs)
        select = globmatch._selector(globs)
        for _ in range(4):
            paths = ["/".join(rng.choice(NAMES) for _ in range(rng.randint(1, 3))) for _ in range(30)]
            for keep in (True, False):
                assert select(paths, keep) == [p for p in paths if match(p) is keep], (globs, keep)


def test_the_listing_selection_through_the_index(tmp_path: Path) -> None:
    """Two repositories sharing paths, one after the other in one process (a batch worker): each
    index selects from its own listing only, the remembered answers never add a path it lacks."""
    for n, files in enumerate((["src/a.py", "tests/test_a.py", "x.txt"], ["src/a.py", "src/b.py", "y.md"])):
        root = tmp_path / f"r{n}"
        for name in files:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("x\n")
        index = repo.RepoIndex.open(root, use_git=False)
        assert index.glob(["*.py"], ["tests/"]) == sorted(
            f for f in files if f.endswith(".py") and "tests" not in f
        )
