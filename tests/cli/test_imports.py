"""What ``report-lint check`` imports (issue 11, the hook's start-up): only what a lint needs.

The real CLI (``python -m report_lint``, run by :mod:`runpy` as ``-m`` does) in a subprocess, in a
real-shaped hand-in (a committed git repository, ``benchmarks/realshape.py``); ``sys.modules`` is
written out at exit.  Not ``-X importtime``: it does not list what ``importlib.import_module`` loads
(the checks and formatters).  Each forbidden family cost start-up time on every pre-commit run before
it was made lazy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile.conftest import TIMEOUT, clean_env

PROJECT = Path(__file__).resolve().parents[2]
# `python -m report_lint ARGS`, and sys.modules into the file named first, at exit
_PROBE = (
    "import atexit, json, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "atexit.register(lambda: open(out, 'w').write(json.dumps(sorted(sys.modules))))\n"
    "sys.argv[0] = 'report-lint'\n"
    "runpy.run_module('report_lint', run_name='__main__', alter_sys=True)\n"
)

# subcommands and options `check` does not run: their modules must not load for it
NOT_FOR_CHECK = ("report_lint.init", "report_lint.batch", "report_lint.lsp", "report_lint.fixes")
# validation: only when a pack or the configuration has to be validated (a cache miss)
VALIDATION = (
    "pydantic",
    "pydantic_core",
    "report_lint.packs.models",
    "report_lint.evidence.models",
    "report_lint.config_model",
    "importlib.metadata",  # pydantic's plugin loader
)


@pytest.fixture(scope="module")
def handin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(PROJECT))
    from benchmarks import realshape

    return Path(realshape.make_repo(tmp_path_factory.mktemp("imports") / "handin", 3))


def run_python(repo: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in ``repo``, with ``cache`` as the cache home and no inherited git state."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=repo,
        capture_output=True,
        env=clean_env({"XDG_CACHE_HOME": str(cache)}),
        timeout=TIMEOUT,
        check=False,
        text=True,
        encoding="utf-8",
    )


def imported(repo: Path, cache: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules ``python -m report_lint ARGS`` imported (``sys.modules`` at exit)."""
    listing = cache / "modules.json"
    proc = run_python(repo, cache, "-c", _PROBE, str(listing), *args)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    modules = set(json.loads(listing.read_text(encoding="utf-8")))
    assert "report_lint.cli" in modules, proc.stderr[-2000:]  # the probe sees our own imports
    return modules, proc


def family(modules: set[str], *names: str) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_check_imports_no_other_subcommand(handin: Path, tmp_path: Path, warm: bool) -> None:
    if warm:
        imported(handin, tmp_path, "check")  # fills the cache
    modules, proc = imported(handin, tmp_path, "check")
    assert "RL5" in proc.stdout  # a real lint ran: the checklist evidence reported something
    assert family(modules, *NOT_FOR_CHECK) == []
    if warm:  # the built-in packs come from the plain snapshot
        assert family(modules, *VALIDATION) == []
    else:  # the first run validates them: the probe sees pydantic when it is there
        assert "pydantic" in modules and "report_lint.packs.models" in modules
    # the text format only: json, sarif, github and summary are for other runs
    assert family(modules, "report_lint.formatters") == [
        "report_lint.formatters",
        "report_lint.formatters.text",
    ]


def test_check_json_imports_only_its_formatter(handin: Path, tmp_path: Path) -> None:
    modules, _ = imported(handin, tmp_path, "check", "--format", "json")
    assert family(modules, "report_lint.formatters") == [
        "report_lint.formatters",
        "report_lint.formatters.json_format",
    ]
    assert family(modules, *NOT_FOR_CHECK) == []


def test_the_probe_sees_an_option_that_needs_more(handin: Path, tmp_path: Path) -> None:
    # --diff runs the fix engine: the same probe must find it (the tests above can fail)
    modules, _ = imported(handin, tmp_path, "check", "--diff")
    assert "report_lint.fixes.run" in modules
    assert family(modules, "report_lint.init", "report_lint.batch", "report_lint.lsp") == []


def test_warm_and_cold_runs_print_the_same(handin: Path, tmp_path: Path) -> None:
    _, cold = imported(handin, tmp_path, "check", "--format", "json")
    _, warm = imported(handin, tmp_path, "check", "--format", "json")
    assert cold.stdout == warm.stdout and json.loads(cold.stdout)["reports"][0]["diagnostics"]


