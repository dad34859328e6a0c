/* resend.c - whether a send is a segment sent again (see resend.h): as the
 * summary counts, sequence space that starts below the highest end sent,
 * or the same SYN again; the SYN,ACK that answers the peer's SYN in a
 * simultaneous open is the open going on. */
#include <stdio.h>
#include "output/resend.h"

void resend_rto_fired(struct resend_state *st)
{
	st->rto_fired = true;
}

void resend_tlp_fired(struct resend_state *st)
{
	st->tlp_fired = true;
}

enum resend_kind resend_classify(struct resend_state *st, const struct trace_event *ev, unsigned *n)
{
	const struct segment *seg = &ev->u.segment.seg;
	uint32_t space = seg_seqlen(seg), end = seg->seq + space;
	bool resent = false, syn = (seg->flags & TH_SYN) != 0, ack = (seg->flags & TH_ACK) != 0;
	enum resend_kind kind = RESEND_NONE;

	*n = 0;
	if (ev->u.segment.forged)
		return RESEND_NONE;
	if (syn && (!st->sent || seg->seq != st->syn_seq)) {
		st->sent = true;
		st->syn_alone = !ack;
		st->syn_seq = seg->seq;
		st->snd_max = end;
	} else if (syn && ack && st->syn_alone) {
		st->syn_alone = false;
	} else if (syn) {
		resent = true;
	} else if (space > 0 && !st->sent) {
		st->sent = true;
		st->syn_seq = seg->seq - 1;
		st->snd_max = end;
	} else if (space > 0) {
		resent = (int32_t)(seg->seq - st->snd_max) < 0;
		if ((int32_t)(end - st->snd_max) > 0)
			st->snd_max = end;
	}
	if (resent) {
		st->resend_n = st->resend_n && st->resend_seq == seg->seq ? st->resend_n + 1 : 1;
		st->resend_seq = seg->seq;
		kind = syn ? (ack ? RESEND_SYN_ACK : RESEND_SYN) : st->rto_fired ? RESEND_RTO :
		       st->tlp_fired ? RESEND_TLP : RESEND_OTHER;
		*n = st->resend_n;
	}
	st->rto_fired = false;
	st->tlp_fired = false;
	return kind;
}

void resend_words(enum resend_kind kind, unsigned n, char *buf, size_t cap)
{
	switch (kind) {
	case RESEND_NONE:
		buf[0] = '\0';
		break;
	case RESEND_RTO:
		snprintf(buf, cap, "RTO %u", n);
		break;
	case RESEND_SYN:
		snprintf(buf, cap, "SYN retry %u", n);
		break;
	case RESEND_SYN_ACK:
		snprintf(buf, cap, "SYN+ACK retry %u", n);
		break;
	case RESEND_OTHER:
		snprintf(buf, cap, "retransmission");
		break;
	case RESEND_TLP:
		snprintf(buf, cap, "TLP");
		break;
	}
}
