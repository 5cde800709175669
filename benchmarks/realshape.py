"""Real-shaped hand-in repositories for the benchmarks and the output guard (our own text, deterministic).

The demo repository is too small to stand for a hand-in.  ``make_repo(path, seed)`` writes and commits
one repository shaped like the 2026 hand-ins (issue 11): a 31-question ``reports/README.md`` of about
650 lines / 40 KB (answers of prose within the stated limits, lists, code blocks, figures, the full
checklist, some items ticked), and around it about 85 files: Python packages in ``src/`` and
``tests/``, ``configs/*.yaml``, GitHub workflows, Dockerfiles, ``pyproject.toml``, a lock file,
``.dvc`` files, PNG/JPEG figures; about 130 KB of text.  ``files`` fixes the number of tracked files
(50, 200, 1,000...); ``ignored`` adds that many git-ignored files (``data/cache/``).

``make_class(root, n)`` writes ``root/cloned_repos/group_<i>/repo`` for ``i < n`` with sizes drawn
like a course's hand-ins (median ≈ 85 files, p90 ≈ 230, a few over 1,000).  Every byte depends only
on the seed: the same call gives the same repositories, commits included.

Run as a script to write one:  ``python benchmarks/realshape.py DIR [--seed 0] [--files N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import struct
import subprocess
import zlib
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
RULES = PROJECT / "rules"
DATE = "2026-01-20T12:00:00+01:00"

_PROSE_TEXT = (
    "we trained a compact audio model on labelled clips and tracked each run so the team could "
    "compare settings while the pipeline kept data code and configuration together in one place "
    "the service reads the newest weights from storage when the container starts and answers "
    "requests within a few milliseconds most of our trouble came from permissions rather than "
    "from the model itself so we wrote small scripts that check them before a deployment begins"
)
_PROSE = _PROSE_TEXT.split()

_TOOLS = ["typer", "hydra", "wandb", "dvc", "ruff", "pytest", "fastapi", "docker", "uvicorn", "torch"]


def _words(rng: random.Random, n: int) -> str:
    start = rng.randrange(len(_PROSE))
    picked = [_PROSE[(start + i) % len(_PROSE)] for i in range(n)]
    picked[0] = picked[0].capitalize()
    # sentences of 12-20 words
    out, since = [], 0
    for i, word in enumerate(picked):
        since += 1
        if since >= 12 + (i % 9) and i < n - 1:
            out.append(word + ".")
            since = 0
            picked[i + 1] = picked[i + 1].capitalize()
        else:
            out.append(word)
    return " ".join(out) + "."


def png(seed: int, width: int = 64) -> bytes:
    """A valid PNG of ``width`` x 16 pixels (a few hundred bytes to a few KB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((seed * 7 + x * y) % 256 for x in range(width * 3)) for y in range(16))
    header = struct.pack(">IIBBBBB", width, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(seed: int) -> bytes:
    """A JPEG-shaped file: SOI, a JFIF APP0 header, filler, EOI."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + bytes((seed + i) % 251 for i in range(2048)) + b"\xff\xd9"


def _packs() -> tuple[list[dict[str, object]], dict[int, dict[str, object]], list[str]]:
    """The checklist rules, the 31 questions (2024 pack + 2026 changes) and the 2026 detect phrases."""
    checklist = yaml.safe_load((RULES / "dtu-checklist.yaml").read_text(encoding="utf-8"))["checklist"][
        "rules"
    ]
    questions: dict[int, dict[str, object]] = {}
    for name in ("dtu-mlops-31q-2024", "dtu-mlops-31q-2025", "dtu-mlops-31q-2026"):
        data = yaml.safe_load((RULES / f"{name}.yaml").read_text(encoding="utf-8"))
        for q in data.get("questions", []):
            questions.setdefault(q["number"], {}).update(q)
    phrases = yaml.safe_load((RULES / "dtu-mlops-31q-2026.yaml").read_text(encoding="utf-8"))["detect"][
        "phrases"
    ]
    return checklist, questions, phrases


def _checklist(rng: random.Random, rules: list[dict[str, object]]) -> list[str]:
    out = [
        "## Overall project checklist",
        "",
        "Tick what you did; the module tag says where it is taught.",
        "",
    ]
    weeks = [("Week 1", 0.35), ("Week 2", 0.7), ("Week 3", 0.9), ("Extra", 1.0)]
    week = 0
    out += [f"### {weeks[0][0]}", ""]
    for i, rule in enumerate(rules):
        while i / len(rules) >= weeks[week][1] and week < len(weeks) - 1:
            week += 1
            out += ["", f"### {weeks[week][0]}", ""]
        phrase = str(rule["phrases"][0]).replace("*", "s")  # type: ignore[index]
        modules = rule.get("modules") or []
        tag = f" ({', '.join(modules)})" if modules else ""  # type: ignore[arg-type]
        box = "x" if rng.random() < 0.7 else " "
        out.append(f"* [{box}] Make sure the project has {phrase} set up and in use{tag}")
    return [*out, ""]


def _answer(rng: random.Random, number: int, spec: dict[str, object]) -> list[str]:
    if number == 1:
        return [str(rng.randrange(1, 120))]
    if number == 2:
        return [", ".join(f"s{rng.randrange(200000, 260000)}" for _ in range(4))]
    low, high = spec.get("words", (0, 0))  # type: ignore[misc]
    total = rng.randrange(
        int(low) + (int(high) - int(low)) // 4, int(low) + 3 * (int(high) - int(low)) // 4 + 1
    )
    out: list[str] = []
    # prose in one or two paragraphs, a list, sometimes code, figures where asked for
    first = max(total * 2 // 3, 1) if total else 0
    if first:
        out += [_words(rng, first), ""]
    if total - first > 8:
        items = rng.randrange(3, 6)
        per = max((total - first) // items, 1)
        out += [f"* `{rng.choice(_TOOLS)}`: {_words(rng, per)}" for _ in range(items)] + [""]
    if number % 3 == 0:
        tool = rng.choice(_TOOLS)
        out += [
            "```bash",
            f"uv run {tool} --config configs/train.yaml",
            f"docker build -f dockerfiles/{tool}.dockerfile .",
            f"dvc pull data/{tool}.dvc",
            "```",
            "",
        ]
    images = spec.get("images", (0, 0))
    for i in range(int(images[0]) if images[0] else (1 if number in (16, 25) else 0)):  # type: ignore[index]
        out += [f"![{spec.get('title', 'figure')} {i + 1}](figures/q{number}_{i + 1}.png)", ""]
    return out[:-1] if out and out[-1] == "" else out


def report(seed: int) -> str:
    """The 31-question report of hand-in ``seed``."""
    rng = random.Random(f"report-{seed}")
    checklist, questions, phrases = _packs()
    lines = [
        "# Exam template for 02476 Machine Learning Operations",
        "",
        f"Hand-in of group {seed}.",
        "",
        "Each answer replaces the line ```--- question N fill here ---``` under its question;",
        "figures live in `figures/` and are shown with ```![caption](figures/<image>.<extension>)```.",
        "",
        *_checklist(rng, checklist),
        "## Group information",
        "",
    ]
    for number in range(1, 32):
        spec = questions[number]
        title = str(spec.get("title", f"part {number}"))
        if number == 22:
            lines += ["## Cloud", ""]
        if number == 29:
            lines += ["## Overall discussion of project", ""]
        extra = ""
        if number == 3:
            extra = f" Mention any {phrases[0]} you used beyond the course."
        elif number == 26:
            extra = f" Describe the {phrases[1]}."
        elif number == 31:
            extra = f" State whether you {phrases[3]} tools."
        lines += [f"### Question {number}", "", f"> **Explain the {title} of your project.{extra}**", ">"]
        words = spec.get("stated_words", spec.get("words"))
        if words:
            img = spec.get("images")
            more = f" + {img[0]} to {img[1]} screenshots" if img and number == 14 else ""  # type: ignore[index]
            lines += [f"> Recommended answer length: {words[0]}-{words[1]} words{more}.", ">"]  # type: ignore[index]
            lines += ["> Example:", f"> *We used ... for the {title}, and ... helped us.*", ">"]
        lines += ["> Answer:", "", *_answer(rng, number, spec), ""]
    return "\n".join(lines)


def _python(rng: random.Random, name: str, size: int) -> str:
    out = [
        f'"""The {name} module of the project."""',
        "",
        "from __future__ import annotations",
        "",
        "import logging",
        "from pathlib import Path",
        "",
        "log = logging.getLogger(__name__)",
        "",
    ]
    i = 0
    while sum(len(x) + 1 for x in out) < size:
        out += [
            "",
            f"def step_{i}(path: Path, rate: float = 0.{i % 9 + 1}) -> float:",
            f'    """{_words(rng, 10)}"""',
            f'    log.info("step {i} on %s", path)',
            f"    value = rate * {rng.randrange(1, 99)} + len(path.name)",
            "    return value",
            "",
        ]
        i += 1
    return "\n".join(out) + "\n"


def _test(rng: random.Random, name: str) -> str:
    body = [f"def test_{name}_{i}() -> None:\n    assert {i} + {rng.randrange(9)} >= {i}\n" for i in range(6)]
    return f'"""Tests of {name}."""\n\nimport pytest\n\n\n' + "\n\n".join(body)


WORKFLOW = """name: {name}

on:
  push:
    branches: [main]
  pull_request:

jobs:
  {name}:
    runs-on: ${{{{ matrix.os }}}}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest, macos-latest]
        python-version: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v5
        with:
          enable-cache: true
      - run: uv sync --frozen
      - run: uv run {command}
