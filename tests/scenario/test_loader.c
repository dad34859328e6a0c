/* test_loader.c - scenario_load: values and defaults of well-formed files, and
 * the exact "FILE:LINE:COL: message" of malformed ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/scenario.h"
#include "proto/segment.h"
#include "testing.h"

#define MS(x) ((usec_t)(x) * USEC_PER_MS)
#define SEC(x) ((usec_t)(x) * USEC_PER_SEC)
#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Writes len bytes to a new file named like /tmp/tcpsim-loader-XXXXXX.yaml;
 * path receives its name. */
static void write_temp(const char *bytes, size_t len, char path[64])
{
	int fd;

	strcpy(path, "/tmp/tcpsim-loader-XXXXXX.yaml");
	fd = mkstemps(path, 5);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, bytes, len) == (ssize_t)len);
	close(fd);
}

/* Loads yaml from a temp file; returns scenario_load's result, the message
 * with the file name cut off ("3:15: ...") in err. */
static int load_bytes(const char *bytes, size_t len, struct scenario *sc, char *err, size_t errlen)
{
	char path[64], full[600];
	size_t n;
	int rc;

	write_temp(bytes, len, path);
	rc = scenario_load(path, sc, full, sizeof(full));
	unlink(path);
	n = strlen(path);
	if (rc < 0 && strncmp(full, path, n) == 0 && full[n] == ':')
		snprintf(err, errlen, "%s", full + n + 1);
	else
		snprintf(err, errlen, "%s", full);
	return rc;
}

static int load_text(const char *yaml, struct scenario *sc, char *err, size_t errlen)
{
	return load_bytes(yaml, strlen(yaml), sc, err, errlen);
}

/* Loads yaml, asserting success. */
static void load_ok(const char *yaml, struct scenario *sc)
{
	char err[600] = "";

	CU_ASSERT_EQUAL(load_text(yaml, sc, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  unexpected error: %s\n", err);
	CU_ASSERT_STRING_EQUAL(err, "");
}

/* ---- well-formed files ------------------------------------------------- */

static void test_defaults(void)
{
	struct scenario sc;
	struct tcp_params p;

	load_ok("summary: nothing happens\n", &sc);
	CU_ASSERT_STRING_EQUAL(sc.summary, "nothing happens");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc.name);
	CU_ASSERT_STRING_EQUAL(sc.name, sc.base);
	CU_ASSERT_EQUAL(strncmp(sc.base, "tcpsim-loader-", 14), 0);
	CU_ASSERT_EQUAL(strlen(sc.base), 20);   /* ".yaml" cut off */
	CU_ASSERT_EQUAL(sc.seed, 1);
	CU_ASSERT_EQUAL(sc.profile, PROFILE_RFC9293);
	CU_ASSERT_FALSE(sc.tcp.has_rto_initial || sc.tcp.has_rto_min || sc.tcp.has_rto_max ||
			sc.tcp.has_msl || sc.tcp.has_time_wait || sc.tcp.has_syn_retries ||
			sc.tcp.has_retries || sc.tcp.has_fin_wait_2_timeout || sc.tcp.has_mss ||
			sc.tcp.has_window);
	for (int r = 0; r < NROLES; r++) {
		CU_ASSERT_EQUAL(sc.link.dir[r].delay, 0);
		CU_ASSERT_EQUAL(sc.link.dir[r].jitter, 0);
		CU_ASSERT_EQUAL(sc.link.dir[r].loss, 0.0);
		CU_ASSERT_EQUAL(sc.link.dir[r].duplicate, 0.0);
		CU_ASSERT_EQUAL(sc.link.dir[r].reorder, 0.0);
		CU_ASSERT_FALSE(sc.expect.has_states[r]);
		CU_ASSERT_FALSE(sc.expect.has_delivered[r]);
		CU_ASSERT_FALSE(sc.ep[r].on_eof_close);
		CU_ASSERT_EQUAL(sc.ep[r].backlog, 0);
		CU_ASSERT_EQUAL(sc.ep[r].every, 0);
	}
	CU_ASSERT_EQUAL(sc.link.n_drops, 0);
	CU_ASSERT_PTR_NULL(sc.link.drops);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].ip, IP(10, 0, 0, 1));
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].port, 40000);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].isn, 1000);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].count, 1);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].ip, IP(10, 0, 0, 2));
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].port, 80);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].isn, 5000);
	CU_ASSERT_EQUAL(sc.n_timeline, 0);
	CU_ASSERT_PTR_NULL(sc.timeline);
	CU_ASSERT_FALSE(sc.has_until);
	CU_ASSERT_FALSE(sc.expect.has_segments);
	CU_ASSERT_FALSE(sc.expect.has_final);
	tcp_params_resolve(sc.profile, &sc.tcp, &p);
	CU_ASSERT_EQUAL(p.time_wait, SEC(240));
	scenario_free(&sc);
}

/* The contract's complete scenario, with an `until` added. */
static const char simultaneous_close_yaml[] =
	"summary: Both applications close at once; the FINs cross and both ends pass CLOSING and TIME_WAIT.\n"
	"link: { delay: 50ms }\n"
	"tcp: { msl: 2s }\n"
	"timeline:\n"
	"  - { at: 0ms,  server: listen }\n"
	"  - { at: 10ms, client: connect }\n"
	"  - { at: 1s,   client: close }\n"
	"  - { at: 1s,   server: close }\n"
	"until: 1min\n"
	"expect:\n"
	"  client: [CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED]\n"
	"  server: [CLOSED, LISTEN, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT, CLOSED]\n"
	"  segments:\n"
	"    - \"0.010 client > server S 0:0(0)\"\n"
	"    - \"0.060 server > client S. 0:0(0) ack 1\"\n"
	"    - \"0.110 client > server . 1:1(0) ack 1\"\n"
	"    - \"1.000 client > server F. 1:1(0) ack 1\"\n"
	"    - \"1.000 server > client F. 1:1(0) ack 1\"\n"
	"    - \"1.050 server > client . 2:2(0) ack 2\"\n"
	"    - \"1.050 client > server . 2:2(0) ack 2\"\n";

