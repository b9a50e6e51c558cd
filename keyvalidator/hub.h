/*
 * hub.h: the seam between the hub's network side (net/) and its core. main.c parses the
 * configuration into a HubConfig (hub_config.c), builds the core with hub_core_new() and hands
 * its Thrift handler to the Thrift server and its OAuth2 entry points to the HTTPS server.
 * Trade-off: one narrow seam, so the network side reaches the database only through the core.
 * Design notes: docs/HACKING.md.
 */
#ifndef TOLLGATE_HUB_H
#define TOLLGATE_HUB_H

#include <glib.h>
#include <glib-object.h>

#include "tg_metrics.h"
#include "tg_wso2_types.h"

typedef struct HubConfig {
  /* [hub] */
  char *bind;
  int thrift_port; /* offset applied */
  int https_port;  /* offset applied */
  int port_offset;
  gboolean tls;
  char *tls_cert;
  char *tls_key;
  int max_connections;
  int thrift_threads; /* event-loop threads of the Thrift port (0: one per core) */
  int thrift_workers; /* most threads running calls that wait for the database */
  int idle_timeout_s;
  int io_timeout_s;
  gint64 max_message_size;
  int max_container_size;
  int max_string_size;
  int recursion_limit;
  gint64 max_http_body;
  char *session_secret_file;
  int session_ttl_s;
  int token_validity_s;
  int refresh_token_validity_s;
  int validation_cache_ttl_s;
  int validation_cache_size;
  int mgmt_write_rate;           /* management writes a second per user and hub; 0: no limit */
  int mgmt_write_burst;          /* writes a user may save up */
  int expired_token_retention_s; /* expired tokens are deleted this long after expiry */
  int token_prune_interval_s;    /* 0: never */
  int login_failure_delay_ms;
  int login_failure_delay_max_ms;
  int login_max_failures;             /* per user name, then locked for login_lockout_s */
  int login_max_failures_per_address; /* per client address, then locked */
  int login_lockout_s;
  int login_workers; /* threads for logins and management calls, per port */
  int max_connections_per_peer;
  int first_call_timeout_s; /* accept to the first whole call (TLS handshake included) */
  int max_pipelined_calls;  /* answered-but-unsent calls per connection */
  char *metrics_token;      /* Bearer for /metrics besides an admin session; NULL: none */
  char *log_level;
  /* [database] */
  char *db_host;
  int db_port;
  char *db_socket; /* NULL or "" when unset */
  char *db_user;
  char *db_password; /* read from password_file */
  char *db_apimgt;
  char *db_user_store; /* the userdb database name */
  char *db_reg;
  char *db_stat;
  int db_pool_size;
  int db_connect_timeout_s;
  char **db_hosts; /* [database] hosts: NULL-terminated, db_ports[i] each; */
  int *db_ports;   /* with hosts unset, the one node host:port */
  int db_read_timeout_s;
  int db_write_timeout_s;
  int db_check_interval_ms;   /* how often each node of a cluster is checked */
  int db_sync_wait;           /* wsrep_sync_wait of read connections on a cluster */
  int db_sync_wait_timeout_s; /* their read timeout: then the read goes to the writer */
} HubConfig;

typedef struct Hub Hub;

/* Builds the core. Fails only on configuration problems (for example an
   unreadable session secret); an unreachable database is retried later. */
Hub *hub_core_new(const HubConfig *cfg, TgMetrics *metrics, GError **error);
void hub_core_free(Hub *hub);

/* OAuth2 (RFC 6749 token endpoint, RFC 7009 revocation). authorization is the
   Authorization header or NULL; body is the x-www-form-urlencoded request body.
   Appends the JSON answer to out and returns the HTTP status. */
int hub_oauth_token(Hub *hub, const char *authorization, const char *body, gsize len, GString *out);
int hub_oauth_revoke(Hub *hub, const char *authorization, const char *body, gsize len,
                     GString *out);

/* GET /metrics on the HTTPS port: TRUE when authorization is "Bearer " and the configured
   metrics_token, or a live session of a user with role admin. */
gboolean hub_core_metrics_allowed(Hub *hub, const char *authorization);

/* TRUE when a database round trip succeeds now (GET /health). */
gboolean hub_core_db_ok(Hub *hub);

/* The Thrift port answers what it can on its event-loop threads, which must never wait
   for the database. Such a thread runs a call between hub_core_nowait_begin() and
   hub_core_nowait_end(); if the call needed the database, it was stopped on the way
   (db.h: hub_db_may_block), left no trace, and end returns TRUE: the caller drops its
   answer and runs it again on a thread that may wait. */
void hub_core_nowait_begin(void);
gboolean hub_core_nowait_end(void);

/* The network side brackets every call it runs with these, on the thread that runs it:
   begin names the client's address (NULL: unknown); end returns the ms the call's answer
   must be held back (a failed login), which the caller schedules: it never sleeps. */
void hub_call_begin(const char *address);
guint hub_call_end(void);

/* Failed logins from address not yet forgotten: the login pools serve the clients with
   fewer first, so a guesser's queued attempts do not hold up everyone else's login. */
guint hub_login_address_failures(Hub *hub, const char *address);

/* --ensure-user: creates name with roles (comma-separated) and password if missing. */
gboolean hub_core_ensure_user(Hub *hub, const char *name, const char *roles, const char *password,
                              GError **error);

/* Encodes a DTO for the wire (the binary protocol, by hub_rpc.c); NULL on failure. */
typedef GBytes *(*HubDtoEncoder)(TgAPIKeyValidationInfoDTO *dto, gpointer data);
/* validateKey answered from the validation cache alone, for hub_rpc's fast path: the DTO
   as encode encodes it, or NULL (nothing counted) when the full path must run: no cache, a
   cache miss, or a session the full path will refuse with its exception. An authorized
   answer depends on the cached facts only, so its encoding is kept with them and reused
   until the entry goes. Arguments other than client_domain are not NULL. */
GBytes *hub_validate_cached(Hub *hub, const char *context, const char *version, const char *token,
                            const char *session, const char *client_domain, const char *resource,
                            const char *verb, HubDtoEncoder encode, gpointer data);

#endif
