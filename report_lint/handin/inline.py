"""A faster run of Python-Markdown's inline stage with the same output, for the rule (never ``preview``).

Python-Markdown applies every inline pattern (14 without extensions) to every piece of text, in priority
order, each a Python-level call even when its regular expression cannot match; that is most of the time
it spends on a report's answers.  Each of those expressions needs a literal character (or ``"  \\n"``)
to match at all — a backtick, ``\\``, ``[``, ``<``, ``&``, ``*`` or ``_`` — and every text the inline
stage goes on to process is made of pieces of the text it started from plus its own placeholders (built
from STX, ETX, ASCII letters, digits and ``:``, none of those characters).  So a pattern whose characters
are absent from a text cannot match in it or in anything made from it, and leaving it out of that text's
run changes nothing: the output is byte for byte ``markdown.markdown``'s (tested on the fixtures, the
property test's answers and the seeds).

A pattern is left out only when its name *and* its exact regular expression are in ``TRIGGERS`` (taken
from the pinned Python-Markdown); any other pattern, or another version's spelling of one, is always
applied, which is exactly Python-Markdown's own behaviour.  Only ``InlineProcessor``'s text entry point is
replaced: it is a name-mangled method, so its presence is checked and, when absent, the stock processor is
kept.
"""

from __future__ import annotations

from typing import Any, cast

# name -> (regular expression as Python-Markdown 3.11 spells it, the substrings one of which it needs)
TRIGGERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("[",)),
    "image_reference": (r"\!\[", ("[",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("[",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
}
# the raw-HTML pattern's expression is long; it cannot match without a `<`
_HTML_START = r"(<(\/?+[a-zA-Z]"


def _needs(name: str, pattern: Any) -> tuple[str, ...] | None:
    """The substrings ``pattern`` needs, or None when it is not known (always applied)."""
    regex = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
    if not isinstance(regex, str):
        return None
    if name == "html" and regex.startswith(_HTML_START):
        return ("<",)
    known = TRIGGERS.get(name)
    return known[1] if known is not None and known[0] == regex else None


def install(md: Any) -> bool:
    """Replace ``md``'s inline tree processor by the filtering one; False (nothing changed) when this
    Python-Markdown's processor does not have the shape it relies on."""
    from markdown.treeprocessors import InlineProcessor

    entry = "_InlineProcessor__handleInline"
    stock: Any = getattr(InlineProcessor, entry, None)
    if stock is None or "inline" not in md.treeprocessors:
        return False
    if type(md.treeprocessors["inline"]) is not InlineProcessor:
        return False  # an extension replaced it: keep what it did
    registry = md.inlinePatterns
    needs_of = {
        id(registry[name]): _needs(name, registry[name]) for name in (*TRIGGERS, "html") if name in registry
    }
    table = [(pattern, needs_of.get(id(pattern))) for pattern in registry]  # priority order
    triggers = sorted({n for _, needs in table if needs is not None for n in needs})
    lists: dict[tuple[bool, ...], list[Any]] = {}  # per set of triggers present: the patterns to apply

    def patterns_for(data: str) -> list[Any]:
        present = tuple(t in data for t in triggers)
        chosen = lists.get(present)
        if chosen is None:
            found = {t for t, here in zip(triggers, present, strict=True) if here}
            chosen = [p for p, needs in table if needs is None or not found.isdisjoint(needs)]
            lists[present] = chosen
        return chosen

    class FilteredInline(InlineProcessor):  # type: ignore[misc]
        inlinePatterns: Any  # Python-Markdown's attribute, read by the stock method

        def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
            # a run from the first pattern is where a text enters the stage (an element's text or tail,
            # or a tail inside a match): give it only the patterns that can match in it.  Runs from a
            # later index continue the text around them and use the list already chosen for it.
            if patternIndex != 0:
                return cast(str, stock(self, data, patternIndex))
            saved: Any = self.inlinePatterns
            self.inlinePatterns = patterns_for(data)
            try:
                return cast(str, stock(self, data, 0))  # an AtomicString comes back as it went in
            finally:
                self.inlinePatterns = saved

    md.treeprocessors.register(FilteredInline(md), "inline", 20)
    return True
