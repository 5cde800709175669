"""figure-format: a figure that is not a PNG or JPEG, by name or by content.

Only the first bytes of listed files are read, through ``ctx.files()``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from report_lint.checks._util import ACCEPTED_EXTENSIONS, finding_at, local_figure, read_head, resolve
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import Report

NAME = "figure-format"
SUMMARY = "A figure is not a .png/.jpg/.jpeg file, or its bytes are not the image type its name says."
HELP = (
    "The template asks for figures as `.png`, `.jpg` or `.jpeg`; other formats (`.svg`, `.pdf`, `.webp`, "
    "`.heic`) may not appear in the exported hand-in. A file renamed from `.jpg` to `.png` keeps its JPEG "
    "bytes, which some viewers refuse: export it again in the format its name says, or fix the extension."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "![architecture](figures/architecture.svg)"
HOW_TO_FIX = (
    "Export the figure as PNG or JPEG and link the new file (or rename it to the format its bytes are)."
)

_HEAD = 32


def sniff(head: bytes) -> str | None:
    """The image type the first bytes announce, or a description of what the file is instead."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head.startswith(b"%PDF"):
        return "PDF"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return "HEIC"
        return "AVIF" if brand == b"avif" else None
    if head.startswith(b"BM"):
        return "BMP"
    if head.startswith(b"version https://git"):
        return "Git LFS pointer"
    stripped = head.lstrip()
    if stripped.startswith((b"<svg", b"<?xml")):
        return "SVG"
    if stripped[:1] == b"<":
        return "HTML or XML text"
    return None


_EXPECTED = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for image in report.images:
        if image.in_prompt:
            continue
        target = resolve(report, image.src)
        if target.kind != "local":
            continue
        extension = posixpath.splitext(target.rel)[1].lower()
        if extension not in ACCEPTED_EXTENSIONS:
            shown = f"the `{extension}` format" if extension else "no file extension"
            yield finding_at(
                image.span,
                f"figure `{image.src.strip()}` has {shown}: "
                "the template asks for .png, .jpg or .jpeg; export it as PNG",
                image.question,
            )
            continue
        rel = local_figure(ctx, report, image.src)
        if rel is None:
            continue  # missing-figure reports it
        head = read_head(ctx, rel, _HEAD)
        if head is None:
            continue
        expected = _EXPECTED[extension]
        if not head:
            yield finding_at(image.span, f"figure `{image.src.strip()}` is an empty file", image.question)
            continue
        actual = sniff(head)
        if actual == expected:
            continue
        if actual is None:
            what = f"is not a {expected} image (its first bytes match no image format)"
        elif actual == "Git LFS pointer":
            what = "is a Git LFS pointer, not the image: GitHub Pages and the course export show no picture"
        else:
            what = f"is really a {actual} file, not {expected}"
        fix = {"PNG": ".png", "JPEG": ".jpg"}.get(actual or "")
        advice = f"; rename it to {fix}" if fix else f"; export it again as {expected}"
        if actual == "Git LFS pointer":
            advice = "; commit the image itself"
        yield finding_at(image.span, f"figure `{image.src.strip()}` {what}{advice}", image.question)
