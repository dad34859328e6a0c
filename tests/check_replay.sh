#!/bin/bash
# tests/check_replay.sh TCPSIM OUTDIR
#
# Replays eight shipped scenarios on the machine's own kernel (tcpsim replay)
# and checks, in each NAME.kernel.trace.jsonl, the kernel state sequence of
# each endpoint (RFC 9293 as Linux implements it; where Linux differs from the
# scenario's `expect`, Linux's behaviour is asserted and the reason given
# below) and the segments that make each scenario what it is:
#   normal_open_close   the textbook open and close
#   simultaneous_open   both kernels pass SYN_SENT and SYN_RECEIVED, the SYNs cross
#   simultaneous_close  both ends through FIN_WAIT_1, CLOSING and TIME_WAIT
#   half_close          the client reads the server's 3003 bytes in FIN_WAIT_2
#   connection_refused  RST,ACK from the server; client CLOSED SYN_SENT CLOSED
#   lost_syn            the first SYN dropped, the kernel's second one about 1 s later
#   lost_final_ack      the server's FIN retransmitted from LAST_ACK, answered from TIME_WAIT
#   abort               RST from the client, the server's connection CLOSED
# then that no tcpsim- namespace or tracing instance is left behind and that
# the kernel pcaps are clean (tools/check_pcap.sh). Skips, saying why, without
# root or /dev/net/tun.
#
# The tracepoint the replay reads sees every namespace, and all these
# scenarios use the same addresses and ports (docs/replay.md): a replay run by
# another process at the same time (another checkout's make check, tcpsim
# compare) would mix its state changes into ours. So each replay takes a lock
# that other copies of this script take too, waits until no other live tcpsim
# replay has namespaces, watches for one appearing while it runs, and is redone
# (up to 3 times) if one did.
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
scenarios="normal_open_close simultaneous_open simultaneous_close half_close
	connection_refused lost_syn lost_final_ack abort"
tracefs=/sys/kernel/tracing
[ -d "$tracefs/instances" ] || tracefs=/sys/kernel/debug/tracing

