"""The fix engine's own work is linear in the report and the fixes: ten times the fixes, about ten
times the time (a quadratic step — re-slicing the text per edit, rescanning for overlaps — would be a
hundred).  Measured as growth, never as an absolute time."""

from __future__ import annotations

import time

from report_lint.diagnostic import Edit, Fix
from report_lint.fixes.edits import apply, choose


def _case(n: int) -> tuple[str, list[Fix]]:
    raw = "".join(f"line {i} [plot](figures/p{i}.png)\r\n" for i in range(n))
    fixes = [
        Fix("add the missing `!`", (Edit(i + 1, 7 + len(str(i)), i + 1, 7 + len(str(i)), "!"),))
        for i in range(n)
    ]
    fixes += [Fix("delete", (Edit(i + 1, 1, i + 2, 1, ""),)) for i in range(0, n, 7)]  # overlapping ones
    return raw, fixes


def _seconds(n: int) -> float:
    raw, fixes = _case(n)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        out = apply(raw, choose(fixes, raw))
        best = min(best, time.perf_counter() - start)
    assert out.count("![plot]") > n // 2  # the work was done
    return best


def test_fixing_grows_linearly() -> None:
    small, large = _seconds(2_000), _seconds(20_000)
    assert large / max(small, 1e-6) < 30, (small, large)
