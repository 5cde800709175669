"""Generators for the fuzz properties: template-shaped report pieces, random mutations, encodings.

Documents are small on purpose (a handful of sections, tens of lines) so that thousands of examples
run in a few minutes; the pieces are the shapes real hand-ins take (see ``tests/builders.py`` for the
template itself), the mutations are what editors and careless hands do to them.

Example counts per property live in :data:`EXAMPLES`, keyed by the hypothesis profile
(``HYPOTHESIS_PROFILE=ci`` or ``dev``, registered in ``tests/conftest.py``).  They are per test rather
than in the profile so that loading ``ci`` does not multiply every other property test in the suite.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st
from reference_checker import naive_counts

# ---------------------------------------------------------------------------------------------- counts

EXAMPLES: dict[str, dict[str, int]] = {
    # 7_500 + 800 + 1_400 + 300 = 10_000 examples in CI (about 3 minutes of CPU on one core)
    "ci": {"positions": 7_500, "deterministic": 800, "official": 1_400, "official_template": 300},
    "dev": {"positions": 300, "deterministic": 100, "official": 150, "official_template": 100},
}


def examples(name: str) -> int:
    """This property's example count under the loaded profile (at least the profile's own count)."""
    table = EXAMPLES.get(settings.get_current_profile_name(), EXAMPLES["dev"])
    return max(table[name], int(settings().max_examples))


# ------------------------------------------------------------------------------------------- pieces
#
# Pieces are rendered into pools once, at import, with a seeded ``random.Random``: drawing a piece is
# then a single hypothesis choice, which keeps generation cheap enough for thousands of examples (and
# shrinking still works: hypothesis shrinks towards the first, simplest entries of each pool).

NASTY = [
    "\u00a0",  # NBSP
    "\t",
    "\u200b",  # zero-width space
    "\u200d",
    "\ufeff",
    "\u00ad",  # soft hyphen
    "\u2028",  # line separator: never a line break for us
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x1c",
    "\u202e",  # right-to-left override
    "\u0301",  # combining accent
    "👩\u200d💻",
    "🏳️\u200d🌈",
    "😀",
    "全角",
    "\x00",
    "\r",  # becomes a line break
]
WORDS = [
    "we",
    "trained",
    "model",
    "data",
    "Æble",
    "naïve",
    "😀",
    "🚀",
    "x_y",
    "a*b",
    "M5",
    "12",
    "s123456",
    "—",
    "word\u00a0joined",
    "tab\tword",
    "zero\u200bwidth",
    "##",
    "###",
    "#",
    "Answer:",
    "answer:",
    "**Answer:**",
    "Answer :",
    "[x]",
    "![",
    "](",
    ")",
    "<",
    ">",
    "`",
    "*",
    "_",
    "\\",
    "http://example.com/a_b",
    "www.example.org",
    "--- question 3 fill here ---",
    "TODO",
    "...",
    *NASTY,
]
ALTS = ["", "plot", "my plot", "a [b]", "Æ😀", "x\u00a0y", "alt*text*"]
SRCS = [
    "figures/x.png",
    "figures/sub/y.jpg",
    "figures/my image.png",  # raw space: the checker counts it, CommonMark does not render it
    "<figures/my image.png>",
    'figures/t.png "title"',
    "figures/t.png 'title'",
    "../../etc/passwd",
    "/etc/passwd",
    "figures/../../x.png",
    "C:\\x.png",
    "file:///x.png",
    "figures/%2e%2e/x.png",
    "..%2f..%2fx.png",
    "http://example.com/x.png",
    "https://img.shields.io/badge/x-y-green.svg",
    "",
    "figures/ü😀.png",
    "figures/a(b).png",
    "figures/a\\)b.png",
    "#anchor",
    "x.PNG",
    "figures/x.svg",
]
URLS = [
    "http://example.com",
    "https://github.com/a/b",
    "figures/missing.md",
    "README.md",
    "#question-3",
    "../src/train.py",
    "mailto:a@b.c",
    "",
    "<a b.md>",
    "javascript:alert(1)",
    "/abs/file.py",
]
SUPPRESSIONS = [
    "<!-- report-lint: disable answer-length -->",
    "<!-- report-lint: disable answer-length, image-count -->",
    "<!-- report-lint: enable answer-length -->",
    "<!-- report-lint: enable -->",
    "<!-- report-lint: disable-next-line RL201 -->",
    "<!-- report-lint: disable-next-line missing-figure broken-link -->",
    "<!-- report-lint: disable-file broken-link -- links are checked by hand -->",
    "<!-- report-lint: disable-file checklist-unsupported -->",
    "<!-- report-lint: disable nonexistent-rule -->",
    "<!-- report-lint: bogus -->",
    "<!-- report-lint: disable -->",
    "<!-- report_lint: disable RL9 -->",
    "<!-- report-lint: disable\nanswer-length -->",
    "<!--",
    "-->",
    "<!-- a comment\nover two lines -->",
    "<!-- --> <!-- report-lint: disable-next-line image-count -->",
]
BOXES = [
    "[x]",
    "[X]",
    "[ ]",
    "[]",
    "[✅]",
    "✅",
    "❌",
    "[~]",
    "[-]",
    "[ x ]",
    "[✔️]",
    "☐",
    "**[x]**",
    "[?]",
    "[xx]",
]
BULLETS = ["*", "-", "+", "1.", "2)", "  *", "\t-", "*\t"]
TAGS = ["(M5)", "(M2+M6)", "(M21, M22)", "", "(M5) extra", "(m5)", "(M999)", "(M5 "]
CHECKLIST_TEXTS = [
    "Create a git repository",
    "Add pre-commit hooks to your version control setup",
    "Construct one or multiple docker files for your code",
    "Use DVC to version data",
    "Write unit tests",
    "Something we invented",
    "",
]
FENCE_BODY = [
    "### Question 9",
    "## Group information",
    "> Answer:",
    "Answer: not an answer",
    "![in code](figures/code.png)",
    "* [x] not a checklist item (M5)",
    "<!-- report-lint: disable answer-length -->",
    "--- question 4 fill here ---",
    "def f():\n    return 1",
    "```",
    "",
]

Lines = list[str]


def _words(r: random.Random) -> str:
    return " ".join(r.choice(WORDS) for _ in range(r.randint(1, 6)))


def _image(r: random.Random) -> str:
    a, s, s2 = r.choice(ALTS), r.choice(SRCS), r.choice(SRCS)
    return r.choice(
        [
            f"![{a}]({s})",
            f"![{a}]({s})",
            f"![{a}][ref]",
            f"[![{a}]({s})](http://example.com)",
            f'<img src="{s}" width="50%">',
            f"<IMG SRC='{s}'>",
            f'<img alt="a" src={s.replace(" ", "")} />',
            f'<img src="{s}"> and <img src="{s2}">',
            f"![one]({s}) ![two]({s2})",
            "![unclosed](figures/x.png",
            "![a](b)(c)",
            "!\\[escaped](x.png)",
            "`![in code](x.png)`",
        ]
    )


def _link(r: random.Random) -> str:
    return r.choice(
        [
            f"[{_words(r)}]({r.choice(URLS)})",
            f"[{_words(r)}]({r.choice(URLS)})",
            "<https://example.com/x>",
            "<mailto:a@b.c>",
            "[ref]",
            "[text][ref]",
            "[](empty)",
        ]
    )


def _inline(r: random.Random) -> str:
    kind = r.randint(0, 12)
    if kind <= 3:
        return _words(r)
    if kind <= 5:
        return _image(r)
    if kind == 6:
        return _link(r)
    if kind == 7:
        return r.choice(["**", "*", "`"]).join(["", _words(r), ""])
    if kind == 8:
        return f"<!-- {_words(r)} -->"
    return r.choice(
        [
            "<!-- report-lint: disable-next-line answer-length -->",
            "<br>",
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "::error::boom",
            "%0A::warning::x",
        ]
    )


def _line(r: random.Random) -> str:
    return " ".join(_inline(r) for _ in range(r.randint(1, 4)))


def _checklist_item(r: random.Random) -> Lines:
    if r.random() < 0.7:
        line = f"{r.choice(BULLETS)} {r.choice(BOXES)} {r.choice(CHECKLIST_TEXTS)} {r.choice(TAGS)}".rstrip()
    else:
        line = f"{r.choice(BOXES)} {r.choice(CHECKLIST_TEXTS)} {r.choice(TAGS)}"  # bare box, no bullet
    return [line, "  wrapped continuation (M10)"] if r.random() < 0.2 else [line]


def _checklist(r: random.Random) -> Lines:
    out = [r.choice(["## Overall project checklist", "## Checklist", "Checklist", ""]), ""]
    for week in range(r.randint(0, 2)):
        out += [r.choice([f"### Week {week + 1}", f"#### Week {week + 1}", f"Week {week + 1}"]), ""]
        for _ in range(r.randint(0, 3)):
            out += _checklist_item(r)
        out.append("")
    return out


def _fenced(r: random.Random) -> Lines:
    fence = r.choice(["```", "~~~", "````", "```python", "```markdown", "  ```"])
    body = "\n".join(r.choice(FENCE_BODY) for _ in range(r.randint(0, 4))).split("\n")
    close = "~~~" if "~" in fence else "```"
    return [fence, *body, *([close] if r.random() < 0.8 else [])]


def _block(r: random.Random) -> Lines:
    kind = r.randint(0, 17)
    if kind <= 2:
        return [_line(r) for _ in range(r.randint(1, 3))]
    if kind == 3:
        return _fenced(r)
    if kind == 4:
        return [r.choice(["---", "***", "___", "- - -", "* * *", "----------"])]
    if kind == 5:  # setext heading: text then an underline
        return [_line(r), r.choice(["===", "---", "=", "-----"])]
    if kind == 6:
        return r.choice(SUPPRESSIONS).split("\n")
    if kind == 7:  # table
        cells = [_inline(r).replace("|", "\\|") for _ in range(r.randint(2, 3))]
        head = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
        return [head, "|" + "---|" * len(cells), "| " + " | ".join(cells) + " |"]
    if kind == 8:  # list
        return [f"{r.choice(BULLETS)} {_line(r)}" for _ in range(r.randint(1, 3))]
    if kind == 9:
        return _checklist_item(r)
    if kind == 10:  # html block
        return ["<details>", "<summary>more</summary>", "", _line(r), "", "</details>"]
    if kind == 11:  # indented code
        return ["    " + r.choice(["### Question 3", "Answer: x", "![a](b.png)", "code"])]
    if kind == 12:  # reference definitions
        return [r.choice(["[ref]: figures/r.png", '[ref]: <figures/r r.png> "t"', "[ref]: http://x"])]
    if kind == 13:  # nested quotes and lists
        return [">" * r.randint(1, 4) + " " + _line(r), r.choice(["> - x", ">", "", "- > y"])]
    if kind == 14:
        return [r.choice(["## Group information", "# Exam report", "## Coding environment", "##"])]
    if kind == 15:
        return [f"--- question {r.randint(0, 40)} fill here ---"]
    if kind == 16:  # an img tag over three lines
        return ["<img", 'src="figures/multi.png"', "width=50%>"]
    return [""]


HEADINGS = [
    "### Question {n}",
    "### Question {n}",
    "### Question {n}",
    "###Question {n}",
    "## Question {n}",
    "# Question {n}",
    "#### Question {n}",
    "   ### Question {n}",
    "###\tQuestion {n}",
    "### question {n}",
    "### QUESTION {n}",
    "### Question{n}",
    "### Question\u00a0{n}",
    "### Question 0{n}",
    "### **Question {n}**",
    "### __Question {n}__",
    "### **Question {n}** [✔] Johan",
    "### Question {n} [✔] Johan",
    "### Question {n}:",
    "### Question {n} - Group",
    "### Question {n} 😀",
    "### Question {n} (M5)",
    "### Question {n}.",
    "### Question {n} Answer:",
    "### Question {n} ###",
    "Question {n}\n===",  # setext: not a question heading for the checker's ### nor for us
]
PROMPTS = [
    ["> **Tell us about part {n} of the project in your own words.**"],
    ["> **Tell us about part {n}.**", ">", "> Recommended answer length: {lo}-{hi} words."],
    ["> **Tell us about part {n}.**", ">", "> Answer length: {lo}-{hi} words + 1 to 2 screenshots."],
    ["> **Tell us about part {n}.**", ">", "> Recommended answer length: {lo}-{hi} words + 1 screenshot"],
    ["> **Part {n}.**", ">", "> Recommended answer length: {lo}–{hi} words.", ">", "> Example:"],
    [
        "> **Tell us about part {n}.**",
        ">",
        "> Recommended answer length: {lo}-{hi} words.",
        ">",
        "> Example:",
        "> *Our group used ... to handle part {n}, and ... made it easier.*",
    ],
    ["> **Part {n}** ![prompt figure](figures/prompt.png) [docs](https://x)"],
    [],
]
MARKERS = [
    "> Answer:",
    "> Answer:",
    "> Answer:",
    "> **Answer:**",
    ">Answer:",
    "Answer:",
    "**Answer:**",
    "Answer :",
    "answer:",
    "> > Answer:",
    "  > Answer:",
    "> Answer:   ",
    "> __Answer__:",
    "",
]
PLACEHOLDERS = [
    "--- question {n} fill here ---",
    "```--- question {n} fill here ---```",
    "---question {n} fill here---",
    "> --- question {n} fill here ---",
    "--- question X fill here ---",
]

_R = random.Random(20240601)
ANSWERS: list[Lines] = [[]] + [[_line(_R) for _ in range(_R.randint(1, 3))] for _ in range(400)]
# answers that neither split nor cut the checker's slices: full templates then keep their answer count
CLEAN_ANSWERS = [a for a in ANSWERS if a and not any("Answer:" in x or "##" in x for x in a)]
BLOCKS: list[Lines] = [_block(_R) for _ in range(600)]
CHECKLISTS: list[Lines] = [_checklist(_R) for _ in range(120)]
UNICODE_POOL: list[str] = ["".join(_R.choice(NASTY) for _ in range(_R.randint(1, 3))) for _ in range(80)] + [
    "".join(chr(_R.randint(0x20, 0x2FFF)) for _ in range(_R.randint(1, 5))) for _ in range(80)
]

# strategies built once: a sampled_from's label hashes its whole pool, so never build one per draw
S_ANSWERS = st.sampled_from(ANSWERS)
S_CLEAN_ANSWERS = st.sampled_from(CLEAN_ANSWERS)
S_BLOCKS = st.sampled_from(BLOCKS)
S_CHECKLISTS = st.sampled_from(CHECKLISTS)
S_HEADINGS = st.sampled_from(HEADINGS)
S_PROMPTS = st.sampled_from(PROMPTS)
S_MARKERS = st.sampled_from(MARKERS)
S_PLACEHOLDERS = st.sampled_from(PLACEHOLDERS)
S_BREAKS = st.sampled_from(["---", "***", "___"])


@st.composite
def section(draw: st.DrawFn, number: int, *, minimal: bool = False) -> Lines:
    """One ``### Question N`` section: heading, quoted prompt, marker, answer, maybe extra blocks."""
    lo = draw(st.integers(0, 300)) if not minimal else 50
    fmt = {"n": number, "lo": lo, "hi": lo + 100}
    if minimal:
        out = [f"### Question {number}", "", *(p.format(**fmt) for p in PROMPTS[1]), ">", "> Answer:", ""]
        return [*out, *draw(S_CLEAN_ANSWERS)]
    out = [*draw(S_HEADINGS).format(**fmt).split("\n"), ""]
    out += [p.format(**fmt) for p in draw(S_PROMPTS)]
    marker = draw(S_MARKERS)
    answer = draw(S_ANSWERS)
    style = draw(st.integers(0, 7))
    if style == 0 and out[-1].startswith(">"):  # a formatter joined the marker onto the prompt's last line
        out[-1] += " Answer: " + (answer[0] if answer else "")
        answer = answer[1:]
    elif style == 1 and marker and answer:  # answer text on the marker line
        out += [">", f"{marker} {answer[0]}"]
        answer = answer[1:]
    elif marker:
        out += [">" if marker.startswith(">") else "", marker]
    out.append("")
    if style == 2:
        out += [draw(S_BREAKS), ""]
    if style in (3, 4):
        out += [draw(S_PLACEHOLDERS).format(**fmt), ""]
    if style in (4, 5):
        out += [*draw(S_BLOCKS), ""]
    return out + answer


