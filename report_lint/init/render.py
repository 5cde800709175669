"""The pack ``init`` writes: YAML with a comment on every section, ``# check:`` on every guess."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from report_lint.init.answers import PHRASES, Answers, phrase_pattern, re2_literal
from report_lint.init.scan import Scheme
from report_lint.model import ChecklistItem
from report_lint.packs.plain import MAX_LIMIT


@dataclass(frozen=True)
class Question:
    number: str
    title: str
    words: tuple[int, int] | None
    images: tuple[int, int] | None
    phrases: tuple[tuple[str, str], ...]
    prompt_blocks: int | None


def _q(value: str) -> str:
    """A YAML single-quoted scalar (patterns: no escapes to think about)."""
    return "'" + value.replace("'", "''") + "'"


def _s(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _number_pattern(scheme: Scheme) -> str:
    numbers = [h.number for h in scheme.headings]
    if any("." in n for n in numbers):
        return r"\d+(?:\.\d+)*[a-z]?"
    if any(not n.isdigit() for n in numbers):
        return r"\d+[a-z]?"
    return r"\d+"


def _canonical(scheme: Scheme, lines: list[str]) -> str:
    first = scheme.headings[0]
    raw = lines[first.node.span.line - 1].strip()
    at = raw.find(first.number, raw.find(first.word) + len(first.word) if first.word else 0)
    head = raw[:at] if at >= 0 else raw
    closing = "**" if raw.startswith("**") else ("__" if raw.startswith("__") else "")
    return head + "{number}" + closing


def _heading(scheme: Scheme, lines: list[str], families: list[Scheme]) -> list[str]:
    word = scheme.word
    pattern = (re2_literal(word) + r"\s*" if word else "") + "(?P<number>" + _number_pattern(scheme) + ")"
    canonical = _canonical(scheme, lines)
    out = ["  heading:"]
    others = [f for f in families if len(f.headings) * 2 >= len(scheme.headings)]
    if others:
        alt = others[0]
        shown = f"{alt.word} {alt.headings[0].number}".strip()
        out.append(
            f"    # check: `{shown}` headings ({len(alt.headings)} of them) could be the questions instead"
        )
    example = canonical.replace("{number}", scheme.headings[0].number)
    out.append(
        f"    # `{example}` starts question {scheme.headings[0].number}; text after the number is its title"
    )
    out.append(f"    pattern: {_q(pattern)}")
    if scheme.level:
        out.append(f"    levels: [{scheme.level}]")
    else:
        out += ["    levels: []  # not a heading: a bold line", "    bold: true"]
    out.append(f"    canonical: {_q(canonical)}")
    return out


def _answer(answers: Answers, end: int, questions: list[Question]) -> list[str]:
    out = ["  answer:"]
    if answers.start == "marker":
        assert answers.marker is not None
        out.append(f"    # every question has the line `{answers.marker_raw}`: the answer starts after it")
        out += [
            "    start: marker",
            f"    marker: {_q(re2_literal(answers.marker))}",
            f"    marker_text: {_s(answers.marker_raw or answers.marker)}",
        ]
    else:
        if answers.start == "placeholder":
            out.append(
                "    # the answer starts at the placeholder; once it is replaced, after the prompt's blocks"
            )
        else:
            out.append("    # check: no marker or placeholder: the answer starts after the prompt's blocks")
        blocks = [q.prompt_blocks for q in questions if q.prompt_blocks is not None]
        common = Counter(blocks).most_common(1)[0][0] if blocks else 1
        out += [f"    start: {answers.start}", f"    prompt_blocks: {common}"]
    out.append(f"    end_level: {end}  # a heading of this level or higher ends an answer")
    return out


def _limits(questions: list[Question]) -> list[str]:
    order = [name for name, _ in PHRASES]  # a figure range before a bare count: "1–2 figures" is a range
    used = sorted({p for q in questions for p in q.phrases}, key=lambda p: (order.index(p[0]), p[1]))
    if not used:
        return ["  limits: []  # the template states no limits"]
    out = ["  # how the template states limits (found in its prompts and headings)", "  limits:"]
    for name, where in used:
        out.append(f"    - pattern: {_q(phrase_pattern(name))}  # {name}")
        if where != "prompt":
            out.append(f"      where: {where}")
    return out


def _question(q: Question, scheme: Scheme, common_blocks: int | None, start: str) -> str:
    number = _s(q.number) if not q.number.isdigit() or scheme.dotted else q.number
    parts = [f"number: {number}"]
    if q.title:
        parts.append(f"title: {_s(q.title)}")
    if q.words:
        parts.append(f"words: [{q.words[0]}, {q.words[1]}]")
    if q.images:
        parts.append(f"images: [{q.images[0]}, {q.images[1]}]")
    if start != "marker" and q.prompt_blocks is not None and q.prompt_blocks != common_blocks:
        parts.append(f"prompt_blocks: {q.prompt_blocks}")
    line = "  - {" + ", ".join(parts) + "}"
    if q.words and q.words[1] == MAX_LIMIT:
        line += "  # check: `at least` with no maximum"
    return line


def render(
    *,
    name: str,
    template: str,
    scheme: Scheme,
    end: int,
    answers: Answers,
    questions: list[Question],
    figures: list[tuple[str, str]],
    checklist: list[ChecklistItem],
    tag: str,
    parent: str | None,
    families: list[Scheme],
    lines: list[str] | None = None,
) -> str:
    text_lines = lines or []
    out = [
        f"# Rule pack for {template}, written by `report-lint init` from the blank template.",
        "# Lines marked `# check:` are guesses: confirm or correct them.",
        "# Try it: report-lint check --rules THIS_FILE path/to/report.md (docs/writing-a-pack.md)",
        f"name: {name}",
        f"description: {_s('Report template ' + template + '.')}",
    ]
    if parent:
        out += _dtu(parent, questions, figures)
        return "\n".join(out) + "\n"
    out += [
        f"question_count: {len(questions)}",
        "# words as a reader sees them: no code, URLs, image markup, comments or the template's placeholders",
        "count_mode: prose",
        "",
        "structure:",
        *_heading(scheme, text_lines, families),
        *_answer(answers, end, questions),
        *_limits(questions),
    ]
    if answers.placeholders:
        out.append(
            "  # what the template leaves where an answer goes: not counted as words, reported if left"
        )
        out.append("  placeholders:")
        out += [f"    - {_q(re2_literal(p))}" for p in answers.placeholders]
    if tag != "M":
        out.append(f"  checklist_tag: {tag}  # checklist items end with a tag such as ({tag}1)")
    blocks = [q.prompt_blocks for q in questions if q.prompt_blocks is not None]
    common = Counter(blocks).most_common(1)[0][0] if blocks else None
    out += ["", "# the limits each question states (words: [min, max], images: [min, max])", "questions:"]
    out += [_question(q, scheme, common, answers.start) for q in questions]
    if not any(q.words or q.images for q in questions):
        out.append("# check: no question states a limit; add `words: [min, max]` where one applies")
    out += _figure_lines(figures)
    out += _checklist_lines(checklist)
    return "\n".join(out) + "\n"


def _figure_lines(figures: list[tuple[str, str]]) -> list[str]:
    if not figures:
        return []
    out = [
        "",
        "# the template's example figures: a report that still shows one is reported",
        "template_figures:",
    ]
    out += [f"  - {{name: {_s(name)}, sha256: {digest}}}" for name, digest in figures]
    return out


def _checklist_lines(items: list[ChecklistItem]) -> list[str]:
    if not items:
        return []
    out = [
        "",
        f"# The template's checklist ({len(items)} items). To check claims against the repository, add rules",
        '# under `checklist:` (docs/writing-a-pack.md, "The checklist"); the items, with their tags:',
    ]
    for item in items:
        tag = f" ({item.module_tag})" if item.module_tag else ""
        text = re.sub(r"\s*\([^)]*\)\s*$", "", item.text) if item.module_tag else item.text
        out.append(f"#   - {text[:100]}{tag}")
    return out


def _dtu(parent: str, questions: list[Question], figures: list[tuple[str, str]]) -> list[str]:
    from report_lint.packs.loader import load_pack

    pack = load_pack(parent)
    out = [
        f"# a DTU 02476 template: {parent} has its layout, limits, placeholders and checklist",
        f"extends: {parent}",
    ]
    differ = []
    for q in questions:
        if not q.number.isdigit():
            continue
        spec = pack.question(int(q.number))
        if spec is None:
            continue
        want = spec.stated_words or spec.words
        if q.words and want and (want.min, want.max) != q.words:
            row = f"  - {{number: {q.number}, words: [{q.words[0]}, {q.words[1]}]}}"
            differ.append(f"{row}  # check: {parent} has {want}")
    if differ:
        out += ["", "# the template states other limits than the built-in pack:", "questions:", *differ]
    known = {f.sha256 for f in pack.template_figures}
    new = [(n, d) for n, d in figures if d not in known]
    out += _figure_lines(new)
    return out
