"""Git's failure to clone or fetch, as one line staff can act on.

Git's messages differ by transport and version; the patterns here are the ones git 2.3x prints for
https, ssh, git:// and file://, and anything else is git's own last line (already scrubbed of the
token and of URL passwords by the caller).
"""

from __future__ import annotations

from report_lint.batch.text import shown

_AUTH = (
    "could not read username",
    "authentication failed",
    "terminal prompts disabled",
    "permission denied (publickey",
    "returned error: 403",
)
_UNREACHABLE = (
    "could not resolve host",
    "connection refused",
    "failed to connect",
    "couldn't connect",
    "network is unreachable",
    "timed out",
    "no route to host",
)


def explain(stderr: str, branch: str | None) -> str:
    """Git's failure as one line staff can act on (``stderr`` already scrubbed)."""
    text = stderr.lower()
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "git failed"
    if branch and ("remote branch" in text and "not found" in text):
        return f"branch '{shown(branch)}' not found on the remote (check the repos file's branch column)"
    if "couldn't find remote ref" in text:
        return f"branch '{shown(branch or '?')}' no longer exists on the remote (deleted or renamed?)"
    if any(s in text for s in _AUTH):
        return (
            "authentication failed or needed (a private repository, or none at this URL): "
            "set GIT_TOKEN or GITHUB_TOKEN with read access"
        )
    if ("not found" in text and "repository" in text) or "does not appear to be a git repository" in text:
        return "no repository at this URL (deleted, renamed or private?)"
    if any(s in text for s in _UNREACHABLE):
        return f"cannot reach the server: {shown(last.removeprefix('fatal: '))}"
    return shown(last.removeprefix("fatal: "))
