"""The files staff import: results.csv keeps its columns (new ones only at the end, each documented),
questions.csv has one row per group and question with the numbers results.json holds, and the hand-in
pages have safe, unique names."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from report_lint.batch.handin import FOLDER, HEAD, active_tag, safe_name, write_pages
from report_lint.batch.rows import CSV_FIELDS, RULE_COLUMNS, RepoRow
from report_lint.batch.writers import QUESTION_FIELDS

from .classroom import make_class
from .conftest import Run, run_batch

PROJECT = Path(__file__).resolve().parents[2]
DOC = PROJECT / "docs" / "batch-outputs.md"
# the columns results.csv had before any was added: a spreadsheet made from an old run keeps working
FIRST_COLUMNS = (
    "group",
    "folder_group",
    "path",
    "commit",
    "committed",
    "template",
    "questions_passed",
    "questions_total",
    "errors",
    "warnings",
    "infos",
    *(f"rule:{r}" for r in RULE_COLUMNS),
    "unsupported_claims",
    "unfilled_placeholders",
    "missing_figures",
    "error",
    "notes",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("exports")
    make_class(root)
    return run_batch(root, "out", "class", "--jobs", "2")


def _questions(run: Run) -> list[dict[str, str]]:
    with open(run.out / "questions.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_results_csv_keeps_its_columns_and_adds_at_the_end(run: Run) -> None:
    with open(run.out / "results.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == list(CSV_FIELDS)
    assert tuple(header[: len(FIRST_COLUMNS)]) == FIRST_COLUMNS
    assert header[len(FIRST_COLUMNS) :] == [
        "handin_preview",
        "movement",
        "errors_change",
        "newly_passing",
        "newly_failing",
    ]
    assert len(run.csv) == len(run.json["repositories"])  # one row per group


def _documented(table_after: str) -> list[str]:
    """The backticked names in the first column of the table that follows a heading in the doc."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(table_after, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, re.M)


def test_every_column_is_documented_in_order() -> None:
    documented = _documented("## results.csv")
    rules = [c for c in CSV_FIELDS if c.startswith("rule:")]
    expected = [c for c in CSV_FIELDS if not c.startswith("rule:")]
    expected.insert(CSV_FIELDS.index(rules[0]), "rule:<name>")
    assert documented == expected
    assert _documented("## questions.csv") == list(QUESTION_FIELDS)


def test_questions_csv_matches_results_json(run: Run) -> None:
    lines = _questions(run)
    assert list(lines[0]) == list(QUESTION_FIELDS)
    by_path: dict[str, list[dict[str, str]]] = {}
    for line in lines:
        by_path.setdefault(line["path"], []).append(line)
    assert list(by_path) == [r["path"] for r in run.json["repositories"]]  # every group, in order
    for repo in run.json["repositories"]:
        got = by_path[repo["path"]]
        if repo["error"]:
            assert [(g["question"], g["verdict"]) for g in got] == [("", "not linted")]
            continue
        assert len(got) == repo["questions_total"]
        assert sum(g["verdict"] == "pass" for g in got) == repo["questions_passed"]
        for line, q in zip(got, repo["questions"], strict=True):
            assert line["group"] == str(repo["group"])
            assert (int(line["question"]), line["verdict"]) == (q["number"], q["state"])
            assert (int(line["words"]), int(line["images"]), int(line["line"])) == (
                q["words"],
                q["images"],
                q["line"],
            )
            limit = q["word_limit"]
            assert (line["word_min"], line["word_max"]) == (
                (str(limit[0]), str(limit[1])) if limit else ("", "")
            )
            images = q["image_limit"]
            assert (line["image_min"], line["image_max"]) == (
                (str(images[0]), str(images[1])) if images else ("", "")
            )


def test_questions_csv_holds_the_template_limits(run: Run) -> None:
    """Spot checks against the templates' own text (ReportBuilder's limits, tests/builders.py)."""
    from builders import limits

    for generation, path_part, count in (("31q-2026", "group_01/clean", 31), ("27q", "group_03/old", 27)):
        rows = [r for r in _questions(run) if path_part in r["path"]]
        assert len(rows) == count
        spec = limits(generation)
        for row in rows:
            words = spec.get(int(row["question"]), {}).get("words")
            if words:
                assert (int(row["word_min"]), int(row["word_max"])) == words
        assert any(r["word_min"] for r in rows)


