#!/bin/sh
# tests/check_signals.sh TCPSIM OUTDIR - a run or a sweep stopped by a signal
# (SIGTERM here; Ctrl-C's SIGINT takes the same path) dies of it and leaves
# no file behind: neither an output nor its hidden temporary.
set -u
TCPSIM=${1:-build/tcpsim}
OUT=${2:-build/signals-out}
fails=0

fail() {
	echo "check_signals: FAIL: $*"
	fails=$((fails + 1))
}

# Whether a temporary of final name $2 (".$2.PID-XXXXXX.tmp") is in dir $1.
has_tmp() {
	ls -A "$1" | grep -q "^\.$2\.[0-9]*-[A-Za-z0-9]\{6\}\.tmp\$"
}

# Starts "$@" in the background, waits until the hidden temporary of $1 (a
# final name) exists in $2 (at most 10 s), sends SIGTERM, and checks the exit
# status and the directory. SIGTERM is set to its default for "$@": started
# with it ignored (as nohup or a parent may leave it; a shell cannot undo an
# ignore it inherited), tcpsim rightly leaves it ignored, and the check would
# fail for that.
stop_while_writing() {
	tmp=$1
	dir=$2
	shift 2
	env --default-signal=TERM "$@" &
	pid=$!
	i=0
	while ! has_tmp "$dir" "$tmp" && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	has_tmp "$dir" "$tmp" || fail "the temporary of $dir/$tmp never appeared: $*"
	kill -TERM $pid
	wait $pid 2>/dev/null
	rc=$?
	[ $rc -eq 143 ] || fail "exit status $rc after SIGTERM, not 143 (killed by it): $*"
	left=$(ls -A "$dir")
	[ -z "$left" ] || fail "left behind in $dir: $left ($*)"
}

rm -rf "$OUT"
mkdir -p "$OUT/run" "$OUT/sweep"
# A million connections: a second or two, long enough to be stopped.
sed 's/@COUNT@/1000000/' tools/bench_workload.yaml.in > "$OUT/big.yaml"
stop_while_writing big.pcap "$OUT/run" "$TCPSIM" run "$OUT/big.yaml" -o "$OUT/run" --no-graphs -q
stop_while_writing sweep_loss.sweep.csv "$OUT/sweep" \
	"$TCPSIM" sweep scenarios/sweep_loss.yaml --set link.loss=0.1 --seeds 1..2000000 --jobs 1 -o "$OUT/sweep" -q

# ---- replay: a signal at any time, from the start ---------------------------
# SIGINT, SIGTERM and SIGHUP at times from 0 to 60 ms after the start (the
# hosts and the tracing instance are made in the first 30 ms or so) and
# later, with the signals at their default when started: after each, no
# namespace, no tracing instance and no temporary of that run. Then a run
# killed outright (SIGKILL: no handler) and `replay --cleanup -o DIR`, which
# removes what it left. Needs root and /dev/net/tun; run alone (concurrent
# replays see each other's kernel events).
replay_summary=
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	replay_summary="; replay part skipped (needs root and /dev/net/tun)"
else
	instances=/sys/kernel/tracing/instances
	[ -d $instances ] || instances=/sys/kernel/debug/tracing/instances
	dir=$OUT/replay
	mkdir -p "$dir"
	# What run $1 left: its namespaces, its tracing instances, temporaries.
	left_by() {
		{ ls /run/netns 2>/dev/null; ls $instances 2>/dev/null; } | grep "^tcpsim-r$1-"
		ls -A "$dir" | grep "\.$1-[A-Za-z0-9]\{6\}\.tmp\$"
	}
	tries=0
	for sig in INT TERM HUP; do
		case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
		for delay in 0 0.005 0.01 0.015 0.02 0.025 0.03 0.035 0.04 0.05 0.06 0.3; do
			env --default-signal=INT,TERM,HUP,PIPE "$TCPSIM" replay scenarios/normal_open_close.yaml \
				-o "$dir" -q > /dev/null 2>&1 &
			pid=$!
			# From when tcpsim runs: until env has exec'd it, the
			# signal could find env's inherited dispositions.
			comm=
			while [ "$comm" != tcpsim ] && kill -0 $pid 2>/dev/null; do
				read -r comm < /proc/$pid/comm 2>/dev/null
			done
			sleep $delay
			kill -$sig $pid
			wait $pid 2>/dev/null
			rc=$?
			[ $rc -eq $want ] || fail "replay stopped by SIG$sig after ${delay}s: exit $rc, not $want"
			left=$(left_by $pid)
			[ -z "$left" ] || fail "replay stopped by SIG$sig after ${delay}s left: $left"
			tries=$((tries + 1))
		done
	done
	# Killed outright while the tracing instance and the namespaces exist.
	"$TCPSIM" replay scenarios/normal_open_close.yaml -o "$dir" -q > /dev/null 2>&1 &
	pid=$!
	i=0
	while [ -z "$(left_by $pid)" ] && [ $i -lt 100 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	sleep 0.1
	kill -KILL $pid
	wait $pid 2>/dev/null
	[ -n "$(left_by $pid)" ] || fail "a replay killed by SIGKILL left nothing: the --cleanup check below proves nothing"
	echo keep > "$dir/.other.pcap.tmp"      # not of the tool's form: stays
	"$TCPSIM" replay --cleanup -o "$dir" > "$OUT/cleanup.txt" 2>&1 || fail "replay --cleanup -o DIR: $(cat "$OUT/cleanup.txt")"
	left=$(left_by $pid)
	[ -z "$left" ] || fail "replay --cleanup -o DIR left what a killed run made: $left"
	[ -e "$dir/.other.pcap.tmp" ] || fail "replay --cleanup -o DIR removed a file not of its form"
	rm -f "$dir/.other.pcap.tmp"
	# As root, a link planted under a temporary's old name is not written
	# through either (here rather than in check-outputs: one replay at a time).
	echo ORIGINAL > "$OUT/victim"
	rm -f "$dir/.normal_open_close.kernel.pcap.tmp" "$dir/.normal_open_close.kernel.trace.jsonl.tmp"
	ln -s ../victim "$dir/.normal_open_close.kernel.pcap.tmp"
	ln -s ../victim "$dir/.normal_open_close.kernel.trace.jsonl.tmp"
	"$TCPSIM" replay scenarios/normal_open_close.yaml -o "$dir" -q > /dev/null 2>&1 || fail "replay with links planted in -o DIR failed"
	[ "$(cat "$OUT/victim")" = ORIGINAL ] || fail "replay wrote through a link planted in -o DIR"
	[ -f "$dir/normal_open_close.kernel.pcap" ] && [ ! -h "$dir/normal_open_close.kernel.pcap" ] ||
		fail "replay's normal_open_close.kernel.pcap is not a regular file of its own"
	replay_summary="; $tries replays stopped by SIGINT/SIGTERM/SIGHUP left nothing, --cleanup -o DIR removed a killed one's rest, no planted link followed"
fi

if [ $fails -ne 0 ]; then
	echo "check_signals: $fails failure(s)"
	exit 1
fi
echo "check_signals: a run and a sweep stopped by SIGTERM left nothing behind$replay_summary"
rm -rf "$OUT"
