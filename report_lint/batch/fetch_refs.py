"""Has anything changed?  The branch tips an https server advertises, read without starting git.

On a later run most repositories have not changed, and the one question is whether the branch still
points where it did.  Over http(s) that is one GET of ``<url>/info/refs?service=git-upload-pack``
(the smart-HTTP reference advertisement, protocol v0: pkt-lines of ``<sha> <refname>``), asked
here in the batch process's own thread instead of a ``git fetch`` and its ``git-remote-https`` -- the
difference between one request and two processes plus two requests per repository.

This is only ever a shortcut: when the answer is anything but "the branch is exactly where the cache
has it" -- a different tip, the branch missing, a redirect, 401/404, a dumb server, a TLS or network
error, an over-long answer -- the caller runs ``git fetch`` as if this did not exist, and git's own
message becomes the row's error.  Redirects are never followed (so the token, sent only to the hosts
it is meant for, cannot follow one), nothing of the response is shown, and nothing is run.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from typing import IO, Any

from report_lint.batch.clone_auth import USERNAME, Auth
from report_lint.batch.clone_url import RemoteURL

MAX_BYTES = 1 << 20  # a repository with that many references is asked through git
CONTENT_TYPE = "application/x-git-upload-pack-advertisement"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx becomes an HTTPError: git follows it (and notes it) instead


_OPENER = urllib.request.build_opener(_NoRedirects())


def advertised(remote: RemoteURL, auth: Auth, timeout: float) -> dict[str, str] | None:
    """{refname: sha} the server advertises, or None when it cannot be told this way."""
    if remote.scheme not in ("https", "http"):
        return None
    url = remote.url.rstrip("/") + "/info/refs?service=git-upload-pack"
    request = urllib.request.Request(url, headers={"User-Agent": "git/report-lint", "Pragma": "no-cache"})
    if auth.offered(remote) and auth.token:
        basic = base64.b64encode(f"{USERNAME}:{auth.token}".encode()).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {basic}")
    try:
        response: IO[bytes]
        with _OPENER.open(request, timeout=timeout) as response:
            kind = response.headers.get("Content-Type", "") if hasattr(response, "headers") else ""
            if kind.split(";")[0].strip() != CONTENT_TYPE:
                return None
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if len(data) > MAX_BYTES:
        return None
    return parse(data)


def parse(data: bytes) -> dict[str, str] | None:
    """The references of a v0 advertisement; None if it is not one."""
    refs: dict[str, str] = {}
    pos = 0
    while pos + 4 <= len(data):
        try:
            size = int(data[pos : pos + 4], 16)
        except ValueError:
            return None
        if size == 0:  # flush packet
            pos += 4
            continue
        if size < 4 or pos + size > len(data):
            return None
        line = data[pos + 4 : pos + size]
        pos += size
        if line.startswith(b"# service="):
            continue
        sha, _, name = line.split(b"\0", 1)[0].rstrip(b"\n").partition(b" ")
        if len(sha) not in (40, 64) or not name:
            return None
        refs[name.decode("utf-8", "replace")] = sha.decode("ascii", "replace")
    return refs if pos == len(data) else None
