"""Turning a blank template into a commented rule pack (``draft``); see the package docstring."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from report_lint.init.answers import Answers, Stated, find_answers, stated
from report_lint.init.render import Question, render
from report_lint.init.scan import Scheme, end_level, parse, schemes, sections
from report_lint.packs.plain import MAX_LIMIT
from report_lint.sections import plain_text

# a DTU template: the detected built-in pack scores at least this (its question count and a phrase)
_DTU_SCORE = 120
_FIGURES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
MAX_FIGURES = 200


class InitError(Exception):
    """The template cannot be turned into a pack (a one-line reason)."""


@dataclass
class Draft:
    """What init found: the pack's text and the summary it prints."""

    text: str
    summary: str
    questions: list[Question] = field(default_factory=list)
    extends: str | None = None


def _figures(template: Path) -> list[tuple[str, str]]:
    folder = template.parent / "figures"
    if not folder.is_dir() or folder.is_symlink():
        return []
    out = []
    for path in sorted(folder.iterdir())[:MAX_FIGURES]:
        if path.suffix.lower() in _FIGURES and path.is_file() and not path.is_symlink():
            out.append((f"figures/{path.name}", hashlib.sha256(path.read_bytes()).hexdigest()))
    return out


def _dtu_parent(text: str) -> str | None:
    from report_lint.packs.detect import detect_scored

    pack, points = detect_scored(text)
    return pack.name if points >= _DTU_SCORE else None


def _limits(found: Stated) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    words = None
    if found.words is not None:
        lo, hi = found.words
        words = (lo, hi if hi is not None else MAX_LIMIT)
    return words, found.images


def draft(template: Path, text: str, *, name: str, standalone: bool = False) -> Draft:
    """The pack for the blank template ``text`` (read from ``template``)."""
    parent = None if standalone else _dtu_parent(text)
    blocks = parse(text)
    families = schemes(blocks)
    if not families:
        raise InitError("no numbered headings found (such as `## Task 1`, `### Q1`, `**Exercise 1**`)")
    scheme: Scheme = families[0]
    lines = text.split("\n")
    found = sections(blocks, scheme, len(lines))
    answers: Answers = find_answers(found, lines)
    questions = []
    for i, section in enumerate(found):
        limits = stated(section, lines)
        words, images = _limits(limits)
        questions.append(
            Question(
                number=section.heading.number,
                title=section.heading.rest,
                words=words,
                images=images,
                phrases=limits.phrases,
                prompt_blocks=answers.prompt_blocks.get(i),
            )
        )
    figures = _figures(template)
    from report_lint.checklist_scan import scan_checklist

    first = scheme.headings[0].node.span.line
    tag = _tag_letters(lines, first)
    checklist = scan_checklist(lines, set(), stop_line=first, tag=tag)
    pack_text = render(
        name=name,
        template=template.name,
        scheme=scheme,
        end=end_level(scheme),
        answers=answers,
        questions=questions,
        figures=figures,
        checklist=checklist,
        tag=tag,
        parent=parent,
        families=families[1:3],
        lines=lines,
    )
    with_words = sum(1 for q in questions if q.words)
    with_images = sum(1 for q in questions if q.images)
    summary = (
        f"{len(questions)} questions ({_shown(scheme)}), "
        f"{with_words} with word limits, {with_images} with figure counts, "
        f"answers {_start_text(answers)}, {len(checklist)} checklist items, {len(figures)} example figures"
        + (f"; extends {parent}" if parent else "")
        + f"; {pack_text.count('# check: ')} guesses marked `# check:`"
    )
    return Draft(pack_text, summary, questions, parent)


def _shown(scheme: Scheme) -> str:
    first, last = scheme.headings[0], scheme.headings[-1]
    text = plain_text(first.node).strip()
    head = text[: text.find(first.number)] if first.number in text else ""
    return (
        f"{head}{first.number} … {head}{last.number}" if len(scheme.headings) > 1 else f"{head}{first.number}"
    )


def _start_text(answers: Answers) -> str:
    if answers.start == "marker":
        return f"after `{answers.marker_raw}`"
    if answers.start == "placeholder":
        return "at the placeholder " + ", ".join(f"`{p}`" for p in answers.placeholders[:3])
    return "after each question's prompt"


def _tag_letters(lines: list[str], stop: int) -> str:
    import re

    tags = re.findall(
        r"\(\s*([A-Z]{1,10})\d+(?:\s*[+,&/]\s*[A-Z]{1,10}\d+)*\s*\)\s*$", "\n".join(lines[: stop - 1]), re.M
    )
    return max(set(tags), key=tags.count) if tags else "M"