# The run ids (r<pid>-<n>) of the tcpsim- namespaces and tracing instances
# that exist now, one a line.
run_ids() {
	{
		ip netns list 2>/dev/null | sed -n 's/^tcpsim-\(r[0-9]*-[0-9]*\)-[ab].*/\1/p'
		ls "$tracefs/instances" 2>/dev/null | sed -n 's/^tcpsim-\(r[0-9]*-[0-9]*\)$/\1/p'
	} | sort -u
}
# The run ids of replays by live processes other than $1.
foreign() {
	local id pid
	for id in $(run_ids); do
		pid=${id#r}
		pid=${pid%%-*}
		[ "$pid" != "$1" ] && kill -0 "$pid" 2>/dev/null && echo "$id"
	done
}

mine=""
start=$(date +%s%N)
for s in $scenarios; do
	try=1
	while :; do
		# One replay at a time among copies of this script (two checkouts'
		# make check); then wait (up to 15 s) for any other replay to finish.
		exec 9>/tmp/tcpsim-check-replay.lock
		flock -w 60 9 || { echo "check_replay: cannot lock /tmp/tcpsim-check-replay.lock" >&2; exit 1; }
		for _ in $(seq 150); do
			[ -z "$(foreign none)" ] && break
			sleep 0.1
		done
		"$tcpsim" replay -q -o "$out" "scenarios/$s.yaml" &
		pid=$!
		mine="$mine $pid"
		overlap=""
		while kill -0 "$pid" 2>/dev/null; do
			[ -z "$overlap" ] && overlap=$(foreign "$pid")
			sleep 0.05
		done
		wait "$pid"
		rc=$?
		if [ $rc -eq 3 ]; then
			echo "check_replay: skipped: tcpsim replay says the machine cannot replay (exit 3)"
			exit 0
		fi
		if [ $rc -ne 0 ]; then
			echo "check_replay: tcpsim replay scenarios/$s.yaml exited $rc" >&2
			exit 1
		fi
		exec 9>&-
		[ -z "$overlap" ] && break
		if [ $try -ge 3 ]; then
			echo "check_replay: $s: another tcpsim replay ran at the same time in 3 tries" \
				"($(echo $overlap)); its state changes would mix with ours" >&2
			exit 1
		fi
		echo "check_replay: $s: another tcpsim replay ($(echo $overlap)) ran at the same time; replaying again"
		try=$((try + 1))
	done
done
end=$(date +%s%N)

python3 - "$out" <<'PY' || exit 1
import json, sys
out = sys.argv[1]
bad = 0

def fail(name, msg):
    global bad
    print(f"check_replay: {name}: {msg}", file=sys.stderr)
    bad += 1

def load(name):
    with open(f"{out}/{name}.kernel.trace.jsonl") as f:
        return [json.loads(line) for line in f]

def chain(evs, ep):
    """The endpoint's state events, checked to be chained from CLOSED."""
    seq, prev = [], "CLOSED"
    for e in evs:
        if e["type"] == "state" and e["endpoint"] == ep:
            if e["from"] != prev:
                raise SystemExit(f"check_replay: {ep}: {e['from']} after {prev}")
            seq.append(e)
            prev = e["to"]
    return seq

def states(evs, ep):
    return " ".join(["CLOSED"] + [e["to"] for e in chain(evs, ep)])

def when(evs, ep, to, nth=1):
    """t_us of the endpoint's nth change into state `to` (None if none)."""
    hits = [e["t_us"] for e in chain(evs, ep) if e["to"] == to]
    return hits[nth - 1] if len(hits) >= nth else None

def segs(evs, src=None, event=None, flags=None):
    return [e for e in evs if e["type"] == "segment"
            and (src is None or e["src"] == src)
            and (event is None or e["event"] == event)
            and (flags is None or e["flags"] in flags)]

# Expected kernel state sequences. Where they differ from the scenarios'
# `expect` (the simulator's RFC 9293 behaviour), Linux is right too:
#  - TIME_WAIT is the last state an active closer shows: Linux holds it for
#    60 s (TCP_TIMEWAIT_LEN, not the scenario's 2*MSL) and the replay stops
#    there (docs/replay.md), so TIME_WAIT -> CLOSED is never seen.
#  - a listening server's SYN_RECEIVED is a request socket (TCP_NEW_SYN_RECV),
#    which the tracepoint does not report: the replay sees it with sock_diag
#    and dates it at the arrival of the SYN that made it, as the simulator
#    does (the full socket comes only with the third ACK). Checked below for
#    every scenario with a listener.
OPEN_C = "CLOSED SYN_SENT ESTABLISHED"
OPEN_S = "CLOSED LISTEN SYN_RECEIVED ESTABLISHED"
ACTIVE = "FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT"
PASSIVE = "CLOSE_WAIT LAST_ACK CLOSED"
want = {
    "normal_open_close": {"client": f"{OPEN_C} {ACTIVE}", "server": f"{OPEN_S} {PASSIVE}"},
    # RFC 9293 Figure 7: each kernel gets the other's SYN in SYN_SENT, goes to
    # SYN_RECEIVED and sends SYN,ACK; the crossing SYN,ACKs make both ESTABLISHED.
    "simultaneous_open": {
        "client": f"CLOSED SYN_SENT SYN_RECEIVED ESTABLISHED {ACTIVE}",
        "server": f"CLOSED SYN_SENT SYN_RECEIVED ESTABLISHED {PASSIVE}",
    },
    "simultaneous_close": {
        "client": f"{OPEN_C} FIN_WAIT_1 CLOSING TIME_WAIT",
        "server": f"{OPEN_S} FIN_WAIT_1 CLOSING TIME_WAIT",
    },
    "half_close": {"client": f"{OPEN_C} {ACTIVE}", "server": f"{OPEN_S} {PASSIVE}"},
    # Nothing listens: the server's kernel has no socket, so no state at all.
    "connection_refused": {"client": "CLOSED SYN_SENT CLOSED", "server": "CLOSED"},
    "lost_syn": {"client": f"{OPEN_C} {ACTIVE}", "server": f"{OPEN_S} {PASSIVE}"},
    "lost_final_ack": {"client": f"{OPEN_C} {ACTIVE}", "server": f"{OPEN_S} {PASSIVE}"},
    "abort": {"client": f"{OPEN_C} CLOSED", "server": f"{OPEN_S} CLOSED"},
}
T = {}
for name, eps in want.items():
    evs = T[name] = load(name)
    if evs[0]["type"] != "scenario" or evs[-1]["type"] != "result" or not evs[-1]["ok"]:
        fail(name, "no scenario first or ok result last")
    for ep, w in eps.items():
        got = states(evs, ep)
        if got != w:
            fail(name, f"{ep} went {got}, expected {w}")
    # The request socket: a listener's SYN_RECEIVED is at the arrival of
    # the SYN that made it, before its SYN,ACK went out.
    if "LISTEN" in eps["server"]:
        sr = when(evs, "server", "SYN_RECEIVED")
        syns = [e["t_us"] for e in segs(evs, "client", "deliver", ["S"])]
        synack = segs(evs, "server", "send", ["S."])
        if sr is None or sr not in syns or not synack or not sr <= synack[0]["t_us"]:
            fail(name, f"server's SYN_RECEIVED at {sr} us is not the SYN's arrival "
                       f"(SYNs delivered {syns}, SYN,ACK sent {[e['t_us'] for e in synack][:1]})")

# simultaneous_open: the SYNs cross. Each end sent a bare SYN and then a
# SYN,ACK, and went to SYN_RECEIVED on the other's bare SYN, before any
# SYN,ACK reached it.
evs = T["simultaneous_open"]
for me, peer in (("client", "server"), ("server", "client")):
    sr = when(evs, me, "SYN_RECEIVED")
    syn_in = segs(evs, peer, "deliver", ["S"])
    synack_in = segs(evs, peer, "deliver", ["S."])
    if (len(segs(evs, me, "send", ["S"])) != 1 or len(segs(evs, me, "send", ["S."])) != 1
            or sr is None or not syn_in or not synack_in
            or not syn_in[0]["t_us"] <= sr < synack_in[0]["t_us"]):
        fail("simultaneous_open", f"{me}: the SYNs did not cross: SYN_RECEIVED at {sr}, "
             f"{peer}'s SYN delivered {[e['t_us'] for e in syn_in]}, "
             f"SYN,ACK delivered {[e['t_us'] for e in synack_in]}")

# half_close: the server's 3003 bytes are sent in CLOSE_WAIT and all read by
# the client in FIN_WAIT_2, after it closed its side; the server got its 18.
evs = T["half_close"]
cw, la = when(evs, "server", "CLOSE_WAIT"), when(evs, "server", "LAST_ACK")
fw2, tw = when(evs, "client", "FIN_WAIT_2"), when(evs, "client", "TIME_WAIT")
sdata = [e for e in segs(evs, "server", "send") if e["len"] > 0]
cdata = [e for e in evs if e["type"] == "data" and e["endpoint"] == "client"]
got = {ep: sum(e["bytes"] for e in evs if e["type"] == "data" and e["endpoint"] == ep)
       for ep in ("client", "server")}
if got != {"client": 3003, "server": 18}:
    fail("half_close", f"delivered {got}, expected client 3003, server 18")
if None in (cw, la, fw2, tw) or not sdata or not all(cw < e["t_us"] < la for e in sdata):
    fail("half_close", f"the server's data not all sent in CLOSE_WAIT ({cw}..{la} us)")
if None in (cw, la, fw2, tw) or not cdata or not all(fw2 < e["t_us"] < tw for e in cdata):
    fail("half_close", f"the client's data not all read in FIN_WAIT_2 ({fw2}..{tw} us)")

# connection_refused: RFC 9293 3.10.7.1, a SYN to a closed port gets
# <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>.
evs = T["connection_refused"]
syn, rst = segs(evs, "client", "send", ["S"]), segs(evs, "server", "send", ["R", "R."])
if (len(syn) != 1 or len(rst) != 1 or rst[0]["flags"] != "R."
        or rst[0]["ack"] != (syn[0]["seq"] + 1) % 2**32):
    fail("connection_refused", f"expected one RST,ACK acking the SYN, got "
         f"{[(e['flags'], e['seq'], e['ack']) for e in rst]}")

# lost_syn: the first SYN dropped, the kernel's retransmission 1 s later
# (Linux's initial RTO, TCP_TIMEOUT_INIT).
evs = T["lost_syn"]
syns = segs(evs, "client", "send", ["S"])
drops = segs(evs, None, "drop")
if len(syns) != 2 or len(drops) != 1 or drops[0]["flags"] != "S" \
        or not 0.9e6 <= syns[1]["t_us"] - syns[0]["t_us"] <= 1.3e6:
    fail("lost_syn", f"expected two SYNs about 1 s apart, the first dropped, got "
         f"{[s['t_us'] for s in syns]} ({len(drops)} dropped)")

# lost_final_ack: the client's ACK of the server's FIN is dropped; the server
# retransmits the FIN (same SEQ) from LAST_ACK, and the client, in TIME_WAIT,
# ACKs it again; that ACK closes the server. The retransmission comes after
# Linux's RTO (at least TCP_RTO_MIN, 200 ms; about 0.3 s on this 100 ms RTT),
# not after the scenario's rto_min of 1 s, which Linux cannot follow.
evs = T["lost_final_ack"]
fins = segs(evs, "server", "send", ["F."])
la, closed = when(evs, "server", "LAST_ACK"), when(evs, "server", "CLOSED")
tw = when(evs, "client", "TIME_WAIT")
drops = segs(evs, None, "drop")
ok = (len(fins) == 2 and fins[0]["seq"] == fins[1]["seq"] and None not in (la, closed, tw)
      and la < fins[0]["t_us"] and fins[1]["t_us"] - fins[0]["t_us"] >= 200000
      and fins[1]["t_us"] < closed
      and len(drops) == 1 and drops[0]["src"] == "client" and drops[0]["flags"] == "."
      and drops[0]["ack"] == (fins[0]["seq"] + 1) % 2**32 and tw < drops[0]["t_us"])
refin = segs(evs, "server", "deliver", ["F."])
reack = [e for e in segs(evs, "client", "send", ["."])
         if len(refin) == 2 and e["t_us"] >= refin[1]["t_us"]]
reack_in = [e for e in segs(evs, "client", "deliver", ["."]) if reack and e["t_us"] > reack[0]["t_us"]]
if not ok or len(refin) != 2 or not tw < refin[1]["t_us"] or len(reack) != 1 \
        or reack[0]["ack"] != (fins[0]["seq"] + 1) % 2**32 \
        or not reack_in or not reack_in[0]["t_us"] <= closed:
    fail("lost_final_ack", f"expected the FIN retransmitted from LAST_ACK and ACKed from "
         f"TIME_WAIT: FINs sent {[e['t_us'] for e in fins]}, LAST_ACK {la}, client TIME_WAIT "
         f"{tw}, dropped {[(e['src'], e['flags']) for e in drops]}, re-ACK "
         f"{[e['t_us'] for e in reack]}, server CLOSED {closed}")

# abort: the client sends RST (Linux sends RST,ACK: tcp_send_active_reset
# sets ACK; RFC 9293's <SEQ=SND.NXT><CTL=RST> is accepted too) and no FIN;
# the RST, once delivered, closes the server's connection.
evs = T["abort"]
rst = segs(evs, "client", "send", ["R", "R."])
rst_in = segs(evs, "client", "deliver", ["R", "R."])
cclosed = [e["t_us"] for e in chain(evs, "client") if e["from"] == "ESTABLISHED"]
sclosed = when(evs, "server", "CLOSED")
if (len(rst) != 1 or segs(evs, "client", "send", ["F."]) or not rst_in or not cclosed
        or sclosed is None or not rst_in[0]["t_us"] <= sclosed
        or segs(evs, "server", "send", ["R", "R.", "F."])):
    fail("abort", f"expected one RST from the client closing the server: client sent "
         f"{[e['flags'] for e in segs(evs, 'client', 'send')]}, server CLOSED at {sclosed}")
else:
    print(f"check_replay: abort: the client's kernel sent {rst[0]['flags']}")
sys.exit(1 if bad else 0)
PY

# Nothing left behind: no namespace or tracing instance of these replays, nor
# of any process that is gone (a live one's replay is still running).
left=""
for id in $(run_ids); do
	pid=${id#r}
	pid=${pid%%-*}
	case " $mine " in
	*" $pid "*) left="$left $id" ;;
	*) kill -0 "$pid" 2>/dev/null || left="$left $id" ;;
	esac