def test_questions_csv_runs_no_formula(tmp_path: Path) -> None:
    """A repository named like a formula stays text in questions.csv, as it does in results.csv."""
    from .repos import BEFORE, FIGURES, clean_text, commit, new_repo, write_report

    repo = new_repo(tmp_path / "=HYPERLINK(1)")
    write_report(repo, clean_text(3), FIGURES)
    commit(repo, "hand-in", BEFORE)
    run = run_batch(tmp_path, "out", "=HYPERLINK(1)")
    assert [r["path"] for r in run.csv] == ["'=HYPERLINK(1)"]
    assert {r["path"] for r in _questions(run)} == {"'=HYPERLINK(1)"}


def test_page_names_are_safe_and_unique(tmp_path: Path) -> None:
    rows = [
        RepoRow(path=p, handin_html=f"<p>{i}</p>")
        for i, p in enumerate(["g/a b", "g/a_b", "G/A B", "..", "x/" + "y" * 300])
    ]
    rows.append(RepoRow(path="not linted", error="no report"))
    assert write_pages(rows, tmp_path) == 5
    names = [r.handin_preview for r in rows]
    assert names == [
        f"{FOLDER}/g-a_b.html",
        f"{FOLDER}/g-a_b-2.html",
        f"{FOLDER}/G-A_B-3.html",  # unique ignoring case: one file on a case-insensitive disk
        f"{FOLDER}/repository.html",
        f"{FOLDER}/x-{'y' * 78}.html",
        None,
    ]
    for i, row in enumerate(rows[:5]):
        assert row.handin_preview is not None
        assert (tmp_path / row.handin_preview).read_bytes() == (HEAD + f"<p>{i}</p>").encode("utf-8")
        assert row.handin_html is None  # written, not carried into the other outputs
    assert safe_name('"><img src=x onerror=alert(1)>') == "img_src_x_onerror_alert_1"


def test_no_handin_pages_writes_none_and_says_so(tmp_path: Path) -> None:
    from .repos import BEFORE, FIGURES, clean_text, commit, new_repo, write_report

    repo = new_repo(tmp_path / "class" / "group_01")
    write_report(repo, clean_text(1), FIGURES)
    commit(repo, "hand-in", BEFORE)
    with_pages = run_batch(tmp_path, "with", "class")
    without = run_batch(tmp_path, "without", "class", "--no-handin-pages")
    assert (with_pages.out / FOLDER / "class-group_01.html").is_file()
    assert with_pages.csv[0]["handin_preview"] == "handin/class-group_01.html"
    assert not (without.out / FOLDER).exists()
    assert without.csv[0]["handin_preview"] == ""
    assert without.json["repositories"][0]["handin_preview"] is None
    # everything else is the same
    assert [{k: v for k, v in r.items() if k != "handin_preview"} for r in without.csv] == [
        {k: v for k, v in r.items() if k != "handin_preview"} for r in with_pages.csv
    ]


def test_at_the_deadline_the_page_is_the_deadline_commit(deadline_run: Run, tmp_path: Path) -> None:
    """With --at the page is made from the commit --at picked, not from the work tree."""
    import subprocess
    import sys

    row = deadline_run.rows["cloned_repos/group_09/late-fix"]  # HEAD differs from the deadline commit
    shown = subprocess.run(
        ["git", "show", f"{row['commit']}:reports/README.md"],
        cwd=deadline_run.root / row["path"],
        capture_output=True,
        check=True,
    ).stdout
    scratch = tmp_path / "at-deadline"
    (scratch / "reports").mkdir(parents=True)
    (scratch / "reports" / "README.md").write_bytes(shown)
    done = subprocess.run(
        [sys.executable, "-m", "report_lint", "preview", "--repo", str(scratch)],
        cwd=scratch,
        capture_output=True,
        check=True,
    )
    page = (deadline_run.out / row["handin_preview"]).read_bytes()
    assert page == HEAD.encode("utf-8") + done.stdout
    head = (deadline_run.root / row["path"] / "reports" / "README.md").read_bytes()
    assert head != shown  # the work tree holds another report: the test tells them apart


