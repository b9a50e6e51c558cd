/*
 * admin_users: users and their roles for an admin (list, add, change roles,
 * delete), as a page and as /api/admin/v1/users; and the admin pages' shared
 * frame (tabs). The hub checks the admin role on every call and writes the
 * audit entry; the portal never sees a password again after passing it on.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "hub_conn.h"
#include "portal.h"
#include "publisher_json.h"
#include "publisher_pages.h"
#include "publisher_reply.h"
#include "render.h"

static const char *const ROLES[] = {"admin", "publisher", "subscriber", "gateway", NULL};

void admin_page_begin(PortalReq *r, GString *out, const char *title, const char *tab) {
  static const char *const tabs[][3] = {
      {"users", "/admin", "Users"},
      {"tiers", "/admin/tiers", "Tiers"},
      {"policies", "/admin/policies", "Policies"},
      {"blocking", "/admin/blocking", "Blocking"},
      {"settings", "/admin/settings", "Settings"},
      {"audit", "/admin/audit", "Audit log"},
  };
  page_begin(r, out, title);
  html_fmt(out, "<h1>%s</h1><nav class=\"tabs\" aria-label=\"Administration\">", title);
  for (guint i = 0; i < G_N_ELEMENTS(tabs); i++)
    html_fmt(out, "<a href=\"%s\"%R>%s</a>", tabs[i][1],
             strcmp(tab, tabs[i][0]) == 0 ? " aria-current=\"true\"" : "", tabs[i][2]);
  g_string_append(out, "</nav>");
}

/* The roles the request names: form checkboxes "roles" (repeated), a JSON array, or a comma list.
 */
static GPtrArray *roles_arg(PortalReq *r) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  JsonNode *n = r->json ? json_object_get_member(r->json, "roles") : NULL;
  if (n && JSON_NODE_HOLDS_ARRAY(n)) {
    JsonArray *a = json_node_get_array(n);
    for (guint i = 0; i < json_array_get_length(a); i++) {
      const char *s = json_node_get_string(json_array_get_element(a, i));
      if (s) g_ptr_array_add(out, g_strdup(s));
    }
    return out;
  }
  const char **all = r->form ? tg_form_get_all(r->form, "roles") : NULL;
  for (guint i = 0; all && all[i]; i++) g_ptr_array_add(out, g_strdup(all[i]));
  g_free(all);
  if (!out->len && req_arg(r, "roles")) {
    g_auto(GStrv) parts = g_strsplit(req_arg(r, "roles"), ",", 8);
    for (guint i = 0; parts[i]; i++)
      if (*g_strstrip(parts[i])) g_ptr_array_add(out, g_strdup(parts[i]));
  }
  return out;
}

static gboolean has_role(const TgUser *u, const char *role) {
  for (guint i = 0; u->roles && i < u->roles->len; i++)
    if (strcmp(g_ptr_array_index(u->roles, i), role) == 0) return TRUE;
  return FALSE;
}

static void role_boxes(GString *out, const char *prefix, const TgUser *u) {
  g_string_append(out,
                  "<fieldset class=\"roles\"><legend class=\"visually-hidden\">Roles</legend>");
  for (guint i = 0; ROLES[i]; i++)
    html_fmt(out,
             "<label class=\"check\"><input type=\"checkbox\" name=\"roles\" value=\"%s\" "
             "id=\"%s-%s\"%R> %s</label> ",
             ROLES[i], prefix, ROLES[i],
             u ? (has_role(u, ROLES[i]) ? " checked" : "")
               : (strcmp(ROLES[i], "subscriber") == 0 ? " checked" : ""),
             ROLES[i]);
  g_string_append(out, "</fieldset>");
}

