"""Text -> :class:`~report_lint.model.Report`: questions, answers, images and links with positions.

Real reports break the template in many ways; this module finds each answer anyway.  It works
on positioned mistune nodes for structure (headings, code blocks, images, links) and on the
physical lines for the template's line-oriented conventions (the ``Answer:`` marker, limits).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from report_lint import official
from report_lint.checklist_scan import scan_checklist
from report_lint.counting import QUOTE_PREFIX, THEMATIC_BREAK, prose_words
from report_lint.layout import Layout, layout_of
from report_lint.model import (
    FrontMatter,
    Image,
    Link,
    OfficialAnswer,
    QuestionSection,
    Report,
    SourceLine,
    code_columns,
    in_ranges,
)
from report_lint.packs.plain import Pack
from report_lint.parsing.markdown import parse_markdown
from report_lint.parsing.nodes import Node, Span
from report_lint.sections import (
    Region,
    heading_level,
    nondecreasing,
    plain_text,
    split_region,
    stated_limits,
)
from report_lint.sections import marker_at as marker_at  # re-exported: where callers have found it
from report_lint.sections import regions as find_regions
from report_lint.source import LineIndex

_HTML_ALT = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)
_FRONT_MATTER_MAX_LINES = 60


def _front_matter(lines: list[str]) -> FrontMatter | None:
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, min(len(lines), _FRONT_MATTER_MAX_LINES)):
        if lines[i].rstrip() in ("---", "..."):
            if i == 1:
                return None
            body = "\n".join(lines[1:i])
            if ":" not in body:
                return None
            return FrontMatter(span=Span(1, 1, i + 1), text=body)
    return None


def html_comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inner text) of each ``<!-- … -->``: what ``re.finditer(r"<!--(.*?)-->", text, re.S)``
    finds, in linear time (the regex rescans to the end from every unclosed ``<!--``)."""
    start = text.find("<!--")
    while start >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            return
        yield start, close + 3, text[start + 4 : close]
        start = text.find("<!--", close + 3)


def _code_lines(blocks: list[Node]) -> set[int]:
    lines: set[int] = set()
    for block in blocks:
        for node in block.walk():
            if node.type == "block_code":
                lines.update(range(node.span.line, node.span.end_line + 1))
    return lines


def _collect_images_links(blocks: list[Node], lines: list[str]) -> tuple[list[Image], list[Link], list[Span]]:
    """Rendered images and links, and the inline code spans (which hold neither)."""
    images: list[Image] = []
    links: list[Link] = []
    code_spans: list[Span] = []
    for block in blocks:
        for node in block.walk():
            if node.type == "codespan":
                code_spans.append(node.span)
            elif node.type == "image":
                images.append(
                    Image(
                        str(node.attrs.get("url", "")),
                        plain_text(node),
                        node.span,
                        "markdown",
                        None,
                        False,
                        node.attrs.get("dest"),
                    )
                )
            elif node.type == "link":
                url = str(node.attrs.get("url", ""))
                links.append(Link(url, plain_text(node), node.span, None, False, node.attrs.get("dest")))
            elif node.type in ("block_html", "inline_html"):
                images.extend(_html_images(node, lines))
    return images, links, code_spans


_IMG_OPEN = re.compile(r"<img\b", re.I)
_SRC = re.compile(r"\bsrc", re.I)
_EQUALS = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>]+")


