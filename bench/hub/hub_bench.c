/*
 * hub_bench: a load client for the hub's validateKey over the Thrift port: N persistent
 * connections, one call (or --pipeline K calls) in flight each, for a fixed time; "cached"
 * mode repeats one (token, resource), "uncached" misses the cache every call. Prints calls/s
 * and p50/p99. Trade-off: epoll loops on few threads, so the client leaves the cores to the
 * hub it measures. A benchmark, not a test. Design notes: docs/HACKING.md.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>
#include <openssl/err.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_memory_buffer.h>

#include "tg_hub_client.h"
#include "tg_socket_transport.h"
#include "tg_thrift_scan.h"
#include "tg_tls.h"

#define SETUP_TIMEOUT_MS 5000 /* connect, TLS handshake and login */
#define READ_CHUNK       16384
#define MAX_EVENTS       64
#define POLL_MS          100 /* how soon a loop notices the end */
#define MAX_PIPELINE     64

G_DEFINE_QUARK(tg - hub - bench - error - quark, bench_error)

static const TgThriftScanLimits reply_limits = {
    .max_message = 16u << 20, .max_string = 16u << 20, .max_container = 1u << 20, .max_depth = 64};

typedef struct BenchOptions {
  char *hub;
  char *ca;
  char *user;
  char *password;
  char *token;
  char *context;
  char *version;
  char *resource;
  char *mode;
  int connections;
  int threads;
  int pipeline;
  int seconds;
  gboolean plaintext;
} BenchOptions;

typedef struct Connection {
  int index;
  int fd;          /* -1: never opened, or dropped */
  SSL *ssl;        /* NULL with --plaintext */
  GByteArray *in;  /* received, not yet consumed */
  GByteArray *out; /* the call being written */
  guint out_pos;
  guint32 events;               /* epoll interest */
  gboolean wants_write;         /* the last SSL or socket operation waits for writability */
  guint in_flight;              /* calls sent, not yet answered */
  guint oldest;                 /* sent_at index of the oldest of them */
  gint64 sent_at[MAX_PIPELINE]; /* monotonic µs, a ring */
  guint64 sent;                 /* numbers the uncached resources */
  guint64 calls;
  guint64 failures;
  char *error;   /* the first failed call's reason */
  char *dropped; /* why the connection was given up */
} Connection;

/* One event-loop thread, with its own c_glib client over memory transports. */
typedef struct Loop {
  const BenchOptions *opts;
  const char *session;
  gboolean uncached;
  int epfd;
  GPtrArray *conns; /* Connection *, borrowed */
  int live;
  GByteArray *wire_out; /* what the generated client writes */
  GByteArray *wire_in;  /* what it reads */
  ThriftProtocol *out_protocol;
  ThriftProtocol *in_protocol;
  TgAPIKeyValidationServiceClient *client;
  TgAPIKeyValidationServiceIf *iface;
  GArray *latencies_us; /* guint32 */
  GThread *thread;
  GBytes *same_call;  /* cached mode: the call, seqid aside */
  GBytes *same_reply; /* cached mode: the first authorized reply, seqid zeroed */
} Loop;

static gint bench_running = 1;

static gboolean still_running(void) { return g_atomic_int_get(&bench_running); }

/* ---- set-up: TCP, TLS ---- */

static void connection_close(Connection *c) {
  if (c->ssl) {
    SSL_shutdown(c->ssl); /* best effort close_notify, never waits */
    ERR_clear_error();
    g_clear_pointer(&c->ssl, SSL_free);
  }
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
}

static gboolean connection_open(Connection *c, const char *host, int port, SSL_CTX *tls,
                                GError **error) {
  c->fd = tg_socket_connect(host, port, tls, SETUP_TIMEOUT_MS, &c->ssl, error);
  if (c->fd < 0) return FALSE;
  if (c->ssl)
    SSL_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!g_unix_set_fd_nonblocking(c->fd, TRUE, error)) {
    connection_close(c);
    return FALSE;
  }
  return TRUE;
}

/* ---- non-blocking I/O ---- */

/* SSL_read/SSL_write's outcome: bytes; 0 when it must wait (for writability if
   c->wants_write, else readability); -1 when the connection is gone (*why). */
