"""The course checker's answer slicing, re-implemented naively from its description.

Test-only and independent of report_lint on purpose: the tests compare our `official` counts with it.
"""

from __future__ import annotations

import re

CHECKER_IMAGE = re.compile(r"\!\[.*?\]\(.*?\)")


def naive_answers(text: str, skip: int) -> list[str]:
    """The answers the checker sees, in its order (step by step as its description states)."""
    text = text[skip:]
    answers = []
    per_question = text.split("Answer:")
    for q in per_question:
        if "###" in q:
            q = q.split("###")[0]
            if "##" in q:
                q = q.split("##")[0]
            answers.append(q)
    answers.append(per_question[-1])
    answers = answers[1:]
    return [a.strip("\n") for a in answers]


def naive_counts(text: str, skip: int) -> list[tuple[int, int]]:
    """(words, images) per answer."""
    return [(len(a.split()), len(CHECKER_IMAGE.findall(a))) for a in naive_answers(text, skip)]
