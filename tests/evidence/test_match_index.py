"""The checklist matcher's word index picks exactly the rule a scan over every rule picks.

``match.match_item`` scores only the rules one of whose phrases can match the item's words (issue 11);
this compares it with the full scan on every built-in pack's checklist, for items made of each rule's
phrases (prefix words, module tags and other rules' words mixed in) and for random word soups.
"""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from report_lint.evidence.match import Match, item_modules, item_words, match_item, score_rule
from report_lint.packs.loader import builtin_packs


def _full_scan(item: Any, spec: Any) -> Match | None:
    words, modules = item_words(item.text), item_modules(item)
    best: Match | None = None
    for rule in spec.rules:
        m = score_rule(rule, words, modules)
        if m is not None and m.score >= spec.min_words and (best is None or m.score > best.score):
            best = m
    return best


def _same(a: Match | None, b: Match | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and (a.rule.id, a.score, a.phrase) == (b.rule.id, b.score, b.phrase)
    )


def test_index_agrees_with_full_scan() -> None:
    rng = random.Random(5)
    specs = [p.checklist for p in builtin_packs().values() if not isinstance(p, str) and p.checklist]
    assert specs
    compared = 0
    for spec in specs:
        vocab = sorted(
            {
                w.rstrip("*") + ("ing" if w.endswith("*") else "")
                for r in spec.rules
                for ph in [*r.phrases, *r.not_phrases]
                for w in ph.split()
            }
        )
        tags = sorted({m for r in spec.rules for m in r.modules}) or ["M1"]
        texts = []
        for rule in spec.rules:
            for phrase in [*rule.phrases, *rule.not_phrases]:
                words = [w.replace("*", "s") for w in phrase.split()]
                texts.append(" ".join([*rng.sample(vocab, 2), *words, rng.choice(vocab)]))
        texts += [" ".join(rng.sample(vocab, rng.randint(1, 8))) for _ in range(400)]
        for text in texts:
            for suffix in ("", f" ({rng.choice(tags)})"):
                item = SimpleNamespace(text=text + suffix, modules=())
                assert _same(match_item(item, spec), _full_scan(item, spec)), item.text  # type: ignore[arg-type]
                compared += 1
    assert compared > 1000
