/* user_call.c - the names of the application's calls (user_call.h). */
#include "base/user_call.h"

/* The call as the trace and the timeline write it: "listen", "send", ... */
const char *user_call_name(enum user_call c)
{
	switch (c) {
	case CALL_LISTEN: return "listen";
	case CALL_CONNECT: return "connect";
	case CALL_SEND: return "send";
	case CALL_CLOSE: return "close";
	case CALL_ABORT: return "abort";
	case CALL_INJECT: return "inject";
	}
	return "?";
}
