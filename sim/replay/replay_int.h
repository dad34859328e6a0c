/* replay_int.h - the replay's own record, shared by its files: replay.c
 * (the loop, the calls, the sockets) and replay_states.c (the kernel's
 * states: the tracepoint's changes, and the request sockets it does not
 * show). Not for other layers. */
#ifndef TCPSIM_REPLAY_INT_H
#define TCPSIM_REPLAY_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "replay/bridge.h"
#include "replay/hosts.h"
#include "replay/kstate.h"
#include "replay/sendq.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#define LOOP_MS 5                     /* longest bridge_poll turn */
#define SETTLE_US (200 * USEC_PER_MS) /* quiet time before ending with every socket done */
#define READ_BUF 65536
#define OWN_SOCKETS 64                /* sockets of one run known at once (the oldest goes) */

struct sock {
	int fd;                       /* -1: none */
	bool connecting;              /* non-blocking connect not finished */
	bool shut;                    /* shutdown(SHUT_WR) done */
	bool shut_pending;            /* close called with bytes still queued */
	bool eof;                     /* the peer's FIN was read */
	bool full_close;              /* close() where others shut down: a half-duplex endpoint */
	bool abort_pending;           /* abort called before the connection was accepted */
	struct sendq q;               /* bytes send() has not taken yet */
};

struct rep_ep {
	struct sock lst, conn;
	uint64_t sent;                /* bytes queued so far: the pattern's offset */
	enum tcp_state state;         /* where the endpoint's last state event went */
	uint32_t isn;                 /* SEQ of its latest SYN */
	uint64_t arrivals;            /* segments delivered to it so far */
	usec_t last_arrival;          /* t_us of the latest */
	uint64_t looked;              /* arrivals when its request sockets were last looked for */
	uint64_t request_arrivals;    /* arrivals when a request socket made it SYN_RECEIVED */
	bool by_request;              /* in SYN_RECEIVED because of a request socket */
	bool orphan_fin_wait_2;       /* its FIN_WAIT_2 is a time-wait socket's (an orphan's) */
	usec_t orphan_looked;         /* when that socket was last looked for */
	uint64_t orphan_arrivals;     /* arrivals then */
};

struct replay {
	const struct scenario *sc;
	struct tcp_params params;
	struct trace own;             /* the replay's trace: the watcher, then the caller's */
	struct trace *tr;             /* &own: where events are emitted */
	struct hosts *hosts;          /* replay_setup's; NULL until made */
	struct bridge br;
	bool br_ok;
	struct kstate *ks;
	struct rep_ep ep[NROLES];
	const char *cannot;           /* the call being made: what Linux cannot do of it */
	uint64_t owned[OWN_SOCKETS];    /* the kernel addresses of this run's sockets */
	size_t n_owned;
	usec_t last_event;            /* t_us of the last segment or state event */
	uint64_t n_states;
	bool failed;                  /* out of memory or a read error: err set */
	char *err;
	size_t errlen;
	uint8_t buf[READ_BUF];
};

/* The host (HOSTS_A, HOSTS_B) of the endpoint in role. */
static inline int role_host(int role)
{
	return role == ROLE_CLIENT ? HOSTS_A : HOSTS_B;
}

/* The kernel's change c (kstate_read's callback, ctx the replay): the state
 * event of the endpoint it belongs to. */
int replay_on_change(void *ctx, const struct kstate_change *c);

/* Whether role's listener holds a connection no accept() has returned (a
 * request socket): the simulator's endpoint is in SYN-RECEIVED. */
bool replay_request_pending(struct replay *r, int role);

/* What the tracepoint does not show, as state events: the listeners'
 * request sockets (LISTEN -> SYN_RECEIVED when one appears, back to LISTEN
 * when it goes without a connection), and an orphan's FIN_WAIT_2 kept by a
 * time-wait socket (to TIME_WAIT on the peer's FIN, to CLOSED when its
 * timer ends it). Called once per loop turn, after the tracepoint's changes
 * were read. */
void replay_watch_sockets(struct replay *r);

#endif
