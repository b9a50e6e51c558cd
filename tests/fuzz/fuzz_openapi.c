/*
 * fuzz_openapi: OpenAPI 3 import (portal/openapi.c) on any bytes. Whatever the
 * input: no crash; a document that imports exports to JSON that imports again
 * to the same name, version, context and resources (export -> import is the
 * identity on what import produced), and the same through the YAML export.
 */
#include <string.h>

#include "openapi.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size) {
  TgApi *api = openapi_import((const char *)data, size, NULL);
  if (!api) return 0;
  OpenapiExportOptions opts = {"https://gw.example", NULL, TRUE};
  char *out = openapi_export(api, &opts);
  GError *error = NULL;
  TgApi *back = openapi_import(out, strlen(out), &error);
  if (!back) g_error("export of an imported document does not import: %s\n%s", error->message, out);
  g_assert_cmpstr(back->name, ==, api->name);
  g_assert_cmpstr(back->version, ==, api->version);
  g_assert_cmpstr(back->context, ==, api->context);
  g_assert_cmpstr(back->productionEndpoint, ==, api->productionEndpoint);
  g_assert_cmpuint(back->tags->len, ==, api->tags->len);
  g_assert_cmpuint(back->resources->len, ==, api->resources->len);
  g_object_unref(back);
  g_free(out);
  out = openapi_export_yaml(api, &opts);
  back = openapi_import_as(out, strlen(out), OPENAPI_FORMAT_YAML, &error);
  if (!back)
    g_error("YAML export of an imported document does not import: %s\n%s", error->message, out);
  g_assert_cmpstr(back->name, ==, api->name);
  g_assert_cmpstr(back->version, ==, api->version);
  g_assert_cmpstr(back->context, ==, api->context);
  g_assert_cmpuint(back->resources->len, ==, api->resources->len);
  g_object_unref(back);
  g_free(out);
  g_object_unref(api);
  return 0;
}
