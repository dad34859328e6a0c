/* trace.h - every observable thing in a run is a trace event.
 *
 * The simulator (and, later, the replay) emits events; the sinks attached to
 * the trace (JSON-lines writer, pcap writer, the in-memory log that the ladder,
 * the graphs and the expectation check read) consume them in order. Nothing
 * downstream of the trace knows a TCB. */
#ifndef TCPSIM_TRACE_H
#define TCPSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/duration.h"
#include "proto/segment.h"
#include "proto/tcp_state.h"
#include "base/user_call.h"

enum trace_type {
	TRACE_SCENARIO, TRACE_CALL, TRACE_STATE, TRACE_SEGMENT, TRACE_TIMER, TRACE_DATA, TRACE_RESULT,
	TRACE_ARC,        /* a row of the state table that changes no state (S01, T32, T52a, ...) */
	TRACE_NOTE,       /* a scenario's `note:` at its time: free text for the pictures */
	TRACE_VARS,       /* an endpoint's connection variables after an event; only to a sink
			     that names it in its mask (the step-through page): a snapshot
			     per event would double the trace of every other reader */
};

enum seg_event { SEGEV_SEND, SEGEV_DELIVER, SEGEV_DROP, SEGEV_DUPLICATE };

/* TIMER_DELACK: the linux profile's delayed-ACK timer (tcp_delack.c);
 * TIMER_TLP: its tail loss probe (tcp_tlp.c). */
enum timer_kind { TIMER_RTO, TIMER_TIME_WAIT, TIMER_FIN_WAIT_2, TIMER_USER, TIMER_DELACK, TIMER_TLP };
#define TIMER_KINDS 6
enum timer_event { TIMER_SET, TIMER_FIRE, TIMER_CANCEL };

/* A name the trace speaks of: "client", "server", "client#3". The name is
 * the base name alone when instance is 0, else "name#instance";
 * trace_endpoint_name() spells it. Base names have static storage (literals)
 * and sit once in the trace's table: a million endpoints cost no strings,
 * and 16 bytes each. */
struct trace_endpoint {
	uint32_t ip;
	uint32_t isn;
	uint32_t instance;
	uint16_t port;
	uint16_t name;                /* index in trace.names */
};

/* An endpoint's connection variables (RFC 9293 section 3.3.1) after an
 * event: TRACE_VARS. */
struct trace_vars {
	enum tcp_state state;  /* CLOSED (no connection) and LISTEN carry no numbers */
	bool has_irs;          /* irs and rcv_nxt mean something: a SYN arrived */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd;
	uint32_t rcv_nxt, rcv_wnd;
	uint32_t unacked;      /* the retransmission queue: sequence numbers sent and
				  not acknowledged (SYN and FIN count one) */
	usec_t rto;            /* RFC 6298's RTO */
	usec_t srtt;           /* 0 until measured */
};

/* Strings an event points to: the causes, arcs and errors are string
 * literals (static storage) that a sink may keep; payloads (seg.data,
 * data.data) and result failures are valid during the callback only. */
struct trace_event {
	enum trace_type type;
	usec_t t_us;
	int endpoint;                 /* call, state, timer, data: index in trace.endpoints */
	union {
		struct {
			const char *name;
			const char *summary;   /* may be NULL */
			uint64_t seed;
			const char *profile;
		} scenario;
		struct {
			enum user_call call;
			uint64_t bytes;        /* send */
			const char *error;     /* NULL, or why the call failed */
			const char *cannot;    /* replay: NULL, or why Linux cannot make the
						  call as the scenario means it and what the
						  replay did instead */
		} call;
		struct {
			enum tcp_state from, to;
			const char *cause;     /* "rcv SYN", "close", "timeout 2MSL" */
			const char *arc;       /* "T15" */
		} state;
		struct {
			int src, dst;          /* endpoint indexes */
			enum seg_event event;
			bool forged;           /* put on the link by `inject` */
			struct segment seg;    /* seg.data valid during the callback only */
			const uint8_t *raw;    /* the packet as it was on the wire (replay), or NULL;
						  valid during the callback only */
			uint32_t raw_len;
			const char *reason;    /* a drop by a host, not the link ("backlog full"); else NULL */
		} segment;
		struct {
			enum timer_kind timer;
			enum timer_event event;
			usec_t due;            /* set: when it will fire */
		} timer;
		struct {
			uint64_t bytes;
			const uint8_t *data;   /* valid during the callback only */
		} data;
		struct {
			enum tcp_state state;  /* the state it happened in (and stays in) */
			const char *arc;       /* "S11" */
			const char *cause;     /* "rcv RST in window" */
		} arc;
		struct {
			const char *text;      /* the scenario's; valid while the scenario is */
		} note;
		struct trace_vars vars;
		struct {
			bool ok;
			const char *const *failures;
			size_t n_failures;
		} result;
	} u;
};

struct trace;

#define TRACE_SINK_ONLY_MAX 3

