#!/usr/bin/env python3
"""tests/check_counts.py TCPSIM OUTDIR - every format of `tcpsim run`, and the
sweep's CSV, print the same counts for every shipped scenario: segments sent
by the TCPs, forged, dropped, dropped by the receiving host, duplicated,
retransmissions, and the time of the last event. They all read the trace
(through the summary), so a difference means one of them reads something
else; it happened: run's closing line said 0 retransmissions for
simultaneous_open where --format summary said 2."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

TCPSIM = sys.argv[1] if len(sys.argv) > 1 else "build/tcpsim"
OUT = sys.argv[2] if len(sys.argv) > 2 else "build/counts-out"
KEYS = ("sent", "forged", "dropped", "by_host", "duplicated", "retransmissions")

CLOSING = re.compile(
    r"^(?P<name>\S+): \d+ events, (?P<sent>\d+) segments sent(?: and (?P<forged>\d+) forged)? "
    r"\((?P<dropped>\d+) dropped, (?P<duplicated>\d+) duplicated\), (?P<retransmissions>\d+) retransmissions"
    r"(?:, (?P<by_host>\d+) SYNs dropped by the listener \(backlog full\))?, last event at (?P<end>[0-9.]+) s")
SUMMARY = re.compile(
    r"^  segments  (?P<sent>\d+) sent \((?P<retransmissions>\d+) retransmissions\), (?P<dropped>\d+) dropped"
    r"(?: \((?P<by_host>\d+) by the receiving host\))?, (?P<duplicated>\d+) duplicated, (?P<forged>\d+) forged",
    re.M)


def run(*args):
    return subprocess.run([TCPSIM, *args], capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))


def numbers(m):
    return {k: int(m.group(k) or 0) for k in KEYS}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    fails = []
    scenarios = sorted(glob.glob("scenarios/*.yaml"))
    for path in scenarios:
        base = os.path.basename(path)[:-5]
        flags = ["-o", OUT, "--no-graphs", "--no-pcap", "--no-trace"]
        forms = {}
        text = run("run", path, *flags, "--format", "text").stdout.splitlines()
        m = CLOSING.match(text[-1]) if text else None
        if not m:
            fails.append("%s: no closing line in %r" % (path, text[-1:] or ""))
            continue
        forms["closing line"] = dict(numbers(m), end_us=round(float(m.group("end")) * 1e6))
        j = json.loads(run("run", path, *flags, "--format", "summary-json").stdout)
        forms["summary-json"] = {"sent": j["segments_sent"], "forged": j["segments_forged"],
                                 "dropped": j["segments_dropped"], "by_host": j["segments_dropped_by_host"],
                                 "duplicated": j["segments_duplicated"], "retransmissions": j["retransmissions"],
                                 "end_us": j["end_us"]}
        m = SUMMARY.search(run("run", path, *flags, "--format", "summary").stdout)
        if not m:
            fails.append("%s: no segments line in --format summary" % path)
            continue
        forms["summary"] = numbers(m)
        # The sweep: one run at the scenario's own seed (`name` changes nothing
        # counted; one shard of one draws no plot, which needs a completion).
        sweep_dir = os.path.join(OUT, "sweep")
        r = run("sweep", path, "--set", "name=counts", "--shard", "1/1", "-o", sweep_dir, "-q")
        rows = open(os.path.join(sweep_dir, base + ".sweep.csv")).read().splitlines() if r.returncode == 0 else []
        if len(rows) != 2:
            fails.append("%s: sweep: %s" % (path, r.stderr.strip() or rows))
            continue
        row = dict(zip(rows[0].split(","), rows[1].split(",")))
        forms["sweep CSV"] = {"sent": int(row["segments"]), "dropped": int(row["dropped"]),
                              "by_host": int(row["dropped_by_host"]),
                              "retransmissions": int(row["retransmissions"])}
        ref = forms["summary-json"]
        for form, got in forms.items():
            for k, v in got.items():
                if v != ref[k]:
                    fails.append("%s: %s says %s %s, summary-json %s" % (path, form, k, v, ref[k]))
    for f in fails:
        print("check_counts: FAIL: " + f)
    if fails:
        print("check_counts: %d failure(s)" % len(fails))
        return 1
    print("check_counts: run's closing line, --format summary, summary-json and the sweep CSV agree "
          "on every count for %d scenarios" % len(scenarios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