static int tls_outcome(Connection *c, int n, char **why) {
  if (n > 0) return n;
  int saved = errno;
  switch (SSL_get_error(c->ssl, n)) {
  case SSL_ERROR_WANT_READ:
    return 0;
  case SSL_ERROR_WANT_WRITE:
    c->wants_write = TRUE;
    return 0;
  case SSL_ERROR_ZERO_RETURN:
    *why = g_strdup("closed by the hub");
    return -1;
  case SSL_ERROR_SYSCALL:
    ERR_clear_error();
    *why = g_strdup(saved ? g_strerror(saved) : "closed by the hub");
    return -1;
  case SSL_ERROR_SSL:
    if (ERR_GET_REASON(ERR_peek_error()) != SSL_R_UNEXPECTED_EOF_WHILE_READING) break;
    ERR_clear_error();
    *why = g_strdup("closed by the hub (no close_notify)");
    return -1;
  }
  *why = tg_tls_error_string();
  return -1;
}

/* The same for recv/send. */
static int plain_outcome(Connection *c, gssize n, gboolean writing, char **why) {
  if (n > 0) return (int)n;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    c->wants_write = writing;
    return 0;
  }
  *why = g_strdup(n == 0 ? "closed by the hub" : g_strerror(errno));
  return -1;
}

static int conn_read(Connection *c, guint8 *buf, int len, char **why) {
  errno = 0;
  if (c->ssl) return tls_outcome(c, SSL_read(c->ssl, buf, len), why);
  return plain_outcome(c, recv(c->fd, buf, len, 0), FALSE, why);
}

static int conn_write(Connection *c, const guint8 *buf, int len, char **why) {
  errno = 0;
  if (c->ssl) return tls_outcome(c, SSL_write(c->ssl, buf, len), why);
  return plain_outcome(c, send(c->fd, buf, len, MSG_NOSIGNAL), TRUE, why);
}

/* Decrypted or read-ahead bytes that OpenSSL holds and epoll cannot see. */
static gboolean conn_has_buffered(Connection *c) { return c->ssl && SSL_has_pending(c->ssl); }

/* ---- calls ---- */

static void keep_error(Connection *c, const char *why) {
  if (!c->error) c->error = g_strdup(why);
}

/* Gives the connection up; the call in flight, if any, failed. */
static void connection_drop(Loop *l, Connection *c, const char *why) {
  if (c->fd < 0) return;
  if (still_running()) c->failures += c->in_flight;
  c->in_flight = 0;
  if (!c->dropped) c->dropped = g_strdup(why);
  epoll_ctl(l->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  connection_close(c);
  l->live--;
}

static void update_interest(Loop *l, Connection *c) {
  guint32 want = EPOLLIN | (c->wants_write ? EPOLLOUT : 0);
  if (c->fd < 0 || want == c->events) return;
  struct epoll_event ev = {.events = want, .data.ptr = c};
  epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->fd, &ev);
  c->events = want;
}

/* Writes what it can of c->out. FALSE when the connection was dropped. */
static gboolean flush_output(Loop *l, Connection *c) {
  while (c->out_pos < c->out->len) {
    g_autofree char *why = NULL;
    int n = conn_write(c, c->out->data + c->out_pos, (int)(c->out->len - c->out_pos), &why);
    if (n < 0) {
      connection_drop(l, c, why);
      return FALSE;
    }
    if (n == 0) return TRUE;
    c->out_pos += (guint)n;
  }
  g_byte_array_set_size(c->out, 0);
  c->out_pos = 0;
  return TRUE;
}

static const char *call_resource(Loop *l, Connection *c, char *buf, gsize size) {
  if (!l->uncached) return l->opts->resource;
  g_snprintf(buf, size, "/items/%d-%" G_GUINT64_FORMAT, c->index, c->sent);
  return buf;
}

/* A strict binary message's sequence id follows the version word and the method name. */
static gsize seqid_offset(const guint8 *msg, gsize length) {
  if (length < 8) return 0;
  gsize name = (gsize)msg[4] << 24 | (gsize)msg[5] << 16 | (gsize)msg[6] << 8 | msg[7];
  return 8 + name + 4 <= length ? 8 + name : 0;
}

static void set_seqid(guint8 *msg, gsize length, guint32 seqid) {
  gsize at = seqid_offset(msg, length);
  if (at == 0) return;
  guint8 be[4] = {seqid >> 24, seqid >> 16, seqid >> 8, seqid};
  memcpy(msg + at, be, 4);
}

