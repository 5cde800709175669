"""Untrusted text made safe to show: visible controls, valid JSON, and any stream encoding.

Report text, figure file names and configuration keys reach what we print.  Three pure functions:

* :func:`visible` — for a human's terminal (and the log lines and markdown built on it): every
  character that could drive the terminal or reorder what it shows is replaced by a visible escape.
  C0 controls (except tab; newline only when the caller writes lines itself), DEL and C1 controls
  (``U+009B`` is a one-character CSI) are shown as ``\\x1b``; bidirectional overrides, embeddings,
  isolates and marks (``U+202A``–``U+202E``, ``U+2066``–``U+2069``, LRM, RLM, ALM) and the line and
  paragraph separators as ``<U+202E>``.  Lone surrogates — ``os.fsdecode`` of a file name that is not
  UTF-8 — are shown as the byte they stand for (``\\xff``); other lone surrogates as ``<U+D800>``.
* :func:`json_text` — for the machine formats: the same characters become JSON ``\\uXXXX`` escapes
  (the value round-trips exactly), except lone surrogates, which no UTF-8 document can hold: they
  become the same ``\\xff`` text as in :func:`visible`, so the output is always valid UTF-8 JSON.
* :func:`fit` — for a stream whose encoding cannot show everything (``cp1252``, ``ascii``,
  ``latin-1``): each character the encoding lacks gets a readable stand-in from :data:`FALLBACK`
  (``❌`` → ``FAIL``, ``–`` → ``-``) or else the visible escape ``<U+1F642>``.  Nothing raises.

Escapes are ASCII, so whatever :func:`visible` returns passes :func:`fit` for any ASCII-compatible
encoding without a second change.
"""

from __future__ import annotations

import codecs
import re

# Regular-expression class bodies.  BIDI_AND_SURROGATES: bidi embeddings/overrides, isolates and
# marks, the Unicode line and paragraph separators, surrogates (never valid text: only lone ones
# occur); shared with the ``github`` format, which handles CR/LF itself.  _UNSAFE_CLASS adds the C0
# controls but TAB and LF (ESC, BEL, CR...), DEL and the C1 controls.
BIDI_AND_SURROGATES = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_AND_SURROGATES
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}\n]")
_UNSAFE_KEEP_NEWLINES = re.compile(f"[{_UNSAFE_CLASS}]")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# what json.dumps(ensure_ascii=False) leaves raw and a terminal or viewer would act on
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI_AND_SURROGATES}]")

_NON_ASCII = re.compile("[^\x00-\x7f]")

# readable stand-ins for the characters our own output uses, when the stream cannot encode them
FALLBACK = {
    "\u274c": "FAIL",  # ❌
    "\u2716": "FAIL",  # ✖
    "\u2717": "x",  # ✗
    "\u2718": "x",  # ✘
    "\u2705": "ok",  # ✅
    "\u2714": "ok",  # ✔
    "\u2713": "ok",  # ✓
    "\u26a0": "WARN",  # ⚠
    "\u2139": "INFO",  # ℹ
    "\u2b1c": "--",  # ⬜
    "\u2610": "[ ]",  # ☐
    "\u2611": "[x]",  # ☑
    "\ufe0f": "",  # emoji presentation selector: shows nothing by itself
    "\u2013": "-",  # en dash (ranges: 100–200)
    "\u2014": "-",  # em dash
    "\u2026": "...",
    "\u00b7": "-",  # middle dot between summary parts
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00a6": "|",  # broken bar (a `|` inside markdown table cells)
    "\u00a0": " ",
    "\u2192": "->",
}
ERRORS = "report-lint-visible"
_NAMED = {"\n": "\\n", "\r": "\\r"}


def escape_char(char: str) -> str:
    """The visible ASCII form of one unsafe or unencodable character."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape of the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if char in _NAMED:
        return _NAMED[char]
    if code < 0xA0:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control, bidi and surrogate character shown as an ASCII escape.

    ``newlines=True`` keeps LF (for text whose line structure is ours); otherwise LF is escaped too.
    """
    pattern = _UNSAFE_KEEP_NEWLINES if newlines else _UNSAFE
    return pattern.sub(lambda m: escape_char(m.group(0)), text)


def one_line(text: str) -> str:
    """:func:`visible`, with line breaks (and the whitespace around them) folded into one space."""
    return visible(_LINE_BREAKS.sub(" ", text))


def _json_escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return escape_char(char).replace("\\", "\\\\")  # the visible form, as a JSON string holds it
    return f"\\u{code:04x}"


def _ascii_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code > 0xFFFF:  # as a UTF-16 surrogate pair, as JSON spells astral characters
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(dumped: str, *, ensure_ascii: bool = False) -> str:
    """The output of ``json.dumps(..., ensure_ascii=False)`` made safe to print and to encode.

    Only string contents can hold these characters (JSON's own syntax is ASCII), so replacing them
    in the dumped text is exact.  ``ensure_ascii``: every other non-ASCII character is escaped too
    (``json.dumps``'s own option would turn lone surrogates into ``\\udcff``, which is not UTF-8).
    """
    safe = _JSON_UNSAFE.sub(_json_escape, dumped)
    return _NON_ASCII.sub(_ascii_escape, safe) if ensure_ascii else safe


def _stand_in(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chars = exc.object[exc.start : exc.end]
    return "".join(FALLBACK.get(c, escape_char(c)) for c in chars), exc.end


# registered on import: every writer that names ERRORS (terminal.write via fit, the CLI's files)
# imports this module first
codecs.register_error(ERRORS, _stand_in)


def fit(text: str, encoding: str | None) -> str:
    """``text`` as a stream in ``encoding`` can write it strictly (``None`` or unknown: UTF-8)."""
    name = encoding or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        name = "utf-8"
    try:
        text.encode(name)
        return text
    except UnicodeEncodeError:
        return text.encode(name, ERRORS).decode(name)
