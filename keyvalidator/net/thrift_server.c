/*
 * thrift_server.c: the hub's Thrift port (thrift_server.h), event-driven: loop threads
 * own their connections in epoll sets and answer from the caches without waiting;
 * calls that may wait for the database run on bounded worker pools; an accept thread
 * admits, a reaper thread cuts slow or idle connections. Trade-off: no locks around a
 * connection, at the price of handing it over to a worker and back. Design notes:
 * docs/HACKING.md, "The hub's Thrift port".
 */
#include "config.h"

#include "thrift_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "hub.h"
#include "protocol_sniff.h"
#include "tg_thrift_scan.h"
#include "tg_tls.h"

#define LISTEN_BACKLOG          1024
#define REFUSAL_LOG_INTERVAL_US G_USEC_PER_SEC
#define REAP_INTERVAL_US        (G_USEC_PER_SEC / 2)
#define READ_CHUNK              16384
#define LOOP_EVENTS             16
#define WORKER_LINGER_MS        2
#define SHRINK_ABOVE            65536 /* a buffer that grew past this is dropped once empty */

typedef enum { POOL_GATEWAY, POOL_LOGIN } Pool;

typedef struct Conn Conn;

typedef struct {
  ThriftServer *server;
  int epoll_fd;
  pthread_t thread;
  gboolean running;
} Loop;

struct ThriftServer {
  int listen_fd;
  int port;
  SSL_CTX *tls;
  HubRpc *rpc;
  TgMetrics *metrics;
  int max_connections;
  int max_per_peer;
  int first_call_s;
  guint max_pipelined;
  int n_workers, n_login_workers;
  int idle_ms, io_ms;
  guint32 max_frame;
  TgThriftScanLimits limits;

  int stop_fd; /* eventfd in every loop's epoll set: written once, ends the loops */
  int n_loops;
  Loop *loops;
  gint next_loop;             /* atomic: round-robin assignment */
  GThreadPool *workers;       /* POOL_GATEWAY */
  GThreadPool *login_workers; /* POOL_LOGIN, served by priority then order */
  gssize login_queued;        /* atomic: calls pushed to login_workers */
  pthread_t reaper, acceptor;
  gboolean reaper_running, acceptor_running;
  GCond reaper_wake;

  gint stopping;                         /* atomic */
  gssize calls_on_loop, calls_on_worker; /* atomic (pointer-sized); published by the reaper */

  GMutex lock; /* guards everything below */
  GCond changed;
  GHashTable *conns;       /* Conn* set: connections whose socket may be shut down */
  GHashTable *peers;       /* address -> GUINT connections */
  GHashTable *login_queue; /* address -> GUINT calls waiting for the login pool */
  int open;                /* connections not yet closed */
  gint64 last_refusal_log;
  gint last_call_refusal_log_s; /* atomic: calls refused and answered, logged once a second */

  GMutex held_lock; /* guards the three below */
  GCond held_wake;
  GQueue held; /* Conn* whose answer waits, by hold_until */
  gboolean held_stop;
  GThread *held_thread;
};

typedef enum { PHASE_TLS, PHASE_SNIFF, PHASE_CALLS } Phase;

/* What the owner of a connection does next (NEXT_CONTINUE: go on with this turn; NEXT_HOLD:
   the answers wait until hold_until). */
typedef enum { NEXT_READ, NEXT_WRITE, NEXT_WORKER, NEXT_CLOSE, NEXT_CONTINUE, NEXT_HOLD } Next;

/* Outcome of a read or a write: done, would block (on reading or writing), failed. */
typedef enum { IO_DONE, IO_WANT_READ, IO_WANT_WRITE, IO_FAILED } Io;

struct Conn {
  ThriftServer *server;
  Loop *loop;
  guint32 watched; /* events in the loop's epoll set (0: not in the set) */
  int fd;
  SSL *ssl;
  Phase phase;
  HubRpcProtocol proto;
  gboolean framed;
  gboolean eof;    /* the peer sends no more */
  GByteArray *in;  /* received, not yet run */
  GByteArray *out; /* answers not yet written, from out_pos */
  gsize out_pos;
  gsize in_peak;     /* largest in->len since the buffer was made */
  char *drop;        /* why the connection is dropped (logged and counted on close) */
  gint in_call;      /* atomic: running a call, or queued for a worker with one (the drain
                        and the reaper let it finish) */
  gint busy;         /* atomic: in a handshake, a message or a blocked answer (io clock) */
  gint busy_since_s; /* atomic */
  gint active_s;     /* atomic: last event (idle clock) */
  gint reaped;       /* atomic: cut by the reaper */
  gint accepted_s;
  gint first_call;        /* atomic: a whole call has arrived (first_call_timeout is over) */
  Pool pool;              /* NEXT_WORKER: the pool the next call needs */
  Pool running_pool;      /* on a worker: the pool it belongs to */
  guint out_calls;        /* answers in out not yet written */
  gboolean paused;        /* stopped at max_pipelined_calls: run what is buffered before reading */
  gint64 hold_until;      /* NEXT_HOLD: when the answer may go */
  guint priority;         /* queued for the login pool: its address's failed logins (fewer first) */
  gssize queued;          /* ... and the order it came in, among equals */
  TgThriftScanState scan; /* the unframed message being received */
  TgThriftScanFrame *frames;
  char addr[INET6_ADDRSTRLEN];
  char peer[INET6_ADDRSTRLEN + 8];
};

/* ---- bookkeeping ---- */

static void count(ThriftServer *s, const char *name, const char *labels) {
  tg_metrics_add(s->metrics, name, labels, 1);
}

static void update_gauge_locked(ThriftServer *s) {
  tg_metrics_set(s->metrics, "tollgate_hub_thrift_connections", NULL, g_hash_table_size(s->conns));
}

static guint peer_count_locked(ThriftServer *s, const char *addr) {
  return GPOINTER_TO_UINT(g_hash_table_lookup(s->peers, addr));
}

static void peer_join_locked(ThriftServer *s, const char *addr) {
  g_hash_table_replace(s->peers, g_strdup(addr), GUINT_TO_POINTER(peer_count_locked(s, addr) + 1));
}