static void test_simultaneous_close(void)
{
	static const enum tcp_state client[] = {
		TCPS_CLOSED, TCPS_SYN_SENT, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1, TCPS_CLOSING,
		TCPS_TIME_WAIT, TCPS_CLOSED,
	};
	static const enum tcp_state server[] = {
		TCPS_CLOSED, TCPS_LISTEN, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1,
		TCPS_CLOSING, TCPS_TIME_WAIT, TCPS_CLOSED,
	};
	char dir[] = "/tmp/tcpsim-loader-dir-XXXXXX", path[128], err[600] = "", line[128];
	struct scenario sc;
	struct tcp_params p;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/simultaneous_close.yaml", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(simultaneous_close_yaml, f);
	fclose(f);
	CU_ASSERT_EQUAL(scenario_load(path, &sc, err, sizeof(err)), 0);
	unlink(path);
	rmdir(dir);
	CU_ASSERT_STRING_EQUAL_FATAL(err, "");

	CU_ASSERT_STRING_EQUAL(sc.path, path);
	CU_ASSERT_STRING_EQUAL(sc.name, "simultaneous_close");
	CU_ASSERT_STRING_EQUAL(sc.base, "simultaneous_close");
	CU_ASSERT_STRING_EQUAL(sc.summary, "Both applications close at once; the FINs cross and "
			       "both ends pass CLOSING and TIME_WAIT.");
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].delay, MS(50));
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].delay, MS(50));
	CU_ASSERT_TRUE(sc.tcp.has_msl);
	CU_ASSERT_EQUAL(sc.tcp.v.msl, SEC(2));
	tcp_params_resolve(sc.profile, &sc.tcp, &p);
	CU_ASSERT_EQUAL(p.time_wait, SEC(4));
	CU_ASSERT_TRUE(sc.has_until);
	CU_ASSERT_EQUAL(sc.until, SEC(60));

	CU_ASSERT_EQUAL_FATAL(sc.n_timeline, 4);
	CU_ASSERT_EQUAL(sc.timeline[0].at, 0);
	CU_ASSERT_EQUAL(sc.timeline[0].who, ROLE_SERVER);
	CU_ASSERT_EQUAL(sc.timeline[0].call, CALL_LISTEN);
	CU_ASSERT_EQUAL(sc.timeline[0].pos.line, 5);
	CU_ASSERT_EQUAL(sc.timeline[0].pos.col, 5);
	CU_ASSERT_EQUAL(sc.timeline[1].at, MS(10));
	CU_ASSERT_EQUAL(sc.timeline[1].who, ROLE_CLIENT);
	CU_ASSERT_EQUAL(sc.timeline[1].call, CALL_CONNECT);
	CU_ASSERT_EQUAL(sc.timeline[2].at, SEC(1));
	CU_ASSERT_EQUAL(sc.timeline[2].who, ROLE_CLIENT);
	CU_ASSERT_EQUAL(sc.timeline[2].call, CALL_CLOSE);
	CU_ASSERT_EQUAL(sc.timeline[3].at, SEC(1));
	CU_ASSERT_EQUAL(sc.timeline[3].who, ROLE_SERVER);
	CU_ASSERT_EQUAL(sc.timeline[3].call, CALL_CLOSE);

	CU_ASSERT_TRUE(sc.expect.has_states[ROLE_CLIENT]);
	CU_ASSERT_EQUAL_FATAL(sc.expect.n_states[ROLE_CLIENT], 7);
	CU_ASSERT_EQUAL(memcmp(sc.expect.states[ROLE_CLIENT], client, sizeof(client)), 0);
	CU_ASSERT_EQUAL(sc.expect.states_pos[ROLE_CLIENT].line, 11);
	CU_ASSERT_EQUAL(sc.expect.states_pos[ROLE_CLIENT].col, 11);
	CU_ASSERT_EQUAL_FATAL(sc.expect.n_states[ROLE_SERVER], 8);
	CU_ASSERT_EQUAL(memcmp(sc.expect.states[ROLE_SERVER], server, sizeof(server)), 0);

	CU_ASSERT_TRUE(sc.expect.has_segments);
	CU_ASSERT_EQUAL_FATAL(sc.expect.n_segments, 7);
	CU_ASSERT_EQUAL(sc.expect.segments_pos[0].line, 14);
	CU_ASSERT_EQUAL(sc.expect.segments_pos[0].col, 7);
	CU_ASSERT_EQUAL(sc.expect.segments_pos[6].line, 20);
	seg_line_format(&sc.expect.segments[1], line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "0.060 server > client S. 0:0(0) ack 1");
	CU_ASSERT_EQUAL(sc.expect.segments[5].time_us, MS(1050));
	CU_ASSERT_EQUAL(sc.expect.segments[5].flags, TH_ACK);
	CU_ASSERT_EQUAL(sc.expect.segments[5].ack, 2);
	CU_ASSERT_FALSE(sc.expect.has_final);
	scenario_free(&sc);
	CU_ASSERT_PTR_NULL(sc.path);
	scenario_free(&sc);   /* harmless twice */
}

/* The contract's listing of every key. */
static const char every_key_yaml[] =
	"name: simultaneous close            # optional; default: the file's base name\n"
	"summary: one line for listings and titles\n"
	"seed: 1                             # optional, default 1\n"
	"profile: rfc9293\n"
	"tcp:\n"
	"  rto_initial: 1s\n"
	"  rto_min: 1s\n"
	"  rto_max: 60s\n"
	"  msl: 2min\n"
	"  time_wait: 60s\n"
	"  syn_retries: 6\n"
	"  syn_linear_timeouts: 2\n"
	"  retries: 15\n"
	"  fin_wait_2_timeout: 60s\n"
	"  mss: 1460\n"
	"  window: 65535\n"
	"link:\n"
	"  delay: 50ms\n"
	"  jitter: 0ms\n"
	"  loss: 0\n"
	"  duplicate: 0\n"
	"  reorder: 0\n"
	"  client_to_server: { loss: 0.1 }\n"
	"  drop:\n"
	"    - { from: client, flags: \"F.\", nth: 1 }\n"
	"endpoints:\n"
	"  client: { ip: 10.0.0.1, port: 40000, isn: 1000 }\n"
	"  server: { ip: 10.0.0.2, port: 80,    isn: 5000, on_eof: close }\n"
	"timeline:\n"
	"  - { at: 0ms,   server: listen }\n"
	"  - { at: 10ms,  client: connect }\n"
	"  - { at: 200ms, client: send, bytes: 100 }\n"
	"  - { at: 300ms, server: send, data: \"hello\" }\n"
	"  - { at: 400ms, client: close }\n"
	"  - { at: 500ms, server: abort }\n"
	"  - { at: 2s,    inject: { from: server, flags: \"R\", seq: 1 } }\n"
	"until: 10min\n"
	"expect:\n"
	"  client: [CLOSED, SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSED]\n"
	"  server: [CLOSED, LISTEN, SYN_RECEIVED, ESTABLISHED, CLOSED]\n"
	"  delivered: { server: 100, client: 5 }\n"
	"  segments: [ \"client > server S 0:0(0)\", \"+0.050 server > client S. 0:0(0) ack 1 win 65535\" ]\n";

