/* inject.c - the segment a scenario's `inject` forges (inject.h). */
#include <stdlib.h>
#include "proto/payload.h"
#include "scenario/inject.h"

int inject_segment(const struct inject_spec *in, const struct inject_ends *ends, uint32_t window,
		   struct segment *seg, uint8_t **pattern)
{
	*seg = (struct segment){
		.src_ip = ends->src_ip, .dst_ip = ends->dst_ip,
		.src_port = ends->src_port, .dst_port = ends->dst_port,
		.seq = ends->src_isn + (in->has_seq ? in->seq : 0),
		.ack = (in->has_ack || (in->flags & TH_ACK)) ? ends->dst_isn + in->ack : 0,
		.win = in->has_win ? in->win : (uint16_t)(window > 65535 ? 65535 : window),
		.flags = in->flags,
		.len = in->len,
		.data = (const uint8_t *)in->data,
		.mss = in->mss,
	};
	*pattern = NULL;
	if (in->data || !in->len)
		return 0;
	/* On the heap: the loader allows up to 65495 bytes, too many for the
	 * stack of a deep caller. */
	if (!(*pattern = malloc(in->len)))
		return -1;
	payload_pattern_fill(*pattern, 0, in->len);
	seg->data = *pattern;
	return 0;
}
