"""What a pack's schema cannot say: the rule names the registry knows, the options a rule declares,
defaults for a pack that names no rules, and codes that stay unique.

Every problem is a :class:`Problem` at a data path of one pack file; ``loader.py`` turns it into a
``file:line:col`` error.  The set of built-in rules is always derived from the checks registry
(``report_lint.checks.CHECKS``), never from a list kept here.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from report_lint.checks import CHECKS, load_check

if TYPE_CHECKING:  # the validated side: imported by whoever validates (pydantic stays off the warm path)
    from report_lint.packs.models import PackFile

# not a check module: the engine itself reports unused or refused suppression comments
ENGINE_RULES = ("suppression",)
# the built-in pack whose `rules:` table gives every built-in rule its default code and severity (the
# codes the README documents); tests/core/test_pack_loader.py asserts it covers the whole registry
DEFAULTS_PACK = "dtu-common"
_CODE = re.compile(r"^[A-Za-z]{2,4}[0-9]{3}$")
# list fields a child merges into its parent's (by question number, id, hash) -> how to turn them off
_MERGED_LISTS = {
    "questions": "",
    "placeholders": ", or turn the rule off: `rules: {unfilled-placeholder: {enabled: false}}`",
    "template_figures": ", or turn the rule off: `rules: {template-figure: {enabled: false}}`",
}

Loc = tuple[str | int, ...]


class Problem(Exception):
    """A located pack problem: ``loc`` is a data path (a trailing ``"<key>"`` means the key itself)."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def known_rules() -> tuple[str, ...]:
    """Every built-in rule name, in the registry's order."""
    return (*CHECKS, *ENGINE_RULES)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _unknown_rule(name: str) -> str:
    known = known_rules()
    hint = did_you_mean(name, known)
    return f"no built-in rule is named {name!r}" + (hint or f" (rules: {', '.join(known)})")


def declared_options(rule: str) -> Mapping[str, Any]:
    """The options a rule declares (its module's ``OPTIONS`` mapping, name -> description)."""
    if rule not in CHECKS:
        return {}
    declared = getattr(load_check(rule), "OPTIONS", None)
    return declared if isinstance(declared, Mapping) else {}


def check_file(pack_file: PackFile, *, builtin: bool) -> None:
    """Problems one pack file has on its own, whatever it extends."""
    if "rules" in pack_file.model_fields_set and not pack_file.rules:
        if pack_file.extends is None:
            raise Problem(
                ("rules",),
                "an empty mapping, so no rule would run: delete `rules:` to run every built-in rule, "
                "or list rules (`enabled: false` turns one off)",
            )
        raise Problem(
            ("rules",),
            "an empty mapping changes nothing (the parent's rules still run): delete it, or turn a "
            "rule off with `enabled: false`",
        )
    if pack_file.extends is not None:
        # lists merge into the parent's by key: an empty one would look like "none" and change nothing
        for field, off in _MERGED_LISTS.items():
            if field in pack_file.model_fields_set and not getattr(pack_file, field):
                raise Problem(
                    (field,), f"an empty list changes nothing (the parent's {field} stay): delete it{off}"
                )
    for i, placeholder in enumerate(pack_file.placeholders):
        if placeholder.questions == []:
            raise Problem(
                ("placeholders", i, "questions"),
                "an empty list restricts the pattern to no question: delete it to scan every answer",
            )
    known = set(known_rules())
    for name, settings in pack_file.rules.items():
        if name not in known:
            raise Problem(("rules", name, "<key>"), _unknown_rule(name))
        if settings.options:
            declared = declared_options(name)
            for option in settings.options:
                if option not in declared:
                    if declared:
                        message = f"{name} has no option {option!r} (options: {', '.join(declared)})"
                    else:
                        message = f"{name} takes no options"
                    raise Problem(("rules", name, "options", option, "<key>"), message)
    if pack_file.detect is not None and not builtin:
        raise Problem(
            ("detect", "<key>"),
            "only built-in packs are detected; a pack given with --rules or `rules:` is always used, "
            "so delete `detect`",
        )
    policy = pack_file.suppressions
    for i, entry in enumerate((policy.forbidden_rules or []) if policy else []):
        if entry not in known and not _CODE.match(entry):
            raise Problem(("suppressions", "forbidden_rules", i), _unknown_rule(entry))


def apply_rules(
    merged: dict[str, dict[str, Any]], pack_file: PackFile, defaults: Mapping[str, Mapping[str, str]]
) -> None:
    """Merge one file's ``rules`` over ``merged`` (name -> fields set); codes must stay unique.

    A rule entering the chain starts from its ``defaults`` (code and severity), so a pack may list a
    built-in rule without repeating its code.
    """
    for name, settings in pack_file.rules.items():
        entry = merged.setdefault(name, {"options": {}, **defaults.get(name, {})})
        # the fields as set (not model_dump: serialising would build pydantic's schemas, ~0.2 s)
        for key in settings.model_fields_set:
            value = getattr(settings, key)
            entry[key] = {**entry["options"], **copy.deepcopy(value)} if key == "options" else value
    owners: dict[str, str] = {}
    for name, entry in merged.items():
        code = entry.get("code")
        if code is None:
            continue
        if code in owners:
            raise _clash(pack_file, code, owners[code], name)
        owners[code] = name


def _clash(pack_file: PackFile, code: str, first: str, second: str) -> Problem:
    """Blame the rule whose code this file set, else the one it lists (a parent blames itself)."""

    def sets_code(rule: str) -> bool:
        return rule in pack_file.rules and "code" in pack_file.rules[rule].model_fields_set

    for blamed, other in ((second, first), (first, second)):
        if sets_code(blamed):
            return Problem(("rules", blamed, "code"), f"{code} is already the code of {other}")
    blamed, other = (second, first) if second in pack_file.rules else (first, second)
    return Problem(("rules", blamed, "<key>"), f"its code {code} is already the code of {other}")


def check_forbidden(pack_file: PackFile, codes: Iterable[str]) -> None:
    """Every code in ``suppressions.forbidden_rules`` belongs to a rule of the merged pack."""
    policy = pack_file.suppressions
    have = {c.upper() for c in codes}
    for i, entry in enumerate((policy.forbidden_rules or []) if policy else []):
        if entry not in known_rules() and entry.upper() not in have:
            raise Problem(
                ("suppressions", "forbidden_rules", i), f"no rule of this pack has the code {entry}"
            )
