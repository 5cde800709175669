"""A small class for the dashboard, export and --compare tests (our own text): two template generations,
a duplicate group number, an unsupported checklist claim, a hand-in render difference, a repository that
cannot be linted, and planted markup in a report and in a folder name.

``make_class(root)`` builds ``root/class/group_<N>/<repo>/`` and returns each repository's display path
(relative to ``root``) by a short key; ``improve(root)`` then changes the class as a second hand-in would.
"""

from __future__ import annotations

from pathlib import Path

from builders import ReportBuilder

from .repos import BEFORE, FIGURES, XSS_IMG, XSS_SCRIPT, clean_text, commit, new_repo, write_report

AFTER_FIX = "2026-01-23T12:00:00+01:00"
# a list right after a paragraph: GitHub shows a list, the course's Python-Markdown export one paragraph
LIST_AFTER_PARAGRAPH = (
    "We set up three stages in our pipeline:\n- linting with ruff\n- tests with pytest\n- a build"
)
# a folder name is student text too: it must show as text on the dashboard and in no file name
XSS_FOLDER = XSS_IMG.replace("/", "_")
# a web image in a report: a closed port on loopback, so a request fails at once but shows
BEACON = "http://127.0.0.1:9/beacon.png"


def _claim_docker(text: str) -> str:
    return text.replace("* [ ] Construct one or multiple docker", "* [x] Construct one or multiple docker")


def make_class(root: Path) -> dict[str, str]:
    base = root / "class"
    out: dict[str, str] = {}

    def repo(key: str, folder: str, text: str, figures: dict[str, bytes] | None = None) -> Path:
        path = new_repo(base / folder)
        write_report(path, text, FIGURES if figures is None else figures)
        commit(path, "hand-in", BEFORE)
        out[key] = path.relative_to(root).as_posix()
        return path

    repo("clean", "group_01/clean", clean_text(1))
    short = ReportBuilder(fill_words=120, answers={1: "2", 5: "far too short", 6: "also short"}).text()
    repo("failing", "group_02/failing", short)
    repo(
        "old_template",
        "group_03/old",
        ReportBuilder(generation="27q", fill_words=120, answers={1: "3"}).text(),
    )
    repo("dup_a", "group_04/first", clean_text(4))
    repo("dup_b", "group_04b/second", clean_text(4))
    repo("claims", "group_05/claims", _claim_docker(clean_text(5)))
    repo(
        "render",
        "group_06/render",
        ReportBuilder(fill_words=120, answers={1: "6", 7: LIST_AFTER_PARAGRAPH}).text(),
    )
    broken = new_repo(base / "group_07" / "no-report")
    (broken / "README.md").write_text("# our project\n", encoding="utf-8")
    commit(broken, "init", BEFORE)
    out["broken"] = broken.relative_to(root).as_posix()
    answer = f"We used {XSS_SCRIPT} and {XSS_IMG} daily. ![beacon]({BEACON})"
    planted = ReportBuilder(fill_words=120, answers={1: "8", 4: answer})
    repo("xss", f"group_08/{XSS_FOLDER}", planted.text())
    return out


def improve(root: Path, paths: dict[str, str]) -> None:
    """The second hand-in: group 2 fixes its short answers, group 1 breaks one, group 4b's repository is
    gone (a duplicate, removed), group 3 renames its folder, and group 9 hands in for the first time."""
    import shutil

    failing = root / paths["failing"]
    write_report(failing, clean_text(2), FIGURES)
    commit(failing, "fix the short answers", AFTER_FIX)
    clean = root / paths["clean"]
    write_report(clean, ReportBuilder(fill_words=120, answers={1: "1", 9: "oops"}).text(), FIGURES)
    commit(clean, "rewrite question 9", AFTER_FIX)
    shutil.rmtree(root / paths["dup_b"])
    (root / paths["dup_b"]).parent.rmdir()
    old = root / paths["old_template"]
    old.rename(old.with_name("renamed"))
    paths["old_template"] = old.with_name("renamed").relative_to(root).as_posix()
    late = new_repo(root / "class" / "group_09" / "late")
    write_report(late, clean_text(9), FIGURES)
    commit(late, "hand-in", AFTER_FIX)
    paths["late"] = late.relative_to(root).as_posix()