static void test_every_key(void)
{
	struct scenario sc;
	struct tcp_params p;
	const struct timeline_entry *t;

	load_ok(every_key_yaml, &sc);
	CU_ASSERT_STRING_EQUAL(sc.name, "simultaneous close");
	CU_ASSERT_STRING_EQUAL(sc.summary, "one line for listings and titles");
	CU_ASSERT_EQUAL(sc.seed, 1);
	CU_ASSERT_EQUAL(sc.profile, PROFILE_RFC9293);

	CU_ASSERT_TRUE(sc.tcp.has_rto_initial && sc.tcp.has_rto_min && sc.tcp.has_rto_max &&
		       sc.tcp.has_msl && sc.tcp.has_time_wait && sc.tcp.has_syn_retries &&
		       sc.tcp.has_syn_linear_timeouts && sc.tcp.has_retries && sc.tcp.has_fin_wait_2_timeout && sc.tcp.has_mss &&
		       sc.tcp.has_window);
	tcp_params_resolve(sc.profile, &sc.tcp, &p);
	CU_ASSERT_EQUAL(p.rto_initial, SEC(1));
	CU_ASSERT_EQUAL(p.rto_min, SEC(1));
	CU_ASSERT_EQUAL(p.rto_max, SEC(60));
	CU_ASSERT_EQUAL(p.msl, SEC(120));
	CU_ASSERT_EQUAL(p.time_wait, SEC(60));   /* time_wait wins over 2*msl */
	CU_ASSERT_EQUAL(p.syn_retries, 6);
	CU_ASSERT_EQUAL(p.synack_retries, 6);
	CU_ASSERT_EQUAL(p.syn_linear_timeouts, 2);
	CU_ASSERT_EQUAL(p.retries, 15);
	CU_ASSERT_EQUAL(p.fin_wait_2_timeout, SEC(60));
	CU_ASSERT_EQUAL(p.mss, 1460);
	CU_ASSERT_EQUAL(p.window, 65535);

	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].delay, MS(50));
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].delay, MS(50));
	CU_ASSERT_DOUBLE_EQUAL(sc.link.dir[ROLE_CLIENT].loss, 0.1, 1e-12);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].loss, 0.0);
	CU_ASSERT_EQUAL_FATAL(sc.link.n_drops, 1);
	CU_ASSERT_EQUAL(sc.link.drops[0].from, ROLE_CLIENT);
	CU_ASSERT_TRUE(sc.link.drops[0].has_flags);
	CU_ASSERT_EQUAL(sc.link.drops[0].flags, TH_FIN | TH_ACK);
	CU_ASSERT_EQUAL(sc.link.drops[0].nth, 1);
	CU_ASSERT_EQUAL(sc.link.drops[0].pos.line, 25);
	CU_ASSERT_EQUAL(sc.link.drops[0].pos.col, 7);

	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].ip, IP(10, 0, 0, 1));
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].port, 40000);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].isn, 1000);
	CU_ASSERT_FALSE(sc.ep[ROLE_CLIENT].on_eof_close);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].ip, IP(10, 0, 0, 2));
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].port, 80);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].isn, 5000);
	CU_ASSERT_TRUE(sc.ep[ROLE_SERVER].on_eof_close);

	CU_ASSERT_EQUAL_FATAL(sc.n_timeline, 7);
	t = sc.timeline;
	CU_ASSERT_EQUAL(t[2].call, CALL_SEND);
	CU_ASSERT_EQUAL(t[2].who, ROLE_CLIENT);
	CU_ASSERT_EQUAL(t[2].bytes, 100);
	CU_ASSERT_PTR_NULL(t[2].data);
	CU_ASSERT_EQUAL(t[3].call, CALL_SEND);
	CU_ASSERT_EQUAL(t[3].who, ROLE_SERVER);
	CU_ASSERT_EQUAL(t[3].bytes, 5);
	CU_ASSERT_STRING_EQUAL(t[3].data, "hello");
	CU_ASSERT_EQUAL(t[4].call, CALL_CLOSE);
	CU_ASSERT_EQUAL(t[5].call, CALL_ABORT);
	CU_ASSERT_EQUAL(t[5].at, MS(500));
	CU_ASSERT_EQUAL(t[6].call, CALL_INJECT);
	CU_ASSERT_EQUAL(t[6].at, SEC(2));
	CU_ASSERT_EQUAL(t[6].inject.from, ROLE_SERVER);
	CU_ASSERT_EQUAL(t[6].inject.flags, TH_RST);
	CU_ASSERT_TRUE(t[6].inject.has_seq);
	CU_ASSERT_EQUAL(t[6].inject.seq, 1);
	CU_ASSERT_FALSE(t[6].inject.has_ack);
	CU_ASSERT_FALSE(t[6].inject.has_win);
	CU_ASSERT_EQUAL(t[6].inject.len, 0);
	CU_ASSERT_PTR_NULL(t[6].inject.data);
	CU_ASSERT_EQUAL(t[6].pos.line, 36);

	CU_ASSERT_TRUE(sc.has_until);
	CU_ASSERT_EQUAL(sc.until, SEC(600));
	CU_ASSERT_EQUAL(sc.expect.n_states[ROLE_CLIENT], 5);
	CU_ASSERT_EQUAL(sc.expect.states[ROLE_SERVER][2], TCPS_SYN_RECEIVED);
	CU_ASSERT_TRUE(sc.expect.has_delivered[ROLE_CLIENT]);
	CU_ASSERT_TRUE(sc.expect.has_delivered[ROLE_SERVER]);
	CU_ASSERT_EQUAL(sc.expect.delivered[ROLE_CLIENT], 5);
	CU_ASSERT_EQUAL(sc.expect.delivered[ROLE_SERVER], 100);
	CU_ASSERT_EQUAL_FATAL(sc.expect.n_segments, 2);
	CU_ASSERT_FALSE(sc.expect.segments[0].has_time);
	CU_ASSERT_TRUE(sc.expect.segments[1].time_relative);
	CU_ASSERT_EQUAL(sc.expect.segments[1].time_us, MS(50));
	CU_ASSERT_EQUAL(sc.expect.segments[1].win, 65535);
	CU_ASSERT_EQUAL(sc.expect.segments_pos[1].line, 42);
	CU_ASSERT_EQUAL(sc.expect.segments_pos[1].col, 43);
	scenario_free(&sc);
}

static void test_many_clients(void)
{
	struct scenario sc;

	load_ok("profile: linux\n"
		"show: { connection: 3 }\n"
		"endpoints:\n"
		"  client: { count: 3, every: 1.5s, on_eof: close, ip: 192.168.1.9 }\n"
		"  server: { backlog: 2, port: 8080, isn: 4294967295 }\n"
		"expect:\n"
		"  client: [closed, Syn-Sent, ESTABLISHED]\n"
		"  final: { CLOSED: 3, syn_rcvd: 0, TIME-WAIT: 3 }\n"
		"  segments:\n"
		"    - client#3 > server#3 S\n"
		"    - client > server S\n"
		"    - server#1 > client#1 R. <mss 536> dropped\n",
		&sc);
	CU_ASSERT_EQUAL(sc.profile, PROFILE_LINUX);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].count, 3);
	CU_ASSERT_EQUAL(sc.show_connection, 3);
	CU_ASSERT_EQUAL(scenario_shown_connection(&sc, 0), 3);
	CU_ASSERT_EQUAL(scenario_shown_connection(&sc, 2), 2);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].every, MS(1500));
	CU_ASSERT_TRUE(sc.ep[ROLE_CLIENT].on_eof_close);
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].ip, IP(192, 168, 1, 9));
	CU_ASSERT_EQUAL(sc.ep[ROLE_CLIENT].port, 40000);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].backlog, 2);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].port, 8080);
	CU_ASSERT_EQUAL(sc.ep[ROLE_SERVER].isn, 4294967295u);
	CU_ASSERT_FALSE(sc.ep[ROLE_SERVER].on_eof_close);
	CU_ASSERT_EQUAL_FATAL(sc.expect.n_states[ROLE_CLIENT], 3);
	CU_ASSERT_EQUAL(sc.expect.states[ROLE_CLIENT][0], TCPS_CLOSED);
	CU_ASSERT_EQUAL(sc.expect.states[ROLE_CLIENT][1], TCPS_SYN_SENT);
	CU_ASSERT_FALSE(sc.expect.has_states[ROLE_SERVER]);
	CU_ASSERT_TRUE(sc.expect.has_final);
	CU_ASSERT_TRUE(sc.expect.final_set[TCPS_CLOSED]);
	CU_ASSERT_EQUAL(sc.expect.final[TCPS_CLOSED], 3);
	CU_ASSERT_TRUE(sc.expect.final_set[TCPS_SYN_RECEIVED]);
	CU_ASSERT_EQUAL(sc.expect.final[TCPS_SYN_RECEIVED], 0);
	CU_ASSERT_TRUE(sc.expect.final_set[TCPS_TIME_WAIT]);
	CU_ASSERT_EQUAL(sc.expect.final[TCPS_TIME_WAIT], 3);
	CU_ASSERT_FALSE(sc.expect.final_set[TCPS_LISTEN]);
	CU_ASSERT_EQUAL_FATAL(sc.expect.n_segments, 3);
	CU_ASSERT_STRING_EQUAL(sc.expect.segments[0].src, "client#3");
	CU_ASSERT_TRUE(sc.expect.segments[2].dropped);
	CU_ASSERT_EQUAL(sc.expect.segments[2].mss, 536);
	scenario_free(&sc);
}

