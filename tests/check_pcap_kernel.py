#!/usr/bin/env python3
"""tests/check_pcap_kernel.py - tools/check_pcap.sh on a kernel's zero checksum.

Writes a one-frame pcap whose TCP checksum field is 0xffff where 0x0000 is
computed (Linux's CSUM_MANGLED_0, which a replay's kernel writes for one
packet in 65536) and checks that check_pcap.sh fails on it, as on any pcap
tcpsim wrote itself, and passes it with --kernel, which check_replay uses.
Then the same frame with a truly wrong checksum: failed either way."""
import os
import struct
import subprocess
import sys
import tempfile


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def packet(field):
    """An IPv4/TCP ACK whose checksum computes to 0, with field stored."""
    src, dst = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    for pad in range(65536):                       # payload chosen so the checksum is 0
        payload = struct.pack("!H", pad)
        tcp = struct.pack("!HHIIBBHHH", 40000, 80, 1, 1, 5 << 4, 0x10, 65535, 0, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
        if (~csum(pseudo + tcp)) & 0xffff == 0:
            break
    tcp = tcp[:16] + struct.pack("!H", field) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", (~csum(ip)) & 0xffff) + ip[12:]
    return ip + tcp


def write_pcap(path, pkt):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
        f.write(struct.pack("<IIII", 0, 0, len(pkt), len(pkt)) + pkt)


def passes(d, *opts):
    r = subprocess.run(["tools/check_pcap.sh", *opts, d], capture_output=True, text=True)
    return r.returncode == 0


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    fails = []
    with tempfile.TemporaryDirectory() as d:
        write_pcap(os.path.join(d, "zero.pcap"), packet(0xffff))
        if passes(d):
            fails.append("a 0xffff TCP checksum passed without --kernel")
        if not passes(d, "--kernel"):
            fails.append("a kernel's 0xffff TCP checksum (CSUM_MANGLED_0) failed with --kernel")
        write_pcap(os.path.join(d, "zero.pcap"), packet(0x1234))
        if passes(d, "--kernel"):
            fails.append("a wrong TCP checksum passed with --kernel")
    for f in fails:
        print("check_pcap_kernel: FAIL: " + f)
    if not fails:
        print("check_pcap_kernel: a kernel's 0xffff checksum passes with --kernel only; a wrong one never")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
