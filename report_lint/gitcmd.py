"""The one way report-lint runs git: nothing a repository (or the environment) names is executed.

Staff lint folders handed in by others, and a repository's ``.git/config`` can name programs that
ordinary read-only git commands run: ``gpg.program`` when ``log.showSignature`` meets a signed commit,
``core.fsmonitor``, hooks, pagers, diff and filter drivers, ``remote.*.uploadpack`` and
``core.sshCommand`` on a fetch, credential helpers, askpass, editors; the environment can add its own
(``GIT_EXTERNAL_DIFF``, ``GIT_SSH_COMMAND``, ``GIT_TRACE`` writing files, ``GIT_CONFIG_*``, ...).

Three layers, so that no single one has to be complete:

* **Environment.** Every ``GIT_*`` variable (and ``SSH_ASKPASS``, ``PAGER``) is dropped; only what is
  needed is set: no system or global config (``GIT_CONFIG_NOSYSTEM``, ``GIT_CONFIG_GLOBAL=/dev/null``,
  so the results do not depend on whose machine runs them), no optional index writes
  (``GIT_OPTIONAL_LOCKS=0``), no prompts, no lazy fetches of missing objects, no replace refs, and
  ``GIT_ALLOW_PROTOCOL`` naming no protocol at all (only :func:`run` with ``network=True`` allows
  https) -- unlike ``protocol.allow`` it overrides every per-protocol setting a config can make.
* **Command-line config** (``-c``), which is read after, and so wins over, every config file and
  include: each setting that names a program is set to something that runs nothing.
* **Commands.** Callers use plumbing that never looks at the work tree's content through git (no
  ``status``, ``diff``, ``add``: those apply filters and refresh the index), and ``--no-pager``.

``safe.directory=*``: staff clones are often owned by another user, and git's ownership check exists
because a repository's config could run programs -- which the overrides here rule out.  (Command-line
config counts as "protected" for this setting; the repository's own config still cannot set it.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from report_lint.errors import InputError

GIT_TIMEOUT = 60.0

# a path that can never exist (/dev/null is not a directory): a program setting pointing here runs nothing
NOWHERE = "/dev/null/report-lint-runs-nothing"
# GIT_ALLOW_PROTOCOL takes a ':'-separated list; "/" can never be a URL scheme or a remote helper name
NO_PROTOCOL = "/"
NETWORK_PROTOCOLS = "https"  # the one protocol a fetch may use (what GitHub checkouts use)

# (key, value) pairs given with -c.  Settings with a <name> part (pager.<cmd>, diff.<driver>.*,
# filter.<driver>.*) cannot all be listed; the commands we run never consult them (no diff, no
# filters, --no-pager), and the common ones are covered anyway.
OVERRIDES: tuple[tuple[str, str], ...] = (
    ("safe.directory", "*"),
    # signatures: never verified, and the verifiers run nothing
    ("log.showSignature", "false"),
    ("gpg.program", NOWHERE),
    ("gpg.openpgp.program", NOWHERE),
    ("gpg.x509.program", NOWHERE),
    ("gpg.ssh.program", NOWHERE),
    ("gpg.ssh.defaultKeyCommand", NOWHERE),
    ("gpg.ssh.allowedSignersFile", "/dev/null"),
    # programs run around the index and the work tree
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.untrackedCache", "keep"),
    ("core.excludesFile", "/dev/null"),  # the user's global ignore file: outside the repository
    ("core.attributesFile", "/dev/null"),
    ("core.pager", "cat"),  # "cat" is git's own spelling of "no pager"
    ("pager.log", "false"),
    ("pager.show", "false"),
    ("pager.diff", "false"),
    ("pager.config", "false"),
    ("core.editor", NOWHERE),
    ("sequence.editor", NOWHERE),
    ("diff.external", NOWHERE),
    # transports (a fetch, or a lazy fetch of a partial clone's missing object)
    ("core.sshCommand", NOWHERE),
    ("core.gitProxy", NOWHERE),
    ("core.askPass", ""),  # empty: no askpass program at all
    ("credential.helper", ""),  # empty resets the list of helpers, URL-specific ones included
    ("core.alternateRefsCommand", NOWHERE),
    ("protocol.allow", "never"),
    ("submodule.recurse", "false"),
    ("fetch.recurseSubmodules", "false"),
    ("fetch.writeCommitGraph", "false"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
)

_ENV_DROP = ("SSH_ASKPASS", "PAGER", "EDITOR", "VISUAL", "LESSOPEN", "LESSCLOSE")


def environment(*, network: bool = False) -> dict[str, str]:
    """The environment every git command gets (see the module docstring)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in _ENV_DROP}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_CONFIG_SYSTEM="/dev/null",
        GIT_ATTR_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_ALLOW_PROTOCOL=NETWORK_PROTOCOLS if network else NO_PROTOCOL,
        LC_ALL="C",
    )
    return env


def argv(
    *args: str, git_dir: Path | None = None, overrides: Sequence[tuple[str, str]] = OVERRIDES
) -> list[str]:
    """``git`` with the overrides, optionally ``--git-dir``, then ``args``; InputError without git."""
    git = shutil.which("git")
    if git is None:
        raise GitUnavailable("git is not installed")
    out = [git, "--no-pager", "--no-replace-objects"]
    for key, value in overrides:
        out += ["-c", f"{key}={value}"]
    if git_dir is not None:
        out += ["--git-dir", str(git_dir)]
    return [*out, *args]