static void test_link_directions(void)
{
	struct scenario sc;

	/* A direction's override wins wherever it stands in the mapping. */
	load_ok("link:\n"
		"  server_to_client: { delay: 10ms, duplicate: 1 }\n"
		"  delay: 50ms\n"
		"  jitter: 250us\n"
		"  loss: 0.25\n"
		"  reorder: 1.0\n"
		"  client_to_server: { jitter: 0, reorder: 0.000 }\n"
		"  drop:\n"
		"    - { from: server }\n"
		"    - { nth: 4294967295, from: client, flags: S }\n",
		&sc);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].delay, MS(50));
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].jitter, 0);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].loss, 0.25);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].duplicate, 0.0);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_CLIENT].reorder, 0.0);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].delay, MS(10));
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].jitter, 250);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].loss, 0.25);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].duplicate, 1.0);
	CU_ASSERT_EQUAL(sc.link.dir[ROLE_SERVER].reorder, 1.0);
	CU_ASSERT_EQUAL_FATAL(sc.link.n_drops, 2);
	CU_ASSERT_EQUAL(sc.link.drops[0].from, ROLE_SERVER);
	CU_ASSERT_FALSE(sc.link.drops[0].has_flags);
	CU_ASSERT_EQUAL(sc.link.drops[0].nth, 1);
	CU_ASSERT_EQUAL(sc.link.drops[1].from, ROLE_CLIENT);
	CU_ASSERT_EQUAL(sc.link.drops[1].flags, TH_SYN);
	CU_ASSERT_EQUAL(sc.link.drops[1].nth, 4294967295u);
	scenario_free(&sc);
}

static void test_timeline_entries(void)
{
	struct scenario sc;
	const struct timeline_entry *t;

	load_ok("timeline:\n"
		"  - at: 1.5s\n"
		"    client: send\n"
		"    data: 'GET / HTTP/1.0'\n"
		"  - { server: send, bytes: 4294967295, at: 0 }\n"
		"  - { at: 40us, inject: { from: client, flags: S., seq: 0, ack: 4294967295, win: 0, len: 10 } }\n"
		"  - { at: 1min, inject: { data: \"xyz\", flags: none, from: server } }\n"
		"  - { at: 2ms, server: listen }\n",
		&sc);
	CU_ASSERT_EQUAL_FATAL(sc.n_timeline, 5);
	t = sc.timeline;
	CU_ASSERT_EQUAL(t[0].at, MS(1500));
	CU_ASSERT_EQUAL(t[0].who, ROLE_CLIENT);
	CU_ASSERT_EQUAL(t[0].bytes, 14);
	CU_ASSERT_STRING_EQUAL(t[0].data, "GET / HTTP/1.0");
	CU_ASSERT_EQUAL(t[0].pos.line, 2);
	CU_ASSERT_EQUAL(t[0].pos.col, 5);
	CU_ASSERT_EQUAL(t[1].at, 0);   /* file order is kept */
	CU_ASSERT_EQUAL(t[1].bytes, 4294967295u);
	CU_ASSERT_EQUAL(t[2].call, CALL_INJECT);
	CU_ASSERT_EQUAL(t[2].at, 40);
	CU_ASSERT_EQUAL(t[2].inject.from, ROLE_CLIENT);
	CU_ASSERT_EQUAL(t[2].inject.flags, TH_SYN | TH_ACK);
	CU_ASSERT_TRUE(t[2].inject.has_seq && t[2].inject.has_ack && t[2].inject.has_win);
	CU_ASSERT_EQUAL(t[2].inject.ack, 4294967295u);
	CU_ASSERT_EQUAL(t[2].inject.win, 0);
	CU_ASSERT_EQUAL(t[2].inject.len, 10);
	CU_ASSERT_PTR_NULL(t[2].inject.data);
	CU_ASSERT_EQUAL(t[3].inject.flags, 0);
	CU_ASSERT_FALSE(t[3].inject.has_seq);
	CU_ASSERT_EQUAL(t[3].inject.len, 3);
	CU_ASSERT_STRING_EQUAL(t[3].inject.data, "xyz");
	CU_ASSERT_EQUAL(t[4].call, CALL_LISTEN);
	scenario_free(&sc);
}

static void test_names_from_path(void)
{
	static const struct {
		const char *file, *base;
	} cases[] = {
		{ "handshake.yaml", "handshake" },
		{ "handshake.yml", "handshake" },
		{ "handshake", "handshake" },
		{ "hand.shake.yaml", "hand.shake" },
		{ ".yaml", ".yaml" },
	};
	char dir[] = "/tmp/tcpsim-loader-dir-XXXXXX", path[128], err[600];
	struct scenario sc;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, cases[i].file);
		f = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs("seed: 18446744073709551615\n", f);
		fclose(f);
		CU_ASSERT_EQUAL(scenario_load(path, &sc, err, sizeof(err)), 0);
		unlink(path);
		CU_ASSERT_STRING_EQUAL(sc.base, cases[i].base);
		CU_ASSERT_STRING_EQUAL(sc.name, cases[i].base);
		CU_ASSERT_EQUAL(sc.seed, UINT64_MAX);
		scenario_free(&sc);
	}
	rmdir(dir);
}

static void test_profiles(void)
{
	struct tcp_params p;
	struct tcp_overrides ov = { 0 };

	tcp_params_resolve(PROFILE_RFC9293, NULL, &p);
	CU_ASSERT_EQUAL(p.rto_initial, SEC(1));
	CU_ASSERT_EQUAL(p.rto_min, SEC(1));
	CU_ASSERT_EQUAL(p.rto_max, SEC(60));
	CU_ASSERT_EQUAL(p.msl, SEC(120));
	CU_ASSERT_EQUAL(p.time_wait, SEC(240));
	CU_ASSERT_EQUAL(p.syn_retries, 8);
	CU_ASSERT_EQUAL(p.synack_retries, 8);
	CU_ASSERT_EQUAL(p.syn_linear_timeouts, 0);
	CU_ASSERT_EQUAL(p.retries, 15);
	CU_ASSERT_EQUAL(p.fin_wait_2_timeout, 0);
	CU_ASSERT_EQUAL(p.mss, 1460);
	CU_ASSERT_EQUAL(p.window, 65535);

	tcp_params_resolve(PROFILE_LINUX, &ov, &p);
	CU_ASSERT_EQUAL(p.rto_initial, SEC(1));
	CU_ASSERT_EQUAL(p.rto_min, MS(200));
	CU_ASSERT_EQUAL(p.rto_max, SEC(120));
	CU_ASSERT_EQUAL(p.msl, SEC(30));
	CU_ASSERT_EQUAL(p.time_wait, SEC(60));
	CU_ASSERT_EQUAL(p.syn_retries, 6);
	CU_ASSERT_EQUAL(p.synack_retries, 5);
	CU_ASSERT_EQUAL(p.syn_linear_timeouts, 4);
	CU_ASSERT_EQUAL(p.retries, 15);
	CU_ASSERT_EQUAL(p.fin_wait_2_timeout, SEC(60));
	CU_ASSERT_EQUAL(p.mss, 1460);
	CU_ASSERT_EQUAL(p.window, 65535);

	ov.has_msl = true;
	ov.v.msl = SEC(5);
	ov.has_syn_retries = true;
	ov.v.syn_retries = 2;
	ov.has_mss = true;
	ov.v.mss = 536;
	ov.has_syn_linear_timeouts = true;
	ov.v.syn_linear_timeouts = 0;
	tcp_params_resolve(PROFILE_LINUX, &ov, &p);
	CU_ASSERT_EQUAL(p.syn_linear_timeouts, 0);
	CU_ASSERT_EQUAL(p.msl, SEC(5));
	CU_ASSERT_EQUAL(p.time_wait, SEC(10));
	CU_ASSERT_EQUAL(p.syn_retries, 2);
	CU_ASSERT_EQUAL(p.synack_retries, 2);
	CU_ASSERT_EQUAL(p.mss, 536);
	CU_ASSERT_EQUAL(p.rto_min, MS(200));   /* not overridden */
	ov.has_time_wait = true;
	ov.v.time_wait = 0;
	tcp_params_resolve(PROFILE_RFC9293, &ov, &p);
	CU_ASSERT_EQUAL(p.time_wait, 0);
	CU_ASSERT_EQUAL(p.msl, SEC(5));
}

