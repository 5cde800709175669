"""The linear scans that replaced backtracking patterns find exactly what those patterns found.

Each reference below is the pattern as it was (quadratic on long runs of blanks or many ``<img``);
random lines built from the pieces that matter must give the same matches and groups.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from report_lint import checklist_scan
from report_lint.build import img_tags, marker_at
from report_lint.parsing.blocks import trim_atx_closing

HTML_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^>]*>", re.I | re.S)
MARKER = re.compile(
    r"^(?P<prefix>[ \t]*(?:>[ \t]?)*[ \t]*)(?P<marker>[*_]{0,2}Answer[*_]{0,2}[ \t]*:[*_]{0,2})"
)
ATX_TRIM = re.compile(r"(\s+|^)#+\s*$")
_BOXES = r"\[[ \t]*[^\]\n]{0,3}?[ \t]*\]|✅|☑️?|✔️?|✓|❌|✖️?|✗|✘|☐|⬜"
ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\*\*|__)?(?P<box>"
    + _BOXES
    + r")(?:\*\*|__)?[ \t]*(?P<text>.*)$"
)
BARE = re.compile(r"^(?P<indent>[ \t]*)(?P<box>\[[ \t]*[xX✅✔ ~-]?[ \t]*\])[ \t]+(?P<text>\S.*)$")
HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<title>.*?)[ \t#]*$")


def _line(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=14).map("".join)


IMG_PIECES = [
    "<img ",
    "<IMG\t",
    " ",
    "src=",
    "SRC =",
    "=",
    '"',
    "'",
    ">",
    "a",
    "\n",
    "alt=",
    "<imgx",
    "-src=",
    "é",
]
MARKER_PIECES = [" ", "\t", ">", "> ", "Answer:", "**Answer**:", "_", "*", "Answer", ":", "x"]
BOX_PIECES = [
    " ",
    "\t",
    "[",
    "]",
    "x",
    "✅",
    "✔",
    "~",
    "-",
    "*",
    "1.",
    "a",
    "**",
    "#",
    "##",
    "(M5)",
    "❌",
    "ab",
    "\xa0",
]


@given(_line(IMG_PIECES))
def test_img_tags_are_the_regex_matches(raw: str) -> None:
    want = [
        (m.start(), m.end(), next(g for g in m.groups() if g is not None)) for m in HTML_IMG.finditer(raw)
    ]
    assert list(img_tags(raw)) == want


@given(_line(MARKER_PIECES))
def test_marker_is_the_regex_match(line: str) -> None:
    want = MARKER.match(line)
    got = marker_at(line)
    assert (got.span() if got else None) == (want.span("marker") if want else None)


@given(_line(["#", " ", "\t", "a", "\xa0", "\u2003", "b"]).map(lambda t: t.strip(" \t\n\r\x0b\x0c")))
def test_atx_trim_is_mistunes_regex(text: str) -> None:
    assert trim_atx_closing(text) == ATX_TRIM.sub("", text)


@given(_line(BOX_PIECES))
def test_checklist_patterns_are_the_old_ones(line: str) -> None:
    for old, new in ((ITEM, checklist_scan._ITEM), (BARE, checklist_scan._BARE)):
        a, b = old.match(line), new.match(line)
        assert (a and a.group("indent", "box", "text")) == (b and b.group("indent", "box", "text"))
    a, b = HEADING.match(line), checklist_scan._HEADING.match(line)
    assert (a and a.group("title").strip()) == (b and b.group("title").rstrip(" \t#").strip())
