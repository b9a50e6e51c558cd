/*
 * backend_answer: the framing of a backend's answer (RFC 9112) decided over bytes, without
 * I/O or allocation. Strict on purpose: anything a second reader could frame differently is
 * INVALID and the proxy answers 502. Trade-off: a sloppy backend that other proxies tolerate
 * is refused here.
 */
#ifndef TG_GATEWAY_BACKEND_ANSWER_H
#define TG_GATEWAY_BACKEND_ANSWER_H

#include <glib.h>

#include "response_head.h"

typedef enum {
  BA_NEED_MORE, /* a valid beginning: wait for more bytes */
  BA_COMPLETE,  /* the head is whole / the chunked body ended */
  BA_DATA,      /* chunked: BackendChunks.remaining data bytes come next */
  BA_INVALID,   /* not a well-framed answer: see .error */
} BackendAnswerResult;

typedef enum { BA_BODY_NONE, BA_BODY_LENGTH, BA_BODY_CHUNKED, BA_BODY_UNTIL_CLOSE } BackendBodyMode;

/* Where the head ends, found across reads without looking at a byte twice. */
typedef struct {
  gsize scanned;  /* bytes of the answer already looked at */
  int line_state; /* 0 inside a line, 1 at a line's start, 2 after CR there */
  const char *error;
} BackendHeadScan;

/* The head is p[0..len) so far (the same bytes as in the last call, and maybe
   more). COMPLETE: it ends after *head_len bytes (its empty line included).
   INVALID when max bytes hold no end. */
BackendAnswerResult backend_head_scan(BackendHeadScan *s, const char *p, gsize len, gsize max,
                                      gsize *head_len);

typedef struct {
  int status;
  gboolean http10; /* an HTTP/1.0 answer */
  BackendBodyMode mode;
  guint64 length;             /* BA_BODY_LENGTH */
  gboolean close;             /* the backend closes after this answer (or must be let go) */
  const char *connection;     /* the first Connection field's value, or NULL */
  gboolean connection_lists;  /* that value names headers (http_connection_options) */
  const char *content_length; /* its decimal value (cut in place), or NULL */
  const char *error;          /* INVALID: why, for the log */
} BackendHead;

/* Splits a complete head (len bytes from backend_head_scan, NUL-terminated,
   changed in place) into out and headers (BackendHeader, pointing into head;
   emptied first) and decides the body's framing. head_request: the request
   was HEAD (no body whatever the fields say). COMPLETE or INVALID. */
BackendAnswerResult backend_head_parse(char *head, gsize len, gboolean head_request,
                                       GArray *headers, BackendHead *out);

/* A chunked body's framing: size lines, the CRLF after each chunk's data,
   the trailer section. Zeroed: before the first size line. */
typedef struct {
  int state;
  guint64 remaining; /* data bytes left in the current chunk */
  guint32 line;      /* bytes of the current size or trailer line */
  guint digits;      /* hex digits of the current size line */
  guint32 trailers;  /* bytes of the trailer section */
  const char *error;
} BackendChunks;

/* Reads framing bytes from p[0..len); *used: how many it took. DATA: the
   next c->remaining bytes (after *used) are chunk data, to be passed on and
   reported with backend_chunks_data. COMPLETE: the body ended after *used.
   NEED_MORE: all len taken. INVALID: see c->error. */
BackendAnswerResult backend_chunks_scan(BackendChunks *c, const char *p, gsize len, gsize *used);
/* n data bytes (at most c->remaining) were passed on. */
void backend_chunks_data(BackendChunks *c, guint64 n);

#endif