static void test_enum_names(void)
{
	CU_ASSERT_STRING_EQUAL(profile_name(PROFILE_RFC9293), "rfc9293");
	CU_ASSERT_STRING_EQUAL(profile_name(PROFILE_LINUX), "linux");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_CLIENT), "client");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_SERVER), "server");
	CU_ASSERT_STRING_EQUAL(user_call_name(CALL_LISTEN), "listen");
	CU_ASSERT_STRING_EQUAL(user_call_name(CALL_CONNECT), "connect");
	CU_ASSERT_STRING_EQUAL(user_call_name(CALL_SEND), "send");
	CU_ASSERT_STRING_EQUAL(user_call_name(CALL_CLOSE), "close");
	CU_ASSERT_STRING_EQUAL(user_call_name(CALL_ABORT), "abort");
	CU_ASSERT_STRING_EQUAL(user_call_name(CALL_INJECT), "inject");
}

static void test_rto_checked_against_profile(void)
{
	struct scenario sc;

	/* 500ms is below rfc9293's rto_min but above linux's. */
	load_ok("profile: linux\ntcp: { rto_max: 500ms }\n", &sc);
	CU_ASSERT_EQUAL(sc.tcp.v.rto_max, MS(500));
	scenario_free(&sc);
	load_ok("tcp: { rto_max: 500ms, rto_min: 100ms }\n", &sc);
	scenario_free(&sc);
}

/* ---- malformed files ------------------------------------------------- */