class GitUnavailable(InputError):
    """git could not be run at all: not installed, would not start, or timed out."""


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def text(self) -> str:
        return self.stdout.decode("utf-8", "surrogateescape")

    def why(self) -> str:
        """git's last stderr line (its one-line reason), or the exit status."""
        lines = self.stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit {self.returncode}"


def run(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    git_dir: Path | None = None,
    timeout: float = GIT_TIMEOUT,
    network: bool = False,
) -> GitResult:
    """Run ``git ARGS`` (stdin closed, output captured); GitUnavailable if git cannot be run."""
    try:
        proc = subprocess.run(
            argv(*args, git_dir=git_dir),
            cwd=cwd,
            env=environment(network=network),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitUnavailable(f"git {args[0]} did not finish within {timeout:g} s") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitUnavailable(f"git {args[0]}: {exc}") from None
    return GitResult(proc.returncode, proc.stdout, proc.stderr)


def start(
    args: Sequence[str], *, git_dir: Path | None = None, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """A long-lived ``git ARGS`` (e.g. ``cat-file --batch``) with piped stdin/stdout, stderr discarded."""
    try:
        return subprocess.Popen(
            argv(*args, git_dir=git_dir),
            cwd=cwd,
            env=environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitUnavailable(f"git {args[0]}: {exc}") from None


# ---------------------------------------------------------------------------------------------- remotes
# The schemes a clone or fetch may use, each allowed only for a URL of that scheme (``remote``).  Never
# ``ext`` (runs a command the URL names), ``fd`` or any other remote helper: GIT_ALLOW_PROTOCOL names
# exactly the one scheme, and ``protocol.allow=never`` stays the default for every other.
REMOTE_SCHEMES = frozenset({"https", "http", "ssh", "git", "file"})

# read after (so winning over) OVERRIDES: what a clone or fetch must never do
REMOTE_OVERRIDES: tuple[tuple[str, str], ...] = (
    ("init.templateDir", ""),  # no template hooks copied into a new clone
    ("fetch.prune", "false"),
    ("transfer.credentialsInUrl", "die"),  # a password in a URL never reaches a config file
    # Git LFS installs these globally; global config is off, but a smudge must never run anyway
    ("filter.lfs.smudge", ""),
    ("filter.lfs.process", ""),
    ("filter.lfs.required", "false"),
    ("http.followRedirects", "initial"),  # git's default, said out loud: GitHub redirects renamed repos
)
# ssh is the one transport that runs a program: the user's own ``ssh`` from PATH (with the user's
# ~/.ssh/config: their choice, not a repository's), never asking for a password or a host key
SSH_COMMAND = "ssh -o BatchMode=yes"
REMOTE_KILL_GRACE = 5.0


def remote(
    args: Sequence[str],
    *,
    scheme: str,
    git_dir: Path | None = None,
    cwd: Path | None = None,
    timeout: float = GIT_TIMEOUT,
    config: Sequence[tuple[str, str]] = (),
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> GitResult:
    """``git ARGS`` that talks to a remote (clone, fetch, ls-remote) over exactly ``scheme``.

    Everything :func:`run` sets, plus :data:`REMOTE_OVERRIDES`; ``config`` is added after them (the
    caller's credential helper, see ``report_lint.batch.clone_auth``) and ``env`` holds what it reads
    (a token is passed this way, never in an argument).  The command runs in a session of its own, so a
    timeout kills it together with the transport processes it started (``git-remote-https``,
    ``index-pack``, ``ssh``); GitUnavailable then, as for :func:`run`.
    """
    if scheme not in REMOTE_SCHEMES:
        raise InputError(f"git: the '{scheme}' transport is never used")
    base = environment()
    base["GIT_ALLOW_PROTOCOL"] = scheme
    base["GIT_PROTOCOL_FROM_USER"] = "0"  # "user" protocols (none here) would need explicit permission
    base.update(env or {})
    extra = [*REMOTE_OVERRIDES, ("protocol.allow", "never"), (f"protocol.{scheme}.allow", "always")]
    if scheme == "ssh":
        extra.append(("core.sshCommand", SSH_COMMAND))
    # core.gitProxy is the one program setting whose *first* value wins: for git:// it must say "none"
    # itself instead of being overridden later (the clone's config is ours: it sets no proxy)
    overrides = [(k, "none" if k == "core.gitProxy" else v) for k, v in OVERRIDES]
    command = argv(overrides=overrides)  # git and the overrides; ours after them, so they win
    for key, value in [*extra, *config]:
        command += ["-c", f"{key}={value}"]
    if git_dir is not None:
        command += ["--git-dir", str(git_dir)]
    command += list(args)
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=base,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitUnavailable(f"git {args[0]}: {exc}") from None
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_session(proc)
        raise GitUnavailable(f"git {args[0]} did not finish within {timeout:g} s") from None
    except BaseException:  # interrupted: leave no transport process behind
        _kill_session(proc)
        raise
    return GitResult(proc.returncode, out, err)


def _kill_session(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.communicate(timeout=REMOTE_KILL_GRACE)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        proc.kill()
