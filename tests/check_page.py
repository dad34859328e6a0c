#!/usr/bin/env python3
"""check_page.py - the step-through page (NAME.html) in a real browser.

Usage: check_page.py TCPSIM OUTDIR

Runs shipped scenarios with TCPSIM, opens their pages in headless Chromium
(tests/browser.py) with the network off, steps through them with the keys a
user presses, and checks that the highlights move as the trace says:

  - lost_final_ack: stepped to the resent FIN's arrival, the client is
    highlighted in TIME_WAIT on the state diagram, the loop "rcv FIN again /
    snd ACK, restart 2MSL" (S16) is the arc marked, the sentence names the
    restart, and the ladder's highlighted segment is that FIN, delivered;
  - simultaneous_close: at the first step whose client is in CLOSING, the
    highlighted segment is the server's FIN;
  - the step is in the address (#step=N), both ways; play advances; the
    presentation mode hides all but the pictures and the sentence;
  - the page asks for nothing but itself, and logs no JavaScript error;
  - a page of many connections says which it shows and lists the others.

Screenshots of the Done-when step, normal and in presentation mode, are left
in OUTDIR (look at them: a test can say where things are, not how they look).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser, BrowserError  # noqa: E402

FAILURES = []


def check(cond, what):
    """Records what failed, and goes on: one run shows every failure."""
    if not cond:
        FAILURES.append(what)
        print("check_page: FAILED: " + what)
    return cond


def run(tcpsim, args):
    proc = subprocess.run([tcpsim] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit("check_page: %s %s exited %d: %s" % (tcpsim, " ".join(args), proc.returncode, proc.stderr))
    return proc.stdout


def wait_for(b, expr, timeout=3.0):
    """Whether expr becomes true within timeout: leaving full screen is
    asynchronous (the browser's, then the page's fullscreenchange)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if b.eval(expr):
            return True
        time.sleep(0.05)
    return False


def steps_of(b):
    return b.eval("JSON.parse(document.getElementById('steps').textContent).steps")


def step_to(b, n):
    """Goes to step n from the first with the keys a user presses."""
    b.key("Home")
    for _ in range(n):
        b.key("ArrowRight")
    return b.eval("+document.body.getAttribute('data-step')")


def diagram_nodes(b, cls):
    return b.eval("[...document.querySelectorAll('#diagram g.node.%s')].map(g => g.querySelector('title').textContent)"
                  % cls)


def now_segments(b):
    """The ladder's highlighted segment arrows, as the log events they draw."""
    return b.eval("[...document.querySelectorAll('#ladder g.edge.segment.now')].map(g => +/^ev(\\d+)_/.exec(g.id)[1])")


def lost_final_ack(b, url, out):
    b.open(url)
    steps = steps_of(b)
    target = next((i for i, s in enumerate(steps)
                   if s["k"] == "deliver" and s["arc"][0] and s["arc"][0][0] == "S16"), None)
    if not check(target is not None, "lost_final_ack: no step takes S16"):
        return
    check(step_to(b, target) == target, "lost_final_ack: the keys did not reach step %d" % target)
    check(b.eval("location.hash") == "#step=%d" % target, "lost_final_ack: the address is not #step=%d" % target)
    check(diagram_nodes(b, "at-client") == ["TIME_WAIT"],
          "lost_final_ack: the client is highlighted in %s, not TIME_WAIT" % diagram_nodes(b, "at-client"))
    check(diagram_nodes(b, "at-server") == ["LAST_ACK"],
          "lost_final_ack: the server is highlighted in %s, not LAST_ACK" % diagram_nodes(b, "at-server"))
    marked = b.eval("[...document.querySelectorAll('#diagram g.edge.now')].map(g => g.id + ': ' + g.textContent)")
    check(len(marked) == 1 and marked[0].startswith("loop_TIME_WAIT_client")
          and "rcv FIN again / snd ACK, restart 2MSL" in marked[0],
          "lost_final_ack: the arc marked is %s, not the loop S16" % marked)
    sentence = b.eval("document.getElementById('sentence').textContent")
    check("S16" in sentence and "restart 2MSL" in sentence and "1.850 s" in sentence,
          "lost_final_ack: the sentence does not name the restart: %r" % sentence)
    seg = steps[target]["seg"]
    check(now_segments(b) == [seg], "lost_final_ack: highlighted %s, not the resent FIN (ev%d)" % (now_segments(b), seg))
    check(b.eval("document.querySelector('#ladder [id=\"ev%d_seg\"]').classList.contains('delivered')" % seg),
          "lost_final_ack: the resent FIN is not marked delivered")
    check("F." in b.eval("document.querySelector('#ladder [id=\"ev%d_label\"]').textContent" % seg),
          "lost_final_ack: the highlighted label is not a FIN's")
    # The step before is its send: the same segment, in flight.
    b.key("ArrowLeft")
    check(b.eval("+document.body.getAttribute('data-step')") == target - 1, "lost_final_ack: ArrowLeft did not go back")
    check(b.eval("document.querySelector('#ladder [id=\"ev%d_seg\"]').classList.contains('flight')" % seg),
          "lost_final_ack: the resent FIN is not in flight at its send")
    timers = b.eval("document.getElementById('timers').textContent")
    check("retransmission timer" in timers, "lost_final_ack: the server's timer is not shown: %r" % timers)
    b.key("ArrowRight")
    changed = b.eval("[...document.querySelectorAll('#vars td.changed')].length")
    check(b.eval("document.querySelectorAll('#vars tr').length") >= 9, "lost_final_ack: the variables table is short")
    check(b.eval("document.querySelector('#vars td[title^=\"absolute\"]') !== null"),
          "lost_final_ack: no absolute number on hover")
    b.screenshot(os.path.join(out, "lost_final_ack.step.png"))
    b.key("f")
    check(b.eval("document.body.classList.contains('present')"), "lost_final_ack: f did not start presentation mode")
    check(b.eval("getComputedStyle(document.getElementById('vars')).display === 'none' && "
                 "getComputedStyle(document.getElementById('controls')).display === 'none'"),
          "lost_final_ack: presentation mode still shows the table")
    check(b.eval("location.hash") == "#step=%d&present" % target, "lost_final_ack: presentation mode not in the address")
    check(diagram_nodes(b, "at-client") == ["TIME_WAIT"], "lost_final_ack: presentation mode lost the highlight")
    b.screenshot(os.path.join(out, "lost_final_ack.present.png"))
    b.key("Escape")
    check(wait_for(b, "!document.body.classList.contains('present')"),
          "lost_final_ack: Esc did not leave presentation mode")
    b.key("End")
    check(b.eval("+document.body.getAttribute('data-step')") == len(steps) - 1, "lost_final_ack: End is not the last step")
    check(diagram_nodes(b, "at-client") == ["CLOSED_END"], "lost_final_ack: at the end the client is not in the final CLOSED")
    # Play, from the first step: it moves on by itself, and stops.
    b.key("Home")
    b.key("p")
    time.sleep(2.0)
    b.key("p")
    at = b.eval("+document.body.getAttribute('data-step')")
    check(at >= 1, "lost_final_ack: play did not move on (step %d after 2 s)" % at)
    time.sleep(1.2)
    check(b.eval("+document.body.getAttribute('data-step')") == at, "lost_final_ack: play did not stop")
    return changed


