#!/bin/sh
# tests/check_outputs.sh TCPSIM OUTDIR - nothing is written outside -o DIR,
# nothing half-written, nothing mixed:
#  - a link planted in DIR under a temporary's name (the names of old
#    versions: .NAME.pcap.tmp) or under a final name is never written
#    through; its target stays as it was;
#  - a run's files are put in place together: when one cannot be written,
#    the old run's files stay, all of them, and no temporary is left;
#  - two scenarios with the same base name in one command are refused
#    (exit 2, both named) before anything runs;
#  - a run whose standard output is closed early (`| head -2`, SIGPIPE)
#    leaves no temporary file.
set -u
TCPSIM=$(cd "$(dirname "${1:-build/tcpsim}")" && pwd)/$(basename "${1:-build/tcpsim}")
OUT=${2:-build/outputs-out}
SCEN=$(pwd)/scenarios
fails=0
export LC_ALL=C
umask 022

fail() {
	echo "check_outputs: FAIL: $*"
	fails=$((fails + 1))
}

# The temporaries left in directory $1 (hidden names ending in .tmp).
temporaries() {
	ls -A "$1" | grep '^\..*\.tmp$'
}

rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT" || exit 1

# 1. A link under the temporary's old predictable name, and one under a
#    final name, both to files outside DIR.
mkdir links
echo ORIGINAL > victim
echo ORIGINAL > victim2
ln -s ../victim links/.lost_syn.pcap.tmp
ln -s ../victim links/.lost_syn.trace.jsonl.tmp
ln -s ../victim2 links/lost_syn.states.svg
"$TCPSIM" run "$SCEN/lost_syn.yaml" -o links -q
rc=$?
[ $rc -eq 0 ] || fail "run with links planted in -o: exit $rc"
[ "$(cat victim)" = ORIGINAL ] || fail "a link planted as links/.lost_syn.pcap.tmp was written through: ./victim changed"
[ "$(cat victim2)" = ORIGINAL ] || fail "a link planted as links/lost_syn.states.svg was written through: ./victim2 changed"
for f in lost_syn.pcap lost_syn.trace.jsonl lost_syn.states.svg lost_syn.states.dot lost_syn.ladder.svg; do
	if [ -h "links/$f" ] || [ ! -f "links/$f" ] || [ ! -s "links/$f" ]; then
		fail "links/$f is not a regular file of the run's"
	fi
done
[ -h links/.lost_syn.pcap.tmp ] || fail "the planted link links/.lost_syn.pcap.tmp (not ours) was removed"

# 2. The last picture cannot be written (a directory in its place): the
#    old run's files all stay, no new one is put beside them.
mkdir unit
for f in lost_syn.pcap lost_syn.trace.jsonl lost_syn.states.dot lost_syn.states.svg; do
	echo OLD > "unit/$f"
done
mkdir unit/lost_syn.ladder.svg
"$TCPSIM" run "$SCEN/lost_syn.yaml" -o unit -q 2> unit.err
rc=$?
[ $rc -eq 3 ] || fail "run with a directory in the place of lost_syn.ladder.svg: exit $rc, not 3"
grep -q 'lost_syn.ladder.svg' unit.err || fail "the error does not name lost_syn.ladder.svg: $(cat unit.err)"
for f in lost_syn.pcap lost_syn.trace.jsonl lost_syn.states.dot lost_syn.states.svg; do
	[ "$(cat "unit/$f")" = OLD ] || fail "unit/$f was replaced although the run's files could not all be written (a mix of two runs)"
done
[ -z "$(temporaries unit)" ] || fail "temporaries left in unit/: $(temporaries unit)"

# 3. Two scenarios with the same base name: refused before anything runs.
mkdir a b
cp "$SCEN/lost_syn.yaml" a/x.yaml
cp "$SCEN/normal_open_close.yaml" b/x.yaml
"$TCPSIM" run a/x.yaml b/x.yaml -o same -q 2> same.err
rc=$?
[ $rc -eq 2 ] || fail "run a/x.yaml b/x.yaml: exit $rc, not 2"
grep -q 'a/x.yaml' same.err && grep -q 'b/x.yaml' same.err || fail "the refusal does not name both: $(cat same.err)"
[ ! -e same ] || fail "run a/x.yaml b/x.yaml wrote something: $(ls -A same)"
#    replay and compare too (refused before the machine is even looked at).
for cmd in replay compare; do
	"$TCPSIM" $cmd a/x.yaml b/x.yaml -o same -q > /dev/null 2> same.err
	rc=$?
	[ $rc -eq 2 ] || fail "$cmd a/x.yaml b/x.yaml: exit $rc, not 2"
	grep -q 'a/x.yaml and b/x.yaml' same.err || fail "$cmd: the refusal does not name both: $(cat same.err)"
	[ ! -e same ] || fail "$cmd a/x.yaml b/x.yaml wrote something: $(ls -A same)"
done

# 4. Standard output closed early: the run dies of SIGPIPE (set to its
#    default here, whatever this shell inherited) and leaves no temporary.
#    Five megabytes in one send: some 20000 trace lines, far more than
#    the pipe holds.
cat > big_send.yaml <<'EOF'
summary: One big send, for a long trace.
timeline:
  - { at: 0ms, server: listen }
  - { at: 10ms, client: connect }
  - { at: 100ms, client: send, bytes: 5000000 }
  - { at: 60s, client: close }
EOF
mkdir pipe
env --default-signal=PIPE "$TCPSIM" run --format json big_send.yaml -o pipe | head -2 > head.out
[ "$(wc -l < head.out)" -eq 2 ] || fail "run --format json | head -2 printed $(wc -l < head.out) lines"
[ -z "$(temporaries pipe)" ] || fail "run --format json | head -2 left temporaries: $(temporaries pipe)"
#    With SIGPIPE ignored: the run writes its files, says standard output
#    failed, and exits 3.
mkdir ignored
{ env --ignore-signal=PIPE "$TCPSIM" run --format json big_send.yaml -o ignored 2> ignored.err; echo $? > ignored.rc; } | head -2 > /dev/null
[ "$(cat ignored.rc)" = 3 ] || fail "run --format json | head -2 with SIGPIPE ignored: exit $(cat ignored.rc), not 3"
grep -q 'standard output' ignored.err || fail "run with its standard output closed early says nothing: $(cat ignored.err)"
[ -s ignored/big_send.pcap ] || fail "run with SIGPIPE ignored and its standard output closed did not write its pcap"
[ -z "$(temporaries ignored)" ] || fail "run with SIGPIPE ignored left temporaries: $(temporaries ignored)"

cd - > /dev/null || exit 1
if [ $fails -ne 0 ]; then
	echo "check_outputs: $fails failure(s)"
	exit 1
fi
echo "check_outputs: no link followed, no mix of two runs, same names refused, no temporary after SIGPIPE"
rm -rf "$OUT"