/* Each text and the start of its message after "FILE:". */
static const struct bad_case {
	const char *yaml;
	const char *error;
} bad_cases[] = {
	/* YAML itself */
	{ "a: [\n", "2:1: YAML syntax error: did not find expected node content (while parsing a flow node)" },
	{ "seed: 1\n  name: x\n", "2:7: YAML syntax error: mapping values are not allowed in this context" },
	{ "summary: 'open\n", "2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)" },
	{ "", "1:1: the file is empty: a scenario is a mapping of keys" },
	{ "# only a comment\n\n", "1:1: the file is empty" },
	{ "- at: 1s\n", "1:1: a scenario is a mapping of keys (timeline:, expect:, ...), not a list" },
	{ "\n\nhello\n", "1:1: a scenario is a mapping of keys (timeline:, expect:, ...), not hello" },
	{ "summary: x\n---\nsummary: y\n", "2:1: a scenario file holds one YAML document, this is a second one" },
	{ "summary: \x01\x02\n", "1:10: not a readable YAML text: control characters are not allowed" },
	{ "summary: x\nname: \xff\xfe\n", "2:7: not a readable YAML text: invalid leading UTF-8 octet" },
	{ "timeline: *nowhere\n", "1:11: YAML syntax error: found undefined alias" },
	{ "[a]: 1\n", "1:1: keys in the scenario must be plain names, not a list" },
	/* the top level */
	{ "sumary: x\n", "1:1: unknown key 'sumary' in the scenario (did you mean summary?)" },
	{ "sumry_of_it: x\n", "1:1: unknown key 'sumry_of_it' in the scenario (expected name, summary, seed, profile, tcp, link, endpoints, timeline, until, expect, show, max_events)" },
	{ "seed: 1\nsummary: x\nseed: 2\n", "3:1: duplicate key 'seed' in the scenario" },
	{ "seed: abc\n", "1:7: seed must be an integer between 0 and 18446744073709551615, not abc" },
	{ "seed: -1\n", "1:7: seed must be an integer between 0 and 18446744073709551615, not -1" },
	{ "seed: 18446744073709551616\n", "1:7: seed must be an integer between 0 and 18446744073709551615, not 18446744073709551616" },
	{ "seed: 1.5\n", "1:7: seed must be an integer" },
	{ "profile: bsd\n", "1:10: profile must be one of rfc9293, linux, not bsd" },
	{ "name: ''\n", "1:7: name must not be empty" },
	{ "name: [a, b]\n", "1:7: name must be a string, not a list" },
	{ "summary: {a: 1}\n", "1:10: summary must be a string, not a mapping" },
	{ "until: 10\n", "1:8: until must be a duration with a unit (us, ms, s, min), not 10: write the unit, e.g. 10ms" },
	{ "until:\n", "1:7: until must be a duration with a unit (us, ms, s, min) such as 250ms, not an empty value" },
	/* tcp: */
	{ "tcp: 5\n", "1:6: tcp must be a mapping of keys, not 5" },
	{ "tcp:\n  rto: 1s\n", "2:3: unknown key 'rto' in tcp (expected rto_initial, rto_min, rto_max, msl, time_wait, syn_retries, syn_linear_timeouts, retries, fin_wait_2_timeout, user_timeout, mss, window)" },
	{ "tcp: { msl: 5 }\n", "1:13: msl must be a duration with a unit (us, ms, s, min), not 5: write the unit, e.g. 5ms" },
	{ "tcp: { msl: 2 min }\n", "1:13: msl must be a duration with a unit" },
	{ "tcp: { time_wait: 1h }\n", "1:19: time_wait must be a duration with a unit" },
	{ "tcp: { msl: 1001days }\n", "1:13: msl must be a duration with a unit" },
	{ "tcp: { fin_wait_2_timeout: -1s }\n", "1:28: fin_wait_2_timeout must not be negative, not -1s" },
	{ "tcp: { msl: 99999999999999999999s }\n", "1:13: msl must be a whole number of microseconds up to 1000 days, not 99999999999999999999s" },
	{ "tcp: { msl: 1440001min }\n", "1:13: msl must be a whole number of microseconds up to 1000 days" },
	{ "tcp: { msl: 0.5us }\n", "1:13: msl must be a whole number of microseconds" },
	{ "tcp: { rto_initial: 0 }\n", "1:21: rto_initial must be greater than 0" },
	{ "tcp: { rto_min: 2min }\n", "1:17: rto_min (120.000s) is greater than rto_max (60.000s)" },
	{ "tcp: { rto_max: 500ms }\n", "1:17: rto_min (1.000s) is greater than rto_max (0.500s)" },
	{ "tcp: { rto_max: 1s, rto_min: 1001ms }\n", "1:30: rto_min (1.001s) is greater than rto_max (1.000s)" },
	{ "tcp: { retries: 101 }\n", "1:17: retries must be an integer between 0 and 100, not 101" },
	{ "tcp: { syn_retries: [1] }\n", "1:21: syn_retries must be an integer between 0 and 100, not a list" },
	{ "tcp: { syn_linear_timeouts: 101 }\n", "1:29: syn_linear_timeouts must be an integer between 0 and 100, not 101" },
	{ "tcp: { syn_linear_timeouts: -1 }\n", "1:29: syn_linear_timeouts must be an integer between 0 and 100, not -1" },
	{ "tcp:\n  syn_linear_timeouts: 1s\n", "2:24: syn_linear_timeouts must be an integer between 0 and 100, not 1s" },
	{ "tcp: { mss: 0 }\n", "1:13: mss must be an integer between 1 and 65495, not 0" },
	{ "tcp: { mss: 65496 }\n", "1:13: mss must be an integer between 1 and 65495, not 65496" },
	{ "tcp: { window: 70000 }\n", "1:16: window must be an integer between 1 and 65535, not 70000" },
	{ "tcp: { mss: 1460, mss: 536 }\n", "1:19: duplicate key 'mss' in tcp" },
	/* link: */
	{ "link: [1]\n", "1:7: link must be a mapping of keys, not a list" },
	{ "link:\n  loss: 1.2\n", "2:9: loss must be a probability between 0 and 1, not 1.2" },
	{ "link: { duplicate: -0.1 }\n", "1:20: duplicate must be a probability between 0 and 1, not -0.1" },
	{ "link: { reorder: half }\n", "1:18: reorder must be a probability between 0 and 1, not half" },
	{ "link: { loss: 1e-3 }\n", "1:15: loss must be a probability between 0 and 1, not 1e-3" },
	{ "link: { loss: 1.0001 }\n", "1:15: loss must be a probability between 0 and 1, not 1.0001" },
	{ "link: { delay: -5ms }\n", "1:16: delay must not be negative, not -5ms" },
	{ "link: { jitter: 5 ms }\n", "1:17: jitter must be a duration with a unit" },
	{ "link: { lost: 0.1 }\n", "1:9: unknown key 'lost' in link (did you mean loss?)" },
	{ "link: { latency: 0.1 }\n", "1:9: unknown key 'latency' in link (expected delay, jitter, loss, duplicate, reorder, client_to_server, server_to_client, drop)" },
	{ "link:\n  client_to_server: { drop: [] }\n", "2:23: unknown key 'drop' in client_to_server (expected delay, jitter, loss, duplicate, reorder)" },
	{ "link:\n  server_to_client: { loss: 2 }\n", "2:29: loss must be a probability between 0 and 1, not 2" },
	{ "link: { server_to_client: 0.1 }\n", "1:27: server_to_client must be a mapping of keys, not 0.1" },
	{ "link: { drop: { from: client } }\n", "1:15: drop must be a list of { from, flags, nth } rules, not a mapping" },
	{ "link:\n  drop:\n    - { flags: S }\n", "3:7: a drop rule needs from: client or from: server" },
	{ "link:\n  drop:\n    - { from: proxy }\n", "3:15: from must be one of client, server, not proxy" },
	{ "link:\n  drop:\n    - { from: client, flags: X }\n", "3:30: flags must be tcpdump flags such as S, S., ., P., F., R or R., not X" },
	{ "link:\n  drop:\n    - { from: client, nth: 0 }\n", "3:28: nth must be an integer between 1 and 4294967295, not 0" },
	{ "link:\n  drop:\n    - { from: client, count: 2 }\n", "3:23: unknown key 'count' in a drop rule (expected from, flags, nth)" },
	{ "link:\n  drop:\n    - client\n", "3:7: a drop rule must be a mapping of keys, not client" },
	/* endpoints: */
	{ "endpoints: { proxy: {} }\n", "1:14: unknown key 'proxy' in endpoints (expected client, server)" },
	{ "endpoints: { client: 10.0.0.1 }\n", "1:22: endpoints.client must be a mapping of keys, not 10.0.0.1" },
	{ "endpoints: { server: { port: 70000 } }\n", "1:30: port must be an integer between 1 and 65535, not 70000" },
	{ "endpoints: { server: { port: 0 } }\n", "1:30: port must be an integer between 1 and 65535, not 0" },
	{ "endpoints: { client: { port: http } }\n", "1:30: port must be an integer between 1 and 65535, not http" },
	{ "endpoints: { client: { ip: 10.0.0.256 } }\n", "1:28: ip must be an IPv4 address such as 10.0.0.1, not 10.0.0.256" },
	{ "endpoints: { client: { ip: 10.0.1 } }\n", "1:28: ip must be an IPv4 address such as 10.0.0.1, not 10.0.1" },
	{ "endpoints: { client: { ip: 224.0.0.1 } }\n", "1:28: ip must be a unicast IPv4 address, not 224.0.0.1" },
	{ "endpoints: { server: { ip: 0.0.0.0 } }\n", "1:28: ip must be a unicast IPv4 address, not 0.0.0.0" },
	{ "endpoints: { server: { isn: 4294967296 } }\n", "1:29: isn must be an integer between 0 and 4294967295, not 4294967296" },
	{ "endpoints: { client: { count: 0 } }\n", "1:31: count must be an integer between 1 and 10000000, not 0" },
	{ "endpoints: { server: { count: 2 } }\n", "1:24: count is for the client: the server side has one connection per client" },
	{ "endpoints: { client: { ip: 255.255.255.250, count: 10 } }\n", "1:28: 10 clients, one address each from 255.255.255.250, run past 255.255.255.255" },
	{ "endpoints: { server: { every: 1s } }\n", "1:24: every is for the client: the server side has one connection per client" },
	{ "endpoints: { client: { backlog: 5 } }\n", "1:24: backlog is for the server, whose listener accepts the clients" },
	{ "timeline:\n  - { at: 0ms, client: connect, wait: established }\n", "2:33: wait is for send, close and abort: a call made once the connection is established, not connect" },
	{ "timeline:\n  - { at: 0ms, client: close, wait: connected }\n", "2:37: wait must be one of established, not connected" },
	{ "timeline:\n  - { at: 0ms, wait: established, inject: { from: client, flags: R } }\n", "2:16: wait is for send, close and abort, not inject" },
	{ "endpoints: { client: { count: 2 } }\ntimeline:\n  - { at: 0ms, server: close, wait: established }\n", "3:5: wait: established is for the clients when there are 2: the server's calls act on its listener" },
	{ "show: { connection: 0 }\n", "1:21: show.connection must be an integer between 1 and 10000000, not 0" },
	{ "show: { connection: 4 }\nendpoints: { client: { count: 3 } }\n", "1:21: show.connection is 4, but the scenario has 3 connections" },
	{ "show: { connection: 2 }\n", "1:21: show.connection is 2, but the scenario has 1 connection" },
	{ "show: { ladder: 2 }\n", "1:9: unknown key 'ladder' in show (expected connection)" },
	{ "show: 3\n", "1:7: show must be a mapping of keys, not 3" },
	{ "endpoints: { server: { backlog: 0 } }\n", "1:33: backlog must be an integer between 1 and 65535, not 0" },
	{ "endpoints: { client: { every: soon } }\n", "1:31: every must be a duration with a unit" },
	{ "endpoints: { server: { on_eof: exit } }\n", "1:32: on_eof must be one of none, close, not exit" },
	{ "endpoints: { client: { mac: x } }\n", "1:24: unknown key 'mac' in endpoints.client (expected ip, port, isn, on_eof, half_duplex, count, every, backlog)" },
	{ "endpoints:\n  client: { ip: 10.0.0.2, port: 80 }\n", "2:33: the client and the server have the same address 10.0.0.2:80" },
	{ "endpoints:\n  server: { ip: 10.0.0.1, port: 40000 }\n  client: {}\n", "2:33: the client and the server have the same address 10.0.0.1:40000" },
	/* timeline: */
	{ "timeline: { at: 0, client: connect }\n", "1:11: timeline must be a list of entries, not a mapping" },
	{ "timeline:\n  - listen\n", "2:5: a timeline entry must be a mapping of keys, not listen" },
	{ "timeline:\n  - { client: connect }\n", "2:5: a timeline entry needs at: TIME" },
	{ "timeline:\n  - { at: 1s }\n", "2:5: a timeline entry needs client: CALL, server: CALL, inject: {...} or note: \"text\"" },
	{ "timeline:\n  - { at: 10, client: connect }\n", "2:11: at must be a duration with a unit" },
	{ "timeline:\n  - { at: 1s, client: connect, server: listen }\n", "2:32: a timeline entry holds one call, not both client and server" },
	{ "timeline:\n  - { at: 1s, server: accept }\n", "2:23: unknown call accept (calls are listen, connect, send, close, abort)" },
	{ "timeline:\n  - { at: 1s, client: [connect] }\n", "2:23: unknown call a list" },
	{ "timeline:\n  - { at: 1s, client: inject }\n", "2:23: inject is written inject: { from: client, flags: ... }" },
	{ "timeline:\n  - { at: 1s, client: send }\n", "2:23: send needs bytes: N or data: \"text\"" },
	{ "timeline:\n  - { at: 1s, client: send, bytes: 3, data: abc }\n", "2:39: send takes bytes or data, not both" },
	{ "timeline:\n  - { at: 1s, client: send, bytes: 0 }\n", "2:36: bytes must be an integer between 1 and 4294967295, not 0" },
	{ "timeline:\n  - { at: 1s, client: send, bytes: many }\n", "2:36: bytes must be an integer between 1 and 4294967295, not many" },
	{ "timeline:\n  - { at: 1s, client: send, data: '' }\n", "2:35: data of a send must hold at least one byte" },
	{ "timeline:\n  - { at: 1s, client: send, data: \"a\\0b\" }\n", "2:35: data must not contain NUL bytes" },
	{ "timeline:\n  - { at: 1s, client: close, bytes: 10 }\n", "2:30: bytes is only for send, not close" },
	{ "timeline:\n  - { at: 1s, server: listen, data: x }\n", "2:31: data is only for send, not listen" },
	{ "timeline:\n  - { at: 1s, client: close, when: now }\n", "2:30: unknown key 'when' in a timeline entry (expected at, client, server, inject, bytes, data, wait, note)" },
	{ "timeline:\n  - { at: 1s, inject: { flags: R } }\n", "2:23: inject needs from: client or from: server" },
	{ "timeline:\n  - { at: 1s, inject: { from: client } }\n", "2:23: inject needs flags, such as flags: R" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: RST } }\n", "2:46: flags must be tcpdump flags such as S, S., ., P., F., R or R., not RST" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: R, win: 65536 } }\n", "2:54: win must be an integer between 0 and 65535, not 65536" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: R, seq: -1 } }\n", "2:54: seq must be an integer between 0 and 4294967295, not -1" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: P., len: 65496 } }\n", "2:55: len must be an integer between 0 and 65495, not 65496" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: P., len: 1, data: x } }\n", "2:58: inject takes len or data, not both" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: R, ttl: 1 } }\n", "2:49: unknown key 'ttl' in inject (expected from, flags, seq, ack, win, mss, len, data)" },
	{ "timeline:\n  - { at: 1s, inject: { from: client, flags: R }, bytes: 1 }\n", "2:51: bytes is only for send; an inject's payload goes inside inject: {...}" },
	{ "timeline:\n  - { at: 1s, inject: R }\n", "2:23: inject must be a mapping of keys, not R" },
	/* expect: */
	{ "expect: { clients: [] }\n", "1:11: unknown key 'clients' in expect (did you mean client?)" },
	{ "expect: { client: CLOSED }\n", "1:19: client must be a list of state names, not CLOSED" },
	{ "expect:\n  server: [CLOSED, LISTEN, ESTABLISH]\n", "2:28: unknown state ESTABLISH (did you mean ESTABLISHED?)" },
	{ "expect:\n  server: [CLOSED, LISTEN, OPEN]\n", "2:28: unknown state OPEN (states are CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK, FIN_WAIT_2, TIME_WAIT)" },
	{ "expect:\n  client: [CLOSED, [LISTEN]]\n", "2:20: unknown state a list" },
	{ "expect: { delivered: { client: -1 } }\n", "1:32: client must be an integer between 0 and 18446744073709551615, not -1" },
	{ "expect: { delivered: { proxy: 1 } }\n", "1:24: unknown key 'proxy' in expect.delivered (expected client, server)" },
	{ "expect: { delivered: 5 }\n", "1:22: expect.delivered must be a mapping of keys, not 5" },
	{ "expect: { segments: \"client > server S\" }\n", "1:21: segments must be a list of segment lines, not client > server S" },
	{ "expect:\n  segments:\n    - \"client > server X 0:0(0)\"\n", "3:24: bad segment line: bad flags 'X': expected tcpdump letters S F P R U and . for ACK" },
	{ "expect:\n  segments:\n    - client > server S <sackOK>\n", "3:26: bad segment line: unsupported option 'sackOK' (only <mss N> is supported)" },
	{ "expect:\n  segments:\n    - '0.010 client > server S 0:0(0) ack'\n", "3:42: bad segment line: missing number after 'ack'" },
	{ "expect:\n  segments:\n    - { src: client }\n", "3:7: a segment line must be a string, not a mapping" },
	{ "expect:\n  segments:\n    - proxy > server S\n", "3:7: unknown endpoint 'proxy' in segment line (expected client or server)" },
	{ "expect:\n  segments:\n    - client > server#2 S\n", "3:7: unknown endpoint 'server#2' in segment line (expected client or server)" },
	{ "endpoints: { client: { count: 2 } }\nexpect:\n  segments: [\"client#3 > server#3 S\"]\n", "3:14: unknown endpoint 'client#3' in segment line (expected client, server, client#1..client#2 or server#1..server#2)" },
	{ "endpoints: { client: { count: 2 } }\nexpect:\n  segments: [\"client#01 > server#1 S\"]\n", "3:14: unknown endpoint 'client#01'" },
	{ "expect:\n  segments: [\"client > client S\"]\n", "2:14: a segment goes between a client and a server, not client > client" },
	{ "endpoints: { client: { count: 2 } }\nexpect:\n  segments: [\"client#1 > server#2 S\"]\n", "3:14: client#1 and server#2 are not the two ends of one connection" },
	{ "expect: { final: { CLOSD: 1 } }\n", "1:20: unknown state CLOSD (did you mean CLOSED?)" },
	{ "expect: { final: { SYN_RCVD: 1, SYN-RECEIVED: 2 } }\n", "1:33: expect.final counts SYN_RECEIVED twice" },
	{ "expect: { final: { CLOSED: -1 } }\n", "1:28: CLOSED must be an integer between 0 and 4294967295, not -1" },
	{ "expect: { final: [CLOSED] }\n", "1:18: expect.final must be a mapping of keys, not a list" },
};

