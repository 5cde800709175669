"""--format json: the machine interface keeps text exactly, and is always valid UTF-8 JSON."""

from __future__ import annotations

import json

from formatter_factory import diag, result

from report_lint.formatters import json_format

MESSAGE = "quoted \x1b]8;;https://e.x/\x07link\x1b]8;;\x07 \x9b2J \u202eevil \u2028 🙂 é"


def test_controls_are_json_escapes_and_the_value_is_exact() -> None:
    text = json_format.render(result(diag(3, MESSAGE)))
    for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\u2028"):
        assert raw not in text  # a terminal showing the JSON sees only escapes
    assert "\\u009b2J \\u202eevil \\u2028 🙂 é" in text
    assert json.loads(text)["reports"][0]["diagnostics"][0]["message"] == MESSAGE


def test_non_utf8_file_names_become_visible_text_and_ascii_mode_is_lossless() -> None:
    hostile = result(diag(3, MESSAGE, path="reports/R\udcff.md"), path="reports/R\udcff.md")
    for ensure_ascii in (False, True):
        text = json_format.render(hostile, ensure_ascii=ensure_ascii)
        text.encode("utf-8")  # strict: json.dumps alone would leave the lone surrogate in
        assert text.isascii() == ensure_ascii
        data = json.loads(text)
        assert data["reports"][0]["path"] == "reports/R\\xff.md"
        assert data["reports"][0]["diagnostics"][0]["message"] == MESSAGE
