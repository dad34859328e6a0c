/* segline.h - the segment-line notation of the contract:
 *
 *   [TIME] SRC > DST FLAGS SEQ:END(LEN) [ack N] [win N] [<options>] [dropped]
 *
 * Numbers are relative, as tcpdump prints them: SEQ from SRC's ISN, ack from
 * DST's ISN; a number before the ISN is a negative offset ("ack -37399"). TIME is absolute seconds ("1.050") or relative to the previous
 * line ("+0.050"). The ladder prints this notation and expect.segments is
 * written in it, so a run's output can be pasted into a scenario. */
#ifndef TCPSIM_SEGLINE_H
#define TCPSIM_SEGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEGLINE_NAME_MAX 32

struct seg_line {
	bool has_time, time_relative;
	uint64_t time_us;
	char src[SEGLINE_NAME_MAX], dst[SEGLINE_NAME_MAX];
	uint8_t flags;
	bool has_seq;                /* SEQ:END(LEN) */
	uint32_t seq, end, len;
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint32_t win;
	bool has_mss;                /* <mss N> */
	uint32_t mss;
	bool dropped;
	/* Relative numbers before the ISN (a challenge ACK for an earlier
	 * incarnation's bytes, a forged segment): SEQ (and END, when it is
	 * before too) and the ack are printed as negative offsets, "ack -37399",
	 * and read back so; the fields hold them modulo 2^32 either way. */
	bool seq_before, ack_before;
};

/* Parses one line. Returns 0, or -1 with *err_col (0-based offset in text of
 * the bad token) and a message in err. */
int seg_line_parse(const char *text, struct seg_line *out, int *err_col, char *err, size_t errlen);

/* Writes every field that is present, in the notation's order. */
void seg_line_format(const struct seg_line *l, char *buf, size_t cap);

/* True when every field written in want equals the field in got (time is
 * compared by the caller, who knows the previous line's time). */
bool seg_line_matches(const struct seg_line *want, const struct seg_line *got);

#endif
