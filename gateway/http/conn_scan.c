/*
 * conn_scan: the connection side of request_scan (see conn_scan.h): feeding
 * the added tail of the input buffer, without copying, and the head ring.
 */
#include "conn_scan.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static void target_verdict(ConnScan *cs, const RequestHead *h, ConnScanHead *e) {
  e->target_status = 0;
  e->target_reason = NULL;
  switch (h->form) {
  case RTARGET_ORIGIN:
    return;
  case RTARGET_ABSOLUTE:
    if (conn_scan_names_us(cs, h->authority, h->https)) return;
    e->target_status = 400;
    e->target_reason = "an absolute-form request-target that does not name this gateway";
    return;
  case RTARGET_AUTHORITY:
    e->target_status = conn_scan_names_us(cs, h->authority, cs->https) ? 501 : 400;
    e->target_reason = "an authority-form request-target (CONNECT is not proxied)";
    return;
  case RTARGET_ASTERISK:
    e->target_status = 400;
    e->target_reason = "an asterisk-form request-target";
    return;
  }
}

/* Past "scheme://authority" of an absolute-form target: its path (or query). */
static gsize path_offset(const char *target, RequestTargetForm form) {
  if (form != RTARGET_ABSOLUTE) return 0;
  const char *a = strstr(target, "//");
  return a ? (gsize)(a + 2 - target) + strcspn(a + 2, "/?") : strlen(target);
}

static void push_head(ConnScan *cs) {
  guint64 seq = cs->pushed++;
  gsize tlen = cs->target_len;
  cs->target_len = 0;
  if (seq - cs->popped >= CONN_SCAN_RING) return; /* dropped: taken as LOST */
  ConnScanHead *e = &cs->ring[seq % CONN_SCAN_RING];
  e->seq = seq + 1;
  memcpy(e->method, cs->scan.head.method, sizeof e->method);
  e->target = g_strndup(cs->target ? cs->target : "", tlen);
  e->path_off = path_offset(e->target, cs->scan.head.form);
  target_verdict(cs, &cs->scan.head, e);
}

static void keep_target(ConnScan *cs, const char *p) {
  gsize n = cs->scan.target_len;
  if (n == 0) return;
  if (cs->target_len + n > cs->target_cap) {
    cs->target_cap = MAX(cs->target_cap * 2, MAX(cs->target_len + n, 128));
    cs->target = g_realloc(cs->target, cs->target_cap);
  }
  memcpy(cs->target + cs->target_len, p + cs->scan.target_off, n);
  cs->target_len += n;
}

static void feed(ConnScan *cs, const char *p, gsize n) {
  while (n > 0) {
    gsize used = 0;
    RequestScanResult r = request_scan_feed(&cs->scan, p, n, &used);
    if (r == RSCAN_INVALID) return;
    keep_target(cs, p);
    if (r == RSCAN_HEAD) push_head(cs);
    p += used;
    n -= used;
  }
}

static void input_changed(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg) {
  ConnScan *cs = arg;
  if (info->n_added == 0 || cs->scan.status) return;
  size_t len = evbuffer_get_length(buf);
  size_t added = MIN(info->n_added, len);
  struct evbuffer_ptr pos;
  gboolean whole = added == len; /* the usual case: the buffer held nothing before */
  if (!whole && evbuffer_ptr_set(buf, &pos, len - added, EVBUFFER_PTR_SET) != 0) return;
  while (added > 0 && !cs->scan.status) {
    struct evbuffer_iovec vec[8];
    int nv = evbuffer_peek(buf, (ev_ssize_t)added, whole ? NULL : &pos, vec, 8);
    if (nv <= 0) return;
    size_t fed = 0;
    for (int i = 0; i < MIN(nv, 8) && fed < added; i++) {
      size_t take = MIN(vec[i].iov_len, added - fed);
      feed(cs, vec[i].iov_base, take);
      fed += take;
    }
    added -= fed;
    if (added && whole) { /* more than 8 pieces: go on from a position */
      whole = FALSE;
      if (evbuffer_ptr_set(buf, &pos, fed, EVBUFFER_PTR_SET) != 0) return;
    } else if (added && evbuffer_ptr_set(buf, &pos, fed, EVBUFFER_PTR_ADD) != 0) {
      return;
    }
  }
}

static void local_address(ConnScan *cs, int fd) {
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  cs->local_host[0] = '\0';
  if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) return;
  if (ss.ss_family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    inet_ntop(AF_INET, &a->sin_addr, cs->local_host, sizeof cs->local_host);
    cs->local_port = ntohs(a->sin_port);
    cs->local_loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  } else if (ss.ss_family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    cs->local_host[0] = '[';
    inet_ntop(AF_INET6, &a->sin6_addr, cs->local_host + 1, sizeof cs->local_host - 2);
    g_strlcat(cs->local_host, "]", sizeof cs->local_host);
    cs->local_port = ntohs(a->sin6_port);
    cs->local_loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
  }
}

void conn_scan_start(ConnScan *cs, struct evbuffer *input, int fd, gboolean https, gsize max_head) {
  memset(cs, 0, sizeof *cs);
  request_scan_init(&cs->scan, max_head);
  cs->https = https;
  local_address(cs, fd);
  cs->input = input;
  if (input) evbuffer_add_cb(input, input_changed, cs);
}

void conn_scan_stop(ConnScan *cs) {
  if (cs->input) evbuffer_remove_cb(cs->input, input_changed, cs);
  cs->input = NULL;
  for (int i = 0; i < CONN_SCAN_RING; i++) g_clear_pointer(&cs->ring[i].target, g_free);
  g_clear_pointer(&cs->target, g_free);
  cs->target_len = cs->target_cap = 0;
}

ConnScanTake conn_scan_take(ConnScan *cs, ConnScanHead *head) {
  if (cs->popped >= cs->pushed) return CONN_SCAN_NONE;
  guint64 seq = cs->popped++;
  ConnScanHead *e = &cs->ring[seq % CONN_SCAN_RING];
  if (e->seq != seq + 1) return CONN_SCAN_LOST;
  *head = *e;
  e->seq = 0;
  e->target = NULL;
  return CONN_SCAN_OK;
}

gboolean conn_scan_names_us(const ConnScan *cs, const char *authority, gboolean https) {
  if (https != cs->https || !cs->local_host[0] || strchr(authority, '@')) return FALSE;
  const char *colon = authority[0] == '[' ? strstr(authority, "]:") : strrchr(authority, ':');
  if (colon && authority[0] == '[') colon++;
  gsize hlen = colon ? (gsize)(colon - authority) : strlen(authority);
  int port = https ? 443 : 80;
  if (colon) {
    char *end = NULL;
    guint64 v = g_ascii_strtoull(colon + 1, &end, 10);
    if (!colon[1] || *end || v > 65535) return FALSE;
    port = (int)v;
  }
  if (port != cs->local_port) return FALSE;
  gboolean same =
      hlen == strlen(cs->local_host) && !g_ascii_strncasecmp(authority, cs->local_host, hlen);
  gboolean localhost =
      cs->local_loopback && hlen == 9 && !g_ascii_strncasecmp(authority, "localhost", 9);
  return same || localhost;
}
