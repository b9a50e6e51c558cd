/*
 * store_keys: keys and tokens (store_keys.h). A secret or token appears in
 * exactly one answer, the POST that made it (Cache-Control: no-store), with
 * copy buttons and a "saved it" step; the application's page afterwards lists
 * tokens by hash prefix only, each active one with a Revoke button that names
 * it by id (no value needed). Regenerating a secret asks for the password
 * first and lets the old secret live for a grace period the user picks.
 */
#include "store_keys.h"

#include <string.h>

#include "page_kit.h"
#include "pages.h"
#include "portal.h"
#include "render.h"
#include "store_account.h"
#include "store_subs.h"

#define MAX_GRACE_S 86400

const char *keys_type(const char *text) {
  if (!text || !g_ascii_strcasecmp(text, "PRODUCTION")) return "PRODUCTION";
  if (!g_ascii_strcasecmp(text, "SANDBOX")) return "SANDBOX";
  return NULL;
}

gboolean keys_generate(PortalReq *r, const char *app, const char *key_type, gint64 validity,
                       const char *scopes, TgKeySet **ks, HubErr *he) {
  g_autoptr(GPtrArray) sc = str_list_parse(scopes);
  *ks = g_object_new(TG_TYPE_KEY_SET, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_generate_keys(HUB_IF, ks, req_hub_session(r), "", app, key_type, validity,
                                        sc, HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gboolean keys_issue_token(PortalReq *r, const char *app, const char *key_type, gint64 validity,
                          const char *scopes, TgKeySet **ks, HubErr *he) {
  g_autoptr(GPtrArray) sc = str_list_parse(scopes);
  *ks = g_object_new(TG_TYPE_KEY_SET, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_issue_token(HUB_IF, ks, req_hub_session(r), "", app, key_type, validity,
                                      sc, "", HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gboolean keys_regenerate(PortalReq *r, const char *app, const char *key_type, gint64 grace,
                         TgKeySet **ks, HubErr *he) {
  *ks = g_object_new(TG_TYPE_KEY_SET, NULL);
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_regenerate_consumer_secret(HUB_IF, ks, req_hub_session(r), "", app,
                                                     key_type, grace, HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gboolean keys_list_tokens(PortalReq *r, const char *app, GPtrArray **tokens, HubErr *he) {
  *tokens = obj_list();
  HUB_CALL(
      r->portal->hub, he,
      (g_ptr_array_set_size(*tokens, 0),
       tg_tollgate_if_list_tokens(HUB_IF, tokens, req_hub_session(r), "", app, HUB_EXC, HUB_ERR)));
  return he->code == 0;
}

gboolean keys_revoke(PortalReq *r, const char *token, HubErr *he) {
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_revoke_token(HUB_IF, req_hub_session(r), token ? token : "", HUB_EXC,
                                       HUB_ERR));
  return he->code == 0;
}

gboolean keys_revoke_by_id(PortalReq *r, const char *app, gint64 id, HubErr *he) {
  HUB_CALL(r->portal->hub, he,
           tg_tollgate_if_revoke_token_by_id(HUB_IF, req_hub_session(r), "", app ? app : "", id,
                                             HUB_EXC, HUB_ERR));
  return he->code == 0;
}

gint64 keys_token_id(const char *text) {
  guint64 n = 0;
  if (text == NULL || !g_ascii_isdigit(text[0]) ||
      !g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT64, &n, NULL))
    return 0;
  return (gint64)n;
}

/* --- the sections of the application page --- */

static const char *const key_types[] = {"PRODUCTION", "SANDBOX", NULL};
static const char *const validities[] = {"3600", "86400", "604800", "0", NULL};

static void validity_select(GString *out) {
  g_string_append(
      out,
      "<div class=\"field\"><label for=\"f-validity\">Valid for</label>"
      "<select id=\"f-validity\" name=\"validity\"><option value=\"3600\">1 hour</option>"
      "<option value=\"86400\">1 day</option><option value=\"604800\">7 days</option>"
      "<option value=\"0\">the hub's default</option></select></div>");
}

static void token_form(PortalReq *r, GString *out, const char *action, const char *app,
                       const char *label) {
  form_begin(r, out, action, "stack");
  html_fmt(out, "<input type=\"hidden\" name=\"application\" value=\"%s\">", app);
  field_select(out, "keyType", "Key type", key_types, "PRODUCTION");
  validity_select(out);
  field_text(out, "scopes", "Scopes (optional, space separated)", NULL, NULL);
  form_submit(out, label);
  form_end(out);
}

static void consumer_keys(GString *out, GPtrArray *tokens) {
  for (const char *const *t = key_types; *t; t++) {
    const char *key = NULL;
    for (guint i = 0; tokens && i < tokens->len && !key; i++) {
      TgTokenInfo *ti = tokens->pdata[i];
      if (!g_strcmp0(ti->keyType, *t) && ti->consumerKey && *ti->consumerKey) key = ti->consumerKey;
    }
    g_autofree char *id = g_strdup_printf("ck-%s", *t);
    g_autofree char *label =
        g_strdup_printf("%s consumer key", !strcmp(*t, "PRODUCTION") ? "Production" : "Sandbox");
    if (key)
      html_copyable(out, id, label, key);
    else
      html_fmt(out, "<p class=\"meta\">%s: not generated yet.</p>", label);
  }
}

/* An active token's Revoke button: a POST form (CSRF) naming the token by its id, so it works
   with JavaScript off and the portal never needs the token's value. */
static void revoke_button(PortalReq *r, GString *out, const char *app, TgTokenInfo *t) {
  if (g_strcmp0(t->status, "ACTIVE") != 0) return;
  g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, t->id);
  form_begin(r, out, "/store/tokens/revoke", "inline");
  html_fmt(out,
           "<input type=\"hidden\" name=\"application\" value=\"%s\">"
           "<input type=\"hidden\" name=\"id\" value=\"%s\">"
           "<button type=\"submit\" class=\"small danger\" aria-label=\"Revoke token %s…\">"
           "Revoke</button>",
           app, id, t->tokenHashPrefix);
  form_end(out);
}

static void tokens_table(PortalReq *r, GString *out, const char *app, GPtrArray *tokens) {
  if (!tokens || tokens->len == 0) {
    g_string_append(out, "<p class=\"meta\">No tokens yet.</p>");
    return;
  }
  g_string_append(
      out,
      "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Token</th>"
      "<th scope=\"col\">Key</th><th scope=\"col\">Status</th><th scope=\"col\">Issued</th>"
      "<th scope=\"col\">Valid for</th><th scope=\"col\">Scopes</th>"
      "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
  for (guint i = 0; i < tokens->len; i++) {
    TgTokenInfo *t = tokens->pdata[i];
    g_autofree char *scopes = str_list_join(t->scopes);
    html_fmt(out,
             "<tr><td><code>%s…</code></td><td>%s</td><td><span class=\"badge\">%s</span></td><td>",
             t->tokenHashPrefix, t->keyType, t->status);
    html_time(out, t->issuedAt);
    html_fmt(out, "</td><td>%L s</td><td>%s</td><td>", t->validityPeriod, scopes);
    revoke_button(r, out, app, t);
    g_string_append(out, "</td></tr>");
  }
  g_string_append(out,
                  "</tbody></table></div><p class=\"hint\">Tokens are listed by the start of "
                  "their SHA-256: the portal never keeps a token itself.</p>");
}

void keys_section(PortalReq *r, GString *out, const char *app) {
  HubErr he = {0};
  g_autoptr(GPtrArray) tokens = NULL;
  keys_list_tokens(r, app, &tokens, &he);
  hub_err_clear(&he);
  g_string_append(out, "<h2 id=\"keys\">Keys</h2><div class=\"card\">");
  consumer_keys(out, tokens);
  g_string_append(out,
                  "<details><summary>Generate keys</summary><p class=\"hint\">Creates the consumer "
                  "key and secret on first use, and an access token every time.</p>");
  token_form(r, out, "/store/keys", app, "Generate keys");
  g_string_append(out,
                  "</details><details><summary>Regenerate the consumer secret</summary>"
                  "<p class=\"hint\">The old secret keeps working during the grace period.</p>");
  form_begin(r, out, "/store/keys/regenerate", "stack");
  html_fmt(out, "<input type=\"hidden\" name=\"application\" value=\"%s\">", app);
  field_select(out, "keyType", "Key type", key_types, "PRODUCTION");
  g_string_append(out,
                  "<div class=\"field\"><label for=\"f-grace\">Old secret works for</label>"
                  "<select id=\"f-grace\" name=\"grace\"><option value=\"0\">no longer</option>"
                  "<option value=\"3600\">1 hour</option><option value=\"21600\">6 hours</option>"
                  "<option value=\"86400\" selected>24 hours</option></select></div>");
  field_input(out, "password", "password", "Your password", "",
              "required autocomplete=\"current-password\"");
  g_string_append(
      out, "<div><button type=\"submit\" class=\"secondary\">Regenerate secret</button></div>");
  form_end(out);
  g_string_append(out, "</details></div><h2 id=\"tokens\">Tokens</h2>");
  tokens_table(r, out, app, tokens);
  g_string_append(
      out, "<div class=\"cols\"><details class=\"card\"><summary>New access token</summary>");
  token_form(r, out, "/store/tokens", app, "Generate token");
  g_string_append(out,
                  "</details><details class=\"card\"><summary>Revoke a token by its value"
                  "</summary><p class=\"hint\">For a token you hold but cannot find in the list"
                  " (the list's Revoke buttons need no value).</p>");
  form_begin(r, out, "/store/tokens/revoke", "stack");
  html_fmt(out, "<input type=\"hidden\" name=\"application\" value=\"%s\">", app);
  field_input(out, "password", "token", "Token to revoke", "", "required autocomplete=\"off\"");
  g_string_append(out, "<div><button type=\"submit\" class=\"danger\">Revoke</button></div>");
  form_end(out);
  g_string_append(out, "</details></div>");
  (void)validities;
}

/* --- the show-once page --- */

static void snippets(PortalReq *r, GString *out, const char *app, TgKeySet *ks) {
  const char *gw = r->portal->cfg->gateway_urls[0];
  const char *token_url = r->portal->cfg->token_url;
  const char *token = ks->accessToken && *ks->accessToken ? ks->accessToken : "YOUR_TOKEN";
  g_autofree char *api_url = NULL;
  HubErr he = {0};
  g_autoptr(GPtrArray) subs = NULL;
  if (apps_subscriptions(r, app, &subs, &he) && subs->len && gw) {
    TgSubscription *s = subs->pdata[0];
    api_url = g_strdup_printf("%s%s/%s/", gw, s->apiContext, s->apiVersion);
  }
  hub_err_clear(&he);
  if (!api_url) api_url = g_strdup_printf("%s/CONTEXT/VERSION/", gw ? gw : "https://GATEWAY");
  g_string_append(out, "<h2>Call the API</h2><h3>curl</h3>");
  g_autofree char *curl_api =
      g_strdup_printf("curl -H 'Authorization: Bearer %s' \\\n  '%s'", token, api_url);
  html_fmt(out,
           "<pre><code id=\"sn-curl\">%s</code></pre>"
           "<button type=\"button\" class=\"copy small secondary\" data-copy=\"sn-curl\" "
           "hidden>Copy</button>",
           curl_api);
  if (ks->consumerKey && *token_url) {
    g_autofree char *curl_tok = g_strdup_printf(
        "curl -u '%s:%s' \\\n  -d 'grant_type=client_credentials' '%s'", ks->consumerKey,
        ks->consumerSecret && *ks->consumerSecret ? ks->consumerSecret : "YOUR_CONSUMER_SECRET",
        token_url);
    html_fmt(out,
             "<h3>A new token from /token</h3><pre><code id=\"sn-tok\">%s</code></pre>"
             "<button type=\"button\" class=\"copy small secondary\" data-copy=\"sn-tok\" "
             "hidden>Copy</button>",
             curl_tok);
  }
  g_autofree char *py = g_strdup_printf(
      "import urllib.request\n"
      "req = urllib.request.Request('%s',\n"
      "    headers={'Authorization': 'Bearer %s'})\n"
      "print(urllib.request.urlopen(req).read().decode())",
      api_url, token);
  g_autofree char *js = g_strdup_printf(
      "const res = await fetch('%s', {\n"
      "  headers: { Authorization: 'Bearer %s' },\n"
      "});\n"
      "console.log(await res.text());",
      api_url, token);
  html_fmt(out,
           "<h3>Python</h3><pre><code id=\"sn-py\">%s</code></pre>"
           "<button type=\"button\" class=\"copy small secondary\" data-copy=\"sn-py\" "
           "hidden>Copy</button>"
           "<h3>JavaScript</h3><pre><code id=\"sn-js\">%s</code></pre>"
           "<button type=\"button\" class=\"copy small secondary\" data-copy=\"sn-js\" "
           "hidden>Copy</button>",
           py, js);
}

static void show_once(PortalReq *r, const char *app, TgKeySet *ks, const char *title) {
  GString *out = g_string_new(NULL);
  GString *href = g_string_new(NULL);
  app_href(href, app);
  page_begin(r, out, title);
  html_fmt(out,
           "<p class=\"meta\"><a href=\"/store/apps\">Applications</a> / <a href=\"%s\">%s</a></p>"
           "<h1>%s</h1>",
           href->str, app, title);
  if ((ks->consumerSecret && *ks->consumerSecret) || (ks->accessToken && *ks->accessToken))
    g_string_append(out,
                    "<p class=\"notice warn\" role=\"alert\">Copy these now: the secret and the "
                    "token are shown only on this page. The portal does not keep them.</p>");
  g_string_append(out, "<div class=\"card\">");
  html_fmt(out, "<p class=\"meta\">%s keys</p>", ks->keyType);
  if (ks->consumerKey) html_copyable(out, "v-key", "Consumer key", ks->consumerKey);
  if (ks->consumerSecret && *ks->consumerSecret)
    html_copyable(out, "v-secret", "Consumer secret", ks->consumerSecret);
  if (ks->accessToken && *ks->accessToken)
    html_copyable(out, "v-token", "Access token", ks->accessToken);
  if (ks->__isset_expiresIn && ks->accessToken && *ks->accessToken)
    html_fmt(out, "<p class=\"meta\">The token expires in %L s.</p>", ks->expiresIn);
  if (ks->previousSecretValidUntil > 0) {
    g_string_append(out, "<p class=\"meta\">The previous secret works until ");
    html_time(out, ks->previousSecretValidUntil);
    g_string_append(out, ".</p>");
  }
  g_string_append(out, "</div>");
  snippets(r, out, app, ks);
  html_fmt(out,
           "<form method=\"get\" action=\"%s\" class=\"stack card\"><div class=\"field\"><label>"
           "<input type=\"checkbox\" required> I have saved the secret and the token</label></div>"
           "<div><button type=\"submit\">Done</button></div></form>",
           href->str);
  page_end(r, out);
  reply_html(r, 200, out);
  g_string_free(href, TRUE);
}

static const char *checked_type(PortalReq *r) {
  const char *t = keys_type(req_arg(r, "keyType"));
  if (!t) reply_error(r, 400, "keyType must be PRODUCTION or SANDBOX");
  return t;
}

static void keys_post(PortalReq *r) {
  const char *app = req_arg(r, "application"), *type = checked_type(r);
  if (!type) return;
  HubErr he = {0};
  g_autoptr(TgKeySet) ks = NULL;
  if (!keys_generate(r, app ? app : "", type, req_arg_int(r, "validity", 0, 0, G_MAXINT32),
                     req_arg(r, "scopes"), &ks, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  show_once(r, app, ks, "Your keys");
}

static void tokens_post(PortalReq *r) {
  const char *app = req_arg(r, "application"), *type = checked_type(r);
  if (!type) return;
  HubErr he = {0};
  g_autoptr(TgKeySet) ks = NULL;
  if (!keys_issue_token(r, app ? app : "", type, req_arg_int(r, "validity", 0, 0, G_MAXINT32),
                        req_arg(r, "scopes"), &ks, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  show_once(r, app, ks, "Your new token");
}

static void regenerate_post(PortalReq *r) {
  const char *app = req_arg(r, "application"), *type = checked_type(r);
  if (!type) return;
  HubErr he = {0};
  if (!account_reauth(r, &he)) {
    reply_error(r, 403, he.message);
    hub_err_clear(&he);
    return;
  }
  gint64 grace = req_arg_int(r, "grace", -1, 0, MAX_GRACE_S);
  if (grace < 0) {
    reply_error(r, 400, "grace must be 0 to 86400 seconds");
    return;
  }
  g_autoptr(TgKeySet) ks = NULL;
  if (!keys_regenerate(r, app ? app : "", type, grace, &ks, &he)) {
    reply_hub_error(r, &he);
    return;
  }
  show_once(r, app, ks, "Your new consumer secret");
}

/* id (from the token list's Revoke button) names the token in the application; without it,
   token is the value itself. */
static void revoke_post(PortalReq *r) {
  const char *app = req_arg(r, "application"), *id_text = req_arg(r, "id");
  gint64 id = keys_token_id(id_text);
  HubErr he = {0};
  if (id_text != NULL && (id == 0 || app == NULL || *app == '\0')) {
    reply_error(r, 400, "send application and id, a token's id from the list (1 or more)");
    return;
  }
  if (!(id_text ? keys_revoke_by_id(r, app, id, &he) : keys_revoke(r, req_arg(r, "token"), &he))) {
    reply_hub_error(r, &he);
    return;
  }
  GString *href = g_string_new(NULL);
  app_href(href, app ? app : "");
  redirect_with_flash(r, app ? href->str : "/store/apps",
                      "Token revoked: gateways refuse it within 2 s.");
  g_string_free(href, TRUE);
}

static const Route routes[] = {
    {"POST", "/store/keys", keys_post, STORE_ROLES, 0},
    {"POST", "/store/keys/regenerate", regenerate_post, STORE_ROLES, 0},
    {"POST", "/store/tokens", tokens_post, STORE_ROLES, 0},
    {"POST", "/store/tokens/revoke", revoke_post, STORE_ROLES, 0},
};
const RouteTable keys_table = {routes, G_N_ELEMENTS(routes)};
