"""Nothing a linted repository (or the environment) names is ever run, and nothing under it is written.

Staff lint folders handed in by others, so a repository's ``.git/config`` is hostile input.  Each
setting git could turn into a program (signature verification, fsmonitor, hooks, pagers, diff and
filter drivers, ssh, askpass, credential helpers, upload-pack, editors, ...) is planted, each
pointing at its own script that appends its name to a marker file; the same is done through ``GIT_*``
environment variables, a hostile global/system config and ``$HOME``/``$XDG_CONFIG_HOME``.  The commits
carry ``gpgsig`` headers (OpenPGP, SSH, X.509), so ``log.showSignature`` has something to verify.

Every mode then runs through the real CLI: ``check`` (work tree, evidence, git top-level discovery),
``check --changed-lines-from`` (base commit present, and missing so that a fetch is attempted),
``batch`` on the work tree, ``batch --at``, ``batch`` (with and without ``--at``) on a bare clone, and
``batch`` on a bare partial clone whose report blob is missing (reading it would lazily fetch it from
"origin", running its ``uploadpack``).
After each run: the marker file does not exist, and every file under the repositories (``.git``
included) has the same bytes, mode and name set as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import Run, clean_env, run_cli

HOOKS = [
    *("applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit"),
    *("prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge"),
    *("pre-push", "pre-receive", "update", "proc-receive", "post-receive", "post-update"),
    *("reference-transaction", "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate"),
    *("fsmonitor-watchman", "post-index-change", "p4-pre-submit"),
]

SIGNATURES = {
    "openpgp": "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEplanted\n=abcd\n-----END PGP SIGNATURE-----",
    "ssh": "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQplanted\n-----END SSH SIGNATURE-----",
    "x509": "-----BEGIN SIGNED MESSAGE-----\nMIIplanted\n-----END SIGNED MESSAGE-----",
}


@dataclass
class World:
    tmp: Path
    marks: Path  # the marker file every planted program appends to
    bin: Path
    repo: Path  # a work tree
    bare: Path  # a bare clone with the same hostile config
    commits: dict[str, str]  # "x509" (oldest) ... "openpgp" (tip) -> sha
    upstream_only: str  # a commit only the "origin" remote has: --changed-lines-from must fetch it
    env: dict[str, str]
    partial: Path  # a bare partial clone whose report blob is missing: reading it means a lazy fetch


def _git(cwd: Path, *args: str, date: str = "@1768900000 +0000", stdin: bytes | None = None) -> str:
    env = {
        **clean_env(),
        "GIT_AUTHOR_NAME": "Student",
        "GIT_AUTHOR_EMAIL": "s@example.com",
        "GIT_COMMITTER_NAME": "Student",
        "GIT_COMMITTER_EMAIL": "s@example.com",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        check=True,
        timeout=60,
    )
    return done.stdout.decode().strip()


def signed_commit(repo: Path, tree: str, parent: str, when: int, kind: str) -> str:
    """A commit object with a ``gpgsig`` header (a fake signature: verifying it means running a program)."""
    sig = SIGNATURES[kind].replace("\n", "\n ")
    ident = f"Student <s@example.com> {when} +0000"
    body = f"tree {tree}\nparent {parent}\nauthor {ident}\ncommitter {ident}\ngpgsig {sig}\n\n{kind}-signed\n"
    return _git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body.encode())


def program(bin_dir: Path, marks: Path, name: str) -> str:
    """A script that records that it ran (its name) in ``marks``; returns its path."""
    path = bin_dir / name.replace("/", "_")
    path.write_text(f"#!/bin/sh\necho '{name}' \"$@\" >> '{marks}'\nexit 1\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def hostile_config(bin_dir: Path, marks: Path, scope: str, hooks: Path, include: Path | None) -> str:
    """A config in which every setting that can name a program names one (``<scope>:<key>``)."""

    def prog(key: str) -> str:
        return program(bin_dir, marks, f"{scope}:{key}")

    lines = [
        "[core]",
        f"\tfsmonitor = {prog('core.fsmonitor')}",
        f"\thooksPath = {hooks}",
        f"\tpager = {prog('core.pager')}",
        f"\tsshCommand = {prog('core.sshCommand')}",
        f"\taskPass = {prog('core.askPass')}",
        f"\teditor = {prog('core.editor')}",
        f"\talternateRefsCommand = {prog('core.alternateRefsCommand')}",
        f"\tgitProxy = {prog('core.gitProxy')}",
        "\tuntrackedCache = true",
        "[log]\n\tshowSignature = true",
        f"[gpg]\n\tprogram = {prog('gpg.program')}",
        f'[gpg "openpgp"]\n\tprogram = {prog("gpg.openpgp.program")}',
        f'[gpg "x509"]\n\tprogram = {prog("gpg.x509.program")}',
        f'[gpg "ssh"]\n\tprogram = {prog("gpg.ssh.program")}',
        f"\tdefaultKeyCommand = {prog('gpg.ssh.defaultKeyCommand')}",
        f"\tallowedSignersFile = {hooks / 'allowed_signers'}",
        "[pager]",
        *(f"\t{cmd} = {prog('pager.' + cmd)}" for cmd in ("log", "show", "diff", "ls-files", "config")),
        f"[diff]\n\texternal = {prog('diff.external')}",
        f'[diff "hostile"]\n\tcommand = {prog("diff.hostile.command")}',
        f"\ttextconv = {prog('diff.hostile.textconv')}",
        f'[filter "hostile"]\n\tclean = {prog("filter.hostile.clean")}',
        f"\tsmudge = {prog('filter.hostile.smudge')}",
        f"\tprocess = {prog('filter.hostile.process')}",
        "\trequired = true",
        f"[credential]\n\thelper = {prog('credential.helper')}",
        f"[sequence]\n\teditor = {prog('sequence.editor')}",
        f"[uploadpack]\n\tpackObjectsHook = {prog('uploadpack.packObjectsHook')}",
        "[protocol]\n\tallow = always",
        '[protocol "file"]\n\tallow = always',
        '[protocol "ext"]\n\tallow = always',
        "[gc]\n\tauto = 1\n\tautoDetach = false",
        "[maintenance]\n\tauto = true",
        "[fetch]\n\trecurseSubmodules = true\n\twriteCommitGraph = true",
        "[submodule]\n\trecurse = true",
    ]
    if include is not None:
        lines.append(f"[include]\n\tpath = {include}")
    return "\n".join(lines) + "\n"


def hooks_dir(path: Path, marks: Path, scope: str) -> Path:
    """A hooks directory in which every hook git knows is a planted program."""
    path.mkdir(exist_ok=True)
    for hook in HOOKS:
        Path(program(path, marks, f"{scope}/{hook}")).rename(path / hook)
    (path / "allowed_signers").write_text("s@example.com ssh-ed25519 AAAAC3Nzaplanted\n", encoding="utf-8")
    return path


def plant(git_dir: Path, bin_dir: Path, marks: Path, scope: str, origin: Path) -> None:
    """Append the hostile settings to a repository's config and fill its hooks directory."""
    hooks = hooks_dir(bin_dir.parent / f"{scope}-hooks", marks, f"{scope}:hooksPath")
    hooks_dir(git_dir / "hooks", marks, f"{scope}:.git/hooks")
    included = bin_dir.parent / f"{scope}-included.config"
    included.write_text(hostile_config(bin_dir, marks, f"{scope}:include", hooks, None), encoding="utf-8")
    config = git_dir / "config"
    text = config.read_text(encoding="utf-8") + hostile_config(bin_dir, marks, scope, hooks, included)
    # "origin" is a local path whose upload-pack is a planted program (and file:// is "allowed")
    text += f'[remote "origin"]\n\turl = {origin}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'
    text += f"\tuploadpack = {program(bin_dir, marks, f'{scope}:remote.origin.uploadpack')}\n"
    config.write_text(text, encoding="utf-8")


