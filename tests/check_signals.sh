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

# Starts "$@" in the background, waits until the hidden temporary $1 exists
# (at most 10 s), sends SIGTERM, and checks the exit status and the directory.
# SIGTERM is set to its default for "$@": started with it ignored (as nohup
# or a parent may leave it; a shell cannot undo an ignore it inherited),
# tcpsim rightly leaves it ignored, and the check would fail for that.
stop_while_writing() {
	tmp=$1
	dir=$2
	shift 2
	env --default-signal=TERM "$@" &
	pid=$!
	i=0
	while [ ! -e "$tmp" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -e "$tmp" ] || fail "$tmp never appeared: $*"
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
stop_while_writing "$OUT/run/.big.pcap.tmp" "$OUT/run" "$TCPSIM" run "$OUT/big.yaml" -o "$OUT/run" --no-graphs -q
stop_while_writing "$OUT/sweep/.sweep_loss.sweep.csv.tmp" "$OUT/sweep" \
	"$TCPSIM" sweep scenarios/sweep_loss.yaml --set link.loss=0.1 --seeds 1..2000000 --jobs 1 -o "$OUT/sweep" -q

if [ $fails -ne 0 ]; then
	echo "check_signals: $fails failure(s)"
	exit 1
fi
echo "check_signals: a run and a sweep stopped by SIGTERM left nothing behind"
rm -rf "$OUT"
