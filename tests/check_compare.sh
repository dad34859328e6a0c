#!/bin/bash
# tests/check_compare.sh TCPSIM OUTDIR
#
# Runs `tcpsim compare` (simulator, linux profile, against the replay on the
# machine's own kernel) on 19 shipped scenarios; each must exit 0 (every
# difference known, docs/linux-differences.md) and write NAME.compare.md. For
# simultaneous_close the kernel column must show both endpoints going through
# CLOSING and TIME_WAIT as the simulator does. Then no tcpsim- namespace may
# be left. Skips, saying why, without root or /dev/net/tun.
set -u -o pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 TCPSIM OUTDIR" >&2
	exit 2
fi
tcpsim=$1
out=$2
if [ "$(id -u)" != 0 ]; then
	echo "check_compare: skipped: not root"
	exit 0
fi
if [ ! -c /dev/net/tun ]; then
	echo "check_compare: skipped: no /dev/net/tun"
	exit 0
fi
rm -rf "$out" && mkdir -p "$out" || exit 1
# The last four were UNEXPECTED by the tool's own mistakes (issue 17): the
# linux profile took a FIN on a SYN,ACK (syn_ack_fin), the replay renumbered
# forgeries after a forged SYN (blind_in_window_attacks), compare took a FIN
# resent with a new ack for a new segment (abort_in_closing,
# simultaneous_close_lost_ack), the replay shut down a half-duplex endpoint
# (half_duplex_close), and compare had no word for a call Linux cannot make
# (listen_then_send, close_in_syn_received), and the replay ended before the
# kernel had given up its data (user_timeout: TCP_USER_TIMEOUT, SIOCOUTQ).
# reconnect_into_time_wait: a connection whose descriptor the replay keeps
# open after both FINs (for a later abort) must not stop the next connect or
# accept of that endpoint.
scenarios="normal_open_close simultaneous_close connection_refused lost_syn
	simultaneous_open half_close lost_final_ack abort sweep_loss lost_data_segment
	syn_ack_fin blind_in_window_attacks abort_in_closing simultaneous_close_lost_ack
	half_duplex_close listen_then_send close_in_syn_received user_timeout
	reconnect_into_time_wait"
bad=0
for s in $scenarios; do
	"$tcpsim" compare -o "$out" "scenarios/$s.yaml" > "$out/$s.out" 2>&1
	rc=$?
	if [ $rc -eq 3 ]; then
		echo "check_compare: skipped: tcpsim compare says the machine cannot replay (exit 3): $(head -1 "$out/$s.out")"
		exit $bad       # not 0 after a failure
	fi
	if [ $rc -ne 0 ]; then
		echo "check_compare: tcpsim compare scenarios/$s.yaml exited $rc:" >&2
		grep -E '^!|: [0-9]+ known' "$out/$s.out" >&2
		bad=1
	elif [ ! -s "$out/$s.compare.md" ]; then
		echo "check_compare: $s: no $s.compare.md" >&2
		bad=1
	fi
done

# simultaneous_close: in both states tables, CLOSING and TIME_WAIT on both sides.
for ep in client server; do
	for st in FIN_WAIT_1 CLOSING TIME_WAIT; do
		if ! sed -n "/^$ep states\$/,/^\$/p" "$out/simultaneous_close.out" |
			grep -Eq "^  [0-9.]+ $st +\| [0-9.]+ $st\$"; then
			echo "check_compare: simultaneous_close: $ep: $st not on both sides" >&2
			bad=1
		fi
	done
done

# An orphan's FIN_WAIT_2 (the client's close is its last word: a real
# close()): Linux discards it when its tcp_fin_timeout (2 s here) runs out,
# as the linux profile does; a shutdown() socket would wait for ever. The
# kernel's CLOSED must come with the timer, not at once.
"$tcpsim" compare -o "$out" tests/replay/scenarios/orphan_fin_wait_2.yaml > "$out/orphan_fin_wait_2.out" 2>&1
rc=$?
closed=$(sed -n '/^client states$/,/^$/p' "$out/orphan_fin_wait_2.out" | sed -nE 's/.*\| ([0-9.]+) CLOSED$/\1/p' | tail -1)
if [ $rc -ne 0 ] || ! awk -v t="${closed:-0}" 'BEGIN { exit !(t >= 2.6 && t < 3.0) }'; then
	echo "check_compare: orphan_fin_wait_2: exit $rc, the kernel's client CLOSED at '${closed}' s, not 2.6 to 3.0 s:" >&2
	sed -n '/^client states$/,/^$/p' "$out/orphan_fin_wait_2.out" >&2
	bad=1
fi

# The calls Linux cannot make are listed, and what follows them is tagged so.
for c in "listen_then_send:the server's send: Linux cannot send on a listening socket" \
	"close_in_syn_received:the server's close: Linux cannot close a connection not yet accepted"; do
	s=${c%%:*}
	if ! grep -qF "${c#*:}" "$out/$s.out" || ! grep -q ' Linux cannot$' "$out/$s.out"; then
		echo "check_compare: $s: no Linux cannot rows or call: ${c#*:}" >&2
		bad=1
	fi
done

# replay alone says it too, before its summary.
if ! "$tcpsim" replay -o "$out/replay" scenarios/listen_then_send.yaml 2>&1 |
	grep -q "^tcpsim replay: listen_then_send: at 0\.1[0-9]* s the server's send: Linux cannot send on a listening socket"; then
	echo "check_compare: tcpsim replay scenarios/listen_then_send.yaml does not say the send Linux cannot make" >&2
	bad=1
fi

# close_in_syn_sent: close in SYN-SENT sends nothing on either side; the
# SYN,ACK that arrives after it draws the RST (the replay's close() at once,
# not a shutdown() that waited for the open and sent a FIN). Its server's
# SYN_RECEIVED is a request socket the tracepoint does not show (issue 17).
"$tcpsim" compare -o "$out" scenarios/close_in_syn_sent.yaml > "$out/close_in_syn_sent.out" 2>&1
if sed -n '/^segments$/,/^$/p' "$out/close_in_syn_sent.out" | grep -q UNEXPECTED ||
	! grep -Eq '\| [0-9.]+ client > server R 1:1\(0\)$' "$out/close_in_syn_sent.out"; then
	echo "check_compare: close_in_syn_sent: the segments differ from the simulator's:" >&2
	sed -n '/^segments$/,/^$/p' "$out/close_in_syn_sent.out" >&2
	bad=1
fi

left=$(ip netns list 2>/dev/null | grep -c '^tcpsim-')
if [ "$left" -ne 0 ]; then
	echo "check_compare: $left tcpsim- namespaces left behind" >&2
	bad=1
fi
[ $bad -eq 0 ] || exit 1
echo "check_compare: $(echo $scenarios | wc -w) scenarios compared with Linux, no unexpected difference"
