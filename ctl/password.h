/*
 * password: where tollgatectl gets a password from: "-" reads one line of
 * standard input, no value prompts on the terminal with echo off, and a value
 * given on the command line still works but warns (ps shows it to everyone).
 */
#ifndef TOLLGATE_CTL_PASSWORD_H
#define TOLLGATE_CTL_PASSWORD_H

#include <glib.h>

#define CTL_MAX_PASSWORD_LEN 1024

/* A new string (free with ctl_password_free), or NULL with error. value: as given on the
   command line, or NULL for none (then the prompt, on a terminal only). */
char *ctl_password_read(const char *value, const char *prompt, GError **error);

/* Wipes and frees a password. */
void ctl_password_free(char *password);

#endif
