#!/bin/bash
# check_pcap.sh [--no-analysis-warnings] [--kernel] DIR
#
# Reads every *.pcap and *.pcapng under DIR (subdirectories included) with
# tshark and fails when a .pcap is not a libpcap file of link type RAW
# (LINKTYPE_RAW, 101) or a .pcapng not a pcapng file of that encapsulation,
# when tshark cannot read it to the end, or when any frame
#   - is not an IPv4 packet carrying TCP (frame.protocols raw:ip:tcp...),
#   - was captured short of its length,
#   - is malformed (_ws.malformed) or has an expert item of severity Error,
#   - has an IP or TCP checksum that is not Good (ip/tcp.checksum.status),
#   - carries a header defect that Wireshark reports below Error (bogus IP or
#     TCP lengths, bad option lengths, a 0xffff TCP checksum, ...).
# With --no-analysis-warnings it also fails on the frames Wireshark's "Bad
# TCP" colouring rule marks: tcp.analysis.flags other than window updates and
# keep-alives (retransmissions, duplicate ACKs, out-of-order, lost segments,
# zero windows, reused ports, ...); in a .pcap only: a tcpsim .pcapng holds
# each packet twice (a capture at each end), which Wireshark's analysis
# takes for retransmissions.
# With --kernel the pcap holds a kernel's own packets (tcpsim replay): a TCP
# checksum of 0xffff where 0x0000 is computed is then not a fault. Linux
# completes a checksum for a device without offload in skb_checksum_help,
# which writes a zero result as CSUM_MANGLED_0 (0xffff); both spellings of
# zero are valid (RFC 1624), and one packet in 65536 has it.
#
# Payloads are decoded as plain data (every TCP port is decoded as "data"):
# the check is about the IPv4 and TCP headers the simulator writes, and a
# simulated payload sent to port 53 or 443 is not meant to be valid DNS or TLS.
#
# Prints "check_pcap: N files, M frames, all clean" and exits 0; otherwise
# names each file and frame at fault on stderr and exits 1. Exit 2: usage, or
# tshark missing.
set -u -o pipefail

prog=check_pcap
analysis=0
kernel=0
usage() {
	echo "usage: $0 [--no-analysis-warnings] [--kernel] DIR" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--no-analysis-warnings) analysis=1; shift ;;
	--kernel) kernel=1; shift ;;
	-h|--help) echo "usage: $0 [--no-analysis-warnings] [--kernel] DIR"; exit 0 ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
dir=$1
if [ ! -d "$dir" ]; then
	echo "$prog: $dir: no such directory" >&2
	exit 2
fi
if ! command -v tshark >/dev/null 2>&1; then
	echo "$prog: tshark not found (Debian package tshark)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_pcap.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# The one line tshark prints on stderr when run as root: not an error.
root_warning='Running as user "root" and group "root". This could be dangerous.'

# Header defects Wireshark reports as Note or Warning rather than Error.
header_experts=(ip.bogus_ip_length ip.bogus_header_length ip.bogus_ip_version ip.opt.len.invalid
	tcp.bogus_header_length tcp.short_segment tcp.option.len.invalid tcp.suboption_malformed
	tcp.non_zero_bytes_after_eol tcp.checksum.ffff)

fields=(frame.number frame.len frame.cap_len frame.protocols _ws.malformed
	ip.checksum.status tcp.checksum.status _ws.expert.severity
	tcp.analysis.flags tcp.analysis.window_update tcp.analysis.keep_alive tcp.analysis.keep_alive_ack)
fields+=("${header_experts[@]}" _ws.expert.message)
field_args=()
for f in "${fields[@]}"; do
	field_args+=(-e "$f")
done

# Prints the link type of the libpcap file $1 (any byte order, micro- or
# nanosecond magic), or a reason it is not one prefixed with "!".
pcap_linktype() {
	local -a b
	if ! od -An -v -tx1 -N24 -- "$1" >"$tmp/hdr" 2>"$tmp/hdr_err"; then
		echo "!cannot read it: $(head -n 1 "$tmp/hdr_err")"
		return
	fi
	read -ra b <<<"$(tr '\n' ' ' <"$tmp/hdr")"
	set -- "${b[@]}"
	if [ $# -lt 24 ]; then
		echo "!shorter than a pcap file header"
		return
	fi
	case "$1$2$3$4" in
	d4c3b2a1|4d3cb2a1) echo $((0x${24}${23}${22}${21})) ;;
	a1b2c3d4|a1b23c4d) echo $((0x${21}${22}${23}${24})) ;;
	0a0d0d0a)
		if [[ "$file" != *.pcapng ]]; then
			echo "!a pcapng file, not libpcap's pcap format"
		elif ! enc=$(capinfos -T -E -r -- "$file" 2>/dev/null | cut -f2); then
			echo "!capinfos cannot read it"
		elif [ "$enc" = "rawip" ]; then
			echo 101
		else
			echo "!encapsulation $enc, not rawip (RAW)"
		fi
		;;
	*) echo "!not a pcap file (magic $1$2$3$4)" ;;
	esac
}

