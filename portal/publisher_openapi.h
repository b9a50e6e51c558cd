/*
 * publisher_openapi: the publisher's and the admin's paths in the portal's
 * OpenAPI document (/api/openapi.json): a JSON fragment ("path": {...}, with a
 * trailing comma) that api_openapi.c puts first in its "paths" object, so the
 * document stays one literal. Written from the route tables in publisher_*.c
 * and admin_*.c; test_portal_store requests every path it lists.
 */
#ifndef PUBLISHER_OPENAPI_H
#define PUBLISHER_OPENAPI_H

#define PUBLISHER_OPENAPI_PATHS                                                                    \
  "\"/api/publisher/v1/apis\":{\"get\":{\"summary\":\"Your APIs (publisher) or every API "         \
  "(admin)\","                                                                                     \
  "\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\","      \
  "\"conte"                                                                                        \
  "nt\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                       \
  "Error\"}}}}}},\"post\":{"                                                                       \
  "\"summary\":\"Create an API (status "                                                           \
  "CREATED)\",\"responses\":{\"200\":{\"description\":\"done\"}"                                   \
  ",\"default\":{\"description\":\"error\",\"content\":{\"application/"                            \
  "json\":{\"schema\":{\"$ref\":"                                                                  \
  "\"#/components/schemas/"                                                                        \
  "Error\"}}}}},\"requestBody\":{\"required\":true,\"content\":{\"applicatio"                      \
  "n/"                                                                                             \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"conte" \
  "xt\":{\"type\":\"string\"},\"version\":{\"type\":\"string\"},\"description\":{\"type\":"        \
  "\"string\""                                                                                     \
  "},\"productionEndpoint\":{\"type\":\"string\"},\"sandboxEndpoint\":{\"type\":\"string\"},"      \
  "\"apiTi"                                                                                        \
  "er\":{\"type\":\"string\"},\"tags\":{\"type\":\"array\",\"items\":{}},\"subscriptionTiers\":{"  \
  "\"t"                                                                                            \
  "ype\":\"array\",\"items\":{}},\"resources\":{\"type\":\"array\",\"items\":{}}}}}}}}},\"/api/"   \
  "publ"                                                                                           \
  "isher/v1/import\":{\"post\":{\"summary\":\"Create an API from an OpenAPI 3 document, JSON "     \
  "or YAML (the file of a multipart/form-data upload, or the "                                     \
  "bo"                                                                                             \
  "dy)\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":"          \
  "\"error\",\""                                                                                   \
  "content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                  \
  "Error\"}}}}},\"requ"                                                                            \
  "estBody\":{\"required\":true,\"content\":{\"application/"                                       \
  "json\":{\"schema\":{\"type\":\"object\","                                                       \
  "\"properties\":{\"openapi\":{\"type\":\"string\"},\"info\":{\"type\":\"object\"},\"paths\":{"   \
  "\"ty"                                                                                           \
  "pe\":\"object\"}}}},\"application/yaml\":{\"schema\":{\"type\":\"string\"}},"                   \
  "\"multipart/form-data\":{\"schema\":{\"type\":\"object\",\"properties\":{\"file\":{"            \
  "\"type\":\"string\",\"format\":\"binary\"},\"document\":{\"type\":\"string\"}}}}}}}},"          \
  "\"/api/publisher/v1/apis/{context}/"                                                            \
  "{version}\":{\"get\":{\"summary\":\"O"                                                          \
  "ne API with its endpoints and "                                                                 \
  "resources\",\"responses\":{\"200\":{\"description\":\"done\"},\"de"                             \
  "fault\":{\"description\":\"error\",\"content\":{\"application/"                                 \
  "json\":{\"schema\":{\"$ref\":\"#/c"                                                             \
  "omponents/schemas/"                                                                             \
  "Error\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\"required\""                \
  ":true,\"schema\":{\"type\":\"string\"}},{\"name\":\"version\",\"in\":\"path\",\"required\":"    \
  "true,"                                                                                          \
  "\"schema\":{\"type\":\"string\"}}]},\"put\":{\"summary\":\"Change an API: the fields sent "     \
  "replac"                                                                                         \
  "e those "                                                                                       \
  "stored\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":"       \
  "\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"      \
  "Error\""                                                                                        \
  "}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\"required\":true,\"schema\":{"     \
  "\"type"                                                                                         \
  "\":\"string\"}},{\"name\":\"version\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":"  \
  "\"s"                                                                                            \
  "tring\"}}],\"requestBody\":{\"required\":true,\"content\":{\"application/"                      \
  "json\":{\"schema\":{\"t"                                                                        \
  "ype\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"context\":{\"type\":"         \
  "\"string\""                                                                                     \
  "},\"version\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},"                     \
  "\"productionEndpoint\""                                                                         \
  ":{\"type\":\"string\"},\"sandboxEndpoint\":{\"type\":\"string\"},\"apiTier\":{\"type\":"        \
  "\"string\""                                                                                     \
  "},\"tags\":{\"type\":\"array\",\"items\":{}},\"subscriptionTiers\":{\"type\":\"array\","        \
  "\"items\""                                                                                      \
  ":{}},\"resources\":{\"type\":\"array\",\"items\":{}}}}}}}}},\"/api/publisher/v1/openapi/"       \
  "{context"                                                                                       \
  "}/{version}\":{\"get\":{\"summary\":\"The API as an OpenAPI 3 document, endpoints "             \
  "included (JSON; YAML with format=yaml)\",\"r"                                                   \
  "esponses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\","         \
  "\"content\""                                                                                    \
  ":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                           \
  "Error\"}}}}},\"parameters\":"                                                                   \
  "[{\"name\":\"context\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{"   \
  "\"na"                                                                                           \
  "me\":\"version\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},"          \
  "{\"name\":\"format\",\"in\":\"query\",\"required\":false,\"schema\":{\"type\":\"string\","      \
  "\"enum\":[\"json\",\"yaml\"]}}]}},\"/"                                                          \
  "api/p"                                                                                          \
  "ublisher/v1/lifecycle/{context}/{version}\":{\"post\":{\"summary\":\"Move to CREATED, "         \
  "PUBLISHED,"                                                                                     \
  " DEPRECATED, RETIRED (needs password) or "                                                      \
  "BLOCKED\",\"responses\":{\"200\":{\"description\":\"don"                                        \
  "e\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"                        \
  "json\":{\"schema\":{\"$re"                                                                      \
  "f\":\"#/components/schemas/"                                                                    \
  "Error\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\""                          \
  "required\":true,\"schema\":{\"type\":\"string\"}},{\"name\":\"version\",\"in\":\"path\","       \
  "\"requir"                                                                                       \
  "ed\":true,\"schema\":{\"type\":\"string\"}}],\"requestBody\":{\"required\":true,\"content\":{"  \
  "\"a"                                                                                            \
  "pplication/"                                                                                    \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string"          \
  "\"},\"password\":{\"type\":\"string\"}}}}}}}},\"/api/publisher/v1/versions/{context}/"          \
  "{version}\""                                                                                    \
  ":{\"post\":{\"summary\":\"A new version copied from this "                                      \
  "one\",\"responses\":{\"200\":{\"descrip"                                                        \
  "tion\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"            \
  "json\":{\"sch"                                                                                  \
  "ema\":{\"$ref\":\"#/components/schemas/"                                                        \
  "Error\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\""                                      \
  ":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{\"name\":\"version\",\"in\":"    \
  "\"pat"                                                                                          \
  "h\",\"required\":true,\"schema\":{\"type\":\"string\"}}],\"requestBody\":{\"required\":true,"   \
  "\"co"                                                                                           \
  "ntent\":{\"application/"                                                                        \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"newVersion\":{\""                     \
  "type\":\"string\"}}}}}}}},\"/api/publisher/v1/default/{context}/"                               \
  "{version}\":{\"post\":{\"summary"                                                               \
  "\":\"Make this the default "                                                                    \
  "version\",\"responses\":{\"200\":{\"description\":\"done\"},\"default"                          \
  "\":{\"description\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/"     \
  "compon"                                                                                         \
  "ents/schemas/"                                                                                  \
  "Error\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\"required\":tru"            \
  "e,\"schema\":{\"type\":\"string\"}},{\"name\":\"version\",\"in\":\"path\",\"required\":true,"   \
  "\"sc"                                                                                           \
  "hema\":{\"type\":\"string\"}}]}},\"/api/publisher/v1/docs/{context}/"                           \
  "{version}\":{\"get\":{\"summ"                                                                   \
  "ary\":\"The API's "                                                                             \
  "documents\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"d"                 \
  "escription\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/" \
  "sc"                                                                                             \
  "hemas/"                                                                                         \
  "Error\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\"required\":true,\"sch"     \
  "ema\":{\"type\":\"string\"}},{\"name\":\"version\",\"in\":\"path\",\"required\":true,"          \
  "\"schema\":"                                                                                    \
  "{\"type\":\"string\"}}]},\"post\":{\"summary\":\"Add a document: Markdown (content) or an "     \
  "http(s"                                                                                         \
  ") link "                                                                                        \
  "(sourceUrl)\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"descriptio"      \
  "n\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"  \
  "Err"                                                                                            \
  "or\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\"required\":true,\"schema\":{" \
  "\""                                                                                             \
  "type\":\"string\"}},{\"name\":\"version\",\"in\":\"path\",\"required\":true,\"schema\":{"       \
  "\"type\""                                                                                       \
  ":\"string\"}}],\"requestBody\":{\"required\":true,\"content\":{\"application/"                  \
  "json\":{\"schema\":"                                                                            \
  "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"type\":{\"type\":"        \
  "\"string\""                                                                                     \
  "},\"summary\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"},\"sourceUrl\":{\"type\":" \
  "\""                                                                                             \
  "string\"}}}}}}}},\"/api/publisher/v1/docs-delete/{context}/"                                    \
  "{version}\":{\"post\":{\"summary\":\""                                                          \
  "Delete a "                                                                                      \
  "document\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description"        \
  "\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"   \
  "Erro"                                                                                           \
  "r\"}}}}},\"parameters\":[{\"name\":\"context\",\"in\":\"path\",\"required\":true,\"schema\":{"  \
  "\"t"                                                                                            \
  "ype\":\"string\"}},{\"name\":\"version\",\"in\":\"path\",\"required\":true,\"schema\":{"        \
  "\"type\":"                                                                                      \
  "\"string\"}}],\"requestBody\":{\"required\":true,\"content\":{\"application/"                   \
  "json\":{\"schema\":{"                                                                           \
  "\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}}}}}},\"/api/publisher/v1/"  \
  "sub"                                                                                            \
  "scriptions/{context}/{version}\":{\"get\":{\"summary\":\"Subscriptions to the "                 \
  "API\",\"responses\""                                                                            \
  ":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{"      \
  "\"appli"                                                                                        \
  "cation/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                                    \
  "Error\"}}}}},\"parameters\":[{\"name\""                                                         \
  ":\"context\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{\"name\":"    \
  "\"ver"                                                                                          \
  "sion\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}]},\"post\":{"        \
  "\"summary"                                                                                      \
  "\":\"Block (BLOCKED, PROD_ONLY_BLOCKED), unblock or approve (UNBLOCKED) a "                     \
  "subscription\",\"respo"                                                                         \
  "nses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":" \
  "{\""                                                                                            \
  "application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                               \
  "Error\"}}}}},\"parameters\":[{\""                                                               \
  "name\":\"context\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{"       \
  "\"name\""                                                                                       \
  ":\"version\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}],"             \
  "\"requestBody\""                                                                                \
  ":{\"required\":true,\"content\":{\"application/"                                                \
  "json\":{\"schema\":{\"type\":\"object\",\"propert"                                              \
  "ies\":{\"owner\":{\"type\":\"string\"},\"application\":{\"type\":\"string\"},\"status\":{"      \
  "\"type\""                                                                                       \
  ":\"string\"}}}}}}}},\"/api/publisher/v1/usage/{context}/"                                       \
  "{version}\":{\"get\":{\"summary\":\"Usag"                                                       \
  "e per minute, hour or 6 hours: status classes, throttled, over quota, "                         \
  "p50/p99\",\"responses\":{\""                                                                    \
  "200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{"          \
  "\"applicati"                                                                                    \
  "on/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                                        \
  "Error\"}}}}},\"parameters\":[{\"name\":\""                                                      \
  "context\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{\"name\":"       \
  "\"versio"                                                                                       \
  "n\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{\"name\":\"range\","   \
  "\"in"                                                                                           \
  "\":\"query\",\"required\":false,\"schema\":{\"type\":\"string\"}}]}},\"/api/admin/v1/"          \
  "users\":{\""                                                                                    \
  "get\":{\"summary\":\"Users and their "                                                          \
  "roles\",\"responses\":{\"200\":{\"description\":\"done\"},\""                                   \
  "default\":{\"description\":\"error\",\"content\":{\"application/"                               \
  "json\":{\"schema\":{\"$ref\":\"#"                                                               \
  "/components/schemas/Error\"}}}}}},\"post\":{\"summary\":\"Add a "                               \
  "user\",\"responses\":{\"200\":{\""                                                              \
  "description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"     \
  "json\""                                                                                         \
  ":{\"schema\":{\"$ref\":\"#/components/schemas/"                                                 \
  "Error\"}}}}},\"requestBody\":{\"required\":true,\""                                             \
  "content\":{\"application/"                                                                      \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"typ"                        \
  "e\":\"string\"},\"password\":{\"type\":\"string\"},\"roles\":{\"type\":\"array\",\"items\":{}}" \
  "}}"                                                                                             \
  "}}}}},\"/api/admin/v1/users/roles\":{\"post\":{\"summary\":\"Set a user's "                     \
  "roles\",\"responses\":"                                                                         \
  "{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{"       \
  "\"applic"                                                                                       \
  "ation/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                                     \
  "Error\"}}}}},\"requestBody\":{\"requir"                                                         \
  "ed\":true,\"content\":{\"application/"                                                          \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"n"                                    \
  "ame\":{\"type\":\"string\"},\"roles\":{\"type\":\"array\",\"items\":{}}}}}}}}},\"/api/admin/"   \
  "v1/u"                                                                                           \
  "sers/delete\":{\"post\":{\"summary\":\"Delete a "                                               \
  "user\",\"responses\":{\"200\":{\"description\":\""                                              \
  "done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"                     \
  "json\":{\"schema\":{\""                                                                         \
  "$ref\":\"#/components/schemas/"                                                                 \
  "Error\"}}}}},\"requestBody\":{\"required\":true,\"content\":{\"app"                             \
  "lication/"                                                                                      \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}"        \
  "}}}}}},\"/api/admin/v1/tiers\":{\"get\":{\"summary\":\"Throttling "                             \
  "tiers\",\"responses\":{\"200\""                                                                 \
  ":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/" \
  "js"                                                                                             \
  "on\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}}}},\"post\":{\"summary\":\"Add a " \
  "ti"                                                                                             \
  "er\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\"," \
  "\""                                                                                             \
  "content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                  \
  "Error\"}}}}},\"requ"                                                                            \
  "estBody\":{\"required\":true,\"content\":{\"application/"                                       \
  "json\":{\"schema\":{\"type\":\"object\","                                                       \
  "\"properties\":{\"name\":{\"type\":\"string\"},\"level\":{\"type\":\"string\"},"                \
  "\"requestCount\":"                                                                              \
  "{\"type\":\"integer\"},\"unitTime\":{\"type\":\"integer\"},\"description\":{\"type\":"          \
  "\"string\"}"                                                                                    \
  ",\"stopOnQuotaReach\":{\"type\":\"boolean\"},\"requiresApproval\":{\"type\":\"boolean\"},"      \
  "\"unit\":{\"type\":\"string\",\"enum\":[\"second\",\"minute\",\"hour\",\"day\"]},"              \
  "\"bytesCount\":{\"type\":\"integer\"},\"burstCount\":{\"type\":\"integer\"},"                   \
  "\"burstUnit\":{\"type\":\"string\",\"enum\":[\"second\",\"minute\"]},"                          \
  "\"sliding\":{\"type\":\"boolean\"},\"failMode\":{\"type\":\"string\"}}}}}}}"                    \
  "},"                                                                                             \
  "\"/api/admin/v1/tiers/delete\":{\"post\":{\"summary\":\"Delete a "                              \
  "tier\",\"responses\":{\"200\":{"                                                                \
  "\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"   \
  "json"                                                                                           \
  "\":{\"schema\":{\"$ref\":\"#/components/schemas/"                                               \
  "Error\"}}}}},\"requestBody\":{\"required\":true,"                                               \
  "\"content\":{\"application/"                                                                    \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"t"                          \
  "ype\":\"string\"},\"level\":{\"type\":\"string\"}}}}}}}},\"/api/admin/v1/"                      \
  "blocking\":{\"get\":{\""                                                                        \
  "summary\":\"Blocking "                                                                          \
  "conditions\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":"                    \
  "{\"description\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/"        \
  "component"                                                                                      \
  "s/schemas/Error\"}}}}}},\"post\":{\"summary\":\"Block an API, application, user or "            \
  "IP\",\"respon"                                                                                  \
  "ses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{" \
  "\""                                                                                             \
  "application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                               \
  "Error\"}}}}},\"requestBody\":{\""                                                               \
  "required\":true,\"content\":{\"application/"                                                    \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\""                                         \
  ":{\"kind\":{\"type\":\"string\"},\"value\":{\"type\":\"string\"}}}}}}}},\"/api/admin/v1/"       \
  "blocking"                                                                                       \
  "/delete\":{\"post\":{\"summary\":\"Remove a blocking "                                          \
  "condition\",\"responses\":{\"200\":{\"descr"                                                    \
  "iption\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"          \
  "json\":{\"s"                                                                                    \
  "chema\":{\"$ref\":\"#/components/schemas/"                                                      \
  "Error\"}}}}},\"requestBody\":{\"required\":true,\"conte"                                        \
  "nt\":{\"application/"                                                                           \
  "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"i"                   \
  "nteger\"}}}}}}}},\"/api/admin/v1/settings\":{\"get\":{\"summary\":\"Portal settings "           \
  "(signup_enab"                                                                                   \
  "led)\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"description\":"         \
  "\"error\","                                                                                     \
  "\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"                \
  "Error\"}}}}}},\"p"                                                                              \
  "ost\":{\"summary\":\"Change a "                                                                 \
  "setting\",\"responses\":{\"200\":{\"description\":\"done\"},\"defa"                             \
  "ult\":{\"description\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/"  \
  "com"                                                                                            \
  "ponents/schemas/Error\"}}}}},\"requestBody\":{\"required\":true,\"content\":{\"application/"    \
  "json\""                                                                                         \
  ":{\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"value\":{"   \
  "\"ty"                                                                                           \
  "pe\":\"string\"}}}}}}}},\"/api/admin/v1/audit\":{\"get\":{\"summary\":\"The audit log, newest " \
  "fi"                                                                                             \
  "rst (keyset "                                                                                   \
  "pages)\",\"responses\":{\"200\":{\"description\":\"done\"},\"default\":{\"descriptio"           \
  "n\":\"error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"  \
  "Err"                                                                                            \
  "or\"}}}}},\"parameters\":[{\"name\":\"cursor\",\"in\":\"query\",\"required\":false,\"schema\":" \
  "{\""                                                                                            \
  "type\":\"string\"}},{\"name\":\"limit\",\"in\":\"query\",\"required\":false,\"schema\":{"       \
  "\"type\""                                                                                       \
  ":\"string\"}}]}},"                                                                              \
  "\"/api/store/v1/usage/{application}\":{\"get\":{\"summary\":\"Usage of one of your "            \
  "applications:"                                                                                  \
  " status classes, throttled, over quota, "                                                       \
  "p50/p99\",\"parameters\":[{\"name\":\"application\",\"in"                                       \
  "\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}},{\"name\":\"range\",\"in\":"    \
  "\"que"                                                                                          \
  "ry\",\"required\":false,\"schema\":{\"type\":\"string\"}}],\"responses\":{\"200\":{"            \
  "\"description"                                                                                  \
  "\":\"done\"},\"default\":{\"description\":\"error\",\"content\":{\"application/"                \
  "json\":{\"schema\""                                                                             \
  ":{\"$ref\":\"#/components/schemas/Error\"}}}}}}},"

#endif
