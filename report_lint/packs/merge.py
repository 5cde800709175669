"""A chain of validated pack files merged into the one plain pack the rules read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from report_lint.packs import semantics
from report_lint.packs.locate import _find
from report_lint.packs.packfile import load_pack_file
from report_lint.packs.plain import Pack
from report_lint.packs.problems import _display, _Error, _problem_error
from report_lint.packs.semantics import Problem

if TYPE_CHECKING:
    from report_lint.packs.models import PackFile

# Validation (pydantic, ``packs/models.py``) is imported only where a pack is validated or merged:
# on a warm run the built-in packs come from the plain snapshot and pydantic is never imported.


def default_rules() -> dict[str, dict[str, str]]:
    """Each built-in rule's default code and severity (see ``semantics.DEFAULTS_PACK``)."""
    table = load_pack_file(_find(semantics.DEFAULTS_PACK, None)).rules
    out: dict[str, dict[str, str]] = {}
    for name in semantics.known_rules():
        code, severity = (table[name].code, table[name].severity) if name in table else (None, None)
        if code is not None and severity is not None:
            out[name] = {"code": code, "severity": severity}
    return out


def _merge(chain: list[tuple[Path, PackFile]]) -> Pack:
    """The chain merged into one pack, as the plain objects rules read (:mod:`report_lint.packs.plain`)."""
    from report_lint.packs import models
    from report_lint.packs.structure import build_structure, merge_structure, question_keys

    defaults = default_rules()
    rules: dict[str, dict[str, Any]] = {}
    if not any("rules" in pf.model_fields_set for _, pf in chain):
        # no pack of the chain chose its rules: every built-in rule, as documented
        for name in semantics.known_rules():
            if name not in defaults:
                raise _Error(f"built-in rule {name!r} has no default code and severity (report-lint bug)")
            rules[name] = {"options": {}, **defaults[name]}
    questions: dict[int | str, dict[str, Any]] = {}
    structure: dict[str, Any] = {}
    placeholders: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    scalars: dict[str, Any] = {}
    policy_from: tuple[Path, PackFile] | None = None
    for path, pf in reversed(chain):  # parent first, child overrides
        try:
            semantics.apply_rules(rules, pf, defaults)
        except Problem as problem:
            raise _problem_error(path, problem) from None
        for q in pf.questions:
            questions.setdefault(q.number, {}).update({key: getattr(q, key) for key in q.model_fields_set})
        if pf.structure is not None:
            merge_structure(structure, pf.structure)
        for p in pf.placeholders:
            placeholders[p.id] = p
        for f in pf.template_figures:
            figures[f.sha256] = f
        for key in (
            "description",
            "detect",
            "question_count",
            "count_mode",
            "official_skip_chars",
            "suppressions",
            "checklist",
            "handin",
        ):
            if key in pf.model_fields_set:
                scalars[key] = getattr(pf, key)
        if "suppressions" in pf.model_fields_set:
            policy_from = (path, pf)
    if policy_from is not None:
        try:
            semantics.check_forbidden(policy_from[1], [r["code"] for r in rules.values() if "code" in r])
        except Problem as problem:
            raise _problem_error(policy_from[0], problem) from None
    top_path, top = chain[0]
    resolved_rules = {}
    for name, merged_rule in rules.items():
        if "code" not in merged_rule or "severity" not in merged_rule:
            raise _Error(f"{_display(top_path)}: rule {name!r} has no code or severity in its pack chain")
        # every part was validated in its pack file: construct, do not validate again
        resolved_rules[name] = models.ResolvedRule.model_construct(
            name=name,
            code=merged_rule["code"],
            severity=merged_rule["severity"],
            enabled=merged_rule.get("enabled", True),
            suppressible=merged_rule.get("suppressible", True),
            options=merged_rule["options"],
        )
    suppressions = scalars.get("suppressions")
    allowed = True if suppressions is None or suppressions.allowed is None else suppressions.allowed
    layout = build_structure(structure)
    keyed, labels = question_keys(questions)
    count_mode = scalars.get("count_mode") or ("official" if layout.course_checker else "prose")

    merged = models.Pack.model_construct(
        name=top.name,
        description=scalars.get("description") or "",
        files=[_display(p) for p, _ in chain],
        detect=top.detect,
        question_count=scalars.get("question_count"),
        count_mode=count_mode,
        official_skip_chars=scalars.get("official_skip_chars") or 0,
        rules=resolved_rules,
        questions={n: models.QuestionSpec.model_construct(**q) for n, q in keyed},
        placeholders=list(placeholders.values()),
        template_figures=list(figures.values()),
        suppressions_allowed=allowed,
        forbidden_suppressions=list(suppressions.forbidden_rules or []) if suppressions else [],
        checklist=scalars.get("checklist"),
        handin=scalars.get("handin"),
        structure=layout,
        labels=labels,
    )
    plain: Pack = models.to_plain(merged)
    return plain
