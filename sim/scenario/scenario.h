/* scenario.h - a scenario file, parsed once into plain structs before anything runs.
 *
 * The loader (sim/scenario/scenario_load*.c) checks every key; nothing else reads YAML. */
#ifndef TCPSIM_SCENARIO_H
#define TCPSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/duration.h"
#include "base/role.h"
#include "proto/segline.h"
#include "proto/tcp_state.h"
#include "base/user_call.h"

enum profile { PROFILE_RFC9293 = 0, PROFILE_LINUX = 1 };

/* Where a value stood in the file, 1-based, for FILE:LINE:COL messages. */
struct src_pos {
	int line, col;
};

/* The timer and size settings an endpoint runs with (the profile's defaults
 * with the scenario's `tcp:` overrides applied). */
struct tcp_params {
	usec_t rto_initial, rto_min, rto_max;
	usec_t msl;
	usec_t time_wait;            /* 2*msl unless `time_wait` was given */
	int syn_retries;             /* SYN retransmissions before giving up */
	int syn_linear_timeouts;     /* Linux's tcp_syn_linear_timeouts: SYN timeouts not backed
					off, and as many SYN retransmissions more */
	int synack_retries;          /* SYN-ACK retransmissions before giving up */
	int retries;                 /* data/FIN retransmissions before giving up (R2) */
	usec_t fin_wait_2_timeout;   /* 0: none */
	usec_t user_timeout;         /* 0: none (section 3.9.1.1's USER TIMEOUT) */
	uint32_t mss;
	uint32_t window;
};

/* `tcp:` as written: has_X says the key was present. */
struct tcp_overrides {
	bool has_rto_initial, has_rto_min, has_rto_max, has_msl, has_time_wait;
	bool has_syn_retries, has_retries, has_fin_wait_2_timeout, has_mss, has_window;
	bool has_user_timeout, has_syn_linear_timeouts;
	struct tcp_params v;
};

/* One direction of the link. */
struct link_dir {
	usec_t delay, jitter;
	double loss, duplicate, reorder;    /* probabilities, 0..1 */
};

/* A scripted drop: the nth segment sent by `from` whose flags equal `flags`
 * (any flags when has_flags is false), counted from 1. */
struct drop_rule {
	enum role from;
	bool has_flags;
	uint8_t flags;
	uint32_t nth;
	struct src_pos pos;
};

struct link_params {
	struct link_dir dir[NROLES];   /* indexed by the sender: [ROLE_CLIENT] is client_to_server */
	struct drop_rule *drops;
	size_t n_drops;
};

/* A forged segment (`inject`): seq relative to `from`'s ISN, ack relative to
 * the other side's ISN, as Wireshark's relative numbers. */
struct inject_spec {
	enum role from;
	uint8_t flags;
	bool has_seq, has_ack, has_win;
	uint32_t seq, ack;
	uint16_t win;
	uint16_t mss;                /* the MSS option's value; 0: no option (none unless given) */
	uint32_t len;                /* payload bytes; data, when given, holds them */
	char *data;                  /* NULL: len bytes of the pattern */
};

struct timeline_entry {
	usec_t at;
	enum role who;               /* unused for CALL_INJECT */
	enum user_call call;
	uint64_t bytes;              /* send: byte count */
	char *data;                  /* send: the text, when given as `data:` (bytes = its length) */
	struct inject_spec inject;   /* inject */
	bool wait_established;       /* `wait: established`: a blocking application's call, made
					once the endpoint's connection is established (at `at` if
					it already is; when it fails instead, the call then fails) */
	const char *note;            /* the note beside the call, or NULL (the text is owned by
					the scenario's notes) */
	struct src_pos pos;
};

/* A `note:` on a timeline entry: free text the ladders print at its time
 * (a TRACE_NOTE event). Alone on its entry, or beside the entry's call. */
