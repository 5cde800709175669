"""Fixtures for the evidence tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from evidence_helpers import Files, make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(10_000))

    def build(files: Files, **kwargs: object) -> Path:
        return make_repo(tmp_path / f"repo{next(counter)}", files, **kwargs)  # type: ignore[arg-type]

    return build