def partial_clone(path: Path, source: Path, upstream: Path, tip: str) -> Path:
    """A bare repository holding ``tip`` and its trees but not the report's blob, promised by "origin"."""
    _git(path.parent, "init", "-q", "--bare", str(path))
    blob = _git(source, "rev-parse", f"{tip}:reports/README.md")
    for kind in ("commit", "tree"):
        sha = tip if kind == "commit" else _git(source, "rev-parse", f"{tip}^{{tree}}")
        data = subprocess.run(
            ["git", "cat-file", kind, sha], cwd=source, capture_output=True, check=True
        ).stdout
        _git(path, "hash-object", "-t", kind, "-w", "--stdin", "--literally", stdin=data)
    for sub in ("reports", ".gitattributes"):
        sha = _git(source, "rev-parse", f"{tip}:{sub}")
        kind = _git(source, "cat-file", "-t", sha)
        if sha != blob:
            data = subprocess.run(
                ["git", "cat-file", kind, sha], cwd=source, capture_output=True, check=True
            ).stdout
            _git(path, "hash-object", "-t", kind, "-w", "--stdin", "--literally", stdin=data)
    _git(path, "update-ref", "refs/heads/main", tip)
    _git(path, "config", "core.repositoryformatversion", "1")
    _git(path, "config", "extensions.partialClone", "origin")
    _git(path, "config", "remote.origin.promisor", "true")
    del upstream  # plant() points origin (and its upload-pack) there
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("git-isolation")
    marks = tmp / "marks" / "ran"
    marks.parent.mkdir()
    bin_dir = tmp / "bin"
    bin_dir.mkdir()

    upstream = tmp / "upstream"
    repo = tmp / "work"
    (repo / "reports").mkdir(parents=True)
    upstream.mkdir()
    report = repo / "reports" / "README.md"
    report.write_text(ReportBuilder(fill_words=120, answers={1: "17"}).text(), encoding="utf-8")
    # every file goes through the "hostile" filter and diff drivers, should git ever apply them
    (repo / ".gitattributes").write_text("* filter=hostile diff=hostile\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first", date="@1768800000 +0000")
    parent = first = _git(repo, "rev-parse", "HEAD")
    # the signed commits change the report, so a diff against the first commit has lines to show
    report.write_text(ReportBuilder(fill_words=130, answers={1: "17"}).text(), encoding="utf-8")
    _git(repo, "add", "-A")
    tree = _git(repo, "write-tree")
    commits: dict[str, str] = {}
    for n, kind in enumerate(("x509", "ssh", "openpgp")):
        parent = signed_commit(repo, tree, parent, 1768900000 + n * 86400, kind)
        commits[kind] = parent
    _git(repo, "update-ref", "refs/heads/main", commits["openpgp"])
    bare = tmp / "bare.git"
    _git(tmp, "clone", "-q", "--bare", str(repo), str(bare))
    _git(upstream, "clone", "-q", str(repo), ".")
    _git(upstream, "commit", "-q", "--allow-empty", "-m", "upstream only")
    upstream_only = _git(upstream, "rev-parse", "HEAD")
    partial = partial_clone(tmp / "partial.git", repo, upstream, commits["openpgp"])

    plant(repo / ".git", bin_dir, marks, "repo", upstream)
    plant(bare, bin_dir, marks, "bare", upstream)
    plant(partial, bin_dir, marks, "partial", upstream)
    (tmp / "home" / ".config" / "git").mkdir(parents=True)
    global_config = hostile_config(
        bin_dir, marks, "global", hooks_dir(tmp / "global-hooks", marks, "global"), None
    )
    for name in ("home/.gitconfig", "home/.config/git/config", "system.config", "global.config"):
        (tmp / name).write_text(global_config, encoding="utf-8")
    (tmp / "home/.config/git/attributes").write_text("* filter=hostile diff=hostile\n", encoding="utf-8")

    env = {
        "HOME": str(tmp / "home"),
        "XDG_CONFIG_HOME": str(tmp / "home" / ".config"),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_CONFIG_GLOBAL": str(tmp / "global.config"),
        "GIT_CONFIG_SYSTEM": str(tmp / "system.config"),
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "core.fsmonitor",
        "GIT_CONFIG_VALUE_0": program(bin_dir, marks, "env:GIT_CONFIG_KEY_0"),
        "GIT_CONFIG_KEY_1": "log.showSignature",
        "GIT_CONFIG_VALUE_1": "true",
        "GIT_CONFIG_PARAMETERS": f"'core.pager'='{program(bin_dir, marks, 'env:GIT_CONFIG_PARAMETERS')}'",
        "GIT_TRACE": str(marks.parent / "trace"),
        "GIT_TRACE2_EVENT": str(marks.parent / "trace2"),
        "GIT_TRACE_PACKET": str(marks.parent / "trace-packet"),
        "GIT_INDEX_FILE": str(marks.parent / "index"),
        "GIT_ALLOW_PROTOCOL": "file:ext:ssh",
    }
    for name in (
        "GIT_PAGER",
        "GIT_EDITOR",
        "GIT_SEQUENCE_EDITOR",
        "GIT_EXTERNAL_DIFF",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_PROXY_COMMAND",
        "PAGER",
    ):
        env[name] = program(bin_dir, marks, f"env:{name}")
    # git-* programs PATH offers for transports and remote helpers a config could name
    for name in (
        "git-upload-pack",
        "git-remote-https",
        "git-remote-ext",
        "git-remote-file",
        "git-remote-hostile",
    ):
        program(bin_dir, marks, name)

    for name, base in (("event-present.json", first), ("event-missing.json", upstream_only)):
        event = {"pull_request": {"number": 1, "base": {"sha": base}, "head": {"sha": commits["openpgp"]}}}
        (tmp / name).write_text(json.dumps(event), encoding="utf-8")
    assert not marks.exists(), marks.read_text()  # building the world ran nothing
    return World(tmp, marks, bin_dir, repo, bare, commits, upstream_only, env, partial)


