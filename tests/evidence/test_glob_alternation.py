"""The glob matcher's one combined regex answers exactly as "any of the set's patterns matches" does.

``repo._compiled_matcher`` joins a glob set's pathspec regexes into one alternation (one scan per
listed path instead of one per pattern, issue 11); this holds it to the per-pattern answer on random
glob sets and paths, anchored and not, directory patterns, wildcards and character classes included.
"""

from __future__ import annotations

import random
import re

import pathspec

from report_lint.evidence.repo import _alternation, _compiled_matcher

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