/* Serialises the next validateKey with the generated client behind what c has to write
   (cached mode: once, then copied with a new seqid). */
static gboolean queue_call(Loop *l, Connection *c) {
  const BenchOptions *o = l->opts;
  if (l->same_call) {
    gsize len = 0;
    const guint8 *call = g_bytes_get_data(l->same_call, &len);
    guint at = c->out->len;
    g_byte_array_append(c->out, call, (guint)len);
    set_seqid(c->out->data + at, len, (guint32)c->sent);
  } else {
    char buf[64];
    const char *resource = call_resource(l, c, buf, sizeof buf);
    g_autoptr(GError) error = NULL;
    g_byte_array_set_size(l->wire_out, 0);
    if (!tg_a_p_i_key_validation_service_client_send_validate_key(l->iface, o->context, o->version,
                                                                  o->token, l->session, "Any", "",
                                                                  resource, "GET", &error)) {
      connection_drop(l, c, error->message);
      return FALSE;
    }
    g_byte_array_append(c->out, l->wire_out->data, l->wire_out->len);
    if (!l->uncached) l->same_call = g_bytes_new(l->wire_out->data, l->wire_out->len);
  }
  c->sent_at[(c->oldest + c->in_flight) % MAX_PIPELINE] = g_get_monotonic_time();
  c->sent++;
  c->in_flight++;
  return TRUE;
}

/* Tops c up to the pipeline depth and starts writing. */
static gboolean send_calls(Loop *l, Connection *c) {
  while (c->in_flight < (guint)l->opts->pipeline && still_running())
    if (!queue_call(l, c)) return FALSE;
  return flush_output(l, c);
}

/* Cached mode: is msg the known authorized reply, seqid aside? */
static gboolean same_reply(Loop *l, const guint8 *msg, gsize length) {
  gsize known_len = 0;
  const guint8 *known = l->same_reply ? g_bytes_get_data(l->same_reply, &known_len) : NULL;
  gsize at = seqid_offset(msg, length);
  return known != NULL && known_len == length && at > 0 && memcmp(known, msg, at) == 0 &&
         memcmp(known + at + 4, msg + at + 4, length - at - 4) == 0;
}

/* Decodes one whole reply with the generated client: was the key authorized? */
static gboolean decode_reply(Loop *l, Connection *c, const guint8 *msg, gsize length) {
  if (same_reply(l, msg, length)) return TRUE;
  g_byte_array_set_size(l->wire_in, 0);
  g_byte_array_append(l->wire_in, msg, (guint)length);
  /* c_glib's client fills a result object the caller allocates */
  TgAPIKeyValidationInfoDTO *dto = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_INFO_D_T_O, NULL);
  TgAPIKeyMgtException *keymgt = NULL;
  TgAPIManagementException *apimgt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = tg_a_p_i_key_validation_service_client_recv_validate_key(l->iface, &dto, &keymgt,
                                                                         &apimgt, &error);
  gboolean authorized = ok && dto && dto->authorized;
  if (authorized && !l->uncached && l->same_reply == NULL) {
    GByteArray *known = g_byte_array_new();
    g_byte_array_append(known, msg, (guint)length);
    set_seqid(known->data, known->len, 0);
    l->same_reply = g_byte_array_free_to_bytes(known);
  }
  if (!authorized) {
    keep_error(c, error    ? error->message
                  : keymgt ? "APIKeyMgtException"
                  : apimgt ? "APIManagementException"
                           : "not authorized");
  }
  g_clear_object(&dto);
  g_clear_object(&keymgt);
  g_clear_object(&apimgt);
  return authorized;
}

/* A reply of length bytes is at the head of c->in: count it (unless time is up). */
static void finish_call(Loop *l, Connection *c, gsize length) {
  gint64 sent_at = c->sent_at[c->oldest];
  c->oldest = (c->oldest + 1) % MAX_PIPELINE;
  c->in_flight--;
  if (!still_running()) return;
  gboolean authorized = decode_reply(l, c, c->in->data, length);
  guint32 us = (guint32)(g_get_monotonic_time() - sent_at);
  g_array_append_val(l->latencies_us, us);
  if (authorized)
    c->calls++;
  else
    c->failures++;
}

