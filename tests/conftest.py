"""Hypothesis profiles: ``dev`` (default) and ``ci`` (``HYPOTHESIS_PROFILE=ci``, set by ``.ci/run``).

Neither changes ``max_examples``: the fuzz properties size themselves per profile (``tests/fuzz/fuzz_docs.py``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The suite compares exact text output; a developer's FORCE_COLOR would colour every CLI run the
# tests start.  Colour is tested on its own, with its own environment (tests/hostile/test_colour.py).
os.environ.pop("FORCE_COLOR", None)
