"""The course's hand-in export, exactly: drop the first ``skip_chars`` characters, render the rest with
Python-Markdown (``markdown.markdown(text, extensions=…)``; the DTU course uses no extensions).

``markdown`` is imported here only, when a hand-in is rendered, so a lint without this rule never loads it.
One ``Markdown`` instance per extension list is reused with ``reset()``, which gives the same output as a
fresh ``markdown.markdown`` call (tested) at a fraction of the set-up cost.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from report_lint.errors import InputError

from . import blockparse, tree
from .structure import HEADING_TAGS, Structure, extract


@dataclass(frozen=True)
class Pipeline:
    """What the pack's ``handin:`` block says about the export."""

    renderer: str = "python-markdown"
    extensions: tuple[str, ...] = ()
    skip_chars: int = 0
    template_heads: tuple[str, ...] = field(default=())


class _Cache(threading.local):
    def __init__(self) -> None:
        self.instances: dict[tuple[tuple[str, ...], bool], Any] = {}


_CACHE = _Cache()


def _instance(extensions: tuple[str, ...], fast: bool) -> Any:
    md = _CACHE.instances.get((extensions, fast))
    if md is None:
        import markdown  # the course's renderer; loaded only when a hand-in is rendered

        try:
            md = markdown.Markdown(extensions=list(extensions))
        except (ImportError, AttributeError, ValueError) as exc:
            raise InputError(
                f"hand-in renderer: cannot load Markdown extensions {list(extensions)}: {exc}"
            ) from exc
        if fast:
            from . import inline

            inline.install(md)
            blockparse.install(md)
        _CACHE.instances[(extensions, fast)] = md
    return md


def render(text: str, extensions: tuple[str, ...] = (), *, fast: bool = False) -> str:
    """``markdown.markdown(text, extensions=list(extensions))``, with a reused instance.  ``fast``: with
    the inline stage that skips patterns which cannot match (``inline.py``): the same output, for the
    rule; ``preview`` renders with the stock instance."""
    md = _instance(extensions, fast)
    md.reset()
    return str(md.convert(text))


def _blocks(md: Any, source: str) -> Any:
    """Steps 1-2 of ``Markdown.convert`` (pre-processors, block parser): the tree before its processors."""
    md.lines = str(source).split("\n")
    for prep in md.preprocessors:
        md.lines = prep.run(md.lines)
    return blockparse.parse(md, md.lines)


def _tree(md: Any, source: str, *, skip_inline: bool = False) -> Any:
    """Steps 1-3 of ``Markdown.convert`` (pre-processors, block parser, tree processors), as it runs
    them: the element tree, or None for blank text (``convert`` returns "" for it).  ``skip_inline``: leave
    the inline stage out where it cannot change what the rule reads (``inline_matters``), when the tree
    processors are the stock three."""
    if not source.strip():
        return None
    root = _blocks(md, source)
    processors = list(md.treeprocessors)
    if skip_inline and _stock_tree_processors(processors) and not inline_matters(root):
        # the unescaping restores the characters the inline stage's escapes stashed (STX digits ETX);
        # without that stage there are none, as the stock pre-processors remove STX and ETX from the text
        processors = processors[1:2] if _stock_preprocessors(md) else processors[1:]
    for treeprocessor in processors:
        new_root = treeprocessor.run(root)
        if new_root is not None:
            root = new_root
    return root


def _stock_tree_processors(processors: list[Any]) -> bool:
    from markdown import treeprocessors

    kinds = [type(p) for p in processors]
    return (
        len(kinds) == 3
        and issubclass(kinds[0], treeprocessors.InlineProcessor)
        and kinds[1:] == [treeprocessors.PrettifyTreeprocessor, treeprocessors.UnescapeTreeprocessor]
    )


def _stock_preprocessors(md: Any) -> bool:
    from markdown import preprocessors

    kinds = [type(p) for p in md.preprocessors]
    return kinds == [preprocessors.NormalizeWhitespace, preprocessors.HtmlBlockPreprocessor]


# What the inline stage can change in the structure the rule reads.  It makes links, images, raw HTML and
# entities only from `[`, `<` and `&` (``inline_inert`` looks for those in the text).  Everything else it
# does (code spans, emphasis, escapes, line breaks) makes elements the structure ignores and drops only
# characters that are not letters or digits, which ``structure.norm`` drops too.  So the only text the
# rule reads from it, an item's hint (the first 40 letters and digits of its first line), is the same
# with or without it, given two things about the text inside items (``inline_matters`` looks at the
# parsed blocks): no code span loses a newline at its edge (Python-Markdown strips a span's content),
# and no line is so sparse in letters that its first 40 fall past the 160 characters an element
# collects.  A heading's text is quoted in a message, so a tree with one keeps the stage.
_INLINE_ACTIVE = re.compile(r"[\[<&]")
_SPAN_EDGE = re.compile(r"`[ \t]*\n|\n[ \t]*`")
_LETTER = re.compile(r"[^\W_]")
_LONG_LINE = 120


def inline_inert(text: str) -> bool:
    """True when no link, image, raw HTML or entity can be made from ``text`` by the inline stage."""
    return _INLINE_ACTIVE.search(text) is None


