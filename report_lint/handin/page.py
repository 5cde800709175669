"""``preview --compare``: one self-contained page, the hand-in beside a GitHub-like rendering.

Each answer is shown twice, side by side (left: the hand-in as the export renders it; right: GitHub's
structure), with its differences listed and linked to the numbered source below.  Report text is
untrusted: both renderings are raw HTML from the student, so each sits in a ``sandbox`` iframe (its own
document: an unclosed tag cannot swallow the page, and nothing runs), and the page's Content-Security-Policy
allows no script, no request and no image load at all (``default-src 'none'``, images only as ``data:``):
opened from ``file://`` it touches nothing but itself.  Everything we write ourselves is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from report_lint.diagnostic import Diagnostic
from report_lint.model import Report

from .analysis import AnswerRendering
from .structure import LINE_MARKER

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
FRAME_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)
# Attributes that make a browser fetch, connect or navigate.  The policy blocks loads, but Chromium still
# preconnects to an <iframe src> host while parsing, and a meta refresh navigates the frame itself; so in
# the framed copies these attributes are renamed (``src`` -> ``data-rl-src``): the markup stays visible in
# the page's source, nothing can reach out.
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*(?:[^>\"']|\"[^\"]{0,1024}\"|'[^']{0,1024}'){0,1024}>")
_URL_ATTR = re.compile(
    r"(?<=[\s/\"'])(src|srcset|imagesrcset|href|xlink:href|action|formaction|poster|data|background|ping|"
    r"longdesc|cite|manifest|codebase|http-equiv)(?=\s*=)",
    re.IGNORECASE,
)
_MARKERS = re.compile(r"<!--" + re.escape(LINE_MARKER) + r"\d+-->| data-rl-end=\"\d+\"")

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:12px 20px}header h1{font-size:18px;margin:0 0 4px}
header a{color:#9ecbff;margin-right:6px}
main{padding:12px 20px}section{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:12px 0}
section.differs{border-color:#cf222e;box-shadow:0 0 0 2px #ffebe9}
section h2{font-size:15px;margin:0;padding:8px 12px;border-bottom:1px solid #d0d7de}
summary{cursor:pointer;list-style:none}summary h2{display:inline-block;border:0;color:#57606a}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:8px}
.cols h3{font-size:12px;margin:0 0 4px;color:#57606a;text-transform:uppercase}
iframe{width:100%;height:200px;border:1px solid #d0d7de;border-radius:4px;background:#fff}
ul.diffs{margin:0;padding:8px 12px 8px 32px}ul.diffs li{margin:2px 0}
.sev-error{color:#cf222e;font-weight:600}.sev-warning{color:#9a6700;font-weight:600}
pre.source{margin:0;padding:8px 0;overflow:auto;font:12px/1.5 ui-monospace,monospace;white-space:pre-wrap}
pre.source span{display:block;padding:0 12px}pre.source span.hit{background:#fff8c5}
pre.source span:target{background:#ffd8b5}pre.source b{display:inline-block;width:48px;color:#8c959f}
.ok{color:#1a7f37}
"""

_FRAME_STYLE = (
    "<style>body{font:14px/1.45 system-ui,sans-serif;margin:8px}pre{background:#f6f8fa;padding:8px;"
    "overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 6px}"
    "img{outline:1px dashed #8c959f;min-width:40px;min-height:20px}</style>"
)


def inert(html: str) -> str:
    """``html`` with every attribute that could fetch or navigate renamed (see ``_URL_ATTR``)."""
    return _TAG.sub(lambda m: _URL_ATTR.sub(r"data-rl-\1", m.group(0)), html)


def _frame(title: str, html: str) -> str:
    # each framed document carries its own policy too: nothing inside may load a frame, image or script
    policy = f'<meta http-equiv="Content-Security-Policy" content="{FRAME_CSP}">'
    doc = f"<!doctype html><meta charset='utf-8'>{policy}{_FRAME_STYLE}{inert(html)}"
    return f'<iframe sandbox="" title="{escape(title)}" srcdoc="{escape(doc, quote=True)}"></iframe>'


def _diag_item(d: Diagnostic) -> str:
    return (
        f'<li><a href="#L{d.line}">line {d.line}</a> <span class="sev-{d.severity}">{d.code}</span> '
        f"{escape(d.message)}</li>"
    )


def _section(report: Report, rendering: AnswerRendering, diags: Sequence[Diagnostic]) -> str:
    mine = [d for d in diags if rendering.first_line <= d.line <= rendering.last_line]
    hits = {line for d in mine for line in range(d.line, d.end_line + 1)}
    rows = "".join(
        f'<span id="L{n}"{" class=hit" if n in hits else ""}><b>{n}</b>{escape(text)}</span>'
        for n, text in rendering.lines
    )
    listed = (
        f'<ul class="diffs">{"".join(_diag_item(d) for d in mine)}</ul>'
        if mine
        else '<p class="ok" style="padding:0 12px">both pages show the same structure</p>'
    )
    github_html = _MARKERS.sub("", rendering.github_html)
    title = (
        f"Question {rendering.question} · lines {rendering.first_line}–{rendering.last_line}"
        f" · {len(mine)} difference{'s' if len(mine) != 1 else ''}"
    )
    inner = (
        f"{listed}"
        '<div class="cols">'
        f"<div><h3>hand-in (what staff grade)</h3>{_frame('hand-in', rendering.handin_html)}</div>"
        f"<div><h3>GitHub</h3>{_frame('GitHub', github_html)}</div>"
        f'</div><pre class="source">{rows}</pre>'
    )
    if mine:
        return f'<section id="q{rendering.question}" class="differs"><h2>{title}</h2>{inner}</section>'
    # answers that render the same stay folded: the page is about the differences
    return (
        f'<section id="q{rendering.question}"><details><summary><h2>{title}</h2></summary>'
        f"{inner}</details></section>"
    )


def render(
    report: Report,
    renderings: Sequence[AnswerRendering],
    diagnostics: Sequence[Diagnostic],
    handin_page: str,
) -> str:
    """The whole comparison page for one report."""
    top = [d for d in diagnostics if not any(r.first_line <= d.line <= r.last_line for r in renderings)]
    counts = sum(1 for d in diagnostics if d.rule == "handin-render")
    summary = f"{counts} difference{'s' if counts != 1 else ''} in {len(renderings)} answers" + (
        f" · {len(top)} more outside the answers" if top else ""
    )
    head_list = f'<ul class="diffs">{"".join(_diag_item(d) for d in top)}</ul>' if top else ""
    body = "".join(_section(report, r, diagnostics) for r in renderings)
    nav = " ".join(
        f'<a href="#q{r.question}">Q{r.question}</a>'
        for r in renderings
        if any(r.first_line <= d.line <= r.last_line for d in diagnostics)
    )
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>hand-in preview: {escape(report.path)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>Hand-in preview · {escape(report.path)}</h1>{escape(summary)}"
        f'<nav style="margin-top:4px">{nav}</nav></header><main>'
        f"{head_list}"
        "<section><details><summary><h2>The whole hand-in page, as the course's export makes it</h2>"
        f'</summary><div style="padding:8px">{_frame("whole hand-in", handin_page)}</div></details></section>'
        f"{body}</main></body></html>\n"
    )
