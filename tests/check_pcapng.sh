#!/bin/bash
# check_pcapng.sh TCPSIM OUT - the commented capture of a run (NAME.pcapng):
# every shipped scenario's run wrote one beside its pcap (tools/check_pcap.sh
# reads them all, checksums checked); in the lost final ACK's, tshark lists
# the final ACK dropped by the link at the client, the server's FIN sent again
# by its timer, and the client's TIME_WAIT answering it (S16); interface 1 is
# the server's view: the lost ACK is not in it.
set -u
TCPSIM=${1:-build/tcpsim}
OUT=${2:-build/out}
fails=0
fail() {
	echo "check_pcapng: FAIL: $*"
	fails=$((fails + 1))
}

for f in scenarios/*.yaml; do
	n=$(basename "$f" .yaml)
	[ -s "$OUT/$n.pcapng" ] || fail "no $OUT/$n.pcapng"
done

F="$OUT/lost_final_ack.pcapng"
comments=$(tshark -r "$F" -Y frame.comment -T fields -E separator='|' -e frame.interface_id -e tcp.flags.str \
	-e frame.comment 2>/dev/null)
grep -qx '0|·······A····|dropped by the link' <<<"$comments" || fail "no final ACK dropped by the link at the client:
$comments"
grep -qx '1|·······A···F|retransmission (RTO 1)' <<<"$comments" || fail "no FIN sent again by the server's timer:
$comments"
grep -q '^0|·······A···F|copy of frame [0-9]*, 50.0 ms on the link,client: rcv FIN again (S16)$' <<<"$comments" ||
	fail "the client's answer to the resent FIN is not said:
$comments"
server=$(tshark -r "$F" -Y 'frame.interface_id==1' -T fields -e tcp.flags.str -e tcp.seq 2>/dev/null | wc -l)
all=$(tshark -r "$F" -T fields -e frame.number 2>/dev/null | wc -l)
pcap=$(tshark -r "$OUT/lost_final_ack.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
# each packet twice, the lost ACK once; the server saw one fewer than were sent
[ "$all" -eq $((2 * pcap - 1)) ] || fail "$all frames in the pcapng for $pcap packets sent (one lost)"
[ "$server" -lt "$all" ] && [ "$server" -gt 0 ] || fail "interface 1 (the server) has $server of $all frames"
capinfos -k "$F" 2>/dev/null | grep -q "lost_final_ack: The client's final ACK is lost" ||
	fail "the file's comment is not the scenario's name and summary"

if [ $fails -ne 0 ]; then
	echo "check_pcapng: $fails failure(s)"
	exit 1
fi
echo "check_pcapng: every scenario's pcapng written; the lost final ACK's tells its story"