static void peer_leave_locked(ThriftServer *s, const char *addr) {
  guint n = peer_count_locked(s, addr);
  if (n <= 1)
    g_hash_table_remove(s->peers, addr);
  else
    g_hash_table_replace(s->peers, g_strdup(addr), GUINT_TO_POINTER(n - 1));
}

static gboolean stopping(ThriftServer *s) { return g_atomic_int_get(&s->stopping); }

static gint now_s(void) { return (gint)(g_get_monotonic_time() / G_USEC_PER_SEC); }

/* The io clock runs from the first byte of a handshake, message or blocked answer. */
static void busy_begin(Conn *c) {
  if (g_atomic_int_get(&c->busy)) return;
  g_atomic_int_set(&c->busy_since_s, now_s());
  g_atomic_int_set(&c->busy, TRUE);
}

static void busy_end(Conn *c) { g_atomic_int_set(&c->busy, FALSE); }

static void set_in_call(Conn *c, gboolean in_call) { g_atomic_int_set(&c->in_call, in_call); }

static void conn_drop(Conn *c, const char *why) {
  if (c->drop == NULL) c->drop = g_strdup(why);
}

static void conn_log_close(Conn *c) {
  if (g_atomic_int_get(&c->reaped))
    conn_drop(c, "message not complete within io_timeout");
  else if (c->phase == PHASE_CALLS && c->in->len > 0)
    conn_drop(c, "closed in the middle of a message");
  if (c->drop == NULL) {
    g_debug("thrift connection from %s closed", c->peer);
    return;
  }
  g_info("thrift connection from %s dropped: %s", c->peer, c->drop);
  count(c->server, "tollgate_hub_thrift_dropped_total", NULL);
}

/* Frees c with its socket and buffers (the caller has unregistered it). */
static void conn_release(Conn *c) {
  if (c->ssl != NULL) SSL_free(c->ssl);
  close(c->fd);
  g_byte_array_unref(c->in);
  g_byte_array_unref(c->out);
  g_free(c->frames);
  g_free(c->drop);
  g_free(c);
}

/* Unregisters c, then releases its socket (the order shutdown(2) relies on), then counts
   it out: after that nothing of the server is touched. */
static void conn_close(Conn *c) {
  ThriftServer *s = c->server;
  if (c->phase != PHASE_TLS) conn_log_close(c);
  g_mutex_lock(&s->lock);
  g_hash_table_remove(s->conns, c);
  peer_leave_locked(s, c->addr);
  update_gauge_locked(s);
  g_mutex_unlock(&s->lock);
  conn_release(c);
  g_mutex_lock(&s->lock);
  s->open--;
  g_cond_broadcast(&s->changed);
  g_mutex_unlock(&s->lock);
}

static gboolean refuse(Conn *c, const char *reason, const char *detail) {
  g_info("thrift connection from %s refused: %s%s%s", c->peer, reason, detail ? ": " : "",
         detail ? detail : "");
  g_autofree char *labels = g_strdup_printf("reason=\"%s\"", reason);
  count(c->server, "tollgate_hub_thrift_refused_total", labels);
  return FALSE;
}

/* ---- socket I/O ---- */

static Io io_wait_of(Conn *c, int rc) {
  if (c->ssl == NULL) return errno == EAGAIN || errno == EWOULDBLOCK ? IO_WANT_READ : IO_FAILED;
  switch (SSL_get_error(c->ssl, rc)) {
  case SSL_ERROR_WANT_READ:
    return IO_WANT_READ;
  case SSL_ERROR_WANT_WRITE:
    return IO_WANT_WRITE;
  default:
    ERR_clear_error();
    return IO_FAILED;
  }
}

/* Reads everything that has arrived into c->in. End of input, or a failed read, sets
   c->eof: the calls already whole are still run and answered if the socket lets us.
   IO_WANT_WRITE: TLS must write before it can read on. */
static Io read_available(Conn *c) {
  guint8 chunk[READ_CHUNK];
  for (;;) {
    ssize_t n =
        c->ssl ? SSL_read(c->ssl, chunk, sizeof chunk) : recv(c->fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      g_byte_array_append(c->in, chunk, (guint)n);
      c->in_peak = MAX(c->in_peak, c->in->len);
      if (c->ssl ? SSL_has_pending(c->ssl) : (gsize)n == sizeof chunk) continue;
      return IO_DONE; /* the socket is probably empty: level-triggered epoll says if not */
    }
    if (n < 0 && c->ssl == NULL && errno == EINTR) continue;
    Io io = n == 0 && c->ssl == NULL ? IO_FAILED : io_wait_of(c, (int)n);
    if (io == IO_FAILED) c->eof = TRUE;
    return io == IO_WANT_WRITE ? IO_WANT_WRITE : IO_DONE;
  }
}

/* Writes the pending answers. */
static Io flush_out(Conn *c) {
  while (c->out_pos < c->out->len) {
    const guint8 *p = c->out->data + c->out_pos;
    gsize len = c->out->len - c->out_pos;
    ssize_t n =
        c->ssl ? SSL_write(c->ssl, p, (int)MIN(len, G_MAXINT)) : send(c->fd, p, len, MSG_NOSIGNAL);
    if (n > 0) {
      c->out_pos += (gsize)n;
      continue;
    }
    if (n < 0 && c->ssl == NULL && errno == EINTR) continue;
    Io io = io_wait_of(c, (int)n);
    if (io == IO_WANT_READ && c->ssl == NULL) io = IO_WANT_WRITE; /* EAGAIN on a plain send */
    if (io != IO_FAILED)
      busy_begin(c); /* a client that does not read its answers is on the io clock */
    return io;
  }
  g_byte_array_set_size(c->out, 0);
  c->out_pos = 0;
  c->out_calls = 0;
  return IO_DONE;
}

/* ---- TLS and sniffing ---- */

