/* scenario.c - profile defaults, the names of the scenario's enums, and
 * freeing a loaded scenario. The YAML side is in scenario_load.c. */
#include <stdlib.h>
#include <string.h>
#include "scenario/scenario.h"

/* RFC 9293: RTO 1s initial and minimum (RFC 6298), 60s maximum; MSL 2 min;
 * SYNs at 0,1,3,7,15,31,63,123,183s keep MUST-23's three minutes (backed
 * off from the first timeout, RFC 6298 (5.5)); R2 of at least 100s; no
 * FIN_WAIT_2 timeout. */
static const struct tcp_params rfc9293_defaults = {
	.rto_initial = 1 * USEC_PER_SEC,
	.rto_min = 1 * USEC_PER_SEC,
	.rto_max = 60 * USEC_PER_SEC,
	.msl = 120 * USEC_PER_SEC,
	.time_wait = 240 * USEC_PER_SEC,
	.syn_retries = 8,
	.syn_linear_timeouts = 0,
	.synack_retries = 8,
	.retries = 15,
	.fin_wait_2_timeout = 0,
	.mss = 1460,
	.window = 65535,
};

/* Linux 6.18's defaults (docs/decisions.md names the sysctl of each):
 * TCP_TIMEOUT_INIT 1s, tcp_rto_min_us 200ms, tcp_rto_max_ms 120s,
 * TCP_TIMEWAIT_LEN 60s, tcp_syn_retries 6, tcp_syn_linear_timeouts 4 (since
 * 6.5; 0 before), tcp_synack_retries 5, tcp_retries2 15, tcp_fin_timeout 60s. */
static const struct tcp_params linux_defaults = {
	.rto_initial = 1 * USEC_PER_SEC,
	.rto_min = 200 * USEC_PER_MS,
	.rto_max = 120 * USEC_PER_SEC,
	.msl = 30 * USEC_PER_SEC,
	.time_wait = 60 * USEC_PER_SEC,
	.syn_retries = 6,
	.syn_linear_timeouts = 4,
	.synack_retries = 5,
	.retries = 15,
	.fin_wait_2_timeout = 60 * USEC_PER_SEC,
	.mss = 1460,
	.window = 65535,
};

/* The profile's defaults, then each override given; `syn_retries` sets both
 * SYN and SYN-ACK retries; `time_wait` wins over 2*`msl`. */
void tcp_params_resolve(enum profile profile, const struct tcp_overrides *ov, struct tcp_params *out)
{
	*out = profile == PROFILE_LINUX ? linux_defaults : rfc9293_defaults;
	if (!ov)
		return;
	if (ov->has_rto_initial)
		out->rto_initial = ov->v.rto_initial;
	if (ov->has_rto_min)
		out->rto_min = ov->v.rto_min;
	if (ov->has_rto_max)
		out->rto_max = ov->v.rto_max;
	if (ov->has_msl) {
		out->msl = ov->v.msl;
		out->time_wait = 2 * ov->v.msl;
	}
	if (ov->has_time_wait)
		out->time_wait = ov->v.time_wait;
	if (ov->has_syn_retries) {
		out->syn_retries = ov->v.syn_retries;
		out->synack_retries = ov->v.syn_retries;
	}
	if (ov->has_syn_linear_timeouts)
		out->syn_linear_timeouts = ov->v.syn_linear_timeouts;
	if (ov->has_retries)
		out->retries = ov->v.retries;
	if (ov->has_fin_wait_2_timeout)
		out->fin_wait_2_timeout = ov->v.fin_wait_2_timeout;
	if (ov->has_user_timeout)
		out->user_timeout = ov->v.user_timeout;
	if (ov->has_mss)
		out->mss = ov->v.mss;
	if (ov->has_window)
		out->window = ov->v.window;
}

/* "rfc9293" or "linux", as the profile is written in a scenario. */
const char *profile_name(enum profile p)
{
	switch (p) {
	case PROFILE_RFC9293: return "rfc9293";
	case PROFILE_LINUX: return "linux";
	}
	return "?";
}

/* "client" or "server". */
const char *role_name(enum role r)
{
	switch (r) {
	case ROLE_CLIENT: return "client";
	case ROLE_SERVER: return "server";
	}
	return "?";
}

/* Frees what the loader allocated and zeroes *sc; safe on a zeroed or
 * partly filled scenario, and twice. */
void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	free(sc->path);
	free(sc->name);
	free(sc->base);
	free(sc->summary);
	free(sc->link.drops);
	for (size_t i = 0; i < sc->n_timeline; i++) {
		free(sc->timeline[i].data);
		free(sc->timeline[i].inject.data);
	}
	free(sc->timeline);
	for (size_t i = 0; i < sc->n_notes; i++)
		free(sc->notes[i].text);
	free(sc->notes);
	for (int r = 0; r < NROLES; r++)
		free(sc->expect.states[r]);
	free(sc->expect.segments);
	free(sc->expect.segments_pos);
	memset(sc, 0, sizeof(*sc));
}
