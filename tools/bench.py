#!/usr/bin/env python3
"""The benchmark behind `make bench` (docs/performance.md).

The workload: connect, 100 bytes, the client closes, the server closes on EOF
(8 segments a connection), linux profile, every client ends in TIME_WAIT.

1. The simulator: tools/bench_workload.yaml.in with @COUNT@ = N, for N = 10^3,
   10^4, ... up to --max (BENCH_MAX), with and without the pcap, each run
   pinned to one core (taskset -c CORE), --reps (BENCH_REPS, default 5) runs
   each: the median wall time (with min and max) and the median peak RSS.
   A 1-connection run, measured the same way, is the baseline: the cost per
   connection is given as t(N)/N and as (t(N) - t(1))/N, the memory per
   connection as (RSS(N) - RSS(1))/N.
2. The same exchange through this machine's kernel over loopback
   (build/kernel_bench, in a network namespace of its own when allowed), for
   --kernel-n connections, pinned to the same core and unpinned; run first,
   before the simulator's pcaps keep the disk busy. `--max 1` runs only the
   simulator's 1-connection baseline, for the kernel's figures alone. The
   ratios use this, the fastest way to drive the kernel (one thread, epoll,
   connections in flight); for information the kernel is also driven by a
   client process and a server process, one connection at a time
   (--kernel-two-n connections, kernel_bench --two-processes).

Wall time: time.perf_counter() around the child (fork, exec and exit
included; the 1-connection baseline holds the same). Peak RSS: GNU time's %M,
which is ru_maxrss from wait4() on the simulator's own process. (Python's
os.wait4 on a direct child is not usable: subprocess starts children with
vfork, and Linux carries the parent's high-water RSS into ru_maxrss across
exec, so every child would report at least this interpreter's size.)

Prints the table and writes it to OUT/results.md (OUT/results.json holds every
run). Exit status 1 when a run failed (exit status not 0), else 0: timings
never fail the benchmark. Standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

NS3_BEST_US = 145.0          # ns-3 3.37, 2 s TIME_WAIT: 145-166 us per connection (the issue)
SEGMENTS_PER_CONN = 8        # SYN, SYN-ACK, ACK, data, ACK, FIN, FIN, ACK
SHORT_RUN_S = 0.1            # a configuration whose first run is shorter ...
SHORT_RUN_FACTOR = 4         # ... gets this many times --reps runs
KERNEL_PAUSE_S = 2.0         # between kernel runs (see below)
QUIET_WAIT_S = 30.0          # after the kernel runs, at most this long for the machine to go idle
QUIET_BUSY = 0.05            # "idle": under 5% of the CPU time busy over half a second
FLAT_LIMIT = 0.20            # "stays within 20%" from 10^3 to the largest N


def env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v.strip() else default


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = "%.1f GiB" % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def cpu_busy(interval):
    """The share of the machine's CPU time not idle over the next `interval` seconds."""
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + (v[4] if len(v) > 4 else 0), sum(v)
    i0, t0 = read()
    time.sleep(interval)
    i1, t1 = read()
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


def wait_quiet(limit_s=QUIET_WAIT_S, busy_max=QUIET_BUSY):
    """Waits until the CPUs are idle (busy under busy_max over half a second), at most limit_s;
    returns the seconds waited, or None when the machine never went quiet."""
    start = time.time()
    while time.time() - start < limit_s:
        if cpu_busy(0.5) < busy_max:
            return time.time() - start
    return None


def git_rev():
    try:
        r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        if r.returncode == 0:
            dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True).stdout.strip()
            return r.stdout.strip() + ("+changes" if dirty else "")
    except OSError:
        pass
    return "unknown"


class Runner:
    def __init__(self, args):
        self.args = args
        self.taskset = shutil.which("taskset")
        self.gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
        self.notes = []
        if not self.taskset:
            self.notes.append("taskset (util-linux) not found: the simulator ran unpinned")
        if not self.gnu_time:
            self.notes.append("/usr/bin/time (Debian package time) not found: no peak RSS")

    def pin(self, core):
        if core is None or not self.taskset:
            return []
        return [self.taskset, "-c", str(core)]

    def timed(self, cmd, core, measure_rss=True):
        """Runs cmd (pinned to core unless None); returns a dict: rc, seconds, rss_kb, stdout, stderr."""
        rss_file = os.path.join(self.args.out, ".rss")
        wrap = []
        if measure_rss and self.gnu_time:
            if os.path.exists(rss_file):
                os.unlink(rss_file)
            wrap = [self.gnu_time, "-q", "-f", "%M", "-o", rss_file]
        full = self.pin(core) + wrap + cmd
        t0 = time.perf_counter()
        p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        secs = time.perf_counter() - t0
        rss = None
        if wrap:
            try:
                with open(rss_file) as f:
                    rss = int(f.read().split()[-1])
            except (OSError, ValueError, IndexError):
                rss = None
        return {"rc": p.returncode, "seconds": secs, "rss_kb": rss,
                "stdout": p.stdout, "stderr": p.stderr, "cmd": full}


