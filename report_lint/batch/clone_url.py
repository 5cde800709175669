"""A repository URL from a repos file: which scheme it uses, how it is shown, where it is cached.

Accepted: ``https://``, ``http://``, ``ssh://``, ``git://``, ``file://`` and scp-like ``user@host:path``
(ssh).  Everything else that is not a local path is refused with a one-line reason, in particular
git's ``<helper>::<address>`` syntax (``ext::`` runs a command the URL names, ``fd::`` reads a file
descriptor): such a row never reaches git.

A URL holding a password (``https://user:token@host/…``) is refused as well: git would store it in the
clone's config, and it would show in every output.  Everywhere a URL is printed or stored it goes
through :func:`redact` first, which hides any userinfo password, so even a refused row's error does
not repeat the secret.

The cache folder of a URL (:func:`cache_key`) is ``<host>/<name>-<hash>.git``: host and name are
reduced to ``[A-Za-z0-9._-]`` (no ``/``, never ``.`` or ``..``: no path traversal whatever the URL
holds), and the hash is of the exact URL and branch, so two different URLs never share a folder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from report_lint.batch.text import clean, shown

_SCHEME_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://", re.ASCII)
_HELPER = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::", re.ASCII)
# scp-like: [user@]host:path, where host has no "/" before the ":" (git's own rule, connect.c)
_SCP = re.compile(r"^(?:([^@/:\s]+)@)?([^@/:\s\[\]]+|\[[^\]]+\]):(?!//)(.+)$")
_USERINFO = re.compile(r"(?<=://)([^/@\s]*?)(:[^/@\s]*)@")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+", re.ASCII)
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
NAME_CHARS = 40


class BadURL(ValueError):
    """A row that looks like a URL but is not one git may fetch: ``shown`` (redacted) and ``why``."""

    def __init__(self, shown: str, why: str) -> None:
        super().__init__(f"{shown}: {why}")
        self.shown, self.why = shown, why


@dataclass(frozen=True)
class RemoteURL:
    url: str  # as given (stripped): what git is handed
    scheme: str  # one of gitcmd.REMOTE_SCHEMES
    host: str  # lower-case host[:port]; "" for file://
    shown: str  # for outputs: redacted and neutralised

    @property
    def loopback(self) -> bool:
        return self.host.rsplit(":", 1)[0] in _LOOPBACK or self.host in _LOOPBACK


def redact(text: str) -> str:
    """``text`` with every ``scheme://user:password@`` shown as ``scheme://user:***@``."""
    return _USERINFO.sub(lambda m: f"{m.group(1)}:***@", text)


def looks_remote(value: str) -> bool:
    """True if ``value`` is meant as a URL (any ``scheme://``, ``helper::`` or scp-like ``host:path``),
    not a local path; a URL git may not use is still "remote" (and refused by :func:`parse`)."""
    text = value.strip()
    if _SCHEME_URL.match(text) or _HELPER.match(text):
        return True
    if text.startswith(("/", ".", "~")):
        return False
    match = _SCP.match(text)
    # "C:..." would be a Windows drive, "group_3:x" a local name: an scp-like URL needs a user@ or a dot
    return match is not None and (match.group(1) is not None or "." in match.group(2))


def parse(value: str) -> RemoteURL:
    """The URL of a repos-file row; BadURL with a one-line, redacted reason if git may not fetch it."""
    text = value.strip()
    safe = shown(redact(text))
    if _HELPER.match(text) and not _SCHEME_URL.match(text):
        helper = text.split("::", 1)[0]
        raise BadURL(safe, f"the '{shown(helper)}::' transport is never used (only https, ssh, git, file)")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in text):
        raise BadURL(safe, "a URL with spaces or control characters")
    scheme_match = _SCHEME_URL.match(text)
    if scheme_match is None:
        scp = _SCP.match(text)
        if scp is None:
            raise BadURL(safe, "not a URL git can clone")
        host, path = scp.group(2), scp.group(3)
        _check_host(host, safe)
        if path.startswith("-"):
            raise BadURL(safe, "a path starting with '-' is never passed to ssh")
        return RemoteURL(text, "ssh", host.lower(), safe)
    scheme = scheme_match.group(1).lower()
    if scheme not in ("https", "http", "ssh", "git", "file"):
        raise BadURL(safe, f"the '{shown(scheme)}' scheme is not supported (only https, ssh, git, file)")
    try:
        parts = urlsplit(text)
        port = parts.port  # ValueError on a port that is not a number
    except ValueError:
        raise BadURL(safe, "not a valid URL") from None
    if parts.password is not None:
        raise BadURL(safe, "the URL holds a password; remove it and set GIT_TOKEN (or GITHUB_TOKEN) instead")
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise BadURL(safe, "a file:// URL names no host")
        return RemoteURL(text, "file", "", safe)
    host = (parts.hostname or "").lower()
    _check_host(host, safe)
    if not parts.path.strip("/"):
        raise BadURL(safe, "the URL names no repository")
    return RemoteURL(text, scheme, f"{host}:{port}" if port is not None else host, safe)


def _check_host(host: str, safe: str) -> None:
    if not host:
        raise BadURL(safe, "the URL names no host")
    if host.startswith("-"):  # would be read as an option by ssh
        raise BadURL(safe, "a host starting with '-' is never used")


def cache_key(remote: RemoteURL, branch: str | None) -> str:
    """The clone's folder below the cache, relative, e.g. ``github.com/report-3f9c0a1b2c4d5e6f.git``."""
    digest = hashlib.sha256(f"{remote.url}\0{branch or ''}".encode("utf-8", "surrogateescape"))
    host = _UNSAFE.sub("_", remote.host.replace(":", "_")).strip("._-")[:NAME_CHARS] or "local"
    tail = re.split(r"[/:]", remote.url.rstrip("/"))[-1].removesuffix(".git")
    name = _UNSAFE.sub("_", tail).strip("._-")[:NAME_CHARS] or "repo"
    return f"{host}/{name}-{digest.hexdigest()[:16]}.git"


def display(remote: RemoteURL, branch: str | None) -> str:
    """The row's ``path``: the URL as shown, with the branch when one is asked for."""
    return clean(remote.shown if not branch else f"{remote.shown}#{shown(branch)}")
