#!/bin/sh
# tests/check_sweep.sh TCPSIM OUTDIR - `tcpsim sweep`: the CSV is the same
# bytes for any --jobs; the shards' CSVs concatenated are the unsharded CSV
# (and the shards are really different blocks); bad input exits 2 and writes
# nothing; --plot draws from the concatenated shards.
set -u
TCPSIM=${1:-build/tcpsim}
OUT=${2:-build/sweep-out}
SCENARIO=scenarios/sweep_loss.yaml
NAME=sweep_loss
fails=0

fail() {
	echo "check_sweep: FAIL: $*"
	fails=$((fails + 1))
}

rm -rf "$OUT"
mkdir -p "$OUT"
# 3 x 2 combinations x 7 seeds = 42 runs: not a multiple of 3 shards' worth
# of anything in particular, so the blocks have different sizes.
sweep() {
	"$TCPSIM" sweep "$SCENARIO" --set link.loss=0,0.1,0.3 --set tcp.rto_min=200ms,1s --seeds 3..9 -q "$@"
}

sweep -o "$OUT/all" --jobs 1 || fail "the unsharded sweep exited $?"
sweep -o "$OUT/jobs2" --jobs 2 || fail "the sweep with --jobs 2 exited $?"
sweep -o "$OUT/jobs0" --jobs 0 || fail "the sweep with --jobs 0 exited $?"
for i in 1 2 3; do
	sweep -o "$OUT/shard$i" --shard $i/3 --jobs 2 || fail "shard $i/3 exited $?"
done
all=$OUT/all/$NAME.sweep.csv
[ -s "$all" ] || fail "no $all"
lines=$(wc -l < "$all")
[ "$lines" -eq 43 ] || fail "$all has $lines lines, expected a header and 42 rows"
head -1 "$all" | grep -qx 'link.loss,tcp.rto_min,seed,established,establish_us,complete_us,retransmissions,segments,bytes_delivered,end_client,end_server,dropped,dropped_by_host' ||
	fail "unexpected header: $(head -1 "$all")"
sed -n 2p "$all" | grep -q '^0,200ms,3,1,' || fail "the first row is not loss 0, rto_min 200ms, seed 3: $(sed -n 2p "$all")"
tail -1 "$all" | grep -q '^0.3,1s,9,' || fail "the last row is not loss 0.3, rto_min 1s, seed 9: $(tail -1 "$all")"
cmp -s "$all" "$OUT/jobs2/$NAME.sweep.csv" || fail "--jobs 2 wrote a different CSV than --jobs 1"
cmp -s "$all" "$OUT/jobs0/$NAME.sweep.csv" || fail "--jobs 0 wrote a different CSV than --jobs 1"

cat "$OUT/shard1/$NAME.sweep.csv" "$OUT/shard2/$NAME.sweep.csv" "$OUT/shard3/$NAME.sweep.csv" > "$OUT/cat.csv"
cmp -s "$all" "$OUT/cat.csv" || fail "the shards concatenated differ from the unsharded CSV"
# Each shard holds its own block: 14 rows each (42 = 3 x 14), the header in the first only.
for i in 1 2 3; do
	n=$(grep -vc '^link.loss,' "$OUT/shard$i/$NAME.sweep.csv")
	[ "$n" -eq 14 ] || fail "shard $i/3 has $n rows, expected 14"
done
[ "$(grep -c '^link.loss,' "$OUT/shard1/$NAME.sweep.csv")" -eq 1 ] || fail "shard 1 has no header"
[ "$(cat "$OUT/shard2/$NAME.sweep.csv" "$OUT/shard3/$NAME.sweep.csv" | grep -c '^link.loss,')" -eq 0 ] ||
	fail "shards 2 and 3 have a header"
cmp -s "$OUT/shard2/$NAME.sweep.csv" "$OUT/shard3/$NAME.sweep.csv" && fail "shards 2 and 3 are the same rows"
grep -q '^0,' "$OUT/shard1/$NAME.sweep.csv" || fail "shard 1 does not start the run list"
grep -q '^0\.3,' "$OUT/shard1/$NAME.sweep.csv" && fail "shard 1 holds rows of the last value"
grep -q '^0\.3,1s,9,' "$OUT/shard3/$NAME.sweep.csv" || fail "shard 3 does not end the run list"
[ ! -e "$OUT/shard1/$NAME.sweep.svg" ] || fail "a shard drew a plot"

# More shards than runs: the empty shards write an empty CSV (header in 1 only).
"$TCPSIM" sweep "$SCENARIO" --set link.loss=0,0.1 -q -o "$OUT/many" --shard 2/5 || fail "an empty shard exited $?"
[ -e "$OUT/many/$NAME.sweep.csv" ] && [ ! -s "$OUT/many/$NAME.sweep.csv" ] || fail "shard 2/5 of 2 runs is not an empty file"

