#!/bin/bash
# tests/check_replay.sh TCPSIM OUTDIR
#
# Replays four shipped scenarios on the machine's own kernel (tcpsim replay)
# and checks the kernel state sequences in each NAME.kernel.trace.jsonl:
#   normal_open_close   client CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT,
#                       server CLOSED LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED
#   simultaneous_close  both ends through FIN_WAIT_1, CLOSING and TIME_WAIT
#   connection_refused  client CLOSED SYN_SENT CLOSED, server never leaves CLOSED
#   lost_syn            the first SYN dropped, the kernel's second one about 1 s later
# then that no tcpsim- namespace is left and the kernel pcaps are clean
# (tools/check_pcap.sh). Skips, saying why, without root or /dev/net/tun.
set -u -o pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 TCPSIM OUTDIR" >&2
	exit 2
fi
tcpsim=$1
out=$2
if [ "$(id -u)" != 0 ]; then
	echo "check_replay: skipped: not root"
	exit 0
fi
if [ ! -c /dev/net/tun ]; then
	echo "check_replay: skipped: no /dev/net/tun"
	exit 0
fi
rm -rf "$out" && mkdir -p "$out" || exit 1
scenarios="normal_open_close simultaneous_close connection_refused lost_syn"
start=$(date +%s%N)
for s in $scenarios; do
	"$tcpsim" replay -q -o "$out" "scenarios/$s.yaml"
	rc=$?
	if [ $rc -eq 3 ]; then
		echo "check_replay: skipped: tcpsim replay says the machine cannot replay (exit 3)"
		exit 0
	fi
	if [ $rc -ne 0 ]; then
		echo "check_replay: tcpsim replay scenarios/$s.yaml exited $rc" >&2
		exit 1
	fi
done
end=$(date +%s%N)

python3 - "$out" <<'PY' || exit 1
import json, sys
out = sys.argv[1]

def load(name):
    with open(f"{out}/{name}.kernel.trace.jsonl") as f:
        return [json.loads(line) for line in f]

def states(evs, ep):
    seq = ["CLOSED"]
    for e in evs:
        if e["type"] == "state" and e["endpoint"] == ep:
            if e["from"] != seq[-1]:
                raise SystemExit(f"{ep}: {e['from']} after {seq[-1]}")
            seq.append(e["to"])
    return seq

want = {
    "normal_open_close": {
        "client": "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT",
        "server": "CLOSED LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED",
    },
    "simultaneous_close": {
        "client": "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT",
        "server": "CLOSED LISTEN SYN_RECEIVED ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT",
    },
    "connection_refused": {
        "client": "CLOSED SYN_SENT CLOSED",
        "server": "CLOSED",
    },
    "lost_syn": {
        "client": "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT",
        "server": "CLOSED LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED",
    },
}
bad = 0
for name, eps in want.items():
    evs = load(name)
    if evs[0]["type"] != "scenario" or evs[-1]["type"] != "result" or not evs[-1]["ok"]:
        print(f"check_replay: {name}: no scenario first or ok result last", file=sys.stderr)
        bad += 1
    for ep, w in eps.items():
        got = " ".join(states(evs, ep))
        if got != w:
            print(f"check_replay: {name}: {ep} went {got}, expected {w}", file=sys.stderr)
            bad += 1
# lost_syn: the first SYN dropped, the kernel's retransmission 1 s later.
syns = [e for e in load("lost_syn") if e["type"] == "segment" and e["event"] == "send"
        and e["src"] == "client" and e["flags"] == "S"]
drops = [e for e in load("lost_syn") if e["type"] == "segment" and e["event"] == "drop"]
if len(syns) != 2 or not drops or not 0.9e6 <= syns[1]["t_us"] - syns[0]["t_us"] <= 1.3e6:
    print(f"check_replay: lost_syn: expected two SYNs about 1 s apart, got "
          f"{[s['t_us'] for s in syns]} ({len(drops)} dropped)", file=sys.stderr)
    bad += 1
sys.exit(1 if bad else 0)
PY

left=$(ip netns list 2>/dev/null | grep -c '^tcpsim-')
if [ "$left" -ne 0 ]; then
	echo "check_replay: $left tcpsim- namespaces left behind" >&2
	exit 1
fi
tools/check_pcap.sh "$out" || exit 1
echo "check_replay: 4 scenarios replayed on Linux in $(( (end - start) / 1000000 )) ms, kernel states as expected"