FRONT_MATTER = st.sampled_from(
    [
        ["---", "layout: default", "nav_exclude: true", "---"],
        ["---", "title: x", "..."],
        ["---", "---"],  # empty: not front matter
        ["---", "no colon here", "---"],
        ["---", "layout: default"],  # unclosed
    ]
)


def _numbers(draw: st.DrawFn) -> list[int]:
    style = draw(st.integers(0, 3))
    if style == 0:
        return draw(st.lists(st.integers(0, 33), max_size=6))
    start = draw(st.integers(1, 30))
    numbers = list(range(start, start + draw(st.integers(0, 6))))
    if style == 2 and numbers:  # a duplicated or dropped question
        i = draw(st.integers(0, len(numbers) - 1))
        if draw(st.booleans()):
            numbers.insert(i, numbers[i])
        else:
            numbers.pop(i)
    return numbers


@st.composite
def template_lines(draw: st.DrawFn, count: int | None = None) -> Lines:
    """A report in the template's shape; with ``count``: questions 1..count in minimal sections."""
    out: Lines = []
    parts = draw(st.integers(0, 15))  # bits: front matter, intro, checklist, group heading
    if parts & 1 and draw(st.booleans()):
        out += [*draw(FRONT_MATTER), ""]
    if parts & 2:
        out += ["# Exam report for our MLOps project", "", "```--- question 1 fill here ---```", ""]
    if parts & 4:
        out += draw(S_CHECKLISTS)
    if parts & 8:
        out += ["## Group information", ""]
    numbers = _numbers(draw) if count is None else range(1, count + 1)
    for number in numbers:
        out += [*draw(section(number, minimal=count is not None)), ""]
    for extra in draw(st.lists(S_BLOCKS, max_size=3)):
        at = draw(st.integers(0, len(out)))
        out[at:at] = extra
    return out


