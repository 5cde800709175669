"""Report objects for unit-testing checks without the parser.

``ReportFactory`` lays out question sections line by line (heading, quoted prompt, stated limit,
``> Answer:``, answer) and fills the model's fields with exact spans, so each check can be tested
on its own.  End-to-end tests through the real parser live in ``test_end_to_end.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import Image, Link, OfficialAnswer, QuestionSection, Report, SourceLine, StatedLimits
from report_lint.packs import plain
from report_lint.packs.models import Pack, PackFile, QuestionSpec, ResolvedRule, to_plain
from report_lint.parsing.markdown import parse_markdown
from report_lint.parsing.nodes import Span

RULES = Path(__file__).resolve().parents[2] / "rules"

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^)\n]*)\)")
_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(([^)\n]*)\)")
_HTML_IMG = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]*)\"[^>]*>")
_LIMITS = re.compile(r"(\d+)-(\d+) words(?: \+ (\d+) to (\d+))?")


def load_pack(name: str) -> plain.Pack:
    """The pack ``name`` with its ``extends`` chain merged (child wins, questions by number)."""
    files: list[PackFile] = []
    current: str | None = name
    while current is not None:
        path = RULES / f"{current}.yaml"
        if not path.exists() or current == "dtu-checklist":  # owned by the evidence engine
            break
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files.append(PackFile.model_validate(data))
        current = files[-1].extends
    questions: dict[int, QuestionSpec] = {}
    rules: dict[str, ResolvedRule] = {}
    placeholders = []
    figures = []
    question_count = None
    skip = 0
    for pf in reversed(files):
        for q in pf.questions:
            questions[q.number] = q
        for rule, settings in pf.rules.items():
            rules[rule] = ResolvedRule(
                name=rule,
                code=settings.code or "RL000",
                severity=settings.severity or "error",
                enabled=True,
                suppressible=True,
                options=settings.options,
            )
        placeholders = pf.placeholders or placeholders
        figures = pf.template_figures or figures
        question_count = pf.question_count or question_count
        skip = pf.official_skip_chars if pf.official_skip_chars is not None else skip
    merged = Pack(
        name=name,
        description="",
        files=[f.name for f in files],
        detect=files[0].detect,
        question_count=question_count,
        count_mode="official",
        official_skip_chars=skip,
        rules=rules,
        questions=questions,
        placeholders=placeholders,
        template_figures=figures,
        suppressions_allowed=True,
        forbidden_suppressions=[],
        checklist=None,
    )
    resolved: plain.Pack = to_plain(merged)  # as the loader hands packs to rules
    return resolved


def context(
    pack: plain.Pack | str = "dtu-mlops-31q-2026",
    rule: str = "",
    count_mode: str = "official",
    repo_root: Path | None = None,
) -> CheckContext:
    resolved = load_pack(pack) if isinstance(pack, str) else pack
    return CheckContext(
        pack=resolved,
        rule=rule,
        options={},
        count_mode=count_mode,  # type: ignore[arg-type]
        repo_root=repo_root or Path("."),
    )


@dataclass
class ReportFactory:
    root: Path = field(default_factory=lambda: Path("/nonexistent-repo"))
    lines: list[str] = field(default_factory=lambda: ["# Our report", ""])
    sections: list[QuestionSection] = field(default_factory=list)
    official_error: str | None = None
    extra_official: list[OfficialAnswer] = field(default_factory=list)
    _images: list[Image] = field(default_factory=list)
    _links: list[Link] = field(default_factory=list)

    def add_line(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def question(
        self,
        number: int,
        answer: str = "",
        *,
        heading: str | None = None,
        level: int = 3,
        stated: str | None = None,
        example: str | None = None,
        marker: bool = True,
        marker_tail: str | None = None,
        official: bool = True,
        prompt_image: str | None = None,
    ) -> QuestionSection:
        heading_text = heading if heading is not None else f"Question {number}"
        heading_line = self.add_line("#" * level + " " + heading_text)
        self.add_line("")
        prompt_first = self.add_line(f"> **Describe part {number}.**")
        if prompt_image:
            line = self.add_line(f"> Look at [this figure]({prompt_image}).")
            col = self.lines[line - 1].index("[") + 1
            self._links.append(
                Link(prompt_image, "this figure", Span(line, col, line, col + 3), number, True)
            )
        stated_limits = None
        if stated is not None:
            self.add_line(">")
            line = self.add_line(f"> {stated}")
            m = _LIMITS.search(stated)
            if m:
                stated_limits = StatedLimits(
                    text=stated,
                    span=Span(line, 3, line, 3 + len(stated)),
                    min_words=int(m.group(1)),
                    max_words=int(m.group(2)),
                    min_images=int(m.group(3)) if m.group(3) else None,
                    max_images=int(m.group(4)) if m.group(4) else None,
                )
        if example is not None:
            self.add_line(">")
            self.add_line("> Example:")
            self.add_line(f"> *{example}*")
        marker_span = None
        answer_lines: list[SourceLine] = []
        if marker:
            self.add_line(">")
            text = "> Answer:" + (f" {marker_tail}" if marker_tail else "")
            line = self.add_line(text)
            marker_span = Span(line, 3, line, 10)
            if marker_tail:
                answer_lines.append(SourceLine(line, marker_tail, 11, False))
        prompt_text = "\n".join(
            re.sub(r"^> ?", "", t) for t in self.lines[prompt_first - 1 : len(self.lines)]
        )
        self.add_line("")
        in_code = False
        for text in answer.split("\n") if answer else []:
            fence = text.lstrip().startswith("```")
            line = self.add_line(text)
            answer_lines.append(SourceLine(line, text, 1, in_code or fence))
            if fence:
                in_code = not in_code
        end = self.add_line("")
        content = [s for s in answer_lines if s.text.strip()]
        answer_span = (
            Span(content[0].number, content[0].start_column, content[-1].number) if content else None
        )
        images, links = self._scan(number, answer_lines)
        body = "\n".join(s.text for s in answer_lines).strip("\n")
        off = None
        if official and self.official_error is None:
            off = OfficialAnswer(
                len(self.sections),
                body,
                len(body.split()),
                len(_IMAGE.findall(body)),
                marker_span.line if marker_span else heading_line,
                end,
            )
        prose = sum(
            1 for s in answer_lines if not s.in_code for w in _prose(s.text).split() if re.search(r"\w", w)
        )
        section = QuestionSection(
            number=number,
            heading=Span(heading_line, 1, heading_line, len(self.lines[heading_line - 1]) + 1),
            heading_text=heading_text,
            heading_extra="",
            heading_level=level,
            prompt=Span(prompt_first, 1, prompt_first),
            prompt_text=prompt_text,
            stated_limits=stated_limits,
            marker=marker_span,
            answer=answer_span,
            answer_lines=tuple(answer_lines),
            answer_blocks=(),
            prose_words=prose,
            official=off,
            images=tuple(images),
            links=tuple(links),
            end_line=end,
        )
        self.sections.append(section)
        return section

    def _scan(self, number: int, lines: list[SourceLine]) -> tuple[list[Image], list[Link]]:
        images: list[Image] = []
        links: list[Link] = []
        for s in lines:
            if s.in_code:
                continue
            for m in _IMAGE.finditer(s.text):
                src = m.group(2)
                syntax = "unrendered" if " " in src and not src.startswith("<") else "markdown"
                if src.startswith("<") and src.endswith(">"):
                    src = src[1:-1]
                images.append(
                    Image(
                        src,
                        m.group(1),
                        Span(s.number, s.start_column + m.start(), s.number, s.start_column + m.end()),
                        syntax,
                        number,
                        False,
                    )
                )
            for m in _HTML_IMG.finditer(s.text):
                images.append(
                    Image(
                        m.group(1),
                        "",
                        Span(s.number, s.start_column + m.start(), s.number, s.start_column + m.end()),
                        "html",
                        number,
                        False,
                    )
                )
            for m in _LINK.finditer(s.text):
                links.append(
                    Link(
                        m.group(2),
                        m.group(1),
                        Span(s.number, s.start_column + m.start(), s.number, s.start_column + m.end()),
                        number,
                        False,
                    )
                )
        self._images += images
        self._links += links
        return images, links

    def build(self, path: str = "reports/README.md", **extra: Any) -> Report:
        file = self.root / path
        official = tuple(s.official for s in self.sections if s.official is not None) + tuple(
            self.extra_official
        )
        text = "\n".join(self.lines)
        # inline code is the parser's call (CommonMark's backtick rules): take its spans
        extra.setdefault(
            "code_spans",
            tuple(n.span for block in parse_markdown(text) for n in block.walk() if n.type == "codespan"),
        )
        return Report(
            path=path,
            file=file,
            repo_root=self.root,
            text=text,
            lines=tuple(self.lines),
            front_matter=None,
            blocks=(),
            checklist=(),
            questions=tuple(self.sections),
            images=tuple(self._images),
            links=tuple(self._links),
            html_comments=(),
            official_answers=official,
            official_error=self.official_error,
            first_question_line=self.sections[0].heading.line if self.sections else None,
            **extra,
        )


def _prose(text: str) -> str:
    text = re.sub(r"^\s*(?:>\s?)+", "", text)
    text = re.sub(r"`*-{3,}[^\n]*?fill\s+here[^\n]*?-{3,}`*", " ", text, flags=re.I)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r" \1 ", text)
    return re.sub(r"https?://\S+", " ", text)


def run(module: Any, ctx: CheckContext, report: Report) -> list[Finding]:
    return list(module.check(ctx, report))