def last_json(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return None


def status(rc, via_gnu_time):
    """The exit status in words: negative (subprocess) or 128+N (GNU time) is a signal."""
    if rc < 0:
        return "killed by signal %d" % -rc
    if via_gnu_time and rc > 128:
        return "killed by signal %d (status %d)" % (rc - 128, rc)
    return "exit status %d" % rc


def first_line(text, limit=160):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


def fmt_int(v):
    return "%d" % v if v is not None else "-"


def fmt(spec, v):
    return spec % v if v is not None else "-"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tcpsim", default="build/tcpsim")
    ap.add_argument("--kernel-bench", default="build/kernel_bench")
    ap.add_argument("--template", default=os.path.join(here, "bench_workload.yaml.in"))
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--max", type=int, default=env_int("BENCH_MAX", 1000000),
                    help="largest N (env BENCH_MAX; default 10^6)")
    ap.add_argument("--reps", type=int, default=env_int("BENCH_REPS", 5),
                    help="runs per configuration (env BENCH_REPS; default 5)")
    ap.add_argument("--core", type=int, default=0, help="the core runs are pinned to (default 0)")
    ap.add_argument("--kernel-n", default=os.environ.get("BENCH_KERNEL_N", "20000,100000"),
                    help="connections for the kernel bench, comma-separated ('' skips it)")
    ap.add_argument("--kernel-inflight", type=int, default=32)
    ap.add_argument("--kernel-two-n", default=os.environ.get("BENCH_KERNEL_TWO_N", "20000"),
                    help="connections for the kernel bench driven by two processes, one connection "
                         "at a time (kernel_bench --two-processes), comma-separated ('' skips it)")
    args = ap.parse_args()
    if args.reps < 1 or args.max < 1:
        ap.error("--reps and --max must be at least 1")

    os.makedirs(args.out, exist_ok=True)
    simout = os.path.join(args.out, "out")
    os.makedirs(simout, exist_ok=True)
    with open(args.template) as f:
        template = f.read()
    r = Runner(args)
    mach = machine()
    failures = []

    def scenario(n):
        path = os.path.join(args.out, "bench_%d.yaml" % n)
        with open(path, "w") as f:
            f.write(template.replace("@COUNT@", str(n)))
        return path

    version = subprocess.run([args.tcpsim, "--version"], capture_output=True, text=True).stdout.strip()

    # The kernel over loopback, first (before the simulator's pcaps keep the disk busy), in a
    # network namespace of its own per run when allowed; pinned to the simulator's core and
    # unpinned, the two alternating run by run so that a slow phase of the machine hits both.
    kernel = []
    kn_list = [int(x) for x in args.kernel_n.split(",") if x.strip()]
    use_netns = True
    if kn_list and os.access(args.kernel_bench, os.X_OK):
        probe = r.timed([args.kernel_bench, "100", "--netns"], None, measure_rss=False)
        if probe["rc"] == 3:
            use_netns = False
            r.notes.append("kernel_bench --netns refused (%s): ran in this machine's network "
                           "namespace, where earlier runs' TIME_WAIT sockets (60 s) remain"
                           % first_line(probe["stderr"]))
    elif kn_list:
        failures.append("%s not found (make build/kernel_bench)" % args.kernel_bench)
        kn_list = []
    two_list = [int(x) for x in args.kernel_two_n.split(",") if x.strip()] if kn_list else []
    for kn, two in [(kn, False) for kn in kn_list] + [(kn, True) for kn in two_list]:
        rows = [{"n": kn, "pinned": pinned, "two": two, "runs": [], "failed": None} for pinned in (True, False)]
        label = "two processes" if two else "epoll"
        for rep in range(args.reps):
            for row in rows:
                if row["failed"]:
                    continue
                pinned = row["pinned"]
                cmd = [args.kernel_bench, str(kn)]
                cmd += ["--two-processes"] if two else ["--inflight", str(args.kernel_inflight)]
                if use_netns:
                    cmd.append("--netns")
                # The previous run's namespace is torn down (its TIME_WAIT sockets freed) by a
                # kernel worker after it exits: let that finish before the next run starts.
                time.sleep(KERNEL_PAUSE_S)
                res = r.timed(cmd, args.core if pinned else None, measure_rss=False)
                j = last_json(res["stdout"])
                if res["rc"] != 0 or not j:
                    row["failed"] = "%s: %s" % (status(res["rc"], False), first_line(res["stderr"]))
                    failures.append("kernel_bench %d %s %s: %s" % (kn, label, "pinned" if pinned else "unpinned",
                                                                   row["failed"]))
                    print("FAILED: " + failures[-1], file=sys.stderr)
                    continue
                row["runs"].append(j)
                print("  kernel N=%-7d %-13s %-8s run %d/%d: %.2f us/conn, TIME_WAIT %d" %
                      (kn, label, "pinned" if pinned else "unpinned", rep + 1, args.reps,
                       j["us_per_conn"], j["time_wait_after"]), file=sys.stderr)
        for row in rows:
            us = [x["us_per_conn"] for x in row["runs"]]
            row["us_med"] = statistics.median(us) if us else None
            row["us_min"] = min(us) if us else None
            row["us_max"] = max(us) if us else None
            row["spread"] = (row["us_max"] - row["us_min"]) / row["us_med"] if us else None
            row["segments"] = row["runs"][0]["segments"] if row["runs"] else None
            row["time_wait"] = min(x["time_wait_after"] for x in row["runs"]) if row["runs"] else None
            kernel.append(row)

    # Does `run` print its totals as JSON (--format summary-json)? Asked once, on N = 1.
    probe = r.timed([args.tcpsim, "run", scenario(1), "-o", simout, "--no-trace", "--no-graphs",
                     "--no-pcap", "--format", "summary-json"], None, measure_rss=False)
    summary_json = probe["rc"] != 2
    # The timed runs print nothing (-q); the totals come from one more run per N, untimed.
    if probe["rc"] not in (0, 1, 2):
        r.notes.append("the 1-connection probe (`run --format summary-json`) ended with %s"
                       % status(probe["rc"], False))
    out_flags = ["-q"]
    if not summary_json:
        # A tcpsim older than `--format summary-json` (`--tcpsim` may name any build): the
        # segments are assumed, not read from the summary ("segments_sent").
        r.notes.append("`run --format summary-json` not available: segments counted as %d per "
                       "connection, not read from the run" % SEGMENTS_PER_CONN)

    # The kernel tears down the last namespace (100000 TIME_WAIT sockets) in a worker after
    # kernel_bench exits, for seconds: timed runs of the simulator during it were up to a third
    # slower (the 1-connection baseline most of all). Wait for the machine to be idle.
    if kernel:
        waited = wait_quiet()
        if waited is None:
            r.notes.append("the machine was still busy %.0f s after the kernel runs: the "
                           "simulator's figures may be high" % QUIET_WAIT_S)
        else:
            print("  (waited %.1f s for the machine to go idle after the kernel runs)" % waited,
                  file=sys.stderr)

    # One untimed run of each kind first: the binary and its libraries in the page cache.
    for flags in ([], ["--no-pcap"]):
        r.timed([args.tcpsim, "run", scenario(1), "-o", simout, "--no-trace", "--no-graphs", "-q"]
                + flags, args.core, measure_rss=False)

    sizes = [1] + [10 ** k for k in range(3, 7) if 10 ** k <= args.max]
    results = []   # one dict per (n, pcap)
    for n in sizes:
        path = scenario(n)
        counts = {}
        if summary_json:
            res = r.timed([args.tcpsim, "run", path, "-o", simout, "--no-trace", "--no-graphs",
                           "--no-pcap", "--format", "summary-json"], None, measure_rss=False)
            summ = last_json(res["stdout"])
            if res["rc"] != 0:
                failures.append("tcpsim N=%d --format summary-json: %s: %s" % (
                    n, status(res["rc"], False), first_line(res["stderr"]) or first_line(res["stdout"])))
                print("FAILED: " + failures[-1], file=sys.stderr)
            elif summ:
                counts = {k: summ.get(k) for k in ("segments_sent", "connections", "retransmissions")}
        for pcap in (True, False):
            cmd = [args.tcpsim, "run", path, "-o", simout, "--no-trace", "--no-graphs"] + out_flags
            if not pcap:
                cmd.append("--no-pcap")
            row = {"n": n, "pcap": pcap, "runs": [], "failed": None, "counts": counts}
            reps, rep = args.reps, 0
            while rep < reps:
                rep += 1
                pcap_file = os.path.join(simout, "bench_%d.pcap" % n)
                if os.path.exists(pcap_file):
                    os.unlink(pcap_file)
                os.sync()   # no write-back of an earlier run's files during this one
                res = r.timed(cmd, args.core)
                run = {"seconds": res["seconds"], "rss_kb": res["rss_kb"], "rc": res["rc"]}
                row["runs"].append(run)
                if res["rc"] != 0:
                    msg = first_line(res["stderr"]) or first_line(res["stdout"])
                    row["failed"] = "%s: %s" % (status(res["rc"], bool(r.gnu_time)), msg)
                    failures.append("tcpsim N=%d pcap %s: %s" % (n, "on" if pcap else "off", row["failed"]))
                    print("FAILED: %s\n  command: %s" % (failures[-1], " ".join(res["cmd"])),
                          file=sys.stderr)
                    break
                if rep == 1 and res["seconds"] < SHORT_RUN_S:
                    # Start-up (a few ms) and its noise dominate: more runs for a steadier median.
                    reps = args.reps * SHORT_RUN_FACTOR
                print("  tcpsim N=%-7d pcap %-3s run %d/%d: %.3f s, %s KB" %
                      (n, "on" if pcap else "off", rep, reps, res["seconds"],
                       fmt_int(res["rss_kb"])), file=sys.stderr)
            pcap_file = os.path.join(simout, "bench_%d.pcap" % n)
            if os.path.exists(pcap_file):
                os.unlink(pcap_file)   # 10^6 connections make a pcap of about half a gigabyte
            results.append(row)

    # Per row: medians; per connection against the 1-connection baseline of the same pcap setting.
    base = {}
    for row in results:
        secs = [x["seconds"] for x in row["runs"]]
        rss = [x["rss_kb"] for x in row["runs"] if x["rss_kb"] is not None]
        row["t_med"] = statistics.median(secs) if secs else None
        row["t_min"] = min(secs) if secs else None
        row["t_max"] = max(secs) if secs else None
        row["rss_kb"] = statistics.median(rss) if rss else None
        segs = row["counts"].get("segments_sent")
        row["segments"] = segs if segs is not None else SEGMENTS_PER_CONN * row["n"]
        row["segments_measured"] = segs is not None
        if row["n"] == 1:
            base[row["pcap"]] = row
    if summary_json and any(not row["segments_measured"] for row in results if row["failed"] is None):
        r.notes.append("some runs' totals (`--format summary-json`) had no `segments_sent`: their "
                       "segments are counted as %d per connection" % SEGMENTS_PER_CONN)
    for row in results:
        c = row["counts"]
        if c.get("connections") not in (None, row["n"]) or c.get("retransmissions") not in (None, 0):
            r.notes.append("N=%d: the run's totals say %s connections, %s retransmissions"
                           % (row["n"], c.get("connections"), c.get("retransmissions")))
    for row in results:
        b = base.get(row["pcap"])
        ok = row["failed"] is None and row["t_med"] is not None
        n = row["n"]
        row["us_per_conn"] = row["t_med"] * 1e6 / n if ok else None
        row["conns_per_s"] = n / row["t_med"] if ok else None
        row["segs_per_s"] = row["segments"] / row["t_med"] if ok else None
        bok = b is not None and b["failed"] is None and b["t_med"] is not None
        row["us_marginal"] = ((row["t_med"] - b["t_med"]) * 1e6 / n
                              if ok and bok and n > 1 else None)
        row["bytes_per_conn"] = ((row["rss_kb"] - b["rss_kb"]) * 1024 / n
                                 if ok and bok and n > 1 and row["rss_kb"] is not None
                                 and b["rss_kb"] is not None else None)

    # ---- the report ---------------------------------------------------------------------------
    L = []
    L.append("# tcpsim benchmark")
    L.append("")
    L.append("Machine: %s, %s cores, %s RAM; Linux %s; %s. `%s` (commit %s)." %
             (mach["cpu"], mach["cores"], mach["memory"], mach["kernel"], mach["date"],
              version or "?", git_rev()))
    L.append("")
    L.append("Workload: connect, 100 bytes, the client closes, the server closes on EOF "
             "(%d segments a connection), linux profile, every client ends in TIME_WAIT. "
             "The simulator pinned to core %d (`taskset`), `run --no-trace --no-graphs -q`, "
             "with and without `--no-pcap`; %d runs each (%d when a run takes under %.1f s): median wall "
             "time (min-max), median peak RSS "
             "(GNU time %%M). Per connection: t(N)/N, and (t(N) - t(1))/N with the 1-connection "
             "run as baseline; bytes per connection = (RSS(N) - RSS(1))/N."
             % (SEGMENTS_PER_CONN, args.core, args.reps, args.reps * SHORT_RUN_FACTOR, SHORT_RUN_S))
    L.append("")
    L.append("| N | pcap | seconds (min-max) | connections/s | segments/s | µs/conn t(N)/N | "
             "µs/conn (t(N)-t(1))/N | peak RSS MB | bytes/conn |")
    L.append("|---:|:---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in results:
        if row["failed"]:
            L.append("| %d | %s | FAILED: %s | | | | | | |" %
                     (row["n"], "on" if row["pcap"] else "off", row["failed"].replace("|", "/")))
            continue
        L.append("| %s | %s | %.3f (%.3f-%.3f) | %s | %s | %.2f | %s | %s | %s |" % (
            "1 (baseline)" if row["n"] == 1 else row["n"], "on" if row["pcap"] else "off", row["t_med"], row["t_min"], row["t_max"],
            fmt("%.0f", row["conns_per_s"]), fmt("%.0f", row["segs_per_s"]), row["us_per_conn"],
            fmt("%.2f", row["us_marginal"]),
            fmt("%.1f", row["rss_kb"] / 1024 if row["rss_kb"] is not None else None),
            fmt("%.0f", row["bytes_per_conn"])))
    L.append("")

    if kernel:
        L.append("The real kernel over loopback (tools/kernel_bench.c; clients on 127.0.0.2..., %s; "
                 "driven two ways: `epoll`, one thread with %d connections in flight; `two processes`, "
                 "a client process and a server process, blocking sockets, one connection at a time "
                 "(--two-processes). µs per connection, median of %d (min-max, spread = "
                 "(max-min)/median)):" % ("a network namespace of its own per run" if use_netns
                                          else "this machine's network namespace",
                                          args.kernel_inflight, args.reps))
        L.append("")
        L.append("| N | driven by | core | µs/conn (min-max) | spread | connections/s | segments/conn | TIME_WAIT at end |")
        L.append("|---:|:---|:---|---:|---:|---:|---:|---:|")
        for k in kernel:
            where = "pinned to %d" % args.core if k["pinned"] else "unpinned"
            how = "two processes" if k["two"] else "epoll"
            if k["failed"]:
                L.append("| %d | %s | %s | FAILED: %s | | | | |" % (k["n"], how, where,
                                                                  k["failed"].replace("|", "/")))
                continue
            segs = ("%.2f" % (k["segments"] / k["n"])) if k["segments"] and k["segments"] > 0 else "-"
            L.append("| %d | %s | %s | %.2f (%.2f-%.2f) | %.1f%% | %.0f | %s | %s |" % (
                k["n"], how, where, k["us_med"], k["us_min"], k["us_max"], 100 * k["spread"],
                1e6 / k["us_med"], segs, fmt_int(k["time_wait"])))
        L.append("")

    # Ratios and the verdict.
    good = [row for row in results if row["n"] > 1 and row["us_per_conn"] is not None]
    kref = [k for k in kernel if k["pinned"] and not k["two"] and k["us_med"] is not None]
    kref = max(kref, key=lambda k: k["n"]) if kref else None
    # The kernel driven by two processes: for information, beside the ratio to the fastest way.
    ktwo = [k for k in kernel if k["two"] and k["us_med"] is not None]
    if good:
        L.append("Ratios, per connection (the simulator's largest N that ran%s):" %
                 ("; the kernel driven by epoll, pinned, at %d connections" % kref["n"] if kref else ""))
        L.append("")
        for pcap in (False, True):
            rows = [row for row in good if row["pcap"] == pcap]
            if not rows:
                continue
            big = max(rows, key=lambda row: row["n"])
            if big["us_marginal"] is not None and big["us_marginal"] > 0:
                us, how = big["us_marginal"], "(t(N)-t(1))/N"
            else:
                us, how = big["us_per_conn"], "t(N)/N"
            line = "- pcap %s, N=%d, %.2f µs/conn %s: " % ("on" if pcap else "off", big["n"], us, how)
            if kref:
                line += "kernel/sim = %.2f (kernel %.2f µs/conn); " % (kref["us_med"] / us, kref["us_med"])
            line += "ns-3/sim = %.1f (ns-3's best, %.0f µs/conn, over the simulator's)" % (NS3_BEST_US / us,
                                                                                          NS3_BEST_US)
            L.append(line)
            for k in ktwo:
                L.append("  (the kernel driven by two processes, %s, N=%d: %.2f µs/conn, kernel/sim = %.2f)"
                         % ("pinned" if k["pinned"] else "unpinned", k["n"], k["us_med"], k["us_med"] / us))
        L.append("")
        L.append("Flatness: the cost per connection (t(N) - t(1))/N, which leaves out the start-up "
                 "that dominates at 10^3, should stay within %d%% from 10^3 to the largest N:"
                 % (FLAT_LIMIT * 100))
        L.append("")
        for pcap in (False, True):
            rows = [row for row in good if row["pcap"] == pcap and row["us_marginal"] is not None]
            name = "pcap %s" % ("on" if pcap else "off")
            if len(rows) < 2:
                L.append("- %s: fewer than two sizes ran; no verdict" % name)
                continue
            vals = [row["us_marginal"] for row in rows]
            listing = "%s µs/conn for N = %s" % (", ".join("%.2f" % v for v in vals),
                                                 ", ".join(str(row["n"]) for row in rows))
            lo, hi = min(vals), max(vals)
            if lo <= 0:
                L.append("- %s: %s: no verdict, t(N) - t(1) is within the start-up's noise "
                         "(run it on a quiet machine)" % (name, listing))
            else:
                flat = hi <= lo * (1 + FLAT_LIMIT)
                L.append("- %s: %s: max/min = %.2f: %s" % (
                    name, listing, hi / lo, "flat (within %d%%)" % (FLAT_LIMIT * 100) if flat
                    else "NOT flat (more than %d%%)" % (FLAT_LIMIT * 100)))
            big = [row["us_per_conn"] for row in rows if row["n"] >= 10000]
            if len(big) >= 2:
                L.append("  (for information, t(N)/N from 10^4 on: max/min = %.2f)" % (max(big) / min(big)))
            # What each further connection costs, from one size to the next: free of the
            # fixed costs that t(1) does not hold (a small run touches its memory in 4 KB
            # pages, a big one in 2 MB pages; buffers filled once), the measure of growth.
            inc = [(b["t_med"] - a["t_med"]) * 1e6 / (b["n"] - a["n"])
                   for a, b in zip(rows, rows[1:]) if b["n"] > a["n"]]
            if len(inc) >= 2 and min(inc) > 0:
                L.append("  each further connection, (t(N) - t(N/10)) / (N - N/10), N = %s: %s µs: "
                         "max/min = %.2f: %s" % (
                             ", ".join(str(row["n"]) for row in rows[1:]),
                             ", ".join("%.2f" % v for v in inc), max(inc) / min(inc),
                             "flat (within %d%%)" % (FLAT_LIMIT * 100)
                             if max(inc) <= min(inc) * (1 + FLAT_LIMIT)
                             else "NOT flat (more than %d%%)" % (FLAT_LIMIT * 100)))
        L.append("")
    if failures:
        L.append("Failed runs (%d):" % len(failures))
        L.append("")
        for f_ in failures:
            L.append("- " + f_.replace("\n", " "))
        L.append("")
    for note in dict.fromkeys(r.notes):
        L.append("Note: " + note)
    text = "\n".join(L).rstrip() + "\n"
    print(text)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"machine": mach, "tcpsim": version, "commit": git_rev(), "reps": args.reps,
                   "core": args.core, "simulator": results, "kernel": kernel,
                   "failures": failures, "notes": r.notes}, f, indent=1)
    if os.path.exists(os.path.join(args.out, ".rss")):
        os.unlink(os.path.join(args.out, ".rss"))
    print("written to %s" % os.path.join(args.out, "results.md"), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
