/*
 * tg_linger: the lingering close of a connection whose client may still be sending (a body
 * the server refused or never read). Closing a socket with unread input makes the kernel send
 * a reset, which can destroy the answer just written; this keeps the socket open, half-closed,
 * and reads and drops what still arrives. Trade-off: a refused client costs a descriptor for at
 * most TG_LINGER_SILENCE_S seconds of silence and TG_LINGER_MAX_BYTES read for nothing.
 */
#ifndef TG_LINGER_H
#define TG_LINGER_H

#include <event2/event.h>

#define TG_LINGER_SILENCE_S 2                 /* without a byte from the client, then closed */
#define TG_LINGER_MAX_BYTES (8 * 1024 * 1024) /* dropped at most, then closed */

/* Call on base's thread just before the owner closes fd (a connection's fini hook): fd is
   duplicated; on the next loop turn, after the owner's close (and a TLS close_notify it
   wrote), FIN is sent, then what the peer sends is dropped until a bound is reached. The
   owner's output must be in the kernel by then (evhtp frees a connection after writing). */
void tg_linger_close(struct event_base *base, evutil_socket_t fd);

/* Ends every linger still on base at once (a worker thread stopping, before its base is
   freed): their sockets close, their memory goes. */
void tg_linger_drop_all(struct event_base *base);

#endif
