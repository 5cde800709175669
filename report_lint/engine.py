"""From a report file to a finished :class:`ReportResult`: checks, codes, severities, suppressions."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report_lint.build import build_report
from report_lint.checks import CHECKS, load_check
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Diagnostic, Finding, Severity
from report_lint.errors import PackError, UsageError
from report_lint.evidence.checklist import SOURCE_CACHE_KEY
from report_lint.evidence.filesource import FileSource
from report_lint.model import Report
from report_lint.packs.detect import POOR_SCORE, detect_scored
from report_lint.packs.loader import load_pack
from report_lint.packs.plain import CountMode, Pack
from report_lint.result import QuestionStatus, ReportResult
from report_lint.source import read_report


@dataclass(frozen=True)
class Selection:
    """Which rules run and how severe they are: select/ignore by name, code or code prefix."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    # (option, entry) -> where a configuration file set it ("pyproject.toml:3:11: select.0"); command
    # line entries have none
    origins: Mapping[tuple[str, str], str] = field(default_factory=dict, compare=False)

    @staticmethod
    def _matches(patterns: Iterable[str], name: str, code: str) -> bool:
        return any(p == name or (p and code.startswith(p)) for p in patterns)

    def wants(self, name: str, code: str) -> bool:
        if self.select and not self._matches(self.select, name, code):
            return False
        return not self._matches(self.ignore, name, code)

    def validate(self, pack: Pack) -> None:
        known = set(pack.rules) | set(CHECKS) | {"suppression"}
        codes = [r.code for r in pack.rules.values()]
        entries = [
            *(("select", p) for p in self.select),
            *(("ignore", p) for p in self.ignore),
            *(("severity", p) for p in self.severity),
        ]
        for option, pattern in entries:
            if pattern not in known and not any(c.startswith(pattern) for c in codes):
                where, listed = self._where(option, pattern), ", ".join(sorted(known))
                raise UsageError(f"{where}unknown rule or code {pattern!r} (known: {listed})")
        for rule, severity in self.severity.items():
            if severity not in ("error", "warning", "info"):
                where = self._where("severity", rule)
                raise UsageError(
                    f"{where}severity for {rule!r} must be error, warning or info, not {severity!r}"
                )

    def _where(self, option: str, pattern: str) -> str:
        origin = self.origins.get((option, pattern))
        return f"{origin}: " if origin else ""


@dataclass(frozen=True)
class LintOptions:
    pack: str | None = None  # built-in name or path; None = detect from the report
    pack_base: Path | None = None  # where a relative pack path is resolved
    count_mode: CountMode | None = None
    selection: Selection = field(default_factory=Selection)
    # False (``--no-inline-config``): the report's own ``report-lint: disable`` comments are ignored
    inline_config: bool = True
    # where ``pack`` came from, for people: "--rules" (the default when set) or "config"
    pack_origin: str | None = None


@dataclass(frozen=True)
class PackChoice:
    pack: Pack
    chosen_by: str  # "detected", "--rules" or "config"
    matched_well: bool | None = None  # detected only: False when no built-in pack fits the report


def choose_pack(text: str, options: LintOptions, repo_root: Path | None = None) -> PackChoice:
    if options.pack:
        # a pack file inside the repository may extend only files inside it
        pack = load_pack(options.pack, base=options.pack_base, root=repo_root)
        return PackChoice(pack, options.pack_origin or "--rules")
    try:
        pack, points = detect_scored(text)
    except LookupError as exc:
        raise PackError(str(exc)) from None
    return PackChoice(pack, "detected", points > POOR_SCORE)


def resolve_pack(text: str, options: LintOptions, repo_root: Path | None = None) -> Pack:
    return choose_pack(text, options, repo_root).pack


def lint_file(file: Path, repo_root: Path, display: str, options: LintOptions) -> ReportResult:
    source = read_report(file, display)
    return lint_text(
        source.text, file=file, repo_root=repo_root, display=display, options=options, had_bom=source.had_bom
    )


def lint_text(
    text: str,
    *,
    file: Path,
    repo_root: Path,
    display: str,
    options: LintOptions,
    had_bom: bool = False,
    source: FileSource | None = None,
) -> ReportResult:
    return analyse_text(
        text, file=file, repo_root=repo_root, display=display, options=options, had_bom=had_bom, source=source
    )[0]


