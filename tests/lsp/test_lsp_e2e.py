"""``report-lint lsp`` end to end: pytest-lsp's client talks to the real CLI over stdio.

Every test runs on a copy of the demo in a fresh git repository under tmp_path.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from lsp_support import (
    check_json,
    demo_repo,
    expected_range,
    lsp_range,
    open_doc,
    session,
    units,
    uri,
    wait_for,
)
from lsprotocol import types

from report_lint.lsp.convert import default_rules_doc

pytestmark = pytest.mark.asyncio
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
TODO_LINE = "[TO DO: add the profiling numbers]"


def _smile(repo: Path) -> None:
    """Put a non-BMP character before a problem: 🙂 is one code point but two UTF-16 units."""
    report = repo / "reports" / "README.md"
    text = report.read_text(encoding="utf-8")
    assert text.count(TODO_LINE + "\n") == 1
    report.write_text(text.replace(TODO_LINE + "\n", "🙂 " + TODO_LINE + "\n"), encoding="utf-8")


def _tree(repo: Path) -> dict[str, str]:
    """Every file and directory under the repository (.git included), files with their content hash."""
    out = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_open_publishes_what_check_json_says_at_exact_ranges(tmp_path: Path, encoding: str) -> None:
    repo = demo_repo(tmp_path, _smile)
    report = repo / "reports" / "README.md"
    expected = check_json(repo)
    lines = report.read_text(encoding="utf-8").split("\n")
    # the 2026 demo planted more than a dozen problems; all must arrive, each where check puts it
    assert len(expected["diagnostics"]) > 15
    asked = None if encoding == "utf-16" else [encoding]  # none asked: LSP's default
    # the rules table of this checkout's README, or the client's own link when it sends one
    href = "https://example.org/report-lint/rules" if encoding == "utf-8" else default_rules_doc()
    options = {"rulesDocUrl": href} if encoding == "utf-8" else None
    async with session(repo, encodings=asked, options=options) as client:
        chosen = client.initialize_result.capabilities.position_encoding  # type: ignore[attr-defined]
        assert str(chosen) == encoding
        doc = open_doc(client, report)
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        got = client.diagnostics[doc]

    severity = {"error": 1, "warning": 2, "info": 3}
    want = sorted(
        (d["code"], expected_range(d, lines, encoding), severity[d["severity"]], d["message"])
        for d in expected["diagnostics"]
    )
    have = sorted((str(d.code), lsp_range(d), int(d.severity or 0), d.message) for d in got)
    assert have == want
    assert {d.source for d in got} == {"report-lint"}
    # the planted placeholder sits after "🙂 ": column 3 in code points, a different offset in units
    todo = next(d for d in got if d.code == "RL101" and d.range.start.line == lines.index("🙂 " + TODO_LINE))
    assert todo.range.start.character == units("🙂 ", encoding)
    assert todo.range.end.character == units("🙂 " + TODO_LINE, encoding)
    if encoding != "utf-32":
        assert todo.range.start.character != 2  # a code-point column would be wrong here
    assert {d.code_description.href if d.code_description else None for d in got} == {href}


async def test_editing_the_buffer_relints_it_not_the_file(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    on_disk = report.read_bytes()
    line = report.read_text(encoding="utf-8").split("\n").index(TODO_LINE)
    async with session(repo) as client:
        doc = open_doc(client, report)

        def todo_flagged() -> bool:
            return any(
                d.code == "RL101" and d.range.start.line == line for d in client.diagnostics.get(doc, [])
            )

        await wait_for(client, PUBLISH, todo_flagged)
        before = len(client.diagnostics[doc])
        # delete the placeholder line in the buffer only (incremental change), as an editor would
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=line, character=0),
                            end=types.Position(line=line + 1, character=0),
                        ),
                        text="",
                    )
                ],
            )
        )
        await wait_for(
            client, PUBLISH, lambda: not todo_flagged() and len(client.diagnostics[doc]) == before - 1
        )
        # everything after the deleted line moved up by one, the rest stayed
        assert all(d.range.start.line != line or d.code != "RL101" for d in client.diagnostics[doc])
    assert report.read_bytes() == on_disk


async def test_hover_on_a_question_heading_shows_count_limit_and_verdict(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    expected = check_json(repo)
    q7 = next(q for q in expected["questions"] if q["number"] == 7)  # the demo's 130 words, limit 50–100
    q15 = next(q for q in expected["questions"] if q["number"] == 15)
    async with session(repo) as client:
        doc = open_doc(client, report)
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        hovers = {}
        for q in (q7, q15):
            hovers[q["number"]] = await client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=doc),
                    position=types.Position(line=q["line"] - 1, character=5),
                )
            )
        below = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=doc),
                position=types.Position(line=q7["line"], character=0),
            )
        )
    assert below is None  # only headings hover
    h7 = hovers[7]
    assert h7 is not None and isinstance(h7.contents, types.MarkupContent)
    first, second = h7.contents.value.split("  \n")
    assert first == f"Q7: {q7['words']} words, limit 50–100 ✗; images {q7['images']}"
    assert second.startswith("fails: 1 error (answer-length)")
    assert h7.range is not None and h7.range.start.line == q7["line"] - 1
    h15 = hovers[15]
    assert h15 is not None and isinstance(h15.contents, types.MarkupContent)
    assert h15.contents.value.startswith(f"Q15: {q15['words']} words, limit ")
    assert ("passes" in h15.contents.value) == q15["passed"]


async def test_a_file_that_is_no_report_gets_no_diagnostics(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    notes = repo / "docs" / "notes.md"
    notes.parent.mkdir()
    notes.write_text("### Question 1\n\n--- question 1 fill here ---\n\nTODO\n", encoding="utf-8")
    report = repo / "reports" / "README.md"
    async with session(repo) as client:
        other = open_doc(client, notes)
        doc = open_doc(client, report)  # linted after the notes: once it has arrived, the notes were done
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        assert other not in client.diagnostics
        assert client.messages == []


async def test_a_bad_config_is_a_message_and_the_server_keeps_serving(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    config = repo / ".report-lint.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "no-such-setting: 1\n", encoding="utf-8")
    report = repo / "reports" / "README.md"
    async with session(repo) as client:
        doc = open_doc(client, report)
        await wait_for(client, types.WINDOW_SHOW_MESSAGE, lambda: bool(client.messages))
        message = client.messages[0]
        assert message.type == types.MessageType.Error
        assert message.message.startswith("report-lint: .report-lint.yaml:")
        assert "no-such-setting" in message.message or "no_such_setting" in message.message
        # repaired and saved: the same server lints again
        config.write_text(good, encoding="utf-8")
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc))
        )
        await wait_for(client, PUBLISH, lambda: len(client.diagnostics.get(doc, [])) > 15)
        assert len(client.messages) == 1


async def test_evidence_is_refreshed_on_save_not_on_change(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    text = report.read_text(encoding="utf-8")
    line = text.split("\n").index(
        next(t for t in text.split("\n") if "pre-commit" in t and t.startswith("* [x]"))
    )

    async with session(repo) as client:
        doc = open_doc(client, report, text)

        def unsupported() -> bool:
            return any(
                d.code == "RL501" and d.range.start.line == line for d in client.diagnostics.get(doc, [])
            )

        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        assert unsupported()
        # the student adds the file the item needs; typing goes on against the snapshot …
        (repo / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + "\n")],
            )
        )
        await wait_for(client, PUBLISH, lambda: client.diagnostics[doc] is not None and unsupported())
        # … until the report is saved: the repository is listed again
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc))
        )
        await wait_for(client, PUBLISH, lambda: not unsupported())


async def test_the_server_never_writes_into_the_repository(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    before = _tree(repo)
    stamps = {p: os.stat(repo / p).st_mtime_ns for p in before}
    async with session(repo) as client:
        doc = open_doc(client, report)
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="# emptied\n")],
            )
        )
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc))
        )
        await wait_for(client, PUBLISH, lambda: all(d.range.start.line == 0 for d in client.diagnostics[doc]))
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=doc))
        )
        await wait_for(client, PUBLISH, lambda: len(client.diagnostics[doc]) == 0)
    assert _tree(repo) == before
    assert {p: os.stat(repo / p).st_mtime_ns for p in before} == stamps
    assert uri(report) == doc


async def test_changes_are_debounced_and_only_the_newest_buffer_is_published(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    text = report.read_text(encoding="utf-8")
    async with session(repo, options={"debounceMs": 3000}) as client:
        doc = open_doc(client, report, text)
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)  # open: at once
        for version in range(2, 6):  # four keystrokes in quick succession
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + "x" * version)],
                )
            )
        # slowness can only delay a publication, so "nothing within 1 s of a 3 s pause" cannot flake
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.wait_for_notification(PUBLISH), 1.0)
        published = await asyncio.wait_for(client.wait_for_notification(PUBLISH), 60)
        assert published.version == 5


async def test_hover_right_after_a_change_answers_for_the_new_text(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    q7 = next(q for q in check_json(repo)["questions"] if q["number"] == 7)
    async with session(repo, options={"debounceMs": 30_000}) as client:  # the change never lints itself
        doc = open_doc(client, report)
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        client.text_document_did_change(  # two lines on top: every heading moves down by two
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
                        ),
                        text="\n\n",
                    )
                ],
            )
        )
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=doc),
                position=types.Position(line=q7["line"] - 1 + 2, character=0),
            )
        )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith(f"Q7: {q7['words']} words")
    assert hover.range is not None and hover.range.start.line == q7["line"] + 1


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    """A client's side of a workspace edit (UTF-16 positions, edits applied from the last one)."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        line = lines[pos.line]
        chars, units16 = 0, 0
        while units16 < pos.character and chars < len(line):
            units16 += units(line[chars], "utf-16")
            chars += 1
        return sum(len(x) + 1 for x in lines[: pos.line]) + chars

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def _actions_at(client: Any, doc: str, d: types.Diagnostic) -> list[types.CodeAction]:
    got = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            range=types.Range(start=d.range.start, end=d.range.start),  # the cursor on the diagnostic
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    return [a for a in got or [] if isinstance(a, types.CodeAction)]


