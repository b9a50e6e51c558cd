/*
 * password: tollgatectl's password input (see password.h). The prompt goes to
 * /dev/tty with echo switched off by termios and back on afterwards, so a
 * password typed there never reaches a terminal log or the shell history.
 * Trade-off: no prompt without a terminal (scripts use "-" or the environment).
 */
#include "password.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ctl.h"

static char *read_line(FILE *f, GError **error) {
  g_autofree char *buf = g_malloc0(CTL_MAX_PASSWORD_LEN + 2);
  if (!fgets(buf, CTL_MAX_PASSWORD_LEN + 2, f) || strlen(buf) > CTL_MAX_PASSWORD_LEN) {
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "expected a password of at most %d bytes", CTL_MAX_PASSWORD_LEN);
    memset(buf, 0, CTL_MAX_PASSWORD_LEN + 2);
    return NULL;
  }
  buf[strcspn(buf, "\r\n")] = '\0';
  return g_steal_pointer(&buf);
}

static char *prompt_tty(const char *prompt, GError **error) {
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0 || !isatty(fd)) {
    if (fd >= 0) close(fd);
    g_set_error(error, CTL_USAGE_ERROR, CTL_USAGE_ERROR_INVALID,
                "no password given and no terminal to ask on: use - (standard input) or "
                "TOLLGATE_PASSWORD");
    return NULL;
  }
  FILE *tty = fdopen(fd, "r+");
  struct termios saved, quiet;
  gboolean restore = tcgetattr(fd, &saved) == 0;
  if (restore) {
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  fputs(prompt, tty);
  fflush(tty);
  char *password = read_line(tty, error);
  if (restore) tcsetattr(fd, TCSAFLUSH, &saved);
  fputc('\n', tty);
  fclose(tty);
  return password;
}

char *ctl_password_read(const char *value, const char *prompt, GError **error) {
  if (value == NULL) return prompt_tty(prompt, error);
  if (strcmp(value, "-") == 0) return read_line(stdin, error);
  fputs(
      "tollgatectl: warning: a password on the command line can be seen by other users "
      "(ps); use - to read it from standard input, leave it out to be asked, or set "
      "TOLLGATE_PASSWORD\n",
      stderr);
  return g_strdup(value);
}

void ctl_password_free(char *password) {
  if (password != NULL) memset(password, 0, strlen(password));
  g_free(password);
}
