#!/usr/bin/env python3
"""Checks `tcpsim coverage` against the traces, counted independently.

  tools/check_coverage.py TCPSIM TRACEDIR SCENARIO...

Runs `TCPSIM coverage --format markdown SCENARIO...` and reads the rows it
prints (ID, from, to, scenarios). Then reads TRACEDIR/NAME.trace.jsonl of each
scenario (written by `tcpsim run`) and, without the simulator's help:
  - every state event's (from, to) pair must fit the row its `arc` names
    (its `from` among the row's from-states, its `to` the row's to-state);
  - every arc event's state must be among the row's from-states;
  - the rows each scenario traverses, counted from the traces, must be the
    rows coverage lists for it.
Exit 0 when all agree, 1 otherwise."""
import json
import os
import re
import subprocess
import sys

STATES = ["CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT",
          "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT"]
SYNCHRONIZED = ["ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2",
                "TIME_WAIT"]


def states_in(text):
    """The states a table cell names: "SYN_RECEIVED (passive)", "ESTABLISHED,
    CLOSE_WAIT", "synchronized states", "any state with a TCB"."""
    if "any state" in text:
        return set(STATES) - {"CLOSED"}
    found = set(re.findall(r"[A-Z][A-Z_0-9]+", text)) & set(STATES)
    if "synchronized" in text:
        found |= set(SYNCHRONIZED)
    return found


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    tcpsim, tracedir, scenarios = sys.argv[1], sys.argv[2], sys.argv[3:]
    out = subprocess.run([tcpsim, "coverage", "--format", "markdown", *scenarios],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        return 1
    rows = {}
    for line in out.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) != 7 or not re.match(r"^[TS]\d\d[a-z]?$", cells[0]):
            continue
        listed = set() if cells[6] == "**not covered**" else set(cells[6].split(", "))
        rows[cells[0]] = {"from": states_in(cells[1]), "to": cells[3], "listed": listed}
    problems = []
    seen = {rid: set() for rid in rows}
    pairs = set()
    n_state = n_arc = 0
    for sc in scenarios:
        name = os.path.basename(sc).rsplit(".", 1)[0]
        path = os.path.join(tracedir, name + ".trace.jsonl")
        with open(path) as f:
            for line in f:
                ev = json.loads(line)
                if ev["type"] == "state":
                    n_state += 1
                    pairs.add((ev["from"], ev["to"]))
                    row = rows.get(ev.get("arc"))
                    if row is None:
                        problems.append(f"{path}: state event without a known arc: {line.strip()}")
                        continue
                    to = ev["from"] if row["to"] == "(same)" else row["to"]
                    if ev["from"] not in row["from"] or ev["to"] != to:
                        problems.append(f"{path}: {ev['arc']} is {sorted(row['from'])} -> {row['to']},"
                                        f" the trace says {ev['from']} -> {ev['to']}")
                    seen[ev["arc"]].add(name)
                elif ev["type"] == "arc":
                    n_arc += 1
                    row = rows.get(ev["arc"])
                    if row is None or ev["state"] not in row["from"]:
                        problems.append(f"{path}: arc {ev['arc']} in {ev['state']} does not fit the table")
                        continue
                    seen[ev["arc"]].add(name)
    for rid, row in rows.items():
        if seen[rid] != row["listed"]:
            problems.append(f"{rid}: the traces show {sorted(seen[rid])}, coverage lists {sorted(row['listed'])}")
    for p in problems:
        print("check_coverage:", p, file=sys.stderr)
    covered = sum(1 for r in seen.values() if r)
    print(f"check_coverage: {len(scenarios)} traces, {n_state} state events in {len(pairs)} distinct"
          f" (from, to) pairs, {n_arc} arc events; {covered}/{len(rows)} rows traversed;"
          f" {'coverage agrees' if not problems else str(len(problems)) + ' disagreements'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
