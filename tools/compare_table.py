#!/usr/bin/env python3
"""tools/compare_table.py OUTDIR [--write DOC]

The table of what `tcpsim compare` found on each scenario, read from the
NAME.compare.md files tools/compare_all.sh left in OUTDIR: per scenario the
known rules its differences were tagged with (K1 ... in order, each with its
count), the rows after a call Linux cannot make, and the UNEXPECTED rows.
Printed as markdown; with --write DOC it replaces the part of DOC between
the lines `<!-- compare-all table -->` and `<!-- end of compare-all table -->`
(docs/linux-differences.md), headed by the kernel it was read on.
Exits 2 on bad usage or a missing marker."""
import glob
import os
import platform
import re
import sys

BEGIN = "<!-- compare-all table -->"
END = "<!-- end of compare-all table -->"


def rule_key(r):
    m = re.fullmatch(r"K(\d+)", r)
    return (0, int(m.group(1))) if m else (1, r)


def read(path):
    """{rule: count}, the Linux cannot rows and the UNEXPECTED rows of one file."""
    rules, cannot, unexpected = {}, 0, 0
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 3 or not line.startswith("|") or cells[2] in ("", "difference", "---"):
                continue
            tag = cells[2].split(" (")[0]
            if tag == "UNEXPECTED":
                unexpected += 1
            elif tag == "Linux cannot":
                cannot += 1
            else:
                rules[tag] = rules.get(tag, 0) + 1
    return rules, cannot, unexpected


def table(outdir):
    rows = ["| scenario | known differences | Linux cannot | UNEXPECTED |", "|---|---|---|---|"]
    n = n_unexpected = 0
    for path in sorted(glob.glob(os.path.join(outdir, "*.compare.md"))):
        name = os.path.basename(path)[: -len(".compare.md")]
        rules, cannot, unexpected = read(path)
        known = ", ".join(f"{r} ({rules[r]})" if rules[r] > 1 else r
                          for r in sorted(rules, key=rule_key)) or "none"
        rows.append(f"| `{name}` | {known} | {cannot or ''} | {unexpected or ''} |")
        n += 1
        n_unexpected += unexpected
    return rows, n, n_unexpected


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--write"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    rows, n, n_unexpected = table(argv[1])
    if n == 0:
        print(f"compare_table: no .compare.md in {argv[1]}", file=sys.stderr)
        return 2
    head = (f"Read by `make check-compare-all` on Linux {platform.release()}: {n} scenarios, "
            f"{n_unexpected} UNEXPECTED rows. A rule's count is the rows it explains.")
    text = "\n".join([head, ""] + rows) + "\n"
    if len(argv) == 2:
        sys.stdout.write(text)
        return 0
    doc = argv[3]
    with open(doc) as f:
        s = f.read()
    if BEGIN not in s or END not in s:
        print(f"compare_table: {doc} has no {BEGIN} ... {END}", file=sys.stderr)
        return 2
    before, rest = s.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    with open(doc, "w") as f:
        f.write(f"{before}{BEGIN}\n{text}{END}{after}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
