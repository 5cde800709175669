"""``--fix``: the one engine that applies the fixes rules offer with their findings.

A rule attaches to a finding an exact :class:`~report_lint.diagnostic.Fix` (edits in the report model's
positions, safe or unsafe); this package never decides what to fix, it only applies:

- :mod:`report_lint.fixes.edits` maps the edits onto the file's own text (its line endings, its BOM)
  and applies those that do not overlap, in file order; a later edit that touches an earlier one is
  left for the next pass;
- :mod:`report_lint.fixes.run` lints, applies, lints again until nothing is left to fix (at most
  :data:`~report_lint.fixes.run.MAX_PASSES` times), and writes the report atomically — or returns
  the unified diff instead (``--diff``).  The report file is the only file ever written.
"""

from __future__ import annotations
