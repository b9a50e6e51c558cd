/*
 * connection: tollgatectl's one logged-in hub connection, made on first use through
 * common/tg_hub_client, and the translation of failed calls into messages and exit status 1.
 * --hub may list several hubs, tried in order (client-side failover, no load balancer).
 * Details: docs/HACKING.md.
 */
#include <errno.h>
#include <string.h>

#include <thrift/c_glib/protocol/thrift_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_transport.h>

#include "ctl.h"
#include "output.h"
#include "password.h"
#include "tg_tls.h"

#define CTL_DEFAULT_TIMEOUT_MS 10000
#define CTL_MAX_SECRET_FILE    1024

/* Code reported with --json when the hub gave none. */
enum { CODE_UNREACHABLE = 503, CODE_HUB_FAILURE = 500, CODE_LOGIN = 401, CODE_TOO_LARGE = 400 };

/* $TOLLGATE_VAR/NAME, else var/NAME, when the file exists (newly allocated), else NULL. */
static char *find_var_file(const char *name) {
  const char *var = g_getenv("TOLLGATE_VAR");
  g_autofree char *in_env = var && *var ? g_build_filename(var, name, NULL) : NULL;
  if (in_env && g_file_test(in_env, G_FILE_TEST_IS_REGULAR)) return g_steal_pointer(&in_env);
  g_autofree char *local = g_build_filename("var", name, NULL);
  if (g_file_test(local, G_FILE_TEST_IS_REGULAR)) return g_steal_pointer(&local);
  return NULL;
}

/* The password of var/admin.password, or NULL. */
static const char *admin_file_password(Ctl *ctl) {
  g_autofree char *path = find_var_file("admin.password");
  gsize len = 0;
  if (!path || !g_file_get_contents(path, &ctl->password_buf, &len, NULL)) return NULL;
  if (len > CTL_MAX_SECRET_FILE || strlen(ctl->password_buf) != len) {
    g_clear_pointer(&ctl->password_buf, g_free);
    return NULL;
  }
  g_strchomp(ctl->password_buf);
  return ctl->password_buf;
}

/* The password: --password - (standard input) or P (warned), $TOLLGATE_PASSWORD,
   var/admin.password for admin, else asked on the terminal. NULL with *error. */
static const char *resolve_password(Ctl *ctl, GError **error) {
  if (ctl->password && ctl->password != ctl->env_password)
    return ctl->password_buf = ctl_password_read(ctl->password, "", error);
  if (ctl->password) return ctl->password;
  if (strcmp(ctl->user, "admin") == 0 && admin_file_password(ctl)) return ctl->password_buf;
  g_autofree char *prompt = g_strdup_printf("Password for %s: ", ctl->user);
  return ctl->password_buf = ctl_password_read(NULL, prompt, error);
}

static SSL_CTX *make_tls_ctx(Ctl *ctl, GError **error) {
  if (ctl->insecure) return tg_tls_client_ctx_new(NULL, FALSE, error);
  g_autofree char *found = ctl->ca_file && *ctl->ca_file ? NULL : find_var_file("tls/ca.crt");
  const char *ca = found ? found : ctl->ca_file;
  return tg_tls_client_ctx_new(ca && *ca ? ca : NULL, TRUE, error);
}

static int timeout_ms(Ctl *ctl) {
  gint64 seconds = 0;
  if (ctl->timeout && ctl_parse_int64(ctl->timeout, "--timeout", 1, 3600, &seconds, NULL))
    return (int)seconds * 1000;
  return CTL_DEFAULT_TIMEOUT_MS;
}

static gboolean is_transport_error(const GError *error) {
  return error->domain == THRIFT_TRANSPORT_ERROR || error->domain == THRIFT_PROTOCOL_ERROR ||
         error->domain == TG_TLS_ERROR || error->domain == G_FILE_ERROR;
}

/* Connects to one "host:port"; on failure appends why to failures. */
static TgHubClient *connect_one(Ctl *ctl, const char *hub, const char *password, GString *failures,
                                gboolean *login_failed) {
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  TgHubClientOptions opts = {0};
  if (!tg_parse_host_port(hub, CTL_DEFAULT_PORT, &host, &opts.port, &error)) {
    g_string_append_printf(failures, "%s%s: %s", failures->len ? "; " : "", hub, error->message);
    return NULL;
  }
  opts.host = host;
  opts.tls = !ctl->plaintext;
  opts.tls_ctx = ctl->tls_ctx;
  opts.timeout_ms = timeout_ms(ctl);
  opts.user = ctl->user;
  opts.password = password;
  TgHubClient *client = tg_hub_client_connect(&opts, &error);
  if (!client) {
    *login_failed = *login_failed || !is_transport_error(error);
    g_string_append_printf(failures, "%s%s: %s", failures->len ? "; " : "", hub, error->message);
  }
  return client;
}

