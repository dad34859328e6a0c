/* pcapng_out.c - the blocks of a pcapng file (see pcapng_out.h): a Section
 * Header Block, Interface Description Blocks, Enhanced Packet Blocks, each
 * with its options (code, length, value padded to 32 bits, then
 * opt_endofopt) and its total length at both ends, written little-endian.
 * Each block is built in one buffer and written with one call. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "output/pcapng_out.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define SNAPLEN 65535u
#define OPT_VALUE_MAX 65535u         /* an option's length is 16 bits */

struct pcapng_out {
	FILE *f;
	uint8_t *buf;                /* the block being built */
	size_t len, cap;
	int n_interfaces;
	bool failed;
	char error[160];
};

/* Remembers the first failure, for close. */
static void fail(struct pcapng_out *p, const char *msg)
{
	if (!p->failed)
		snprintf(p->error, sizeof p->error, "%s", msg);
	p->failed = true;
}

/* Appends n bytes (zeros when data is NULL). */
static void put(struct pcapng_out *p, const void *data, size_t n)
{
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		while (cap < p->len + n)
			cap *= 2;
		uint8_t *b = realloc(p->buf, cap);
		if (!b) {
			fail(p, "out of memory");
			return;
		}
		p->buf = b;
		p->cap = cap;
	}
	if (data)
		memcpy(p->buf + p->len, data, n);
	else
		memset(p->buf + p->len, 0, n);
	p->len += n;
}

/* Appends a 16- or 32-bit number, little-endian. */
static void put16(struct pcapng_out *p, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	put(p, b, 2);
}

static void put32(struct pcapng_out *p, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(p, b, 4);
}

/* Appends bytes padded with zeros to a multiple of four. */
static void put_padded(struct pcapng_out *p, const void *data, size_t n)
{
	put(p, data, n);
	put(p, NULL, (4 - n % 4) % 4);
}

/* Appends a text option (NULL or "": none); a text longer than an option
 * holds is cut at a UTF-8 character's start. */
static void put_text_option(struct pcapng_out *p, uint16_t code, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	if (n == 0)
		return;
	if (n > OPT_VALUE_MAX) {
		n = OPT_VALUE_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	put16(p, code);
	put16(p, (uint16_t)n);
	put_padded(p, text, n);
}

/* Starts a block of type `type` (its length filled in by end_block). */
static void begin_block(struct pcapng_out *p, uint32_t type)
{
	p->len = 0;
	put32(p, type);
	put32(p, 0);
}

/* Ends the options and the block, and writes it. */
static int end_block(struct pcapng_out *p, bool options)
{
	if (options) {
		put16(p, OPT_ENDOFOPT);
		put16(p, 0);
	}
	put32(p, (uint32_t)(p->len + 4));
	if (p->failed)
		return -1;
	uint32_t total = (uint32_t)p->len;
	uint8_t b[4] = { (uint8_t)total, (uint8_t)(total >> 8), (uint8_t)(total >> 16), (uint8_t)(total >> 24) };
	memcpy(p->buf + 4, b, 4);
	if (fwrite(p->buf, p->len, 1, p->f) != 1) {
		char msg[128];
		snprintf(msg, sizeof msg, "writing the capture file: %s", errno ? strerror(errno) : "write error");
		fail(p, msg);
		return -1;
	}
	return 0;
}

struct pcapng_out *pcapng_open_stream(FILE *f, const char *comment, const char *application, char *err,
				      size_t errlen)
{
	struct pcapng_out *p = calloc(1, sizeof *p);

	if (!p) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->f = f;
	begin_block(p, BT_SHB);
	put32(p, BYTE_ORDER_MAGIC);
	put16(p, 1);                             /* major version */
	put16(p, 0);                             /* minor version */
	put32(p, 0xffffffffu);                   /* section length: not given */
	put32(p, 0xffffffffu);
	put_text_option(p, OPT_COMMENT, comment);
	put_text_option(p, SHB_USERAPPL, application);
	if (end_block(p, true) < 0) {
		snprintf(err, errlen, "%s", p->error);
		pcapng_close(p, NULL, 0);
		return NULL;
	}
	return p;
}

int pcapng_add_interface(struct pcapng_out *p, uint16_t linktype, const char *name, const char *description)
{
	begin_block(p, BT_IDB);
	put16(p, linktype);
	put16(p, 0);                             /* reserved */
	put32(p, SNAPLEN);
	put_text_option(p, IF_NAME, name);
	put_text_option(p, IF_DESCRIPTION, description);
	/* if_tsresol left out: microseconds, the default, as the trace's */
	if (end_block(p, true) < 0)
		return -1;
	return p->n_interfaces++;
}

int pcapng_packet(struct pcapng_out *p, int iface, usec_t t, const uint8_t *data, size_t len,
		  const char *const *comments, size_t n)
{
	if (iface < 0 || iface >= p->n_interfaces || len > SNAPLEN) {
		fail(p, iface < 0 || iface >= p->n_interfaces ? "a packet on no interface" : "a packet too large");
		return -1;
	}
	begin_block(p, BT_EPB);
	put32(p, (uint32_t)iface);
	put32(p, (uint32_t)(t >> 32));
	put32(p, (uint32_t)t);
	put32(p, (uint32_t)len);                 /* captured */
	put32(p, (uint32_t)len);                 /* on the wire */
	put_padded(p, data, len);
	for (size_t i = 0; i < n; i++)
		put_text_option(p, OPT_COMMENT, comments[i]);
	return end_block(p, n > 0);
}

int pcapng_close(struct pcapng_out *p, char *err, size_t errlen)
{
	int rc = 0;

	if (!p)
		return 0;
	errno = 0;
	if (fflush(p->f) != 0 || ferror(p->f)) {
		char msg[128];
		snprintf(msg, sizeof msg, "writing the capture file: %s", errno ? strerror(errno) : "write error");
		fail(p, msg);
	}
	if (fclose(p->f) != 0 && !p->failed)
		fail(p, "writing the capture file: close failed");
	if (p->failed) {
		if (err && errlen)
			snprintf(err, errlen, "%s", p->error);
		rc = -1;
	}
	free(p->buf);
	free(p);
	return rc;
}
