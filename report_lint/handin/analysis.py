"""Each answer of a parsed report rendered both ways and compared.

Input is the parsed :class:`~report_lint.model.Report`: for every question, the GitHub side is its
positioned ``answer_blocks`` (rendered by ``github.render``), the hand-in side is the same source lines
rendered by the export's Python-Markdown.  Only answers are compared: the intro, the checklist and the
prompts are the template's.  Each answer is rendered on its own: it is separated from its neighbours by a
question heading and a quoted prompt, which end every block in both renderers.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from report_lint.model import QuestionSection, Report

from . import export, github
from .compare import Difference, differences
from .structure import Structure, extract

MAX_ELEMENTS = 4_000  # pairing is quadratic in the worst case: answers with more are not compared

# Text that cannot make structure in either renderer: no line starting a list, heading, quote, code block
# or setext underline, and none of the characters every other construct needs (links, images, HTML,
# tables, strikethrough, code spans, fences, GitHub's bare URLs).  Such answers (most plain-prose ones)
# render to no structure on both pages, so they are not rendered at all; a property test holds this.
_ACTIVE_CHAR = re.compile(r"[\[<|~`&\\]|://|www\.", re.IGNORECASE)
_ACTIVE_START = frozenset("-*+#=>_\t")
_NUMBERED = re.compile(r"\d{1,9}[.)]")


def _active_line(line: str) -> bool:
    body = line.lstrip(" ")
    if len(line) - len(body) >= 4 or body[:1] in _ACTIVE_START:
        return bool(body)
    return body[:1].isdigit() and _NUMBERED.match(body) is not None


def inert(lines: tuple[tuple[int, str], ...] | list[tuple[int, str]], text: str) -> bool:
    """True when the answer (its ``lines``, joined as ``text``) renders to no structure on either page
    (a conservative test: one line or character that could start a construct is enough to render)."""
    if _ACTIVE_CHAR.search(text) is not None:
        return False
    return not any(_active_line(line) for _, line in lines)


@dataclass(frozen=True)
class AnswerRendering:
    question: int
    first_line: int
    last_line: int
    lines: tuple[tuple[int, str], ...]  # the source lines rendered: (number, text)
    github_html: str  # with line markers
    handin_html: str
    github: Structure
    handin: Structure
    differences: tuple[Difference, ...]
    skipped: str | None = None  # why the answer was not compared (a work bound), in words


# What Python-Markdown's core (the DTU export: no extensions) makes structure from inside a paragraph:
# links and images from `[`, raw HTML from `<`, entities from `&`.  Code spans, fences, `|`, `~`, bare
# addresses and escapes are paragraph text on the hand-in.
_HANDIN_ACTIVE_CHAR = re.compile(r"[\[<&]")


def _quiet_on_the_handin(run: list[str]) -> bool:
    """True when a run of non-blank lines, blank lines or the answer's edges around it, is one paragraph
    of text with no structure for Python-Markdown's core: no line starts a block (``_active_line``) and no
    character makes a link, image, raw HTML or an entity."""
    return _HANDIN_ACTIVE_CHAR.search("\n".join(run)) is None and not any(_active_line(t) for t in run)


def quieted(lines: tuple[tuple[int, str], ...], extensions: tuple[str, ...] = ()) -> tuple[str, bool]:
    """The answer's text for the hand-in side of the structure comparison, and whether it is all quiet.

    Each run of non-blank lines that is one plain paragraph on the hand-in (``_quiet_on_the_handin``)
    becomes one ``x`` line.  Runs are separated by blank lines, which end every block such a run could
    belong to on the hand-in (it has no 4-space line to continue a list item or a code block), so the
    hand-in's structure and every hint in it are unchanged while Python-Markdown has far less to parse;
    GitHub's side is never rendered from text.  When every run is quiet the hand-in has no structure at
    all and need not be rendered (the bool).  Only for the core renderer (an extension can make structure
    from any character) and only without `<` in the answer (a raw HTML block can span blank lines and
    collect a run's text).  A property test holds the equivalence."""
    if extensions or any("<" in text for _, text in lines):
        return "\n".join(text for _, text in lines) + "\n", False
    out: list[str] = []
    run: list[str] = []
    loud = False

    def flush() -> None:
        nonlocal loud
        if run:
            if _quiet_on_the_handin(run):
                out.append("x")
            else:
                out.extend(run)
                loud = True
            run.clear()

    for _, text in lines:
        if text.strip():
            run.append(text)
        else:
            flush()
            out.append(text)
    flush()
    return "\n".join(out) + "\n", not loud


def answer_source(report: Report, q: QuestionSection) -> tuple[tuple[int, str], ...]:
    """The document lines the answer's blocks cover (blank lines inside kept)."""
    blocks = [b for b in q.answer_blocks if b.type != "blank_line"]
    if not blocks:
        return ()
    first = min(b.span.line for b in blocks)
    last = max(b.span.end_line for b in blocks)
    return tuple((n, report.lines[n - 1]) for n in range(first, min(last, len(report.lines)) + 1))


def render_answer(
    report: Report, q: QuestionSection, extensions: tuple[str, ...], *, full: bool = False
) -> AnswerRendering | None:
    """``full``: also keep GitHub's HTML and render inert answers (for the preview page)."""
    lines = answer_source(report, q)
    if not lines:
        return None
    source = "\n".join(text for _, text in lines) + "\n"
    if not full and not extensions and inert(lines, source):
        empty = Structure([], [])
        return AnswerRendering(q.number, lines[0][0], lines[-1][0], lines, "", "", empty, empty, ())
    text, quiet = (source, False) if full else quieted(lines, extensions)
    reason = export.too_costly(text)
    if reason is None:
        try:
            gh_html = github.render(q.answer_blocks) if full else ""
            # the rule reads the hand-in side from Python-Markdown's tree (export.structure); the preview
            # page needs the HTML itself
            pm_html = export.render(text, extensions) if full else ""
            gh = github.structure(q.answer_blocks)
            if full:
                pm = extract(pm_html, github=False)
            elif quiet:
                pm = Structure([], [])
            else:
                pm = export.structure(text, extensions)
            if len(gh.leaves) + len(pm.leaves) > MAX_ELEMENTS:
                reason = f"it holds more than {MAX_ELEMENTS:,} links, images and other elements"
            else:
                found = differences(gh, pm, lines, lines[0][0])
                return AnswerRendering(
                    q.number, lines[0][0], lines[-1][0], lines, gh_html, pm_html, gh, pm, tuple(found)
                )
        except RecursionError:
            reason = "it is nested too deeply to render"
        except (AssertionError, ValueError, IndexError, KeyError, TypeError) as exc:
            # Python-Markdown's own failures on odd input (3.4-3.6 assert in html.parser on `<![`): the
            # course's export would stop on this answer too
            reason = f"Python-Markdown fails on it ({type(exc).__name__})"
    empty = Structure([], [])
    return AnswerRendering(q.number, lines[0][0], lines[-1][0], lines, "", "", empty, empty, (), reason)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the analysis, as it was after.  The analysis makes thousands
    of containers (element trees, structures) that die by reference counting or stay in use as its
    results, so a collection inside it walks them (and the lint's young objects) for nothing: measured
    in a lint of a real-shaped hand-in, 3.1 ms of collector time was the rule's, 0.3 ms with it paused;
    on the worst case 5.7 ms, 2.5 ms.  A cycle made meanwhile is collected by the next pass after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(report: Report, extensions: tuple[str, ...] = (), *, full: bool = False) -> list[AnswerRendering]:
    """Every answer that has content, in report order."""
    out = []
    with _collector_paused():
        for q in report.questions:
            rendering = render_answer(report, q, extensions, full=full)
            if rendering is not None:
                out.append(rendering)
    return out