def analyse_text(
    text: str,
    *,
    file: Path,
    repo_root: Path,
    display: str,
    options: LintOptions,
    had_bom: bool = False,
    source: FileSource | None = None,
) -> tuple[ReportResult, Report]:
    """Lint ``text``; also return the built report (batch reads the group number and snippets from it).

    ``source`` is where checks read repository files (default: the work tree under ``repo_root``);
    batch passes one that reads a commit.
    """
    choice = choose_pack(text, options, repo_root)
    pack = choice.pack
    options.selection.validate(pack)
    report = build_report(
        text,
        path=display,
        file=file,
        repo_root=repo_root,
        had_bom=had_bom,
        official_skip_chars=pack.official_skip_chars,
        expected_questions=pack.question_count,
        pack=pack,
    )
    count_mode: CountMode = options.count_mode or pack.count_mode
    cache: dict[str, Any] = {}
    if source is not None:
        cache[SOURCE_CACHE_KEY] = source
    diagnostics: list[Diagnostic] = []
    ran: set[str] = set()
    for name, rule in pack.rules.items():
        if name not in CHECKS or not rule.enabled or not options.selection.wants(name, rule.code):
            continue
        ran.add(name)
        ctx = CheckContext(
            pack=pack,
            rule=name,
            options=dict(rule.options),
            count_mode=count_mode,
            repo_root=repo_root,
            cache=cache,
        )
        module = load_check(name)
        for finding in module.check(ctx, report):
            diagnostics.append(_diagnostic(finding, report, name, rule.code, rule.severity, options))
    diagnostics = _apply_suppressions(report, diagnostics, pack, options, ran)
    # exact repeats go; one rule's findings at one place with different messages are different problems
    # (``Diagnostic`` equality leaves the message out: it is the sort key)
    unique = {(d, d.message): d for d in diagnostics}
    diagnostics = sorted(unique.values(), key=_order)
    checklist: tuple[dict[str, Any], ...] = ()
    if "checklist" in cache:  # computed only when a checklist rule ran
        from report_lint.evidence.checklist import checklist_json

        checklist = checklist_json(cache["checklist"])
    result = ReportResult(
        path=display,
        rules=pack.name,
        count_mode=count_mode,
        questions=_statuses(report, pack, count_mode, diagnostics),
        diagnostics=tuple(diagnostics),
        checklist=checklist,
        expected_questions=pack.question_count,
        group=group_number(report, pack),
        pack_chosen_by=choice.chosen_by,
        pack_matched_well=choice.matched_well,
    )
    return result, report


_GROUP = re.compile(r"\d{1,4}")


def group_number(report: Report, pack: Pack | None = None) -> str | None:
    """The group number as question 1 states it ("Group 24", "Awesome 21"), if any.

    In a pack without DTU's course checker, only a question of ``kind: group-number`` holds one (another
    course's question 1 is just a question: "we used 3 GPUs" is no group number)."""
    number = 1
    if pack is not None and not pack.structure.course_checker:
        kinds = [n for n, q in pack.questions.items() if q.kind == "group-number"]
        if not kinds:
            return None
        number = kinds[0]
    first = report.question(number)
    if first is None:
        return None
    for line in first.answer_lines:
        if line.in_code:
            continue
        match = _GROUP.search(line.text)
        if match:
            return str(int(match.group(0)))
    return None


def _order(d: Diagnostic) -> tuple[str, int, int, int, str, str, str]:
    """``Diagnostic``'s own order (its compared fields), then the message; as a plain tuple, compared
    without the dataclass's ``__lt__`` building two tuples per comparison."""
    return (d.path, d.line, d.column, d.end_line, d.code, d.rule, d.message)


def _diagnostic(
    finding: Finding, report: Report, rule: str, code: str, default: str, options: LintOptions
) -> Diagnostic:
    override = options.selection.severity.get(rule) or options.selection.severity.get(code)
    severity = Severity.parse(override) if override else (finding.severity or Severity.parse(default))
    return Diagnostic(
        path=report.path,
        line=finding.line,
        column=finding.column,
        end_line=max(finding.end_line, finding.line),
        code=code,
        rule=rule,
        severity=severity,
        message=finding.message,
        question=finding.question,
        end_column=finding.end_column,
        fix=finding.fix,
    )


def _apply_suppressions(
    report: Report, diagnostics: list[Diagnostic], pack: Pack, options: LintOptions, ran: set[str]
) -> list[Diagnostic]:
    from report_lint import suppressions

    if not options.inline_config:  # staff's view: nothing the report says can hide a diagnostic
        return diagnostics
    kept = suppressions.apply(report, diagnostics, pack, active_rules=ran)
    rule = pack.rules.get("suppression")
    if rule is None or not rule.enabled or not options.selection.wants("suppression", rule.code):
        return [d for d in kept if d.rule != "suppression"]
    override = options.selection.severity.get("suppression") or options.selection.severity.get(rule.code)
    if override:
        level = Severity.parse(override)
        kept = [dataclasses.replace(d, severity=level) if d.rule == "suppression" else d for d in kept]
    return kept


def _statuses(
    report: Report, pack: Pack, mode: CountMode, diagnostics: list[Diagnostic]
) -> tuple[QuestionStatus, ...]:
    failing = {d.question for d in diagnostics if d.severity == Severity.ERROR and d.question is not None}
    numbers = sorted(set(pack.questions) | {q.number for q in report.questions})
    out = []
    for number in numbers:
        section = report.question(number)
        spec = pack.question(number)
        words_limit = (spec.words.min, spec.words.max) if spec and spec.words else None
        image_limit = (spec.images.min, spec.images.max) if spec and spec.images else None
        label = pack.labels.get(number, "")
        if section is None:
            out.append(QuestionStatus(number, 0, 0, 0, 0, words_limit, image_limit, False, True, label))
            continue
        official_words = section.official.words if section.official else section.prose_words
        official_images = section.official.images if section.official else 0
        rendered_images = sum(1 for i in section.images if i.syntax != "unrendered")
        if mode == "official":
            words, other, images = official_words, section.prose_words, official_images
        else:
            words, other, images = section.prose_words, official_words, rendered_images
        ok = number not in failing
        if words_limit and not words_limit[0] <= words <= words_limit[1]:
            ok = False
        if image_limit and not image_limit[0] <= images <= image_limit[1]:
            ok = False
        out.append(
            QuestionStatus(
                number,
                section.heading.line,
                words,
                other,
                images,
                words_limit,
                image_limit,
                ok,
                section.answer is None,
                label or section.label,
            )
        )
    return tuple(out)