# ------------------------------------------------------------------------------------------ mutations

UNICODE = st.one_of(st.sampled_from(UNICODE_POOL), st.text(st.characters(codec="utf-8"), max_size=4))
MUTATION = st.tuples(
    st.sampled_from(
        ["delete", "duplicate", "swap", "insert_text", "insert_line", "truncate", "join", "split"]
    ),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    UNICODE,
)


def mutate(lines: Lines, ops: list[tuple[str, int, int, str]]) -> Lines:
    lines = list(lines)
    for op, a, b, text in ops:
        if not lines:
            lines = [text]
            continue
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert_text":
            at = b % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + text + lines[i][at:]
        elif op == "insert_line":
            lines.insert(i, text)
        elif op == "truncate":
            lines = lines[:i]
            if lines:
                lines[-1] = lines[-1][: b % (len(lines[-1]) + 1)]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + " " + lines[i + 1]]
        elif op == "split":
            at = b % (len(lines[i]) + 1)
            lines[i : i + 1] = [lines[i][:at], lines[i][at:]]
    return lines


# ------------------------------------------------------------------------------------------ encoding


@dataclass(frozen=True)
class Doc:
    data: bytes  # the file as written
    lines: tuple[str, ...]  # what was generated (before newline and BOM choices)

    def checker_text(self) -> str:
        """The file as the course checker reads it: ``open()`` in text mode (universal newlines, BOM kept)."""
        return io.TextIOWrapper(io.BytesIO(self.data), encoding="utf-8", newline=None).read()