/* Plaintext on the TLS port is refused before OpenSSL sees it, with a clear log line. */
static Next expect_tls(Conn *c) {
  guint8 buf[PROTOCOL_SNIFF_MAX_BYTES];
  ssize_t n;
  do n = recv(c->fd, buf, sizeof buf, MSG_PEEK);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return NEXT_READ;
  if (n <= 0)
    return refuse(c, "no TLS handshake", n == 0 ? "closed" : g_strerror(errno)), NEXT_CLOSE;
  if (buf[0] != 0x16)
    return refuse(c, "plaintext on the TLS port", protocol_sniff_name(protocol_sniff(buf, n))),
           NEXT_CLOSE;
  c->ssl = SSL_new(c->server->tls);
  if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
    g_autofree char *why = tg_tls_error_string();
    return refuse(c, "TLS set-up failed", why), NEXT_CLOSE;
  }
  SSL_set_mode(c->ssl, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                           SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_read_ahead(c->ssl, 1); /* one read(2) per record, not header then body */
  return NEXT_CONTINUE;
}

/* Drives the handshake; NEXT_CONTINUE once it is done. */
static Next tls_step(Conn *c) {
  if (c->ssl == NULL) {
    Next next = expect_tls(c);
    if (next != NEXT_CONTINUE) return next;
  }
  errno = 0;
  int rc = SSL_accept(c->ssl);
  if (rc == 1) {
    busy_end(c);
    c->phase = PHASE_SNIFF;
    return NEXT_CONTINUE;
  }
  int saved = errno;
  switch (SSL_get_error(c->ssl, rc)) {
  case SSL_ERROR_WANT_READ:
    return NEXT_READ;
  case SSL_ERROR_WANT_WRITE:
    return NEXT_WRITE;
  default: {
    g_autofree char *why = tg_tls_error_string();
    const char *fallback = g_atomic_int_get(&c->reaped) ? "timed out"
                           : saved                      ? g_strerror(saved)
                                                        : "closed";
    refuse(c, "TLS handshake failed", *why ? why : fallback);
    return NEXT_CLOSE;
  }
  }
}

/* Recognises the protocol from the first bytes; FALSE when refused. */
static gboolean sniff_step(Conn *c, gboolean *known) {
  ThriftServer *s = c->server;
  gsize len = MIN(c->in->len, PROTOCOL_SNIFF_MAX_BYTES);
  ProtocolSniff kind = protocol_sniff(c->in->data, len);
  *known = kind != PROTOCOL_SNIFF_NEED_MORE;
  if (kind == PROTOCOL_SNIFF_NEED_MORE)
    return len < PROTOCOL_SNIFF_MAX_BYTES || refuse(c, "not Thrift", "garbage");
  switch (kind) {
  case PROTOCOL_SNIFF_BINARY:
  case PROTOCOL_SNIFF_COMPACT:
  case PROTOCOL_SNIFF_FRAMED_BINARY:
  case PROTOCOL_SNIFF_FRAMED_COMPACT:
    break;
  default:
    return refuse(c, s->tls && kind == PROTOCOL_SNIFF_TLS ? "TLS inside TLS" : "not Thrift",
                  protocol_sniff_name(kind));
  }
  g_autofree char *labels = g_strdup_printf("protocol=\"%s\"", protocol_sniff_name(kind));
  count(s, "tollgate_hub_thrift_protocol_total", labels);
  c->proto = kind == PROTOCOL_SNIFF_COMPACT || kind == PROTOCOL_SNIFF_FRAMED_COMPACT
                 ? HUB_RPC_COMPACT
                 : HUB_RPC_BINARY;
  c->framed = kind == PROTOCOL_SNIFF_FRAMED_BINARY || kind == PROTOCOL_SNIFF_FRAMED_COMPACT;
  c->phase = PHASE_CALLS;
  return TRUE;
}

/* ---- calls ---- */

