/* arcs.c - the state table, in the project's words. Each row names the RFC
 * 9293 section that decides it; the state machine cites the same IDs. */
#include <string.h>
#include "proto/arcs.h"

#define T(id, from, event, to, action, sec) { id, from, event, to, action, sec, false }
#define S(id, from, event, action, sec) { id, from, event, "(same)", action, sec, true }

const struct arc_row arc_table[] = {
	/* Figure 5's arcs */
	T("T01", "CLOSED", "passive OPEN (listen)", "LISTEN", "make a TCB that waits for a SYN", "3.10.1"),
	T("T02", "CLOSED", "active OPEN (connect)", "SYN_SENT", "choose an ISS, send SYN", "3.10.1"),
	T("T03", "LISTEN", "CLOSE", "CLOSED", "delete the TCB; nothing sent", "3.10.4"),
	T("T04", "LISTEN", "rcv SYN", "SYN_RECEIVED", "new connection, send SYN,ACK", "3.10.7.2"),
	T("T05", "LISTEN", "SEND", "SYN_SENT", "turn active: send SYN, queue the data", "3.10.2"),
	T("T06", "SYN_SENT", "CLOSE", "CLOSED", "delete the TCB; nothing sent", "3.10.4"),
	T("T07", "SYN_SENT", "rcv SYN (simultaneous open)", "SYN_RECEIVED", "send SYN,ACK", "3.10.7.3"),
	T("T08", "SYN_SENT", "rcv SYN,ACK", "ESTABLISHED", "send ACK", "3.10.7.3"),
	T("T09", "SYN_RECEIVED", "rcv ACK of SYN", "ESTABLISHED", "nothing sent", "3.10.7.4 (5)"),
	T("T10", "SYN_RECEIVED", "CLOSE", "FIN_WAIT_1", "send FIN", "3.10.4"),
	T("T11", "SYN_RECEIVED (passive)", "rcv RST", "LISTEN", "drop the connection; the listener remains", "3.10.7.4 (2)"),
	T("T12", "ESTABLISHED", "CLOSE", "FIN_WAIT_1", "send FIN after queued data", "3.10.4"),
	T("T13", "ESTABLISHED", "rcv FIN", "CLOSE_WAIT", "send ACK", "3.10.7.4 (8)"),
	T("T14", "FIN_WAIT_1", "rcv ACK of FIN", "FIN_WAIT_2", "nothing sent", "3.10.7.4 (5)"),
	T("T15", "FIN_WAIT_1", "rcv FIN (our FIN not yet ACKed)", "CLOSING", "send ACK", "3.10.7.4 (8)"),
	T("T16", "FIN_WAIT_1", "rcv FIN that ACKs our FIN", "TIME_WAIT", "send ACK, start 2MSL", "3.10.7.4 (5)(8)"),
	T("T17", "FIN_WAIT_2", "rcv FIN", "TIME_WAIT", "send ACK, start 2MSL", "3.10.7.4 (8)"),
	T("T18", "CLOSE_WAIT", "CLOSE", "LAST_ACK", "send FIN after queued data", "3.10.4"),
	T("T19", "CLOSING", "rcv ACK of FIN", "TIME_WAIT", "start 2MSL", "3.10.7.4 (5)"),
	T("T20", "LAST_ACK", "rcv ACK of FIN", "CLOSED", "delete the TCB", "3.10.7.4 (5)"),
	T("T21", "TIME_WAIT", "2MSL timeout", "CLOSED", "delete the TCB", "3.10.8"),
	/* arcs the event-processing text adds */
	T("T22", "LISTEN", "active OPEN (connect)", "SYN_SENT", "turn active: send SYN", "3.10.1"),
	T("T23", "SYN_RECEIVED (passive)", "rcv SYN in window", "LISTEN", "drop the connection; nothing sent (linux: RST,ACK)", "3.10.7.4 (4)"),
	T("T24", "SYN_RECEIVED (active)", "rcv RST", "CLOSED", "connection refused", "3.10.7.4 (2)"),
	T("T25", "SYN_SENT", "rcv RST with an acceptable ACK", "CLOSED", "connection refused", "3.10.7.3"),
	T("T26", "SYN_RECEIVED", "rcv FIN that ACKs our SYN", "CLOSE_WAIT", "send ACK", "3.10.7.4 (5)(8)"),
	T("T27", "SYN_SENT", "rcv SYN,ACK,FIN", "CLOSE_WAIT", "send ACK", "3.10.7.3, 3.10.7.4 (8)"),
	T("T28", "SYN_RECEIVED (active)", "rcv SYN,ACK (simultaneous open)", "ESTABLISHED", "nothing sent (Figure 7)", "3.5"),
	T("T29", "TIME_WAIT", "rcv new SYN (linux profile)", "CLOSED", "the listener takes the SYN", "3.6.1 MAY-2"),
	T("T30", "FIN_WAIT_1, FIN_WAIT_2 (half_duplex)", "rcv data after CLOSE", "CLOSED", "send RST", "3.6.1 SHLD-3"),
	T("T31", "FIN_WAIT_2", "fin_wait_2 timeout (linux)", "CLOSED", "delete the TCB", "Linux tcp_fin_timeout"),
	/* resets received */
	T("T32", "LISTEN", "rcv RST", "LISTEN", "ignore it", "3.10.7.2"),
	T("T33", "SYN_SENT", "rcv RST without an acceptable ACK", "SYN_SENT", "drop it", "3.10.7.3"),
	T("T34", "ESTABLISHED", "rcv RST", "CLOSED", "connection reset", "3.10.7.4 (2)"),
	T("T35", "FIN_WAIT_1", "rcv RST", "CLOSED", "connection reset", "3.10.7.4 (2)"),
	T("T36", "FIN_WAIT_2", "rcv RST", "CLOSED", "connection reset", "3.10.7.4 (2)"),
	T("T37", "CLOSE_WAIT", "rcv RST", "CLOSED", "connection reset", "3.10.7.4 (2)"),
	T("T38", "CLOSING", "rcv RST", "CLOSED", "delete the TCB", "3.10.7.4 (2)"),
	T("T39", "LAST_ACK", "rcv RST", "CLOSED", "delete the TCB", "3.10.7.4 (2)"),
	T("T40", "TIME_WAIT", "rcv RST", "CLOSED", "delete the TCB", "3.10.7.4 (2)"),
	T("T41", "CLOSED", "rcv RST", "CLOSED", "discard it", "3.10.7.1"),
	/* ABORT */
	T("T42", "LISTEN", "ABORT", "CLOSED", "nothing sent", "3.10.5"),
	T("T43", "SYN_SENT", "ABORT", "CLOSED", "nothing sent", "3.10.5"),
	T("T44", "SYN_RECEIVED", "ABORT", "CLOSED", "send RST", "3.10.5"),
	T("T45", "ESTABLISHED", "ABORT", "CLOSED", "send RST", "3.10.5"),
	T("T46", "FIN_WAIT_1", "ABORT", "CLOSED", "send RST", "3.10.5"),
	T("T47", "FIN_WAIT_2", "ABORT", "CLOSED", "send RST", "3.10.5"),
	T("T48", "CLOSE_WAIT", "ABORT", "CLOSED", "send RST", "3.10.5"),
	T("T49", "CLOSING", "ABORT", "CLOSED", "nothing sent", "3.10.5"),
	T("T50", "LAST_ACK", "ABORT", "CLOSED", "nothing sent", "3.10.5"),
	T("T51", "TIME_WAIT", "ABORT", "CLOSED", "nothing sent", "3.10.5"),
	/* timeouts */
	T("T52a", "SYN_SENT", "retransmission timeout", "SYN_SENT", "resend SYN, double RTO", "3.10.8; RFC 6298"),
	T("T52b", "SYN_RECEIVED", "retransmission timeout", "SYN_RECEIVED", "resend SYN,ACK, double RTO", "3.10.8; RFC 6298"),
	T("T52c", "ESTABLISHED, CLOSE_WAIT", "retransmission timeout", "(same)", "resend the first unACKed data", "3.10.8; RFC 6298"),
	T("T52d", "FIN_WAIT_1", "retransmission timeout", "FIN_WAIT_1", "resend data and FIN", "3.10.8; RFC 6298"),
	T("T52e", "CLOSING", "retransmission timeout", "CLOSING", "resend FIN", "3.10.8; RFC 6298"),
	T("T52f", "LAST_ACK", "retransmission timeout", "LAST_ACK", "resend FIN", "3.10.8; RFC 6298"),
	T("T53a", "SYN_SENT, SYN_RECEIVED", "SYN retries exhausted", "CLOSED", "give up, nothing sent", "3.8.3"),
	T("T53b", "synchronized states", "retries (R2) exhausted", "CLOSED", "give up, nothing sent", "3.8.3"),
	T("T54", "any state with a TCB", "user timeout", "CLOSED", "give up, nothing sent", "3.10.8"),
	/* responses that keep the state */
	S("S01", "CLOSED", "rcv a segment with ACK", "send RST <SEQ=SEG.ACK>", "3.10.7.1"),
	S("S02", "CLOSED", "rcv a segment without ACK", "send RST,ACK <SEQ=0><ACK=SEG.SEQ+SEG.LEN>", "3.10.7.1"),
	S("S03", "LISTEN", "rcv an ACK", "send RST <SEQ=SEG.ACK>", "3.10.7.2"),
	S("S04", "LISTEN", "rcv neither SYN, ACK nor RST", "drop it", "3.10.7.2"),
	S("S05", "SYN_SENT", "rcv an ACK for something not sent", "send RST <SEQ=SEG.ACK>", "3.10.7.3"),
	S("S06", "SYN_SENT", "rcv neither SYN nor RST", "drop it", "3.10.7.3"),
	S("S07", "SYN_RECEIVED", "rcv an unacceptable ACK", "send RST <SEQ=SEG.ACK>", "3.10.7.4 (5)"),
	S("S08", "SYN_RECEIVED", "rcv the peer's SYN again", "send ACK (linux: SYN,ACK)", "3.10.7.4 (1)"),
	S("S09", "SYN_RECEIVED and synchronized", "rcv an unacceptable segment", "send ACK", "3.10.7.4 (1)"),
	S("S10", "SYN_RECEIVED and synchronized", "rcv a RST outside the window", "drop it silently", "3.10.7.4 (1); RFC 5961 3.2"),
	S("S11", "SYN_RECEIVED and synchronized", "rcv a RST in the window, not at RCV.NXT", "send challenge ACK", "3.10.7.4 (2); RFC 5961 3.2"),
	S("S12", "synchronized", "rcv a SYN", "send challenge ACK", "3.10.7.4 (4); RFC 5961 4.2"),
	S("S13", "synchronized", "rcv an ACK of something not sent", "send ACK, drop it", "3.10.7.4 (5); RFC 5961 5.2"),
	S("S14", "synchronized", "rcv a duplicate ACK", "ignore the ACK value", "3.10.7.4 (5)"),
	S("S15", "CLOSE_WAIT, CLOSING, LAST_ACK", "rcv the peer's FIN again", "send ACK", "3.10.7.4 (1)(8)"),
	S("S16", "TIME_WAIT", "rcv the peer's FIN again", "send ACK, restart 2MSL", "3.10.7.4 (5)(8)"),
	S("S17", "CLOSING", "rcv an ACK that does not cover our FIN", "ignore it", "3.10.7.4 (5)"),
	S("S18", "SYN_RECEIVED and synchronized", "rcv a segment without ACK", "drop it", "3.10.7.4 (5)"),
};

const size_t arc_table_len = sizeof arc_table / sizeof arc_table[0];

const struct arc_row *arc_find(const char *id)
{
	for (size_t i = 0; i < arc_table_len; i++)
		if (strcmp(arc_table[i].id, id) == 0)
			return &arc_table[i];
	return NULL;
}

void arc_base_id(const char *id, char out[8])
{
	size_t n = 0;
	while (n < 7 && id[n] && !(n >= 3 && id[n] >= 'a' && id[n] <= 'z')) {
		out[n] = id[n];
		n++;
	}
	out[n] = '\0';
}
