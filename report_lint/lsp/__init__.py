"""``report-lint lsp``: live diagnostics in the editor (needs the ``lsp`` extra: pygls).

Importing this package is cheap and never imports pygls: the CLI calls :func:`main`, which says how to
install the extra when pygls is missing.
"""

from __future__ import annotations

import sys

INSTALL_HINT = "pip install 'report-lint[lsp]'"


def main() -> int:
    """Serve LSP over stdin/stdout until the client says exit; 2 when the extra is not installed."""
    try:
        import pygls  # noqa: F401  (only to see whether the extra is installed)
    except ImportError:
        sys.stderr.write(f"report-lint: error: the language server needs pygls: {INSTALL_HINT}\n")
        return 2
    from report_lint.lsp.server import serve

    serve()
    return 0
