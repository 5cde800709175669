"""The command line's shared pieces: one argparse parser class for ``report-lint`` and
``python -m report_lint.batch``, and the comma-list option type they both use."""

from __future__ import annotations

import argparse
import sys

from report_lint import terminal
from report_lint.errors import UsageError

DEFAULT_REPORT = "reports/README.md"


class Parser(argparse.ArgumentParser):
    """Usage errors as :class:`UsageError` (one line, exit 2); help text in the stream's encoding."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # imported here: only a usage error needs it, and `check` then imports nothing of batch
        from report_lint.batch.text import shown

        raise UsageError(shown(message, limit=None))  # one line: argparse echoes values as given

    def _print_message(self, message: str, file: terminal.Stream | None = None) -> None:
        # --help and --version: the stream's encoding, like every other output
        if message:
            terminal.write(file or sys.stdout, message)


def comma_list(value: str) -> list[str]:
    """``a, b,,c`` -> ``["a", "b", "c"]`` (for --select, --ignore and the like)."""
    return [part.strip() for part in value.split(",") if part.strip()]