/* The frame header's size, once 4 bytes are there (0: not yet, or c->drop set). */
static guint32 frame_size(Conn *c) {
  if (c->in->len < 4) return 0;
  const guint8 *p = c->in->data;
  guint32 size = (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
  if (size == 0 || size > c->server->max_frame) {
    conn_drop(c, size == 0 ? "empty frame" : "frame larger than max_message_size");
    return 0;
  }
  return size;
}

/* Methods of the gateways' side: they run on the gateway pool, everything else (logins,
   management) on the login pool. */
static const char *const gateway_methods[] = {"validateKey",
                                              "validateKeyforHandshake",
                                              "isAuthenticated",
                                              "getAllURITemplates",
                                              "getGatewayConfig",
                                              "publishUsage",
                                              "logout"};

static Pool pool_of(const TgThriftScan *scan) {
  for (gsize i = 0; i < G_N_ELEMENTS(gateway_methods); i++)
    if (tg_thrift_scan_name_is(scan, gateway_methods[i])) return POOL_GATEWAY;
  return POOL_LOGIN;
}

/* The unframed message at the start of c->in, scanned from where the last scan stopped. */
static TgThriftScanResult scan_unframed(Conn *c, TgThriftWire wire, TgThriftScan *scan) {
  ThriftServer *s = c->server;
  if (c->frames == NULL) {
    c->frames = g_malloc(TG_THRIFT_SCAN_FRAMES(s->limits.max_depth));
    tg_thrift_scan_begin(&c->scan, c->frames, s->limits.max_depth);
  }
  TgThriftScanResult r =
      tg_thrift_scan_more(&c->scan, wire, c->in->data, c->in->len, &s->limits, scan);
  if (r != TG_THRIFT_SCAN_NEED_MORE)
    tg_thrift_scan_begin(&c->scan, c->frames, s->limits.max_depth); /* the next message */
  return r;
}

/* Where the next call is in c->in: *start, *len, its scan; scan->error set: the scan REFUSED
   it (to be answered with an exception, never run). FALSE: not whole yet, or c->drop set. */
static gboolean next_message(Conn *c, gsize *start, gsize *len, gboolean *may_run_on_loop,
                             TgThriftScan *scan) {
  gsize header = 0, avail = c->in->len;
  if (c->framed) {
    guint32 size = frame_size(c);
    if (size == 0 || c->in->len - 4 < size) return FALSE;
    header = 4;
    avail = size;
  }
  TgThriftWire wire = c->proto == HUB_RPC_COMPACT ? TG_THRIFT_WIRE_COMPACT : TG_THRIFT_WIRE_BINARY;
  TgThriftScanResult r =
      header ? tg_thrift_scan(wire, c->in->data + header, avail, &c->server->limits, scan)
             : scan_unframed(c, wire, scan);
  gboolean whole = r == TG_THRIFT_SCAN_COMPLETE || r == TG_THRIFT_SCAN_REFUSED;
  if (r == TG_THRIFT_SCAN_INVALID)
    conn_drop(c, scan->error);
  else if (header && r == TG_THRIFT_SCAN_NEED_MORE)
    conn_drop(c, "frame shorter than its message");
  else if (header && whole && scan->length != avail)
    conn_drop(c, "frame longer than its message");
  if (!whole || c->drop != NULL) return FALSE;
  if (r == TG_THRIFT_SCAN_COMPLETE) scan->error = NULL; /* set: refused */
  *start = header;
  *len = scan->length;
  *may_run_on_loop = tg_thrift_scan_name_is(scan, "validateKey") ||
                     tg_thrift_scan_name_is(scan, "validateKeyforHandshake") ||
                     tg_thrift_scan_name_is(scan, "isAuthenticated");
  c->pool = pool_of(scan);
  g_atomic_int_set(&c->first_call, TRUE);
  return TRUE;
}

/* An answer was appended from mark (after a frame header's 4 bytes when framed): counts it,
   fills in the frame size. */
static void answer_done(Conn *c, guint mark) {
  guint answer = c->out->len - mark - (c->framed ? 4 : 0);
  if (answer > 0) c->out_calls++;
  if (c->framed && answer == 0) /* oneway: no answer */
    g_byte_array_set_size(c->out, mark);
  else if (c->framed) {
    guint32 be = g_htonl(answer);
    memcpy(c->out->data + mark, &be, 4);
  }
}

/* Logged at most once a second per server, counted always. */
static void log_refused_call(Conn *c, const TgThriftScan *scan) {
  ThriftServer *s = c->server;
  g_autofree char *labels = g_strdup_printf("reason=\"%s\"", scan->error);
  count(s, "tollgate_hub_thrift_calls_refused_total", labels);
  gint64 now = g_get_monotonic_time();
  if (now - (gint64)g_atomic_int_get(&s->last_call_refusal_log_s) * G_USEC_PER_SEC <
      REFUSAL_LOG_INTERVAL_US)
    return;
  g_atomic_int_set(&s->last_call_refusal_log_s, (gint)(now / G_USEC_PER_SEC));
  g_info("thrift call %.*s from %s refused, answered: %s", (int)MIN(scan->name_len, 64),
         (const char *)scan->name, c->peer, scan->error);
}

/* Runs one call and appends its answer (framed like the call) to c->out. FALSE: the call
   was deferred (on_loop) and its answer dropped, or it failed (c->drop set). */
static gboolean run_call(Conn *c, const guint8 *msg, gsize len, gboolean on_loop) {
  ThriftServer *s = c->server;
  guint mark = c->out->len;
  if (c->framed) g_byte_array_set_size(c->out, mark + 4);
  g_autoptr(GError) error = NULL;
  if (on_loop) hub_core_nowait_begin();
  set_in_call(c, TRUE);
  hub_call_begin(c->addr[0] ? c->addr : NULL);
  gboolean ok = hub_rpc_process_buffer(s->rpc, c->proto, msg, len, c->out, &error);
  guint delay_ms = hub_call_end();
  set_in_call(c, FALSE);
  gboolean deferred = on_loop && hub_core_nowait_end();
  if (ok && !deferred && delay_ms > 0)
    c->hold_until = g_get_monotonic_time() + (gint64)delay_ms * 1000;
  if (ok && !deferred) g_atomic_pointer_add(on_loop ? &s->calls_on_loop : &s->calls_on_worker, 1);
  if (!ok || deferred) {
    g_byte_array_set_size(c->out, mark);
    if (!ok && !deferred) conn_drop(c, error ? error->message : "unreadable call");
    return FALSE;
  }
  answer_done(c, mark);
  return TRUE;
}

/* A call whose string the scan refused (over max_string, or a NUL byte): answered with an
   exception, its arguments never read, the connection kept: closing it would make the
   hub's clients take the hub for down (and retry the same call on the next hub). */
static gboolean refuse_call(Conn *c, const TgThriftScan *scan) {
  ThriftServer *s = c->server;
  guint mark = c->out->len;
  if (c->framed) g_byte_array_set_size(c->out, mark + 4);
  g_autoptr(GError) error = NULL;
  if (!hub_rpc_answer_refused(s->rpc, c->proto, scan, c->out, &error)) {
    g_byte_array_set_size(c->out, mark);
    conn_drop(c, error ? error->message : scan->error);
    return FALSE;
  }
  log_refused_call(c, scan);
  answer_done(c, mark);
  return TRUE;
}

static void consume(Conn *c, gsize n) {
  g_byte_array_remove_range(c->in, 0, (guint)n);
  if (c->in->len == 0 && c->in_peak > SHRINK_ABOVE) {
    g_byte_array_unref(c->in);
    c->in = g_byte_array_new();
    c->in_peak = 0;
  }
}

/* Runs every whole call in the buffer. NEXT_READ: all done; NEXT_WORKER: the next call
   must wait for a worker (of c->pool); NEXT_WRITE: max_pipelined_calls answers wait to be
   written first; NEXT_HOLD: the last answer is held back; NEXT_CLOSE: dropped. */
static Next run_calls(Conn *c, gboolean on_loop) {
  c->paused = FALSE;
  for (;;) {
    gsize start = 0, len = 0;
    gboolean loop_ok = FALSE;
    if (c->out_calls >= c->server->max_pipelined) {
      c->paused = TRUE;
      count(c->server, "tollgate_hub_thrift_paused_total", NULL);
      return NEXT_WRITE;
    }
    TgThriftScan scan;
    if (!next_message(c, &start, &len, &loop_ok, &scan)) return c->drop ? NEXT_CLOSE : NEXT_READ;
    busy_end(c); /* the message is here: the handler's own time is not on the io clock */
    if (scan.error != NULL) { /* refused: answered here, on whichever thread */
      if (!refuse_call(c, &scan)) return NEXT_CLOSE;
      consume(c, start + len);
      continue;
    }
    if ((on_loop && !loop_ok) || (!on_loop && c->pool != c->running_pool)) return NEXT_WORKER;
    if (!run_call(c, c->in->data + start, len, on_loop)) return c->drop ? NEXT_CLOSE : NEXT_WORKER;
    consume(c, start + len);
    if (c->hold_until > 0) return NEXT_HOLD;
    if (stopping(c->server)) return NEXT_READ;
  }
}

/* The state machine after new input: handshake, sniffing, calls. */
static Next conn_advance(Conn *c, gboolean on_loop) {
  if (c->phase == PHASE_TLS) {
    Next next = tls_step(c);
    if (next != NEXT_CONTINUE) return next;
  }
  Io io = c->paused ? IO_DONE : read_available(c); /* paused: what is buffered first */
  if (c->phase == PHASE_SNIFF) {
    gboolean known = FALSE;
    if (!sniff_step(c, &known)) return NEXT_CLOSE;
    if (!known) return c->eof ? NEXT_CLOSE : NEXT_READ;
  }
  Next next = run_calls(c, on_loop);
  if (next != NEXT_READ) return next;
  if (c->in->len > 0) busy_begin(c);
  return io == IO_WANT_WRITE ? NEXT_WRITE : NEXT_READ;
}

/* The owner's whole turn: answers out first, then new input, then answers again. */
static Next conn_turn(Conn *c, gboolean on_loop) {
  g_atomic_int_set(&c->active_s, now_s());
  Io io = flush_out(c);
  if (io == IO_FAILED) return NEXT_CLOSE;
  if (io != IO_DONE) return io == IO_WANT_READ ? NEXT_READ : NEXT_WRITE;
  Next next = conn_advance(c, on_loop);
  if (next == NEXT_CLOSE || next == NEXT_WORKER || next == NEXT_HOLD) return next;
  io = flush_out(c);
  if (io == IO_FAILED) return NEXT_CLOSE;
  if (io == IO_WANT_WRITE) return NEXT_WRITE;
  if (c->phase == PHASE_CALLS && c->in->len == 0 && io == IO_DONE) busy_end(c);
  if ((c->eof && !c->paused) ||
      stopping(c->server)) /* a call in flight at the drain has been answered */
    return NEXT_CLOSE;
  return next;
}

/* Puts c in its loop's epoll set for events (0: takes it out, for a worker). */
static gboolean conn_watch(Conn *c, guint32 events) {
  guint32 before = c->watched;
  if (before == events) return TRUE;
  struct epoll_event ev = {.events = events, .data.ptr = c};
  int op = events == 0 ? EPOLL_CTL_DEL : before == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  c->watched = events; /* first: once added, c is its loop's and this thread's hands are off */
  if (epoll_ctl(c->loop->epoll_fd, op, c->fd, &ev) < 0) {
    c->watched = before;
    g_warning("thrift connection from %s: epoll: %s", c->peer, g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

/* One turn of the owner (a loop, or a worker), then c goes back to its loop or on. */
/* A worker that has answered keeps the connection while its client sends the next call
   within WORKER_LINGER_MS and that call needs the database too: a client that keeps
   missing the cache is served like a thread-per-connection server would (one wake-up per
   call, no hand-over). A call the caches answer sends the connection back to its loop. */
static Next worker_turns(Conn *c) {
  Next next = conn_turn(c, FALSE);
  for (;;) {
    struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
    if (next != NEXT_READ || stopping(c->server) || poll(&pfd, 1, WORKER_LINGER_MS) <= 0)
      return next;
    next = conn_turn(c, TRUE); /* as the loop would */
    if (next != NEXT_WORKER) return next;
    next = conn_turn(c, FALSE);
  }
}

static void hold(Conn *c);

/* Login pool order: fewer failed logins from the address first, then first come. */
static gint by_priority(gconstpointer a, gconstpointer b, gpointer unused) {
  const Conn *x = a, *y = b;
  if (x->priority != y->priority) return x->priority < y->priority ? -1 : 1;
  return x->queued < y->queued ? -1 : x->queued > y->queued;
}

/* Priority: the address's failed logins plus its calls already waiting, so the queue
   takes the addresses in turn and a guesser's many connections wait behind everyone. */
static void push_login(Conn *c) {
  ThriftServer *s = c->server;
  guint failures = hub_login_address_failures(hub_rpc_hub(s->rpc), c->addr);
  g_mutex_lock(&s->lock);
  guint waiting = GPOINTER_TO_UINT(g_hash_table_lookup(s->login_queue, c->addr));
  g_hash_table_replace(s->login_queue, g_strdup(c->addr), GUINT_TO_POINTER(waiting + 1));
  g_mutex_unlock(&s->lock);
  c->priority = failures + waiting;
  c->queued = g_atomic_pointer_add(&s->login_queued, 1);
  g_thread_pool_push(s->login_workers, c, NULL);
}

static void login_taken(Conn *c) {
  ThriftServer *s = c->server;
  g_mutex_lock(&s->lock);
  guint waiting = GPOINTER_TO_UINT(g_hash_table_lookup(s->login_queue, c->addr));
  if (waiting <= 1)
    g_hash_table_remove(s->login_queue, c->addr);
  else
    g_hash_table_replace(s->login_queue, g_strdup(c->addr), GUINT_TO_POINTER(waiting - 1));
  g_mutex_unlock(&s->lock);
}

static void conn_run(Conn *c, gboolean on_loop) {
  Next next = on_loop ? conn_turn(c, TRUE) : worker_turns(c);
  if (!on_loop) /* before the loop has c back: a call left unrun (answers not read) is reapable */
    set_in_call(c, FALSE);
  gboolean ok = next == NEXT_READ     ? conn_watch(c, EPOLLIN)
                : next == NEXT_WRITE  ? conn_watch(c, EPOLLOUT)
                : next == NEXT_WORKER ? conn_watch(c, 0)
                : next == NEXT_HOLD   ? conn_watch(c, 0)
                                      : FALSE;
  if (!ok) {
    conn_close(c);
    return;
  }
  /* a call waits in it (or its answer does): with every worker busy, a drain must not cut it */
  if (next == NEXT_WORKER || next == NEXT_HOLD) set_in_call(c, TRUE);
  if (next == NEXT_HOLD)
    hold(c);
  else if (next == NEXT_WORKER && c->pool == POOL_GATEWAY)
    g_thread_pool_push(c->server->workers, c, NULL);
  else if (next == NEXT_WORKER)
    push_login(c);
}

static void gateway_worker_main(gpointer conn, gpointer server) {
  ((Conn *)conn)->running_pool = POOL_GATEWAY;
  conn_run(conn, FALSE);
}

static void login_worker_main(gpointer conn, gpointer server) {
  login_taken(conn);
  ((Conn *)conn)->running_pool = POOL_LOGIN;
  conn_run(conn, FALSE);
}

/* ---- held answers ---- */

static gint by_hold_until(gconstpointer a, gconstpointer b, gpointer unused) {
  gint64 x = ((const Conn *)a)->hold_until, y = ((const Conn *)b)->hold_until;
  return x < y ? -1 : x > y;
}

/* c's answers wait until c->hold_until; the held thread then gives c back to its loop. */
static void hold(Conn *c) {
  ThriftServer *s = c->server;
  g_mutex_lock(&s->held_lock);
  g_queue_insert_sorted(&s->held, c, by_hold_until, NULL);
  g_cond_signal(&s->held_wake);
  g_mutex_unlock(&s->held_lock);
}

static void release_held(Conn *c) {
  c->hold_until = 0;
  set_in_call(c, FALSE);
  if (!conn_watch(c, EPOLLOUT)) /* writable at once: the loop writes the answers */
    conn_close(c);
}

static gpointer held_main(gpointer arg) {
  ThriftServer *s = arg;
  g_mutex_lock(&s->held_lock);
  while (!s->held_stop) {
    Conn *c = g_queue_peek_head(&s->held);
    if (c == NULL) {
      g_cond_wait(&s->held_wake, &s->held_lock);
    } else if (c->hold_until <= g_get_monotonic_time()) {
      g_queue_pop_head(&s->held);
      g_mutex_unlock(&s->held_lock);
      release_held(c);
      g_mutex_lock(&s->held_lock);
    } else {
      g_cond_wait_until(&s->held_wake, &s->held_lock, c->hold_until);
    }
  }
  g_mutex_unlock(&s->held_lock);
  return NULL;
}

static void *loop_main(void *arg) {
  Loop *loop = arg;
  struct epoll_event events[LOOP_EVENTS];
  for (;;) {
    int n = epoll_wait(loop->epoll_fd, events, LOOP_EVENTS, -1);
    if (n < 0 && errno != EINTR) {
      g_critical("thrift port %d: epoll_wait: %s", loop->server->port, g_strerror(errno));
      return NULL;
    }
    for (int i = 0; i < n; i++) {
      if (events[i].data.ptr == NULL) return NULL; /* stop_fd */
      conn_run(events[i].data.ptr, TRUE);
    }
  }
}

/* ---- accepting ---- */

static void peer_name(const struct sockaddr_storage *ss, char *host, char *out, gsize len) {
  g_strlcpy(host, "?", INET6_ADDRSTRLEN);
  int port = 0;
  if (ss->ss_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
    inet_ntop(AF_INET, &a->sin_addr, host, INET6_ADDRSTRLEN);
    port = ntohs(a->sin_port);
  } else if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
    inet_ntop(AF_INET6, &a->sin6_addr, host, INET6_ADDRSTRLEN);
    port = ntohs(a->sin6_port);
  }
  g_snprintf(out, len, "%s:%d", host, port);
}

/* Over a limit (or stopping): the connection is closed at once, logged at most once a second. */
static gboolean admit_locked(ThriftServer *s, const Conn *c) {
  gboolean too_many = (int)g_hash_table_size(s->conns) >= s->max_connections;
  gboolean peer_full = peer_count_locked(s, c->addr) >= (guint)s->max_per_peer;
  if (!stopping(s) && !too_many && !peer_full) return TRUE;
  gint64 now = g_get_monotonic_time();
  if (now - s->last_refusal_log >= REFUSAL_LOG_INTERVAL_US) {
    g_warning("thrift connection from %s closed: %s", c->peer,
              stopping(s) ? "shutting down"
              : too_many  ? "too many connections (max_connections)"
                          : "too many connections from this address (max_connections_per_peer)");
    s->last_refusal_log = now;
  }
  count(s, "tollgate_hub_thrift_refused_total",
        too_many || stopping(s) ? "reason=\"max_connections\""
                                : "reason=\"max_connections_per_peer\"");
  return FALSE;
}

static Conn *conn_new(ThriftServer *s, int fd, const struct sockaddr_storage *ss) {
  Conn *c = g_new0(Conn, 1);
  c->server = s;
  c->fd = fd;
  c->phase = s->tls ? PHASE_TLS : PHASE_SNIFF;
  c->in = g_byte_array_new();
  c->out = g_byte_array_new();
  c->active_s = now_s();
  if (s->tls) busy_begin(c); /* the handshake is on the io clock */
  c->accepted_s = now_s();
  peer_name(ss, c->addr, c->peer, sizeof c->peer);
  return c;
}

static void admit(ThriftServer *s, int fd, const struct sockaddr_storage *ss) {
  Conn *c = conn_new(s, fd, ss);
  g_mutex_lock(&s->lock);
  gboolean ok = admit_locked(s, c);
  if (ok) {
    g_hash_table_add(s->conns, c);
    peer_join_locked(s, c->addr);
    s->open++;
    update_gauge_locked(s);
  }
  g_mutex_unlock(&s->lock);
  if (!ok) {
    c->ssl = NULL;
    conn_release(c);
    return;
  }
  count(s, "tollgate_hub_thrift_connections_total", NULL);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  guint k = (guint)g_atomic_int_add(&s->next_loop, 1);
  c->loop = &s->loops[k % (guint)s->n_loops];
  if (!conn_watch(c, EPOLLIN)) conn_close(c);
}

/* Out of descriptors or memory: wait a little instead of spinning. */
static void accept_failed(ThriftServer *s, int err) {
  if (err == EINTR || err == ECONNABORTED || err == EPROTO) return;
  g_mutex_lock(&s->lock);
  gint64 now = g_get_monotonic_time();
  gboolean log = now - s->last_refusal_log >= REFUSAL_LOG_INTERVAL_US;
  if (log) s->last_refusal_log = now;
  g_mutex_unlock(&s->lock);
  if (log) g_warning("thrift accept failed: %s", g_strerror(err));
  g_usleep(50 * 1000);
}

static void *accept_main(void *arg) {
  ThriftServer *s = arg;
  for (;;) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (stopping(s)) {
      if (fd >= 0) close(fd);
      return NULL;
    }
    if (fd < 0)
      accept_failed(s, errno);
    else
      admit(s, fd, &ss);
  }
}

/* ---- the reaper ---- */

static void cut(Conn *c) { shutdown(c->fd, SHUT_RDWR); }

/* Cuts the connections over io_timeout (handshake, message, blocked answer) or idle_timeout. */
static void reap_locked(ThriftServer *s) {
  gint now = now_s(), io_limit = s->io_ms / 1000, idle_limit = MAX(s->idle_ms, s->io_ms) / 1000;
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, s->conns);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    Conn *c = key;
    if (g_atomic_int_get(&c->in_call)) continue;
    if (!g_atomic_int_get(&c->first_call) && now - c->accepted_s > s->first_call_s) {
      g_atomic_int_set(&c->first_call, TRUE); /* cut once */
      g_atomic_int_set(&c->busy, FALSE);
      cut(c);
      count(s, "tollgate_hub_thrift_refused_total", "reason=\"first_call_timeout\"");
    } else if (g_atomic_int_get(&c->busy) && now - g_atomic_int_get(&c->busy_since_s) > io_limit) {
      g_atomic_int_set(&c->reaped, TRUE);
      g_atomic_int_set(&c->busy, FALSE);
      cut(c);
      count(s, "tollgate_hub_thrift_refused_total", "reason=\"io_timeout\"");
    } else if (!g_atomic_int_get(&c->busy) && now - g_atomic_int_get(&c->active_s) > idle_limit) {
      g_atomic_int_set(&c->active_s, now); /* cut once */
      cut(c);
    }
  }
}

