/* pcap_out.c - the capture file: every segment put on the wire, as IPv4/TCP
 * packets in a libpcap file of link type RAW (LINKTYPE_RAW, 101).
 *
 * libpcap opens the file and writes its header (pcap_dump_fopen). The
 * records are built in a buffer of our own, each packet encoded in place
 * right behind its 16-byte record header, in the layout pcap_dump() writes
 * (struct pcap_sf_pkthdr: seconds, microseconds, caplen, len as 32-bit
 * words of the host's order, which the file header's magic announces), and
 * the buffer goes to the file 256 KB at a time: pcap_dump() would cost
 * two stdio calls and a copy for each of eight million packets. A unit test
 * checks that the bytes equal pcap_dump()'s for the same packets.
 *
 * The IPv4 identification of each packet comes from a counter per sending
 * endpoint, starting at 1 (as Linux keeps one per connected socket), so the
 * same run gives the same bytes; with one client, that is one counter per
 * address. The counters are an array indexed by endpoint: a million clients
 * cost no hash lookups. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include "proto/packet.h"
#include "output/pcap_out.h"

#define PCAP_OUT_SNAPLEN 65535
#define IP_ID_TABLE_MIN 64
#define PCAP_REC_HDR 16                    /* struct pcap_sf_pkthdr */
#define PCAP_OUT_BUF (256u << 10)          /* bytes written at a time; holds the largest record */
_Static_assert(PCAP_OUT_BUF >= PCAP_REC_HDR + PACKET_MAX, "the buffer holds any record");

struct pcap_out {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	uint16_t *ids;                 /* next IP ID per endpoint + 1 ([0]: no endpoint) */
	size_t ids_cap;
	FILE *file;                    /* pcap_dump_file(dumper), unbuffered: we buffer */
	uint8_t *buf;                  /* records not yet written: buf[0 .. used) */
	size_t used;
	char error[160];               /* the first failure, reported at close */
};

/* Copies msg into the caller's err buffer (when there is one). */
static void set_error(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/* Remembers the first thing that went wrong while writing; later ones are
 * consequences of it or less interesting. */
static void note_error(struct pcap_out *po, const char *msg)
{
	if (!po->error[0])
		snprintf(po->error, sizeof(po->error), "%s", msg);
}

/* Creates path (truncating it) as a pcap file of link type RAW. Returns the
 * writer, or NULL with a message in err. */
struct pcap_out *pcap_out_open(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		set_error(err, errlen, strerror(errno));
		return NULL;
	}
	return pcap_out_open_stream(f, err, errlen);
}

/* The writer takes f over: it is closed by pcap_out_close, or here on
 * failure. */
struct pcap_out *pcap_out_open_stream(FILE *f, char *err, size_t errlen)
{
	struct pcap_out *po = calloc(1, sizeof(*po));
	char msg[PCAP_ERRBUF_SIZE + 64];

	if (!po) {
		fclose(f);
		set_error(err, errlen, "out of memory");
		return NULL;
	}
	po->pcap = pcap_open_dead(DLT_RAW, PCAP_OUT_SNAPLEN);
	if (!po->pcap) {
		fclose(f);
		set_error(err, errlen, "pcap_open_dead failed");
		free(po);
		return NULL;
	}
	/* Our own stream, unbuffered (the records are buffered here) and
	 * without locking, given to libpcap to write the file header. */
	po->buf = malloc(PCAP_OUT_BUF);
	if (po->buf) {
		setvbuf(f, NULL, _IONBF, 0);
		__fsetlocking(f, FSETLOCKING_BYCALLER);
		po->dumper = pcap_dump_fopen(po->pcap, f);
	} else {
		fclose(f);
	}
	if (!po->dumper) {
		snprintf(msg, sizeof(msg), "%s", po->buf ? pcap_geterr(po->pcap) : strerror(ENOMEM));
		set_error(err, errlen, msg);
		/* libpcap has closed f when it could not write the header, the
		 * one way it fails with DLT_RAW. */
		pcap_close(po->pcap);
		free(po->buf);
		free(po);
		return NULL;
	}
	po->file = pcap_dump_file(po->dumper);
	return po;
}

/* Writes the buffered records to the file. */
static void flush_records(struct pcap_out *po)
{
	if (po->used && fwrite_unlocked(po->buf, po->used, 1, po->file) != 1) {
		char msg[128];

		snprintf(msg, sizeof(msg), "writing the capture file: %s", errno ? strerror(errno) : "write error");
		note_error(po, msg);
	}
	po->used = 0;
}