done
if [ -n "$left" ]; then
	echo "check_replay: tcpsim- namespaces or tracing instances left behind:$left" \
		"(tcpsim replay --cleanup removes them)" >&2
	exit 1
fi
for s in $scenarios; do
	for pic in states ladder; do
		if [ ! -s "$out/$s.kernel.$pic.svg" ]; then
			echo "check_replay: $s: no $s.kernel.$pic.svg" >&2
			exit 1
		fi
	done
	if [ ! -s "$out/$s.kernel.pcapng" ]; then
		echo "check_replay: $s: no $s.kernel.pcapng" >&2
		exit 1
	fi
done
# the commented captures too (tools/check_pcap.sh reads .pcapng): the lost
# SYN's first SYN is dropped by the link at the client, the second arrives
# and moves the server's kernel to SYN_RECV
case " $scenarios " in
*" lost_syn "*)
	c=$(tshark -r "$out/lost_syn.kernel.pcapng" -Y frame.comment -T fields -e frame.comment 2>/dev/null)
	if ! grep -qx 'dropped by the link' <<<"$c" || ! grep -q 'server: LISTEN -> SYN_RECEIVED' <<<"$c"; then
		echo "check_replay: lost_syn.kernel.pcapng does not say the SYN was lost and what the next one did:" >&2
		echo "$c" >&2
		exit 1
	fi
	;;
