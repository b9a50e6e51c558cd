/*
 * login_limiter: the one failure limiter every password check goes through (Thrift
 * authenticate, /thriftAuthenticator, the /token password grant), counting failures per user
 * name and per client address, with exponential delays and then refusal until a cool-down.
 * Trade-off: pure (no clock, no I/O): the caller passes now_ms and schedules the delay, so a
 * delay never holds a thread. Design notes: docs/HACKING.md.
 */
#ifndef TOLLGATE_LOGIN_LIMITER_H
#define TOLLGATE_LOGIN_LIMITER_H

#include <glib.h>

typedef struct {
  int delay_ms;         /* the first failure's delay; doubles per failure in a row */
  int max_delay_ms;     /* cap of the delay */
  int user_failures;    /* failures of one user name before it is locked out */
  int address_failures; /* failures from one client address before it is locked out */
  int lockout_s;        /* cool-down: counts are forgotten this long after the last failure */
  int max_tracked;      /* entries kept per table (user names, addresses) */
} LoginLimits;

/* An address counts towards the delay like a user with this many times fewer failures. */
#define LOGIN_ADDRESS_SPREAD 4

typedef enum {
  LOGIN_ALLOWED,       /* check the password */
  LOGIN_LOCKED_USER,   /* refused without checking: this user name is locked out */
  LOGIN_LOCKED_ADDRESS /* refused without checking: this address is locked out */
} LoginVerdict;

typedef struct LoginLimiter LoginLimiter;

LoginLimiter *login_limiter_new(const LoginLimits *limits);
void login_limiter_free(LoginLimiter *l);

/* Before a password is checked: LOGIN_ALLOWED counts the attempt (as a failure until
   login_limiter_end says otherwise). user or address may be NULL (not counted). */
LoginVerdict login_limiter_begin(LoginLimiter *l, const char *user, const char *address,
                                 gint64 now_ms);

/* After the check of an allowed attempt: the ms the answer waits. A success clears the
   user's count and takes the attempt back from the address's (the rest stays, so one good
   account does not reset a guesser's address) and waits 0. */
guint login_limiter_end(LoginLimiter *l, const char *user, const char *address, gboolean good,
                        gint64 now_ms);

/* Live failures (attempts in flight included) from address: a queue of password checks
   serves the addresses with fewer first. */
guint login_limiter_address_failures(LoginLimiter *l, const char *address, gint64 now_ms);

/* An allowed attempt that was not checked after all (the database failed): not counted. */
void login_limiter_cancel(LoginLimiter *l, const char *user, const char *address);

/* A user name refused before any lookup: empty, over 255 bytes, or with leading or
   trailing white space (" admin" is not "admin" to the database's collation). */
gboolean login_name_acceptable(const char *user);

#endif
