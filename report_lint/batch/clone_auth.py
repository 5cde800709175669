"""Credentials for cloning: only a token from the environment, only for the hosts staff name.

Where the token comes from: ``GIT_TOKEN``, else ``GITHUB_TOKEN`` (what ``gh auth token`` prints, or a
fine-grained read-only token).  Nothing else: not the user's global ``credential.helper`` (git runs
here without global or system config, so that a run does not depend on whose machine it is, and a
helper is a program), not a URL's ``user:password@`` (refused: see ``clone_url``).  Staff with a helper
set up export its answer (``GITHUB_TOKEN=$(gh auth token) report-lint batch …``).

Which hosts get it: only those in ``--token-host`` (default ``github.com``), matched by git itself on
the URL of each request, and only over https (or http to a loopback address, which never leaves the
machine).  The repos file is built from what students registered: a row pointing at
``https://evil.example/x`` must not be handed the staff token, and after a redirect to another host git
asks again for that host, which the helper does not answer.

How it reaches git: a credential helper given with ``-c credential.<scheme>://<host>.helper=…`` whose
text holds no secret -- it prints the value of the environment variable :data:`TOKEN_ENV`, set only in
the environment of the git commands for that host.  So the token is never in an argument (``ps`` shows
none), never in a config file of the clone, never in a URL, and git's stderr is scrubbed of it
(:meth:`Auth.scrub`) before anything is shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from report_lint.batch.clone_url import RemoteURL, redact
from report_lint.errors import UsageError

TOKEN_VARS = ("GIT_TOKEN", "GITHUB_TOKEN")
TOKEN_ENV = "REPORT_LINT_GIT_TOKEN"  # not GIT_*: gitcmd drops those, and git itself never reads it
DEFAULT_TOKEN_HOSTS = ("github.com",)
USERNAME = "x-access-token"  # GitHub takes any user name with a token; this is the one its docs use
# "$1" is git's action (get, store, erase): only "get" is answered; nothing in the text is secret.
# printf is a builtin of every sh git may run (dash, bash, busybox ash), so the expanded token is never
# the argument of a process either
HELPER = (
    f'!f() {{ test "$1" = get || return 0; '
    f"printf 'username={USERNAME}\\npassword=%s\\n' \"${TOKEN_ENV}\"; }}; f"
)
HIDDEN = "***"


@dataclass(frozen=True)
class Auth:
    token: str | None = None
    source: str = ""  # the variable it came from
    hosts: frozenset[str] = field(default_factory=lambda: frozenset(DEFAULT_TOKEN_HOSTS))

    def offered(self, remote: RemoteURL) -> bool:
        """Whether ``remote`` gets the token: a named host, over https or loopback http."""
        if not self.token or remote.host not in self.hosts:
            return False
        return remote.scheme == "https" or (remote.scheme == "http" and remote.loopback)

    def for_remote(self, remote: RemoteURL) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """(``-c`` settings, environment) for git commands talking to ``remote``."""
        if not self.offered(remote):
            return [], {}
        assert self.token is not None
        return [(f"credential.{remote.scheme}://{remote.host}.helper", HELPER)], {TOKEN_ENV: self.token}

    def scrub(self, text: str) -> str:
        """``text`` (git's stderr, an error) with the token and any URL password hidden."""
        text = redact(text)
        return text.replace(self.token, HIDDEN) if self.token else text


def from_environment(hosts: list[str] | None = None) -> Auth:
    """The token of :data:`TOKEN_VARS` (first set wins); UsageError if it cannot be a token."""
    chosen = frozenset(h.strip().lower() for h in hosts) if hosts else frozenset(DEFAULT_TOKEN_HOSTS)
    for name in TOKEN_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
                raise UsageError(f"{name}: a token has no spaces or control characters")
            return Auth(value, name, chosen)
    return Auth(None, "", chosen)
