/* test_pcapng_out.c - the pcapng blocks: a file of two interfaces and
 * commented packets that tshark reads cleanly (checksums checked), with the
 * section's comment and application, each packet on its interface at its
 * time, the comments where they were put; the bytes themselves against the
 * draft's layout; a write error reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/pcapng_out.h"
#include "proto/packet.h"
#include "command_output.h"
#include "testing.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* A fresh temporary file name; the file exists (empty) until removed. */
static void temp_path(char path[64])
{
	snprintf(path, 64, "/tmp/tcpsim_test_pcapng_XXXXXX");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
}

/* A segment of the client's (from true) or the server's, encoded. */
static size_t encode(bool from_client, uint8_t flags, uint32_t seq, uint32_t ack, const char *data, uint16_t id,
		     uint8_t *buf, size_t cap)
{
	struct segment s = {
		.src_ip = from_client ? IP(10, 0, 0, 1) : IP(10, 0, 0, 2),
		.dst_ip = from_client ? IP(10, 0, 0, 2) : IP(10, 0, 0, 1),
		.src_port = from_client ? 40000 : 80, .dst_port = from_client ? 80 : 40000,
		.seq = seq, .ack = ack, .win = 65535, .flags = flags,
		.len = data ? (uint32_t)strlen(data) : 0, .data = (const uint8_t *)data,
	};
	return packet_encode(&s, id, buf, cap);
}

/* What cmd prints, NULL when it fails. */
static char *output_of(const char *cmd)
{
	int status;
	char *out = command_output(cmd, &status);

	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Writes the file the tests read: a data segment from the client, seen at
 * the client at 1.5 s and at the server 50 ms later, the second with two
 * comments; a lost FIN seen at the server only, commented. */
static void write_sample(const char *path)
{
	char err[256] = "";
	uint8_t pkt[256];
	FILE *f = fopen(path, "wb");
	size_t n;

	CU_ASSERT_FATAL(f != NULL);
	struct pcapng_out *p = pcapng_open_stream(f, "sample: a request and a lost FIN", "tcpsim test", err, sizeof err);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(pcapng_add_interface(p, PCAPNG_LINKTYPE_RAW, "client", "a capture at the client"), 0);
	CU_ASSERT_EQUAL(pcapng_add_interface(p, PCAPNG_LINKTYPE_RAW, "server", "a capture at the server"), 1);
	n = encode(true, TH_ACK | TH_PSH, 1001, 5001, "GET /", 1, pkt, sizeof pkt);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(pcapng_packet(p, 0, 1500000, pkt, n, NULL, 0), 0);
	const char *two[] = { "server: SYN_RECEIVED -> ESTABLISHED (T09)", "ünïcode stays whole" };
	CU_ASSERT_EQUAL(pcapng_packet(p, 1, 1550000, pkt, n, two, 2), 0);
	n = encode(false, TH_FIN | TH_ACK, 5001, 1006, NULL, 2, pkt, sizeof pkt);
	const char *one[] = { "dropped by the link" };
	CU_ASSERT_EQUAL(pcapng_packet(p, 1, 1600000, pkt, n, one, 1), 0);
	CU_ASSERT_EQUAL(pcapng_close(p, err, sizeof err), 0);
}

/* tshark reads the file cleanly with checksums checked: three frames, the
 * interfaces and times, each comment on its frame, the section's. */
static void test_tshark_reads_it(void)
{
	char path[64], cmd[512];
	char *out;

	temp_path(path);
	write_sample(path);
	snprintf(cmd, sizeof cmd,
		 "tshark -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -r %s -T fields -E separator='|' "
		 "-e frame.interface_id -e frame.time_relative -e tcp.flags.str -e tcp.checksum.status "
		 "-e ip.checksum.status -e frame.comment 2>&1",
		 path);
	out = output_of(cmd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	/* interface, time since the first frame, flags, the TCP and IP
	 * checksums' status (1: good), the comments joined by commas */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0|0.000000000|·······AP···|1|1|\n"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(out, "1|0.050000000|·······AP···|1|1|server: SYN_RECEIVED -> ESTABLISHED (T09),ünïcode stays whole\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1|0.100000000|·······A···F|1|1|dropped by the link\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "tshark:"));     /* no complaint */
	free(out);
	snprintf(cmd, sizeof cmd, "tshark -r %s -Y frame.comment 2>/dev/null | wc -l", path);
	out = output_of(cmd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(atoi(out), 2);
	free(out);
	snprintf(cmd, sizeof cmd, "capinfos -k %s 2>&1", path);   /* capinfos comes with tshark */
	out = output_of(cmd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "sample: a request and a lost FIN"));
	free(out);
	unlink(path);
}

/* The bytes as the draft lays them out: the section header's type, length
 * at both ends, byte-order magic, version; every block a multiple of four
 * long and its two lengths equal. */
static void test_block_layout(void)
{
	char path[64];
	uint8_t buf[4096];
	size_t n, at = 0, blocks = 0;
	FILE *f;

	temp_path(path);
	write_sample(path);
	f = fopen(path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	unlink(path);
	CU_ASSERT_FATAL(n > 28);
	CU_ASSERT(memcmp(buf, "\x0a\x0d\x0d\x0a", 4) == 0);
	CU_ASSERT(memcmp(buf + 8, "\x4d\x3c\x2b\x1a\x01\x00\x00\x00", 8) == 0);
	while (at + 12 <= n) {
		uint32_t len = (uint32_t)buf[at + 4] | (uint32_t)buf[at + 5] << 8 | (uint32_t)buf[at + 6] << 16 |
			       (uint32_t)buf[at + 7] << 24;
		CU_ASSERT_FATAL(len % 4 == 0 && len >= 12 && at + len <= n);
		CU_ASSERT(memcmp(buf + at + 4, buf + at + len - 4, 4) == 0);
		at += len;
		blocks++;
	}
	CU_ASSERT_EQUAL(at, n);
	CU_ASSERT_EQUAL(blocks, 6);                     /* SHB, two IDBs, three EPBs */
}

/* A packet on an interface never described, or a write that fails, is
 * reported at close. */
static void test_errors_reported(void)
{
	char err[256] = "";
	uint8_t pkt[64] = { 0 };
	FILE *f = fopen("/dev/full", "wb");

	CU_ASSERT_FATAL(f != NULL);
	setvbuf(f, NULL, _IONBF, 0);
	struct pcapng_out *p = pcapng_open_stream(f, NULL, "t", err, sizeof err);
	CU_ASSERT_PTR_NULL(p);                          /* the section header could not be written */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "writing the capture file"));
	f = tmpfile();
	CU_ASSERT_FATAL(f != NULL);
	p = pcapng_open_stream(f, NULL, "t", err, sizeof err);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(pcapng_packet(p, 0, 0, pkt, sizeof pkt, NULL, 0), -1);
	CU_ASSERT_EQUAL(pcapng_close(p, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "a packet on no interface");
}

TCPSIM_SUITE(pcapng_out,
	{ "tshark reads it: interfaces, times, comments, checksums", test_tshark_reads_it },
	{ "the blocks as the draft lays them out", test_block_layout },
	{ "a packet on no interface and a write error are reported", test_errors_reported })