/* Calls answered on the loops and on workers (counted without a lock per call). */
static void publish_call_counts(ThriftServer *s) {
  tg_metrics_set(s->metrics, "tollgate_hub_thrift_calls_total", "thread=\"loop\"",
                 (double)g_atomic_pointer_get(&s->calls_on_loop));
  tg_metrics_set(s->metrics, "tollgate_hub_thrift_calls_total", "thread=\"worker\"",
                 (double)g_atomic_pointer_get(&s->calls_on_worker));
}

static void *reaper_main(void *arg) {
  ThriftServer *s = arg;
  g_mutex_lock(&s->lock);
  while (!stopping(s)) {
    reap_locked(s);
    publish_call_counts(s);
    g_cond_wait_until(&s->reaper_wake, &s->lock, g_get_monotonic_time() + REAP_INTERVAL_US);
  }
  g_mutex_unlock(&s->lock);
  return NULL;
}

/* ---- start and stop ---- */

static int listen_on(const char *host, int port, GError **error) {
  struct addrinfo hints = {
      .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  char service[16];
  g_snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &res);
  if (rc != 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", host, gai_strerror(rc));
    return -1;
  }
  int fd = -1, err = 0;
  for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1;
    if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
                    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0)) {
      err = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0)
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "Thrift port %s:%d: %s", host,
                port, g_strerror(err));
  return fd;
}

