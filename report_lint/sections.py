"""Question sections: where each question starts and ends, and where its prompt gives way to its answer.

How a template lays these out is pack data (``structure:``, compiled in ``layout.py``); the DTU template's
``### Question N`` / quoted prompt / ``> Answer:`` is the default.  Works on positioned top-level blocks
for headings and on the physical lines for the line-oriented markers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from report_lint.layout import Layout, Limits, quote_prefix_end
from report_lint.model import SourceLine, StatedLimits
from report_lint.parsing.nodes import Node, Span

# the DTU marker, as ``marker_at`` finds it (kept for callers that know no pack)
_MARKER = re.compile(r"[*_]{0,2}Answer[*_]{0,2}[ \t]*:[*_]{0,2}")


@dataclass(frozen=True)
class Region:
    number: int
    heading: Node
    first: int  # first line after the heading
    last: int  # last line of the section
    label: str = ""  # the number as the heading writes it ("2.1")
    extra: str = ""  # the heading's free text after the number


def plain_text(node: Node) -> str:
    """The text a reader sees in a node (inline markup dropped)."""
    if node.type in ("text", "codespan"):
        return node.raw or str(node.attrs.get("text", ""))
    if node.type in ("softbreak", "linebreak"):
        return " "
    return "".join(plain_text(child) for child in node.children)


def nondecreasing(values: list[int]) -> bool:
    return all(a <= b for a, b in pairwise(values))


def heading_level(node: Node) -> int:
    """A heading's level; 0 for a bold line standing in for one (``**Exercise 3**``)."""
    return int(node.attrs.get("level", 3)) if node.type == "heading" else 0


def _bold_line(block: Node) -> bool:
    if block.type != "paragraph" or block.span.line != block.span.end_line:
        return False
    kids = [c for c in block.children if not (c.type == "text" and not (c.raw or "").strip())]
    return len(kids) == 1 and kids[0].type == "strong"


def _question_heading(block: Node, layout: Layout) -> tuple[str, str] | None:
    heading = layout.spec.heading
    if block.type == "heading":
        if block.attrs.get("setext", False):
            return None
        levels = heading.levels
        if levels is not None and int(block.attrs.get("level", 6)) not in levels:
            return None
    elif not (heading.bold and _bold_line(block)):
        return None
    return layout.heading(plain_text(block))


def regions(
    blocks: list[Node], last_line: int, layout: Layout, lines: list[str], code: set[int]
) -> list[Region]:
    """Question sections: from a question heading to the next one, an ending heading or an end marker."""
    starts: list[tuple[int, Node, str, str]] = []
    enders: list[int] = []
    end_level = layout.spec.answer.end_level
    for block in blocks:
        if block.type not in ("heading", "paragraph"):
            continue
        found = _question_heading(block, layout)
        if found:
            label, extra = found
            # a whole number keys itself (DTU's `Question 04` is question 4, and messages say 4)
            shown = "" if not layout.keys and label.isdigit() else label
            starts.append((layout.key(label), block, shown, extra))
        elif (
            block.type == "heading"
            and not block.attrs.get("setext", False)
            and int(block.attrs.get("level", 6)) <= end_level
        ):
            enders.append(block.span.line)
    out = []
    ordered = nondecreasing(enders)
    for i, (number, heading, label, extra) in enumerate(starts):
        stop = starts[i + 1][1].span.line - 1 if i + 1 < len(starts) else last_line
        if ordered:  # the first ender after the heading, if it comes before ``stop``
            at = bisect_right(enders, heading.span.line)
            if at < len(enders) and enders[at] <= stop:
                stop = enders[at] - 1
        else:  # blocks out of document order (rare parser output): scan, as written first
            for ender in enders:
                if heading.span.line < ender <= stop:
                    stop = ender - 1
                    break
        if layout.end_marker is not None:
            for n in range(heading.span.end_line + 1, stop + 1):
                if n not in code and layout.ends(lines[n - 1]):
                    stop = n - 1
                    break
        out.append(Region(number, heading, heading.span.end_line + 1, stop, label, extra))
    return out


def stated_limits(
    layout: Layout, prompt: list[SourceLine], heading: Node, lines: list[str]
) -> StatedLimits | None:
    """The limits the prompt (or heading) states: the first phrase giving words, the first giving figures."""
    found: list[StatedLimits] = []
    for line in prompt:
        for lim in layout.limits("prompt", line.text):
            found.append(_stated(lim, line.number, line.start_column + lim.start))
    heading_text = plain_text(heading)
    for lim in layout.limits("heading", heading_text):
        physical = lines[heading.span.line - 1] if heading.span.line <= len(lines) else ""
        at = physical.find(lim.text)  # the heading's text lost its markup: find the phrase as written
        found.append(_stated(lim, heading.span.line, at + 1 if at >= 0 else heading.span.column))
    if not found:
        return None
    if len(layout.limit_finders) == 1:
        return found[0]  # one phrase (the DTU template's): its first statement says everything
    words = next((f for f in found if f.min_words is not None or f.max_words is not None), None)
    images = next((f for f in found if f.min_images is not None), None)
    first = words or images
    assert first is not None  # a phrase states words or figures, or finds nothing
    return StatedLimits(
        text=first.text,
        span=first.span,
        min_words=words.min_words if words else None,
        max_words=words.max_words if words else None,
        min_images=images.min_images if images else None,
        max_images=images.max_images if images else None,
    )


def _stated(lim: Limits, line: int, column: int) -> StatedLimits:
    span = Span(line, column, line, column + lim.end - lim.start)
    return StatedLimits(lim.text, span, lim.min_words, lim.max_words, lim.min_images, lim.max_images)