/* Handles every whole reply in c->in, then sends as many new calls in one write. */
static gboolean take_replies(Loop *l, Connection *c) {
  while (c->fd >= 0 && c->in->len > 0) {
    TgThriftScan scan;
    TgThriftScanResult r =
        tg_thrift_scan(TG_THRIFT_WIRE_BINARY, c->in->data, c->in->len, &reply_limits, &scan);
    if (r == TG_THRIFT_SCAN_NEED_MORE) return TRUE;
    if (r == TG_THRIFT_SCAN_INVALID) {
      g_autofree char *why = g_strdup_printf("invalid reply: %s", scan.error);
      connection_drop(l, c, why);
      return FALSE;
    }
    if (c->in_flight == 0) {
      connection_drop(l, c, "a reply without a call");
      return FALSE;
    }
    finish_call(l, c, scan.length);
    g_byte_array_remove_range(c->in, 0, (guint)scan.length);
  }
  return c->fd >= 0 && send_calls(l, c);
}

/*
 * Appends what can be read to c->in. FALSE when the connection is gone (*why).
 * Stops after a short read once OpenSSL holds nothing more: epoll is
 * level-triggered, so bytes still in the socket are reported again, and the
 * read() that would only say EAGAIN is saved.
 */
static gboolean read_input(Connection *c, char **why) {
  for (;;) {
    guint had = c->in->len;
    g_byte_array_set_size(c->in, had + READ_CHUNK);
    int n = conn_read(c, c->in->data + had, READ_CHUNK, why);
    g_byte_array_set_size(c->in, had + (guint)MAX(n, 0));
    if (n <= 0) return n == 0;
    if (n < READ_CHUNK && !conn_has_buffered(c)) return TRUE;
  }
}

static void on_ready(Loop *l, Connection *c) {
  c->wants_write = FALSE;
  if (!flush_output(l, c)) return;
  g_autofree char *why = NULL;
  gboolean open = read_input(c, &why);
  if (!take_replies(l, c)) return;
  if (!open) {
    connection_drop(l, c, why);
    return;
  }
  update_interest(l, c);
}

static gpointer loop_run(gpointer data) {
  Loop *l = data;
  for (guint i = 0; i < l->conns->len; i++) {
    Connection *c = g_ptr_array_index(l->conns, i);
    if (send_calls(l, c)) update_interest(l, c);
  }
  struct epoll_event events[MAX_EVENTS];
  while (still_running() && l->live > 0) {
    int n = epoll_wait(l->epfd, events, MAX_EVENTS, POLL_MS);
    if (n < 0 && errno != EINTR) {
      fprintf(stderr, "epoll_wait: %s\n", g_strerror(errno));
      break;
    }
    for (int i = 0; i < n; i++) {
      Connection *c = events[i].data.ptr;
      if (c->fd >= 0) on_ready(l, c);
    }
  }
  return NULL;
}

/* ---- loops ---- */

/* A binary protocol (strict) over a memory transport holding bytes (not owned). */
static ThriftProtocol *memory_protocol_new(GByteArray *bytes) {
  ThriftTransport *transport =
      g_object_new(THRIFT_TYPE_MEMORY_BUFFER, "buf", bytes, "owner", FALSE, NULL);
  ThriftProtocol *protocol =
      g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", transport, NULL);
  g_object_unref(transport);
  return protocol;
}

static Loop *loop_new(const BenchOptions *o, const char *session, GError **error) {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) {
    g_set_error(error, bench_error_quark(), 0, "epoll_create1: %s", g_strerror(errno));
    return NULL;
  }
  Loop *l = g_new0(Loop, 1);
  l->opts = o;
  l->session = session;
  l->uncached = !strcmp(o->mode, "uncached");
  l->epfd = epfd;
  l->conns = g_ptr_array_new();
  l->wire_out = g_byte_array_new();
  l->wire_in = g_byte_array_new();
  l->out_protocol = memory_protocol_new(l->wire_out);
  l->in_protocol = memory_protocol_new(l->wire_in);
  l->client = g_object_new(TG_TYPE_A_P_I_KEY_VALIDATION_SERVICE_CLIENT, "input_protocol",
                           l->in_protocol, "output_protocol", l->out_protocol, NULL);
  l->iface = TG_A_P_I_KEY_VALIDATION_SERVICE_IF(l->client);
  l->latencies_us = g_array_new(FALSE, FALSE, sizeof(guint32));
  return l;
}