static void describe_metrics(TgMetrics *metrics) {
  tg_metrics_describe(metrics, "tollgate_hub_thrift_connections", TG_METRIC_GAUGE,
                      "Open Thrift connections");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_connections_total", TG_METRIC_COUNTER,
                      "Thrift connections accepted");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_refused_total", TG_METRIC_COUNTER,
                      "Thrift connections refused, by reason");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_dropped_total", TG_METRIC_COUNTER,
                      "Thrift connections closed on a bad or unfinished message");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_calls_refused_total", TG_METRIC_COUNTER,
                      "Thrift calls over a string limit or holding a NUL byte, answered with "
                      "an exception (connection kept), by reason");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_protocol_total", TG_METRIC_COUNTER,
                      "Thrift connections by protocol");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_calls_total", TG_METRIC_COUNTER,
                      "Thrift calls answered on an event loop (from the caches) or on a worker");
  tg_metrics_describe(metrics, "tollgate_hub_thrift_paused_total", TG_METRIC_COUNTER,
                      "Times a connection stopped reading at max_pipelined_calls unsent answers");
  tg_metrics_set(metrics, "tollgate_hub_thrift_connections", NULL, 0);
}

static gboolean start_loop(ThriftServer *s, Loop *loop, GError **error) {
  loop->server = s;
  loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  if (loop->epoll_fd < 0 || epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, s->stop_fd, &ev) < 0)
    return g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "epoll: %s",
                       g_strerror(errno)),
           FALSE;
  int rc = pthread_create(&loop->thread, NULL, loop_main, loop);
  if (rc != 0)
    return g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "loop thread: %s", g_strerror(rc)),
           FALSE;
  loop->running = TRUE;
  return TRUE;
}