def _sparse(text: str) -> bool:
    return any(
        len(line) > _LONG_LINE and len(_LETTER.findall(line, 0, _LONG_LINE)) < 40 for line in text.split("\n")
    )


def inline_matters(root: Any) -> bool:
    """True when the block-parsed tree ``root`` holds a heading, or an item text whose hint the inline
    stage could change (see above); a property test holds the structures equal otherwise."""
    from markdown.util import AtomicString

    def risky(text: str | None) -> bool:
        if not text or isinstance(text, AtomicString):  # code blocks: never inline-processed
            return False
        return ("`" in text and _SPAN_EDGE.search(text) is not None) or _sparse(text)

    def walk(el: Any, in_item: bool) -> bool:
        if el.tag in HEADING_TAGS:
            return True
        in_item = in_item or el.tag == "li"
        if in_item and risky(el.text):
            return True
        return any(walk(child, in_item) or (in_item and risky(child.tail)) for child in el)

    return walk(root, False)


def _html(md: Any, root: Any) -> str:
    """Steps 4-5 of ``Markdown.convert``: serialise, strip the top-level tags, post-process."""
    output = str(md.serializer(root))
    if md.stripTopLevelTags:
        try:
            start = output.index(f"<{md.doc_tag}>") + len(md.doc_tag) + 2
            end = output.rindex(f"</{md.doc_tag}>")
            output = output[start:end].strip()
        except ValueError:
            if not output.strip().endswith(f"<{md.doc_tag} />"):
                raise
            output = ""
    for pp in md.postprocessors:
        output = pp.run(output)
    return output.strip()


def structure(text: str, extensions: tuple[str, ...] = (), *, skip_inline: bool = True) -> Structure:
    """``extract(render(text, extensions, fast=True), github=False)``, read from Python-Markdown's tree
    where ``tree.py`` can promise the same events, else from the HTML as before (tested equal); without
    the inline stage where it cannot change the structure (``inline_inert``, ``inline_matters``: then an
    item's ``text`` is its source text, its hint the same)."""
    md = _instance(extensions, True)
    md.reset()
    root = _tree(md, text, skip_inline=skip_inline and inline_inert(text))
    if root is None:
        return extract("", github=False)
    if tree.stock_output(md):
        found = tree.structure(md, root)
        if found is not None:
            return found
    return extract(_html(md, root), github=False)


# Work bounds.  Python-Markdown's inline patterns rescan a paragraph from every `[`, `<`, `!` or backtick
# (20,000 `[` in one paragraph take 45 s), and its block parser recurses once per nesting level.  Text past
# these bounds is not rendered; real answers are far below them.
MAX_TEXT = 200_000  # characters handed to Python-Markdown for one answer
MAX_PARAGRAPH_COST = 2_000_000  # openers (`[ < ! backtick`) in a paragraph x its length
MAX_DEPTH = 40  # list/quote nesting levels, from indentation and `>` marks
_OPENERS = ("[", "<", "!", "`")
# a line whose prefix could nest past MAX_DEPTH: k `>` and L prefix characters give k + L // 2 levels,
# at most L + L // 2, which passes 40 only from L = 28
_DEEP_PREFIX = re.compile(r"^[ >\t]{28}", re.MULTILINE)


def too_costly(text: str) -> str | None:
    """Why rendering ``text`` would take too long (a reason in words), or None when it is within bounds."""
    if len(text) > MAX_TEXT:
        return f"it is {len(text):,} characters long (report-lint renders at most {MAX_TEXT:,})"
    # no paragraph can cost more than the whole text would as one paragraph, nor any line nest deeper
    # than its prefix of ` `, `>` and tabs allows (28 characters at the least to pass 40 levels): the
    # per-paragraph and per-line tests run only when the whole text could fail them
    if sum(text.count(c) for c in _OPENERS) * len(text) > MAX_PARAGRAPH_COST:
        for paragraph in text.split("\n\n"):
            cost = sum(paragraph.count(c) for c in _OPENERS) * len(paragraph)
            if cost > MAX_PARAGRAPH_COST:
                return (
                    "a paragraph holds so many `[`, `<`, `!` or backticks "
                    "that rendering it would take minutes"
                )
    if _DEEP_PREFIX.search(text) is None:
        return None
    for line in text.split("\n"):
        body = line.lstrip(" >\t")
        prefix = line[: len(line) - len(body)]
        if prefix.count(">") + len(prefix) // 2 > MAX_DEPTH:
            return f"it nests lists or quotes more than {MAX_DEPTH} levels deep"
    return None


def export_text(data: bytes) -> str:
    """The file's bytes as the export's ``open("README.md").read()`` sees them on a UTF-8 platform: the
    same text-mode decoder (universal newlines: ``\\r\\n`` and ``\\r`` become ``\\n``; a byte-order mark
    kept as a character, so it counts towards the cut; every other character, NUL included, as it is)."""
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8") as handle:
        return handle.read()


def export_html(text: str, pipeline: Pipeline) -> str:
    """The hand-in page for ``text`` (the file's text as ``export_text`` returns it)."""
    return render(text[pipeline.skip_chars :], pipeline.extensions)