@pytest.mark.parametrize(
    ("answer", "tag"),
    [
        ('We moved. <meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/away">', "meta"),
        ('Fast. <LINK rel="preconnect" href="http://127.0.0.1:9">', "link"),
    ],
)
def test_a_page_a_policy_cannot_hold_is_not_written(tmp_path: Path, answer: str, tag: str) -> None:
    """A refresh leaves the page and a preconnect contacts a server whatever the CSP says: such a page is
    not written, the row says why, and `report-lint preview` still gives the bytes."""
    import subprocess
    import sys

    from builders import ReportBuilder

    from .repos import BEFORE, FIGURES, commit, new_repo, write_report

    repo = new_repo(tmp_path / "class" / "group_01")
    write_report(repo, ReportBuilder(fill_words=120, answers={1: "1", 4: answer}).text(), FIGURES)
    commit(repo, "hand-in", BEFORE)
    run = run_batch(tmp_path, "out", "class")
    row = run.json["repositories"][0]
    assert row["handin_preview"] is None and not (run.out / FOLDER).exists()
    assert row["handin_problem"].startswith(f"hand-in page not written: the report holds a <{tag}> tag")
    assert run.csv[0]["handin_preview"] == ""
    done = subprocess.run(
        [sys.executable, "-m", "report_lint", "preview"], cwd=repo, capture_output=True, check=True
    )
    assert f"<{tag}".encode() in done.stdout.lower()


@pytest.mark.parametrize(
    ("page", "found"),
    [
        ("<p>see <LINK>.</p>", ""),  # a placeholder in a real report: harmless, the page is written
        ("<p>see <link/></p>", ""),
        ("<code>&lt;meta http-equiv=refresh&gt;</code>", ""),  # shown as text: nothing to obey
        ("<metadata>", ""),
        ('<meta http-equiv="refresh" content="0;url=x">', "meta"),
        ("<meta/http-equiv=refresh>", "meta"),
        ("<META charset=x>", "meta"),
        ('<link\nrel="dns-prefetch" href="//x">', "link"),
    ],
)
def test_active_tags(page: str, found: str) -> None:
    assert active_tag(page) == found


def test_the_active_tag_check_is_linear() -> None:
    """Pages of unclosed tags and long whitespace runs: time at N and 10N, a generous ratio."""
    import time

    def cost(n: int) -> float:
        pages = ["<meta " * n, "<link" + " " * (6 * n), ("<link" + " " * 50) * (n // 10), "<p>word</p>\n" * n]
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for page in pages:
                active_tag(page)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = cost(20_000), cost(200_000)
    assert large < 40 * max(small, 1e-4), (small, large)


# every inline construct Python-Markdown's inline stage knows, so that each of its patterns has work
_INLINE_RICH = (
    "We use `dvc pull` and **Hydra** with _configs_ and *overrides*; see [the docs](https://hydra.cc) and "
    "![loss](figures/loss.png), <https://wandb.ai/x>, <team@example.com>, &amp; &#35; \\*not emphasis\\*, "
    "a [ref][r], <span>raw html</span>, ***both*** and __strong__  \nafter a hard break.\n\n"
    "[r]: https://example.com"
)


def test_the_page_is_the_bytes_preview_writes(tmp_path: Path) -> None:
    """The page batch writes (rendered with the rule's inline stage, which skips the patterns that
    cannot match) is byte for byte what `report-lint preview` prints, on answers that use every inline
    construct and on answers that use none."""
    import subprocess
    import sys

    from builders import ReportBuilder

    from .repos import BEFORE, FIGURES, commit, new_repo, write_report

    repo = new_repo(tmp_path / "class" / "group_01")
    answers = {1: "1", 3: _INLINE_RICH, 5: "Plain words only, nothing to render inline.", 7: _INLINE_RICH}
    write_report(repo, ReportBuilder(fill_words=120, answers=answers).text(), FIGURES)
    commit(repo, "hand-in", BEFORE)
    run = run_batch(tmp_path, "out", "class")
    row = run.json["repositories"][0]
    done = subprocess.run(
        [sys.executable, "-m", "report_lint", "preview"], cwd=repo, capture_output=True, check=True
    )
    page = (run.out / row["handin_preview"]).read_bytes()
    assert page == HEAD.encode("utf-8") + done.stdout
    assert b"<code>dvc pull</code>" in page and b"<strong>Hydra</strong>" in page and b"<br />" in page
