/* segment.c - TCP flags in tcpdump's letters. */
#include <string.h>
#include "proto/segment.h"

/* The letters in the order tcpdump writes them (print-tcp.c's
 * tcp_flag_values): "S.", "FP.", "R.", a SYN,ACK,FIN is "FS.". */
static const struct {
	uint8_t bit;
	char letter;
} flag_letters[] = {
	{ TH_FIN, 'F' },
	{ TH_SYN, 'S' },
	{ TH_RST, 'R' },
	{ TH_PSH, 'P' },
	{ TH_ACK, '.' },
	{ TH_URG, 'U' },
};
#define N_FLAG_LETTERS (sizeof(flag_letters) / sizeof(flag_letters[0]))

/* "S", "S.", ".", "FP.", ...; "none" when no flag is set. Bits other than the
 * six above are not written. */
void tcp_flags_format(uint8_t flags, char out[8])
{
	size_t n = 0;

	for (size_t i = 0; i < N_FLAG_LETTERS; i++)
		if (flags & flag_letters[i].bit)
			out[n++] = flag_letters[i].letter;
	out[n] = '\0';
	if (n == 0)
		strcpy(out, "none");
}

/* The bit for one letter, or 0 when the letter is no flag. */
static uint8_t flag_bit(char letter)
{
	for (size_t i = 0; i < N_FLAG_LETTERS; i++)
		if (flag_letters[i].letter == letter)
			return flag_letters[i].bit;
	return 0;
}

/* Letters in any order, each at most once; "none" is no flag at all (what
 * tcp_flags_format writes for it, as tcpdump does), and so is "-", which
 * packetdrill writes for it: a script's line reads as it stands. */
int tcp_flags_parse(const char *text, uint8_t *flags)
{
	uint8_t v = 0;

	if (!text || !*text)
		return -1;
	if (strcmp(text, "none") == 0 || strcmp(text, "-") == 0) {
		*flags = 0;
		return 0;
	}
	for (const char *p = text; *p; p++) {
		uint8_t bit = flag_bit(*p);
		if (!bit || (v & bit))
			return -1;
		v |= bit;
	}
	*flags = v;
	return 0;
}
