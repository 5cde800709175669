"""Pack models for checklist evidence (placeholder until the evidence engine lands)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ChecklistSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[dict[str, Any]] = Field(default_factory=list)
