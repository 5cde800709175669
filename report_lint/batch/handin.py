"""Each group's hand-in page beside the dashboard: ``<out>/handin/<name>.html``.

The page is made in the worker (it has the report's text) as ``report-lint preview`` makes it: the
pack's cut and renderer, the same output bytes (Python-Markdown with the inline stage the rule uses,
which skips only patterns that cannot match: byte for byte the stock output).  Written to disk, it is
preceded by three ``<meta>`` lines (:data:`HEAD`) and nothing else changes: Python-Markdown passes a
report's raw HTML through, so without them opening a student's page from the dashboard would run any
``<script>`` the student wrote and load any web image, frame or style they linked.  The policy allows
no script and no network; the ``charset`` line makes a browser read the UTF-8 bytes as UTF-8 from
``file://``.
A policy cannot stop a ``<meta http-equiv="refresh">`` (it navigates anywhere) or a ``<link>`` that
preconnects, so a page whose report holds either tag is not written; the row says why.

File names come from the repository's display path, reduced to ``[A-Za-z0-9._-]`` (no name a shell,
a file system or a URL treats specially), cut to a bounded length, and made unique case-insensitively
(``-2``, ``-3``… in row order, which is deterministic) so that two groups never share a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from report_lint.batch.rows import RepoRow
from report_lint.engine import LintOptions, resolve_pack
from report_lint.errors import ReportLintError

FOLDER = "handin"
HEAD = (
    '<meta charset="utf-8">\n'
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'\">\n"
    '<meta name="referrer" content="no-referrer">\n'
)
MAX_NAME = 80  # characters before ".html"


# Tags a browser acts on whatever the policy says: any <meta> (http-equiv="refresh" leaves the page for
# any address) and any <link> with attributes (a preconnect or DNS prefetch contacts a server).  A bare
# <link> is a student's placeholder ("see <LINK>") and harmless.  Checked by regular expressions that
# never backtrack over more than one whitespace run, so the check is linear in the page (an HTML
# parser is quadratic on a page of unclosed tags).
_META = re.compile(r"<meta(?=[\s/>])", re.IGNORECASE)
_LINK = re.compile(r"<link(?=[\s/>])(?!\s*/?>)", re.IGNORECASE)


def active_tag(page: str) -> str:
    """``"meta"`` or ``"link"`` when the page holds such a tag, else ``""``."""
    if _META.search(page):
        return "meta"
    return "link" if _LINK.search(page) else ""


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+", re.ASCII)


def handin_page(
    text: str, had_bom: bool, options: LintOptions, root: Path, linted_with: str
) -> tuple[str | None, str]:
    """The hand-in page for a report's text, or ``None`` and why there is none (one line).

    ``linted_with`` is the name of the pack the lint used: without ``--rules`` that pack was detected
    among the built-in ones, and loading it by name (cached) gives the pack ``preview``'s detection
    gives, without detecting again (a twentieth of a lint)."""
    from report_lint.handin.export import Pipeline, export_text, render, too_costly
    from report_lint.packs.loader import load_pack

    pack = resolve_pack(text, options, root) if options.pack else load_pack(linted_with)
    if pack.handin is None:
        return None, f"rule pack {pack.name} describes no hand-in export"
    pipeline = Pipeline(extensions=tuple(pack.handin.extensions), skip_chars=pack.handin.skip_chars)
    # the file's bytes as far as the export's reading can tell them apart (newlines are normalised by
    # both; a NUL, which the lint's text holds as U+FFFD, is the one difference left)
    full = export_text((("\ufeff" if had_bom else "") + text).encode("utf-8"))
    reason = too_costly(full[pipeline.skip_chars :])
    if reason is not None:
        return None, f"hand-in page not rendered: {reason}"
    try:
        # export_html's rendering with the rule's inline stage (``fast``, report_lint/handin/inline.py):
        # byte for byte the stock output (it only skips inline patterns whose trigger characters the
        # text lacks), ≈ 18 → 12 ms CPU per real-shaped page, ≈ 6 % of a batch row
        page = render(full[pipeline.skip_chars :], pipeline.extensions, fast=True)
    except ReportLintError as exc:  # an extension the pack names cannot be loaded
        return None, " ".join(str(exc).split())
    active = active_tag(page)
    if active:
        return None, (
            f"hand-in page not written: the report holds a <{active}> tag that a browser "
            "obeys before any protection applies (it can leave the page or contact a server); "
            "`report-lint preview` writes the page"
        )
    return page, ""


def safe_name(path: str) -> str:
    """A file name (without ``.html``) made of ``[A-Za-z0-9._-]`` from a display path."""
    name = _UNSAFE.sub("_", path.replace("/", "-")).strip("._-")[:MAX_NAME].rstrip("._-")
    return name or "repository"


def write_pages(rows: Sequence[RepoRow], out: Path) -> int:
    """Write every row's page, set its ``handin_preview`` (relative to ``out``); return how many."""
    taken: set[str] = set()
    written = 0
    for row in rows:
        if row.handin_html is None:
            continue
        base = safe_name(row.path)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        if not written:
            (out / FOLDER).mkdir(exist_ok=True)
        (out / FOLDER / f"{name}.html").write_bytes((HEAD + row.handin_html).encode("utf-8"))
        row.handin_preview = f"{FOLDER}/{name}.html"
        row.handin_html = None  # written: not kept in memory for the other outputs
        written += 1
    return written
