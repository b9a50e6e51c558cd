/*
 * linger: a lingering close (linger.h). Closing a socket with unread input
 * makes the kernel send a reset and drop unsent output, so a client still
 * uploading would lose the 413 it was sent; a duplicate descriptor keeps the
 * socket open, half-closed, while the rest is read and dropped (bounded).
 */
#include "linger.h"

#include <errno.h>
#include <glib.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINGER_S     2                 /* of silence, then closed */
#define LINGER_BYTES (8 * 1024 * 1024) /* dropped at most */

typedef struct {
  struct event *ev;
  evutil_socket_t fd;
  gboolean shut;
  gsize dropped;
} Linger;

static void linger_cb(evutil_socket_t fd, short what, void *arg) {
  Linger *l = arg;
  if (!l->shut) { /* the owner has closed its descriptor: its output is queued, FIN after it */
    shutdown(fd, SHUT_WR);
    l->shut = TRUE;
  }
  if (what & EV_READ) {
    char buf[16384];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n > 0 && (l->dropped += (gsize)n) < LINGER_BYTES) return;
  }
  event_free(l->ev);
  close(l->fd);
  g_free(l);
}

void linger_close(struct event_base *base, evutil_socket_t fd) {
  int copy = fd >= 0 ? dup(fd) : -1;
  if (copy < 0) return;
  Linger *l = g_new0(Linger, 1);
  l->fd = copy;
  l->ev = event_new(base, copy, EV_READ | EV_PERSIST, linger_cb, l);
  struct timeval tv = {LINGER_S, 0};
  event_add(l->ev, &tv);
  event_active(l->ev, EV_READ, 0); /* runs after the owner's close, in the next loop turn */
}
