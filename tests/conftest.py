"""Hypothesis profiles: ``dev`` (default) and ``ci`` (``HYPOTHESIS_PROFILE=ci``, set by ``.ci/run``).

Neither changes ``max_examples``: the fuzz properties size themselves per profile (``tests/fuzz/fuzz_docs.py``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings
from tooling import in_ci

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under CI=true a test parametrised over ../shared files that found none fails instead of
    skipping ("got empty parameter set"): CI has ../shared beside the clone, so an empty set is a bug."""
    if not in_ci():
        return
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        empty = [
            m
            for m in item.own_markers
            if m.name == "skip" and "got empty parameter set" in str(m.kwargs.get("reason", ""))
        ]
        if not empty:
            continue
        item.own_markers = [m for m in item.own_markers if m not in empty]
        reason = str(empty[0].kwargs["reason"])

        def fail(reason: str = reason) -> None:
            pytest.fail(f"{reason} (CI=true: required, not skipped)", pytrace=False)

        # the empty set's NOTSET parameter cannot be set up: fail before any fixture is made
        item.setup = fail  # type: ignore[method-assign]
        item.runtest = fail  # type: ignore[method-assign]