/* Room for a record of up to n packet bytes at the end of the buffer. */
static uint8_t *record_room(struct pcap_out *po, size_t n)
{
	if (po->used + PCAP_REC_HDR + n > PCAP_OUT_BUF)
		flush_records(po);
	return po->buf + po->used;
}

/* Completes the record at rec (its packet, n bytes, already behind the
 * header): the header as pcap_dump() writes it. */
static void record_commit(struct pcap_out *po, uint8_t *rec, usec_t t_us, size_t n)
{
	uint32_t h[4] = { (uint32_t)(t_us / USEC_PER_SEC), (uint32_t)(t_us % USEC_PER_SEC), (uint32_t)n,
			  (uint32_t)n };
	memcpy(rec, h, sizeof h);
	po->used += PCAP_REC_HDR + n;
}

/* The next IP ID of endpoint ep's packets (-1: a packet of no endpoint). */
static int ip_id_next(struct pcap_out *po, int ep, uint16_t *id)
{
	size_t i = ep < 0 ? 0 : (size_t)ep + 1;
	/* realloc, not bigarray_grow: at a million clients this table crosses
	 * BIGARRAY_MIN (2 bytes an endpoint), and the move from malloc to a
	 * mapping copies it once, 2 MB beside 4 MB: 3 MB more peak RSS for no
	 * time saved, where glibc's realloc grows its mapping in place. */
	if (i >= po->ids_cap) {
		size_t cap = po->ids_cap ? po->ids_cap : IP_ID_TABLE_MIN;
		while (cap <= i)
			cap *= 2;
		uint16_t *ids = realloc(po->ids, cap * sizeof *ids);
		if (!ids)
			return -1;
		for (size_t j = po->ids_cap; j < cap; j++)
			ids[j] = 1;
		po->ids = ids;
		po->ids_cap = cap;
	}
	*id = po->ids[i]++;
	return 0;
}

static void pcap_out_event(void *ctx, const struct trace *tr, const struct trace_event *ev)
{
	struct pcap_out *po = ctx;
	const struct segment *seg;
	uint16_t ip_id;
	uint8_t *rec;
	size_t n;

	if (ev->type != TRACE_SEGMENT || ev->u.segment.event != SEGEV_SEND)
		return;
	seg = &ev->u.segment.seg;
	if (ev->u.segment.raw && ev->u.segment.raw_len <= PACKET_MAX) {
		/* The replay's packets as the kernels sent them, options and
		 * IP ID included. */
		n = ev->u.segment.raw_len;
		rec = record_room(po, n);
		memcpy(rec + PCAP_REC_HDR, ev->u.segment.raw, n);
		record_commit(po, rec, ev->t_us, n);
		return;
	}
	if (ip_id_next(po, ev->u.segment.src, &ip_id) < 0) {
		note_error(po, "out of memory");
		return;
	}
	size_t need = packet_size(seg);
	if (need > PACKET_MAX)
		need = PACKET_MAX;               /* packet_encode refuses it */
	rec = record_room(po, need);
	n = packet_encode(seg, ip_id, rec + PCAP_REC_HDR, need);
	if (n == 0) {
		note_error(po, "segment too large for an IPv4 packet");
		return;
	}
	record_commit(po, rec, ev->t_us, n);
}

/* The trace sink that writes into po. */
struct trace_sink pcap_out_sink(struct pcap_out *po)
{
	struct trace_sink sink = { .event = pcap_out_event, .ctx = po, .mask = trace_seg_bit(SEGEV_SEND) };

	return sink;
}

/* Flushes and closes the file and frees po (NULL is allowed). Returns 0, or
 * -1 with a message in err when a segment could not be written or the file
 * had a write error. */
int pcap_out_close(struct pcap_out *po, char *err, size_t errlen)
{
	int rc = 0;

	if (!po)
		return 0;
	errno = 0;
	flush_records(po);
	if (pcap_dump_flush(po->dumper) < 0 || ferror(po->file)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "writing the capture file: %s",
			 errno ? strerror(errno) : "write error");
		note_error(po, msg);
	}
	if (po->error[0]) {
		set_error(err, errlen, po->error);
		rc = -1;
	}
	pcap_dump_close(po->dumper);
	pcap_close(po->pcap);
	free(po->ids);
	free(po->buf);
	free(po);
	return rc;
}