def split_region(
    region: Region,
    lines: list[str],
    code: set[int],
    blocks: list[Node],
    layout: Layout,
    *,
    ordered: bool = False,
    numbers: Sequence[int] | None = None,
) -> tuple[Span | None, list[SourceLine], list[SourceLine], int]:
    """The marker (if any), the prompt lines, the answer lines and the answer's first line.

    ``ordered``: the blocks are in line order, so a section's blocks are found by bisection.
    ``numbers``: line *n*'s number is ``numbers[n - 1]`` (the report's shared int objects, see ``_lines``)."""
    start = layout.start
    if start == "heading":
        return None, [], _lines(numbers, lines, region.first, region.last, code), region.first
    if start in ("blocks", "placeholder"):
        at = bisect_left(blocks, region.first, key=_block_line) if ordered else 0
        return _split_blocks(region, lines, code, blocks[at:] if at else blocks, layout, numbers)
    marker: Span | None = None
    marker_line = 0
    tail: SourceLine | None = None
    for number in range(region.first, region.last + 1) if start == "marker" else ():
        if number in code:
            continue
        match = layout.marker_at(lines[number - 1])
        if match:
            begin = match.start() + 1
            end = match.end() + 1
            marker = Span(number, begin, number, end)
            marker_line = number
            rest = lines[number - 1][match.end() :]
            if rest.strip():
                lead = len(rest) - len(rest.lstrip())
                tail = SourceLine(number, rest.lstrip(), end + lead, False)
            break
    if marker is None:
        # no marker: the prompt is the block quote right after the heading, if any
        prompt_end = region.first - 1
        for block in blocks:
            if region.first <= block.span.line <= region.last and block.type != "blank_line":
                if block.type == "block_quote":
                    prompt_end = block.span.end_line
                    marker = _inline_marker(layout, lines, block.span.line, prompt_end)
                    if marker is not None:
                        rest = lines[marker.line - 1][(marker.end_column or 1) - 1 :]
                        tail = SourceLine(
                            marker.line,
                            rest.lstrip(),
                            (marker.end_column or 1) + len(rest) - len(rest.lstrip()),
                        )
                        answer = ([tail] if rest.strip() else []) + _lines(
                            numbers, lines, marker.line + 1, region.last, code
                        )
                        head = SourceLine(marker.line, lines[marker.line - 1][: marker.column - 1])
                        prompt = [*_lines(numbers, lines, region.first, marker.line - 1, code), head]
                        return marker, prompt, answer, marker.line + 1
                break
        prompt = _lines(numbers, lines, region.first, prompt_end, code)
        answer = _lines(numbers, lines, prompt_end + 1, region.last, code)
        return None, prompt, answer, (answer[0].number if answer else region.last + 1)
    prompt = _lines(numbers, lines, region.first, marker_line - 1, code)
    answer = ([tail] if tail else []) + _lines(numbers, lines, marker_line + 1, region.last, code)
    return marker, prompt, answer, marker_line + 1


def _split_blocks(
    region: Region,
    lines: list[str],
    code: set[int],
    blocks: list[Node],
    layout: Layout,
    numbers: Sequence[int] | None = None,
) -> tuple[Span | None, list[SourceLine], list[SourceLine], int]:
    """The answer starts after the question's prompt blocks, or at an earlier placeholder line (a
    student who deleted part of the prompt); text written above the placeholder is answer too."""
    want = layout.prompt_blocks.get(region.number, layout.spec.answer.prompt_blocks)
    prompt_end = region.first - 1
    seen = 0
    for block in blocks:
        if seen >= want or block.span.line > region.last:
            break
        if block.span.line >= region.first and block.type != "blank_line":
            prompt_end = min(block.span.end_line, region.last)
            seen += 1
    first_answer = prompt_end + 1
    if layout.start == "placeholder":
        for number in range(region.first, prompt_end + 1):
            if number not in code and layout.placeholders(lines[number - 1]):
                first_answer = number
                break
    prompt = _lines(numbers, lines, region.first, first_answer - 1, code)
    return None, prompt, _lines(numbers, lines, first_answer, region.last, code), first_answer


def marker_at(line: str) -> re.Match[str] | None:
    """The ``Answer:`` marker opening ``line``, as ``^[ \t]*(?:>[ \t]?)*[ \t]*`` + ``_MARKER`` finds it
    (the prefix walked in linear time: ``layout.quote_prefix_end``)."""
    return _MARKER.match(line, quote_prefix_end(line))


def _inline_marker(layout: Layout, lines: list[str], first: int, last: int) -> Span | None:
    """An ``Answer:`` a formatter joined onto the end of a prompt line (the last one in the quote)."""
    found = None
    for number in range(first, last + 1):
        for match in layout.inline_markers(lines[number - 1]):
            found = Span(number, match.start() + 1, number, match.end() + 1)
    return found


def _block_line(block: Node) -> int:
    return block.span.line


def _lines(
    numbers: Sequence[int] | None, lines: list[str], first: int, last: int, code: set[int]
) -> list[SourceLine]:
    if numbers is None:
        return [SourceLine(n, lines[n - 1], 1, n in code) for n in range(first, last + 1)]
    # the report's one int object per line (as in the node tree's spans), not a new one per SourceLine:
    # a line number above 256 is a 32-byte object of its own (~1 MB per MB of report)
    return [SourceLine(numbers[n - 1], lines[n - 1], 1, n in code) for n in range(first, last + 1)]
