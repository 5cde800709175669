"""Checklist items: ``* [x] Text (M5)`` lines before the first question, wrapped items joined.

Line-oriented on purpose: groups write boxes CommonMark does not know (``[✅]``, ``- ❌``,
``[~]``), and the checklist is the one part of the template that is a plain list of lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

from report_lint.model import ChecklistItem, CheckState
from report_lint.parsing.nodes import Span

# Every pattern here reads one line and has one way to split it: ``\[[ \t]*[^\]\n]{0,3}?[ \t]*\]`` (a
# box holding blanks and up to 3 other characters) tried every split of a run of blanks before failing
# (a 20k-blank line took 6 s), so the box is written as blanks, then at most 3 characters that start
# and end with a non-blank, then blanks (only after those: two runs of blanks must never meet).
_N = r"[^\]\n \t]"
_BOXES = r"\[[ \t]*(?:" + _N + r"(?:[^\]\n]?" + _N + r")?[ \t]*)?\]|✅|☑️?|✔️?|✓|❌|✖️?|✗|✘|☐|⬜"
_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\*\*|__)?(?P<box>"
    + _BOXES
    + r")(?:\*\*|__)?[ \t]*(?P<text>.*)$"
)
# "[x] Text" without a bullet, as some groups write
_BARE = re.compile(r"^(?P<indent>[ \t]*)(?P<box>\[[ \t]*(?:[xX✅✔~-][ \t]*)?\])[ \t]+(?P<text>\S.*)$")
_NEW_BLOCK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,3}[.)][ \t]|>|```|~~~|\|)")
# the title is stripped of trailing blanks and `#` by its user (a lazy `.*?` before `[ \t#]*$` rescans)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<title>.*)$")
_MODULE_TAG = re.compile(r"\(\s*(M\d+(?:\s*[+,&/]\s*M\d+)*)\s*\)")
_MODULE = re.compile(r"M\d+")
_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")

_CHECKED = {"x", "✅", "☑", "☑️", "✔", "✔️", "✓"}
_UNCHECKED = {"", "❌", "✖", "✖️", "✗", "✘", "☐", "⬜"}


def _state(box: str) -> CheckState:
    inner = box[1:-1].strip() if box.startswith("[") else box
    if inner.lower() in _CHECKED:
        return "checked"
    if inner in _UNCHECKED:
        return "unchecked"
    return "partial"


@lru_cache(maxsize=16)
def _tag_patterns(tag: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The trailing ``(M5)`` / ``(M2+M6)`` tag and one module in it, for the pack's tag letters."""
    if tag == "M":
        return _MODULE_TAG, _MODULE
    one = re.escape(tag) + r"\d+"
    return re.compile(r"\(\s*(" + one + r"(?:\s*[+,&/]\s*" + one + r")*)\s*\)"), re.compile(one)


def scan_checklist(
    lines: list[str], code: set[int], *, stop_line: int, start_line: int = 1, tag: str = "M"
) -> list[ChecklistItem]:
    """Checklist items from ``start_line`` to before ``stop_line``; ``tag``: the letters of item tags."""
    items: list[ChecklistItem] = []
    section: str | None = None
    number = start_line
    last = min(stop_line - 1, len(lines))
    while number <= last:
        text = lines[number - 1]
        if number in code:
            number += 1
            continue
        heading = _HEADING.match(text)
        if heading:
            section = heading.group("title").rstrip(" \t#").strip() or section
            number += 1
            continue
        match = _ITEM.match(text) or _BARE.match(text)
        if not match:
            number += 1
            continue
        parts = [match.group("text").strip()]
        end = number
        while end + 1 <= last and (end + 1) not in code:
            nxt = lines[end]
            if not nxt.strip() or _NEW_BLOCK.match(nxt) or _BARE.match(nxt):
                break
            parts.append(nxt.strip())
            end += 1
        items.append(_item(match, parts, number, end, section, tag))
        number = end + 1
    return items


def _item(
    match: re.Match[str], parts: list[str], first: int, last: int, section: str | None, letters: str = "M"
) -> ChecklistItem:
    raw = " ".join(p for p in parts if p)
    tag_re, module_re = _tag_patterns(letters)
    tags = list(tag_re.finditer(raw))
    tag = tags[-1].group(1) if tags else None
    modules = tuple(module_re.findall(tag)) if tag else ()
    text = _MARKUP.sub("", raw).strip()
    column = len(match.group("indent")) + 1
    return ChecklistItem(
        state=_state(match.group("box")),
        mark=match.group("box"),
        text=text,
        module_tag=re.sub(r"\s+", "", tag) if tag else None,
        modules=modules,
        span=Span(first, column, last),
        section=section,
    )
