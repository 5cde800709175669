"""The neutralising and encoding primitives every output goes through (report_lint.safe_text)."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report_lint import terminal
from report_lint.safe_text import escape_char, fit, json_text, one_line, visible

RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
# any code point, lone surrogates included (what os.fsdecode makes of a non-UTF-8 name)
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)
ENCODINGS = ["utf-8", "cp1252", "ascii", "latin-1", "utf-16"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31m", "\\x1b[31m"),
        ("\x07", "\\x07"),
        ("\x7f", "\\x7f"),
        ("\x9b", "\\x9b"),
        ("\u202e", "<U+202E>"),
        ("\u2066x\u2069", "<U+2066>x<U+2069>"),
        ("\u200f", "<U+200F>"),
        ("\u2028", "<U+2028>"),
        ("\udcff", "\\xff"),  # os.fsdecode(b"\xff")
        ("\ud800", "<U+D800>"),
        ("a\tb", "a\tb"),
        ("a\nb\rc", "a\\nb\\rc"),
        ("plain é 🙂 – text", "plain é 🙂 – text"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_visible_keeps_newlines_when_asked_and_one_line_folds_them() -> None:
    assert visible("a\n\x1bb", newlines=True) == "a\n\\x1bb"
    assert one_line("first\r\n   second\n\nthird\x1b") == "first second third\\x1b"


@given(ANY_TEXT)
def test_visible_never_leaves_a_raw_character(text: str) -> None:
    shown = visible(text)
    assert not RAW.search(shown) and "\n" not in shown
    shown.encode("utf-8")  # strict: no surrogate left


@given(ANY_TEXT, st.sampled_from(ENCODINGS))
def test_fit_always_encodes_strictly(text: str, encoding: str) -> None:
    fitted = fit(text, encoding)
    fitted.encode(encoding)
    if text.isascii():  # what every one of these encodings holds is never changed
        assert fitted == text


@pytest.mark.parametrize(
    ("encoding", "text", "shown"),
    [
        ("ascii", "❌ 3 errors, ⚠️ 1 warning, ℹ️ 0 infos", "FAIL 3 errors, WARN 1 warning, INFO 0 infos"),
        ("ascii", "✅ pass · ⬜ unfilled", "ok pass - -- unfilled"),
        ("ascii", "limit 100–200 — cut 12…", "limit 100-200 - cut 12..."),
        ("ascii", "Søren 🙂", "S<U+00F8>ren <U+1F642>"),
        ("latin-1", "Søren 🙂 – x", "Søren <U+1F642> - x"),
        ("cp1252", "Søren 🙂 – ❌", "Søren <U+1F642> – FAIL"),  # cp1252 has the en dash
        ("utf-8", "fig\udcff.png", "fig\\xff.png"),
        ("no-such-codec", "❌", "❌"),  # unknown: UTF-8
    ],
)
def test_fit_stand_ins(encoding: str, text: str, shown: str) -> None:
    assert fit(text, encoding) == shown


@given(st.recursive(ANY_TEXT, lambda inner: st.lists(inner, max_size=3), max_leaves=5))
def test_json_text_is_valid_utf8_json_and_exact_without_surrogates(value: object) -> None:
    for ensure_ascii in (False, True):
        out = json_text(json.dumps(value, ensure_ascii=False), ensure_ascii=ensure_ascii)
        out.encode("utf-8")
        assert not RAW.search(out)
        if ensure_ascii:
            assert out.isascii()
        back = json.loads(out)

        def unsurrogate(v: object) -> object:
            if isinstance(v, str):
                return re.sub("[\ud800-\udfff]", lambda m: escape_char(m.group(0)), v)
            return [unsurrogate(x) for x in v] if isinstance(v, list) else v

        assert back == unsurrogate(value)


def test_terminal_write_fits_the_stream() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    terminal.write(stream, "❌ fig\udcff 🙂\n")
    assert raw.getvalue() == b"FAIL fig\\xff <U+1F642>\n"


@pytest.mark.parametrize(
    ("env", "tty", "wanted"),
    [
        ({}, False, False),
        ({}, True, True),
        ({"TERM": "dumb"}, True, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # no-color.org: set *and* non-empty
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, True, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),  # NO_COLOR wins
    ],
)
def test_colour_decision(env: dict[str, str], tty: bool, wanted: bool) -> None:
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert terminal.colour_wanted(Stream(), env) is wanted
