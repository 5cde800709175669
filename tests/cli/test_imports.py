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


@pytest.fixture(scope="module")
def handin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(PROJECT))
    from benchmarks import realshape

    return Path(realshape.make_repo(tmp_path_factory.mktemp("imports") / "handin", 3))


def imported(repo: Path, cache: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules ``python -m report_lint ARGS`` imported (``sys.modules`` at exit)."""
    listing = cache / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(listing), *args],
        cwd=repo,
        capture_output=True,
        env=clean_env({"XDG_CACHE_HOME": str(cache)}),
        timeout=TIMEOUT,
        check=False,
        text=True,
        encoding="utf-8",
    )
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