nfiles=0
nframes=0
nbad=0
while IFS= read -r -d '' file; do
	nfiles=$((nfiles + 1))
	lt=$(pcap_linktype "$file")
	case "$lt" in
	!*)
		echo "$prog: $file: ${lt#!}" >&2
		nbad=$((nbad + 1))
		continue
		;;
	101) ;;
	*)
		echo "$prog: $file: link type $lt, not RAW (101)" >&2
		nbad=$((nbad + 1))
		continue
		;;
	esac

	tshark -n -r "$file" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
		-d tcp.port==0-65535,data \
		-T fields -E separator=/t -E occurrence=a -E aggregator=, \
		"${field_args[@]}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	grep -v -x -F -e "$root_warning" "$tmp/err" | grep -v '^[[:space:]]*$' >"$tmp/err2"
	if [ $rc -ne 0 ] || [ -s "$tmp/err2" ]; then
		echo "$prog: $file: tshark cannot read it cleanly (exit $rc):" >&2
		sed 's/^/  /' "$tmp/err2" >&2
		nbad=$((nbad + 1))
		# Frames read before the failure are still checked below.
	fi

	file_analysis=$analysis
	[[ "$file" == *.pcapng ]] && file_analysis=0
	result=$(awk -F'\t' -v file="$file" -v prog="$prog" -v analysis="$file_analysis" -v kernel="$kernel" \
		-v nhdr="${#header_experts[@]}" -v hdrnames="${header_experts[*]}" '
	function allval(s, want,    n, a, i) {
		if (s == "")
			return 0
		n = split(s, a, ",")
		for (i = 1; i <= n; i++)
			if (a[i] != want)
				return 0
		return 1
	}
	function hasval(s, want,    n, a, i) {
		n = split(s, a, ",")
		for (i = 1; i <= n; i++)
			if (a[i] == want)
				return 1
		return 0
	}
	function status_problem(s, what) {
		if (allval(s, "1"))
			return ""
		if (hasval(s, "0"))
			return "bad " what " checksum"
		return what " checksum not verified"
	}
	BEGIN { split(hdrnames, hdr, " "); frames = 0; bad = 0 }
	{
		frames++
		why = ""
		if ($4 !~ /^raw:ip:tcp(:|$)/)
			why = why "; not an IPv4/TCP packet (" $4 ")"
		if ($2 != $3)
			why = why "; captured " $3 " of " $2 " bytes"
		if ($5 != "")
			why = why "; malformed"
		p = status_problem($6, "IP")
		if (p != "")
			why = why "; " p
		# the last header expert is tcp.checksum.ffff: a zero from a kernel
		ffff = kernel && $(12 + nhdr) != ""
		p = status_problem($7, "TCP")
		if (p != "" && !ffff)
			why = why "; " p
		if (hasval($8, "8388608"))
			why = why "; expert error"
		for (i = 1; i <= nhdr; i++)
			if ($(12 + i) != "" && !(ffff && i == nhdr))
				why = why "; " hdr[i]
		if (analysis && $9 != "" && $10 == "" && $11 == "" && $12 == "")
			why = why "; TCP analysis warning"
		if (why != "") {
			bad++
			msg = $(13 + nhdr)
			printf "%s: %s: frame %s: %s%s\n", prog, file, $1, substr(why, 3),
				(msg != "" ? " [" msg "]" : "") > "/dev/stderr"
		}
	}
	END { print frames, bad }
	' "$tmp/out")
	read -r file_frames file_bad <<<"$result"
	nframes=$((nframes + file_frames))
	nbad=$((nbad + file_bad))
done < <(find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' \) -print0 | sort -z)

if [ "$nfiles" -eq 0 ]; then
	echo "$prog: no .pcap file under $dir" >&2
	exit 1
fi
if [ "$nbad" -ne 0 ]; then
	echo "$prog: $nfiles files, $nframes frames, $nbad problems" >&2
	exit 1
fi
echo "$prog: $nfiles files, $nframes frames, all clean"
