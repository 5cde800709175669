"""The independent oracle of the hand-in tests: do GitHub and the hand-in show the same structure?

GitHub: stock mistune's own HTML renderer with its GFM plugins (table, strikethrough, task lists, url).
Hand-in: ``markdown.markdown`` exactly as the course's export calls it.  Each page is projected onto the
structure handin-render compares (list tree; code blocks, tables, images, links, headings, struck text,
check boxes and raw elements GitHub removes, in order) by a plain ``html.parser`` stack, written apart
from the rule's own extractor.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import mistune

_GITHUB = mistune.create_markdown(
    renderer="html", escape=False, plugins=["table", "strikethrough", "task_lists", "url"]
)
_DROPPED = {"script", "style", "iframe", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"}
_DROPPED |= {"form", "button", "select", "object", "embed"}


class _Projection(HTMLParser):
    """(list tree, leaves) of a page, built with a plain stack of open lists and items."""

    def __init__(self, keep_dropped: bool) -> None:
        super().__init__()
        self.keep_dropped = keep_dropped
        self.root: list[object] = []
        self.stack: list[tuple[str, list[object]]] = [("root", self.root)]
        self.leaves: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("ul", "ol"):
            children: list[object] = []
            key = "ul" if tag == "ul" else "ol:" + (a.get("start", "1").strip() or "1")
            self.stack[-1][1].append((key, children))
            self.stack.append((tag, children))
        elif tag == "li":
            nested: list[object] = []
            self.stack[-1][1].append(("item", nested))
            self.stack.append(("li", nested))
        elif tag == "pre":
            self.leaves.append(("code", ""))
        elif tag == "table":
            self.leaves.append(("table", ""))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.leaves.append(("heading", tag))
        elif tag in ("del", "s", "strike"):
            self.leaves.append(("del", ""))
        elif tag == "img":
            self.leaves.append(("image", a.get("src", "").strip()))
        elif tag == "a" and "href" in a:
            self.leaves.append(("link", a["href"].strip()))
        elif tag == "input" and a.get("type") == "checkbox":
            self.leaves.append(("box", "x" if "checked" in a else " "))
        elif tag in _DROPPED and self.keep_dropped:
            self.leaves.append(("html", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol", "li"):
            while len(self.stack) > 1:
                if self.stack.pop()[0] == tag:
                    break


def _project(html: str, *, keep_dropped: bool) -> tuple[object, object]:
    parser = _Projection(keep_dropped)
    parser.feed(html)
    parser.close()
    return repr(parser.root), parser.leaves


def agree(answer: str) -> bool:
    github = _project(str(_GITHUB(answer + "\n")), keep_dropped=False)
    handin = _project(markdown.markdown(answer + "\n"), keep_dropped=True)
    return github == handin


# The course's `report.py html`, as ../shared/templates/README.md describes it, run as its own Python
# process in the report's folder: `open("README.md").read()` with the platform's default encoding (a
# UTF-8 locale, as on the course's machines), `text[43:]`, `markdown.markdown`, written to report.html.
EXPORT = (
    "import markdown\n"
    "text = open('README.md').read()\n"
    "open('report.html', 'w').write(markdown.markdown(text[43:]))\n"
)


def export_page(report_dir: Path) -> bytes:
    """The bytes of report.html as the course's export writes it for ``report_dir/README.md`` (written in
    a scratch copy of the folder: the report's own folder is never written into)."""
    with tempfile.TemporaryDirectory(prefix="rl-export-") as scratch:
        shutil.copyfile(report_dir / "README.md", Path(scratch) / "README.md")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
        env.update(PYTHONUTF8="1", LANG="C.UTF-8")
        subprocess.run([sys.executable, "-c", EXPORT], cwd=scratch, env=env, check=True)
        return (Path(scratch) / "report.html").read_bytes()


def export_text(report_dir: Path) -> str:
    """What the export's ``open("README.md").read()`` returns (UTF-8 locale)."""
    with open(report_dir / "README.md", encoding="utf-8") as handle:
        return handle.read()
