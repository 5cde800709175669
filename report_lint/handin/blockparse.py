"""Python-Markdown's block parser with fewer tests per block, for the rule: the same tree (tested).

The parser tries its eleven block processors on every block, in priority order, and most of their tests
are a regular expression over the whole block.  A processor whose pattern needs a character the text does
not hold anywhere cannot pass on any block of it: each block is a piece of the text after the
pre-processors, with indentation or quote marks taken away, never a character added (the raw-HTML stash
puts in placeholders of letters, digits and a colon).  Such processors are left out of the loop for that
text.  Only for the core pipeline (the stock pre-processors and block processors, as the DTU export
runs): an extension's processor may parse text from elsewhere (``md_in_html`` parses raw HTML blocks'
content from the stash, which the lines no longer hold), so with any extension nothing is left out.
"""

from __future__ import annotations

from typing import Any

# the characters a stock processor's pattern needs at least one of (``code`` and ``indent``: a block that
# starts with ``tab_length`` spaces)
_NEEDS: dict[str, str] = {
    "hashheader": "#",
    "setextheader": "=-",
    "hr": "-_*",
    "ulist": "*+-",
    "quote": ">",
    "reference": "[",
}
_STOCK_CLASSES = {
    "indent": "ListIndentProcessor",
    "code": "CodeBlockProcessor",
    "hashheader": "HashHeaderProcessor",
    "setextheader": "SetextHeaderProcessor",
    "hr": "HRProcessor",
    "olist": "OListProcessor",
    "ulist": "UListProcessor",
    "quote": "BlockQuoteProcessor",
    "reference": "ReferenceProcessor",
}


def install(md: Any) -> None:
    """Give ``md``'s block parser its processors listed once, in the same order, with the ones that
    cannot pass on the text being parsed left out while ``parse`` runs.  The parser iterates its registry
    for every block, and each iteration of a ``Registry`` lists all eleven processors anew (≈ 1.5 µs, 13
    times for a worst-case answer).  Registering or deregistering lists them again; a registry without
    the pinned version's ``_priority`` is left as it is."""
    from markdown import blockprocessors, preprocessors
    from markdown.util import Registry

    stock_preprocessors = [preprocessors.NormalizeWhitespace, preprocessors.HtmlBlockPreprocessor]
    core_pipeline = [type(p) for p in md.preprocessors] == stock_preprocessors

    class Listed(Registry):  # type: ignore[misc]
        listed: list[Any] | None = None
        left_out: frozenset[str] = frozenset()
        eligible: frozenset[str] = frozenset()  # names that hold their stock processor class
        without: dict[frozenset[str], list[Any]]

        def __iter__(self) -> Any:
            if self.listed is None:
                self.listed = list(super().__iter__())
                self.without = {}
                core = core_pipeline and all(
                    type(p).__module__ == blockprocessors.__name__ for p in self.listed
                )
                self.eligible = frozenset(
                    name
                    for name, cls in _STOCK_CLASSES.items()
                    if core and name in self and type(self[name]) is getattr(blockprocessors, cls)
                )
            if not self.left_out:
                return iter(self.listed)
            kept = self.without.get(self.left_out)
            if kept is None:
                unwanted = {id(self[name]) for name in self.left_out & self.eligible}
                kept = self.without[self.left_out] = [p for p in self.listed if id(p) not in unwanted]
            return iter(kept)

        def register(self, item: Any, name: str, priority: float) -> None:
            self.listed = None
            super().register(item, name, priority)

        def deregister(self, name: str, strict: bool = True) -> None:
            self.listed = None
            super().deregister(name, strict)

    stock = md.parser.blockprocessors
    items = getattr(stock, "_priority", None)
    if type(stock) is not Registry or items is None:
        return
    listed = Listed()
    for item in items:
        listed.register(stock[item.name], item.name, item.priority)
    if list(listed) == list(stock):
        md.parser.blockprocessors = listed


def unneeded(text: str, tab_length: int) -> frozenset[str]:
    """The stock processors that cannot pass on any block of ``text`` (the pre-processed lines, joined)."""
    out = {name for name, chars in _NEEDS.items() if not any(c in text for c in chars)}
    if " " * tab_length not in text:
        out |= {"code", "indent"}
    if "." not in text:
        out.add("olist")  # its pattern is digits and a dot
    return frozenset(out)


def parse(md: Any, lines: list[str]) -> Any:
    """``md.parser.parseDocument(lines).getroot()``, leaving out what cannot pass when ``install`` ran."""
    processors = md.parser.blockprocessors
    if not hasattr(processors, "left_out"):
        return md.parser.parseDocument(lines).getroot()
    processors.left_out = unneeded("\n".join(lines), md.tab_length)
    try:
        return md.parser.parseDocument(lines).getroot()
    finally:
        processors.left_out = frozenset()
