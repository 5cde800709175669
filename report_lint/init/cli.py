"""The ``init`` subcommand: read a blank template, write its pack, print what was found."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from report_lint import terminal
from report_lint.errors import InputError, UsageError
from report_lint.source import decode

MAX_TEMPLATE_BYTES = 5_000_000


def add_parser(sub: Any) -> None:
    init = sub.add_parser("init", help="write a rule pack for a course's blank report template")
    init.add_argument("template", metavar="TEMPLATE.md", help="the blank template (Markdown)")
    init.add_argument("-o", "--output", metavar="PACK.yaml", help="write the pack here (default: stdout)")
    init.add_argument("--name", help="the pack's name (default: from the template's file name)")
    init.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    init.add_argument(
        "--standalone", action="store_true", help="never extend a built-in DTU pack, even for a DTU template"
    )


def _name(template: Path) -> str:
    stem = template.stem.lower() if template.stem.lower() not in ("readme", "template", "index") else ""
    base = stem or template.resolve().parent.name.lower()
    slug = re.sub(r"[^a-z0-9.-]+", "-", base).strip("-.")
    return slug if slug and slug[0].isalnum() else "course"


def _read(template: Path) -> str:
    try:
        raw = template.read_bytes()
    except OSError as exc:
        raise InputError(f"{template}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise InputError(f"{template}: larger than {MAX_TEMPLATE_BYTES} bytes, not a report template")
    # the reports' own decoder: BOM, UTF-16, binary and bad UTF-8 (at its line) as for a report
    return decode(raw, str(template)).text


def _validate(text: str) -> None:
    """Load the written pack as `check --rules` will: init never hands out a pack that does not load."""
    from report_lint.packs.loader import load_pack

    with tempfile.TemporaryDirectory(prefix="report-lint-init-") as tmp:
        path = Path(tmp) / "pack.yaml"
        path.write_text(text, encoding="utf-8")
        load_pack(str(path))


def run(args: argparse.Namespace) -> int:
    from report_lint.init.draft import InitError, draft

    template = Path(args.template)
    if args.output and Path(args.output).exists() and not args.force:
        raise UsageError(f"--output {args.output} exists: pass --force to overwrite it")
    name = args.name or _name(template)
    if not re.match(r"^[a-z0-9][a-z0-9.-]*$", name):
        raise UsageError(f"--name {name!r}: use lower-case letters, digits, `.` and `-`")
    try:
        result = draft(template, _read(template), name=name, standalone=args.standalone)
    except InitError as exc:
        raise InputError(f"{template}: {exc}") from None
    _validate(result.text)
    if args.output:
        try:
            Path(args.output).write_text(result.text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {args.output}: cannot write: {exc.strerror or exc}") from None
        terminal.write(sys.stderr, f"wrote {args.output}: {result.summary}\n")
    else:
        terminal.write(sys.stdout, result.text)
        terminal.write(sys.stderr, result.summary + "\n")
    return 0
