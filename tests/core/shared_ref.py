"""The reference material beside the project (``../shared``: real seeds, blank templates).

It is read at test time, never copied.  Where it is missing a test skips on a developer's machine but
fails under CI (``CI=true``), so a CI run can never pass by silently testing nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"


def shared_files(folder: str, pattern: str) -> list[Path]:
    """The files of ``../shared/<folder>`` matching ``pattern``, sorted; skip (or fail in CI) if none."""
    found = sorted((SHARED / folder).glob(pattern))
    if not found:
        message = f"{SHARED / folder} holds no {pattern}: the reference material is not beside the project"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found
