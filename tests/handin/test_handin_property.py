"""Property: for generated answers, handin-render reports nothing exactly when the two renderings agree.

The oracle (``oracle.py``) is independent of the rule's code: stock mistune's HTML renderer with its GFM
plugins for GitHub, ``markdown.markdown`` for the hand-in, and its own projection of both pages.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_lint.build import build_report
from report_lint.checks import handin_render
from report_lint.checks.base import CheckContext
from report_lint.model import Report
from report_lint.packs.loader import load_pack
from tests.builders import ReportBuilder
from tests.handin.oracle import agree

PACK = load_pack("dtu-mlops-31q-2026")


def build_for_test(text: str, root: Path) -> tuple[Report, CheckContext]:
    report = build_report(text, path="reports/README.md", file=root / "reports" / "README.md", repo_root=root)
    ctx = CheckContext(pack=PACK, rule="handin-render", options={}, count_mode="official", repo_root=root)
    return report, ctx


_WORD = st.sampled_from(["model", "data", "tests", "docker", "cloud", "sweep", "runs", "team"])
_TEXT = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)


@st.composite
def _block(draw: st.DrawFn) -> str:
    text = draw(_TEXT)
    kind = draw(st.integers(0, 15))
    if kind == 0:
        return text
    if kind == 1:  # a list, maybe right after the text
        sep = draw(st.sampled_from(["\n", "\n\n"]))
        items = draw(st.lists(_TEXT, min_size=1, max_size=3))
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "1) "]))
        return text + ":" + sep + "\n".join(marker + i for i in items)
    if kind == 2:  # nested list, 2 or 4 spaces
        indent = draw(st.sampled_from(["  ", "    "]))
        return f"- {text}\n{indent}- {draw(_TEXT)}\n{indent}- {draw(_TEXT)}\n- {draw(_TEXT)}"
    if kind == 3:  # fenced code, maybe with a blank line and a comment inside
        inner = draw(st.sampled_from(["x = 1", "x = 1\n\n# set y\ny = 2", "pip install .\n- not a list"]))
        return f"```python\n{inner}\n```"
    if kind == 4:
        return f"    {text}\n    more = 2"
    if kind == 5:
        return f"| a | b |\n|---|---|\n| {text} | 1 |"
    if kind == 6:
        return f"- [{draw(st.sampled_from([' ', 'x']))}] {text}\n- [ ] {draw(_TEXT)}"
    if kind == 7:
        return f"{text} ~~{draw(_WORD)}~~ {draw(_WORD)}"
    if kind == 8:
        return f"see https://example.org/{draw(_WORD)} now"
    if kind == 9:
        return f"see <https://example.org/{draw(_WORD)}> now"
    if kind == 10:
        return f"![{text}](figures/{draw(_WORD)}{draw(st.sampled_from(['', ' v2']))}.png)"
    if kind == 11:
        return draw(st.sampled_from(["#### ", "#"])) + text
    if kind == 12:
        return f"3. {text}\n4. {draw(_TEXT)}"
    if kind == 13:
        return draw(
            st.sampled_from(
                [
                    '<iframe src="x"></iframe>',
                    "<details>\n<summary>s</summary>\n\n- a\n\n</details>",
                    f'{text} <del>{text}</del> and <img src="figures/a.png">',
                    '<p align="center">\n<img src="figures/b.png" width="400">\n</p>',
                    f'see <a href="https://example.org/x">{text}</a>',
                ]
            )
        )
    if kind == 14:
        return f"{text} [{draw(_WORD)}](https://example.org/{draw(_WORD)})"
    return f"1. {text}\n\n    indented under the item\n2. {draw(_TEXT)}"


_ANSWER = st.lists(st.tuples(_block(), st.sampled_from(["\n", "\n\n"])), min_size=1, max_size=4).map(
    lambda parts: "".join(block + sep for block, sep in parts).strip("\n")
)


@settings(
    max_examples=int(os.environ.get("HANDIN_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(answer=_ANSWER)
def test_no_diagnostic_exactly_when_renderings_agree(answer: str, tmp_path: Path) -> None:
    builder = ReportBuilder(answers={5: answer}, fill_words=120)
    report, ctx = build_for_test(builder.text(), tmp_path)
    found = [f for f in handin_render.check(ctx, report) if f.question == 5]
    assert (not found) == agree(answer), (answer, [f.message for f in found])
    q = report.question(5)
    assert q is not None
    for finding in found:
        assert q.heading.line < finding.line <= q.end_line