static void users_html(PortalReq *r, GPtrArray *users) {
  GString *out = g_string_new(NULL);
  admin_page_begin(r, out, "Administration", "users");
  g_string_append(
      out,
      "<div class=\"table-wrap\"><table><caption "
      "class=\"visually-hidden\">Users</caption><thead><tr>"
      "<th scope=\"col\">User</th><th scope=\"col\">Roles</th><th scope=\"col\">Since</th>"
      "<th scope=\"col\">Delete</th></tr></thead><tbody>");
  for (guint i = 0; i < users->len; i++) {
    const TgUser *u = g_ptr_array_index(users, i);
    g_autofree char *prefix = g_strdup_printf("u%u", i);
    html_fmt(out, "<tr><th scope=\"row\">%s</th><td>", u->name);
    form_begin(r, out, "/admin/users/roles", "inline");
    html_fmt(out, "<input type=\"hidden\" name=\"name\" value=\"%s\">", u->name);
    role_boxes(out, prefix, u);
    html_fmt(out,
             "<button type=\"submit\" class=\"secondary small\">Save roles"
             "<span class=\"visually-hidden\"> of %s</span></button></form></td><td>",
             u->name);
    html_time(out, u->createdAt);
    g_string_append(out, "</td><td>");
    form_begin(r, out, "/admin/users/delete", "inline");
    html_fmt(out,
             "<input type=\"hidden\" name=\"name\" value=\"%s\"><button type=\"submit\" "
             "class=\"danger small\">"
             "Delete<span class=\"visually-hidden\"> %s</span></button></form></td></tr>",
             u->name, u->name);
  }
  g_string_append(out,
                  "</tbody></table></div><section class=\"card\" aria-labelledby=\"h-add\">"
                  "<h2 id=\"h-add\">Add a user</h2>");
  form_begin(r, out, "/admin/users", "stack");
  field_text(out, "name", "User name", NULL, "required maxlength=\"64\" autocomplete=\"off\"");
  field_input(out, "password", "password", "Password", NULL,
              "required minlength=\"8\" autocomplete=\"new-password\"");
  role_boxes(out, "new", NULL);
  form_submit(out, "Add user");
  form_end(out);
  g_string_append(out, "</section>");
  page_end(r, out);
  reply_html(r, 200, out);
}

static void users_list(PortalReq *r) {
  HubErr he = {0};
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func(g_object_unref);
  GPtrArray *got = users;
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_list_users(HUB_IF, &got, req_hub_session(r), HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  if (!req_wants_json(r)) {
    users_html(r, users);
    return;
  }
  GString *out = g_string_new("{\"users\":");
  pj_list(out, users, (PjWriter)pj_user);
  g_string_append_c(out, '}');
  reply_json(r, 200, out);
}

static void users_add(PortalReq *r) {
  const char *name = pub_required(r, "name", "A user name");
  const char *pw = name ? pub_required(r, "password", "A password") : NULL;
  if (!pw) return;
  g_autoptr(GPtrArray) roles = roles_arg(r);
  HubErr he = {0};
  TgUser *u = g_object_new(TG_TYPE_USER, NULL);
  HUB_CALL(
      r->portal->hub, &he,
      tg_tollgate_if_add_user(HUB_IF, &u, req_hub_session(r), name, pw, roles, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) {
    g_object_unref(u);
    return;
  }
  GString *json = g_string_new(NULL);
  pj_user(json, u);
  g_object_unref(u);
  g_autofree char *flash = g_strdup_printf("Added %s.", name);
  pub_done(r, flash, "/admin", json);
}

static void users_roles(PortalReq *r) {
  const char *name = pub_required(r, "name", "A user name");
  if (!name) return;
  g_autoptr(GPtrArray) roles = roles_arg(r);
  HubErr he = {0};
  HUB_CALL(
      r->portal->hub, &he,
      tg_tollgate_if_set_user_roles(HUB_IF, req_hub_session(r), name, roles, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  g_autofree char *flash = g_strdup_printf("Saved the roles of %s.", name);
  pub_done(r, flash, "/admin", NULL);
}

static void users_delete(PortalReq *r) {
  const char *name = pub_required(r, "name", "A user name");
  if (!name) return;
  if (g_strcmp0(name, req_user(r)) == 0) {
    reply_error(r, 409, "you cannot delete yourself; ask another admin");
    return;
  }
  HubErr he = {0};
  HUB_CALL(r->portal->hub, &he,
           tg_tollgate_if_delete_user(HUB_IF, req_hub_session(r), name, HUB_EXC, HUB_ERR));
  if (pub_hub_failed(r, &he)) return;
  g_autofree char *flash = g_strdup_printf("Deleted %s.", name);
  pub_done(r, flash, "/admin", NULL);
}

static const Route routes[] = {
    {"GET", "/admin", users_list, ROLE_ADMIN, 0},
    {"POST", "/admin/users", users_add, ROLE_ADMIN, 0},
    {"POST", "/admin/users/roles", users_roles, ROLE_ADMIN, 0},
    {"POST", "/admin/users/delete", users_delete, ROLE_ADMIN, 0},
    {"GET", "/api/admin/v1/users", users_list, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/users", users_add, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/users/roles", users_roles, ROLE_ADMIN, ROUTE_API},
    {"POST", "/api/admin/v1/users/delete", users_delete, ROLE_ADMIN, ROUTE_API},
};
const RouteTable admin_users_table = {routes, G_N_ELEMENTS(routes)};