def lost_final_ack_address(b, url):
    """A link to a moment opens there."""
    b.open("about:blank")
    b.open(url + "#step=5")
    check(b.eval("+document.body.getAttribute('data-step')") == 5, "opening #step=5 does not show step 5")


def simultaneous_close(b, url):
    b.open(url)
    steps = steps_of(b)
    target = next((i for i, s in enumerate(steps) if s["st"][0] == "CLOSING"), None)
    if not check(target is not None, "simultaneous_close: the client never reaches CLOSING"):
        return
    step_to(b, target)
    check(diagram_nodes(b, "at-client") == ["CLOSING"],
          "simultaneous_close: the client is highlighted in %s" % diagram_nodes(b, "at-client"))
    seg = steps[target]["seg"]
    check(now_segments(b) == [seg], "simultaneous_close: highlighted %s, not ev%d" % (now_segments(b), seg))
    # The server's: its colour, and a FIN.
    colour = b.eval("document.querySelector('#ladder [id=\"ev%d_seg\"] path').getAttribute('stroke')" % seg)
    check(colour and colour.lower() == "#e69f00", "simultaneous_close: the highlighted segment is not the server's (%s)"
          % colour)
    check("F." in b.eval("document.querySelector('#ladder [id=\"ev%d_label\"]').textContent" % seg),
          "simultaneous_close: the highlighted segment is not a FIN")
    check("T15" in b.eval("document.getElementById('sentence').textContent"),
          "simultaneous_close: the sentence does not name T15")


def many_connections(b, url):
    b.open(url)
    text = b.eval("document.getElementById('others') ? document.getElementById('others').textContent : ''")
    check("connection 2 of 200" in text, "flash_crowd: the page does not say which connection it shows")
    check("--connection 1" in text and "--connection 3" in text, "flash_crowd: the others are not listed")
    check(b.eval("JSON.parse(document.getElementById('steps').textContent).sides") == ["client#2", "server#2"],
          "flash_crowd: the page does not show client#2 and server#2")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tcpsim, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.umask(0o022)
    os.environ["LANG"] = "C.UTF-8"
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    run(tcpsim, ["run", "-q", "-o", out, "scenarios/lost_final_ack.yaml", "scenarios/simultaneous_close.yaml"])
    printed = run(tcpsim, ["page", "-o", out, "--connection", "2", "scenarios/flash_crowd.yaml"])
    check(printed.strip() == out + "/flash_crowd.html" or printed.strip().endswith("/flash_crowd.html"),
          "tcpsim page printed %r" % printed)
    url = "file://" + out + "/%s.html"
    t0 = time.monotonic()
    try:
        with Browser(1280, 720) as b:
            b.offline()
            lost_final_ack(b, url % "lost_final_ack", out)
            lost_final_ack_address(b, url % "lost_final_ack")
            simultaneous_close(b, url % "simultaneous_close")
            many_connections(b, url % "flash_crowd")
            check(not b.errors, "the pages logged errors: %s" % b.errors)
            others = [u for u in b.requests if not u.startswith("file://") and u != "about:blank"]
            check(not others, "the pages asked for more than themselves: %s" % others)
    except BrowserError as e:
        check(False, "the browser: %s" % e)
    if FAILURES:
        sys.exit("check_page: %d failed" % len(FAILURES))
    print("check_page: ok (3 pages stepped in headless Chromium in %.1f s, network off; screenshots in %s)"
          % (time.monotonic() - t0, out))


if __name__ == "__main__":
    main()