"""

DOCKERFILE = """FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install uv && uv sync --frozen --no-install-project
COPY src/ src/
ENTRYPOINT ["uv", "run", "python", "-m", "project.{entry}"]
"""


def _lock(rng: random.Random, packages: int) -> str:
    out = ["version = 1", 'requires-python = ">=3.11"', ""]
    for i in range(packages):
        name = f"{rng.choice(_TOOLS)}-extra-{i}"
        digest = f"{rng.getrandbits(256):064x}"
        out += [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{i % 7}.{i % 13}.{i % 5}"',
            'source = { registry = "https://pypi.org/simple" }',
            f'sdist = {{ url = "https://files.example/{name}.tar.gz", hash = "sha256:{digest}" }}',
            "",
        ]
    return "\n".join(out)


def files_of(seed: int, files: int | None = None) -> dict[str, bytes]:
    """Every tracked file of hand-in ``seed`` (``files``: exactly that many, else drawn like a class)."""
    rng = random.Random(f"repo-{seed}")
    if files is None:
        files = draw_size(seed)
    out: dict[str, bytes] = {"reports/README.md": report(seed).encode("utf-8")}

    def put(path: str, text: str | bytes) -> None:
        out[path] = text.encode("utf-8") if isinstance(text, str) else text

    put(
        "README.md",
        f"# Project of group {seed}\n\n{_words(rng, 120)}\n\n## Usage\n\n```bash\nuv run train\n```\n",
    )
    put(".gitignore", "data/cache/\n__pycache__/\n*.pyc\n.venv/\nmodels/*.pt\n")
    put(
        "pyproject.toml",
        '[project]\nname = "project"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["torch", "typer", "hydra-core", "wandb", "fastapi"]\n\n'
        '[project.scripts]\ntrain = "project.train:main"\n\n[tool.ruff]\nline-length = 120\n\n'
        '[tool.coverage.run]\nsource = ["src"]\n',
    )
    put("uv.lock", _lock(rng, rng.randrange(90, 160)))
    put(
        ".pre-commit-config.yaml",
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "    rev: v0.6.0\n    hooks:\n      - id: ruff\n      - id: ruff-format\n",
    )
    put(".dvc/config", "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://bucket-data\n")
    put(".dvc/.gitignore", "/config.local\n/tmp\n/cache\n")
    for name in ("data", "models"):
        put(
            f"{name}.dvc",
            f"outs:\n- md5: {rng.getrandbits(128):032x}.dir\n  size: {rng.randrange(10**6, 10**9)}\n"
            f"  nfiles: {rng.randrange(10, 9000)}\n  hash: md5\n  path: {name}\n",
        )
    workflows = 3 if rng.random() < 0.8 else rng.randrange(4, 19)
    commands = ["pytest tests/", "ruff check .", "coverage run -m pytest", "dvc pull", "docker build ."]
    for i in range(workflows):
        name = ["tests", "lint", "coverage", "data", "docker"][i] if i < 5 else f"job{i}"
        put(f".github/workflows/{name}.yaml", WORKFLOW.format(name=name, command=commands[i % len(commands)]))
    for entry in ["train", "api", "frontend"][: rng.randrange(1, 4)]:
        put(f"dockerfiles/{entry}.dockerfile", DOCKERFILE.format(entry=entry))
    put("src/project/__init__.py", "")
    for name in (
        "data",
        "model",
        "train",
        "evaluate",
        "api",
        "visualize",
        "utils",
        "frontend",
        "drift",
        "sweep",
        "profiling",
    ):
        put(f"src/project/{name}.py", _python(rng, name, rng.randrange(1500, 5000)))
    put("tests/__init__.py", "")
    for name in ("data", "model", "train", "api", "utils"):
        put(f"tests/test_{name}.py", _test(rng, name))
    put(
        "tests/performancetests/locustfile.py",
        "from locust import HttpUser, task\n\n\nclass User(HttpUser):\n"
        "    @task\n    def predict(self) -> None:\n        self.client.post('/predict')\n",
    )
    for name in ("train", "model", "data", "sweep"):
        put(
            f"configs/{name}.yaml",
            f"lr: 0.00{rng.randrange(1, 9)}\nbatch_size: {2 ** rng.randrange(4, 8)}\n"
            f"epochs: {rng.randrange(5, 50)}\nseed: {seed}\nname: {name}\n",
        )
    put("docs/mkdocs.yaml", "site_name: project\nnav:\n  - Home: index.md\n")
    put("docs/source/index.md", f"# Documentation\n\n{_words(rng, 200)}\n")
    put("tasks.py", _python(rng, "tasks", 1200))
    put("requirements.txt", "torch\ntyper\nhydra-core\nwandb\nfastapi\n")
    put("requirements_dev.txt", "pytest\ncoverage\nruff\nlocust\n")
    put("LICENSE", "MIT License\n\n" + _words(rng, 160) + "\n")
    figures: list[str] = []
    for number, count in ((14, 3), (16, 1), (19, 2), (20, 1), (21, 1), (25, 1), (29, 1)):
        figures += [f"reports/figures/q{number}_{i + 1}.png" for i in range(count)]
    for i, path in enumerate(figures):
        if rng.random() < 0.93:  # now and then a figure the report names is missing
            put(path, png(seed * 31 + i, 32 + 16 * (i % 4)))
    put("reports/figures/overview.jpg", jpeg(seed))
    # the rest: notebooks, data samples, more modules, up to the drawn size
    i = 0
    while len(out) < files:
        kind = i % 4
        if kind == 0:
            put(f"src/project/extra/part_{i}.py", _python(rng, f"part {i}", rng.randrange(300, 1500)))
        elif kind == 1:
            put(
                f"data/samples/sample_{i}.csv",
                "id,label,score\n" + "".join(f"{j},{j % 5},{rng.random():.3f}\n" for j in range(10)),
            )
        elif kind == 2:
            put(f"notebooks/notes_{i}.md", f"# Note {i}\n\n{_words(rng, 40)}\n")
        else:
            put(f"outputs/run_{i}/metrics.json", f'{{"loss": {rng.random():.4f}, "epoch": {i}}}\n')
        i += 1
    return out


def draw_size(seed: int) -> int:
    """How many files hand-in ``seed`` tracks: median ≈ 85, p90 ≈ 230, about 1 in 100 over 1,000."""
    rng = random.Random(f"size-{seed}")
    u = rng.random()
    if u < 0.5:
        return rng.randrange(55, 86)
    if u < 0.9:
        return rng.randrange(86, 231)
    if u < 0.99:
        return rng.randrange(231, 700)
    return rng.randrange(1000, 1400)


def _git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="Student",
        GIT_AUTHOR_EMAIL="s@example.com",
        GIT_COMMITTER_NAME="Student",
        GIT_COMMITTER_EMAIL="s@example.com",
        GIT_AUTHOR_DATE=DATE,
        GIT_COMMITTER_DATE=DATE,
        GIT_CONFIG_NOSYSTEM="1",
    )
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


def make_repo(path: Path, seed: int, *, files: int | None = None, ignored: int = 0) -> Path:
    """Write and commit hand-in ``seed`` at ``path`` (which must not exist); returns ``path``."""
    path.mkdir(parents=True)
    for rel, data in files_of(seed, files).items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    _git(path, "init", "-q")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "hand-in")
    for i in range(ignored):  # after the commit: git-ignored, never tracked
        directory = path / "data" / "cache" / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            directory.mkdir(parents=True)
        (directory / f"f{i}.bin").write_bytes(b"x")
    return path


def make_class(root: Path, n: int, *, files: int | None = None, ignored_every: int = 0) -> list[Path]:
    """``n`` hand-ins under ``root/cloned_repos/group_<i>/repo``; every ``ignored_every``-th (if set) also
    has 100,000 ignored files."""
    out = []
    for i in range(n):
        ignored = 100_000 if ignored_every and i % ignored_every == ignored_every - 1 else 0
        out.append(
            make_repo(root / "cloned_repos" / f"group_{i:03d}" / "repo", i, files=files, ignored=ignored)
        )
    return out


def shape(path: Path) -> str:
    """A one-line description of a generated repository (files, text bytes, report lines)."""
    tracked = [
        p
        for p in path.rglob("*")
        if p.is_file()
        and ".git" not in p.relative_to(path).parts[:1]
        and "cache" not in p.relative_to(path).parts[1:2]
    ]
    text = sum(p.stat().st_size for p in tracked if p.suffix not in (".png", ".jpg"))
    lines = (path / "reports" / "README.md").read_text(encoding="utf-8").count("\n") + 1
    return f"{len(tracked)} files, {text / 1024:.0f} KB of text, report {lines} lines"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", type=int)
    parser.add_argument("--ignored", type=int, default=0)
    args = parser.parse_args()
    repo = make_repo(args.dir, args.seed, files=args.files, ignored=args.ignored)
    print(f"{repo}: {shape(repo)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
