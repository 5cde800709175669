"""Errors that end a run with exit 2 and one clear line (never a traceback).

Messages may quote untrusted text (a configuration key, a path, a parser's own multi-line problem
text): :func:`report_lint.terminal.error` prints them neutralised and folded onto one line, so a
message is written plainly here and never escaped twice.
"""


class ReportLintError(Exception):
    """Base: the message is the whole one-line explanation."""


class UsageError(ReportLintError):
    """Bad command line or configuration."""


class InputError(ReportLintError):
    """A report or repository that cannot be read."""


class PackError(ReportLintError):
    """A malformed rule pack; the message starts with file:line:col."""
