#!/bin/sh
# tests/check_run_ends.sh TCPSIM OUTDIR - every run ends by itself
# (docs/scenario-format.md, "Every run ends"), seen from the command line:
# the ACK war over a link without delay stops at once with exit 1, one line
# on stderr naming who, how many and since when, and every output file
# written up to there (the trace's result line says why); with a delay and
# until it is a normal run (exit 0); without until, the event bound stops it;
# a timeline whose times wrap is refused (exit 2, FILE:LINE:COL, nothing
# written). Each run is given 60 s and 4 GiB of address space: one that
# hangs or grows without bound fails the check instead of the machine.
set -u
TCPSIM=${1:-build/tcpsim}
OUT=${2:-build/run-ends-out}
fails=0
LC_ALL=C
export LC_ALL

fail() {
	echo "check_run_ends: FAIL: $*"
	fails=$((fails + 1))
}

rm -rf "$OUT"
mkdir -p "$OUT/in"
WAR="$OUT/in/war.yaml"
cat > "$WAR" <<'YAML'
timeline:
  - { at: 0ms, server: listen }
  - { at: 0ms, client: connect }
  - { at: 1s, inject: { from: client, flags: "P.", seq: 1, ack: 1, data: "x" } }
YAML
{ echo "link: { delay: 1ms }"; echo "until: 1010ms"; cat "$WAR"; } > "$OUT/in/war_shown.yaml"
{ echo "link: { delay: 1ms }"; echo "max_events: 2000"; cat "$WAR"; } > "$OUT/in/war_bounded.yaml"
cat > "$OUT/in/wrap.yaml" <<'YAML'
endpoints:
  client: { count: 213505, every: 1440000min }
timeline:
  - { at: 0ms, server: listen }
  - { at: 1ms, client: connect }
YAML

# $1 name, $2 expected status, then the arguments of tcpsim run
run() {
	name=$1 want=$2
	shift 2
	(ulimit -v 4194304 && exec timeout 60 "$TCPSIM" run "$@" -q) >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"
	got=$?
	[ "$got" = "$want" ] || fail "$name: exit $got, not $want: $(head -c 300 "$OUT/$name.stderr")"
}

run war 1 "$WAR" -o "$OUT/war"
want="tcpsim: $WAR: stopped at 1.000 s: client and server kept answering each other with the same segments, 2066 segments at 1.000 s without the clock advancing"
case "$(cat "$OUT/war.stderr")" in
"$want"*"(link: { delay: 1ms }) and the run an end (until: 2s)") ;;
*) fail "war: stderr is not the one line expected: $(head -c 400 "$OUT/war.stderr")" ;;
esac
[ "$(wc -l < "$OUT/war.stderr")" -eq 1 ] || fail "war: stderr is not one line"
for f in war.pcap war.trace.jsonl war.states.dot war.states.svg war.ladder.svg; do
	[ -s "$OUT/war/$f" ] || fail "war: $f not written"
done
tail -n 1 "$OUT/war/war.trace.jsonl" | grep -q '"type":"result","ok":false,"failures":\["stopped at 1.000 s: client and server' ||
	fail "war: the trace's result line does not say why it stopped"

run war_shown 0 "$OUT/in/war_shown.yaml" -o "$OUT/war_shown"
[ -s "$OUT/war_shown.stderr" ] && fail "war_shown: wrote on stderr: $(head -c 300 "$OUT/war_shown.stderr")"

run war_bounded 1 "$OUT/in/war_bounded.yaml" -o "$OUT/war_bounded"
grep -q "after 2000 events, the bound of a run of 1 connection" "$OUT/war_bounded.stderr" ||
	fail "war_bounded: no word of the event bound: $(head -c 300 "$OUT/war_bounded.stderr")"
[ -s "$OUT/war_bounded/war_bounded.pcap" ] || fail "war_bounded: no pcap"

run wrap 2 "$OUT/in/wrap.yaml" -o "$OUT/wrap"
grep -q "^$OUT/in/wrap.yaml:2:35: every: client#213505's call at 0.001s would come at" "$OUT/wrap.stderr" ||
	fail "wrap: not FILE:LINE:COL at every: $(head -c 300 "$OUT/wrap.stderr")"
[ -e "$OUT/wrap" ] && [ -n "$(ls -A "$OUT/wrap")" ] && fail "wrap: something was written"

if [ "$fails" -ne 0 ]; then
	echo "check_run_ends: $fails failure(s)"
	exit 1
fi
echo "check_run_ends: ok (the ACK war stops with exit 1 and its files; shown with a delay and until; the event bound; a wrapping timeline refused)"
