"""A real LSP client (pytest-lsp) driving ``report-lint lsp`` over stdio, and the demo in a tmp git repo."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

# the test extras install pytest-lsp and the lsp extra (pygls): a missing one is an error, not a skip
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client
from tooling import PROJECT

DEMO = PROJECT / "examples" / "demo"
TIMEOUT = 60.0  # generous: 2 shared cores


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def demo_repo(tmp_path: Path, edit: Callable[[Path], None] | None = None) -> Path:
    """The demo copied into a fresh git repository (examples/ is never written)."""
    repo = tmp_path / "demo"
    shutil.copytree(DEMO, repo)
    if edit is not None:
        edit(repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo")
    return repo


def check_json(repo: Path, report: str = "reports/README.md") -> dict[str, Any]:
    """What ``report-lint check --format json`` says about the file on disk."""
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", "check", report, "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)["reports"][0]
    return data


def units(text: str, encoding: str) -> int:
    """Independent of the server's code: the encoded length in LSP code units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def expected_range(d: dict[str, Any], lines: Sequence[str], encoding: str = "utf-16") -> tuple[int, ...]:
    """The LSP range a JSON diagnostic should get: 0-based lines, code units, exclusive end."""
    line = lines[d["line"] - 1]
    end_line = lines[d["end_line"] - 1]
    end_col = d["end_column"]
    end_chars = len(end_line) if end_col is None else end_col - 1
    return (
        d["line"] - 1,
        units(line[: d["column"] - 1], encoding),
        d["end_line"] - 1,
        units(end_line[:end_chars], encoding),
    )


def lsp_range(d: types.Diagnostic) -> tuple[int, ...]:
    r = d.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


def uri(path: Path) -> str:
    out = from_fs_path(str(path))
    assert out is not None
    return out


@contextlib.asynccontextmanager
async def session(
    root: Path,
    *,
    encodings: Sequence[str] | None = None,
    options: dict[str, Any] | None = None,
    versioned_edits: bool | None = None,
) -> AsyncIterator[LanguageClient]:
    """``report-lint lsp`` started through the CLI, initialised with ``root`` as workspace folder."""
    client = make_test_lsp_client()
    await client.start_io(sys.executable, "-m", "report_lint", "lsp", "--stdio", cwd=str(root))
    capabilities = client_capabilities("neovim")
    # Neovim offers utf-8 first; no list at all means LSP's default, utf-16
    capabilities.general = types.GeneralClientCapabilities(
        position_encodings=None if encodings is None else list(encodings)
    )
    if versioned_edits is not None:  # whether workspace edits may come as versioned documentChanges
        workspace = capabilities.workspace or types.WorkspaceClientCapabilities()
        workspace.workspace_edit = types.WorkspaceEditClientCapabilities(document_changes=versioned_edits)
        capabilities.workspace = workspace
    result = await asyncio.wait_for(
        client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=uri(root),
                workspace_folders=[types.WorkspaceFolder(uri=uri(root), name=root.name)],
                initialization_options={"debounceMs": 50, **(options or {})},
            )
        ),
        TIMEOUT,
    )
    client.initialize_result = result  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
        await client.stop()


async def wait_for(
    client: LanguageClient, method: str, done: Callable[[], bool], timeout: float = TIMEOUT
) -> None:
    """Wait for notifications ``method`` until ``done()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {method}")
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(client.wait_for_notification(method), min(left, 1.0))


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    doc_uri = uri(path)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=doc_uri,
                language_id="markdown",
                version=version,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return doc_uri
