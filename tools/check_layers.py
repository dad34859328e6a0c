#!/usr/bin/env python3
"""tools/check_layers.py [--self-test] - the layers of sim/, and that every
#include goes down, never up, and never round in a circle.

Each folder of sim/ is a layer; LAYERS lists them from the bottom up. A file
may include headers of its own layer and of the layers below it, never above;
an include names the folder it crosses into ("tcp/tcp.h"). A few rules name a
lower layer a layer must not use all the same (replay never uses the simulated
TCP). A file outside the listed folders is an error too, so that a new file
or folder gets its place when it is written.

A module is a source and its header (tcp/tcp_input.c and .h). Modules must
not use each other in a circle, inside a layer as well as across layers: the
circle is named, module by module.

KNOWN lists the violations still to be removed, each with why; they are
printed, not failed on, and one that no longer occurs must be struck from the
list (the check fails until it is). Anything else fails, naming the file, the
line and the two layers.

--self-test copies the tree, adds an upward include, a file in no layer and
two modules in a circle, and checks that the check fails on each, naming it."""
import os
import re
import shutil
import sys
import tempfile

# From the bottom up; docs/architecture.md says what each owns.
LAYERS = ["base", "proto", "scenario", "trace", "tcp", "link", "host", "engine",
          "output", "check", "replay", "sweep", "cli"]
# A layer that must not use a lower one, and why.
FORBIDDEN = {
    ("replay", "tcp"): "replay drives the kernel's TCP, never the simulated one",
    ("replay", "host"): "replay drives the kernel's TCP, never the simulated one",
    ("replay", "engine"): "replay drives the kernel's TCP, never the simulated one",
}
# (file, header): why it is still here.
KNOWN = {
}
# Circles of modules still to be broken, as sorted tuples of modules.
KNOWN_CIRCLES = {
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root):
    """Every .c and .h under root/sim, as paths relative to root/sim."""
    out = []
    for d, _, files in os.walk(os.path.join(root, "sim")):
        for f in files:
            if f.endswith((".c", ".h")):
                out.append(os.path.relpath(os.path.join(d, f), os.path.join(root, "sim")))
    return sorted(out)


def circles(edges):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(tuple(sorted(comp)))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(out)


def check(root):
    """The violations in the tree at root, and the KNOWN ones met."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    errors, known_met = [], set()
    edges = {}
    for rel in sources(root):
        path = "sim/" + rel
        parts = rel.split("/")
        if len(parts) != 2 or parts[0] not in rank:
            errors.append("%s: in no layer: put it in one of sim/{%s}/ (or add its folder to "
                          "LAYERS in tools/check_layers.py)" % (path, ",".join(LAYERS)))
            continue
        my_name = parts[0]
        module = os.path.splitext(rel)[0]
        edges.setdefault(module, set())
        text = open(os.path.join(root, path), encoding="utf-8").read()
        for m in INCLUDE.finditer(text):
            header = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            hparts = header.split("/")
            if len(hparts) != 2 or not os.path.exists(os.path.join(root, "sim", header)):
                errors.append("%s:%d: #include \"%s\" names no header of sim/: write it as "
                              "\"LAYER/NAME.h\"" % (path, line, header))
                continue
            their_name = hparts[0]
            target = os.path.splitext(header)[0]
            if target != module:
                edges[module].add(target)
            why = None
            if rank[their_name] > rank[my_name]:
                why = "an upward include: %s (layer %s) uses %s (layer %s, above it)" % (rel, my_name, header,
                                                                                         their_name)
            elif (my_name, their_name) in FORBIDDEN:
                why = "%s must not use %s: %s" % (my_name, their_name, FORBIDDEN[(my_name, their_name)])
            if not why:
                continue
            if (rel, header) in KNOWN:
                known_met.add((rel, header))
            else:
                errors.append("%s:%d: %s" % (path, line, why))
    for comp in circles(edges):
        if comp in KNOWN_CIRCLES:
            known_met.add(comp)
        else:
            errors.append("modules in a circle (each uses the next): %s" % " -> ".join(comp + comp[:1]))
    for k in sorted(set(KNOWN) - known_met):
        errors.append("%s includes %s no more: strike it from KNOWN in tools/check_layers.py" % k)
    for k in sorted(set(KNOWN_CIRCLES) - known_met):
        errors.append("%s are in a circle no more: strike it from KNOWN_CIRCLES" % ", ".join(k))
    return errors, known_met


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree("sim", os.path.join(tmp, "sim"))
        trace_c = os.path.join(tmp, "sim", "trace", "trace.c")
        with open(trace_c, "a") as f:
            f.write('#include "cli/cli.h"\n')
        with open(os.path.join(tmp, "sim", "new_thing.c"), "w") as f:
            f.write('#include "trace/trace.h"\n')
        for a, b in (("ring_a", "ring_b"), ("ring_b", "ring_a")):
            with open(os.path.join(tmp, "sim", "base", a + ".c"), "w") as f:
                f.write('#include "base/%s.h"\n' % b)
            open(os.path.join(tmp, "sim", "base", a + ".h"), "w").close()
        errors, _ = check(tmp)
        wanted = [("sim/trace/trace.c", "upward include", "cli/cli.h"),
                  ("sim/new_thing.c", "in no layer", ""),
                  ("in a circle", "base/ring_a -> base/ring_b -> base/ring_a", "")]
        for want in wanted:
            if not any(all(w in e for w in want) for e in errors):
                print("check_layers: FAIL: the self-test's %s was not found in: %s" % (want, errors))
                return 1
    print("check_layers: self-test: an upward include, a file in no layer and two modules in a circle "
          "each fail the check")
    return 0


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    errors, known = check(".")
    for k in sorted(known, key=str):
        if k in KNOWN:
            print("check_layers: known, to be removed: %s includes %s: %s" % (k[0], k[1], KNOWN[k]))
        else:
            print("check_layers: known circle, to be broken: %s: %s" % (" -> ".join(k + k[:1]), KNOWN_CIRCLES[k]))
    for e in errors:
        print("check_layers: FAIL: " + e)
    if errors:
        return 1
    print("check_layers: every include goes down the %d layers of sim/, no modules in a circle "
          "(%d known exceptions, listed above)" % (len(LAYERS), len(known)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
