/*
 * main: tollgatectl's entry point. Reads the global options (from the
 * environment, then the command line), finds the command in the table of
 * commands.c and hands it to the dispatcher. Global options are accepted before the command and
 * among its own options, so `tollgatectl api list --json` works too.
 *
 * Exit status: 0 ok, 1 hub or connection error, 2 usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "output.h"
#include "tg_json.h"

static const char global_usage[] =
    "usage: tollgatectl [--hub HOST:PORT[,HOST:PORT]] [--ca FILE] [--insecure] [--plaintext]\n"
    "                   [--json] [--user NAME] [--password -|P] [--timeout S] COMMAND ...\n";

static void init_globals(Ctl *ctl) {
  const char *env_hub = g_getenv("TOLLGATE_HUB");
  const char *env_user = g_getenv("TOLLGATE_USER");
  ctl->hub = env_hub && *env_hub ? env_hub : CTL_DEFAULT_HUB;
  ctl->ca_file = g_getenv("TOLLGATE_CA");
  ctl->user = env_user && *env_user ? env_user : "admin";
  ctl->password = ctl->env_password = g_getenv("TOLLGATE_PASSWORD");
  const CtlOpt opts[] = {
      {"hub", CTL_OPT_STRING, &ctl->hub},           {"ca", CTL_OPT_STRING, &ctl->ca_file},
      {"insecure", CTL_OPT_FLAG, &ctl->insecure},   {"plaintext", CTL_OPT_FLAG, &ctl->plaintext},
      {"json", CTL_OPT_FLAG, &ctl->json},           {"user", CTL_OPT_STRING, &ctl->user},
      {"password", CTL_OPT_STRING, &ctl->password}, {"timeout", CTL_OPT_STRING, &ctl->timeout},
      {"help", CTL_OPT_FLAG, &ctl->help},           {NULL},
  };
  G_STATIC_ASSERT(G_N_ELEMENTS(opts) <= G_N_ELEMENTS(ctl->global_opts));
  memcpy(ctl->global_opts, opts, sizeof opts);
}

void ctl_print_command_usage(FILE *f, const CtlCommand *cmd) {
  fprintf(f, "  tollgatectl %s%s%s%s%s\n", cmd->group, cmd->verb ? " " : "",
          cmd->verb ? cmd->verb : "", *cmd->usage ? " " : "", cmd->usage);
}

/* Every command (or those of one group) with its arguments. */
static void print_commands(FILE *f, const char *group) {
  for (const CtlCommand *cmd = ctl_commands; cmd->group; cmd++)
    if (!group || strcmp(group, cmd->group) == 0) ctl_print_command_usage(f, cmd);
}

static void print_help(FILE *f) {
  fputs(global_usage, f);
  fputs("\ncommands:\n", f);
  print_commands(f, NULL);
  fputs(
      "\nenvironment: TOLLGATE_HUB TOLLGATE_CA TOLLGATE_USER TOLLGATE_PASSWORD TOLLGATE_VAR\n"
      "exit status: 0 ok, 1 hub or connection error, 2 usage error\n",
      f);
}

int ctl_usage_failed(Ctl *ctl, const CtlCommand *cmd, const GError *error) {
  fprintf(stderr, "tollgatectl: %s\n", error->message);
  if (ctl->json) { /* scripts parsing stdout get an answer too: code 400 as the hub would say */
    g_autoptr(GString) out = g_string_new("{");
    tg_json_member_string(out, "error", error->message);
    tg_json_member_int(out, "code", 400);
    g_string_append(out, "}\n");
    fputs(out->str, stdout);
  }
  fputs("usage:\n", stderr);
  if (cmd)
    ctl_print_command_usage(stderr, cmd);
  else
    fputs(global_usage, stderr);
  return CTL_EXIT_USAGE;
}

/* The command named by argv[0] (and argv[1] for a group with verbs); *used: words taken. */
static const CtlCommand *find_command(int argc, char **argv, int *used) {
  for (const CtlCommand *cmd = ctl_commands; cmd->group; cmd++) {
    if (strcmp(cmd->group, argv[0]) != 0) continue;
    if (!cmd->verb) {
      *used = 1;
      return cmd;
    }
    if (argc > 1 && strcmp(cmd->verb, argv[1]) == 0) {
      *used = 2;
      return cmd;
    }
  }
  return NULL;
}

static gboolean is_group(const char *name) {
  for (const CtlCommand *cmd = ctl_commands; cmd->group; cmd++)
    if (strcmp(cmd->group, name) == 0) return TRUE;
  return FALSE;
}

static int unknown_command(Ctl *ctl, int argc, char **argv) {
  if (ctl->json) /* the same answer on stdout as any other usage error */
    fputs(argc == 0 ? "{\"error\":\"no command\",\"code\":400}\n"
                    : "{\"error\":\"unknown command\",\"code\":400}\n",
          stdout);
  if (argc == 0) {
    fputs("tollgatectl: no command\n", stderr);
    print_help(stderr);
  } else if (is_group(argv[0])) {
    fprintf(stderr, "tollgatectl: %s: %s\nusage:\n", argv[0],
            argc > 1 ? "unknown subcommand" : "missing subcommand");
    print_commands(stderr, argv[0]);
  } else {
    fprintf(stderr, "tollgatectl: unknown command '%s' (see tollgatectl --help)\n", argv[0]);
  }
  return CTL_EXIT_USAGE;
}

static void clear_ctl(Ctl *ctl) {
  ctl_disconnect(ctl);
  g_clear_pointer(&ctl->tls_ctx, SSL_CTX_free);
  g_clear_pointer(&ctl->hub_used, g_free);
  if (ctl->password_buf) {
    memset(ctl->password_buf, 0, strlen(ctl->password_buf));
    g_clear_pointer(&ctl->password_buf, g_free);
  }
}

static int run(Ctl *ctl, int argc, char **argv) {
  g_autoptr(GError) error = NULL;
  int first = ctl_parse_leading_options(ctl->global_opts, argc - 1, argv + 1, &error);
  if (first < 0) return ctl_usage_failed(ctl, NULL, error);
  int rest = argc - 1 - first;
  char **words = argv + 1 + first;
  if (ctl->help || (rest > 0 && (strcmp(words[0], "help") == 0 || strcmp(words[0], "-h") == 0))) {
    print_help(stdout);
    return CTL_EXIT_OK;
  }
  int used = 0;
  const CtlCommand *cmd = rest > 0 ? find_command(rest, words, &used) : NULL;
  if (!cmd) return unknown_command(ctl, rest, words);
  return ctl_dispatch(ctl, cmd, rest - used, words + used);
}

int main(int argc, char **argv) {
  Ctl ctl = {0};
  init_globals(&ctl);
  int status = run(&ctl, argc, argv);
  clear_ctl(&ctl);
  return status;
}
