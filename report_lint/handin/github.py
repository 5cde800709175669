"""The GitHub side: the report's own positioned parse rendered as GitHub shows it.

The report is already parsed once (mistune 3 with tables and strikethrough, plus our position layer; the
parser's CommonMark agreement is tested against markdown-it-py).  This module renders those nodes to HTML
and adds the two GFM extensions that parse leaves out, as GFM specifies them:

* task list items: a list item whose first paragraph starts with ``[ ]``, ``[x]`` or ``[X]`` and a space
  gets a check box;
* extended autolinks: ``https://…``, ``http://…``, ``ftp://…`` and ``www.…`` in text become links
  (trailing punctuation and an unbalanced ``)`` are not part of the link); e-mail addresses are left out
  on purpose: shown as text, an address loses nothing a reader needs.

Raw HTML passes through, except the tags GFM's tag filter escapes (they are shown as text).  Every element
is preceded by a ``<!--rl-line:N-->`` marker with its source line, and blocks carry their last line in
a ``data-rl-end`` attribute; ``structure.extract`` reads both.
"""

from __future__ import annotations

import re
from html import escape
from typing import Protocol

from report_lint.parsing.nodes import Node

from .structure import END_ATTR, EVENT_TAGS, LINE_MARKER, Extractor, Structure

_TAGFILTER = re.compile(
    r"<(?=/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)\b)", re.IGNORECASE
)
_TASK = re.compile(r"^\[([ xX])\](?=[ \t]|$)[ \t]*")
# cmark-gfm's rules: a `scheme://` link may follow anything but a letter (the scheme is read backwards over
# letters and must then be http, https or ftp); a `www.` link only the line start, a space or `*_~(`.
_AUTOLINK = re.compile(r"(?:(?<![A-Za-z])(?:https?|ftp)://|(?:(?<=[\s*_~(])|^)www\.)[^\s<]*", re.IGNORECASE)
_DOMAIN_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
_TRAILING = "?!.,:*_~'\""


def _filtered(raw: str) -> str:
    return _TAGFILTER.sub("&lt;", raw)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _valid_domain(host: str) -> bool:
    segments = host.split(".")
    if len(segments) < 2 or not all(_DOMAIN_SEGMENT.match(s) for s in segments):
        return False
    return "_" not in segments[-1] and "_" not in segments[-2]


def _trim(candidate: str) -> str:
    """GFM's extended autolink path validation: drop trailing punctuation and unbalanced ``)``."""
    while candidate:
        last = candidate[-1]
        if last in _TRAILING or (last == ")" and candidate.count(")") > candidate.count("(")):
            candidate = candidate[:-1]
        elif last == ";" and re.search(r"&[A-Za-z0-9]+;$", candidate):
            candidate = candidate[: candidate.rfind("&")]
        else:
            break
    return candidate


