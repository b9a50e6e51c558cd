/*
 * dispatch: what every tollgatectl command does around its own work, written
 * once: parse the options of its table row and the global ones, count the
 * positional arguments, answer --help, run its check (no network), log in,
 * run it, and report a failure as a message and an exit status.
 */
#include <stdarg.h>
#include <string.h>

#include "ctl.h"
#include "output.h"

static void call_clear(CtlCall *c) {
  for (guint i = 0; c->cmd->opts && c->cmd->opts[i].name; i++)
    if (c->cmd->opts[i].kind == CTL_OPT_MULTI)
      g_clear_pointer(&c->values[i].multi, g_ptr_array_unref);
  g_clear_pointer(&c->pos, g_ptr_array_unref);
  g_clear_object(&c->request);
  g_clear_pointer(&c->context, g_free);
  g_clear_pointer(&c->version, g_free);
  if (c->text) memset(c->text, 0, strlen(c->text));
  g_clear_pointer(&c->text, g_free);
  g_clear_pointer(&c->list, g_ptr_array_unref);
  g_clear_object(&c->tex);
  g_clear_error(&c->error);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CtlCall, call_clear)

/* The row's options with targets into c->values (the row keeps none of its own). */
static void bind_options(CtlCall *c, CtlOpt *bound) {
  guint n = 0;
  for (; c->cmd->opts && c->cmd->opts[n].name; n++) {
    g_assert(n < CTL_MAX_COMMAND_OPTS);
    bound[n] = c->cmd->opts[n];
    bound[n].target = &c->values[n];
  }
  bound[n] = (CtlOpt){NULL};
}

/* FALSE with *status: usage (2) or --help (0), printed. */
static gboolean parse_call(CtlCall *c, int argc, char **argv, int *status) {
  Ctl *ctl = c->ctl;
  CtlOpt opts[CTL_MAX_COMMAND_OPTS + 1];
  g_autoptr(GError) error = NULL;
  gint64 seconds = 0;
  bind_options(c, opts);
  c->pos = g_ptr_array_new();
  if (!ctl_parse_options(opts, ctl->global_opts, argc, argv, c->pos, &error) ||
      (ctl->timeout && !ctl_parse_int64(ctl->timeout, "--timeout", 1, 3600, &seconds, &error))) {
    *status = ctl_usage_failed(ctl, c->cmd, error);
    return FALSE;
  }
  if (ctl->help) {
    fputs("usage:\n", stdout);
    ctl_print_command_usage(stdout, c->cmd);
    *status = CTL_EXIT_OK;
    return FALSE;
  }
  if (c->pos->len < c->cmd->min_pos || c->pos->len > c->cmd->max_pos) {
    ctl_usage_error(&error, "%s arguments", c->pos->len < c->cmd->min_pos ? "missing" : "too many");
    *status = ctl_usage_failed(ctl, c->cmd, error);
    return FALSE;
  }
  return TRUE;
}

int ctl_dispatch(Ctl *ctl, const CtlCommand *cmd, int argc, char **argv) {
  g_auto(CtlCall) c = {.ctl = ctl, .cmd = cmd};
  int status = CTL_EXIT_OK;
  if (!parse_call(&c, argc, argv, &status)) return status;
  if (cmd->check && !cmd->check(&c)) {
    g_assert(c.error);
    return ctl_usage_failed(ctl, cmd, c.error);
  }
  if (cmd->session) {
    if (!(c.hub = ctl_hub(ctl))) return CTL_EXIT_HUB;
    c.session = ctl_session(ctl);
  }
  if (cmd->run(&c)) return CTL_EXIT_OK;
  if (!c.tex && !c.error) return CTL_EXIT_HUB; /* run printed why */
  return ctl_call_failed(ctl, c.tex, c.error);
}

static guint option_index(const CtlCall *c, const char *name, CtlOptKind kind) {
  for (guint i = 0; c->cmd->opts && c->cmd->opts[i].name; i++)
    if (strcmp(c->cmd->opts[i].name, name) == 0 && c->cmd->opts[i].kind == kind) return i;
  g_error("tollgatectl %s %s: no option --%s of that kind in its table", c->cmd->group,
          c->cmd->verb ? c->cmd->verb : "", name);
}

const char *ctl_opt(const CtlCall *c, const char *name) {
  return c->values[option_index(c, name, CTL_OPT_STRING)].str;
}

gboolean ctl_flag(const CtlCall *c, const char *name) {
  return c->values[option_index(c, name, CTL_OPT_FLAG)].flag;
}

GPtrArray *ctl_multi(const CtlCall *c, const char *name) {
  return c->values[option_index(c, name, CTL_OPT_MULTI)].multi;
}

gboolean ctl_usage_error(GError **error, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID, msg);
  return FALSE;
}