struct trace_sink {
	void (*event)(void *ctx, const struct trace *tr, const struct trace_event *ev);
	void *ctx;
	uint32_t mask;               /* the events it wants (trace_bit); 0: every event but
					TRACE_VARS, which a sink asks for by name */
	/* n_only > 0: only the events of these endpoints (a segment's when its
	 * source or destination is one, or it has none), and those of no
	 * endpoint (the scenario, the result): a sink about one connection of
	 * a million costs the others a comparison, and a segment event no
	 * other sink wants is not built at all (trace_wants_segment). */
	int only[TRACE_SINK_ONLY_MAX];
	int n_only;
};

/* The bit of an event kind in a sink's mask: one per type, and one per
 * segment event (send, deliver, drop, duplicate) instead of TRACE_SEGMENT's.
 * A timer's expiry has a bit of its own (trace_timer_fire_bit), so that a
 * sink may follow expiries without having every set and cancel built:
 * trace_bit(TRACE_TIMER) is theirs. */
static inline uint32_t trace_bit(enum trace_type type) { return 1u << type; }
static inline uint32_t trace_seg_bit(enum seg_event e) { return 1u << (16 + e); }
static inline uint32_t trace_timer_fire_bit(void) { return 1u << 24; }
#define TRACE_ALL_BITS 0xffffffffu
static inline uint32_t trace_event_bit(const struct trace_event *ev)
{
	if (ev->type == TRACE_TIMER && ev->u.timer.event == TIMER_FIRE)
		return trace_timer_fire_bit();
	return ev->type == TRACE_SEGMENT ? trace_seg_bit(ev->u.segment.event) : trace_bit(ev->type);
}

#define TRACE_MAX_SINKS 8
#define TRACE_MAX_NAMES 16

struct trace {
	struct trace_endpoint *endpoints;
	size_t n_endpoints, cap_endpoints;
	const char *names[TRACE_MAX_NAMES];   /* the endpoints' base names */
	size_t n_names;
	struct trace_sink sinks[TRACE_MAX_SINKS];
	size_t n_sinks;
	uint32_t wanted;             /* the union of the sinks' masks */
	uint32_t wanted_all;         /* ... of the sinks that want every endpoint's events */
};

/* Whether any sink wants events of this bit: an emitter may skip building
 * the event when none does (a run of a million connections with only the
 * pcap attached builds no timer events). */
static inline bool trace_wants(const struct trace *tr, uint32_t bit) { return (tr->wanted & bit) != 0; }
/* Whether a segment event of this bit between endpoints src and dst has a
 * sink that wants it: one of every endpoint's, or one of src's or dst's. */
bool trace_wants_segment_slow(const struct trace *tr, uint32_t bit, int src, int dst);
static inline bool trace_wants_segment(const struct trace *tr, uint32_t bit, int src, int dst)
{
	if (tr->wanted_all & bit)
		return true;
	return (tr->wanted & bit) && trace_wants_segment_slow(tr, bit, src, dst);
}

void trace_init(struct trace *tr);
void trace_free(struct trace *tr);
/* Returns the new endpoint's index, or -1 when out of memory or past
 * TRACE_MAX_NAMES different names. name must have static storage; instance
 * 0 names it `name`, k > 0 "name#k". */
int trace_add_instance(struct trace *tr, const char *name, uint32_t instance, uint32_t ip, uint16_t port,
		       uint32_t isn);
static inline int trace_add_endpoint(struct trace *tr, const char *name, uint32_t ip_, uint16_t port_, uint32_t isn_)
{
	return trace_add_instance(tr, name, 0, ip_, port_, isn_);
}
#define TRACE_NAME_MAX 32
/* Endpoint i's name ("server#3") in buf, which it returns; "?" for no endpoint. */
const char *trace_endpoint_name(const struct trace *tr, int i, char buf[TRACE_NAME_MAX]);
/* Endpoint i's role (ROLE_CLIENT for "client", ROLE_SERVER for "server")
 * and instance K (0 for the plain name), whether the endpoint was added as
 * ("client", K) or whole as "client#K"; -1 for any other name or index. */
int trace_endpoint_role(const struct trace *tr, int i, uint32_t *instance);
/* The two endpoints a two-party picture shows: the client ("client", else
 * client#K for K = connection, else the first "client#K") and its server
 * (the peer by name, "server#K" for "client#K", else "server", else the
 * first "server#K"); -1 when none. connection is the outputs' setting
 * (trace_log.shown_connection), 0 for the first. */
void trace_pick_pair(const struct trace *tr, uint32_t connection, int *client, int *server);
void trace_add_sink(struct trace *tr, struct trace_sink sink);
/* Hands ev to every sink that wants it, in the order they were added. */
void trace_emit(struct trace *tr, const struct trace_event *ev);

const char *seg_event_name(enum seg_event e);
const char *timer_kind_name(enum timer_kind k);
const char *timer_event_name(enum timer_event e);

#endif