static TgTollgateIf *connect_hubs(Ctl *ctl, const char *password) {
  g_auto(GStrv) hubs = g_strsplit(ctl->hub, ",", CTL_MAX_HUBS + 1);
  g_autoptr(GString) failures = g_string_new(NULL);
  gboolean login_failed = FALSE;
  for (char **h = hubs; *h && h - hubs < CTL_MAX_HUBS; h++) {
    g_strstrip(*h);
    if (!**h) continue;
    ctl->client = connect_one(ctl, *h, password, failures, &login_failed);
    if (ctl->client) {
      ctl->hub_used = g_strdup(*h);
      return tg_hub_client_iface(ctl->client);
    }
  }
  if (!failures->len) g_string_append(failures, "no hub given");
  if (login_failed)
    ctl_print_error(ctl, CODE_LOGIN, "login as %s failed: %s", ctl->user, failures->str);
  else
    ctl_print_error(ctl, CODE_UNREACHABLE, "cannot reach hub %s", failures->str);
  return NULL;
}

TgTollgateIf *ctl_hub(Ctl *ctl) {
  if (ctl->client) return tg_hub_client_iface(ctl->client);
  g_autoptr(GError) why = NULL;
  const char *password = resolve_password(ctl, &why);
  if (!password) {
    ctl_print_error(ctl, CODE_LOGIN, "no password for user %s: %s", ctl->user,
                    why ? why->message : "set TOLLGATE_PASSWORD or pass --password -");
    return NULL;
  }
  if (!ctl->plaintext && !ctl->tls_ctx) {
    g_autoptr(GError) error = NULL;
    ctl->tls_ctx = make_tls_ctx(ctl, &error);
    if (!ctl->tls_ctx) {
      ctl_print_error(ctl, CODE_UNREACHABLE, "TLS set-up failed: %s", error->message);
      return NULL;
    }
  }
  ctl->login_password = password;
  return connect_hubs(ctl, password);
}

const char *ctl_session(Ctl *ctl) { return ctl->client ? tg_hub_client_session(ctl->client) : ""; }

void ctl_disconnect(Ctl *ctl) { g_clear_pointer(&ctl->client, tg_hub_client_free); }

/* A call failed without an exception from the hub: transport or Thrift-level failure. */
static int call_transport_failed(Ctl *ctl, const GError *error) {
  const char *why = error ? error->message : "unknown error";
  if (tg_thrift_limit_error_is(error)) /* the call, not the hub: the hub stays usable */
    return ctl_print_error(ctl, CODE_TOO_LARGE, "refused: %s", why);
  /* the connection was new (logged in for this command): a close now is the call refused */
  g_autoptr(GError) closed = NULL;
  if (ctl->client &&
      tg_hub_client_failure(ctl->client, error, TRUE, &closed) == TG_HUB_FAILURE_CALL)
    return ctl_print_error(ctl, CODE_TOO_LARGE, "refused by hub %s: %s",
                           ctl->hub_used ? ctl->hub_used : ctl->hub, closed->message);
  if (error && error->domain == THRIFT_APPLICATION_EXCEPTION_ERROR)
    return ctl_print_error(ctl, CODE_HUB_FAILURE, "hub %s failed the call: %s",
                           ctl->hub_used ? ctl->hub_used : ctl->hub, why);
  return ctl_print_error(ctl, CODE_UNREACHABLE, "cannot reach hub %s: %s",
                         ctl->hub_used ? ctl->hub_used : ctl->hub, why);
}

int ctl_call_failed(Ctl *ctl, const TgTollgateException *tex, const GError *error) {
  if (tex)
    return ctl_print_error(ctl, tex->__isset_code ? tex->code : CODE_HUB_FAILURE, "%s",
                           tex->message ? tex->message : "hub error");
  return call_transport_failed(ctl, error);
}

int ctl_wso2_call_failed(Ctl *ctl, const char *message, const GError *error) {
  if (message) return ctl_print_error(ctl, CODE_HUB_FAILURE, "%s", message);
  return call_transport_failed(ctl, error);
}
