"""The dashboard as staff use it, in headless Chromium (DevTools protocol: clicks, layout, requests):
sorted by trouble, coloured verdicts, absent questions, jumps that stay below the sticky header, the
detail view's filters, duplicate group numbers, the hand-in column and its preview pages."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from report_lint.batch.handin import HEAD

from .browser import Browser, require_chromium
from .classroom import BEACON, XSS_FOLDER, make_class
from .conftest import Run, run_batch

JS_ROWS = "[...document.querySelectorAll('#%s tbody tr')].map(tr => Number(tr.dataset.repo))"


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, dict[str, str]]:
    require_chromium()
    root = tmp_path_factory.mktemp("glance")
    paths = make_class(root)
    return run_batch(root, "out", "class", "--jobs", "2"), paths


def _repos(run: Run) -> list[dict[str, Any]]:
    return list(run.json["repositories"])


def _index(run: Run, path: str) -> int:
    return [r["path"] for r in _repos(run)].index(path)


def _expected_trouble_order(run: Run) -> list[int]:
    """The order the issue asks for, computed here from results.json, independently of the page."""

    def key(item: tuple[int, dict[str, Any]]) -> tuple[object, ...]:
        r = item[1]
        group = r["group"] if r["group"] is not None else r["folder_group"]
        if r["error"]:
            trouble: tuple[int, ...] = (0, 0, 0, 0)
        else:
            failing = r["questions_total"] - r["questions_passed"]
            trouble = (1, -r["errors"], -r["unsupported_claims"], -failing)
        return (*trouble, group is None, group or 0, r["path"].encode("utf-8"))

    return [i for i, _ in sorted(enumerate(_repos(run)), key=key)]


def test_default_order_is_most_trouble_first(klass: tuple[Run, dict[str, str]]) -> None:
    run, paths = klass
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        shown = page.eval(JS_ROWS % "groups")
        heat = page.eval(JS_ROWS % "heatmap")
        label = page.eval("document.getElementById('shown').textContent")
    expected = _expected_trouble_order(run)
    assert shown == expected
    assert heat == expected  # the heatmap follows the table
    assert shown != list(range(len(shown)))  # not the path order any more
    assert shown[0] == _index(run, paths["broken"])  # cannot be linted: the most trouble
    # among the rows with no errors, the unsupported claim comes first
    clean = [i for i in shown if _repos(run)[i]["errors"] == 0]
    assert clean[0] == _index(run, paths["claims"])
    assert "most trouble first" in label


def test_resorting_and_back_to_trouble(klass: tuple[Run, dict[str, str]]) -> None:
    run, _ = klass
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        page.eval("document.querySelector('#groups th[data-key=\"path\"]').click()")
        by_path = page.eval(JS_ROWS % "groups")
        assert page.eval("document.querySelector('#groups th[data-key=\"path\"]').className") == "asc"
        assert page.eval("document.getElementById('by-trouble').hidden") is False
        page.eval("document.getElementById('by-trouble').click()")
        again = page.eval(JS_ROWS % "groups")
        assert page.eval("document.getElementById('by-trouble').hidden") is True
    assert by_path != _expected_trouble_order(run)
    assert again == _expected_trouble_order(run)


def test_passed_is_coloured_pass_or_fail(klass: tuple[Run, dict[str, str]]) -> None:
    run, _ = klass
    js = """[...document.querySelectorAll('#groups tbody tr')].map(tr => {
      const td = tr.children[3];
      return [Number(tr.dataset.repo), td.className, getComputedStyle(td).backgroundColor];
    })"""
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        cells = page.eval(js)
    colours: dict[str, set[str]] = {"verdict-pass": set(), "verdict-fail": set()}
    for index, classes, colour in cells:
        r = _repos(run)[index]
        if r["error"]:
            assert "verdict" not in classes
            continue
        verdict = "verdict-pass" if r["questions_passed"] == r["questions_total"] else "verdict-fail"
        assert verdict in classes.split()
        colours[verdict].add(colour)
    assert len(colours["verdict-pass"]) == len(colours["verdict-fail"]) == 1
    assert colours["verdict-pass"] != colours["verdict-fail"]  # two colours, really painted
    assert colours["verdict-pass"] != {"rgba(0, 0, 0, 0)"}


def test_questions_a_template_lacks_are_absent_not_unlinted(klass: tuple[Run, dict[str, str]]) -> None:
    run, paths = klass
    js = """(id => [...document.querySelectorAll('#heatmap tbody tr[data-repo="' + id + '"] td .cell')]
      .map(c => [c.className, c.title, getComputedStyle(c).backgroundImage + getComputedStyle(c).boxShadow]))"""
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        old = page.eval(f"{js}({_index(run, paths['old_template'])})")
        broken = page.eval(f"{js}({_index(run, paths['broken'])})")
    assert len(old) == 31  # the class has 31 questions
    assert [c[0] for c in old[27:]] == ["cell absent"] * 4  # Q28-31: not in the 27-question template
    assert all("absent" not in c[0] and "none" not in c[0] for c in old[:27])
    assert "not in this template (dtu-mlops-27q, 27 questions)" in old[27][1]
    assert [c[0] for c in broken] == ["cell none"] * 31  # could not be linted: "not linted"
    assert "not linted" in broken[0][1]
    assert old[27][2] != broken[0][2]  # drawn differently, not only named differently


def _heading_vs_header(page: Browser, selector: str) -> tuple[float, float, float]:
    got = page.eval(
        f"[document.querySelector('{selector}').getBoundingClientRect().top,"
        " document.querySelector('header').getBoundingClientRect().bottom, innerHeight]"
    )
    return float(got[0]), float(got[1]), float(got[2])


def test_jumping_to_a_group_shows_its_heading_below_the_sticky_header(
    klass: tuple[Run, dict[str, str]],
) -> None:
    run, paths = klass
    with Browser(width=1200, height=700) as page:
        page.open((run.out / "dashboard.html").as_uri())
        page.eval("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert page.eval("scrollY") > 300  # the page is long: the jump really scrolls
        page.eval("document.querySelector('#heatmap tbody tr:last-child').click()")
        top, header, height = _heading_vs_header(page, "#detail h2")
        assert header <= top < height, (top, header)  # below the header and on screen
        page.eval("document.querySelector('#groups tbody tr:last-child').click()")
        top, header, height = _heading_vs_header(page, "#detail h2")
        assert header <= top < height, (top, header)
        page.eval("document.querySelector('nav a[href=\"#checklist-section\"]').click()")
        top, header, height = _heading_vs_header(page, "#checklist-section h2")
        assert header <= top < height, (top, header)
        # straight from a link: dashboard.html#repo=N
        target = _index(run, paths["render"])
        page.open("about:blank")  # a fresh load of the page, not a #fragment change
        page.open((run.out / "dashboard.html").as_uri() + f"#repo={target}")
        top, header, height = _heading_vs_header(page, "#detail h2")
        assert header <= top < height, (top, header)
        assert paths["render"] in page.eval("document.querySelector('#detail h2').textContent")


def test_severity_and_rule_filters_in_the_detail_view(klass: tuple[Run, dict[str, str]]) -> None:
    run, paths = klass
    index = _index(run, paths["xss"])
    diagnostics = _repos(run)[index]["result"]["reports"][0]["diagnostics"]
    severities = {d["severity"] for d in diagnostics}
    assert {"error", "warning"} <= severities  # the fixture has something to filter
    visible = """[...document.querySelectorAll('#detail table.diagnostics tbody tr')].filter(tr => !tr.hidden)
      .map(tr => [tr.dataset.severity, tr.dataset.rule])"""

    def choose(page: Browser, which: str, value: str) -> None:
        page.eval(
            f"(s => {{ s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change')); }})"
            f"(document.querySelector('#detail select.{which}'))"
        )

    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri() + f"#repo={index}")
        assert len(page.eval(visible)) == len(diagnostics)
        for severity in ("error", "warning", "info"):
            choose(page, "severity", severity)
            rows = page.eval(visible)
            assert len(rows) == sum(d["severity"] == severity for d in diagnostics)
            assert {s for s, _ in rows} <= {severity}
            assert page.eval("document.querySelector('#detail .shown-diagnostics').textContent") == (
                f"showing {len(rows)} of {len(diagnostics)} diagnostics"
            )
        choose(page, "severity", "")
        rules = page.eval("[...document.querySelectorAll('#detail select.rule option')].map(o => o.value)")
        assert rules == ["", *sorted({d["rule"] for d in diagnostics})]
        for rule in rules[1:]:
            choose(page, "rule", rule)
            assert page.eval(visible) == [[d["severity"], rule] for d in diagnostics if d["rule"] == rule]
        for severity in ("error", "warning", "info"):  # both at once: the intersection
            choose(page, "severity", severity)
            assert page.eval(visible) == [
                [severity, rule] for d in diagnostics if d["rule"] == rule and d["severity"] == severity
            ]


def test_duplicate_group_numbers_are_flagged(klass: tuple[Run, dict[str, str]]) -> None:
    run, paths = klass
    js = """[...document.querySelectorAll('#groups tbody tr')].map(tr => [Number(tr.dataset.repo),
      tr.children[0].classList.contains('dup'), tr.children[0].textContent, tr.children[0].title])"""
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        cells = page.eval(js)
    flagged = {index: (text, title) for index, dup, text, title in cells if dup}
    assert set(flagged) == {_index(run, paths["dup_a"]), _index(run, paths["dup_b"])}
    for text, title in flagged.values():
        assert text == "4claimed twice"
        assert paths["dup_a"] in title and paths["dup_b"] in title


def test_handin_differences_column_and_preview_links(klass: tuple[Run, dict[str, str]]) -> None:
    run, paths = klass
    js = """[...document.querySelectorAll('#groups tbody tr')].map(tr => {
      const cells = [...tr.children], head = [...document.querySelectorAll('#groups thead th')]
        .map(th => th.dataset.key);
      const link = cells[head.indexOf('preview')].querySelector('a');
      return [Number(tr.dataset.repo), cells[head.indexOf('handin')].textContent,
              link ? link.getAttribute('href') : null, link ? link.href : null];
    })"""
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        cells = page.eval(js)
    links = {}
    for index, count, href, absolute in cells:
        r = _repos(run)[index]
        if r["error"]:
            assert (count, href) == ("unknown", None)
            continue
        assert count == str(r["rules"].get("handin-render", 0))
        assert href == r["handin_preview"] and href.startswith("handin/")
        assert (run.out / href).is_file()
        links[r["path"]] = absolute
    assert _repos(run)[_index(run, paths["render"])]["rules"]["handin-render"] >= 1
    assert len(set(links.values())) == len(links)  # one page per group
    # the planted group's page: loads from file://, runs none of the planted markup, asks for nothing
    log = run.out.parent / "preview-net.json"
    with Browser(args=(f"--log-net-log={log}",)) as page:
        page.open(links[paths["xss"]])
        assert page.eval("document.title") != "pwned"
        assert page.eval("document.body.hasAttribute('data-pwned')") is False
        assert "daily." in page.eval("document.body.textContent")  # the answer is there, as text
    net = log.read_text(encoding="utf-8")
    assert "127.0.0.1:9" not in net
    assert BEACON in page.blocked  # the page did ask for it: the policy refused it
    assert [u for u in page.sent() if not u.startswith("file://")] == [], page.sent()


def test_the_preview_guard_is_what_stops_the_planted_markup(
    klass: tuple[Run, dict[str, str]], tmp_path: Path
) -> None:
    """Control: the same page without its three <meta> lines runs the planted script and asks for the
    web image, so the test above would see both if the guard were missing."""
    run, paths = klass
    page_file = run.out / _repos(run)[_index(run, paths["xss"])]["handin_preview"]
    data = page_file.read_bytes()
    assert data.startswith(HEAD.encode("utf-8"))
    bare = tmp_path / "bare.html"
    bare.write_bytes(b'<meta charset="utf-8">\n' + data[len(HEAD.encode("utf-8")) :])
    log = tmp_path / "net.json"
    with Browser(args=(f"--log-net-log={log}",)) as page:
        page.open(bare.as_uri())
        assert page.eval("document.title") == "pwned"
    assert BEACON.split("//")[1] in log.read_text(encoding="utf-8")


def test_csp_is_as_tight_as_before(klass: tuple[Run, dict[str, str]]) -> None:
    run, _ = klass
    html = (run.out / "dashboard.html").read_text(encoding="utf-8")
    (csp,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    assert csp == (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    assert "innerHTML" not in scripts[0] and "insertAdjacentHTML" not in scripts[0]
    assert "eval(" not in scripts[0] and "document.write" not in scripts[0]


def test_untrusted_text_stays_text(klass: tuple[Run, dict[str, str]]) -> None:
    run, paths = klass
    index = _index(run, paths["xss"])
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri() + f"#repo={index}")
        assert page.eval("document.title") == "report-lint batch dashboard"
        assert page.eval("document.querySelectorAll('img').length") == 0
        assert page.eval("document.body.hasAttribute('data-pwned')") is False
        row = page.eval(f"document.querySelector('#groups tr[data-repo=\"{index}\"]').textContent")
        detail = page.eval("document.getElementById('detail').textContent")
    assert XSS_FOLDER in row  # the folder name, shown as it is
    assert XSS_FOLDER in detail and 'document.title="pwned"' in detail
    name = Path(_repos(run)[index]["handin_preview"]).name
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.html", name), name


def test_preview_pages_are_the_preview_command_bytes(klass: tuple[Run, dict[str, str]]) -> None:
    """Each page is exactly what ``report-lint preview`` writes for that repository, after the head."""
    run, _ = klass
    for r in _repos(run):
        if r["error"]:
            assert r["handin_preview"] is None
            continue
        done = subprocess.run(
            [sys.executable, "-m", "report_lint", "preview"],
            cwd=run.root / r["path"],
            capture_output=True,
            check=True,
        )
        assert (run.out / r["handin_preview"]).read_bytes() == HEAD.encode("utf-8") + done.stdout, r["path"]
