/*
 * tg_linger: the lingering close (tg_linger.h), shared by the gateway and the portal. The
 * write side is shut on a duplicate descriptor only on the next loop turn, so whatever the
 * owner writes while closing (libevhtp's TLS close_notify) still leaves before the FIN.
 */
#include "tg_linger.h"

#include <errno.h>
#include <glib.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
  struct event *ev;
  evutil_socket_t fd;
  gboolean shut;
  gsize dropped;
} Linger;

static void linger_free(Linger *l) {
  event_free(l->ev);
  close(l->fd);
  g_free(l);
}

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
    if (n > 0 && (l->dropped += (gsize)n) < TG_LINGER_MAX_BYTES) return;
  }
  linger_free(l);
}

void tg_linger_close(struct event_base *base, evutil_socket_t fd) {
  int copy = fd >= 0 ? dup(fd) : -1;
  if (copy < 0) return;
  Linger *l = g_new0(Linger, 1);
  l->fd = copy;
  l->ev = event_new(base, copy, EV_READ | EV_PERSIST, linger_cb, l);
  struct timeval tv = {TG_LINGER_SILENCE_S, 0};
  event_add(l->ev, &tv);
  event_active(l->ev, EV_READ, 0); /* runs after the owner's close, on the next loop turn */
}

static int find_linger(G_GNUC_UNUSED const struct event_base *base, const struct event *ev,
                       void *found) {
  if (event_get_callback(ev) == linger_cb &&
      !g_ptr_array_find(found, event_get_callback_arg(ev), NULL))
    g_ptr_array_add(found, event_get_callback_arg(ev));
  return 0;
}

void tg_linger_drop_all(struct event_base *base) {
  g_autoptr(GPtrArray) found = g_ptr_array_new(); /* no event_free while libevent walks them */
  event_base_foreach_event(base, find_linger, found);
  for (guint i = 0; i < found->len; i++) linger_free(found->pdata[i]);
}
