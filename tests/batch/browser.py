"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``): no
websocket library, no port.  Enough to load a page, run an expression in it (clicks, bounding boxes),
record every request the page makes, and take a screenshot.

Chromium reads NUL-terminated JSON commands on its fd 3 and writes replies and events on its fd 4.
Missing Chromium: the tests skip locally and fail under ``CI=true`` (``tooling.missing``); ``.ci/run``
installs Debian's package.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from tooling import CHROMIUM_FLAGS as FLAGS  # noqa: E402
from tooling import require_chromium  # noqa: E402

TIMEOUT = 60.0  # seconds for any one reply or page load


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, width: int = 1400, height: int = 900, args: tuple[str, ...] = ()) -> None:
        self.width, self.height, self.args = width, height, args
        self.requests: list[str] = []  # every URL the page tried to load, in order
        self.blocked: dict[str, str] = {}  # URL -> why Chromium refused it before sending (e.g. "csp")
        self._urls: dict[str, str] = {}  # request id -> URL
        self._next = 0
        self._buffer = b""
        self._session = ""

    def __enter__(self) -> Browser:
        binary = require_chromium()
        self._profile = tempfile.TemporaryDirectory()
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # in the child: our pipe ends become its fds 3 and 4
            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self._proc = subprocess.Popen(
            [binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}", *self.args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=fds,  # a test helper: no threads run at this point
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
        self._session = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(AssertionError, OSError):  # it may be gone already
            self.send("Browser.close", session=False)
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            os.close(fd)
        self._profile.cleanup()

    # ------------------------------------------------------------------ the protocol
    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            assert left > 0, "chromium did not answer in time"
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                assert chunk, "chromium closed its pipe"
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        data: dict[str, Any] = json.loads(message)
        method, params = data.get("method"), data.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
            self._urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed" and params.get("blockedReason"):
            self.blocked[self._urls.get(params["requestId"], "")] = params["blockedReason"]
        return data

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_chrome, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            data = self._read(deadline)
            if data.get("id") == self._next:
                assert "error" not in data, f"{method}: {data['error']}"
                return data.get("result", {})

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            data = self._read(deadline)
            if data.get("method") == method:
                return data

    # ------------------------------------------------------------------ what the tests use
    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event (the dashboard's script has run by then)."""
        if "loaderId" in self.send("Page.navigate", {"url": url}):
            self.wait_event("Page.loadEventFired")
        # else a same-document navigation (only the #fragment changed): no load event comes

    def sent(self) -> list[str]:
        """The URLs of requests that were not refused before going out."""
        return [url for url in self.requests if url not in self.blocked]

    def eval(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            height = int(self.eval("document.documentElement.scrollHeight"))
            params["clip"] = {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))
