"""The pieces of URL cloning that need no server: which rows are URLs, which URLs git may use, the
cache folder of a URL (never outside the cache, never shared), redaction, and who gets the token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report_lint import gitcmd
from report_lint.batch.clone_auth import HIDDEN, Auth
from report_lint.batch.clone_url import BadURL, cache_key, looks_remote, parse, redact
from report_lint.errors import InputError

from .repos import BEFORE, clean_text, commit, new_repo, write_report


@pytest.mark.parametrize(
    "value",
    [
        "https://github.com/a/b",
        "git@github.com:a/b.git",
        "ssh://git@h/x",
        "git://h/x",
        "file:///srv/x.git",
        "ext::sh -c id",
        "fd::3",
        "HTTPS://H/x",
    ],
)
def test_urls_are_urls(value: str) -> None:
    assert looks_remote(value)


@pytest.mark.parametrize("value", ["group_3", "./x", "/abs/group_1/repo", "cloned/g1", "C:x", "~/x", "a b"])
def test_paths_are_paths(value: str) -> None:
    assert not looks_remote(value)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("ext::sh -c touch% x", "the 'ext::' transport is never used"),
        ("fd::3", "the 'fd::' transport is never used"),
        ("ftp://h/x", "the 'ftp' scheme is not supported"),
        ("https://u:tok3n@h/x", "the URL holds a password"),
        ("https://-oProxyCommand=x/y", "a host starting with '-'"),
        ("-oProxyCommand=x:y", "a host starting with '-'"),
        ("git@h:-upload-pack=x", "a path starting with '-'"),
        ("https://h", "the URL names no repository"),
        ("https://h:port/x", "not a valid URL"),
        ("file://otherhost/x", "a file:// URL names no host"),
        ("https://h/x\ny", "control characters"),
    ],
)
def test_refused_urls_say_why_and_never_show_a_password(value: str, why: str) -> None:
    with pytest.raises(BadURL) as caught:
        parse(value)
    assert caught.value.why.startswith(why) or why in caught.value.why
    assert "tok3n" not in str(caught.value)


def test_schemes_and_hosts() -> None:
    assert (parse("git@github.com:a/b.git").scheme, parse("git@github.com:a/b.git").host) == (
        "ssh",
        "github.com",
    )
    assert parse("HTTPS://GitHub.com:8443/a/b").host == "github.com:8443"
    assert parse("file:///srv/g1.git").scheme == "file"
    assert parse("http://127.0.0.1:9/x").loopback and not parse("http://example.com/x").loopback


def test_redact() -> None:
    assert (
        redact("fatal: https://u:s3cret@h/x and ssh://a:b@c/d")
        == "fatal: https://u:***@h/x and ssh://a:***@c/d"
    )
    assert redact("https://u@h/x") == "https://u@h/x"


SAFE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+-[0-9a-f]{16}\.git$")


@pytest.mark.parametrize(
    "value",
    [
        "https://h/../../../etc/passwd",
        "https://h/a/..",
        "file:///..",
        "https://h/%2e%2e/%2F",
        "git@h:../../x",
        "https://h/.git",
        "https://h/" + "x" * 300,
        "https://h:1/x",
        "ssh://[::1]:22/x",
    ],
)
def test_cache_key_stays_in_the_cache(value: str, tmp_path: Path) -> None:
    key = cache_key(parse(value), None)
    assert SAFE.match(key), key
    assert all(part not in ("", ".", "..") for part in key.split("/"))
    cache = tmp_path / "cache"
    assert (cache / key).resolve().is_relative_to(cache.resolve())


def test_cache_key_never_shared() -> None:
    urls = [
        "https://h/a/b",
        "https://h/a/b/",
        "https://H/a/b",
        "https://h/a/b.git",
        "https://h/A/b",
        "http://h/a/b",
    ]
    keys = {cache_key(parse(u), None) for u in urls}
    assert len(keys) == len(urls)
    assert cache_key(parse(urls[0]), "main") != cache_key(parse(urls[0]), None)
    assert cache_key(parse(urls[0]), None) == cache_key(parse(urls[0]), None)  # stable between runs


def test_the_token_goes_only_to_named_hosts_over_https() -> None:
    auth = Auth("t0ken", "GIT_TOKEN", frozenset({"github.com", "127.0.0.1:8080"}))
    assert auth.offered(parse("https://github.com/a/b"))
    assert auth.offered(parse("http://127.0.0.1:8080/a"))  # loopback: never leaves the machine
    assert not auth.offered(parse("http://github.com/a/b"))  # clear text
    assert not auth.offered(parse("https://evil.example/a/b"))
    assert not auth.offered(parse("https://github.com.evil.example/a/b"))
    assert not auth.offered(parse("git@github.com:a/b.git"))  # ssh has its own keys
    config, env = auth.for_remote(parse("https://github.com/a/b"))
    assert [k for k, _ in config] == ["credential.https://github.com.helper"]
    assert "t0ken" not in repr(config) and env == {"REPORT_LINT_GIT_TOKEN": "t0ken"}
    assert auth.scrub("fatal: t0ken https://x:y@h/z") == f"fatal: {HIDDEN} https://x:***@h/z"


def test_remote_allows_exactly_the_scheme_it_is_given(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write_report(repo, clean_text(1))
    commit(repo, "r", BEFORE)
    url = f"file://{repo}"
    assert gitcmd.remote(["ls-remote", url], scheme="file").ok
    refused = gitcmd.remote(["ls-remote", url], scheme="https")
    assert not refused.ok and b"transport 'file' not allowed" in refused.stderr
    refused = gitcmd.remote(["ls-remote", f"ext::sh -c touch% {tmp_path / 'pwned'}"], scheme="https")
    assert not refused.ok and not (tmp_path / "pwned").exists()
    with pytest.raises(InputError, match="never used"):
        gitcmd.remote(["ls-remote", "ext::sh"], scheme="ext")


def test_reference_advertisement_parsing() -> None:
    from report_lint.batch.fetch_refs import parse as parse_refs

    sha = "a" * 40

    def pkt(text: bytes) -> bytes:
        return b"%04x" % (len(text) + 4) + text

    good = (
        pkt(b"# service=git-upload-pack\n")
        + b"0000"
        + pkt(sha.encode() + b" HEAD\0multi_ack symref=HEAD:refs/heads/main\n")
    )
    good += pkt(b"b" * 40 + b" refs/heads/main\n") + b"0000"
    assert parse_refs(good) == {"HEAD": sha, "refs/heads/main": "b" * 40}
    # anything that is not exactly an advertisement: None, and git fetch decides instead
    for bad in (b"<html>login</html>", good[:-6], pkt(b"zz refs/heads/main\n"), b"0003", b"00ffshort"):
        assert parse_refs(bad) is None, bad
