/*
 * openapi_yaml: a YAML document as json-glib's tree, so the OpenAPI importer
 * reads YAML and JSON alike (libyaml's event parser, no YAML document model),
 * and a tree written as YAML for the export.
 * Trade-off: only what JSON can say: the YAML 1.2 core schema, one document,
 * aliases expanded by sharing the anchored node but counted as if copied and
 * bounded, so a "billion laughs" document is refused instead of grown.
 */
#ifndef OPENAPI_YAML_H
#define OPENAPI_YAML_H

#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct YamlLimits {
  int max_depth;         /* deepest nesting of mappings and sequences, aliases included */
  guint max_alias_nodes; /* nodes that aliases may add, counted as if copied */
} YamlLimits;

/*
 * Parses len bytes of UTF-8 YAML into a new JsonNode (free with json_node_unref).
 * Plain scalars follow the core schema (null, true/false, integers, floats,
 * else a string); quoted and block scalars are strings; mapping keys are
 * their text. NULL with error (G_IO_ERROR_INVALID_DATA, with the line) when
 * the text is not YAML, has a second document, a tag outside the core schema,
 * a non-scalar or repeated key, an unknown alias, or passes a limit.
 */
JsonNode *openapi_yaml_parse(const char *text, gsize len, const YamlLimits *limits, GError **error);

/* root as a YAML document (block style; a text that would read back as anything
   but text, or that starts like a number, is quoted). Free with g_free. */
char *openapi_yaml_emit(JsonNode *root);

#endif
