#!/usr/bin/env python3
"""tools/check_layers.py [--self-test] - the layers of sim/ and include/, and
that every #include goes down, never up.

Each source file and header belongs to one layer, listed below from the
bottom up; a file may include headers of its own layer and of the layers
below it, never above. A few rules name a lower layer a layer must not use
all the same (replay never uses the simulated TCP). A file in no layer is an
error too, so that a new file gets its place when it is written.

KNOWN lists the violations that issue 14 is to remove, each with why; they
are printed, not failed on, and one that no longer occurs must be struck
from the list (the check fails until it is). Anything else fails, naming
the file, the line and the two layers.

--self-test copies the tree, adds an upward include and checks that the
check fails on it, naming it."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# From the bottom up: (layer, files without extension). A name stands for its
# .c and its .h alike.
LAYERS = [
    ("base", "bigarray decimal duration rng tmpfiles out_set suggest seq user_call role tcp_state arcs "
             "segment segline packet"),
    ("scenario", "scenario scenario_load"),
    ("trace", "trace trace_log"),
    ("tcp", "tcp tcp_input tcp_output tcp_tcb tcp_timer tcp_user tcp_oow sndbuf tw_rec"),
    ("link", "eventq link"),
    ("host", "stack"),
    ("engine", "sim"),
    ("output", "json_out pcap_out ladder summary coverage graph graph_render graph_ladder graph_states graph_put"),
    ("check", "expect expect_stream compare"),
    ("replay", "replay replay_timers bridge hosts kstate sendq"),
    ("sweep", "sweep sweep_plot"),
    ("cli", "cli cmd_run cmd_replay cmd_compare cmd_graph cmd_coverage cmd_sweep main"),
]
# A layer that must not use a lower one, and why.
FORBIDDEN = {
    ("replay", "tcp"): "replay drives the kernel's TCP, never the simulated one",
    ("replay", "host"): "replay drives the kernel's TCP, never the simulated one",
    ("replay", "engine"): "replay drives the kernel's TCP, never the simulated one",
}
# (file, header): why it is still here. Issue 14 removes them.
KNOWN = {
    ("tcp_input.c", "stack.h"): "the TCP calls its host back (issue 14, item 2: a narrow host interface)",
    ("tcp_output.c", "stack.h"): "the same",
    ("tcp_tcb.c", "stack.h"): "the same",
    ("tcp_timer.c", "stack.h"): "the same",
    ("tcp_user.c", "stack.h"): "the same",
    ("tcp_oow.c", "stack.h"): "the same",
    ("replay.c", "cli.h"): "replay writes its own files (issue 14, item 4: replay as a trace source)",
    ("replay.c", "tcp.h"): "replay's payload is the simulator's pattern, tcp_pattern_byte (issue 14, item 4)",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of():
    where = {}
    for i, (name, files) in enumerate(LAYERS):
        for f in files.split():
            where[f] = (i, name)
    return where


def check(root):
    """The violations in the tree at root, and the KNOWN ones met."""
    where = layer_of()
    errors, known_met = [], set()
    files = [os.path.join(d, f) for d in ("sim", "include") for f in sorted(os.listdir(os.path.join(root, d)))
             if f.endswith((".c", ".h"))]
    for path in files:
        base = os.path.basename(path)
        stem = os.path.splitext(base)[0]
        if stem not in where:
            errors.append("%s: in no layer: give it one in tools/check_layers.py" % path)
            continue
        mine, my_name = where[stem]
        text = open(os.path.join(root, path), encoding="utf-8").read()
        for m in INCLUDE.finditer(text):
            header = m.group(1)
            target = os.path.splitext(os.path.basename(header))[0]
            if target not in where:
                continue                      # a test's or a library's
            theirs, their_name = where[target]
            line = text.count("\n", 0, m.start()) + 1
            why = None
            if theirs > mine:
                why = "an upward include: %s (layer %s) uses %s (layer %s, above it)" % (base, my_name, header,
                                                                                         their_name)
            elif (my_name, their_name) in FORBIDDEN:
                why = "%s must not use %s: %s" % (my_name, their_name, FORBIDDEN[(my_name, their_name)])
            if not why:
                continue
            if (base, header) in KNOWN:
                known_met.add((base, header))
            else:
                errors.append("%s:%d: %s" % (path, line, why))
    for k in sorted(set(KNOWN) - known_met):
        errors.append("%s includes %s no more: strike it from KNOWN in tools/check_layers.py" % k)
    return errors, known_met


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        for d in ("sim", "include"):
            shutil.copytree(d, os.path.join(tmp, d))
        trace_c = os.path.join(tmp, "sim", "trace.c")
        with open(trace_c, "a") as f:
            f.write('#include "cli.h"\n')
        errors, _ = check(tmp)
        if not any("sim/trace.c" in e and "upward include" in e and "cli.h" in e for e in errors):
            print("check_layers: FAIL: the self-test's upward include (sim/trace.c -> cli.h) was not found")
            return 1
        os.remove(os.path.join(tmp, "sim", "trace.c"))
        with open(os.path.join(tmp, "sim", "new_thing.c"), "w") as f:
            f.write('#include "trace.h"\n')
        errors, _ = check(tmp)
        if not any("new_thing.c: in no layer" in e for e in errors):
            print("check_layers: FAIL: the self-test's file in no layer was not found")
            return 1
    print("check_layers: self-test: an upward include and a file in no layer both fail the check")
    return 0


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    errors, known = check(".")
    for base, header in sorted(known):
        print("check_layers: known, to be removed: %s includes %s: %s" % (base, header, KNOWN[(base, header)]))
    for e in errors:
        print("check_layers: FAIL: " + e)
    if errors:
        return 1
    print("check_layers: every include goes down the %d layers (%d known exceptions, listed above)"
          % (len(LAYERS), len(known)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
