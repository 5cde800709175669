"""Locating and loading the built-in checklist pack (``rules/dtu-checklist.yaml``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from report_lint.packs.plain import ChecklistSpec

PACK_NAME = "dtu-checklist.yaml"


def builtin_pack_path() -> Path:
    """``rules/dtu-checklist.yaml`` in a source checkout, or its copy inside an installed wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "packs_data" / PACK_NAME, package.parent / "rules" / PACK_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(PACK_NAME)


def load_checklist(path: Path | None = None) -> ChecklistSpec:
    """The ``checklist:`` section of a pack file, validated as a whole pack file.

    Only for docs and tests: the linter itself reads packs through ``report_lint.packs``.
    """
    from report_lint.packs.models import PackFile, to_plain

    data = yaml.safe_load((path or builtin_pack_path()).read_text(encoding="utf-8"))
    pack = PackFile.model_validate(data)
    if pack.checklist is None:
        raise ValueError(f"{path}: no checklist section")
    checklist: ChecklistSpec = to_plain(pack.checklist)  # as the linter reads it (packs/plain.py)
    return checklist