static void test_malformed_files(void)
{
	char err[600];
	struct scenario sc;

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const char *want = bad_cases[i].error;
		err[0] = '\0';
		memset(&sc, 0x5a, sizeof(sc));
		CU_ASSERT_EQUAL(load_text(bad_cases[i].yaml, &sc, err, sizeof(err)), -1);
		CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
		if (strncmp(err, want, strlen(want)) != 0)
			fprintf(stderr, "\n  case %zu:\n    want %s\n    got  %s\n", i, want, err);
		/* On error the scenario holds nothing to free. */
		CU_ASSERT_PTR_NULL(sc.path);
		CU_ASSERT_PTR_NULL(sc.timeline);
		CU_ASSERT_PTR_NULL(sc.expect.segments);
	}
}

static void test_error_names_the_file(void)
{
	char path[64], err[600], want[700];
	struct scenario sc;

	write_temp("link:\n  loss: 1.2\n", 18, path);
	CU_ASSERT_EQUAL(scenario_load(path, &sc, err, sizeof(err)), -1);
	unlink(path);
	snprintf(want, sizeof(want), "%s:2:9: loss must be a probability between 0 and 1, not 1.2", path);
	CU_ASSERT_STRING_EQUAL(err, want);
	/* A short buffer gets a cut message, never an overflow. */
	write_temp("link:\n  loss: 1.2\n", 18, path);
	CU_ASSERT_EQUAL(scenario_load(path, &sc, err, 8), -1);
	unlink(path);
	CU_ASSERT_EQUAL(strlen(err), 7);
	CU_ASSERT_EQUAL(strncmp(err, path, 7), 0);
}

