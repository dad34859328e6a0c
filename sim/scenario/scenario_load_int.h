/* scenario_load_int.h - what the files of the scenario loader share, and
 * nothing outside sim/scenario/scenario_load*.c reads: the loader's state
 * while it walks one file, its limits, and the helpers each part calls.
 *
 * The parts, one job each:
 *   scenario_load.c          the file into a struct scenario: defaults, the
 *                            top-level keys, the checks across keys, in order
 *   scenario_load_yaml.c     the file's bytes into a libyaml document, with
 *                            the syntax errors' messages and hints
 *   scenario_load_nodes.c    "FILE:LINE:COL: ..." messages, and walking nodes
 *   scenario_load_values.c   one scalar into a value (duration, address ...)
 *   scenario_load_keys.c     tcp:, link: and endpoints:
 *   scenario_load_timeline.c timeline:
 *   scenario_load_expect.c   expect:
 *   scenario_load_checks.c   the checks that need the whole file
 *   scenario_load_set.c      the settings of sweep --set, put into the document */
#ifndef TCPSIM_SCENARIO_LOAD_INT_H
#define TCPSIM_SCENARIO_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>
#include "scenario/scenario.h"

#define FILE_MAX_BYTES (16u << 20)
#define NESTING_MAX 64
#define DURATION_MAX (1000ull * 86400 * USEC_PER_SEC)   /* 1000 days */
#define COUNT_MAX 10000000
#define MAX_EVENTS_MAX 1000000000000ull   /* 10^12: hours of work, never a wrap */
#define RETRIES_MAX 100
#define MSS_MAX 65495              /* 65535 less the IPv4 and TCP headers */
#define PAYLOAD_MAX 65495
#define SHOW_MAX 48                /* a value quoted in a message */
#define MSG_MAX 512

struct loader {
	const char *path;
	yaml_document_t *doc;
	struct scenario *sc;
	char *err;
	size_t errlen;
	/* Remembered for the checks that need the whole file. */
	yaml_node_t *rto_min_node, *rto_max_node;
	yaml_node_t *ip_node[NROLES], *port_node[NROLES];
	yaml_node_t *show_connection_node;
	yaml_node_t *every_node;
	/* libyaml ends a last line that has no line break with one of its
	 * own: a mark at end_mark (a line past the last) is shown at end_pos,
	 * just past the last line's last character. */
	bool has_end_fix;
	struct src_pos end_mark, end_pos;
};

/* The handler for one key of a mapping; key is its text. */
typedef int (*pair_fn)(struct loader *ld, const char *key, yaml_node_t *knode,
		       yaml_node_t *val, void *ctx);

/* ---- messages (scenario_load_nodes.c) ------------------------------------ */

