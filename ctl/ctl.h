/*
 * ctl: what tollgatectl's files share. commands.c holds the one table of
 * commands (name, options, positional count, handler); dispatch.c parses a
 * command's arguments, runs its check, logs in and runs it, and turns every
 * failure into a message and an exit status: 0 ok, 1 hub or connection
 * error, 2 usage error. A handler (cmd_*.c) only does its own work: check
 * turns options into a request with no network, run calls the hub and prints.
 */
#ifndef CTL_H
#define CTL_H

#include <stdio.h>

#include <glib.h>
#include <openssl/ssl.h>

#include "args.h"
#include "tg_hub_client.h"
#include "tg_tollgate.h"
#include "tg_a_p_i_key_validation_service.h"

enum { CTL_EXIT_OK = 0, CTL_EXIT_HUB = 1, CTL_EXIT_USAGE = 2 };

#define CTL_DEFAULT_HUB  "127.0.0.1:10397"
#define CTL_DEFAULT_PORT 10397
#define CTL_MAX_HUBS     16

typedef struct Ctl {
  /* Global options; strings borrowed from argv or the environment. */
  const char *hub; /* "host:port[,host:port...]": tried in order */
  const char *ca_file;
  gboolean insecure, plaintext, json, help;
  const char *user, *password;
  const char *env_password; /* $TOLLGATE_PASSWORD: password == env_password when not --password */
  const char *timeout;      /* seconds, as given */
  CtlOpt global_opts[12];
  /* Connection, made by ctl_hub() on first use. */
  SSL_CTX *tls_ctx;
  TgHubClient *client;
  char *hub_used;             /* the host:port that answered */
  char *password_buf;         /* read from a file when not given */
  const char *login_password; /* the password the connection logged in with */
} Ctl;

typedef struct CtlCall CtlCall;
/* A command's argument rules, run before any connection: FALSE with c->error (a usage error). */
typedef gboolean (*CtlCheck)(CtlCall *c);
/* A command's work: TRUE after printing the result; FALSE with c->tex or c->error set by the
 * failed hub call, or with neither after printing why itself. */
typedef gboolean (*CtlRun)(CtlCall *c);

typedef struct CtlCommand {
  const char *group;
  const char *verb;       /* NULL: the group name is the whole command */
  const char *usage;      /* what follows "group verb" */
  const CtlOpt *opts;     /* the command's own options (targets unused), or NULL */
  guint min_pos, max_pos; /* positional arguments */
  gboolean session;       /* logs in to a hub before run */
  CtlCheck check;         /* NULL: the option table is the whole rule */
  CtlRun run;
  const char *arg; /* a constant for the handler (e.g. the subscription status) */
} CtlCommand;

#define CTL_MAX_COMMAND_OPTS 16

typedef union CtlValue {
  const char *str;  /* CTL_OPT_STRING: borrowed from argv, NULL when not given */
  gboolean flag;    /* CTL_OPT_FLAG */
  GPtrArray *multi; /* CTL_OPT_MULTI: NULL when not given */
} CtlValue;

/* One run of one command, made and freed by dispatch.c. */
struct CtlCall {
  Ctl *ctl;
  const CtlCommand *cmd;
  GPtrArray *pos;                        /* positional arguments (borrowed) */
  CtlValue values[CTL_MAX_COMMAND_OPTS]; /* of cmd->opts, in its order */
  TgTollgateIf *hub;                     /* logged in when cmd->session */
  const char *session;
  /* What check leaves for run (freed with the call). */
  GObject *request;        /* the struct to send */
  char *context, *version; /* an API reference */
  char *text;              /* a further string; wiped when freed (passwords, tokens) */
  GPtrArray *list;         /* strings */
  gint64 number;
  /* Why run failed. */
  TgTollgateException *tex;
  GError *error;
};

/* commands.c: the command table (ends with an entry whose group is NULL). */
extern const CtlCommand ctl_commands[];

/* dispatch.c: runs cmd on its arguments; returns the exit status. */
int ctl_dispatch(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv);
/* The value of option name of the call's command (a name missing from the table aborts). */
const char *ctl_opt(const CtlCall *c, const char *name);
gboolean ctl_flag(const CtlCall *c, const char *name);
GPtrArray *ctl_multi(const CtlCall *c, const char *name);
/* Sets a usage error (CTL_USAGE_ERROR) and returns FALSE. */
gboolean ctl_usage_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* main.c: prints "  tollgatectl group verb usage" for cmd. */
void ctl_print_command_usage(FILE *f, const CtlCommand *cmd);
/* Prints a usage error for cmd (message, then its usage line; cmd NULL: the global usage);
 * returns 2. */
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
