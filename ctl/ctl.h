/*
 * ctl: what tollgatectl's files share. main.c parses the global options and
 * dispatches through the command tables below (one table per command group,
 * one file per table); connection.c logs in to a hub on first use and turns
 * failed calls into messages; output.c prints results as text or JSON from
 * the field tables in shapes.c.
 *
 * A handler parses its own options (ctl_parse), calls the hub through the
 * generated client and prints. It returns the exit status: 0 ok, 1 hub or
 * connection error, 2 usage error. The trade-off: one blocking connection and
 * no retry loop; a command-line tool that fails loudly is easier to script.
 */
#ifndef CTL_H
#define CTL_H

#include <glib.h>
#include <openssl/ssl.h>

#include "args.h"
#include "tg_hub_client.h"
#include "tg_tollgate.h"
#include "tg_a_p_i_key_validation_service.h"

enum { CTL_EXIT_OK = 0, CTL_EXIT_HUB = 1, CTL_EXIT_USAGE = 2 };

#define CTL_DEFAULT_HUB "127.0.0.1:10397"
#define CTL_DEFAULT_PORT 10397
#define CTL_MAX_HUBS 16

typedef struct Ctl {
  /* Global options; strings borrowed from argv or the environment. */
  const char *hub; /* "host:port[,host:port...]": tried in order */
  const char *ca_file;
  gboolean insecure, plaintext, json, help;
  const char *user, *password;
  const char *env_password; /* $TOLLGATE_PASSWORD: password == env_password when not --password */
  const char *timeout; /* seconds, as given */
  CtlOpt global_opts[12];
  int parse_status; /* exit status when ctl_parse returns FALSE (0 after --help) */
  /* Connection, made by ctl_hub() on first use. */
  SSL_CTX *tls_ctx;
  TgHubClient *client;
  char *hub_used;     /* the host:port that answered */
  char *password_buf;         /* read from a file when not given */
  const char *login_password; /* the password the connection logged in with */
} Ctl;

typedef struct CtlCommand CtlCommand;
typedef int (*CtlHandler)(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv);

struct CtlCommand {
  const char *group;
  const char *verb; /* NULL: the group name is the whole command */
  CtlHandler run;
  const char *usage; /* what follows "group verb" */
  const char *arg;   /* a constant for the handler (e.g. the subscription status) */
};

/* Command tables (each ends with an entry whose group is NULL). */
extern const CtlCommand ctl_user_commands[];
extern const CtlCommand ctl_api_commands[];
extern const CtlCommand ctl_app_commands[];
extern const CtlCommand ctl_subscription_commands[];
extern const CtlCommand ctl_keys_commands[];
extern const CtlCommand ctl_token_commands[];
extern const CtlCommand ctl_doc_commands[];
extern const CtlCommand ctl_misc_commands[];
extern const CtlCommand ctl_traffic_commands[];

/* main.c: parses a command's arguments (its options, the global options and
 * between min_pos and max_pos positional arguments, returned borrowed). On
 * FALSE the usage or help was printed; return ctl->parse_status. */
gboolean ctl_parse(Ctl *ctl, const CtlCommand *cmd, const CtlOpt *opts, int argc, char **argv,
                   guint min_pos, guint max_pos, GPtrArray **positional);
/* Prints a usage error for cmd (message, then its usage line); returns 2. */
int ctl_usage_failed(Ctl *ctl, const CtlCommand *cmd, const GError *error);

/* connection.c */
/* The generated client of a logged-in hub connection, connecting on first
 * use; NULL after printing why (the caller returns CTL_EXIT_HUB). */
TgTollgateIf *ctl_hub(Ctl *ctl);
const char *ctl_session(Ctl *ctl);
void ctl_disconnect(Ctl *ctl);
/* Reports a failed call of our service (tex: its TollgateException or NULL); returns 1. */
int ctl_call_failed(Ctl *ctl, const TgTollgateException *tex, const GError *error);
/* Same for the WSO2 service: message is the APIKeyMgt/APIManagement exception's, or NULL. */
int ctl_wso2_call_failed(Ctl *ctl, const char *message, const GError *error);

/* cmd_keys.c: what `keys generate` and `token issue` both take:
 * --app NAME [--owner USER] [--type T] [--validity S] [--scope S]... [--end-user U]. */
typedef struct CtlKeyRequest {
  const char *app, *owner, *type, *validity, *end_user;
  GPtrArray *scopes;    /* NULL when no --scope */
  const char *key_type; /* canonical PRODUCTION | SANDBOX */
  gint64 validity_seconds;
} CtlKeyRequest;

void ctl_key_request_clear(CtlKeyRequest *req);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CtlKeyRequest, ctl_key_request_clear)
/* Parses and checks the options; FALSE when the handler must return ctl->parse_status. */
gboolean ctl_key_request_parse(Ctl *ctl, const CtlCommand *cmd, CtlKeyRequest *req,
                               gboolean with_end_user, int argc, char **argv);

/* Resolves "owner" options: NULL becomes "" (the hub then uses the caller). */
static inline const char *ctl_owner(const char *owner) { return owner ? owner : ""; }

/* Thrift's generated types have no autoptr cleanup of their own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgUser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApi, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgResource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgApplication, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgSubscription, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgKeySet, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgGatewayConfig, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgTollgateException, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgAPIKeyValidationInfoDTO, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgAPIKeyMgtException, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TgAPIManagementException, g_object_unref)

/* A list to receive a list<struct> result (elements unref'd with it). */
static inline GPtrArray *ctl_object_list(void) {
  return g_ptr_array_new_with_free_func(g_object_unref);
}

/* Sets a string property of a generated struct (marking it set) unless value is NULL:
 * a set field with a NULL string must never reach the wire. */
static inline void ctl_set_string(gpointer obj, const char *property, const char *value) {
  if (value) g_object_set(obj, property, value, NULL);
}

/* Appends copies of src's strings to dst (a generated list<string> field). */
static inline void ctl_copy_strings(GPtrArray *dst, GPtrArray *src) {
  for (guint i = 0; src && i < src->len; i++) g_ptr_array_add(dst, g_strdup(src->pdata[i]));
}

#endif