/* libyaml's 0-based mark as a 1-based position. */
struct src_pos pos_of_mark(yaml_mark_t m);
/* Where a node starts; 1:1 for no node. */
struct src_pos node_pos(const yaml_node_t *n);
/* Replaces control bytes (a value may hold any) so a message stays one line. */
void sanitize(char *s);
/* An error at pos, "FILE:LINE:COL: message" into ld->err; always returns -1. */
int fail_at(struct loader *ld, struct src_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error at node's first character; always returns -1. */
int fail(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Out of memory while reading node; always returns -1. */
int fail_oom(struct loader *ld, const yaml_node_t *node);
/* How a value reads in a message: the scalar (cut at about 40 bytes), "an
 * empty value", "a list" or "a mapping". buf holds SHOW_MAX bytes. */
const char *shown(const yaml_node_t *n, char *buf);
#define SHOW(n) shown((n), (char[SHOW_MAX]){ 0 })
/* " (did you mean NAME?)" when one name of list is close to word, else "";
 * buf holds MSG_MAX / 4 bytes. */
const char *did_you_mean(const char *word, const char *const *list, char *buf);
#define DID_YOU_MEAN(word, list) did_you_mean((word), (list), (char[MSG_MAX / 4]){ 0 })

/* ---- nodes (scenario_load_nodes.c) --------------------------------------- */

/* The node with libyaml's id, or NULL. */
yaml_node_t *node_at(struct loader *ld, int id);
/* A scalar: a string, a number, a name. */
bool is_scalar(const yaml_node_t *n);
/* The scalar's bytes (NUL-terminated by libyaml). */
const char *scalar_text(const yaml_node_t *n);
/* A scalar whose bytes hold no NUL, so that it reads as a C string. */
bool is_text(const yaml_node_t *n);
/* True when s is one of the NULL-terminated list. */
bool in_list(const char *const *list, const char *s);
/* "a, b, c" into buf, of cap bytes; returns buf. */
const char *join(const char *const *list, char *buf, size_t cap);
/* Calls fn for each pair of map in file order, after checking that map is a
 * mapping, each key a string, known (when keys is not NULL) and not given
 * before. what names the mapping in messages. Returns 0, or -1 (fn's or a
 * message's). */
int walk_mapping(struct loader *ld, yaml_node_t *map, const char *what,
		 const char *const *keys, pair_fn fn, void *ctx);
/* Checks that n is a list; "what must be a list of ...". */
int expect_list(struct loader *ld, yaml_node_t *n, const char *what, const char *of);
/* How many items a sequence node holds. */
size_t list_len(const yaml_node_t *n);
/* The i-th item of a sequence node. */
yaml_node_t *list_item(struct loader *ld, const yaml_node_t *n, size_t i);

/* ---- scalar values (scenario_load_values.c) -------------------------------
 * Each reads node n, the value of key, into *out: 0, or -1 with a message
 * that names key and shows the value. */

/* "client", "server": the roles as a NULL-terminated list of keys. */
extern const char *const role_names[];
/* A string without NUL bytes, copied (malloc'd) into *out. */
int get_text(struct loader *ld, const char *key, yaml_node_t *n, char **out);
/* An integer in min..max. */
int get_uint(struct loader *ld, const char *key, yaml_node_t *n,
	     uint64_t min, uint64_t max, uint64_t *out);
/* get_uint() into a 32-bit field. */
int get_u32(struct loader *ld, const char *key, yaml_node_t *n,
	    uint32_t min, uint32_t max, uint32_t *out);
/* get_uint() into an int field; min >= 0. */
int get_int(struct loader *ld, const char *key, yaml_node_t *n, int min, int max, int *out);
/* A duration with a unit (or a bare 0), at most DURATION_MAX. */
int get_duration(struct loader *ld, const char *key, yaml_node_t *n, usec_t *out);
/* A duration above zero. */
int get_positive_duration(struct loader *ld, const char *key, yaml_node_t *n, usec_t *out);
/* A probability, 0..1. */
int get_probability(struct loader *ld, const char *key, yaml_node_t *n, double *out);
/* One of choices (a NULL-terminated list); *out is its index. */
int get_choice(struct loader *ld, const char *key, yaml_node_t *n,
	       const char *const *choices, int *out);
/* client or server. */
int get_role(struct loader *ld, const char *key, yaml_node_t *n, enum role *out);
/* A unicast IPv4 address in dotted-quad form, kept in host byte order. */
int get_ipv4(struct loader *ld, const char *key, yaml_node_t *n, uint32_t *out);
/* Flags in tcpdump's letters ("S.", "R", "none"; packetdrill's "-"). */
int get_flags(struct loader *ld, const char *key, yaml_node_t *n, uint8_t *out);
/* A state name in any spelling tcp_state_parse() takes. */
int get_state(struct loader *ld, yaml_node_t *n, enum tcp_state *out);

/* ---- the sections (scenario_load_keys.c, _timeline.c, _expect.c) --------- */

/* The keys of `tcp:`, and one of them into the struct tcp_overrides ctx. */
extern const char *const tcp_keys[];
int tcp_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx);
/* `link:` into ld->sc->link. Returns 0, or -1 with a message. */
int load_link(struct loader *ld, yaml_node_t *n);
/* One key of `endpoints:` (client or server) into ld->sc->ep. */
int endpoints_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx);
/* `timeline:` into ld->sc->timeline. Returns 0, or -1 with a message. */
int load_timeline(struct loader *ld, yaml_node_t *n);
/* The keys of `expect:`, and one of them into the struct expect ctx. */
extern const char *const expect_keys[];
int expect_pair(struct loader *ld, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx);

/* ---- checks across keys (scenario_load_checks.c) -------------------------
 * Each runs once the whole file is read: 0, or -1 with a message. */

/* rto_min must not exceed rto_max once the profile's defaults fill in. */
int check_rto(struct loader *ld);
/* The last client's calls must come within virtual time. */
int check_virtual_time(struct loader *ld);
/* `wait: established` on the server's calls only with one client. */
int check_waits(struct loader *ld);
/* show.connection names one of the connections. */
int check_show(struct loader *ld);
/* The client and the server cannot share an address and port; the clients'
 * addresses stay addresses. */
int check_addresses(struct loader *ld);
/* Every segment line names a client side and a server side of this
 * scenario, and with numbers, the same connection. */
int check_segment_names(struct loader *ld);

/* ---- the file (scenario_load_yaml.c) ------------------------------------- */

/* The whole file into *buf (malloc'd, NUL-terminated) and *len; -1 with
 * "FILE: cannot read: why" in err. */
int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);
/* A first pass over the events: syntax errors, and nesting past
 * NESTING_MAX. Returns 0, or -1 with a message. */
int check_nesting(struct loader *ld, const char *buf, size_t len);
/* Loads the first document of buf into doc (the caller deletes it); a
 * second one is an error. Returns 0, or -1 with a message (doc then
 * deleted). */
int load_document(struct loader *ld, const char *buf, size_t len, yaml_document_t *doc);

/* ---- settings (scenario_load_set.c) -------------------------------------- */

/* Applies the settings in order to the loaded document ld->doc. Returns 0,
 * or -1 with "--set KEY: why" in ld->err. */
int apply_settings(struct loader *ld, const struct scenario_setting *set, size_t n_set);

#endif
