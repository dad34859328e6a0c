#!/bin/sh
# Packet-level tests: runs every shipped scenario against its own `expect`
# (states, delivered bytes and the exact segments), then runs each again and
# checks that the output files are byte-identical (determinism).
#   tools/check_scenarios.sh TCPSIM OUTDIR SCENARIO...
set -u
tcpsim=$1 out=$2
shift 2
mkdir -p "$out/again"
pass=0 fail=0
for sc in "$@"; do
	name=$(basename "$sc" .yaml)
	if "$tcpsim" run -q -o "$out" "$sc"; then
		if "$tcpsim" run -q -o "$out/again" "$sc" &&
		   cmp -s "$out/$name.pcap" "$out/again/$name.pcap" &&
		   cmp -s "$out/$name.trace.jsonl" "$out/again/$name.trace.jsonl"; then
			pass=$((pass + 1))
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