esac
tools/check_pcap.sh --kernel "$out" || exit 1

# Two replays of one scenario at once: the same addresses and ports in two
# pairs of namespaces, which the tracepoint both sees. Each must keep to its
# own sockets (a socket is a run's from its birth: docs/replay.md).
exec 9>/tmp/tcpsim-check-replay.lock
flock -w 60 9 || { echo "check_replay: cannot lock /tmp/tcpsim-check-replay.lock" >&2; exit 1; }
for t in 1 2; do
	"$tcpsim" replay -q -o "$out/twin$t" scenarios/simultaneous_close.yaml &
	twin[$t]=$!
done
for t in 1 2; do
	wait "${twin[$t]}" || { echo "check_replay: twin replay $t of simultaneous_close failed" >&2; exit 1; }
done
exec 9>&-
for t in 1 2; do
	got=$(python3 -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
for ep in ("client", "server"):
    print(ep, " ".join(["CLOSED"] + [e["to"] for e in evs if e["type"] == "state" and e["endpoint"] == ep]))
' "$out/twin$t/simultaneous_close.kernel.trace.jsonl")
	want="client CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT
server CLOSED LISTEN SYN_RECEIVED ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT"
	if [ "$got" != "$want" ]; then
		echo "check_replay: two replays of simultaneous_close at once: replay $t saw the other's sockets:" >&2
		echo "$got" >&2
		exit 1
	fi
done
n=$(echo $scenarios | wc -w)
echo "check_replay: $n scenarios replayed on Linux in $(( (end - start) / 1000000 )) ms, kernel states as expected"