def tree_state(root: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``root`` (``.git`` included): mode and content hash (link target for links)."""
    state: dict[str, tuple[int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                digest = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                digest = ""
            state[str(path.relative_to(root))] = (info.st_mode, digest)
    return state


AT = "2026-01-21T12:00:00+00:00"  # after the ssh-signed commit, before the openpgp-signed tip


def mode_args(world: World, mode: str, out: Path) -> tuple[list[str], Path]:
    batch = ["batch", "--out", str(out), "--jobs", "1", "--no-progress"]
    return {
        # no --repo: the top level comes from ``git rev-parse`` (cli.py), evidence from ``git ls-files``
        "check": (["check", "--format", "json"], world.repo),
        "check --changed-lines-from (base present)": (
            ["check", "--format", "github", "--changed-lines-from", str(world.tmp / "event-present.json")],
            world.repo,
        ),
        "check --changed-lines-from (base fetched)": (
            ["check", "--format", "github", "--changed-lines-from", str(world.tmp / "event-missing.json")],
            world.repo,
        ),
        "batch": ([*batch, str(world.repo)], world.tmp),
        "batch --at": ([*batch, "--at", AT, str(world.repo)], world.tmp),
        "batch bare": ([*batch, str(world.bare)], world.tmp),
        "batch bare --at": ([*batch, "--at", AT, str(world.bare)], world.tmp),
        "batch partial clone": ([*batch, str(world.partial)], world.tmp),
    }[mode]


MODES = (
    "check",
    "check --changed-lines-from (base present)",
    "check --changed-lines-from (base fetched)",
    "batch",
    "batch --at",
    "batch bare",
    "batch bare --at",
    "batch partial clone",
)


def _state_diff(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@pytest.mark.parametrize("mode", MODES)
def test_nothing_runs_and_nothing_is_written(world: World, mode: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args, cwd = mode_args(world, mode, out)
    roots = (world.repo, world.bare, world.partial)
    before = {root: tree_state(root) for root in roots}
    run = run_cli(args, cwd, env=world.env)
    ran = world.marks.read_text(encoding="utf-8") if world.marks.exists() else ""
    written = sorted(p.name for p in world.marks.parent.iterdir())
    for leftover in world.marks.parent.iterdir():  # the next mode starts clean
        leftover.unlink()
    changed = {str(root): _state_diff(state, tree_state(root)) for root, state in before.items()}

    assert ran == "", f"{mode} ran planted programs:\n{ran}"
    assert written == [], f"{mode} let git write {written}"
    assert changed == {str(root): [] for root in roots}, f"{mode} changed files under the repositories"
    _assert_linted(world, mode, run, out)


def _assert_linted(world: World, mode: str, run: Run, out: Path) -> None:
    """The run did its job (a test that passed because git failed outright would prove nothing)."""
    if mode.startswith("check"):
        assert run.returncode in (0, 1), run.stderr
        assert run.stderr == "", run.stderr
        return
    assert run.returncode in (0, 1), run.stderr
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["repositories"]
    if mode == "batch partial clone":  # the missing blob is never fetched: the row says so
        assert len(rows) == 1 and "reports/README.md: cannot read it from commit" in rows[0]["error"], rows
        return
    assert len(rows) == 1 and rows[0]["error"] == "", rows
    expected = world.commits["ssh" if mode.endswith("--at") else "openpgp"]
    assert rows[0]["commit"] == expected, (rows[0]["commit"], world.commits)
    assert rows[0]["errors"] == 0 or rows[0]["questions"], rows[0]


def test_git_still_answers_under_the_hostile_config(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The overrides disable programs, not git: the listing and the changed lines are still right."""
    from report_lint.batch.gitsource import GitCommitSource
    from report_lint.changes import changed_since
    from report_lint.evidence.gitlisting import GitWorkTreeSource

    for name, value in world.env.items():
        monkeypatch.setenv(name, value)
    before = tree_state(world.repo)
    source = GitWorkTreeSource.open(world.repo)
    assert source is not None and source.list() == (".gitattributes", "reports/README.md")
    assert source.remotes() == [str(world.tmp / "upstream")]
    first = json.loads((world.tmp / "event-present.json").read_text(encoding="utf-8"))["pull_request"]
    changed = changed_since(world.repo, first["base"]["sha"])
    assert changed is not None and set(changed) == {"reports/README.md"} and changed["reports/README.md"]
    with GitCommitSource(world.bare, world.bare, world.commits["ssh"]) as commit:
        assert commit.list() == (".gitattributes", "reports/README.md")
        assert commit.read("reports/README.md", 1 << 20) == (world.repo / "reports/README.md").read_bytes()
    assert not world.marks.exists(), world.marks.read_text(encoding="utf-8")
    assert sorted(world.marks.parent.iterdir()) == []
    assert _state_diff(before, tree_state(world.repo)) == []


def test_core_worktree_cannot_move_the_root(tmp_path: Path) -> None:
    """``core.worktree`` in a repository's config names the work tree; ``check`` without ``--repo`` must
    still lint the folder it runs in, never the directory the config points to."""
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    for root, answer in ((repo, "TODO"), (elsewhere, "17")):
        (root / "reports").mkdir(parents=True)
        text = ReportBuilder(fill_words=120, answers={1: "17", 2: answer}).text()
        (root / "reports" / "README.md").write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "config", "core.worktree", str(elsewhere))
    run = run_cli(["check"], repo)
    assert "unfilled-placeholder" in run.diagnostics(), run.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the repository to another user")
