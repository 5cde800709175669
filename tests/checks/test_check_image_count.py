from __future__ import annotations

from builders import words

from report_lint.checks import image_count as rule

from .factory import ReportFactory, context, run


def test_missing_image_with_plain_link_asks_for_the_bang() -> None:
    f = ReportFactory()
    f.question(19, "Our bucket: [this figure](figures/bucket_ours.png)")
    (only,) = run(rule, context(), f.build())
    assert "forget the `!`" in only.message
    assert only.column == len("Our bucket: ") + 1


def test_missing_image_plain() -> None:
    f = ReportFactory()
    q = f.question(29, words(250))
    (only,) = run(rule, context(), f.build())
    assert "needs 1" in only.message and only.line == q.answer.line  # type: ignore[union-attr]


def test_too_many_points_at_first_extra_image() -> None:
    f = ReportFactory()
    f.question(29, words(210) + "\n![a](figures/a.png)\n![b](figures/b.png)")
    (only,) = run(rule, context(), f.build())
    assert "remove 1" in only.message and only.line == len(f.lines) - 1


def test_unrendered_image_counted_by_checker_but_reported() -> None:
    f = ReportFactory()
    f.question(19, "![bucket](figures/my bucket.png)")
    got = run(rule, context(), f.build())
    assert len(got) == 1  # official count is 1: within limits, but the image will not show
    assert "<figures/my bucket.png>" in got[0].message and "figures/my%20bucket.png" in got[0].message
    prose = run(rule, context(count_mode="prose"), f.build())
    assert len(prose) == 2 and "needs 1–2" in prose[1].message


def test_html_img_counts_in_prose_mode() -> None:
    f = ReportFactory()
    f.question(20, '<img src="figures/registry_ours.png" width="400">')
    assert run(rule, context(count_mode="prose"), f.build()) == []
