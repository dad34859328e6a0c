/* role.h - the two sides of a connection as the scenario names them: the
 * client (the active opener; count: N makes client#1 ... client#N) and the
 * server (the listener and its connections, server#K). The trace names its
 * endpoints after them, so both layers use this one definition. */
#ifndef TCPSIM_ROLE_H
#define TCPSIM_ROLE_H

enum role { ROLE_CLIENT = 0, ROLE_SERVER = 1 };
#define NROLES 2

#endif
