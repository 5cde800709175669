"""The command line of a generated documentation file (docs/rules.md, docs/evidence-rules.md):
write it, or with ``--check`` say whether the committed copy is current."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def generated_doc_main(
    argv: list[str] | None,
    *,
    prog: str,
    description: str | None,
    render: Callable[[], str],
    default_output: Callable[[], Path],
) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    parser.add_argument("--output", type=Path, default=None, help="where to write (default: the docs file)")
    args = parser.parse_args(argv)
    target: Path = args.output or default_output()
    text = render()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            sys.stderr.write(f"{target} is out of date: run {prog}\n")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0
