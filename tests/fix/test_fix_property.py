"""Properties of ``--fix`` on generated reports (template-shaped, with fixable and unfixable pieces):

1. one pass changes no byte outside the edits the pass's findings describe (their ranges are computed
   here from the diagnostics' JSON, independently of the engine's own mapping);
2. passes never raise the number of diagnostics;
3. fixing a fixed report changes nothing (idempotent).

In-process (``report_lint.fixes.run.fix_report``, the function ``check --fix`` calls) so a few dozen
examples stay fast; the CLI around it is tested in ``test_fix_cli.py``.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from builders import ReportBuilder, words
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_lint.engine import LintOptions
from report_lint.evidence.walk import WalkSource
from report_lint.fixes import run as fixes
from report_lint.result import ReportResult

FIGURES = ["figures/a.png", "figures/my plot.png", "figures/Case.png", "figures/architecture.png"]
PIECES = [
    "--- question {n} fill here ---",
    "--- fill here ---",
    "[plot](figures/a.png)",
    "[plot](figures/missing.png)",
    "[![x](figures/a.png)](figures/a.png)",
    "![my plot](figures/my plot.png)",
    '![my plot](figures/my plot.png "t")',
    "![c](figures/case.png)",
    "![c](<figures/CASE.png>)",
    "![c](./figures/case.png)",
    "![c](/reports/figures/case.png)",
    "![arch](figures/architecure.png)",
    "![a](figures/a.png)",
    "`[plot](figures/a.png)`",
    "> [plot](figures/a.png)",
    "TODO",
    "[TO DO: numbers]",
    "We used ... for this",
    "",
]
NUMBERS = [5, 7, 14, 19, 20, 21, 29]
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
_BREAK = re.compile(rb"\r\n|\r|\n")


@st.composite
def reports(draw: st.DrawFn) -> bytes:
    answers = {}
    for n in draw(st.lists(st.sampled_from(NUMBERS), max_size=5, unique=True)):
        chosen = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
        if draw(st.booleans()):
            chosen.append(words(draw(st.integers(0, 260)), n))
        answers[n] = "\n".join(p.replace("{n}", str(n)) for p in chosen)
    builder = ReportBuilder(
        fill_words=draw(st.sampled_from([None, 120])),
        answers=answers,
        crlf=draw(st.booleans()),
        keep_placeholder=set(draw(st.lists(st.sampled_from(NUMBERS), max_size=3))),
    )
    data = builder.text().encode("utf-8")
    if draw(st.booleans()):
        data = data.rstrip(b"\r\n")  # no newline at the end
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data


def _byte_offset(data: bytes, line: int, column: int) -> int:
    """Independent of the engine: the byte offset of a document line:column in the file's bytes."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    starts = [start] + [m.end() for m in _BREAK.finditer(data, start)]
    ends = [m.start() for m in _BREAK.finditer(data, start)] + [len(data)]
    text = data[starts[line - 1] : ends[line - 1]].decode("utf-8")
    return starts[line - 1] + len(text[: column - 1].encode("utf-8"))


def _kept_in_order(before: bytes, after: bytes, ranges: list[tuple[int, int]]) -> bool:
    """Whether every byte of ``before`` outside ``ranges`` is in ``after``, in order, as runs."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    cuts = [0] + [x for r in merged for x in r] + [len(before)]
    kept = [before[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2)]
    if len(kept) == 1:  # no edit at all: nothing may change
        return after == before
    if not after.startswith(kept[0]) or not after.endswith(kept[-1]):
        return False
    at, stop = len(kept[0]), len(after) - len(kept[-1])
    if stop < at:
        return False
    for piece in kept[1:-1]:
        found = after.find(piece, at, stop)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def _lint(root: Path, unsafe: bool, passes: int) -> fixes.FixOutcome:
    file = root / "reports" / "README.md"
    return fixes.fix_report(
        file,
        root,
        "reports/README.md",
        LintOptions(),
        unsafe=unsafe,
        source=WalkSource(root),
        max_passes=passes,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=HEALTH)
@given(data=reports(), unsafe=st.booleans())
def test_fix_changes_only_what_its_findings_describe(data: bytes, unsafe: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "reports" / "figures").mkdir(parents=True)
        for name in FIGURES:
            (root / "reports" / name).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
        file = root / "reports" / "README.md"
        file.write_bytes(data)
        previous = None
        for _ in range(fixes.MAX_PASSES):
            # one pass: its findings (the lint of the file as it is) and what it writes
            outcome = _lint(root, unsafe, 1)
            before = file.read_bytes()
            assert outcome.before == before
            if previous is not None:
                assert len(previous.result.diagnostics) >= len(outcome.result.diagnostics)
            offered = [d for d in _first_lint(root).diagnostics if d.fix is not None]
            offered = [d for d in offered if unsafe or (d.fix is not None and d.fix.applicability == "safe")]
            ranges = [
                (_byte_offset(before, e.line, e.column), _byte_offset(before, e.end_line, e.end_column))
                for d in offered
                for e in (d.fix.edits if d.fix is not None else ())
            ]
            assert _kept_in_order(before, outcome.after, ranges)
            if not outcome.changed:
                break
            assert offered and outcome.fixed >= 1
            first = _first_lint(root)
            assert len(outcome.result.diagnostics) <= len(first.diagnostics)
            fixes.write(outcome)
            previous = outcome
        # a fixed report stays as it is
        assert not _lint(root, unsafe, fixes.MAX_PASSES).changed or previous is None


def _first_lint(root: Path) -> ReportResult:
    """The lint of the file as it is on disk (a fix run that applies nothing)."""
    return _lint(root, False, 0).result
