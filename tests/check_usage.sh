#!/bin/sh
# tests/check_usage.sh TCPSIM OUTDIR - what the command line says when it is
# used wrong: an option without its value ("option -o needs a directory"), an
# unknown option (with "did you mean" when one is close), for every command
# and every option that takes a value; `check` reports one message, the
# first error, per invalid file, as `check --help` says; a YAML syntax error
# reaches the user with what to do. Each message is stated exactly; each
# case exits 2 and prints nothing on standard output. Only option parsing
# and `check` run here (and `handout` on a tiny scenario: bad input writes
# nothing, a good one its four files): replay and compare stop before
# anything is replayed.
set -u
TCPSIM=${1:-build/tcpsim}
OUT=${2:-build/usage-out}
fails=0
LC_ALL=C
export LC_ALL

fail() {
	echo "check_usage: FAIL: $*"
	fails=$((fails + 1))
}

rm -rf "$OUT"
mkdir -p "$OUT"

# expect_usage WANT ARGS...: exit 2, nothing on stdout, stderr's first line WANT.
expect_usage() {
	want=$1
	shift
	"$TCPSIM" "$@" >"$OUT/stdout" 2>"$OUT/stderr"
	rc=$?
	[ $rc -eq 2 ] || fail "tcpsim $*: exit $rc, not 2"
	[ -s "$OUT/stdout" ] && fail "tcpsim $*: printed on stdout: $(head -1 "$OUT/stdout")"
	got=$(head -1 "$OUT/stderr")
	[ "$got" = "$want" ] || fail "tcpsim $*:
    want: $want
    got:  $got"
	# The usage follows the message.
	sed -n 2p "$OUT/stderr" | grep -q '^usage: tcpsim run ' || fail "tcpsim $*: no usage after the message"
}

printf 'summary: x\n' > "$OUT/ok.yaml"

# -o without its value, for every command that takes -o.
for cmd in run graph replay compare sweep handout; do
	expect_usage "tcpsim $cmd: option -o needs a directory" $cmd "$OUT/ok.yaml" -o
	expect_usage "tcpsim $cmd: option --output needs a directory" $cmd "$OUT/ok.yaml" --output
