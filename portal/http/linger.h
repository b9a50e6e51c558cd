/*
 * linger: closing a connection whose client may still be sending (a body the
 * server refused) without a TCP reset that would destroy the answer just
 * written. Trade-off: the socket stays open, half-closed, for a bounded time
 * and byte count while what arrives is read and dropped.
 */
#ifndef PORTAL_LINGER_H
#define PORTAL_LINGER_H

#include <event2/event.h>

/* Call before the owner closes fd: keeps the socket open on a duplicate,
   sends FIN once the owner's last bytes are out (next loop turn), drops what
   the peer still sends, closes after LINGER_BYTES or LINGER_S of silence. */
void linger_close(struct event_base *base, evutil_socket_t fd);

#endif
