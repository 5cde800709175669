"""Rendered HTML -> the structure both renderers are compared on.

A rendering is reduced to what a reader perceives as structure, and nothing else:

* the **list tree**: lists (``ul``, or ``ol`` with its start number) holding items, items holding their
  nested lists;
* the **leaves**, in document order: code blocks, tables, images (``src``), links (``href``), headings
  (level), struck-through text, check boxes, and raw HTML elements GitHub removes (``script``, ``iframe``
  …).

Paragraphs, emphasis, line breaks and text are not structure: the two renderers word-wrap and escape
differently, and a student cannot act on that.  Both renderings go through the same :func:`extract`, so the
comparison is symmetric; the GitHub-side HTML carries ``<!--rl-line:N-->`` markers (see ``github.py``)
that give each element its source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote

LINE_MARKER = "rl-line:"
END_ATTR = "data-rl-end"

# Raw HTML elements that show on one page only: GitHub escapes the first nine (GFM's tag filter: shown as
# text) and strips the rest, while Python-Markdown passes raw HTML through, so staff's browser runs or
# shows them.  Elements invisible on both pages (``<link>``, ``<meta>``, a ``<LINK>`` placeholder) are not
# a difference a reader sees.
DROPPED_BY_GITHUB = frozenset(
    {
        "title",
        "textarea",
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "script",
        "plaintext",
        "form",
        "button",
        "select",
        "object",
        "embed",
    }
)

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
HEADING_TAGS = frozenset(_HEADINGS)
_STRUCK = frozenset({"del", "s", "strike"})
_VOID = frozenset(
    {"img", "input", "br", "hr", "meta", "link", "base", "embed", "area", "col", "source", "wbr"}
)
# Every tag ``Extractor.handle_starttag`` acts on (and so every tag it can hold open): a start or end tag of
# any other name changes nothing in it, which lets the hand-in tree walk (``tree.py``) leave them out.
EVENT_TAGS = frozenset(
    {"ul", "ol", "li", "pre", "table", "img", "a", "input", *_HEADINGS, *_STRUCK, *DROPPED_BY_GITHUB}
)
_NO_ATTRS: dict[str, str] = {}  # shared, only read
_BOX_PREFIX = re.compile(r"^\s*\[[ xX]\]\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_HINT_CHARS = 40


def norm(text: str) -> str:
    """Text reduced for alignment: a task box prefix, markup and spacing dropped, case folded."""
    if "[" in text:
        text = _BOX_PREFIX.sub("", text)
    return _NOT_WORD.sub("", text.lower())[:_HINT_CHARS]


def norm_url(url: str) -> str:
    return unquote(url.strip())


@dataclass(eq=False, slots=True)
class Elem:
    """One structural element.  ``key`` is what must agree; ``hint`` only helps to pair elements."""

    kind: str  # list, item, code, table, image, link, heading, del, box, html
    key: str
    line: int = 0  # source line (GitHub side); 0 where unknown (the hand-in side)
    end_line: int = 0
    hint: str = ""
    children: list[Elem] = field(default_factory=list)
    depth: int = 0  # for lists: how many items they sit in
    group: int = 0  # for boxes: the line of their list, so one list's boxes make one finding
    text: str = ""  # collected text (items: their own text; code, headings, tables: their content)
    _signature: tuple[object, ...] | None = field(default=None, repr=False)

    def signature(self) -> tuple[object, ...]:
        """What must agree, children included.  Computed once: it is asked for only when the structure
        is complete (the comparison), and asked again for every nested list and item."""
        cached = self._signature
        if cached is None:
            cached = (self.kind, self.key, tuple(child.signature() for child in self.children))
            self._signature = cached
        return cached


@dataclass
class Structure:
    lists: list[Elem]  # top-level lists, items and nested lists inside
    leaves: list[Elem]  # every leaf, document order, whatever list it sits in

    def signature(self) -> tuple[object, ...]:
        return (
            tuple(e.signature() for e in self.lists),
            tuple((e.kind, e.key) for e in self.leaves),
        )


# A small tokenizer instead of ``html.parser`` (about 4x faster, and this runs for every answer twice):
# comments, declarations, start/end tags with their attributes, text.  The raw-text elements' content is
# skipped to their end tag, as a browser reads it.  A tag is at most ~1 KiB (longer is text): an unbounded
# pattern would rescan to the end of the text from every unclosed `<`.
_TOKEN = re.compile(
    r"<!--(.*?)(?:-->|\Z)"
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]{0,1024}\"|'[^']{0,1024}'){0,1024})>"
    r"|<[!?][^>]*>",
    re.DOTALL,
)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"})


def _attrs(text: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for m in _ATTR.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        out.append((m.group(1).lower(), unescape(value) if value is not None else None))
    return out


class Extractor:
    def __init__(self, *, github: bool) -> None:
        self.github = github
        self.line = 0
        self.lists: list[Elem] = []
        self.leaves: list[Elem] = []
        # open elements that collect text or end at their closing tag, with their tag
        self.open: list[tuple[str, Elem]] = []
        self.list_stack: list[Elem] = []
        self.item_stack: list[Elem] = []
        self.pre_depth = 0
        self.end_line = 0  # the data-rl-end of the tag being opened

    # ----------------------------------------------------------------------------- tags
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs} if attrs else _NO_ATTRS
        end = values.get(END_ATTR, "") if self.github else ""
        self.end_line = int(end) if end.isdigit() else 0
        if tag in ("ul", "ol"):
            start = values.get("start", "1").strip() or "1"
            elem = Elem("list", "ul" if tag == "ul" else f"ol:{start}", self.line, self.end_line)
            elem.depth = len(self.item_stack)
            (self.item_stack[-1].children if self.item_stack else self.lists).append(elem)
            self.list_stack.append(elem)
            self.open.append((tag, elem))
        elif tag == "li":
            item = Elem("item", "", self.line, self.end_line)
            if not self.list_stack:  # a stray <li>: give it an implicit list
                implicit = Elem("list", "ul", self.line)
                self.lists.append(implicit)
                self.list_stack.append(implicit)
                self.open.append(("ul", implicit))
            self.list_stack[-1].children.append(item)
            self.item_stack.append(item)
            self.open.append((tag, item))
        elif tag == "pre":
            self._leaf(tag, Elem("code", "", self.line))
            self.pre_depth += 1
        elif tag == "table":
            self._leaf(tag, Elem("table", "", self.line))
        elif tag in _HEADINGS:
            self._leaf(tag, Elem("heading", f"h{_HEADINGS[tag]}", self.line))
        elif tag in _STRUCK:
            self._leaf(tag, Elem("del", "", self.line))
        elif tag == "img":
            self._leaf(tag, Elem("image", norm_url(values.get("src", "")), self.line), closes=False)
        elif tag == "a" and "href" in values:
            self._leaf(tag, Elem("link", norm_url(values["href"]), self.line))
        elif tag == "input" and values.get("type", "").lower() == "checkbox":
            box = Elem("box", "x" if "checked" in values else " ", self.line)
            box.group = self.list_stack[-1].line if self.list_stack else self.line
            self._leaf(tag, box, closes=False)
        elif tag in DROPPED_BY_GITHUB and not self.github:
            self._leaf(tag, Elem("html", tag, self.line), closes=False)

    def feed(self, html: str) -> None:
        pos = 0
        size = len(html)
        while pos < size:
            start = html.find("<", pos)
            if start < 0:
                self.handle_data(html[pos:])
                return
            if start > pos:
                self.handle_data(html[pos:start])
            m = _TOKEN.match(html, start)
            if m is None:  # a lone "<" is text
                self.handle_data("<")
                pos = start + 1
                continue
            pos = m.end()
            if m.group(3) is None:
                if m.group(1) is not None:
                    self.handle_comment(m.group(1))
                continue
            tag = m.group(3).lower()
            if m.group(2):
                self.handle_endtag(tag)
                continue
            attr_text = m.group(4)
            self.handle_starttag(tag, _attrs(attr_text) if attr_text.strip(" /") else [])
            if attr_text.endswith("/") and tag not in _VOID:
                self.handle_endtag(tag)
            elif tag in _RAW_TEXT:
                close = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(html, pos)
                end = close.start() if close else size
                self.handle_data(html[pos:end])
                pos = end

    def _leaf(self, tag: str, elem: Elem, *, closes: bool = True) -> None:
        elem.end_line = self.end_line or self.line
        self.leaves.append(elem)
        if closes and tag not in _VOID:
            self.open.append((tag, elem))

    def handle_endtag(self, tag: str) -> None:
        # close up to the innermost open element with this tag; an unmatched end tag changes nothing
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                break
        else:
            return
        while len(self.open) > index:
            closed_tag, elem = self.open.pop()
            elem.end_line = max(elem.end_line or self.line, elem.line)
            if closed_tag in ("ul", "ol") and self.list_stack and self.list_stack[-1] is elem:
                self.list_stack.pop()
            elif closed_tag == "li" and self.item_stack and self.item_stack[-1] is elem:
                self.item_stack.pop()
            elif closed_tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    # ----------------------------------------------------------------------------- text
    def handle_data(self, data: str) -> None:
        if not self.open:
            return
        if "&" in data:
            data = unescape(data)
        for tag, elem in self.open:
            if tag in ("ul", "ol"):
                continue
            if tag == "li" and (elem is not (self.item_stack[-1] if self.item_stack else None)):
                continue  # an outer item does not collect its nested items' text
            if len(elem.text) < 4 * _HINT_CHARS:
                elem.text += data

    def handle_comment(self, data: str) -> None:
        if self.github and data.startswith(LINE_MARKER) and self.pre_depth == 0:
            number = data[len(LINE_MARKER) :]
            if number.isdigit():
                self.line = int(number)

    def result(self) -> Structure:
        while self.open:  # unclosed elements end where the document ends
            _, elem = self.open.pop()
            elem.end_line = max(self.line, elem.line)
        for elem in self.leaves:
            if elem.kind in ("code", "table", "heading"):
                elem.hint = norm(_first_line(elem.text))
            elif elem.kind in ("image", "link", "html"):
                elem.hint = elem.key
        for top in self.lists:
            _hint_items(top)
        return Structure(self.lists, self.leaves)


def _first_line(text: str) -> str:
    stripped = text.strip("\n")
    return stripped.split("\n", 1)[0]


def _hint_items(lst: Elem) -> None:
    for item in lst.children:
        item.hint = norm(_first_line(item.text))
        for nested in item.children:
            _hint_items(nested)
    lst.hint = lst.children[0].hint if lst.children else ""


def extract(html: str, *, github: bool) -> Structure:
    """The structure of a rendered page.  ``github``: the HTML is ours from ``github.render`` (line
    markers are read, tags GitHub removes are not structure)."""
    parser = Extractor(github=github)
    parser.feed(html)
    return parser.result()
