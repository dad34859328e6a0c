#!/usr/bin/env python3
"""tests/check_browser_selftest.py - tests/browser.py works, and a check
built on it can fail: a key press reaches a page's keydown listener, a
script that throws shows in .errors (and a page that doesn't leaves it
empty), an external <img> shows in .requests, a screenshot is a PNG of the
viewport's size, and all of it in well under a minute. Prints
"browser selftest: ok" and exits 0, or says what failed and exits 1."""
import os
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser, BrowserError  # noqa: E402

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>0</title></head>
<body>
<button id="b" onclick="this.textContent = 'clicked'">press</button>
<script>
var n = 0;
document.addEventListener("keydown", function (e) {
  if (e.key === "ArrowRight") document.title = String(++n);
});
if (location.hash === "#throw") throw new Error("thrown on purpose");
</script>
</body></html>
"""
IMG_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>img</title></head>
<body><img src="http://example.com/x.png" alt=""></body></html>
"""
LIMIT = 60


def main():
    os.umask(0o022)
    os.environ["LANG"] = "C.UTF-8"
    start = time.monotonic()
    failed = []

    def check(what, ok, detail=""):
        if not ok:
            failed.append(what + (": " + detail if detail else ""))

    with tempfile.TemporaryDirectory(prefix="browser-selftest-") as tmp:
        page = os.path.join(tmp, "page.html")
        img_page = os.path.join(tmp, "img.html")
        shot = os.path.join(tmp, "shot.png")
        for path, text in ((page, PAGE), (img_page, IMG_PAGE)):
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        url, img_url = "file://" + page, "file://" + img_page
        only_local = lambda reqs: all(u.startswith("file://") for u in reqs)  # noqa: E731
        try:
            with Browser(width=1280, height=720) as b:
                b.open(url)
                check("a page that throws nothing leaves .errors empty", b.errors == [], repr(b.errors))
                check("the page's own URL is in .requests", url in b.requests, repr(b.requests))
                check("a page loading nothing but itself passes the file:// check",
                      only_local(b.requests), repr(b.requests))
                for _ in range(3):
                    b.key("ArrowRight")
                b.key("ArrowLeft")
                title = b.eval("document.title")
                check("3 ArrowRight keys make the title '3'", title == "3", repr(title))
                b.eval("document.getElementById('b').click()")
                check("eval reaches the page's button",
                      b.eval("document.getElementById('b').textContent") == "clicked")
                try:
                    b.eval("no_such_function()")
                    check("eval raises when the expression throws", False, "it returned")
                except BrowserError as e:
                    check("eval's error names the exception", "no_such_function" in str(e), str(e))

                b.screenshot(shot)
                with open(shot, "rb") as f:
                    head = f.read(24)
                check("the screenshot is a PNG", head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR",
                      repr(head[:16]))
                size = struct.unpack(">II", head[16:24]) if len(head) == 24 else None
                check("the screenshot is 1280x720", size == (1280, 720), repr(size))

                # a fresh document, or #throw would be a same-document
                # navigation that runs no script
                b.open("about:blank")
                b.errors.clear()
                b.open(url + "#throw")
                check("a page that throws records it in .errors",
                      len(b.errors) == 1 and "thrown on purpose" in b.errors[0], repr(b.errors))

                b.errors.clear()
                b.requests.clear()
                b.open(img_url)
                check("an external <img> is in .requests", "http://example.com/x.png" in b.requests,
                      repr(b.requests))
                check("the file:// check fails on a page with an external <img>",
                      not only_local(b.requests), repr(b.requests))
        except BrowserError as e:
            failed.append("the browser failed: %s" % e)

    took = time.monotonic() - start
    # about 2 s alone, 20 s with 8 at once on 2 CPUs: the limit catches a
    # wait that hangs, not a busy machine
    check("the self-test takes under %d s" % LIMIT, took < LIMIT, "%.1f s" % took)
    if failed:
        for f in failed:
            print("browser selftest: FAILED: " + f)
        return 1
    print("browser selftest: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