NEWLINE = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "mixed"])


@st.composite
def encoded(draw: st.DrawFn, lines_strategy: st.SearchStrategy[Lines]) -> Doc:
    lines = draw(lines_strategy)
    newline = draw(NEWLINE)
    if newline == "mixed":
        seps, k = ("\n", "\r\n", "\r"), draw(st.integers(0, 5))
        text = "".join(line + seps[(i * (k + 1) + k) % 3] for i, line in enumerate(lines))
    else:
        text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    bom = draw(st.integers(0, 4)) == 0
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    return Doc(data, tuple(lines))


@st.composite
def fuzz_lines(draw: st.DrawFn) -> Lines:
    return mutate(draw(template_lines()), draw(st.lists(MUTATION, max_size=4)))


def documents() -> st.SearchStrategy[Doc]:
    """Template-shaped documents with random mutations, in a random newline style, maybe with a BOM."""
    return encoded(fuzz_lines())


def template_documents() -> st.SearchStrategy[Doc]:
    """Full-length (27 or 31 question) minimal reports, lightly mutated: the checker's count matches."""

    @st.composite
    def lines(draw: st.DrawFn) -> Lines:
        base = draw(template_lines(count=27 if draw(st.booleans()) else 31))
        return mutate(base, draw(st.lists(MUTATION, max_size=1)))

    return encoded(lines())


# ------------------------------------------------------------------------------------ the reference


def naive_checker(text: str, skip: int) -> list[tuple[int, int]]:
    """The course checker's answer counting: (words, images) per answer."""
    return naive_counts(text, skip)