def test_repository_owned_by_another_user(tmp_path: Path) -> None:
    """Staff lint clones owned by other accounts: git's ownership check must not turn them into "not a
    git work tree" (safe.directory is given on the command line, as the overrides make it safe)."""
    repo = tmp_path / "repo"
    (repo / "reports").mkdir(parents=True)
    text = ReportBuilder(fill_words=120, answers={1: "17"}).text()
    (repo / "reports" / "README.md").write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "report")
    for dirpath, dirnames, filenames in os.walk(repo):
        for name in (dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)):
            os.lchown(name, 65534, 65534)
    check = run_cli(["check", "--format", "json"], repo)
    assert "not a git work tree" not in check.diagnostics(), check.stdout
    out = tmp_path / "out"
    batch = run_cli(["batch", "--out", str(out), "--jobs", "1", "--no-progress", str(repo)], tmp_path)
    assert batch.returncode in (0, 1), batch.stderr
    (row,) = json.loads((out / "results.json").read_text(encoding="utf-8"))["repositories"]
    assert row["error"] == "" and row["commit"], row


def test_every_override_is_the_value_git_uses(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each override is a key git knows and, given on the command line, wins over the hostile repository
    config, its include and the hostile environment (a misspelt key would silently override nothing)."""
    from report_lint import gitcmd

    for name, value in world.env.items():
        monkeypatch.setenv(name, value)
    for key, value in gitcmd.OVERRIDES:
        done = gitcmd.run(["config", "--get-all", key], cwd=world.repo)
        assert done.ok, (key, done.why())
        assert done.text().split("\n")[-2] == value, (key, done.text())
    # git's own list of the keys it documents; "<name>" parts (gpg.<format>.program) match any name
    listed = gitcmd.run(["help", "--config"]).text().lower().split()
    known = [re.compile(re.sub(r"<[^>]*>", "[^.]+", re.escape(k)) + "$") for k in listed]
    unknown = [k for k, _ in gitcmd.OVERRIDES if not any(rx.match(k.lower()) for rx in known)]
    assert unknown == [], unknown
