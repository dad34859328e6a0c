/* user_call.h - the application's calls on a TCP (RFC 9293 section 3.9.1:
 * OPEN passive and active, SEND, CLOSE, ABORT), plus the timeline's forged
 * segment. The scenario names them and the trace records them; neither
 * layer needs the other for that. */
#ifndef TCPSIM_USER_CALL_H
#define TCPSIM_USER_CALL_H

enum user_call { CALL_LISTEN, CALL_CONNECT, CALL_SEND, CALL_CLOSE, CALL_ABORT, CALL_INJECT };

/* The call as the trace and the timeline write it: "listen", "send", ... */
const char *user_call_name(enum user_call c);

#endif