static void test_unreadable_files(void)
{
	char err[600];
	struct scenario sc;

	CU_ASSERT_EQUAL(scenario_load("/nonexistent/dir/x.yaml", &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "/nonexistent/dir/x.yaml: cannot read: No such file or directory");
	CU_ASSERT_EQUAL(scenario_load("/tmp", &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "/tmp: cannot read: Is a directory");
	CU_ASSERT_PTR_NULL(sc.path);
}

static void test_binary_junk(void)
{
	static const char nul_inside[] = "summary: x\0y\n";
	char junk[4096], err[600];
	struct scenario sc;
	unsigned x = 12345;

	CU_ASSERT_EQUAL(load_bytes(nul_inside, sizeof(nul_inside) - 1, &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "1:11: not a readable YAML text: control characters are not allowed");
	/* Pseudo-random bytes, many times: an error, never a crash. */
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)round * 20;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			junk[i] = (char)(x >> 16);
		}
		CU_ASSERT_EQUAL(load_bytes(junk, n, &sc, err, sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strchr(err, ':'));
	}
}

static void test_deep_nesting(void)
{
	size_t n = 200000;
	char *text = malloc(2 * n + 1), err[600];
	struct scenario sc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memset(text, '[', n);
	memset(text + n, ']', n);
	text[2 * n] = '\0';
	CU_ASSERT_EQUAL(load_bytes(text, 2 * n, &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "1:65: nesting deeper than 64 levels");
	free(text);
}

/* Pieces of valid scenarios glued at random: whatever comes out loads or
 * fails with a FILE:LINE:COL message, and never leaks (LSan checks). */
static void test_shuffled_pieces(void)
{
	static const char *const pieces[] = {
		"timeline:\n", "  - { at: 0ms, server: listen }\n", "  - { at: 1s, client: send, bytes: 9 }\n",
		"expect:\n", "  client: [CLOSED, LISTEN]\n", "  segments: [ \"client > server S\" ]\n",
		"link:\n", "  loss: 0.5\n", "  drop: [ { from: client } ]\n", "tcp: { msl: 1s }\n",
		"  final: { CLOSED: 1 }\n", "endpoints:\n", "  client: { count: 2 }\n", "- x\n", ": :\n",
		"  - { at: 1s, inject: { from: server, flags: R, data: abc } }\n", "name: n\n", "'\n",
	};
	char text[1024], err[600];
	struct scenario sc;
	unsigned x = 777;

	for (int round = 0; round < 500; round++) {
		size_t len = 0;
		for (int k = 0; k < 6; k++) {
			x = x * 1103515245u + 12345u;
			const char *p = pieces[(x >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		if (load_bytes(text, len, &sc, err, sizeof(err)) == 0)
			scenario_free(&sc);
		else
			CU_ASSERT_PTR_NOT_NULL(strchr(err, ':'));
	}
}

/* libyaml ends a last line that has no line break with one of its own, so
 * an error at the very end pointed at a line past the last (found by
 * tests/fuzz/fuzz_scenario.c): it is shown just past the last character. */
static void test_error_at_end_without_newline(void)
{
	static const struct {
		const char *yaml, *error;
	} cases[] = {
		{ "timeline: [a", "1:13: YAML syntax error: did not find expected ',' or ']'" },
		{ "timeline: [a\n", "2:1: YAML syntax error: did not find expected ',' or ']'" },
		{ "summary: x\r\ntimeline: [\xc3\xa9", "2:13: YAML syntax error" },
		{ "summary: x\nlink: { delay: 1s", "2:18: YAML syntax error: did not find expected ',' or '}'" },
		{ "\xef\xbb\xbf" "a: [b", "1:6: YAML syntax error" },
		{ "x: 1\xc2\x85y: [", "2:5: YAML syntax error" },
		{ "a: [b\xc2\x85", "2:1: YAML syntax error" },
	};
	char err[600];
	struct scenario sc;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i].error;
		CU_ASSERT_EQUAL(load_text(cases[i].yaml, &sc, err, sizeof(err)), -1);
		CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
		if (strncmp(err, want, strlen(want)) != 0)
			fprintf(stderr, "\n  case %zu:\n    want %s\n    got  %s\n", i, want, err);
	}
}

/* at + (count-1)*every past 2^32 s, the end of virtual time (a pcap's
 * 32-bit seconds), is refused at `every`: it wrapped the clock and trace
 * times went backwards. 1440000min is 86400000 s: 50 clients fit, 51 not. */
static void test_virtual_time_overflow(void)
{
	char err[600];
	struct scenario sc;

	CU_ASSERT_EQUAL(load_text("endpoints:\n  client: { count: 213505, every: 1440000min }\n"
				  "timeline:\n  - { at: 0ms, server: listen }\n  - { at: 1ms, client: connect }\n",
				  &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "2:35: every: client#213505's call at 0.001s would come at 0.001s + 213504 x "
			       "86400000.000s = 18446745600000 s, past the end of virtual time (2^32 s, about 136 "
			       "years, the most a pcap timestamp holds); make every or count smaller");
	load_ok("endpoints: { client: { count: 50, every: 1440000min } }\n"
		"timeline: [ { at: 1000min, client: connect } ]\n", &sc);
	scenario_free(&sc);
	CU_ASSERT_EQUAL(load_text("endpoints: { client: { count: 51, every: 1440000min } }\n"
				  "timeline: [ { at: 0ms, server: listen }, { at: 1000min, client: connect } ]\n",
				  &sc, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "1:42: every: client#51's call at 60000.000s would come at 60000.000s + 50 x "
			       "86400000.000s = 4320060000 s, past the end of virtual time (2^32 s, about 136 "
			       "years, the most a pcap timestamp holds); make every or count smaller");
	/* the server's entries and injects are not shifted */
	load_ok("endpoints: { client: { count: 51, every: 1440000min } }\n"
		"timeline: [ { at: 0ms, server: listen } ]\n", &sc);
	scenario_free(&sc);
	/* max_events: 1 to 10^12 */
	load_ok("max_events: 7\n", &sc);
	CU_ASSERT_EQUAL(sc.max_events, 7);
	scenario_free(&sc);
	CU_ASSERT_EQUAL(load_text("max_events: 0\n", &sc, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(strncmp(err, "1:13: max_events must be an integer between 1 and 1000000000000", 60), 0);
}

TCPSIM_SUITE(loader,
	{ "a file with only a summary gets every default", test_defaults },
	{ "the contract's simultaneous close, plus until", test_simultaneous_close },
	{ "the contract's listing of every key", test_every_key },
	{ "many clients, backlog, on_eof, final, state aliases", test_many_clients },
	{ "link directions override both, in any order; drops", test_link_directions },
	{ "timeline: send data, bytes, inject, file order", test_timeline_entries },
	{ "name and base come from the file name", test_names_from_path },
	{ "profile defaults and overrides", test_profiles },
	{ "profile, role and call names", test_enum_names },
	{ "rto_min > rto_max is checked with the profile", test_rto_checked_against_profile },
	{ "malformed files: FILE:LINE:COL: message", test_malformed_files },
	{ "messages name the file as given; short buffers", test_error_names_the_file },
	{ "unreadable files: cannot read", test_unreadable_files },
	{ "binary junk is an error, never a crash", test_binary_junk },
	{ "deep nesting is refused quickly", test_deep_nesting },
	{ "random mixes of valid pieces", test_shuffled_pieces },
	{ "an error at the end of a last line without a line break", test_error_at_end_without_newline },
	{ "at + (count-1)*every past 2^32 s is refused; max_events", test_virtual_time_overflow })
