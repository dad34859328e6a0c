/* packet.c - segments as IPv4/TCP packets on the wire (RFC 791, RFC 9293
 * section 3.1), and the Internet checksum (RFC 1071).
 *
 * Every multi-byte field is written and read byte by byte in network order,
 * so nothing here depends on the host's byte order or alignment. */
#include <string.h>
#include "proto/packet.h"

#define IPV4_HDR_LEN 20
#define TCP_HDR_LEN 20
#define TCP_OPT_MSS_LEN 4
#define IPPROTO_TCP_NUM 6
#define IP_TTL_DEFAULT 64
#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_FRAG_OFFSET_MASK 0x1fff
#define IP_TOTAL_MAX 65535

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2

/* Writers and readers of big-endian (network order) fields at any address. */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Adds the bytes of p, as big-endian 16-bit words (an odd last byte padded
 * with a zero), to the running one's-complement sum. The sum is kept in 64
 * bits and folded at the end, so no carry is lost for any length.
 *
 * On a little-endian machine it sums host-order 32-bit words and swaps the
 * folded result once: RFC 1071 (section 2(B)) shows the one's-complement sum
 * does not depend on byte order, and a 32-bit word is worth two 16-bit words
 * modulo 0xffff. Eight million packets a second make this count. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t s = 0;
	while (len >= 4) {
		uint32_t w;
		memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;
		memcpy(&w, p, 2);
		s += w;
		p += 2;
		len -= 2;
	}
	if (len)
		s += p[0];                  /* the low byte of a little-endian word */
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return sum + (((s & 0xff) << 8) | (s >> 8));
#else
	while (len >= 2) {
		sum += (uint64_t)((p[0] << 8) | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint64_t)p[0] << 8;
	return sum;
#endif
}

/* Folds a running sum into 16 bits and returns its complement: the value to
 * store in a checksum field (0 when the summed bytes already hold a correct
 * checksum). */
static uint16_t csum_finish(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The sum of the IPv4 pseudo-header of RFC 9293 section 3.1: source and
 * destination addresses, zero, protocol, TCP length. */
static uint64_t csum_pseudo(uint32_t src_ip, uint32_t dst_ip, size_t tcp_len)
{
	uint64_t sum = 0;

	sum += src_ip >> 16;
	sum += src_ip & 0xffff;
	sum += dst_ip >> 16;
	sum += dst_ip & 0xffff;
	sum += IPPROTO_TCP_NUM;
	sum += (uint64_t)tcp_len;
	return sum;
}

/* The Internet checksum of tcp (tcp_len bytes, checksum field as it stands)
 * with the pseudo-header of src_ip and dst_ip (host byte order). Returns the
 * value to store in the checksum field, in host byte order; 0 when the field
 * already holds the right value. */
uint16_t packet_tcp_checksum(uint32_t src_ip, uint32_t dst_ip, const uint8_t *tcp, size_t tcp_len)
{
	uint64_t sum = csum_pseudo(src_ip, dst_ip, tcp_len);

	return csum_finish(csum_add(sum, tcp, tcp_len));
}

/* Writes seg as IPv4 (20-byte header, TOS 0, DF, TTL 64, ID ip_id) + TCP
 * (data offset 5, or 6 with the MSS option when seg->mss != 0; urgent pointer
 * 0) + payload (seg->data, or zeros when it is NULL), both checksums filled.
 * Returns the packet's length, or 0 when it does not fit in cap or exceeds the
 * 65535 bytes an IPv4 total length can say.
 *
 * The checksums add up the header fields' 16-bit words as numbers, not the
 * bytes just written (the same words, so the same sums): only the payload is
 * read back. Every packet of a run passes through here. */
size_t packet_encode(const struct segment *seg, uint16_t ip_id, uint8_t *buf, size_t cap)
{
	size_t total = packet_size(seg), tcp_hdr = total - IPV4_HDR_LEN - (size_t)seg->len;
	uint8_t *ip = buf, *tcp = buf + IPV4_HDR_LEN;

	if ((size_t)seg->len > IP_TOTAL_MAX || total > IP_TOTAL_MAX || total > cap)
		return 0;

	uint64_t addrs = (seg->src_ip >> 16) + (seg->src_ip & 0xffff) + (seg->dst_ip >> 16) + (seg->dst_ip & 0xffff);
	uint64_t ip_sum = 0x4500u + total + ip_id + IP_FLAG_DF + ((IP_TTL_DEFAULT << 8) | IPPROTO_TCP_NUM) + addrs;
	ip[0] = 0x45;                       /* version 4, IHL 5 */
	ip[1] = 0;                          /* TOS */
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, ip_id);
	put16(ip + 6, IP_FLAG_DF);          /* DF, fragment offset 0 */
	ip[8] = IP_TTL_DEFAULT;
	ip[9] = IPPROTO_TCP_NUM;
	put16(ip + 10, csum_finish(ip_sum));
	put32(ip + 12, seg->src_ip);
	put32(ip + 16, seg->dst_ip);

	uint16_t off_flags = (uint16_t)(((tcp_hdr / 4) << 12) | seg->flags);
	uint64_t sum = addrs + IPPROTO_TCP_NUM + tcp_hdr + seg->len;          /* the pseudo-header */
	sum += (uint64_t)seg->src_port + seg->dst_port + (seg->seq >> 16) + (seg->seq & 0xffff) +
	       (seg->ack >> 16) + (seg->ack & 0xffff) + off_flags + seg->win;
	put16(tcp + 0, seg->src_port);
	put16(tcp + 2, seg->dst_port);
	put32(tcp + 4, seg->seq);
	put32(tcp + 8, seg->ack);
	put16(tcp + 12, off_flags);
	put16(tcp + 14, seg->win);
	put16(tcp + 18, 0);                 /* urgent pointer */
	if (seg->mss) {
		tcp[20] = TCPOPT_MSS;
		tcp[21] = TCP_OPT_MSS_LEN;
		put16(tcp + 22, seg->mss);
		sum += ((TCPOPT_MSS << 8) | TCP_OPT_MSS_LEN) + (uint64_t)seg->mss;
	}
	if (seg->len) {
		if (seg->data) {
			memcpy(tcp + tcp_hdr, seg->data, seg->len);
			sum = csum_add(sum, tcp + tcp_hdr, seg->len);
		} else {
			memset(tcp + tcp_hdr, 0, seg->len);
		}
	}
	put16(tcp + 16, csum_finish(sum));
	return total;
}

