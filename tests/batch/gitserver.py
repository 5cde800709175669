"""A real git server on 127.0.0.1 for the clone tests and the benchmark: ``git http-backend`` (git's own
smart-HTTP server, a CGI program) behind ``http.server``, on a free port, optionally behind HTTP Basic
authentication, stopped at teardown.

Every request is recorded (:class:`Request`): the repository, the protocol v2 command in the body
(``ls-refs`` lists references, ``fetch`` sends a pack), and the password that came with it, so a test can
prove what was fetched and which credential arrived.  ``redirects`` answers ``/<old>/...`` with a 301 to
``/<new>/...`` (GitHub's answer for a renamed repository); ``delay`` slows every request down (so that
the client's git processes live long enough to be inspected, or to hit a timeout).
"""

from __future__ import annotations

import base64
import gzip
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CGI_TIMEOUT = 30.0


@dataclass(frozen=True)
class Request:
    method: str
    repo: str  # the first path segment, e.g. "g1.git"
    command: str  # "ls-refs", "fetch", "advertise" (GET info/refs), "redirect" or "denied"
    password: str | None  # from an Authorization: Basic header, if any


def serve_dir(root: Path, name: str, source: Path) -> Path:
    """A bare copy of the repository ``source`` as ``root/name``, set up as GitHub serves: partial clone
    filters and fetching any object by id allowed."""
    target = root / name
    subprocess.run(
        ["git", "clone", "-q", "--bare", "--no-local", str(source), str(target)], check=True, env=_env()
    )
    for key, value in (("uploadpack.allowFilter", "true"), ("uploadpack.allowAnySHA1InWant", "true")):
        subprocess.run(["git", "--git-dir", str(target), "config", key, value], check=True, env=_env())
    return target


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


@dataclass
class GitServer:
    root: Path
    password: str | None = None  # when set: every request needs Basic auth with this password
    delay: float = 0.0
    slow: dict[str, float] = field(default_factory=dict)  # repo -> extra seconds per request
    redirects: dict[str, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.inflight = self.max_inflight = 0  # requests being answered at once (parallel fetches)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.backend = shutil.which("git") or "git"

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> GitServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server.handle(self)

            def do_POST(self) -> None:
                server.handle(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> GitServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, name: str, host: str | None = None) -> str:
        return f"http://{host or self.host}/{name}"

    def commands(self, repo: str, since: int = 0) -> list[str]:
        with self._lock:
            return [r.command for r in self.requests[since:] if r.repo == repo]

    def mark(self) -> int:
        with self._lock:
            return len(self.requests)

    # ------------------------------------------------------------------ one request
    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
        try:
            self._handle(h)
        finally:
            with self._lock:
                self.inflight -= 1

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        repo = path.lstrip("/").split("/", 1)[0]
        body = _read_body(h)
        password = _password(h.headers.get("Authorization", ""))
        time.sleep(self.delay + self.slow.get(repo, 0.0))
        if repo in self.redirects:
            self._record(Request(h.command, repo, "redirect", password))
            target = path.replace(f"/{repo}", f"/{self.redirects[repo]}", 1)
            _reply(h, 301, [("Location", target + (f"?{parts.query}" if parts.query else ""))], b"")
            return
        if self.password is not None and password != self.password:
            self._record(Request(h.command, repo, "denied", password))
            _reply(h, 401, [("WWW-Authenticate", 'Basic realm="git"')], b"authentication required\n")
            return
        self._record(Request(h.command, repo, _command(h.command, body, h), password))
        self._cgi(h, parts.path, parts.query, body)

    def _cgi(self, h: BaseHTTPRequestHandler, path: str, query: str, body: bytes) -> None:
        env = _env()
        env.update(
            GIT_PROJECT_ROOT=str(self.root),
            GIT_HTTP_EXPORT_ALL="1",
            PATH_INFO=path,
            QUERY_STRING=query,
            REQUEST_METHOD=h.command,
            CONTENT_TYPE=h.headers.get("Content-Type", ""),
            CONTENT_LENGTH=str(len(body)),
            REMOTE_ADDR="127.0.0.1",
            REMOTE_USER="student" if self.password else "",
        )
        if h.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = h.headers["Git-Protocol"]
        if h.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = h.headers["Content-Encoding"]
        try:
            done = subprocess.run(
                [self.backend, "http-backend"],
                input=body,
                env=env,
                capture_output=True,
                timeout=CGI_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            _reply(h, 504, [], b"backend timed out\n")
            return
        head, _, payload = done.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = done.stdout.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        _reply(h, status, headers, payload)


def _read_body(h: BaseHTTPRequestHandler) -> bytes:
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                h.rfile.readline()
                break
            chunks.append(h.rfile.read(size))
            h.rfile.readline()
        return b"".join(chunks)
    length = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(length) if length else b""


def _password(header: str) -> str | None:
    if not header.lower().startswith("basic "):
        return None
    try:
        return base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")[2]
    except (ValueError, UnicodeDecodeError):
        return None


def _command(method: str, body: bytes, h: BaseHTTPRequestHandler) -> str:
    if method == "GET":
        return "advertise"
    if h.headers.get("Content-Encoding", "").lower() == "gzip":
        body = gzip.decompress(body)
    for name in (b"fetch", b"ls-refs"):
        if b"command=" + name in body[:200]:
            return name.decode()
    return "fetch"  # protocol v0: a POST to git-upload-pack is a fetch


def _reply(h: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    try:
        h.send_response(status)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test): nobody to tell
        h.close_connection = True


class GitDaemon:
    """``git daemon`` (the git:// protocol) on 127.0.0.1 serving ``root``; stopped at teardown."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> GitDaemon:
        self.proc = subprocess.Popen(
            [
                *("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1"),
                *(f"--port={self.port}", f"--base-path={self.root}", str(self.root)),
            ],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # ready when it accepts a connection
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("git daemon did not start")

    def __exit__(self, *_: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
