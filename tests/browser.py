"""tests/browser.py - drive headless Chromium from a test, stdlib only.

Speaks the DevTools protocol over --remote-debugging-pipe: Chromium reads
commands from its fd 3 and writes replies and events to its fd 4, each a JSON
message ended by a NUL byte. No websocket, no port, no pip package: the
machine has Debian's chromium and python3, nothing else. Every wait has a
deadline; when one passes, or Chromium dies, the error says so with the tail
of Chromium's stderr and Chromium is killed, so a test fails and never hangs.

    with Browser() as b:
        b.open("file:///tmp/page.html")
        b.key("ArrowRight")
        assert b.eval("document.title") == "1"
        assert not b.errors
"""
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# key name -> (event.key, event.code, windowsVirtualKeyCode, text); text is
# what the key types, and only a key that types sends a keypress.
_KEYS = {
    "ArrowLeft": ("ArrowLeft", "ArrowLeft", 37, ""),
    "ArrowUp": ("ArrowUp", "ArrowUp", 38, ""),
    "ArrowRight": ("ArrowRight", "ArrowRight", 39, ""),
    "ArrowDown": ("ArrowDown", "ArrowDown", 40, ""),
    "Home": ("Home", "Home", 36, ""),
    "End": ("End", "End", 35, ""),
    "PageUp": ("PageUp", "PageUp", 33, ""),
    "PageDown": ("PageDown", "PageDown", 34, ""),
    "Escape": ("Escape", "Escape", 27, ""),
    "Tab": ("Tab", "Tab", 9, ""),
    "Backspace": ("Backspace", "Backspace", 8, ""),
    "Delete": ("Delete", "Delete", 46, ""),
    "Enter": ("Enter", "Enter", 13, "\r"),
    " ": (" ", "Space", 32, " "),
}
for _c in "abcdefghijklmnopqrstuvwxyz":
    _KEYS[_c] = (_c, "Key" + _c.upper(), ord(_c.upper()), _c)
for _c in "0123456789":
    _KEYS[_c] = (_c, "Digit" + _c, ord(_c), _c)


class BrowserError(Exception):
    """Chromium failed, timed out, or a command or a page script raised."""