if command -v gnuplot > /dev/null; then
	[ -s "$OUT/all/$NAME.sweep.svg" ] || fail "no plot from the unsharded sweep"
	"$TCPSIM" sweep --plot "$OUT/cat.csv" -o "$OUT/plot" -q || fail "--plot exited $?"
	grep -q '<svg' "$OUT/plot/cat.sweep.svg" 2> /dev/null || fail "--plot drew no SVG"
	grep -q 'completion time' "$OUT/plot/cat.sweep.svg" || fail "the default plot is not of the completion time"
	# --y: another column, into a file of its own beside the completion plot.
	"$TCPSIM" sweep --plot "$OUT/cat.csv" --y establish_us -o "$OUT/plot" -q || fail "--plot --y exited $?"
	grep -q 'time to establish (ms' "$OUT/plot/cat.sweep.establish_us.svg" 2> /dev/null &&
		grep -q 'from connect until ESTABLISHED' "$OUT/plot/cat.sweep.establish_us.svg" ||
		fail "--y establish_us did not draw the time to establish into cat.sweep.establish_us.svg"
	[ -s "$OUT/plot/cat.sweep.svg" ] || fail "--y establish_us removed the completion plot"
	sweep -o "$OUT/y" --y retransmissions || fail "the sweep with --y retransmissions exited $?"
	grep -q '>retransmissions<' "$OUT/y/$NAME.sweep.retransmissions.svg" 2> /dev/null ||
		fail "the sweep with --y retransmissions drew no $NAME.sweep.retransmissions.svg"
	[ ! -e "$OUT/y/$NAME.sweep.svg" ] || fail "the sweep with --y retransmissions also drew the completion plot"
else
	echo "check_sweep: gnuplot not installed: the plots are not checked"
fi

# Bad input: exit 2, nothing written.
bad() {
	want_msg=$1
	shift
	rm -rf "$OUT/bad"
	msg=$("$TCPSIM" sweep "$@" -o "$OUT/bad" 2>&1 > /dev/null)
	rc=$?
	[ $rc -eq 2 ] || fail "sweep $* exited $rc, expected 2"
	echo "$msg" | grep -q -- "$want_msg" || fail "sweep $*: message '$msg' lacks '$want_msg'"
	[ ! -e "$OUT/bad" ] || fail "sweep $* wrote $(ls -A "$OUT/bad")"
}
bad "unknown key 'los' in link" "$SCENARIO" --set link.los=0,0.1
bad "loss must be a probability between 0 and 1, not 1.5" "$SCENARIO" --set link.loss=0,1.5
bad "link.loss is 0, not a mapping" "$SCENARIO" --set link.loss.x=1
bad "expected KEY=V1,V2" "$SCENARIO" --set link.loss
bad "an empty value" "$SCENARIO" --set link.loss=0,,0.1
bad "--seeds is A..B" "$SCENARIO" --set link.loss=0 --seeds 5..1
bad "--seeds is A..B" "$SCENARIO" --set link.loss=0 --seeds x
bad "--shard is I/N" "$SCENARIO" --set link.loss=0 --shard 4/3
bad "--shard is I/N" "$SCENARIO" --set link.loss=0 --shard 0/3
bad "--jobs is" "$SCENARIO" --set link.loss=0 --jobs many
bad "no --set" "$SCENARIO"
bad "cannot read" scenarios/no_such_file.yaml --set link.loss=0
# --plot of a CSV that is not a sweep's: refused before -o DIR is made.
bad "not a sweep's CSV" --plot "$SCENARIO"
printf '' > "$OUT/empty.csv"
bad "no rows to plot" --plot "$OUT/empty.csv"
bad "--y is one of complete_us, establish_us" --plot "$OUT/cat.csv" --y bogus
bad "--y is one of" "$SCENARIO" --set link.loss=0 --y complete_ms
bad "the seeds are --seeds A..B" "$SCENARIO" --set seed=1,2
# A CSV from before the dropped columns: the plot of them is refused, the default one is not.
cut -d, -f1-11 "$OUT/cat.csv" > "$OUT/old.csv"
bad "no column dropped " --plot "$OUT/old.csv" --y dropped

# No run completes (the SYN is never answered): the plot is still drawn, empty,
# saying so, and the sweep exits 0 (gnuplot refused to plot nothing: exit 1).
"$TCPSIM" sweep scenarios/syn_timeout.yaml --set link.loss=0,0.5 -o "$OUT/none" -q 2>"$OUT/none.err" ||
	fail "a sweep where no run completes exited $?: $(head -3 "$OUT/none.err")"
grep -q 'no run completed: nothing to draw' "$OUT/none/syn_timeout.sweep.svg" 2>/dev/null ||
	fail "the plot of a sweep where no run completes does not say so"
if [ $fails -ne 0 ]; then
	echo "check_sweep: $fails failure(s)"
	exit 1
fi
echo "check_sweep: ok (jobs 1 = 2 = 0; 3 shards concatenated = the unsharded CSV; bad input exits 2 and writes nothing)"