def autolinks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, href) of each URL GitHub links in plain ``text``."""
    found: list[tuple[int, int, str]] = []
    for match in _AUTOLINK.finditer(text):
        candidate = _trim(match.group(0))
        lowered = candidate.lower()
        rest = candidate.split("://", 1)[1] if "://" in candidate else candidate
        host = re.split(r"[/?#]", rest, maxsplit=1)[0]
        if not host or not _valid_domain(host):
            continue
        if lowered.startswith("www.") and len(candidate) <= 4:
            continue
        href = candidate if "://" in candidate else "http://" + candidate
        found.append((match.start(), match.start() + len(candidate), href))
    return found


Attrs = list[tuple[str, str | None]]


class Sink(Protocol):
    """Where the renderer's output goes: an HTML string (the preview page) or straight into the
    structure extractor (the rule: no HTML is built or tokenized for Markdown-made elements)."""

    def line(self, number: int) -> None: ...
    def open(self, tag: str, attrs: Attrs) -> None: ...
    def close(self, tag: str) -> None: ...
    def text(self, text: str) -> None: ...
    def raw(self, html: str) -> None: ...


class HtmlSink:
    def __init__(self) -> None:
        self.out: list[str] = []
        self._line = 0

    def line(self, number: int) -> None:
        if number != self._line:
            self._line = number
            self.out.append(f"<!--{LINE_MARKER}{number}-->")

    def open(self, tag: str, attrs: Attrs) -> None:
        rendered = "".join(f' {k}="{_attr(v)}"' if v is not None else f" {k}" for k, v in attrs)
        self.out.append(f"<{tag}{rendered}>")

    def close(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def text(self, text: str) -> None:
        self.out.append(escape(text, quote=False))

    def raw(self, html: str) -> None:
        self.out.append(html)


class StructureSink:
    def __init__(self) -> None:
        self.extractor = Extractor(github=True)

    def line(self, number: int) -> None:
        self.extractor.line = number

    def open(self, tag: str, attrs: Attrs) -> None:
        if tag in EVENT_TAGS:  # the others (p, code, blockquote, tr, td, th) change nothing in it
            self.extractor.handle_starttag(tag, attrs)

    def close(self, tag: str) -> None:
        if tag in EVENT_TAGS:
            self.extractor.handle_endtag(tag)

    def text(self, text: str) -> None:
        self.extractor.handle_data(text)

    def raw(self, html: str) -> None:
        self.extractor.feed(html)


def _end(node: Node) -> tuple[str, str]:
    return (END_ATTR, str(node.span.end_line))


class _Renderer:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def blocks(self, nodes: list[Node] | tuple[Node, ...], content_column: int = 0) -> None:
        for node in nodes:
            if node.type == "table" and node.span.column < content_column:
                # the parser's table-in-list/quote rules also take a table written on lazy continuation
                # lines (not indented into the item, no `>`); CommonMark reads those lines as paragraph
                # text (markdown-it-py agrees), and so does GitHub
                self.lazy_table(node)
            else:
                self.block(node)

    def lazy_table(self, node: Node) -> None:
        self.sink.line(node.span.line)
        self.sink.open("p", [])
        for part in node.walk():
            if part.type == "table_cell":
                self.inline(part.children)
                self.sink.text(" ")
        self.sink.close("p")

    @staticmethod
    def _content_column(node: Node) -> int:
        first = next((c for c in node.children if c.type != "blank_line"), None)
        return first.span.column if first is not None else 0

    def block(self, node: Node) -> None:
        sink = self.sink
        kind = node.type
        sink.line(node.span.line)
        if kind == "heading":
            tag = f"h{int(node.attrs.get('level', 1))}"
            sink.open(tag, [])
            self.inline(node.children)
            sink.close(tag)
        elif kind in ("paragraph", "block_text"):
            sink.open("p", [])
            self.inline(node.children)
            sink.close("p")
        elif kind == "list":
            tag = "ol" if node.attrs.get("ordered") else "ul"
            attrs: Attrs = [_end(node)]
            start = node.attrs.get("start")
            if tag == "ol" and start not in (None, 1):
                attrs.append(("start", str(int(start))))
            sink.open(tag, attrs)
            self.blocks(node.children)
            sink.close(tag)
        elif kind == "list_item":
            sink.open("li", [_end(node)])
            self.item(node)
            sink.close("li")
        elif kind == "block_code":
            sink.open("pre", [_end(node)])
            sink.open("code", [])
            sink.text(node.raw)
            sink.close("code")
            sink.close("pre")
        elif kind == "block_html":
            sink.raw(_filtered(node.raw))
        elif kind == "table":
            sink.open("table", [_end(node)])
            self.table(node)
            sink.close("table")
        elif kind == "block_quote":
            sink.open("blockquote", [])
            self.blocks(node.children, self._content_column(node))
            sink.close("blockquote")
        elif kind == "thematic_break":
            sink.raw("<hr>")
        elif kind != "blank_line":
            self.blocks(node.children)

    def item(self, node: Node) -> None:
        children = node.children
        first = children[0] if children else None
        if first is not None and first.type in ("paragraph", "block_text") and first.children:
            lead = first.children[0]
            match = _TASK.match(lead.raw) if lead.type == "text" else None
            if match:
                self.sink.line(lead.span.line)
                attrs: Attrs = [("type", "checkbox"), ("disabled", None)]
                if match.group(1) in "xX":
                    attrs.append(("checked", None))
                self.sink.open("input", attrs)
                self.sink.open("p", [])
                self.inline([Node("text", lead.span, raw=lead.raw[match.end() :]), *first.children[1:]])
                self.sink.close("p")
                self.blocks(children[1:], self._content_column(node))
                return
        self.blocks(children, self._content_column(node))

    def table(self, node: Node) -> None:
        for part in node.children:
            rows = [part] if part.type == "table_head" else part.children
            for row in rows:
                self.sink.line(row.span.line)
                self.sink.open("tr", [])
                for cell in row.children:
                    tag = "th" if cell.attrs.get("head") else "td"
                    self.sink.open(tag, [])
                    self.inline(cell.children)
                    self.sink.close(tag)
                self.sink.close("tr")

    def _text(self, raw: str) -> None:
        if "://" not in raw and "www." not in raw.lower():  # no autolink can start here
            self.sink.text(raw)
            return
        pos = 0
        for start, end, href in autolinks(raw):
            self.sink.text(raw[pos:start])
            self.sink.open("a", [("href", href)])
            self.sink.text(raw[start:end])
            self.sink.close("a")
            pos = end
        self.sink.text(raw[pos:])

    def inline(self, nodes: list[Node] | tuple[Node, ...], *, links: bool = True) -> None:
        """Inline nodes; ``links=False`` inside a link's text (no autolinks, no nested links)."""
        sink = self.sink
        index = 0
        while index < len(nodes):
            node = nodes[index]
            kind = node.type
            sink.line(node.span.line)
            if kind == "text":
                # adjacent text nodes are one run of text for autolinking (the parser splits at `&`, `[` …)
                raw = [node.raw]
                while index + 1 < len(nodes) and nodes[index + 1].type == "text":
                    index += 1
                    raw.append(nodes[index].raw)
                if links:
                    self._text("".join(raw))
                else:
                    sink.text("".join(raw))
            elif kind == "link" and links:
                sink.open("a", [("href", str(node.attrs.get("url", "")))])
                self.inline(node.children, links=False)
                sink.close("a")
            elif kind == "image":
                sink.open("img", [("src", str(node.attrs.get("url", ""))), ("alt", "")])
            elif kind == "strikethrough":
                sink.open("del", [])
                self.inline(node.children, links=links)
                sink.close("del")
            elif kind == "codespan":
                sink.open("code", [])
                sink.text(node.raw or str(node.attrs.get("text", "")))
                sink.close("code")
            elif kind == "inline_html":
                sink.raw(_filtered(node.raw))
            elif kind == "softbreak":
                sink.text("\n")
            elif kind == "linebreak":
                sink.raw("<br>\n")
            else:
                self.inline(node.children, links=links)
            index += 1


def render(blocks: list[Node] | tuple[Node, ...]) -> str:
    """GitHub's rendering of positioned blocks as HTML, with line markers (for the preview page)."""
    sink = HtmlSink()
    _Renderer(sink).blocks(blocks)
    return "".join(sink.out)


def structure(blocks: list[Node] | tuple[Node, ...]) -> Structure:
    """The structure of GitHub's rendering, without building the HTML: what ``extract(render(blocks),
    github=True)`` returns (tested)."""
    sink = StructureSink()
    _Renderer(sink).blocks(blocks)
    return sink.extractor.result()
