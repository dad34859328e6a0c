/* tw_rec.h - what a connection in TIME_WAIT keeps of its TCB.
 *
 * Between events a connection in TIME_WAIT shrinks to a record (struct
 * tw_rec), as Linux keeps a small inet_timewait_sock, and a segment, a call
 * or its 2MSL timer turns it back into a TCB for the event (stack.c,
 * tw_deflate and tw_inflate): the host's way of keeping many connections,
 * which the TCP knows nothing of (its derivations read the stack's
 * endpoints). TCB_IN_TIME_WAIT below is the one definition
 * of that exchange: it names every member of struct tcb, in declaration
 * order, with what becomes of it, and the record's members, the deflation,
 * the inflation and the check that a TCB fits a record are all made from
 * it. A member added to struct tcb and not named here fails the build
 * (stack.c gives a struct tcb one initializer per entry, in order), and
 * tests/host/test_time_wait.c fails when a member it does not expect to be lost
 * does not come back from a round trip.
 *
 * The kinds of entry (each a macro argument of the list):
 *   KEEP(type, name)     the record carries it (32 bits)
 *   KEEP16(type, name)   the same, 16 bits (kept apart: the record packs)
 *   FLAG(name)           a bool the record carries as one bit
 *   TIMER(type, name)    an array indexed by timer kind: the record carries
 *                        element TIMER_TIME_WAIT as `name`; the other timers
 *                        are off in TIME_WAIT
 *   DERIVE(name, expr)   not carried: always equal to expr, which reads the
 *                        TCB t and the stack st, in TIME_WAIT; a TCB where
 *                        it is not stays a TCB (tw_fits), inflation
 *                        recomputes it
 *   SET(name, value)     not carried: TIME_WAIT does not read it; inflation
 *                        gives it value (t and st readable), the value the
 *                        state's processing expects of it
 *   SET_TIMER(name, value)  the same for element TIMER_TIME_WAIT of an array
 *                        indexed by timer kind (the other elements: zero)
 *   NONE(name)           not carried: TIME_WAIT does not read it, and
 *                        inflation leaves what tcb_alloc makes (zero, a
 *                        default or the pool slot's own)
 *   NONE_AGG(name)       the same for a member that is an array or a struct
 *
 * Derivations and settings run after the kept members are copied back, in
 * list order: an expression may read kept members and the ones above it. */
#ifndef TCPSIM_TW_REC_H
#define TCPSIM_TW_REC_H

#include <stdbool.h>
#include <stdint.h>
#include "tcp/tcp.h"