static void loop_free(Loop *l) {
  g_clear_pointer(&l->same_call, g_bytes_unref);
  g_clear_pointer(&l->same_reply, g_bytes_unref);
  g_object_unref(l->client); /* does not own its protocols */
  g_object_unref(l->in_protocol);
  g_object_unref(l->out_protocol);
  g_byte_array_unref(l->wire_in);
  g_byte_array_unref(l->wire_out);
  g_ptr_array_free(l->conns, TRUE);
  g_array_free(l->latencies_us, TRUE);
  close(l->epfd);
  g_free(l);
}

static void loop_add(Loop *l, Connection *c) {
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
    c->error = g_strdup_printf("epoll_ctl: %s", g_strerror(errno));
    connection_close(c);
    return;
  }
  c->events = EPOLLIN;
  g_ptr_array_add(l->conns, c);
  l->live++;
}

/* Opens every connection and hands it to loop index % threads; failures stay in c->error. */
static Connection *open_connections(const BenchOptions *o, const char *host, int port, SSL_CTX *tls,
                                    Loop **loops) {
  Connection *conns = g_new0(Connection, o->connections);
  for (int i = 0; i < o->connections; i++) {
    Connection *c = &conns[i];
    *c = (Connection){.index = i, .fd = -1, .in = g_byte_array_new(), .out = g_byte_array_new()};
    GError *error = NULL;
    if (connection_open(c, host, port, tls, &error)) {
      loop_add(loops[i % o->threads], c);
    } else {
      c->error = g_strdup(error->message);
      g_error_free(error);
    }
  }
  return conns;
}

static void free_connections(Connection *conns, int n) {
  for (int i = 0; i < n; i++) {
    connection_close(&conns[i]);
    g_byte_array_unref(conns[i].in);
    g_byte_array_unref(conns[i].out);
    g_free(conns[i].error);
    g_free(conns[i].dropped);
  }
  g_free(conns);
}

/* ---- report ---- */

static gint compare_u32(gconstpointer a, gconstpointer b) {
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static double percentile_ms(GArray *all, double p) {
  if (all->len == 0) return 0;
  guint idx = (guint)(p * (all->len - 1));
  return g_array_index(all, guint32, idx) / 1000.0;
}

static void report(const BenchOptions *o, Connection *conns, Loop **loops, double elapsed) {
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(guint32));
  guint64 calls = 0, failures = 0;
  for (int t = 0; t < o->threads; t++)
    g_array_append_vals(all, loops[t]->latencies_us->data, loops[t]->latencies_us->len);
  for (int i = 0; i < o->connections; i++) {
    calls += conns[i].calls;
    failures += conns[i].failures;
    if (conns[i].error) fprintf(stderr, "connection %d: %s\n", i, conns[i].error);
    if (conns[i].dropped) fprintf(stderr, "connection %d dropped: %s\n", i, conns[i].dropped);
  }
  g_array_sort(all, compare_u32);
  printf("mode=%s connections=%d pipeline=%d seconds=%.1f calls=%" G_GUINT64_FORMAT
         " failures=%" G_GUINT64_FORMAT " calls_per_s=%.0f p50_ms=%.3f p99_ms=%.3f\n",
         o->mode, o->connections, o->pipeline, elapsed, calls, failures, calls / elapsed,
         percentile_ms(all, 0.50), percentile_ms(all, 0.99));
}

/* ---- main ---- */

static void bench_options_clear(BenchOptions *o) {
  g_free(o->hub);
  g_free(o->ca);
  g_free(o->user);
  if (o->password) memset(o->password, 0, strlen(o->password));
  g_free(o->password);
  g_free(o->token);
  g_free(o->context);
  g_free(o->version);
  g_free(o->resource);
  g_free(o->mode);
}