done
# Every other option that takes a value.
expect_usage "tcpsim run: option --seed needs a number" run "$OUT/ok.yaml" --seed
expect_usage "tcpsim run: option --profile needs a profile, rfc9293 or linux" run "$OUT/ok.yaml" --profile
expect_usage "tcpsim run: option --format needs a format (see the command's --help)" run "$OUT/ok.yaml" --format
expect_usage "tcpsim run: option --connection needs a connection number" run "$OUT/ok.yaml" --connection
expect_usage "tcpsim graph: option --endpoint needs client or server" graph "$OUT/ok.yaml" --endpoint
expect_usage "tcpsim handout: option --seed needs a number" handout "$OUT/ok.yaml" --seed
expect_usage "tcpsim handout: option --profile needs a profile, rfc9293 or linux" handout "$OUT/ok.yaml" --profile
expect_usage "tcpsim handout: option --connection needs a connection number" handout "$OUT/ok.yaml" --connection
expect_usage "tcpsim handout: no scenario given" handout -o "$OUT/ho"
expect_usage "tcpsim handout: unknown option --format" handout "$OUT/ok.yaml" --format text
expect_usage "tcpsim handout: unknown option --conection (did you mean --connection?)" handout "$OUT/ok.yaml" --conection 2
expect_usage "tcpsim run: option --time needs linear, log or compressed" run "$OUT/ok.yaml" --time
expect_usage "tcpsim run: --time is linear, log or compressed" run "$OUT/ok.yaml" --time squeezed
expect_usage "tcpsim run: --from needs a time with its unit (1.5s, 200ms)" run "$OUT/ok.yaml" --from 3
expect_usage "tcpsim run: --to is before --from" run "$OUT/ok.yaml" --from 2s --to 1s
expect_usage "tcpsim graph: --time, --from, --to and --slides draw the ladder: add --ladder" graph "$OUT/ok.yaml" --slides
expect_usage "tcpsim graph: --self-loops draws on the state diagram: leave out --ladder" graph "$OUT/ok.yaml" --ladder --self-loops
expect_usage "tcpsim graph: --self-loops draws a scenario's: give one" graph --self-loops
expect_usage "tcpsim coverage: unknown option --self-loops" coverage "$OUT/ok.yaml" --self-loops
expect_usage "tcpsim coverage: option --seed needs a number" coverage "$OUT/ok.yaml" --seed
expect_usage "tcpsim coverage: option --profile needs a profile, rfc9293 or linux" coverage "$OUT/ok.yaml" --profile
expect_usage "tcpsim sweep: option --set needs KEY=V1,V2,..." sweep "$OUT/ok.yaml" --set
expect_usage "tcpsim sweep: option --seeds needs A..B" sweep "$OUT/ok.yaml" --seeds
expect_usage "tcpsim sweep: option -j needs a number of processes" sweep "$OUT/ok.yaml" -j
expect_usage "tcpsim sweep: option --jobs needs a number of processes" sweep "$OUT/ok.yaml" --jobs
expect_usage "tcpsim sweep: option --shard needs I/N" sweep "$OUT/ok.yaml" --shard
expect_usage "tcpsim sweep: option --plot needs a CSV file" sweep --plot
expect_usage "tcpsim sweep: option --y needs a column name" sweep "$OUT/ok.yaml" --y
# Unknown options; a close one is named.
expect_usage "tcpsim run: unknown option -x" run "$OUT/ok.yaml" -x
expect_usage "tcpsim run: unknown option -x" run "$OUT/ok.yaml" -qx
expect_usage "tcpsim run: unknown option --conection (did you mean --connection?)" run "$OUT/ok.yaml" --conection 2
expect_usage "tcpsim run: unknown option --bogus" run "$OUT/ok.yaml" --bogus
expect_usage "tcpsim sweep: unknown option --sedes (did you mean --seeds?)" sweep "$OUT/ok.yaml" --sedes 1..2
# An option the command does not take is unknown to it, with or without its value.
expect_usage "tcpsim check: unknown option -o" check -o
expect_usage "tcpsim check: unknown option -o" check -o "$OUT/dir" "$OUT/ok.yaml"
expect_usage "tcpsim check: unknown option --seed" check --seed 3 "$OUT/ok.yaml"

# check: one message, the first error, per invalid file; every file checked.
printf 'sumary: x\nlink: { loss: 2 }\n' > "$OUT/two_errors.yaml"
printf 'summary: Step 1: the handshake\n' > "$OUT/colon.yaml"
printf 'link:\n\tdelay: 1s\n' > "$OUT/tab.yaml"
"$TCPSIM" check "$OUT/two_errors.yaml" "$OUT/ok.yaml" "$OUT/colon.yaml" "$OUT/tab.yaml" \
	>"$OUT/stdout" 2>"$OUT/stderr"
rc=$?
[ $rc -eq 2 ] || fail "check of invalid files: exit $rc, not 2"
cat > "$OUT/want_stderr" <<WANT
$OUT/two_errors.yaml:1:1: unknown key 'sumary' in the scenario (did you mean summary?)
$OUT/colon.yaml:1:16: YAML syntax error: mapping values are not allowed in this context; quote a value that contains ': ', as in summary: "Step 1: the handshake"
$OUT/tab.yaml:2:1: YAML syntax error: found character that cannot start any token (while scanning for the next token); indent with spaces, not tabs
WANT
cmp -s "$OUT/stderr" "$OUT/want_stderr" || fail "check's messages:
$(diff "$OUT/want_stderr" "$OUT/stderr")"
[ "$(cat "$OUT/stdout")" = "$OUT/ok.yaml: ok" ] || fail "check's standard output: $(cat "$OUT/stdout")"
"$TCPSIM" check --help | grep -q 'a single FILE:LINE:COL: message, its first' ||
	fail "check --help does not say that a file gets one message, its first error"

