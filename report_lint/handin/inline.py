"""A faster run of Python-Markdown's inline stage with the same output, for the rule (never ``preview``).

Python-Markdown applies every inline pattern (14 without extensions) to every piece of text, in priority
order, each a Python-level call even when its regular expression cannot match; that is most of the time
it spends on a report's answers.  Each of those expressions needs a literal character (or ``"  \\n"``)
to match at all — a backtick, ``\\``, ``[`` (``![`` for images), ``<``, ``&``, ``*`` or ``_`` — and every
text the inline stage goes on to process is made of pieces of the text it started from plus its own
placeholders (built from STX, ETX, ASCII letters, digits and ``:``, none of those characters).  So a
pattern whose characters are absent from a text cannot match in it or in anything made from it, and
leaving it out of that text's run changes nothing: the output is byte for byte ``markdown.markdown``'s
(tested on the fixtures, the property test's answers and the seeds).  A two-character trigger (``![``,
``"  \\n"``) cannot arise by joining pieces either: a match is always replaced by a placeholder, never by
nothing.  The four reference patterns are also left out while the answer defines no ``[id]: url``
(``_reference_patterns``).

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
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
}
REFERENCES = ("reference", "image_reference", "short_reference", "short_image_ref")
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


def _reference_patterns(registry: Any) -> set[int]:
    """The stock reference patterns (``[text][id]``, ``[id]``, ``![alt][id]``, ``![id]``), by ``id``.  Each
    looks the id up in ``md.references`` (the answer's ``[id]: url`` lines, collected by the block parser
    before the inline stage) and, when it is not there, returns no element and leaves the text as it was
    (``ReferenceInlineProcessor.handleMatch``: ``None, start, end``, on which the stage only moves that
    same pattern's search on).  With no references defined they can change nothing, so they are left out;
    a subclass (an extension's) is always applied."""
    from markdown import inlinepatterns as ip

    stock = (
        ip.ReferenceInlineProcessor,
        ip.ImageReferenceInlineProcessor,
        ip.ShortReferenceInlineProcessor,
        ip.ShortImageReferenceInlineProcessor,
    )
    return {id(registry[name]) for name in REFERENCES if name in registry and type(registry[name]) in stock}


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
    references = _reference_patterns(registry)
    # per set of triggers present, and whether the answer defines references: the patterns to apply
    lists: dict[tuple[bool, ...], list[Any]] = {}

    def patterns_for(data: str, defined: bool) -> list[Any]:
        present = (*(t in data for t in triggers), defined)
        chosen = lists.get(present)
        if chosen is None:
            found = {t for t, here in zip(triggers, present[:-1], strict=True) if here}
            chosen = [
                p
                for p, needs in table
                if (needs is None or not found.isdisjoint(needs)) and (defined or id(p) not in references)
            ]
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
            self.inlinePatterns = patterns_for(data, bool(self.md.references))
            try:
                return cast(str, stock(self, data, 0))  # an AtomicString comes back as it went in
            finally:
                self.inlinePatterns = saved

    md.treeprocessors.register(FilteredInline(md), "inline", 20)
    return True