static gboolean start_threads(ThriftServer *s, GError **error) {
  s->loops = g_new0(Loop, s->n_loops);
  for (int i = 0; i < s->n_loops; i++) s->loops[i].epoll_fd = -1;
  s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (s->stop_fd < 0)
    return g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "eventfd: %s",
                       g_strerror(errno)),
           FALSE;
  s->workers = g_thread_pool_new(gateway_worker_main, s, s->n_workers, FALSE, NULL);
  s->login_workers = g_thread_pool_new(login_worker_main, s, s->n_login_workers, FALSE, NULL);
  g_thread_pool_set_sort_function(s->login_workers, by_priority, NULL);
  s->held_thread = g_thread_new("hub-thrift-held", held_main, s);
  for (int i = 0; i < s->n_loops; i++)
    if (!start_loop(s, &s->loops[i], error)) return FALSE;
  int rc = pthread_create(&s->reaper, NULL, reaper_main, s);
  s->reaper_running = rc == 0;
  if (rc == 0 && (rc = pthread_create(&s->acceptor, NULL, accept_main, s)) == 0)
    s->acceptor_running = TRUE;
  if (rc != 0) g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "threads: %s", g_strerror(rc));
  return rc == 0;
}

ThriftServer *thrift_server_start(const HubConfig *cfg, SSL_CTX *tls, HubRpc *rpc,
                                  TgMetrics *metrics, GError **error) {
  int fd = listen_on(cfg->bind, cfg->thrift_port, error);
  if (fd < 0) return NULL;
  ThriftServer *s = g_new0(ThriftServer, 1);
  *s = (ThriftServer){.listen_fd = fd,
                      .port = cfg->thrift_port,
                      .tls = tls,
                      .rpc = rpc,
                      .metrics = metrics,
                      .max_connections = cfg->max_connections,
                      .max_per_peer = cfg->max_connections_per_peer,
                      .first_call_s = cfg->first_call_timeout_s,
                      .max_pipelined = (guint)cfg->max_pipelined_calls,
                      .n_workers = cfg->thrift_workers,
                      .n_login_workers = cfg->login_workers,
                      .n_loops = cfg->thrift_threads > 0 ? cfg->thrift_threads
                                                         : MAX((int)g_get_num_processors(), 1),
                      .idle_ms = cfg->idle_timeout_s * 1000,
                      .io_ms = cfg->io_timeout_s * 1000,
                      .max_frame = (guint32)MIN(cfg->max_message_size, G_MAXINT32),
                      .stop_fd = -1,
                      .limits = hub_rpc_scan_limits(cfg),
                      .conns = g_hash_table_new(NULL, NULL),
                      .peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                      .login_queue = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
  g_mutex_init(&s->lock);
  g_mutex_init(&s->held_lock);
  g_cond_init(&s->held_wake);
  g_queue_init(&s->held);
  g_cond_init(&s->changed);
  g_cond_init(&s->reaper_wake);
  describe_metrics(metrics);
  if (!start_threads(s, error)) {
    thrift_server_free(s);
    return NULL;
  }
  return s;
}

static void stop_accepting(ThriftServer *s) {
  g_atomic_int_set(&s->stopping, TRUE);
  if (s->reaper_running) {
    g_mutex_lock(&s->lock);
    g_cond_signal(&s->reaper_wake);
    g_mutex_unlock(&s->lock);
    pthread_join(s->reaper, NULL);
    s->reaper_running = FALSE;
  }
  if (s->acceptor_running) {
    shutdown(s->listen_fd, SHUT_RDWR); /* wakes accept(2) */
    pthread_join(s->acceptor, NULL);
    s->acceptor_running = FALSE;
  }
  if (s->listen_fd >= 0) close(s->listen_fd);
  s->listen_fd = -1;
}

/* Wakes the connections; with all = FALSE only those not inside a call. */
static void cut_locked(ThriftServer *s, gboolean all) {
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, s->conns);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    Conn *c = key;
    if (all || !g_atomic_int_get(&c->in_call)) cut(c);
  }
}

