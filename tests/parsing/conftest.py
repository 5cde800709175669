"""Hypothesis profiles for the parsing tests.

The committed example counts keep the suite fast; for a bug hunt run e.g.
``python -m pytest tests/parsing --hypothesis-profile=deep --hypothesis-seed=N`` (every property test
then runs at least ``deep``'s ``max_examples``).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("deep", max_examples=int(os.environ.get("REPORT_LINT_DEEP_EXAMPLES", "3000")))