class Browser:
    """One headless Chromium with one page, for the length of a with block.

    errors: every uncaught exception, console.error/console.assert failure
    and Log entry of level "error" (a resource that failed to load is one)
    of the page, as text; a test asserts it is empty. requests: the URL of every request the page made, so a test
    can assert that a page loaded nothing but itself."""

    def __init__(self, width=1280, height=720, timeout=30):
        self.timeout = timeout
        self.errors = []
        self.requests = []
        self._events = []  # events not yet looked at by _wait_event
        self._buf = b""
        self._next_id = 0
        self._session = None
        self._proc = None
        self._dir = tempfile.mkdtemp(prefix="tcpsim-browser-")
        self._stderr = open(os.path.join(self._dir, "stderr"), "w+b")
        try:
            self._start(width, height)
        except BaseException:
            self.close()
            raise

    def _start(self, width, height):
        profile = os.path.join(self._dir, "profile")
        args = [
            CHROMIUM,
            "--headless",
            "--remote-debugging-pipe",
            # as root Chromium refuses to start with its sandbox
            "--no-sandbox",
            # there is no GPU, nor a display
            "--disable-gpu",
            # a fresh profile: nothing from an earlier run, no first-run UI
            "--user-data-dir=" + profile,
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            # no lookups: a page's external URL fails at once, and the
            # browser's own calls home (update, sync, ...) go nowhere
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            # a small /dev/shm (as in containers) must not crash the renderer
            "--disable-dev-shm-usage",
            # screenshots of the page alone, the same whether it scrolls
            "--hide-scrollbars",
            "--window-size=%d,%d" % (width, height),
            "about:blank",
        ]
        # Chromium wants the pipe at fds 3 and 4 exactly. pass_fds cannot do
        # that (it keeps a fd's number), so the child moves the ends there
        # itself, from copies numbered above 4 so that neither is overwritten
        # by the other's move. close_fds stays off because it would close 3
        # and 4 after the move; Python opens every fd close-on-exec, so
        # Chromium gets no other fd of the test's.
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()
        hi_r, hi_w = _fd_above(cmd_r, 4), _fd_above(out_w, 4)
        os.close(cmd_r)
        os.close(out_w)

        def to_3_and_4():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        try:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=self._stderr,
                stderr=self._stderr, close_fds=False, preexec_fn=to_3_and_4,
                start_new_session=True)
        except OSError as e:
            raise BrowserError("cannot run %s (Debian's package chromium): %s" % (CHROMIUM, e))
        finally:
            os.close(hi_r)
            os.close(hi_w)
        target = self._call("Target.createTarget", {"url": "about:blank"},
                            session=False)["targetId"]
        self._session = self._call("Target.attachToTarget",
                                   {"targetId": target, "flatten": True},
                                   session=False)["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self._call(domain + ".enable")
        self.set_viewport(width, height)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Ask Chromium to close, then kill whatever is left of its process
        group (all of it after 5 s), and remove its profile."""
        if self._proc is not None:
            # asked, Chromium ends its renderers itself; killed, it leaves
            # them for init to reap
            try:
                os.write(self._cmd_w, b'{"id":0,"method":"Browser.close"}\0')
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            _kill(self._proc)
            self._proc = None
        for fd in ("_cmd_w", "_out_r"):
            if getattr(self, fd, None) is not None:
                os.close(getattr(self, fd))
                setattr(self, fd, None)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        shutil.rmtree(self._dir, ignore_errors=True)

    # -- what a test calls

    def open(self, url):
        """Go to url and return once its load event fired. A URL that
        differs only by #hash from the current one is a same-document
        navigation: it runs no script and fires no load event, and open()
        returns at once."""
        self._events.clear()
        reply = self._call("Page.navigate", {"url": url})
        if reply.get("errorText"):
            raise BrowserError("open %s: %s" % (url, reply["errorText"]))
        if "loaderId" in reply:
            # the load event names no document: take the one that follows
            # this navigation's commit, not a late one of the page before
            self._wait_event("Page.frameNavigated", "navigation to " + url,
                             lambda p: p["frame"]["id"] == reply["frameId"]
                             and p["frame"]["loaderId"] == reply["loaderId"])
            self._wait_event("Page.loadEventFired", "load of " + url)

    def eval(self, expr):
        """The value of the JavaScript expression expr (awaited if it is a
        promise), as JSON gives it; raises BrowserError if it throws."""
        reply = self._call("Runtime.evaluate", {
            "expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in reply:
            raise BrowserError("eval %r: %s" % (expr, _exception_text(reply["exceptionDetails"])))
        return reply["result"].get("value")

    def key(self, name):
        """Press and release the key name ("ArrowRight", "Home", " ", "f",
        "Escape", ...), as a user would: the page's keydown listener sees
        event.key == name."""
        if name not in _KEYS:
            raise ValueError("unknown key %r; known: %s" % (name, sorted(_KEYS)))
        key, code, vk, text = _KEYS[name]
        down = {"type": "keyDown" if text else "rawKeyDown", "key": key, "code": code,
                "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}
        if text:
            down.update(text=text, unmodifiedText=text)
        self._call("Input.dispatchKeyEvent", down)
        self._call("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code,
                                              "windowsVirtualKeyCode": vk,
                                              "nativeVirtualKeyCode": vk})

    def screenshot(self, path, full_page=False):
        """Write a PNG of the viewport, or of the whole page, to path."""
        params = {"format": "png"}
        if full_page:
            size = self._call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True, clip={
                "x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        data = base64.b64decode(self._call("Page.captureScreenshot", params)["data"])
        with open(path, "wb") as f:
            f.write(data)

    def set_viewport(self, width, height):
        """Make the page's viewport width x height CSS pixels at one device
        pixel each, whatever the window is: screenshots have that size."""
        self._call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def offline(self):
        """Fail every network request from now on, as with no network
        (call before open). file:// pages still load."""
        self._call("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    # -- the protocol

    def _call(self, method, params=None, session=True):
        """Send a command and return its result; events that arrive in the
        meantime are kept (_on_event), not lost."""
        if self._proc is None:
            raise BrowserError("%s: Chromium is not running (closed, or killed after an earlier error)"
                               % method)
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self._session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._cmd_w, data):]
        except OSError as e:
            self._fail("sending %s: %s" % (method, e))
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline, method)
            if reply.get("id") == msg["id"]:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"].get("message", reply["error"])))
                return reply.get("result", {})
            if "method" in reply:
                self._on_event(reply)

    def _wait_event(self, method, what, match=lambda params: True):
        """Wait for an event of the page named method whose params match,
        first among those already come (it may have arrived while waiting
        for a reply); the events before it are dropped."""
        deadline = time.monotonic() + self.timeout
        while True:
            for i, ev in enumerate(self._events):
                if ev["method"] == method and match(ev.get("params", {})):
                    del self._events[:i + 1]
                    return ev.get("params", {})
            self._events.clear()
            msg = self._read(deadline, what)
            if "method" in msg:
                self._on_event(msg)

    def _on_event(self, ev):
        method, p = ev["method"], ev.get("params", {})
        if method == "Inspector.targetCrashed" or (
                method == "Target.detachedFromTarget" and p.get("sessionId") == self._session):
            self._fail("the page crashed or went away (%s)" % method)
        if ev.get("sessionId") != self._session or self._session is None:
            return
        self._events.append(ev)
        if method == "Runtime.exceptionThrown":
            self.errors.append(_exception_text(p["exceptionDetails"]))
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            self.errors.append("console.%s: %s" % (p["type"], " ".join(
                str(a.get("value", a.get("description", a.get("type")))) for a in p.get("args", []))))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            e = p["entry"]
            self.errors.append("%s: %s%s" % (e.get("source", "log"), e.get("text", ""),
                                              " (%s)" % e["url"] if e.get("url") else ""))
        elif method == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])

    def _read(self, deadline, what):
        """The next message from Chromium, by deadline."""
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self._fail("no answer in %g s while we waited for %s" % (self.timeout, what))
            if not select.select([self._out_r], [], [], left)[0]:
                continue
            chunk = os.read(self._out_r, 1 << 20)
            if not chunk:
                try:
                    status = self._proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    status = "still running"
                self._fail("it closed the pipe (exit status %s) while we waited for %s" % (status, what))
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def _fail(self, why):
        """Kill Chromium and raise, with what it printed on stderr."""
        if self._proc is not None:
            _kill(self._proc)
            self._proc = None
        lines = []
        if self._stderr is not None:
            self._stderr.flush()
            self._stderr.seek(0)
            lines = self._stderr.read().decode(errors="replace").splitlines()
        # with no D-Bus on the machine Chromium complains at every start:
        # noise that would hide the line that matters
        kept = [line for line in lines if "dbus" not in line]
        raise BrowserError("chromium: %s\n--- chromium's stderr (%d D-Bus lines left out):\n%s"
                           % (why, len(lines) - len(kept), "\n".join(kept[-40:])))


def _fd_above(fd, low):
    """A copy of fd numbered above low, closed on exec (the child gets it
    through dup2 only)."""
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, low + 1)


def _kill(proc):
    """SIGKILL Chromium's process group (renderers, zygote, crashpad too)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _exception_text(details):
    """An uncaught exception as one line: its message and where it was."""
    exc = details.get("exception") or {}
    text = exc.get("description") or str(exc.get("value", "")) or details.get("text", "")
    where = details.get("url", "")
    if where:
        where = " (%s:%d)" % (where, details.get("lineNumber", 0) + 1)
    return text.split("\n")[0] + where