def test_a_corrupt_snapshot_is_ignored_and_rebuilt(handin: Path, tmp_path: Path) -> None:
    _, first = imported(handin, tmp_path, "check")
    snapshot = tmp_path / "report-lint" / "builtin-packs.pickle"
    assert snapshot.is_file()
    snapshot.write_bytes(b"\x80\x05not a pickle at all")
    modules, again = imported(handin, tmp_path, "check")
    assert again.stdout == first.stdout
    assert "pydantic" in modules  # validated again ...
    modules, warm = imported(handin, tmp_path, "check")
    assert warm.stdout == first.stdout and family(modules, *VALIDATION) == []  # ... and stored again


def test_a_repository_pack_file_is_read_fresh_after_an_edit(handin: Path, tmp_path: Path) -> None:
    pack = tmp_path / "course.yaml"  # outside the hand-in: the tool never writes into the repository
    pack.write_text("name: course\nextends: dtu-mlops-31q-2026\n", encoding="utf-8")
    _, before = imported(handin, tmp_path, "check", "--rules", str(pack))
    assert "pack course" in before.stdout
    pack.write_text(
        "name: course\nextends: dtu-mlops-31q-2026\nrules:\n  handin-render: {enabled: false}\n",
        encoding="utf-8",
    )
    _, after = imported(handin, tmp_path, "check", "--rules", str(pack))
    assert "RL601" in before.stdout and "RL601" not in after.stdout


def test_a_configuration_file_is_validated_once(handin: Path, tmp_path: Path) -> None:
    # a copy of the hand-in with a configuration file (the shared one stays as the other tests see it)
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(handin), str(repo)], check=True, timeout=TIMEOUT)
    config = repo / ".report-lint.yaml"
    config.write_text("ignore: [handin-render]\nfail-on: warning\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cold_modules, cold = imported(repo, cache, "check")
    warm_modules, warm = imported(repo, cache, "check")
    assert "RL601" not in cold.stdout and cold.returncode == 1  # the settings took effect
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode
    assert "report_lint.config_model" in cold_modules
    assert family(warm_modules, *VALIDATION) == []
    config.write_text("fail-on: error\n", encoding="utf-8")  # an edit is validated afresh
    _, edited = imported(repo, cache, "check")
    assert "RL601" in edited.stdout and edited.returncode == 0
    config.write_text("fail-on: sometimes\n", encoding="utf-8")
    for _ in range(2):  # an error is never cached: located and worded the same every time
        bad = run_python(repo, cache, "-m", "report_lint", "check")
        assert bad.returncode == 2 and bad.stderr.startswith("report-lint: error: .report-lint.yaml:1:")
        assert "fail-on" in bad.stderr and len(bad.stderr.splitlines()) == 1


def test_a_course_pack_chain_is_merged_once(handin: Path, tmp_path: Path) -> None:
    # another course's pack (a chain: course.yaml -> base.yaml -> a built-in pack), outside the hand-in
    packs = tmp_path / "packs"
    packs.mkdir()
    course, base = packs / "course.yaml", packs / "base.yaml"
    course.write_text("name: course\nextends: base\n", encoding="utf-8")
    base.write_text("name: base\nextends: dtu-mlops-31q-2026\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cold_modules, cold = imported(handin, cache, "check", "--rules", str(course))
    warm_modules, warm = imported(handin, cache, "check", "--rules", str(course))
    assert "pack course" in cold.stdout and "RL601" in cold.stdout
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode
    assert "pydantic" in cold_modules and family(warm_modules, *VALIDATION) == []
    # an edit in the middle of the chain takes effect on the next run, validated afresh
    base.write_text(
        "name: base\nextends: dtu-mlops-31q-2026\nrules:\n  handin-render: {enabled: false}\n",
        encoding="utf-8",
    )
    edited_modules, edited = imported(handin, cache, "check", "--rules", str(course))
    assert "RL601" not in edited.stdout and "pydantic" in edited_modules
    # a mistake after the chain was stored is reported at its line every time, never served from the cache
    base.write_text("name: base\nextends: dtu-mlops-31q-2026\nrulez: {}\n", encoding="utf-8")
    for _ in range(2):
        bad = run_python(handin, cache, "-m", "report_lint", "check", "--rules", str(course))
        assert bad.returncode == 2 and "base.yaml:3:1: rulez: unknown key" in bad.stderr, bad.stderr
        assert len(bad.stderr.splitlines()) == 1
