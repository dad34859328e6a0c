#!/bin/sh
# Packet-level tests: runs every shipped scenario against its own `expect`
# (states, delivered bytes and the exact segments), then runs each again and
# checks that the output files are byte-identical (determinism). The pcaps of
# runs without loss, drops, duplicates or forged segments are copied to
# OUTDIR/clean, where `check_pcap.sh --no-analysis-warnings` must find none of
# Wireshark's TCP analysis warnings (tools/analysis-exceptions.txt lists the
# scenarios where the protocol itself draws one, with the reason).
#   tools/check_scenarios.sh TCPSIM OUTDIR SCENARIO...
set -u
tcpsim=$1 out=$2
shift 2
here=$(dirname "$0")
rm -rf "$out/clean"
mkdir -p "$out/again" "$out/clean"
pass=0 fail=0
for sc in "$@"; do
	name=$(basename "$sc" .yaml)
	if "$tcpsim" run -q -o "$out" "$sc"; then
		if "$tcpsim" run -q -o "$out/again" "$sc" &&
		   cmp -s "$out/$name.pcap" "$out/again/$name.pcap" &&
		   cmp -s "$out/$name.trace.jsonl" "$out/again/$name.trace.jsonl"; then
			pass=$((pass + 1))
			if ! grep -q '"event":"drop"\|"event":"duplicate"\|"forged":true' "$out/$name.trace.jsonl" &&
			   ! grep -q "^$name:" "$here/analysis-exceptions.txt"; then
				cp "$out/$name.pcap" "$out/clean/"
			fi
		else
			echo "FAIL $sc: a second run wrote different bytes" >&2
			fail=$((fail + 1))
		fi
	else
		echo "FAIL $sc (tcpsim run exited $?)" >&2
		fail=$((fail + 1))
	fi
done
echo "scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
