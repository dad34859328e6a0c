/* test_pcap_out.c - the capture file: link type RAW, one packet per sent
 * segment, virtual timestamps, IP IDs per source address, bytes that decode
 * back to the segments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>
#include "proto/packet.h"
#include "output/pcap_out.h"
#include "testing.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define CLIENT_IP IP(10, 0, 0, 1)
#define SERVER_IP IP(10, 0, 0, 2)

static struct trace_endpoint endpoints[] = {
	{ .name = 0, .ip = CLIENT_IP, .port = 40000, .isn = 1000 },
	{ .name = 1, .ip = SERVER_IP, .port = 80, .isn = 5000 },
};

static void make_trace(struct trace *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->endpoints = endpoints;
	tr->n_endpoints = 2;
	tr->cap_endpoints = 2;
	tr->names[0] = "client";
	tr->names[1] = "server";
	tr->n_names = 2;
}

/* A fresh temporary file name; the file exists (empty) until removed. */
static void temp_path(char path[64])
{
	int fd;

	snprintf(path, 64, "/tmp/tcpsim_test_pcap_XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
}

static struct trace_event seg_event(usec_t t, int src, enum seg_event e, bool forged, struct segment seg)
{
	struct trace_event ev = {
		.type = TRACE_SEGMENT, .t_us = t,
		.u.segment = { .src = src, .dst = 1 - src, .event = e, .forged = forged, .seg = seg },
	};
	return ev;
}

static struct segment client_seg(uint8_t flags, uint32_t seq, uint32_t ack, uint16_t mss,
				 uint32_t len, const char *data)
{
	struct segment s = {
		.src_ip = CLIENT_IP, .dst_ip = SERVER_IP, .src_port = 40000, .dst_port = 80,
		.seq = seq, .ack = ack, .win = 65535, .flags = flags, .mss = mss,
		.len = len, .data = (const uint8_t *)data,
	};
	return s;
}

static struct segment server_seg(uint8_t flags, uint32_t seq, uint32_t ack, uint16_t mss)
{
	struct segment s = {
		.src_ip = SERVER_IP, .dst_ip = CLIENT_IP, .src_port = 80, .dst_port = 40000,
		.seq = seq, .ack = ack, .win = 29200, .flags = flags, .mss = mss,
	};
	return s;
}

static uint32_t read_u32(const uint8_t *p, bool little)
{
	if (little)
		return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static void test_write_and_read_back(void)
{
	struct segment sent[4] = {
		client_seg(TH_SYN, 1000, 0, 1460, 0, NULL),
		server_seg(TH_SYN | TH_ACK, 5000, 1001, 1460),
		client_seg(TH_PSH | TH_ACK, 1001, 5001, 0, 5, "hello"),
		server_seg(TH_RST, 5001, 0, 0),
	};
	const usec_t times[4] = { 10000, 60000, 1500250, 4000000000ull };
	const uint16_t ids[4] = { 1, 1, 2, 2 };
	struct trace_event evs[] = {
		seg_event(times[0], 0, SEGEV_SEND, false, sent[0]),
		seg_event(60000, 0, SEGEV_DELIVER, false, sent[0]),
		seg_event(times[1], 1, SEGEV_SEND, false, sent[1]),
		seg_event(times[1], 1, SEGEV_DUPLICATE, false, sent[1]),
		{ .type = TRACE_STATE, .t_us = 110000, .endpoint = 0,
		  .u.state = { .from = TCPS_SYN_SENT, .to = TCPS_ESTABLISHED, .cause = "rcv SYN,ACK" } },
		seg_event(times[2], 0, SEGEV_SEND, false, sent[2]),
		seg_event(1550250, 0, SEGEV_DROP, false, sent[2]),
		{ .type = TRACE_DATA, .t_us = 1550250, .endpoint = 1, .u.data = { .bytes = 5 } },
		seg_event(times[3], 1, SEGEV_SEND, true, sent[3]),
	};
	char path[64], err[256] = "", errbuf[PCAP_ERRBUF_SIZE];
	struct trace tr;
	struct pcap_out *po;
	struct trace_sink sink;
	pcap_t *p;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint8_t filehdr[24];
	FILE *f;
	int n = 0, rc;

	make_trace(&tr);
	temp_path(path);
	po = pcap_out_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(po);
	sink = pcap_out_sink(po);
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		sink.event(sink.ctx, &tr, &evs[i]);
	CU_ASSERT_EQUAL(pcap_out_close(po, err, sizeof(err)), 0);

	/* The file header as bytes: magic, version 2.4, snaplen, LINKTYPE_RAW. */
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(fread(filehdr, 1, sizeof(filehdr), f), sizeof(filehdr));
	fclose(f);
	bool little = filehdr[0] == 0xd4;
	CU_ASSERT_EQUAL(read_u32(filehdr, little), 0xa1b2c3d4);          /* microseconds */
	CU_ASSERT_EQUAL(read_u32(filehdr + 16, little), 65535);
	CU_ASSERT_EQUAL(read_u32(filehdr + 20, little), 101);

	p = pcap_open_offline(path, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(pcap_datalink(p), DLT_RAW);
	CU_ASSERT_EQUAL(pcap_snapshot(p), 65535);
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		struct segment got;
		const char *why = NULL;

		CU_ASSERT_FATAL(n < 4);
		CU_ASSERT_EQUAL((uint64_t)hdr->ts.tv_sec, times[n] / 1000000);
		CU_ASSERT_EQUAL((uint64_t)hdr->ts.tv_usec, times[n] % 1000000);
		CU_ASSERT_EQUAL(hdr->caplen, hdr->len);
		CU_ASSERT_EQUAL(hdr->len, 40 + (sent[n].mss ? 4 : 0) + sent[n].len);
		CU_ASSERT_EQUAL_FATAL(packet_decode(data, hdr->caplen, &got, &why), 0);
		CU_ASSERT_EQUAL(got.src_ip, sent[n].src_ip);
		CU_ASSERT_EQUAL(got.dst_ip, sent[n].dst_ip);
		CU_ASSERT_EQUAL(got.src_port, sent[n].src_port);
		CU_ASSERT_EQUAL(got.dst_port, sent[n].dst_port);
		CU_ASSERT_EQUAL(got.seq, sent[n].seq);
		CU_ASSERT_EQUAL(got.ack, sent[n].ack);
		CU_ASSERT_EQUAL(got.win, sent[n].win);
		CU_ASSERT_EQUAL(got.flags, sent[n].flags);
		CU_ASSERT_EQUAL(got.mss, sent[n].mss);
		CU_ASSERT_EQUAL(got.len, sent[n].len);
		if (got.len == sent[n].len && got.len)
			CU_ASSERT_EQUAL(memcmp(got.data, sent[n].data, got.len), 0);
		CU_ASSERT_EQUAL(data[4] << 8 | data[5], ids[n]);
		CU_ASSERT_EQUAL(data[8], 64);                                 /* TTL */
		CU_ASSERT_EQUAL(data[6], 0x40);                               /* DF */
		CU_ASSERT_EQUAL(packet_tcp_checksum(got.src_ip, got.dst_ip, data + 20, hdr->caplen - 20), 0);
		n++;
	}
	CU_ASSERT_EQUAL(rc, PCAP_ERROR_BREAK);
	CU_ASSERT_EQUAL(n, 4);
	pcap_close(p);
	remove(path);
}

/* Many source addresses (scattered, so that some share a hash bucket):
 * each one's IDs count 1, 2, 3 on their own. */
static void test_ip_id_per_source(void)
{
	enum { CLIENTS = 1000, ROUNDS = 3 };
	char path[64], err[256] = "", errbuf[PCAP_ERRBUF_SIZE];
	static uint32_t ips[CLIENTS];
	uint32_t x = 1;
	struct trace tr;
	struct pcap_out *po;
	struct trace_sink sink;
	pcap_t *p;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int n = 0, bad = 0;

	/* A full-period LCG: the addresses are distinct. */
	for (int c = 0; c < CLIENTS; c++) {
		x = x * 1664525u + 1013904223u;
		ips[c] = x;
	}
	make_trace(&tr);
	temp_path(path);
	po = pcap_out_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(po);
	sink = pcap_out_sink(po);
	for (int r = 0; r < ROUNDS; r++) {
		for (int c = 0; c < CLIENTS; c++) {
			struct segment s = client_seg(TH_ACK, (uint32_t)r, 0, 0, 0, NULL);
			struct trace_event ev;

			s.src_ip = ips[c];
			ev = seg_event((usec_t)(r * CLIENTS + c), 0, SEGEV_SEND, false, s);
			ev.u.segment.src = c;              /* endpoint c sends */
			sink.event(sink.ctx, &tr, &ev);
		}
	}
	CU_ASSERT_EQUAL(pcap_out_close(po, err, sizeof(err)), 0);

	p = pcap_open_offline(path, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while (pcap_next_ex(p, &hdr, &data) == 1) {
		int r = n / CLIENTS, c = n % CLIENTS;
		uint32_t src = (uint32_t)data[12] << 24 | (uint32_t)data[13] << 16 |
			       (uint32_t)data[14] << 8 | data[15];

		if ((data[4] << 8 | data[5]) != r + 1 || src != ips[c])
			bad++;
		n++;
	}
	CU_ASSERT_EQUAL(n, CLIENTS * ROUNDS);
	CU_ASSERT_EQUAL(bad, 0);
	pcap_close(p);
	remove(path);
}

/* A segment that carries the packet as it was on the wire (the replay's)
 * is written byte for byte: the kernels' options and IP IDs survive. */
static void test_raw_bytes_written_as_is(void)
{
	char path[64], err[256] = "", errbuf[PCAP_ERRBUF_SIZE];
	uint8_t raw[PACKET_MAX];
	struct trace tr;
	struct segment s = client_seg(TH_SYN, 1000, 0, 1460, 0, NULL);
	size_t n = packet_encode(&s, 4242, raw, sizeof raw);
	struct pcap_pkthdr *hdr;
	const u_char *data;

	CU_ASSERT_FATAL(n > 0);
	make_trace(&tr);
	temp_path(path);
	struct pcap_out *po = pcap_out_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(po);
	struct trace_sink sink = pcap_out_sink(po);
	struct trace_event ev = seg_event(7, 0, SEGEV_SEND, false, s);
	ev.u.segment.raw = raw;
	ev.u.segment.raw_len = (uint32_t)n;
	sink.event(sink.ctx, &tr, &ev);
	CU_ASSERT_EQUAL(pcap_out_close(po, err, sizeof(err)), 0);
	pcap_t *p = pcap_open_offline(path, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(pcap_next_ex(p, &hdr, &data), 1);
	CU_ASSERT_EQUAL(hdr->caplen, n);
	CU_ASSERT_EQUAL(memcmp(data, raw, n), 0);     /* IP ID 4242, not the writer's 1 */
	pcap_close(p);
	remove(path);
}

static void test_open_fails(void)
{
	char err[256] = "";

	CU_ASSERT_PTR_NULL(pcap_out_open("/nonexistent-dir/x/y.pcap", err, sizeof(err)));
	CU_ASSERT_NOT_EQUAL(err[0], '\0');
}

/* A segment that no IPv4 packet can hold is reported at close; the others
 * are still written. */
static void test_oversized_segment_reported(void)
{
	char path[64], err[256] = "", errbuf[PCAP_ERRBUF_SIZE];
	struct trace tr;
	struct pcap_out *po;
	struct trace_sink sink;
	struct trace_event ev;
	pcap_t *p;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int n = 0;

	make_trace(&tr);
	temp_path(path);
	po = pcap_out_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(po);
	sink = pcap_out_sink(po);
	ev = seg_event(1, 0, SEGEV_SEND, false, client_seg(TH_ACK, 1, 1, 0, 70000, NULL));
	sink.event(sink.ctx, &tr, &ev);
	ev = seg_event(2, 0, SEGEV_SEND, false, client_seg(TH_ACK, 1, 1, 0, 65495, NULL));
	sink.event(sink.ctx, &tr, &ev);
	CU_ASSERT_EQUAL(pcap_out_close(po, err, sizeof(err)), -1);
	CU_ASSERT_NOT_EQUAL(err[0], '\0');

	p = pcap_open_offline(path, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while (pcap_next_ex(p, &hdr, &data) == 1) {
		CU_ASSERT_EQUAL(hdr->caplen, 65535);
		n++;
	}
	CU_ASSERT_EQUAL(n, 1);
	pcap_close(p);
	remove(path);
}

/* A full disk is reported at close. */
static void test_write_error_reported(void)
{
	char err[256] = "";
	struct pcap_out *po = pcap_out_open("/dev/full", err, sizeof(err));
	struct trace tr;
	struct trace_sink sink;
	struct trace_event ev;

	if (!po) {
		/* libpcap writes the file header at once: the full disk may be
		 * found already here, which is as good. */
		CU_ASSERT_NOT_EQUAL(err[0], '\0');
		CU_ASSERT_EQUAL(access("/dev/full", W_OK), 0);
		return;
	}
	make_trace(&tr);
	sink = pcap_out_sink(po);
	ev = seg_event(1, 0, SEGEV_SEND, false, client_seg(TH_SYN, 1000, 0, 1460, 0, NULL));
	sink.event(sink.ctx, &tr, &ev);
	CU_ASSERT_EQUAL(pcap_out_close(po, err, sizeof(err)), -1);
	CU_ASSERT_NOT_EQUAL(err[0], '\0');
}

/* The records are ours, the layout is libpcap's: the same packets written
 * with pcap_dump() give the same file, byte for byte. Enough of them, of
 * every size up to the largest, to cross the writer's buffer many times. */
static void test_records_equal_pcap_dump(void)
{
	char ours[64], theirs[64], err[256] = "";
	static uint8_t payload[65491], packet[PACKET_MAX];
	uint16_t ids[2] = { 1, 1 };
	struct trace tr;

	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	make_trace(&tr);
	temp_path(ours);
	temp_path(theirs);
	struct pcap_out *po = pcap_out_open(ours, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(po);
	struct trace_sink sink = pcap_out_sink(po);
	pcap_t *dead = pcap_open_dead(DLT_RAW, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, theirs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (uint32_t i = 0; i < 3000; i++) {
		uint32_t len = i == 1500 ? sizeof payload : (i * 331) % 1461;
		int src = (int)(i % 2);
		struct segment s = src ? server_seg(TH_ACK, 5000 + i, 1000 + i, 0)
				       : client_seg(TH_ACK | TH_PSH, 1000 + i, 5000 + i, i % 3 ? 0 : 1460, 0, NULL);
		s.len = len;
		s.data = len ? payload : NULL;
		usec_t t = (usec_t)i * 1234567u;
		struct trace_event ev = seg_event(t, src, SEGEV_SEND, false, s);
		sink.event(sink.ctx, &tr, &ev);
		size_t n = packet_encode(&s, ids[src]++, packet, sizeof packet);
		CU_ASSERT_FATAL(n > 0);
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
		h.ts.tv_sec = (time_t)(t / 1000000);
		h.ts.tv_usec = (suseconds_t)(t % 1000000);
		pcap_dump((u_char *)d, &h, packet);
	}
	CU_ASSERT_EQUAL(pcap_out_close(po, err, sizeof(err)), 0);
	pcap_dump_close(d);
	pcap_close(dead);
	FILE *a = fopen(ours, "rb"), *b = fopen(theirs, "rb");
	CU_ASSERT_FATAL(a && b);
	long n = 0;
	int ca, cb;
	do {
		ca = fgetc(a);
		cb = fgetc(b);
		n++;
	} while (ca == cb && ca != EOF);
	CU_ASSERT_EQUAL(ca, cb);
	CU_ASSERT(n > 2000000);            /* two flushes of the buffer at least */
	fclose(a);
	fclose(b);
	remove(ours);
	remove(theirs);
}

TCPSIM_SUITE(pcap_out,
	{ "records are byte for byte pcap_dump's", test_records_equal_pcap_dump },
	{ "raw packet bytes are written as they were", test_raw_bytes_written_as_is },
	{ "write, read back: link type, count, times, bytes", test_write_and_read_back },
	{ "IP ID counts per sending endpoint", test_ip_id_per_source },
	{ "open reports an uncreatable file", test_open_fails },
	{ "an oversized segment is reported", test_oversized_segment_reported },
	{ "a write error is reported", test_write_error_reported })
