"""``lockread.lock_names`` reads lock files without tomllib: whenever it gives an answer, the text is
valid TOML and the names are tomllib's, in order; lock tools' own layout is answered without tomllib;
and the dependency view (through the real CLI) says the same as before.

The lock files are our own text in uv's and Poetry's layout; the mutations (a line repeated, dropped
or inserted from a list of near-misses, one character inserted, the text cut anywhere) make the
invalid and the unusual cases, thousands of them.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from report_lint.evidence.deps import dependencies
from report_lint.evidence.lockread import lock_names
from report_lint.evidence.repo import RepoIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10: the dependency view's own fallback
    import tomli as tomllib

SHA = "0123456789abcdef" * 4


def uv_lock(rng: random.Random, packages: int) -> str:
    """A lock in the layout uv writes, drawn from ``rng``."""
    out = ["version = 1", "revision = 2", 'requires-python = ">=3.11"', "resolution-markers = ["]
    out += ["    \"python_full_version >= '3.12'\",", "    \"python_full_version < '3.12'\",", "]", ""]
    for i in range(packages):
        name = f"pkg-{rng.randrange(1000)}-{i}"
        out += ["[[package]]", f'name = "{name}"', f'version = "{i}.{rng.randrange(9)}"']
        out.append(
            rng.choice(['source = { registry = "https://pypi.org/simple" }', 'source = { editable = "." }'])
        )
        if rng.random() < 0.6:
            out += ["dependencies = ["]
            out += [
                f'    {{ name = "dep-{j}", marker = "sys_platform == \'win32\'" }},'
                for j in range(rng.randrange(3))
            ]
            out += ['    { name = "last" },', "]"]
        out.append(
            f'sdist = {{ url = "https://files.example/{name}.tar.gz", hash = "sha256:{SHA}", size = {i} }}'
        )
        out += [
            "wheels = [",
            f'    {{ url = "https://files.example/{name}.whl", hash = "sha256:{SHA}", size = 7 }},',
            "]",
        ]
        if rng.random() < 0.3:
            out += ["", "[package.optional-dependencies]", 'dev = [{ name = "pytest" }]', "docs = []"]
        if rng.random() < 0.3:
            out += ["", "[package.metadata]", 'requires-dist = [{ name = "torch", specifier = ">=2" }]']
            out += ['provides-extras = ["dev", "docs"]']
            if rng.random() < 0.5:
                out += [
                    "",
                    "[package.metadata.requires-dev]",
                    'dev = [{ name = "ruff", specifier = ">=0.1" }]',
                ]
        out.append("")
    if rng.random() < 0.3:
        out += ["[manifest]", 'members = ["a", "b"]', ""]
    return "\n".join(out)


def poetry_lock(rng: random.Random, packages: int) -> str:
    out = []
    for i in range(packages):
        out += ["[[package]]", f'name = "Poetry_Pkg.{i}"', f'version = "{i}"', "optional = false"]
        out += [
            'python-versions = ">=3.8"',
            "files = [",
            f'    {{file = "p-{i}.whl", hash = "sha256:{SHA}"}},',
            "]",
            "",
        ]
        if rng.random() < 0.5:
            out += ["[package.dependencies]", 'numpy = ">=1.2"', ""]
    out += ["[metadata]", 'lock-version = "2.0"', 'content-hash = "abc"', ""]
    return "\n".join(out)


NEAR_MISSES = [
    'name = "again"',
    "[[package]]",
    "[package]",
    "[package.metadata]",
    "[package.metadata.requires-dev]",
    "[package.optional-dependencies]",
    "[package.name]",
    "[package.x.y]",
    "[manifest]",
    "[other]",
    "[other.deeper]",
    "package = 1",
    "version = 2",
    "# a comment",
    'quoted = "a\\"b"',
    'tabbed = "a\tb"',
    'ctrl = "a\x01b"',
    "x = { a = 1, a = 2 }",
    'x = { a = "a = 1", b = 2 }',
    "x = { a = 1, }",
    "x = {}",
    'x = ["a",]',
    "x = [",
    "]",
    '    "item"',
    '    "item",',
    '    { name = "y" }',
    '    { name = "y", name = "z" }',
    "   ",
    "n = 01",
    "n = 10",
    "n = -1",
    "b = true",
    "b = True",
    "name = 5",
    'name = ""',
    'a.b = "dotted"',
    '"quoted key" = 1',
    " indented = 1",
    "trailing = 1 ",
]
CHARS = ['"', "\\", "=", "[", "]", "{", "}", ",", " ", "\t", "\n", "#", ".", "\x00", "\r", "x", "0"]


def mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(5)
        at = rng.randrange(len(lines) + 1)
        if op == 0 and lines:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif op == 1 and lines and at < len(lines):
            del lines[at]
        elif op == 2:
            lines.insert(at, rng.choice(NEAR_MISSES))
        elif op == 3 and lines and at < len(lines):
            line = lines[at]
            cut = rng.randrange(len(line) + 1)
            lines[at] = line[:cut] + rng.choice(CHARS) + line[cut:]
        else:
            joined = "\n".join(lines)
            lines = joined[: rng.randrange(len(joined) + 1)].split("\n")
    return "\n".join(lines)


def tomllib_names(text: str) -> list[str] | None:
    """What the dependency view took from tomllib: None for invalid TOML, else the names."""
    try:
        data = tomllib.loads(text)
    except (ValueError, TypeError, RecursionError):  # what the dependency view counts as unreadable
        return None
    packages = data.get("package")
    if not isinstance(packages, list):
        return []
    return [p["name"] for p in packages if isinstance(p, dict) and isinstance(p.get("name"), str)]


@pytest.mark.parametrize("make", [uv_lock, poetry_lock])
def test_lock_layouts_are_read_without_tomllib(make: Callable[[random.Random, int], str]) -> None:
    for seed in range(40):
        text = make(random.Random(seed), seed % 9)
        fast = lock_names(text)
        assert fast is not None, text
        assert fast == tomllib_names(text)


def test_an_answer_is_always_tomllibs() -> None:
    """On thousands of mutated locks: an answer means valid TOML with tomllib's names; the rest is
    left to tomllib (None).  Both kinds occur many times, so neither side of the test is empty."""
    rng = random.Random(11)
    answered = declined = invalid_declined = 0
    for i in range(6000):
        base = (uv_lock if i % 3 else poetry_lock)(rng, rng.randrange(1, 5))
        text = mutate(rng, base)
        fast = lock_names(text)
        expected = tomllib_names(text)
        if fast is None:
            declined += 1
            invalid_declined += expected is None
            continue
        answered += 1
        assert expected is not None, f"accepted invalid TOML:\n{text}"
        assert fast == expected, text
    assert answered > 500 and declined > 1000 and invalid_declined > 500


def test_not_toml_or_cut_off_is_left_to_tomllib(repo: Callable[..., Path]) -> None:
    """A lock cut off inside an array (the read cap) or with a duplicate table is declined by the fast
    reader, and the view says "not valid TOML" exactly as tomllib made it say."""
    cut = 'version = 1\n[[package]]\nname = "a"\nwheels = [\n    { url = "u" },\n'
    twice = 'version = 1\n[[package]]\nname = "a"\n[package.metadata]\n[package.metadata]\n'
    for text in (cut, twice):
        assert lock_names(text) is None
        view = dependencies(RepoIndex.open(repo({"uv.lock": text})))
        assert view.unreadable == {"uv.lock": "not valid TOML"} and not view.names


def test_the_check_through_the_cli_names_the_lock_packages(repo: Callable[..., Path], tmp_path: Path) -> None:
    """Through ``report-lint check``: the lock's packages count and are named as declared in it,
    for a lock the fast reader answers and for one (with a comment) that tomllib reads."""
    from builders import ReportBuilder

    lock = uv_lock(random.Random(3), 4) + '[[package]]\nname = "wandb"\nversion = "0.17"\n'

    found = []
    for text in (lock, "# written by uv\n" + lock):
        assert (lock_names(text) is None) == text.startswith("#")
        items = (
            "* [x] Create a git repository (M5)\n"
            "* [x] Remember to fill out the requirements.txt and requirements_dev.txt file with whatever"
            " dependencies that you are using (M2+M6)\n"
            "* [x] Use Weights & Biases to log training progress and other important metrics/artifacts in"
            " your code (M14)"
        )
        report = ReportBuilder(fill_words=120).text().replace("* [x] Create a git repository (M5)", items)
        root = repo({"uv.lock": text, "reports/README.md": report, "reports/figures/.keep": ""})
        done = subprocess.run(
            [sys.executable, "-m", "report_lint", "check", "--format", "json", "reports/README.md"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        items = json.loads(done.stdout)["reports"][0]["checklist"]
        found.append([(c.get("evidence_found"), c.get("searched")) for c in items])
    assert found[0] == found[1]
    assert "5 dependencies declared in uv.lock" in json.dumps(found[0])
    assert "wandb in uv.lock" in json.dumps(found[0])
