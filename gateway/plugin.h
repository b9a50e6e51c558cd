/*
 * plugin.h: the gateway's plugin ABI, the one public header of tollgate-gateway. A plugin is
 * a TgPlugin: a name, an ABI version and one optional callback per phase (access,
 * before_upstream, response_headers, log), built in or loaded from plugin_dir. Every callback
 * runs on the request's loop thread; a plugin that waits returns TG_PLUGIN_AGAIN and resumes
 * with tg_request_resume(). Phases and threading: docs/HACKING.md.
 */
#ifndef TOLLGATE_GATEWAY_PLUGIN_H
#define TOLLGATE_GATEWAY_PLUGIN_H

#include <glib.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TG_PLUGIN_ABI_VERSION 1

typedef enum {
  TG_PLUGIN_CONTINUE = 0, /* go on with the next plugin / phase */
  TG_PLUGIN_DONE = 1,     /* the plugin answered the request (tg_request_fault/respond) */
  TG_PLUGIN_AGAIN = 2,    /* paused: call tg_request_resume() when ready */
} TgPluginStatus;

typedef struct TgRequest TgRequest;       /* one API request in the gateway; opaque */
typedef struct TgPluginHost TgPluginHost; /* the gateway, for init(); opaque */
typedef struct TgConfig TgConfig;         /* common/tg_config.h */

/* The route the gateway matched for this request (valid for the request's life). */
typedef struct TgRoute {
  const char *api_name;
  const char *context; /* "/pizza" */
  const char *version; /* "1.0.0" */
  const char *provider;
  const char *api_tier;
  const char *uri_template;    /* the matched resource template, "/menu/{id}" */
  const char *resource_path;   /* the request path after /context/version, "/menu/7" */
  const char *verb;            /* "GET" */
  const char *auth_type;       /* Any | Application | Application_User | None */
  const char *throttling_tier; /* resource tier */
  const char *scope;           /* required scope or "" */
  const char *hard_limit;      /* the API's backend protection, "N/second" | "N/minute" | "" */
} TgRoute;

/* Who is calling, filled by key_auth after a successful validation. */
typedef struct TgAuthInfo {
  gboolean authenticated;
  const char *key_type; /* PRODUCTION | SANDBOX */
  const char *subscriber;
  const char *application_id;
  const char *application_name;
  const char *application_tier;
  const char *subscription_tier;
  const char *consumer_key;
  const char *end_user;   /* may be NULL */
  const char *token_hash; /* hex SHA-256 of the access token */
} TgAuthInfo;

typedef struct TgPlugin {
  int abi_version; /* TG_PLUGIN_ABI_VERSION */
  const char *name;
  /* Once at start-up; group is this plugin's configuration group ("plugin.NAME").
     Returns the plugin state passed to every callback (NULL is allowed). */
  void *(*init)(TgPluginHost *host, TgConfig *cfg, const char *group, GError **error);
  void (*destroy)(void *state);
  TgPluginStatus (*access)(void *state, TgRequest *req);
  TgPluginStatus (*before_upstream)(void *state, TgRequest *req);
  void (*response_headers)(void *state, TgRequest *req);
  void (*log)(void *state, TgRequest *req);
} TgPlugin;

/* --- request accessors, exported by the gateway for plugins --- */

const char *tg_request_method(TgRequest *req);
const char *tg_request_path(TgRequest *req);  /* full path, no query */
const char *tg_request_query(TgRequest *req); /* raw query or "" */
const char *tg_request_client_ip(TgRequest *req);
const char *tg_request_id(TgRequest *req); /* the X-Request-ID sent upstream */
const char *tg_request_header(TgRequest *req, const char *name); /* NULL if absent */
const TgRoute *tg_request_route(TgRequest *req);                 /* NULL before routing */

/* Headers of the request as it will be sent upstream. */
void tg_request_set_header(TgRequest *req, const char *name, const char *value);
void tg_request_remove_header(TgRequest *req, const char *name);

/* Response headers (in response_headers, or before answering in access). */
void tg_request_set_response_header(TgRequest *req, const char *name, const char *value);
void tg_request_remove_response_header(TgRequest *req, const char *name);
/* n (at most 16) response headers added without copies (one allocation each, not three): names
   and values (no CR or LF) must stay valid until the request ends (the plugin's request
   context). Headers of those names from the backend are dropped; the gateway's own and
   other plugins' are not looked for: for names only this plugin sets. */
void tg_request_add_response_headers_ref(TgRequest *req, const char *const *names,
                                         const char *const *values, guint n);
/* The same with the lengths known (no strlen), for n headers: a backend header is compared
   with the names only when its first letter is one of theirs. */
void tg_request_add_response_headers_len(TgRequest *req, const char *const *names,
                                         const guint32 *name_lens, const char *const *values,
                                         const guint32 *value_lens, guint n);
int tg_request_response_status(TgRequest *req); /* 0 until known */
guint64 tg_request_bytes_in(TgRequest *req);
guint64 tg_request_bytes_out(TgRequest *req);
double tg_request_latency_ms(TgRequest *req); /* upstream latency, in log */
/* A throttling plugin let the request through over a quota (a tier that does not stop on
   quota): the usage plugin counts it in UsageRecord.overQuotaCount. */
void tg_request_set_over_quota(TgRequest *req);
gboolean tg_request_over_quota(TgRequest *req);

/* Answer the request now with a WSO2 JSON fault for code (tg_status.h); the
   HTTP status comes from the code. description NULL: the table's default.
   The plugin then returns TG_PLUGIN_DONE. */
void tg_request_fault(TgRequest *req, int code, const char *description);
/* Answer with an arbitrary body (copied). */
void tg_request_respond(TgRequest *req, int http_status, const char *content_type, const char *body,
                        size_t len);

/* Auth info: key_auth sets it (strings copied); later plugins read it. */
void tg_request_set_auth(TgRequest *req, const TgAuthInfo *auth);
const TgAuthInfo *tg_request_auth(TgRequest *req); /* never NULL; authenticated FALSE if none */

/* One context pointer per plugin per request; destroy is called when the request ends. */
void *tg_request_plugin_ctx(TgRequest *req, const TgPlugin *plugin);
void tg_request_set_plugin_ctx(TgRequest *req, const TgPlugin *plugin, void *ctx,
                               GDestroyNotify destroy);

/* Resume a request a plugin paused with TG_PLUGIN_AGAIN. Safe from any thread. */
void tg_request_resume(TgRequest *req);

/* The gateway's id (from configuration), for plugins that report. */
const char *tg_plugin_host_gateway_id(TgPluginHost *host);

#ifdef __cplusplus
}
#endif

#endif
