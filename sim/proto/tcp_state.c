/* tcp_state.c - the names of the eleven states, in the contract's spelling,
 * and the reverse lookup that also takes the RFC's and Linux's spellings. */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include "proto/tcp_state.h"

static const char *const state_names[TCP_NSTATES] = {
	[TCPS_CLOSED] = "CLOSED",
	[TCPS_LISTEN] = "LISTEN",
	[TCPS_SYN_SENT] = "SYN_SENT",
	[TCPS_SYN_RECEIVED] = "SYN_RECEIVED",
	[TCPS_ESTABLISHED] = "ESTABLISHED",
	[TCPS_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCPS_FIN_WAIT_1] = "FIN_WAIT_1",
	[TCPS_CLOSING] = "CLOSING",
	[TCPS_LAST_ACK] = "LAST_ACK",
	[TCPS_FIN_WAIT_2] = "FIN_WAIT_2",
	[TCPS_TIME_WAIT] = "TIME_WAIT",
};

/* Other spellings, after upper-casing and turning '-' into '_'. */
static const struct {
	const char *name;
	enum tcp_state state;
} state_aliases[] = {
	{ "SYN_RCVD", TCPS_SYN_RECEIVED },
	{ "SYN_RECV", TCPS_SYN_RECEIVED },
	{ "FIN_WAIT1", TCPS_FIN_WAIT_1 },
	{ "FIN_WAIT2", TCPS_FIN_WAIT_2 },
};

/* The contract's spelling of s; "?" for a value that is no state. */
const char *tcp_state_name(enum tcp_state s)
{
	if ((unsigned)s >= TCP_NSTATES)
		return "?";
	return state_names[s];
}

/* Copies name upper-cased with '-' as '_' into buf; -1 when it does not fit. */
static int normalize_state_name(const char *name, char *buf, size_t cap)
{
	size_t n = strlen(name);

	if (n == 0 || n >= cap)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char c = name[i];
		buf[i] = c == '-' ? '_' : (char)toupper((unsigned char)c);
	}
	return 0;
}

/* Any of the accepted spellings, case-insensitively, to its state. */
int tcp_state_parse(const char *name, enum tcp_state *out)
{
	char buf[16];

	if (!name || normalize_state_name(name, buf, sizeof(buf)) < 0)
		return -1;
	for (int s = 0; s < TCP_NSTATES; s++) {
		if (strcmp(buf, state_names[s]) == 0) {
			*out = (enum tcp_state)s;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(state_aliases) / sizeof(state_aliases[0]); i++) {
		if (strcmp(buf, state_aliases[i].name) == 0) {
			*out = state_aliases[i].state;
			return 0;
		}
	}
	return -1;
}
