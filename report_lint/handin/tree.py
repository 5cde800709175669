"""The hand-in side's structure read from Python-Markdown's element tree instead of its HTML (the rule only).

``extract(export.render(text))`` serialises Python-Markdown's tree, runs its post-processors and tokenizes
the HTML again, only to recover the elements the tree already holds (≈ 2.3 ms of the worst case's 17 ms).
This module feeds the same :class:`~report_lint.handin.structure.Extractor` straight from the tree, with
exactly the events the tokenizer would produce from the serialised page:

* a start tag per element, its attributes in the serialiser's sorted order and with the value the
  tokenizer reads back (``unescape`` of the serialiser's escaping, after the ``&`` post-processor);
* the element's text and each tail as one piece of text, escaped as the serialiser escapes it (the
  extractor unescapes it as it unescapes the page's text); a piece never holds a ``<`` once escaped, so
  the tokenizer also sees it as one piece, ended by the next tag;
* XHTML's empty elements (``<br />``) without text, children or end tag, as the serialiser writes them.

It declines (returns None, and the caller reads the HTML as before) whenever that correspondence is not
certain: raw HTML in the stash (the page then holds markup the tree does not), a tag or attributes the
tokenizer would not read as one tag, raw-text elements, or an instance whose serialiser, top-level tags or
post-processors are not the stock ones.  A test holds the two routes equal on generated answers and seeds.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from xml.etree.ElementTree import HTML_EMPTY

from .structure import _RAW_TEXT, _VOID, EVENT_TAGS, Extractor, Structure

_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")
_ATTR_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:.-]*\Z")
_MAX_ATTR_TEXT = 1000  # the tokenizer reads at most 1,024 characters of attributes as one tag
_NAMES: dict[str, str] = {}  # tag -> its lower-case name, for tags the tokenizer reads as a tag
_MAX_NAMES = 256  # extensions can make any tag: the memo stays small


class _Declined(Exception):
    """The tree walk cannot promise the tokenizer's events for this tree."""


def stock_output(md: Any) -> bool:
    """True when ``md`` turns its tree into HTML exactly as this module assumes (XHTML serialiser, the
    ``<div>`` wrapper stripped, only the raw-HTML and ``&`` post-processors)."""
    from markdown import postprocessors, serializers

    kinds = [type(p) for p in md.postprocessors]
    return (
        md.serializer is serializers.to_xhtml_string
        and md.stripTopLevelTags
        and md.doc_tag == "div"
        and kinds == [postprocessors.RawHtmlPostprocessor, postprocessors.AndSubstitutePostprocessor]
    )


def structure(md: Any, root: Any) -> Structure | None:
    """The hand-in structure of ``root`` (the tree ``md`` just built), or None when only the HTML route
    can say (see the module's docstring)."""
    if md.htmlStash.html_counter:
        return None
    from markdown import serializers
    from markdown.util import AMP_SUBSTITUTE

    walker = _Walker(serializers._escape_cdata, serializers._escape_attrib_html, AMP_SUBSTITUTE)
    try:
        for child in root:
            walker.element(child)
    except _Declined:
        return None
    return walker.extractor.result()


class _Walker:
    def __init__(self, escape_text: Any, escape_attr: Any, amp: str) -> None:
        self.extractor = Extractor(github=False)
        self.escape_text = escape_text
        self.escape_attr = escape_attr
        self.amp = amp

    def text(self, piece: str | None) -> None:
        if piece:  # the serialiser writes nothing for an empty text, so the tokenizer sees nothing
            escaped: str = self.escape_text(piece)
            self.extractor.handle_data(escaped.replace(self.amp, "&") if self.amp in escaped else escaped)

    def element(self, el: Any) -> None:
        tag = el.tag
        name = _NAMES.get(tag) if isinstance(tag, str) else None
        if name is None:
            if not isinstance(tag, str) or _TAG_NAME.match(tag) is None:
                raise _Declined  # a comment, processing instruction or name the tokenizer reads otherwise
            name = tag.lower()
            if name in _RAW_TEXT:
                raise _Declined
            if len(_NAMES) < _MAX_NAMES:
                _NAMES[tag] = name
        items = el.items()
        attrs: list[tuple[str, str | None]] = []
        if items:
            size = 0
            for key, raw in sorted(items):  # the serialiser's order
                if not isinstance(key, str) or _ATTR_NAME.match(key) is None or not isinstance(raw, str):
                    raise _Declined
                escaped: str = self.escape_attr(raw)
                if self.amp in escaped:
                    escaped = escaped.replace(self.amp, "&")
                size += len(key) + len(escaped) + 4  # ` key="value"`
                attrs.append((key.lower(), unescape(escaped) if "&" in escaped else escaped))
            if size > _MAX_ATTR_TEXT:
                raise _Declined
        extractor = self.extractor
        # the extractor does nothing for a tag it does not know (``<p>``, ``<em>``, ``<code>`` …): no start,
        # and it never holds one open, so its end tag closes nothing either
        known = name in EVENT_TAGS
        if known:
            extractor.handle_starttag(name, attrs)
        if name in HTML_EMPTY:  # `<br />`: the serialiser drops text and children, writes no end tag
            if known and name not in _VOID:
                extractor.handle_endtag(name)  # the tokenizer closes a self-closed non-void tag
        else:
            self.text(el.text)
            for child in el:
                self.element(child)
            if known:
                extractor.handle_endtag(name)
        self.text(el.tail)
