/*
 * multipart: a multipart/form-data body (RFC 7578, the framing of RFC 2046)
 * split into its parts: what a browser sends for a form with a file input.
 * Trade-off: strict and whole-body (the portal has the body in memory
 * already): no preamble, CRLF line ends only, bounded parts and part headers,
 * a missing closing boundary refused; text fields must be clean UTF-8 like
 * form.c's, files may be any bytes.
 */
#ifndef PORTAL_MULTIPART_H
#define PORTAL_MULTIPART_H

#include <glib.h>

#define MULTIPART_MAX_PARTS        32
#define MULTIPART_MAX_HEADER_BYTES 1024 /* one part's header block, blank line included */
#define MULTIPART_MAX_BOUNDARY     70   /* RFC 2046 */

#define MULTIPART_ERROR (multipart_error_quark())
GQuark multipart_error_quark(void);
enum { MULTIPART_ERROR_SYNTAX = 1, MULTIPART_ERROR_TOO_BIG };

typedef struct MultipartLimits {
  guint max_parts;
  gsize max_part_bytes; /* one part's content */
  gsize max_header_bytes;
} MultipartLimits;

typedef struct MultipartPart {
  char *name;         /* Content-Disposition name, never empty */
  char *filename;     /* Content-Disposition filename; NULL: a text field */
  char *content_type; /* the part's Content-Type, NULL when not sent */
  char *data;         /* the content, NUL-terminated after len bytes */
  gsize len;
} MultipartPart;

typedef struct Multipart Multipart;

/* The boundary of a "multipart/form-data; boundary=..." Content-Type (quoted
   or not), checked against RFC 2046's alphabet. NULL with error otherwise. */
char *multipart_boundary(const char *content_type, GError **error);

/* Splits len bytes of body; limits NULL: the defaults above with parts up to len.
   NULL with error (MULTIPART_ERROR_*, a message saying what is wrong). */
Multipart *multipart_parse(const char *body, gsize len, const char *boundary,
                           const MultipartLimits *limits, GError **error);
void multipart_free(Multipart *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Multipart, multipart_free)

guint multipart_count(const Multipart *m);
const MultipartPart *multipart_part(const Multipart *m, guint i);
/* The first part named name, or NULL. */
const MultipartPart *multipart_get(const Multipart *m, const char *name);

#endif