def img_tags(raw: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, src) of each ``<img … src=… >`` in ``raw``, exactly as the regex
    ``<img\\b[^>]*?\\bsrc\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))[^>]*>`` (re.I, re.S) finds them,
    in linear time: the regex retries its lazy ``[^>]*?`` and every ``src=`` from each ``<img`` (a line of
    unclosed ``<img `` hung).  A failed ``<img`` proves every ``<img`` before its first ``>`` fails too
    (they see the same ``src=`` candidates, or fewer), so the search jumps there."""
    last_gt = raw.rfind(">")
    at = 0
    while True:
        opener = _IMG_OPEN.search(raw, at)
        if opener is None:
            return
        first_gt = raw.find(">", opener.end())
        if first_gt < 0:
            return  # no `>` after this `<img`: no later tag can close either
        found = None
        for src in _SRC.finditer(raw, opener.end(), first_gt):
            found = _src_value(raw, src.end(), last_gt)
            if found is not None:
                break
        if found is None:
            at = first_gt + 1
            continue
        value, end = found
        yield opener.start(), end, value
        at = end


def _src_value(raw: str, after_src: int, last_gt: int) -> tuple[str, int] | None:
    """The value of ``src`` whose name ends at ``after_src`` and the end of its tag, as the regex's
    alternatives ``"…"`` | ``'…'`` | unquoted (then ``[^>]*>``) take them; None if none closes."""
    equals = _EQUALS.match(raw, after_src)
    if equals is None:
        return None
    start = equals.end()
    quote = raw[start : start + 1]
    if quote in ('"', "'"):
        close = raw.find(quote, start + 1)
        if 0 <= close < last_gt:
            return raw[start + 1 : close], raw.find(">", close + 1) + 1
    bare = _UNQUOTED.match(raw, start)
    if bare is not None and bare.end() <= last_gt:
        return bare.group(0), raw.find(">", bare.end()) + 1
    return None


def _html_images(node: Node, lines: list[str]) -> list[Image]:
    found = []
    raw = node.raw
    # where to search next on each line: after the node's start, then after the previous tag found
    cursor: dict[int, int] = {node.span.line: node.span.column - 1}
    lowered: dict[int, str] = {}
    line, counted = node.span.line, 0  # newlines of raw[:counted], counted once in all
    for start, end, src in img_tags(raw):
        whole = raw[start:end]
        alt_match = _HTML_ALT.search(whole)
        alt = next((g for g in alt_match.groups() if g is not None), "") if alt_match else ""
        line += raw.count("\n", counted, start)
        counted = start
        column = 1
        if line - 1 < len(lines):
            tag = whole.split("\n", 1)[0]  # the tag's first line, as written
            at = cursor.get(line, 0)
            col = lines[line - 1].find(tag, at)
            if col < 0:
                if line not in lowered:
                    lowered[line] = lines[line - 1].lower()
                col = lowered[line].find("<img", at)
            column = col + 1 if col >= 0 else node.span.column
            if col >= 0:
                cursor[line] = col + len(tag)
        end_line = line + whole.count("\n")
        found.append(Image(src, alt, Span(line, column, end_line), "html", None, False))
    return found


def _unrendered_images(
    lines: list[str], code: set[int], rendered: list[Image], code_spans: list[Span]
) -> list[Image]:
    """What the checker's regex counts as an image but CommonMark does not render.

    Text inside code (a block, or a `code span` such as the template's own example
    `` `![my_image](figures/<image>.<extension>)` ``) is shown as code: it is no image for any rule,
    even though the checker's regex counts it (``official.py`` keeps that count)."""
    seen = {(img.span.line, img.span.column) for img in rendered}
    in_code_span = code_columns(code_spans)
    found = []
    for number, text in enumerate(lines, start=1):
        if number in code or "![" not in text:
            continue
        spans_here = in_code_span.get(number, ())
        for match in official.CHECKER_IMAGE.finditer(text):
            if (number, match.start() + 1) in seen or in_ranges(match.start() + 1, spans_here):
                continue
            inner = match.group(0)
            alt_end = inner.find("](")
            src = inner[alt_end + 2 : -1] if alt_end >= 0 else ""
            found.append(
                Image(
                    src,
                    inner[2:alt_end],
                    Span(number, match.start() + 1, number, match.end() + 1),
                    "unrendered",
                    None,
                    False,
                    # the path between `](` and the closing `)`
                    Span(number, match.start() + alt_end + 3, number, match.end()) if alt_end >= 0 else None,
                )
            )
    return found


def _place(
    span: Span, regions: list[Region], markers: dict[int, Span | None], *, ordered: bool = False
) -> tuple[int | None, bool]:
    """Which question a position belongs to, and whether it is in that question's prompt.

    ``ordered``: the regions' headings are on strictly increasing lines, so the regions are disjoint
    and only the last one starting at or before ``span`` can hold it (found by bisection).
    """
    candidates = regions
    if ordered:
        at = bisect_right(regions, span.line, key=_region_line) - 1
        candidates = regions[at : at + 1] if at >= 0 else []
    for region in candidates:
        if region.heading.span.line <= span.line <= region.last:
            marker = markers.get(region.number)
            if marker is None:
                return region.number, False
            in_prompt = span.line < marker.line or (
                span.line == marker.line and span.column < (marker.end_column or marker.column)
            )
            return region.number, in_prompt
    return None, False


