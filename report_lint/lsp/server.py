"""``report-lint lsp``: the language server (pygls 2.x, stdio).

- **Diagnostics** for the report files ``report-lint check`` lints (see :mod:`report_lint.lsp.session`):
  on open and save at once, on change after a short pause (``initializationOptions.debounceMs``, 300 ms
  by default) — always the editor's buffer, never the file on disk.  Results that belong to an older
  version of the buffer are dropped, so the editor never shows diagnostics of text it no longer has.
- **Evidence** (the repository's files, for the checklist and figure rules) is a snapshot taken on the
  first lint and refreshed on every save of the report.
- **Hover** on a question heading: its count, limits and verdict, from the same lint result.
- **Quick fixes** (``textDocument/codeAction``): each fix a rule offered with a diagnostic under the
  cursor, as a ``quickfix`` code action whose workspace edit is the fix's edits (the very edits
  ``check --fix`` applies; unsafe ones say so in the title and are not "preferred").  The edit names the
  buffer version it was computed for, so a client drops it if the text moved on.  Nothing here
  computes fixes: they come with the lint result.
- **Errors** (a broken configuration or pack, an unreadable repository) go to ``window/showMessage``
  once per distinct message, never to a crashed server; the document's diagnostics are cleared because
  they no longer describe a real run.

Linting runs on one worker thread (in order, off the event loop, so the server keeps answering).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from report_lint import __version__
from report_lint.errors import ReportLintError
from report_lint.lsp.convert import code_actions, default_rules_doc, hover_text, question_at, to_lsp
from report_lint.lsp.positions import Encoding, LineIndex
from report_lint.lsp.session import Session, buffer_lines
from report_lint.result import ReportResult

log = logging.getLogger("report_lint.lsp")
DEFAULT_DEBOUNCE = 0.3  # seconds of quiet after a keystroke before the buffer is linted


@dataclass(frozen=True)
class Linted:
    """The last lint of a document: the result, the text it was computed on, the buffer version."""

    version: int | None
    result: ReportResult
    index: LineIndex


class ReportLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "report-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.session = Session()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-lint")
        self.debounce = DEFAULT_DEBOUNCE
        self.doc_url = default_rules_doc()
        self.linted: dict[str, Linted] = {}
        self.published: set[str] = set()  # URIs whose last publication was not empty
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.shown: dict[str, str] = {}  # URI -> the error last shown for it

    # -- configuration -------------------------------------------------------------------------

    def configure(self, params: types.InitializeParams) -> None:
        folders = [f.uri for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [params.root_uri]
        paths = [Path(p) for p in (to_fs_path(u) for u in folders) if p]
        self.session = Session(paths)
        options = params.initialization_options
        if isinstance(options, dict):
            debounce = options.get("debounceMs")
            if (
                isinstance(debounce, (int, float))
                and not isinstance(debounce, bool)
                and 0 <= debounce <= 60_000
            ):
                self.debounce = debounce / 1000
            url = options.get("rulesDocUrl")
            if isinstance(url, str) and url:
                self.doc_url = url

    @property
    def encoding(self) -> Encoding:
        chosen = str(self.workspace.position_encoding or "utf-16")
        return cast("Encoding", chosen if chosen in ("utf-8", "utf-16", "utf-32") else "utf-16")

    # -- linting ---------------------------------------------------------------------------------

    def _lint_sync(self, path: Path, buffer: str, refresh: bool) -> tuple[str, Any]:
        """On the lint thread: ("skip", None) | ("ok", ReportResult) | ("error", message)."""
        try:
            if refresh:
                found = self.session.target(path)
                if found is not None:
                    self.session.refresh(found.root)
            target = self.session.target(path)
            if target is None:
                return "skip", None
            return "ok", self.session.lint(target, buffer)
        except ReportLintError as exc:
            return "error", str(exc)
        except RecursionError:
            return "error", "the report is nested too deeply to parse"
        except Exception as exc:  # a bug of ours: say so, keep serving
            log.exception("internal error while linting %s", path)
            return "error", f"internal error ({type(exc).__name__}: {exc}); please report it"

    async def lint(self, uri: str, *, refresh: bool = False) -> Linted | None:
        """Lint the open document ``uri`` now and publish; None when it is no report (or went away)."""
        fs_path = to_fs_path(uri)
        doc = self.workspace.text_documents.get(uri)
        if fs_path is None or doc is None:
            return None
        version, buffer = doc.version, doc.source
        loop = asyncio.get_running_loop()
        kind, value = await loop.run_in_executor(
            self.executor, self._lint_sync, Path(fs_path), buffer, refresh
        )
        current = self.workspace.text_documents.get(uri)
        if current is None or current.version != version:
            return None  # closed or edited meanwhile: a newer lint will publish
        if kind == "error":
            self._show_error(uri, str(value))
            self.linted.pop(uri, None)
            self._publish(uri, [], version)
            return None
        self.shown.pop(uri, None)
        if kind == "skip":
            self.linted.pop(uri, None)
            if uri in self.published:
                self._publish(uri, [], version)
            return None
        lines, had_bom = buffer_lines(buffer)
        linted = Linted(version, cast("ReportResult", value), LineIndex(lines, had_bom))
        self.linted[uri] = linted
        encoding = self.encoding
        diagnostics = [to_lsp(d, linted.index, encoding, self.doc_url) for d in linted.result.diagnostics]
        self._publish(uri, diagnostics, version)
        return linted

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` after ``debounce`` seconds without a further change."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(self.debounce)
            self.pending.pop(uri, None)
            await self.lint(uri)

        self.pending[uri] = asyncio.ensure_future(later())

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.linted.pop(uri, None)
        self.shown.pop(uri, None)
        if uri in self.published:
            self._publish(uri, [], None)

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        if diagnostics:
            self.published.add(uri)
        else:
            self.published.discard(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def _show_error(self, uri: str, message: str) -> None:
        log.error("%s: %s", uri, message)
        if self.shown.get(uri) == message:
            return  # the same error on every keystroke would bury the editor in pop-ups
        self.shown[uri] = message
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=f"report-lint: {message}")
        )

    async def current(self, uri: str) -> Linted | None:
        """The lint of the document's current text (linted now if a change is still debouncing)."""
        linted = self.linted.get(uri)
        doc = self.workspace.text_documents.get(uri)
        if doc is None:
            return None
        if linted is None or linted.version != doc.version:
            linted = await self.lint(uri)
        return linted

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        """Quick fixes: the fixes the rules offered with the diagnostics under the cursor."""
        uri = params.text_document.uri
        linted = await self.current(uri)
        if linted is None:
            return None
        only = params.context.only
        if only and not any(_asks_quickfix(kind) for kind in only):
            return None  # e.g. the editor asks for "source.organizeImports" on save
        return code_actions(
            linted.result,
            linted.index,
            self.encoding,
            uri,
            linted.version,
            params.range,
            self.doc_url,
            versioned=self.versioned_edits,
        )

    @property
    def versioned_edits(self) -> bool:
        """Whether the client takes ``documentChanges`` (versioned edits) in a workspace edit."""
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        return bool(edit and edit.document_changes)

    async def hover(self, uri: str, line: int) -> types.Hover | None:
        linted = await self.current(uri)  # stale (a change still debouncing): answer for this text
        if linted is None:
            return None
        status = question_at(linted.result, line + 1)
        if status is None:
            return None
        start = linted.index.position(status.line, 1, self.encoding)
        end = linted.index.position(status.line, None, self.encoding)
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value=hover_text(status, linted.result)
            ),
            range=types.Range(
                start=types.Position(line=start[0], character=start[1]),
                end=types.Position(line=end[0], character=end[1]),
            ),
        )


def _asks_quickfix(kind: types.CodeActionKind | str) -> bool:
    """Whether a requested kind covers ours ("quickfix" is under "" and itself; kinds are dotted)."""
    wanted = str(kind.value if isinstance(kind, types.CodeActionKind) else kind)
    ours = str(types.CodeActionKind.QuickFix.value)
    return wanted in ("", ours) or ours.startswith(wanted + ".")


def build_server() -> ReportLintServer:
    server = ReportLintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: ReportLintServer, params: types.InitializeParams) -> None:
        ls.configure(params)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: ReportLintServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ReportLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: ReportLintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        await ls.lint(uri, refresh=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ReportLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: ReportLintServer, params: types.HoverParams) -> types.Hover | None:
        return await ls.hover(params.text_document.uri, params.position.line)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def code_action(
        ls: ReportLintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        return await ls.code_actions(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ReportLintServer, params: None) -> None:
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> None:
    logging.basicConfig(level=logging.WARNING, format="report-lint lsp: %(levelname)s: %(message)s")
    build_server().start_io()
