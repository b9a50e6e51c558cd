/*
 * args: tollgatectl's argument parsing pieces, free of Thrift and of the network so that
 * tests/unit/test_ctl_args.c can check them alone. A table-driven option parser; every value
 * is bounded in size. Errors are CTL_USAGE_ERROR (exit status 2). Details: docs/HACKING.md.
 */
#ifndef CTL_ARGS_H
#define CTL_ARGS_H

#include <glib.h>

#include "tg_thrift_scan.h"

#define CTL_USAGE_ERROR (ctl_usage_error_quark())
GQuark ctl_usage_error_quark(void);
enum { CTL_USAGE_ERROR_INVALID = 1 };

#define CTL_MAX_VALUE_LEN TG_THRIFT_DEFAULT_MAX_STRING /* the hub's default */
#define CTL_MAX_REPEAT    1000 /* values of one repeated option, items of one list */

typedef enum {
  CTL_OPT_FLAG,   /* gboolean *: set to TRUE */
  CTL_OPT_STRING, /* const char **: points into argv; the last one wins */
  CTL_OPT_MULTI   /* GPtrArray **: each occurrence appended (created on first use, g_free) */
} CtlOptKind;

typedef struct CtlOpt {
  const char *name; /* without the leading "--" */
  CtlOptKind kind;
  gpointer target;
} CtlOpt;

/*
 * Parses argv[0..argc) against two option tables (either may be NULL; each
 * ends with a {NULL} entry): "--name value", "--name=value", "--flag"; "--"
 * ends options. Everything else is appended to positional (borrowed strings).
 */
gboolean ctl_parse_options(const CtlOpt *opts, const CtlOpt *more_opts, int argc, char **argv,
                           GPtrArray *positional, GError **error);

/*
 * Parses the options in front of the first positional argument (or "--")
 * against opts; returns the index of that argument (argc when none), or -1
 * with an error. Used for the global options before the command name.
 */
int ctl_parse_leading_options(const CtlOpt *opts, int argc, char **argv, GError **error);

/* "CONTEXT:VERSION" (split at the last ':'), context normalised to start with '/'. */
gboolean ctl_split_api_ref(const char *text, char **context, char **version, GError **error);
/* "/ctx" or "ctx" -> newly allocated "/ctx"; NULL with an error when empty or malformed. */
char *ctl_normalize_context(const char *text, GError **error);

/* One --resource "VERB /template[ AUTHTYPE[ TIER[ SCOPE]]]". */
typedef struct CtlResourceSpec {
  char *verb;         /* upper case */
  char *uri_template; /* starts with '/' */
  char *auth_type;    /* Any | Application | Application_User | None (default Any) */
  char *tier;         /* default Unlimited */
  char *scope;        /* "" when none */
} CtlResourceSpec;

CtlResourceSpec *ctl_parse_resource_spec(const char *spec, GError **error);
void ctl_resource_spec_free(CtlResourceSpec *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CtlResourceSpec, ctl_resource_spec_free)

/* PRODUCTION | SANDBOX, any case; returns the canonical (static) name or NULL with an error. */
const char *ctl_check_key_type(const char *text, GError **error);
/* HOWTO | SAMPLES | PUBLIC_FORUM | SUPPORT_FORUM | API_MESSAGE_FORMAT | OTHER, any case. */
const char *ctl_check_doc_type(const char *text, GError **error);

/* "a, b,,c" -> ["a","b","c"] (GPtrArray of g_free'd strings);
 * NULL with an error past CTL_MAX_REPEAT items. */
GPtrArray *ctl_split_list(const char *text, GError **error);

/* A decimal integer in [min, max]; what names the value in the error message. */
gboolean ctl_parse_int64(const char *text, const char *what, gint64 min, gint64 max, gint64 *out,
                         GError **error);

#endif