def build_report(
    text: str,
    *,
    path: str,
    file: Path,
    repo_root: Path,
    had_bom: bool = False,
    official_skip_chars: int = 0,
    expected_questions: int | None = None,
    pack: Pack | None = None,
) -> Report:
    """Parse ``text`` (already decoded and newline-normalised) into a :class:`Report`.

    ``pack`` gives the template's layout (``structure:``); without one, the DTU template's."""
    layout = layout_of(pack)
    lines = text.split("\n")
    front = _front_matter(lines)
    offset_lines = front.span.end_line if front else 0
    body = "\n".join(lines[offset_lines:])
    # one int object per line for the node tree's spans and the sections' lines alike (memory)
    numbers = list(range(1, len(lines) + 1))
    blocks = parse_markdown(body, line_offset=offset_lines, numbers=numbers)
    code = _code_lines(blocks)
    regions = find_regions(blocks, len(lines), layout, lines, code)

    images, links, code_spans = _collect_images_links(blocks, lines)
    images += _unrendered_images(lines, code, images, code_spans)

    index = LineIndex(text)
    checker_text = ("\ufeff" + text) if had_bom else text
    # only a course with DTU's checker has its slices (a generic pack's `Answer:` means nothing to it)
    slices = official.slice_answers(checker_text, official_skip_chars) if layout.spec.course_checker else []
    shift = 1 if had_bom else 0
    slice_lines = [index.line(max(s.start - shift, 0)) for s in slices]
    official_error = None
    if layout.spec.course_checker and expected_questions is not None and len(slices) != expected_questions:
        official_error = (
            f"Number of answers are different from the expected {expected_questions}"
            f" (the course checker finds {len(slices)} and checks nothing)"
        )

    blocks_ordered = nondecreasing([b.span.line for b in blocks])
    markers: dict[int, Span | None] = {}
    sections: list[tuple[Region, Span | None, list[SourceLine], list[SourceLine], int]] = []
    for region in regions:
        marker, prompt, answer, first_answer = split_region(
            region, lines, code, blocks, layout, ordered=blocks_ordered, numbers=numbers
        )
        if layout.start == "marker" or layout.start == "heading" or not prompt:
            markers[region.number] = marker  # the DTU layout places images by the marker alone
        else:
            markers[region.number] = Span(first_answer, 1, first_answer, 1)
        sections.append((region, marker, prompt, answer, first_answer))

    regions_ordered = _increasing([r.heading.span.line for r in regions])
    placed_images = []
    for img in images:
        q, in_prompt = _place(img.span, regions, markers, ordered=regions_ordered)
        placed_images.append(Image(img.src, img.alt, img.span, img.syntax, q, in_prompt, img.dest))
    placed_links = []
    for link in links:
        q, in_prompt = _place(link.span, regions, markers, ordered=regions_ordered)
        placed_links.append(Link(link.url, link.text, link.span, q, in_prompt, link.dest))

    official_answers = tuple(
        OfficialAnswer(
            i,
            s.text,
            s.words,
            s.images,
            slice_lines[i],
            index.line(max(s.start - shift + s.lead + max(len(s.text) - 1, 0), 0)),
        )
        for i, s in enumerate(slices)
    )
    images_of: dict[int | None, list[Image]] = {}
    for img in placed_images:
        images_of.setdefault(img.question, []).append(img)
    links_of: dict[int | None, list[Link]] = {}
    for link in placed_links:
        links_of.setdefault(link.question, []).append(link)
    questions = []
    for region, marker, prompt, answer, first_answer in sections:
        off = _official_for(region, official_answers, official_error)
        questions.append(
            _section(
                region,
                marker,
                prompt,
                answer,
                blocks,
                images_of.get(region.number, []),
                links_of.get(region.number, []),
                off,
                first_answer,
                lines,
                layout,
                blocks_ordered=blocks_ordered,
            )
        )

    comments = tuple(
        (Span(*index.position(start), index.line(end - 1)), inner)
        for start, end, inner in html_comments(text)
        if index.line(start) not in code
    )
    first_q = regions[0].heading.span.line if regions else None
    checklist = scan_checklist(
        lines,
        code,
        stop_line=(first_q or len(lines) + 1),
        start_line=offset_lines + 1,
        tag=layout.spec.checklist_tag,
    )
    return Report(
        path=path,
        file=file,
        repo_root=repo_root,
        text=text,
        lines=tuple(lines),
        front_matter=front,
        blocks=tuple(blocks),
        checklist=tuple(checklist),
        questions=tuple(questions),
        images=tuple(placed_images),
        links=tuple(placed_links),
        html_comments=comments,
        official_answers=official_answers,
        official_error=official_error,
        first_question_line=first_q,
        code_spans=tuple(code_spans),
        had_bom=had_bom,
    )