#define NOTE_MAX 160                 /* bytes of UTF-8: a line of a slide */
struct scenario_note {
	usec_t at;
	int who;                     /* the role of the call beside it (client:, server:); -1: none
					(a note alone, or beside an inject) */
	bool beside_call;            /* told with its call (timeline_entry.note), not by time */
	char *text;                  /* printable UTF-8, 1..NOTE_MAX bytes */
	struct src_pos pos;
};

struct endpoint_spec {
	uint32_t ip;                 /* host byte order */
	uint16_t port;
	uint32_t isn;
	bool on_eof_close;           /* the app closes once it has read the peer's FIN */
	bool half_duplex;            /* after CLOSE, arriving data is answered by RST (T30) */
	uint32_t count;              /* clients: how many (default 1) */
	usec_t every;                /* clients: timeline shift between two clients */
	uint32_t backlog;            /* server: connections not yet accepted; 0: no limit */
};

struct expect {
	bool has_states[NROLES];
	enum tcp_state *states[NROLES];
	size_t n_states[NROLES];
	struct src_pos states_pos[NROLES];
	bool has_delivered[NROLES];
	uint64_t delivered[NROLES];
	bool has_segments;
	struct seg_line *segments;
	size_t n_segments;
	struct src_pos *segments_pos;   /* where each line stood */
	bool has_final;
	bool final_set[TCP_NSTATES];
	uint32_t final[TCP_NSTATES];
};

struct scenario {
	char *path;                  /* as given on the command line */
	char *name;                  /* `name`, or the file's base name without .yaml */
	char *base;                  /* the file's base name without .yaml/.yml: output file names */
	char *summary;               /* may be NULL */
	uint64_t seed;               /* default 1 */
	enum profile profile;        /* default rfc9293 */
	bool has_profile;            /* `profile:` was given */
	struct tcp_overrides tcp;
	struct link_params link;
	struct endpoint_spec ep[NROLES];
	struct timeline_entry *timeline;   /* the calls, in file order (a note alone is not one) */
	size_t n_timeline;
	struct scenario_note *notes;       /* by time, ties in file order */
	size_t n_notes;
	bool has_until;
	usec_t until;
	uint64_t max_events;         /* `max_events`: the run's event bound; 0: the default (sim.h) */
	struct expect expect;
	uint32_t show_connection;    /* `show.connection`: the K whose client#K and server#K the
					ladder and pictures show (--connection overrides); 0: the first */
};

/* The connection the ladder and pictures show: --connection's K (cli_k, 0
 * when not given), else the scenario's `show.connection`, else 1. */
static inline uint32_t scenario_shown_connection(const struct scenario *sc, uint32_t cli_k)
{
	return cli_k ? cli_k : sc->show_connection ? sc->show_connection : 1;
}

/* Reads and checks the scenario at path. Returns 0 and fills *sc, or -1 with
 * a message "FILE:LINE:COL: what is wrong" in err (never a crash, whatever the
 * bytes). On error *sc holds nothing to free. */
int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen);
void scenario_free(struct scenario *sc);

/* A KEY=VALUE setting applied on top of the file before anything is checked
 * (`sweep --set`): KEY a dotted path of mapping keys ("link.loss",
 * "tcp.rto_min", "endpoints.client.count"), VALUE a YAML scalar; a missing
 * mapping on the path is created. The value is then checked like the file's. */
struct scenario_setting {
	const char *key;
	const char *value;
};
/* scenario_load() with settings applied. A setting whose path crosses a
 * non-mapping is an error "KEY: ..." in err. */
int scenario_load_with(const char *path, const struct scenario_setting *set, size_t n_set,
		       struct scenario *sc, char *err, size_t errlen);

/* The profile's defaults with the overrides applied. */
void tcp_params_resolve(enum profile profile, const struct tcp_overrides *ov, struct tcp_params *out);

const char *profile_name(enum profile p);
const char *role_name(enum role r);

#endif
