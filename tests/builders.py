"""Template-shaped reports for tests, written in our own words.

``ReportBuilder`` emits a report shaped like the DTU 02476 templates (27 or 31 questions): an
intro that quotes the placeholder format, a short checklist, and one ``### Question N`` section per
question with a quoted prompt, a stated limit, an example with ``...`` and a ``> Answer:`` marker.
Options reproduce the deviations real hand-ins show (see issue 2, item 3).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parent.parent / "rules"

_VOCAB = [
    "we",
    "trained",
    "a",
    "small",
    "convolutional",
    "model",
    "on",
    "labelled",
    "pictures",
    "and",
    "tracked",
    "every",
    "run",
    "so",
    "that",
    "the",
    "team",
    "could",
    "compare",
    "settings",
    "quickly",
    "while",
    "the",
    "pipeline",
    "kept",
    "data",
    "code",
    "and",
    "configuration",
    "together",
]

PACK_FOR = {
    "27q": "dtu-mlops-27q",
    "31q-2024": "dtu-mlops-31q-2024",
    "31q-2025": "dtu-mlops-31q-2025",
    "31q-2026": "dtu-mlops-31q-2026",
}


def words(n: int, start: int = 0) -> str:
    """``n`` words of plain prose (no markup), deterministic."""
    return " ".join(itertools.islice(itertools.cycle(_VOCAB), start, start + n))


def limits(generation: str) -> dict[int, dict[str, tuple[int, int]]]:
    """Per question: the checker's and the stated limits, merged along the pack's ``extends`` chain."""
    chain = []
    name: str | None = PACK_FOR[generation]
    while name and (RULES / f"{name}.yaml").exists():
        data = yaml.safe_load((RULES / f"{name}.yaml").read_text(encoding="utf-8"))
        chain.append(data)
        name = data.get("extends")
    merged: dict[int, dict[str, tuple[int, int]]] = {}
    for data in reversed(chain):
        for q in data.get("questions", []):
            entry = {
                k: tuple(v) for k, v in q.items() if k in ("words", "images", "stated_words", "stated_images")
            }
            merged[q["number"]] = entry  # type: ignore[assignment]
    return merged


@dataclass
class ReportBuilder:
    generation: str = "31q-2026"
    # question -> answer text (markdown, may span lines); questions not listed keep the placeholder
    answers: dict[int, str] = field(default_factory=dict)
    fill_words: int | None = None  # fill every unanswered question with words inside its limits
    front_matter: bool | None = None  # None: as the generation does (27q has it)
    intro: bool = True
    checklist: bool = True
    crlf: bool = False
    marker_style: str = "quote"  # "quote": "> Answer:"; "inline": "> Answer: text"; "bare": "Answer:"
    thematic_breaks: bool = False  # "---" lines around every answer
    heading_extra: dict[int, str] = field(default_factory=dict)
    heading_override: dict[int, str] = field(default_factory=dict)  # the whole heading line
    drop_questions: set[int] = field(default_factory=set)
    drop_markers: set[int] = field(default_factory=set)
    stated_override: dict[int, str] = field(default_factory=dict)  # replace the limit line's text
    keep_placeholder: set[int] = field(default_factory=set)  # leave it above the answer too
    tail: str = ""  # text after the last question

    @property
    def count(self) -> int:
        return 27 if self.generation == "27q" else 31

    def _answer(self, number: int, spec: dict[str, tuple[int, int]]) -> str | None:
        if number in self.answers:
            return self.answers[number]
        if self.fill_words is None:
            return None
        if number == 1:
            return "17"
        if number == 2:
            return "s123456, s234567, s345678"
        parts = []
        low, high = spec.get("words", (0, 0))
        n = self.fill_words if low <= self.fill_words <= high else (low + high) // 2
        if n:
            parts.append(words(n, number))
        for i in range(spec.get("images", (0, 0))[0]):
            parts.append(f"![plot {i + 1}](figures/q{number}_{i + 1}.png)")
        return "\n\n".join(parts)

    def lines(self) -> list[str]:
        out: list[str] = []
        fm = self.front_matter if self.front_matter is not None else self.generation == "27q"
        if fm:
            out += ["---", "layout: default", "nav_exclude: true", "---", ""]
        if self.intro:
            out += [
                "# Exam template for 02476 Machine Learning Operations",
                "",
                "Each answer's place is marked by a line like",
                "",
                "```--- question 1 fill here ---```",
                "",
                "which you replace with your answer. Figures go into `figures/` and are shown with",
                "",
                "```markdown",
                "![caption](figures/<image>.<extension>)",
                "```",
                "",
                "TODO in the intro is not an answer, and neither is [TO DO: this].",
                "",
            ]
        if self.checklist:
            out += [
                "## Overall project checklist",
                "",
                "### Week 1",
                "",
                "* [x] Create a git repository (M5)",
                "* [ ] Add pre-commit hooks to your version control setup (M18)",
                "* [ ] Construct one or multiple docker files for your code (M10)",
                "",
            ]
        out += ["## Group information", ""]
        specs = limits(self.generation)
        for number in range(1, self.count + 1):
            if number in self.drop_questions:
                continue
            out += self._section(number, specs.get(number, {}))
        if self.tail:
            out += self.tail.split("\n")
        return out

    def _section(self, number: int, spec: dict[str, tuple[int, int]]) -> list[str]:
        heading = self.heading_override.get(number, f"### Question {number}")
        if number in self.heading_extra:
            heading += " " + self.heading_extra[number]
        out = [heading, "", f"> **Tell us about part {number} of the project in your own words.**", ">"]
        stated = spec.get("stated_words", spec.get("words"))
        word = "Answer length" if self.generation == "27q" else "Recommended answer length"
        if number in self.stated_override:
            out += [f"> {self.stated_override[number]}", ">"]
        elif stated:
            line = f"> {word}: {stated[0]}-{stated[1]} words"
            img = spec.get("stated_images", spec.get("images"))
            if img and number in (14,):
                line += f" + {img[0]} to {img[1]} screenshots"
            out += [line + ".", ">"]
        if number == 2:
            out += ["> Example:", ">", "> *sXXXXXX, sXXXXXX, sXXXXXX*", ">"]
        elif stated:
            out += [
                "> Example:",
                f"> *Our group used ... to handle part {number}, and ... made it easier.*",
                ">",
            ]
        answer = self._answer(number, spec)
        placeholder = f"--- question {number} fill here ---"
        if number in self.drop_markers:
            out += [""]
        elif self.marker_style == "bare":
            out += ["", "Answer:", ""]
        elif self.marker_style == "inline" and answer is not None and "\n" not in answer:
            out += [f"> Answer: {answer}", ""]
            return out
        else:
            out += ["> Answer:", ""]
        if self.thematic_breaks:
            out += ["---", ""]
        if answer is None:
            out += [placeholder, ""]
        else:
            if number in self.keep_placeholder:
                out += [placeholder, ""]
            out += [*answer.split("\n"), ""]
        if self.thematic_breaks:
            out += ["---", ""]
        return out

    def text(self) -> str:
        newline = "\r\n" if self.crlf else "\n"
        return newline.join(self.lines()) + newline

    def line_of(self, needle: str, occurrence: int = 1) -> int:
        """1-based line number of the ``occurrence``-th line containing ``needle``."""
        seen = 0
        for i, line in enumerate(self.lines(), start=1):
            if needle in line:
                seen += 1
                if seen == occurrence:
                    return i
        raise AssertionError(f"{needle!r} not in the built report")

    def write(self, repo: Path, figures: dict[str, bytes] | None = None) -> Path:
        """Write ``reports/README.md`` (and figures) under ``repo``; returns the report path."""
        reports = repo / "reports"
        (reports / "figures").mkdir(parents=True, exist_ok=True)
        path = reports / "README.md"
        path.write_bytes(self.text().encode("utf-8"))
        for name, data in (figures or {}).items():
            target = reports / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return path