def _official_for(
    region: Region, answers: tuple[OfficialAnswer, ...], error: str | None
) -> OfficialAnswer | None:
    # the checker judges answer i against question i+1's limits, whatever the headings say
    if error is None:
        index = region.number - 1
        return answers[index] if 0 <= index < len(answers) else None
    # the checker would stop; still show what it would have sliced at this question's marker
    # (answers are in document order: the first one after the heading)
    at = bisect_right(answers, region.heading.span.line, key=_answer_line)
    if at < len(answers) and answers[at].line <= region.last:
        return answers[at]
    return None


def _increasing(values: list[int]) -> bool:
    return all(a < b for a, b in pairwise(values))


def _region_line(region: Region) -> int:
    return region.heading.span.line


def _answer_line(answer: OfficialAnswer) -> int:
    return answer.line


def _has_content(line: SourceLine) -> bool:
    text = QUOTE_PREFIX.sub("", line.text)
    return bool(text.strip()) and not THEMATIC_BREAK.match(text)


def _section(
    region: Region,
    marker: Span | None,
    prompt: list[SourceLine],
    answer: list[SourceLine],
    blocks: list[Node],
    images: list[Image],
    links: list[Link],
    off: OfficialAnswer | None,
    answer_first_line: int,
    lines: list[str],
    layout: Layout,
    *,
    blocks_ordered: bool = False,
) -> QuestionSection:
    heading_text = plain_text(region.heading).strip()
    content = [line for line in answer if _has_content(line)]
    answer_span = None
    if content:
        first, last = content[0], content[-1]
        answer_span = Span(first.number, first.start_column + _indent(first), last.number)
    if blocks_ordered:  # bisect instead of scanning every block for every question
        lo = bisect_left(blocks, answer_first_line, key=_block_line)
        hi = bisect_right(blocks, region.last, lo=lo, key=_block_line)
        answer_blocks = tuple(blocks[lo:hi])
    else:  # the parser can place a block before its predecessor's line: keep document order
        answer_blocks = tuple(b for b in blocks if answer_first_line <= b.span.line <= region.last)
    prompt_span = Span(prompt[0].number, 1, prompt[-1].number) if prompt else None
    prompt_text = "\n".join(QUOTE_PREFIX.sub("", line.text) for line in prompt).strip()
    while answer and not answer[-1].text.strip():
        answer = answer[:-1]
    placeholders = _placeholders(layout, answer)
    words = prose_words(_without(answer, placeholders) if placeholders else answer)
    return QuestionSection(
        number=region.number,
        heading=region.heading.span,
        heading_text=heading_text,
        heading_extra=region.extra,
        heading_level=heading_level(region.heading),
        prompt=prompt_span,
        prompt_text=prompt_text,
        stated_limits=stated_limits(layout, prompt, region.heading, lines),
        marker=marker,
        answer=answer_span,
        answer_lines=tuple(answer),
        answer_blocks=answer_blocks,
        prose_words=words,
        official=off,
        images=tuple(i for i in images if i.question == region.number and not i.in_prompt),
        links=tuple(lk for lk in links if lk.question == region.number and not lk.in_prompt),
        end_line=region.last,
        label=region.label,
        placeholders=tuple(placeholders),
    )


def _placeholders(layout: Layout, answer: list[SourceLine]) -> list[tuple[Span, str]]:
    """The template's answer placeholders left in the answer (``structure.placeholders``)."""
    if not layout.placeholder_res:
        return []
    found = []
    for line in answer:
        if line.in_code:
            continue
        for start, end in layout.placeholders(line.text):
            col = line.start_column + start
            found.append((Span(line.number, col, line.number, line.start_column + end), line.text[start:end]))
    return found


def _without(answer: list[SourceLine], placeholders: list[tuple[Span, str]]) -> list[SourceLine]:
    """The answer with its placeholders blanked out: they are the template's words, not the student's."""
    by_line: dict[int, list[Span]] = {}
    for span, _ in placeholders:
        by_line.setdefault(span.line, []).append(span)
    out = []
    for line in answer:
        text = line.text
        for span in reversed(by_line.get(line.number, [])):
            a, b = span.column - line.start_column, (span.end_column or span.column) - line.start_column
            text = text[:a] + " " * (b - a) + text[b:]
        out.append(SourceLine(line.number, text, line.start_column, line.in_code))
    return out


def _block_line(block: Node) -> int:
    return block.span.line


def _indent(line: SourceLine) -> int:
    stripped = QUOTE_PREFIX.sub("", line.text)
    prefix = len(line.text) - len(stripped)
    return prefix + len(stripped) - len(stripped.lstrip())
