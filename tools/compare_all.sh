#!/bin/bash
# tools/compare_all.sh TCPSIM OUTDIR [SCENARIO.yaml...]
#
# `tcpsim compare` on every shipped scenario (or those named), one at a time
# (two replays at once would see each other's sockets: issue 17), and a table
# of what each found: its exit status, the known differences, the rows
# after a call Linux cannot make, and the UNEXPECTED rows, then the totals
# and the time taken. Each scenario's output
# is left in OUTDIR/NAME.out beside its NAME.compare.md. Exits 1 when any
# scenario has an UNEXPECTED row, 0 when none has; skips (exit 0, saying
# why) without root or /dev/net/tun. `make check-compare-all` runs it; it is
# not part of `make check` (it takes minutes: each replay runs in real time).
set -u -o pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 TCPSIM OUTDIR [SCENARIO.yaml...]" >&2
	exit 2
fi
tcpsim=$1
out=$2
shift 2
if [ "$(id -u)" != 0 ]; then
	echo "compare_all: skipped: not root"
	exit 0
fi
if [ ! -c /dev/net/tun ]; then
	echo "compare_all: skipped: no /dev/net/tun"
	exit 0
fi
if [ $# -eq 0 ]; then
	set -- scenarios/*.yaml
fi
rm -rf "$out" && mkdir -p "$out" || exit 1
start=$(date +%s)
n=0 with=0 known_all=0 cannot_all=0 unexpected_all=0
printf '%-36s %4s %6s %6s %10s\n' scenario exit known cannot UNEXPECTED
for f in "$@"; do
	name=$(basename "$f" .yaml)
	"$tcpsim" compare -q -o "$out" "$f" > "$out/$name.out" 2>&1
	rc=$?
	line=$(grep -E '^[a-z0-9_]+: [0-9]+ known differences, [0-9]+ Linux cannot, [0-9]+ unexpected' "$out/$name.out" | tail -1)
	known=$(sed -nE 's/.*: ([0-9]+) known differences.*/\1/p' <<< "$line")
	cannot=$(sed -nE 's/.*, ([0-9]+) Linux cannot,.*/\1/p' <<< "$line")
	unexpected=$(sed -nE 's/.*, ([0-9]+) unexpected.*/\1/p' <<< "$line")
	if [ -z "$line" ]; then
		known=- cannot=- unexpected=-
		echo "compare_all: $name: no summary line (exit $rc): $(head -1 "$out/$name.out")" >&2
		with=$((with + 1))
	else
		known_all=$((known_all + known))
		cannot_all=$((cannot_all + cannot))
		unexpected_all=$((unexpected_all + unexpected))
		[ "$unexpected" -eq 0 ] || with=$((with + 1))
	fi
	printf '%-36s %4s %6s %6s %10s\n' "$name" "$rc" "$known" "$cannot" "$unexpected"
	n=$((n + 1))
done
python3 tools/compare_table.py "$out" > "$out/table.md" &&
	echo "compare_all: the table by rule is $out/table.md (tools/compare_table.py $out --write docs/linux-differences.md puts it in the docs)"
echo "compare_all: $n scenarios, $with with UNEXPECTED rows (or no result), $unexpected_all UNEXPECTED rows, $known_all known, $cannot_all Linux cannot, in $(( $(date +%s) - start )) s"
[ "$with" -eq 0 ]