int thrift_server_drain(ThriftServer *s, int timeout_ms) {
  stop_accepting(s);
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
  g_mutex_lock(&s->lock);
  g_message("thrift port %d: draining %u connections", s->port, g_hash_table_size(s->conns));
  cut_locked(s, FALSE);
  while (s->open > 0 && g_cond_wait_until(&s->changed, &s->lock, deadline))
    ;
  int left = s->open;
  if (left > 0) {
    g_warning("thrift port %d: %d connections still busy after %d ms: cutting them", s->port, left,
              timeout_ms);
    cut_locked(s, TRUE);
    gint64 grace = g_get_monotonic_time() + G_USEC_PER_SEC;
    while (s->open > 0 && g_cond_wait_until(&s->changed, &s->lock, grace))
      ;
    left = s->open;
  }
  g_mutex_unlock(&s->lock);
  return left;
}

/* Loops first (nothing new is taken), then the workers (calls in flight end). */
static void stop_threads(ThriftServer *s) {
  guint64 one = 1;
  if (s->stop_fd >= 0 && write(s->stop_fd, &one, sizeof one) < 0)
    g_warning("thrift port %d: cannot wake the loops: %s", s->port, g_strerror(errno));
  for (int i = 0; i < s->n_loops; i++)
    if (s->loops[i].running) {
      pthread_join(s->loops[i].thread, NULL);
      s->loops[i].running = FALSE;
    }
  if (s->workers != NULL) g_thread_pool_free(s->workers, FALSE, TRUE);
  s->workers = NULL;
  if (s->login_workers != NULL) g_thread_pool_free(s->login_workers, FALSE, TRUE);
  s->login_workers = NULL;
  if (s->held_thread != NULL) {
    g_mutex_lock(&s->held_lock);
    s->held_stop = TRUE;
    g_cond_signal(&s->held_wake);
    g_mutex_unlock(&s->held_lock);
    g_thread_join(s->held_thread);
    s->held_thread = NULL;
  }
}

void thrift_server_free(ThriftServer *s) {
  if (s == NULL) return;
  if (s->acceptor_running || s->reaper_running || s->listen_fd >= 0) stop_accepting(s);
  stop_threads(s);
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, s->conns);
  while (g_hash_table_iter_next(&it, &key, NULL)) { /* no owner left: only after a failed drain */
    g_hash_table_iter_remove(&it);
    conn_release(key);
  }
  for (int i = 0; i < s->n_loops; i++)
    if (s->loops[i].epoll_fd >= 0) close(s->loops[i].epoll_fd);
  if (s->stop_fd >= 0) close(s->stop_fd);
  g_free(s->loops);
  g_hash_table_unref(s->conns);
  g_hash_table_unref(s->peers);
  g_hash_table_unref(s->login_queue);
  g_queue_clear(&s->held);
  g_mutex_clear(&s->held_lock);
  g_cond_clear(&s->held_wake);
  g_mutex_clear(&s->lock);
  g_cond_clear(&s->changed);
  g_cond_clear(&s->reaper_wake);
  g_free(s);
}

int thrift_server_connections(ThriftServer *s) {
  g_mutex_lock(&s->lock);
  int n = (int)g_hash_table_size(s->conns);
  g_mutex_unlock(&s->lock);
  return n;
}