# The man page's synopsis lists every command of `tcpsim --help` with the
# same options: each synopsis line of the man page (a block up to .br) as
# "COMMAND --opt --opt ...", compared with the same from --help.
MAN=$(dirname "$0")/../docs/tcpsim.1
# Each option once a line ("[--set KEY2=...]" repeats --set).
dedup() {
	awk '{ delete seen; out = $1; for (i = 2; i <= NF; i++) if (!($i in seen)) { seen[$i]; out = out " " $i }; print out }'
}
synopsis_of_help() {
	"$TCPSIM" --help | sed 's/^usage://' | awk '
		$1 == "tcpsim" && $2 !~ /^-/ { if (line) print line; line = $2 }
		$1 == "tcpsim" && $2 ~ /^-/ { if (line) print line; line = ""; next }
		{ for (i = 1; i <= NF; i++) if ($i ~ /^\[?-/) { o = $i; gsub(/[][]/, "", o); line = line " " o } }
		END { if (line) print line }' | dedup | sort
}
synopsis_of_man() {
	sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$MAN" | sed 's/\\-/-/g' | awk '
		/^\.B tcpsim -/ { if (line) print line; line = ""; skip = 1; next }
		/^\.B tcpsim [a-z]/ { if (line) print line; line = $3; skip = 0
			for (i = 4; i <= NF; i++) if ($i ~ /^-/) line = line " " $i; next }
		/^\.br/ { if (line) print line; line = ""; next }
		skip { next }
		{ for (i = 1; i <= NF; i++) if ($i ~ /^-/) { o = $i; gsub(/[" ]/, "", o); line = line " " o } }
		END { if (line) print line }' | dedup | sort
}
synopsis_of_help > "$OUT/help_synopsis"
synopsis_of_man > "$OUT/man_synopsis"
[ -s "$OUT/help_synopsis" ] || fail "no synopsis read from tcpsim --help"
cmp -s "$OUT/help_synopsis" "$OUT/man_synopsis" || fail "the man page's synopsis differs from tcpsim --help:
$(diff "$OUT/help_synopsis" "$OUT/man_synopsis")"
# Each command's own --help names the options the synopsis gives it.
while read -r cmd opts; do
	for o in $opts; do
		"$TCPSIM" "$cmd" --help | grep -q -e "$o\b" || fail "tcpsim $cmd --help does not mention $o"
	done
done < "$OUT/help_synopsis"

# Every whole scenario in docs/scenario-format.md (a yaml block whose first
# line is a top-level key) is one that `check` takes.
DOC=$(dirname "$0")/../docs/scenario-format.md
awk -v out="$OUT/doc-example-" '
	/^```yaml$/ { n++; f = out n ".yaml"; inblock = 1; first = 1; next }
	/^```$/ { inblock = 0; next }
	inblock && first { first = 0; if ($0 !~ /^[a-z_]+:/) { inblock = 0; next } }
	inblock { print > f }' "$DOC"
examples=0
for f in "$OUT"/doc-example-*.yaml; do
	[ -f "$f" ] || continue
	examples=$((examples + 1))
	"$TCPSIM" check "$f" >/dev/null 2>"$OUT/stderr" || fail "an example of docs/scenario-format.md does not load: $(cat "$OUT/stderr")"
done
[ $examples -ge 4 ] || fail "only $examples whole scenarios found in docs/scenario-format.md"

# handout: bad input writes nothing (exit 2); a good scenario gives the
# handout, the two pictures it embeds and its PDF, all four.
HO="$OUT/handout"
printf 'timeline:\n  - { at: 1s, note: "two\\nlines" }\n' > "$OUT/bad_note.yaml"
"$TCPSIM" handout -o "$HO" "$OUT/bad_note.yaml" >"$OUT/stdout" 2>"$OUT/stderr"
rc=$?
[ $rc -eq 2 ] || fail "handout of a bad note: exit $rc, not 2"
[ "$(cat "$OUT/stderr")" = "$OUT/bad_note.yaml:2:21: a note is one line of printable text; byte 4 starts a control character (U+000A)" ] ||
	fail "handout of a bad note: $(cat "$OUT/stderr")"
[ -e "$HO" ] && fail "handout of a bad note made $HO"
"$TCPSIM" handout -o "$HO" --connection 2 "$OUT/ok.yaml" >"$OUT/stdout" 2>"$OUT/stderr"
rc=$?
[ $rc -eq 2 ] || fail "handout --connection 2 of one connection: exit $rc, not 2"
[ -e "$HO" ] && fail "handout --connection 2 of one connection made $HO"
"$TCPSIM" handout -o "$HO" "$OUT/ok.yaml" >"$OUT/stdout" 2>"$OUT/stderr" || fail "handout of ok.yaml failed: $(cat "$OUT/stderr")"
[ "$(cat "$OUT/stdout")" = "$HO/ok.handout.md" ] || fail "handout printed: $(cat "$OUT/stdout")"
[ "$(ls "$HO" | tr '\n' ' ')" = "ok.handout.md ok.handout.pdf ok.ladder.svg ok.states.svg " ] || fail "handout wrote: $(ls -A "$HO")"
grep -q '^!\[.*\](ok.ladder.svg)$' "$HO/ok.handout.md" && grep -q '^!\[.*\](ok.states.svg)$' "$HO/ok.handout.md" ||
	fail "the handout does not embed both pictures"
# The PDF: the words on A4 pages, the ladder's pages, the state diagram on
# a landscape page, in DejaVu; the same bytes from the same scenario.
head -c 5 "$HO/ok.handout.pdf" | grep -q '^%PDF-' || fail "ok.handout.pdf is no PDF"
grep -aq '/MediaBox \[ 0 0 595 842 \]' "$HO/ok.handout.pdf" && grep -aq '/MediaBox \[ 0 0 842 595 \]' "$HO/ok.handout.pdf" ||
	fail "ok.handout.pdf: no A4 portrait page or no landscape one"
[ "$(grep -ac '/Type /Page\b' "$HO/ok.handout.pdf")" -ge 3 ] || fail "ok.handout.pdf has fewer than three pages"
grep -aq 'DejaVuSans-Bold' "$HO/ok.handout.pdf" && grep -aq 'DejaVuSansMono' "$HO/ok.handout.pdf" ||
	fail "ok.handout.pdf does not use DejaVu Sans and DejaVu Sans Mono"
cp "$HO/ok.handout.pdf" "$OUT/first.pdf"
"$TCPSIM" handout -o "$HO" "$OUT/ok.yaml" >/dev/null 2>&1 && cmp -s "$OUT/first.pdf" "$HO/ok.handout.pdf" ||
	fail "a second handout of ok.yaml made another PDF"

# --self-loops reaches the state diagram of run, graph and handout: the lost
# final ACK's S16 loop on TIME_WAIT; none without it
LFA=$(dirname "$0")/../scenarios/lost_final_ack.yaml
"$TCPSIM" run -q --no-pcap --no-trace -o "$OUT/loops-run" --self-loops "$LFA" >/dev/null 2>&1 || fail "run --self-loops failed"
grep -q 'arc=S16' "$OUT/loops-run/lost_final_ack.states.dot" 2>/dev/null || fail "run --self-loops drew no S16 loop"
grep -q 'S16' "$OUT/loops-run/lost_final_ack.states.svg" 2>/dev/null || fail "run --self-loops: no S16 in the svg"
"$TCPSIM" graph -o "$OUT/loops-graph" --format dot --self-loops "$LFA" >/dev/null 2>&1 || fail "graph --self-loops failed"
grep -q 'arc=S16' "$OUT/loops-graph/lost_final_ack.states.dot" 2>/dev/null || fail "graph --self-loops drew no S16 loop"
"$TCPSIM" graph -o "$OUT/loops-none" --format dot "$LFA" >/dev/null 2>&1 || fail "graph failed"
grep -q 'S16' "$OUT/loops-none/lost_final_ack.states.dot" 2>/dev/null && fail "graph without --self-loops drew S16"
"$TCPSIM" handout -o "$OUT/loops-handout" --self-loops "$LFA" >/dev/null 2>&1 || fail "handout --self-loops failed"
grep -q 'S16' "$OUT/loops-handout/lost_final_ack.states.svg" 2>/dev/null || fail "handout --self-loops drew no S16 loop"

if [ $fails -ne 0 ]; then
	echo "check_usage: $fails failure(s)"
	exit 1
fi
echo "check_usage: every message as stated"