#define TCB_IN_TIME_WAIT(KEEP, KEEP16, FLAG, TIMER, DERIVE, SET, SET_TIMER, NONE, NONE_AGG)             \
	NONE(id)                        /* the pool slot's (tcb_alloc) */                               \
	NONE(gen)                       /* the pool slot's */                                           \
	NONE(in_use)                    /* tcb_alloc sets it */                                         \
	DERIVE(state, TCPS_TIME_WAIT)   /* what a record is for */                                      \
	KEEP(int32_t, ep)                                                                               \
	DERIVE(listener, false)         /* a listener never leaves LISTEN */                            \
	FLAG(passive)                                                                                   \
	DERIVE(local_ip, st->eps[t->ep].ip)     /* the endpoint's address (else it stays a TCB) */     \
	KEEP(uint32_t, remote_ip)       /* a free record: the free list rides in it */                 \
	DERIVE(local_port, st->eps[t->ep].port)                                                         \
	KEEP16(uint16_t, remote_port)                                                                   \
	KEEP(uint32_t, iss)                                                                             \
	DERIVE(snd_una, t->snd_nxt)     /* TIME_WAIT: our FIN is acknowledged, all sent is */           \
	KEEP(uint32_t, snd_nxt)                                                                         \
	KEEP(uint32_t, snd_wnd)                                                                         \
	KEEP(uint32_t, snd_wl1)                                                                         \
	KEEP(uint32_t, snd_wl2)                                                                         \
	KEEP(uint32_t, max_snd_wnd)                                                                     \
	DERIVE(snd_max, t->snd_nxt)                                                                     \
	KEEP(uint32_t, irs)                                                                             \
	KEEP(uint32_t, rcv_nxt)                                                                         \
	KEEP(uint32_t, rcv_wnd)                                                                         \
	NONE(snd_mss)                   /* no data is sent in TIME_WAIT */                              \
	NONE_AGG(snd)                   /* empty: everything sent is acknowledged */                    \
	SET(snd_buf_seq, t->snd_una)    /* the empty buffer starts at SND.UNA */                        \
	SET(fin_queued, t->fin_sent)    /* a FIN sent was queued */                                     \
	NONE(fin_wait_2_passing)        /* set only while FIN-WAIT-2 is entered */                      \
	FLAG(fin_sent)                                                                                  \
	KEEP(uint32_t, fin_seq)                                                                         \
	NONE(close_deferred)            /* only in SYN-RECEIVED (U06) */                                \
	NONE(ack_now)                   /* an owed ACK went out with the event that owed it */          \
	FLAG(peer_fin)                                                                                  \
	NONE(ooo)                       /* nothing follows the peer's FIN */                            \
	NONE(srtt)                      /* RTT estimation: nothing is left to time or to resend */     \
	NONE(rttvar)                                                                                    \
	NONE(rto)                                                                                       \
	NONE(have_rtt)                                                                                  \
	NONE(rtt_timing)                                                                                \
	NONE(rtt_seq)                                                                                   \
	NONE(rtt_start)                                                                                 \
	NONE(rtx_count)                                                                                 \
	NONE(syn_retransmitted)                                                                         \
	SET(recover, t->snd_una)        /* nothing to recover beyond SND.UNA */                         \
	TIMER(usec_t, timer_due)        /* the 2MSL timer; the others are off in TIME_WAIT */           \
	TIMER(uint32_t, timer_gen)      /* the others: the slot's, so that its stale events stay so */ \
	SET_TIMER(timer_on, true)       /* a record is waiting for its 2MSL timer */                    \
	FLAG(half_duplex)                                                                               \
	NONE(eof_close)                 /* cleared by the event that read the EOF */                    \
	NONE(in_listen_queue)           /* only in SYN-RECEIVED */                                      \
	NONE(settle)                    /* stack bookkeeping: settle_later (stack.c) sets it */          \
	NONE(tw_rec)                    /* stack bookkeeping: tw_inflate sets it */                     \
	KEEP(uint32_t, oow_ack_ms)      /* linux: tcp_time_wait() keeps tw_last_oow_ack_time */        \
	NONE(tw_order)                  /* read only by the deflation after the 2MSL timer's (re)start, \
					   in the same event */                                         \
	NONE_AGG(dack)                  /* linux: no ACK is delayed in TIME_WAIT (its timer is off) */  \
	NONE(tlp_out)                   /* linux: nothing is left to probe for */                       \
	NONE(tlp_high_seq)

/* Expands to nothing: an entry kind a pass over the list skips. */
#define TW_SKIP(...)

#define TW_REC_MEMBER(type, name) type name;
#define TW_REC_FLAG(name) bool name : 1;

/* A TIME_WAIT record: 72 bytes. Its members come from TCB_IN_TIME_WAIT, in
 * passes by width so that it packs, and one of its own: gen. */
struct tw_rec {
	TCB_IN_TIME_WAIT(TW_SKIP, TW_SKIP, TW_SKIP, TW_REC_MEMBER, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP)
	uint32_t gen;                 /* bumped when its queued expiry goes stale */
	TCB_IN_TIME_WAIT(TW_REC_MEMBER, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP)
	TCB_IN_TIME_WAIT(TW_SKIP, TW_REC_MEMBER, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP)
	TCB_IN_TIME_WAIT(TW_SKIP, TW_SKIP, TW_REC_FLAG, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP, TW_SKIP)
};
_Static_assert(sizeof(struct tw_rec) == 72, "a TIME_WAIT record is 72 bytes: a million of them are 72 MB");

#endif