static gboolean parse_options(BenchOptions *o, int *argc, char ***argv) {
  GOptionEntry entries[] = {
      {"hub", 0, 0, G_OPTION_ARG_STRING, &o->hub, "hub HOST:PORT", NULL},
      {"ca", 0, 0, G_OPTION_ARG_FILENAME, &o->ca, "CA file", NULL},
      {"plaintext", 0, 0, G_OPTION_ARG_NONE, &o->plaintext, "no TLS", NULL},
      {"user", 0, 0, G_OPTION_ARG_STRING, &o->user, "user (role admin or gateway)", NULL},
      {"password", 0, 0, G_OPTION_ARG_STRING, &o->password, "password", NULL},
      {"token", 0, 0, G_OPTION_ARG_STRING, &o->token, "access token", NULL},
      {"context", 0, 0, G_OPTION_ARG_STRING, &o->context, "API context", NULL},
      {"version", 0, 0, G_OPTION_ARG_STRING, &o->version, "API version", NULL},
      {"resource", 0, 0, G_OPTION_ARG_STRING, &o->resource, "resource (cached mode)", NULL},
      {"mode", 0, 0, G_OPTION_ARG_STRING, &o->mode, "cached | uncached", NULL},
      {"connections", 'c', 0, G_OPTION_ARG_INT, &o->connections, "connections", NULL},
      {"threads", 't', 0, G_OPTION_ARG_INT, &o->threads, "event-loop threads (default 1)", NULL},
      {"pipeline", 'p', 0, G_OPTION_ARG_INT, &o->pipeline,
       "calls in flight per connection (default 1, at most 64)", NULL},
      {"seconds", 's', 0, G_OPTION_ARG_INT, &o->seconds, "duration", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- validateKey load client");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &error) || !o->hub || !o->token || !o->context ||
      !o->version || !o->user || !o->password || o->connections < 1 || o->threads < 1 ||
      o->pipeline < 1 || o->pipeline > MAX_PIPELINE || o->seconds < 1) {
    fprintf(stderr, "%s\nneeds --hub --user --password --token --context --version\n",
            error ? error->message : "bad arguments");
    return FALSE;
  }
  if (!o->mode) o->mode = g_strdup("cached");
  if (!o->resource) o->resource = g_strdup("/items/1");
  o->threads = MIN(o->threads, o->connections);
  return TRUE;
}

/* Runs the loops for o->seconds; returns the measured time in seconds. */
static double run_loops(const BenchOptions *o, Loop **loops) {
  gint64 start = g_get_monotonic_time();
  for (int t = 0; t < o->threads; t++)
    loops[t]->thread = g_thread_new("bench-loop", loop_run, loops[t]);
  g_usleep((gulong)o->seconds * G_USEC_PER_SEC);
  double elapsed = (g_get_monotonic_time() - start) / 1e6;
  g_atomic_int_set(&bench_running, 0);
  for (int t = 0; t < o->threads; t++) g_thread_join(loops[t]->thread);
  return elapsed;
}

/* Logs in once, opens the connections, runs, reports. */
static int bench(const BenchOptions *o, SSL_CTX *tls) {
  g_autofree char *host = NULL;
  int port = 0;
  g_autoptr(GError) error = NULL;
  if (!tg_parse_host_port(o->hub, 10397, &host, &port, &error)) {
    fprintf(stderr, "%s\n", error->message);
    return 2;
  }
  TgHubClientOptions copts = {.host = host,
                              .port = port,
                              .tls = tls != NULL,
                              .tls_ctx = tls,
                              .timeout_ms = SETUP_TIMEOUT_MS,
                              .user = o->user,
                              .password = o->password};
  g_autoptr(TgHubClient) login = tg_hub_client_connect(&copts, &error);
  if (!login) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }
  Loop **loops = g_new0(Loop *, o->threads);
  int rc = 0;
  for (int t = 0; t < o->threads && rc == 0; t++) {
    if (!(loops[t] = loop_new(o, tg_hub_client_session(login), &error))) {
      fprintf(stderr, "%s\n", error->message);
      rc = 1;
    }
  }
  if (rc == 0) {
    Connection *conns = open_connections(o, host, port, tls, loops);
    report(o, conns, loops, run_loops(o, loops));
    free_connections(conns, o->connections);
  }
  for (int t = 0; t < o->threads; t++)
    if (loops[t]) loop_free(loops[t]);
  g_free(loops);
  return rc;
}

int main(int argc, char **argv) {
  BenchOptions o = {.connections = 16, .threads = 1, .pipeline = 1, .seconds = 10};
  if (!parse_options(&o, &argc, &argv)) {
    bench_options_clear(&o);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  GError *error = NULL;
  SSL_CTX *tls = NULL;
  int rc = 1;
  if (!o.plaintext && !(tls = tg_tls_client_ctx_new(o.ca, o.ca != NULL, &error))) {
    fprintf(stderr, "%s\n", error->message);
    g_error_free(error);
  } else {
    rc = bench(&o, tls);
  }
  if (tls) SSL_CTX_free(tls);
  bench_options_clear(&o);
  return rc;
}