/* Sets *why (when why is not NULL) to reason; returns -1. */
static int reject(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -1;
}

/* Reads the TCP options in opt[0..len): fills *mss from a well-formed MSS
 * option (0 when there is none), skips the others by their length.
 * Returns 0, or -1 with a reason for an option that runs past the header or
 * has an impossible length. */
static int parse_tcp_options(const uint8_t *opt, size_t len, uint16_t *mss, const char **why)
{
	size_t i = 0;

	*mss = 0;
	while (i < len) {
		uint8_t kind = opt[i];
		size_t olen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return reject(why, "TCP option truncated");
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return reject(why, "TCP option length invalid");
		if (kind == TCPOPT_MSS) {
			if (olen != TCP_OPT_MSS_LEN)
				return reject(why, "TCP MSS option length invalid");
			*mss = get16(opt + i + 2);
		}
		i += olen;
	}
	return 0;
}

/* Parses buf[0..len) as an IPv4 packet carrying a whole TCP segment. Bytes
 * after the IPv4 total length (link padding) are ignored. Checksums are not
 * verified. On success fills *seg (seg->data points into buf) and returns 0;
 * otherwise returns -1 with a short reason in *why (when why is not NULL) and
 * leaves *seg unspecified. */
int packet_decode(const uint8_t *buf, size_t len, struct segment *seg, const char **why)
{
	size_t ihl, total, tcp_len, doff;
	uint16_t frag;
	const uint8_t *tcp;

	if (!buf || len < IPV4_HDR_LEN)
		return reject(why, "truncated IPv4 header");
	if ((buf[0] >> 4) != 4)
		return reject(why, "not IPv4");
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_LEN)
		return reject(why, "IPv4 header length below 20");
	if (ihl > len)
		return reject(why, "truncated IPv4 header");
	total = get16(buf + 2);
	if (total < ihl)
		return reject(why, "IPv4 total length below header length");
	if (total > len)
		return reject(why, "IPv4 total length past end of packet");
	frag = get16(buf + 6);
	if ((frag & IP_FLAG_MF) || (frag & IP_FRAG_OFFSET_MASK))
		return reject(why, "IPv4 fragment");
	if (buf[9] != IPPROTO_TCP_NUM)
		return reject(why, "not TCP");

	tcp = buf + ihl;
	tcp_len = total - ihl;
	if (tcp_len < TCP_HDR_LEN)
		return reject(why, "truncated TCP header");
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < TCP_HDR_LEN)
		return reject(why, "TCP data offset below 5");
	if (doff > tcp_len)
		return reject(why, "TCP data offset past end of packet");

	memset(seg, 0, sizeof(*seg));
	if (parse_tcp_options(tcp + TCP_HDR_LEN, doff - TCP_HDR_LEN, &seg->mss, why) < 0)
		return -1;
	seg->src_ip = get32(buf + 12);
	seg->dst_ip = get32(buf + 16);
	seg->src_port = get16(tcp + 0);
	seg->dst_port = get16(tcp + 2);
	seg->seq = get32(tcp + 4);
	seg->ack = get32(tcp + 8);
	seg->flags = tcp[13];
	seg->win = get16(tcp + 14);
	seg->len = (uint32_t)(tcp_len - doff);
	seg->data = tcp + doff;
	return 0;
}