@pytest.mark.parametrize("versioned", [False, True])
async def test_a_quick_fix_applied_makes_its_diagnostic_disappear(tmp_path: Path, versioned: bool) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    text = report.read_text(encoding="utf-8")
    on_disk = report.read_bytes()
    async with session(repo, versioned_edits=versioned) as client:
        doc = open_doc(client, report, text)
        await wait_for(client, PUBLISH, lambda: doc in client.diagnostics)
        published = client.diagnostics[doc]
        # the demo's question 19 links its screenshot without the `!` (figures/bucket.png exists)
        bang = next(d for d in published if d.code == "RL202" and "forget the `!`" in d.message)
        actions = await _actions_at(client, doc, bang)
        assert [a.title for a in actions] == ["report-lint: add the missing `!` (RL202)"]
        action = actions[0]
        assert action.kind == types.CodeActionKind.QuickFix and action.is_preferred
        assert action.diagnostics is not None and action.diagnostics[0].range == bang.range
        assert action.edit is not None
        assert (action.edit.document_changes is not None) == versioned
        if versioned:  # the client takes versioned edits: this one names the buffer version linted
            assert action.edit.document_changes is not None
            (change,) = action.edit.document_changes
            assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 1
            edits = list(change.edits)
        else:  # plain changes
            assert action.edit.changes is not None and set(action.edit.changes) == {doc}
            edits = list(action.edit.changes[doc])
        fixed = _apply(text, edits)  # type: ignore[arg-type]
        assert fixed == text.replace("[bucket](figures/bucket.png)", "![bucket](figures/bucket.png)")
        # the near-miss figure name is only a guess: offered, but marked unsafe and not preferred
        guess = next(d for d in published if d.code == "RL301" and "acuracy" in d.message)
        (unsafe,) = await _actions_at(client, doc, guess)
        assert unsafe.title == "report-lint: (unsafe) replace the path by `figures/accuracy.png` (RL301)"
        assert not unsafe.is_preferred
        # a diagnostic without a fix has no action
        assert await _actions_at(client, doc, next(d for d in published if d.code == "RL201")) == []

        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
            )
        )

        def gone() -> bool:
            now = client.diagnostics.get(doc, [])
            return now is not published and not any("forget the `!`" in d.message for d in now)

        await wait_for(client, PUBLISH, gone)
        assert len(client.diagnostics[doc]) < len(published)
    assert report.read_bytes() == on_disk  # the server offers edits; the editor applies them
