"""The configuration file's schema (pydantic), imported only when a configuration is validated.

Apart from ``config.py`` so that a run without a configuration file never imports pydantic (issue 11).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from report_lint.config_types import is_pack_path
from report_lint.packs.plain import CountMode, SeverityName
from report_lint.packs.semantics import did_you_mean, known_rules

_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")

KNOWN_RULES = frozenset(known_rules())  # derived from the checks registry


def _check_rule(value: str) -> str:
    if value in KNOWN_RULES or _CODE.match(value):
        return value
    hint = did_you_mean(value, known_rules())
    raise ValueError(
        f"unknown rule {value!r}"
        + (hint or " (a rule name such as 'answer-length' or a code such as 'RL201')")
    )


RuleRef = Annotated[str, AfterValidator(_check_rule)]


class ConfigModel(BaseModel):
    """The configuration as written (before paths are resolved)."""

    # schema built on first validation, not at import: most repositories have no configuration
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rules: str | None = None
    reports: list[str] | None = None
    select: list[RuleRef] | None = None
    ignore: list[RuleRef] | None = None
    severity: dict[RuleRef, SeverityName] | None = None
    count_mode: CountMode | None = None
    fail_on: SeverityName | None = None

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: str | None) -> str | None:
        if value is None or is_pack_path(value) or _PACK_NAME.match(value):
            return value
        raise ValueError("a pack name (e.g. 'dtu-mlops-31q-2026') or a pack file path ending in .yaml")

    @field_validator("reports")
    @classmethod
    def _reports(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not v.strip() for v in value):
            raise ValueError("report paths cannot be empty")
        if value == []:  # would silently mean the default report
            raise ValueError(
                "lists no report: delete `reports` to lint reports/README.md, or name the reports"
            )
        return value

    @field_validator("select")
    @classmethod
    def _select(cls, value: list[str] | None) -> list[str] | None:
        if value == []:  # would silently mean every rule
            raise ValueError("selects no rule, so every rule would run: delete `select`, or name the rules")
        return value
