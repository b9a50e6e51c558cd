/*
 * admin_openapi: the admin traffic paths of the portal's OpenAPI document (/api/openapi.json)
 * that admin_traffic.c and admin_policies.c add (a tier by level and name, custom policies):
 * a JSON fragment ("path": {...}, with a trailing comma) that api_openapi.c puts in "paths".
 */
#ifndef ADMIN_OPENAPI_H
#define ADMIN_OPENAPI_H

#define ADMIN_TRAFFIC_OPENAPI_PATHS                                                                \
  "\"/api/admin/v1/tiers/{level}/{name}\":{\"get\":{\"summary\":\"One tier with every fiel"        \
  "d\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\","  \
  "\"c"                                                                                            \
  "ontent\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}}},"      \
  "\"parameters\":[{\"name\":\"level\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":"    \
  "\"stri"                                                                                         \
  "ng\"},\"description\":\"SUBSCRIPTION, APPLICATION, API or RESOURCE\"},{\"name\":\"name\","      \
  "\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}]}},\"/api/admin/v1/polici"  \
  "es\":{\"get\":{\"summary\":\"Custom throttling policies\",\"responses\":{\"200\":{\"descript"   \
  "ion\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/json\":{\"sc" \
  "hema\":{\"$ref\":\"#/components/schemas/Error\"}}}}}},\"post\":{\"summary\":\"Add a custom"     \
  " policy: requests or bytes per window, keyed by user, application, API, client I"               \
  "P or a header's value\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"des"   \
  "cription\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/"   \
  "schemas/Error\"}}}}},\"requestBody\":{\"required\":true,\"content\":{\"application/json\""      \
  ":{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"keyBy\":{"   \
  "\"typ"                                                                                          \
  "e\":\"string\",\"enum\":[\"USER\",\"APPLICATION\",\"API\",\"IP\",\"HEADER\"]},\"headerName\":{" \
  "\"ty"                                                                                           \
  "pe\":\"string\",\"description\":\"with keyBy HEADER only\"},\"requestCount\":{\"type\":\"int"   \
  "eger\"},\"bytesCount\":{\"type\":\"integer\"},\"unit\":{\"type\":\"string\",\"enum\":["         \
  "\"second\","                                                                                    \
  "\"minute\",\"hour\",\"day\"]},\"unitTime\":{\"type\":\"integer\",\"description\":\"seconds, "   \
  "ins"                                                                                            \
  "tead of unit\"},\"sliding\":{\"type\":\"boolean\"},\"apiContext\":{\"type\":\"string\",\"descr" \
  "iption\":\"\\\"\\\": every API\"},\"description\":{\"type\":\"string\"}}}}}}}},\"/api/admin/v1" \
  "/policies/delete\":{\"post\":{\"summary\":\"Delete a custom policy\",\"responses\":{\"200\""    \
  ":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application"  \
  "/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}}},\"requestBody\":{\"requi"     \
  "red\":true,\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\",\"properties\":"  \
  "{\"id\":{\"type\":\"integer\"}}}}}}}},"

#endif
