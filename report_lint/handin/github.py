"""The GitHub side: the report's own positioned parse rendered as GitHub shows it.

The report is already parsed once (mistune 3 with tables and strikethrough, plus our position layer; the
parser's CommonMark agreement is tested against markdown-it-py).  This module renders those nodes to HTML
and adds the two GFM extensions that parse leaves out, as GFM specifies them:

* task list items: a list item whose first paragraph starts with ``[ ]``, ``[x]`` or ``[X]`` and a space
  gets a check box;
* extended autolinks: ``https://…``, ``http://…`` and ``www.…`` in text become links (trailing punctuation
  and an unbalanced ``)`` are not part of the link); e-mail addresses are left out on purpose: shown as
  text, an address loses nothing a reader needs.

Raw HTML passes through, except the tags GFM's tag filter escapes (they are shown as text).  Every element
is preceded by a ``<!--rl-line:N-->`` marker with its source line, and blocks carry their last line in
a ``data-rl-end`` attribute; ``structure.extract`` reads both.
"""

from __future__ import annotations

import re
from html import escape

from report_lint.parsing.nodes import Node

from .structure import END_ATTR, LINE_MARKER

_TAGFILTER = re.compile(
    r"<(?=/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)\b)", re.IGNORECASE
)
_TASK = re.compile(r"^\[([ xX])\](?=[ \t]|$)[ \t]*")
_AUTOLINK = re.compile(r"(?:(?<=[\s*_~(])|^)(?:https?://|www\.)[^\s<]*", re.IGNORECASE)
_DOMAIN_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
_TRAILING = "?!.,:*_~'\""


def _marker(line: int) -> str:
    return f"<!--{LINE_MARKER}{line}-->"


def _end(node: Node) -> str:
    return f' {END_ATTR}="{node.span.end_line}"'


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


def _text(raw: str) -> str:
    out: list[str] = []
    pos = 0
    for start, end, href in autolinks(raw):
        out.append(escape(raw[pos:start], quote=False))
        out.append(f'<a href="{_attr(href)}">{escape(raw[start:end], quote=False)}</a>')
        pos = end
    out.append(escape(raw[pos:], quote=False))
    return "".join(out)


class _Renderer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def blocks(self, nodes: list[Node] | tuple[Node, ...]) -> None:
        for node in nodes:
            self.block(node)

    def block(self, node: Node) -> None:
        out = self.out
        kind = node.type
        out.append(_marker(node.span.line))
        if kind == "heading":
            level = int(node.attrs.get("level", 1))
            out.append(f"<h{level}>")
            self.inline(node.children)
            out.append(f"</h{level}>")
        elif kind in ("paragraph", "block_text"):
            out.append("<p>")
            self.inline(node.children)
            out.append("</p>")
        elif kind == "list":
            if node.attrs.get("ordered"):
                start = node.attrs.get("start")
                first = f' start="{int(start)}"' if start not in (None, 1) else ""
                out.append(f"<ol{first}{_end(node)}>")
            else:
                out.append(f"<ul{_end(node)}>")
            self.blocks(node.children)
            out.append("</ol>" if node.attrs.get("ordered") else "</ul>")
        elif kind == "list_item":
            out.append(f"<li{_end(node)}>")
            self.item(node)
            out.append("</li>")
        elif kind == "block_code":
            out.append(f"<pre{_end(node)}><code>")
            out.append(escape(node.raw, quote=False))
            out.append("</code></pre>")
        elif kind == "block_html":
            out.append(_filtered(node.raw))
        elif kind == "table":
            out.append(f"<table{_end(node)}>")
            self.table(node)
            out.append("</table>")
        elif kind == "block_quote":
            out.append("<blockquote>")
            self.blocks(node.children)
            out.append("</blockquote>")
        elif kind == "thematic_break":
            out.append("<hr>")
        elif kind != "blank_line":
            self.blocks(node.children)

    def item(self, node: Node) -> None:
        children = node.children
        first = children[0] if children else None
        if first is not None and first.type in ("paragraph", "block_text") and first.children:
            lead = first.children[0]
            match = _TASK.match(lead.raw) if lead.type == "text" else None
            if match:
                checked = " checked" if match.group(1) in "xX" else ""
                self.out.append(_marker(lead.span.line))
                self.out.append(f'<input type="checkbox" disabled{checked}>')
                self.out.append("<p>")
                self.inline([Node("text", lead.span, raw=lead.raw[match.end() :]), *first.children[1:]])
                self.out.append("</p>")
                self.blocks(children[1:])
                return
        self.blocks(children)

    def table(self, node: Node) -> None:
        for part in node.children:
            rows = [part] if part.type == "table_head" else part.children
            for row in rows:
                self.out.append(_marker(row.span.line))
                self.out.append("<tr>")
                for cell in row.children:
                    tag = "th" if cell.attrs.get("head") else "td"
                    self.out.append(f"<{tag}>")
                    self.inline(cell.children)
                    self.out.append(f"</{tag}>")
                self.out.append("</tr>")

    def inline(self, nodes: list[Node]) -> None:
        out = self.out
        index = 0
        while index < len(nodes):
            node = nodes[index]
            kind = node.type
            out.append(_marker(node.span.line))
            if kind == "text":
                # adjacent text nodes are one run of text for autolinking (the parser splits at `&`, `[` …)
                raw = [node.raw]
                while index + 1 < len(nodes) and nodes[index + 1].type == "text":
                    index += 1
                    raw.append(nodes[index].raw)
                out.append(_text("".join(raw)))
            elif kind == "link":
                out.append(f'<a href="{_attr(str(node.attrs.get("url", "")))}">')
                self.inline_plain(node.children)
                out.append("</a>")
            elif kind == "image":
                url = _attr(str(node.attrs.get("url", "")))
                out.append(f'<img src="{url}" alt="">')
            elif kind == "strikethrough":
                out.append("<del>")
                self.inline(node.children)
                out.append("</del>")
            elif kind == "codespan":
                out.append(f"<code>{escape(node.raw or str(node.attrs.get('text', '')), quote=False)}</code>")
            elif kind == "inline_html":
                out.append(_filtered(node.raw))
            elif kind == "softbreak":
                out.append("\n")
            elif kind == "linebreak":
                out.append("<br>\n")
            else:
                self.inline(node.children)
            index += 1

    def inline_plain(self, nodes: list[Node]) -> None:
        """Link text: no autolinks inside a link."""
        for node in nodes:
            self.out.append(_marker(node.span.line))
            if node.type == "text":
                self.out.append(escape(node.raw, quote=False))
            elif node.type == "image":
                self.out.append(f'<img src="{_attr(str(node.attrs.get("url", "")))}" alt="">')
            elif node.type == "inline_html":
                self.out.append(_filtered(node.raw))
            elif node.type in ("softbreak", "linebreak"):
                self.out.append("\n")
            else:
                self.inline_plain(node.children)


def render(blocks: list[Node] | tuple[Node, ...]) -> str:
    """GitHub's rendering of positioned blocks, with line markers."""
    renderer = _Renderer()
    renderer.blocks(blocks)
    return "".join(renderer.out)
