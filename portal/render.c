/*
 * render: escaping HTML writer and the page frame (render.h). The formatter
 * understands only the directives pages need, so user text can reach the page
 * through %s (escaped) or %u (URL-encoded) and no other way.
 */
#include "render.h"

#include <stdarg.h>
#include <string.h>

#include "portal.h"
#include "tg_json.h"

void html_text(GString *out, const char *s) {
  for (const char *p = s; p && *p; p++) {
    switch (*p) {
    case '&':
      g_string_append(out, "&amp;");
      break;
    case '<':
      g_string_append(out, "&lt;");
      break;
    case '>':
      g_string_append(out, "&gt;");
      break;
    case '"':
      g_string_append(out, "&quot;");
      break;
    case '\'':
      g_string_append(out, "&#39;");
      break;
    default:
      g_string_append_c(out, *p);
    }
  }
}

void html_fmt(GString *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (const char *p = fmt; *p; p++) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      g_string_append(out, p);
      break;
    }
    g_string_append_len(out, p, pct - p);
    p = pct + 1;
    switch (*p) {
    case 's':
      html_text(out, va_arg(ap, const char *));
      break;
    case 'u': {
      GString *enc = g_string_new(NULL);
      tg_form_append_encoded(enc, va_arg(ap, const char *));
      html_text(out, enc->str);
      g_string_free(enc, TRUE);
      break;
    }
    case 'd':
      g_string_append_printf(out, "%d", va_arg(ap, int));
      break;
    case 'L':
      g_string_append_printf(out, "%" G_GINT64_FORMAT, va_arg(ap, gint64));
      break;
    case 'R':
      g_string_append(out, va_arg(ap, const char *));
      break;
    case '%':
      g_string_append_c(out, '%');
      break;
    default:
      g_critical("html_fmt: unknown directive %%%c in \"%s\"", *p ? *p : '0', fmt);
      va_end(ap);
      return;
    }
  }
  va_end(ap);
}

static void nav_link(GString *out, const char *href, const char *label, const char *path) {
  gboolean here = !strcmp(href, "/") ? !strcmp(path, "/") || g_str_has_prefix(path, "/store/apis")
                                     : g_str_has_prefix(path, href);
  html_fmt(out, "<a href=\"%s\"%R>%s</a>", href, here ? " aria-current=\"page\"" : "", label);
}

static void page_nav(PortalReq *r, GString *out) {
  guint roles = req_roles(r);
  g_string_append(out,
                  "<header class=\"top\"><a class=\"brand\" href=\"/\">"
                  "<span class=\"logo\" aria-hidden=\"true\"></span>Tollgate</a>"
                  "<nav aria-label=\"Main\">");
  nav_link(out, "/", "APIs", r->path);
  if (r->session) nav_link(out, "/store/apps", "Applications", r->path);
  if (roles & (ROLE_PUBLISHER | ROLE_ADMIN)) nav_link(out, "/publisher", "Publisher", r->path);
  if (roles & ROLE_ADMIN) nav_link(out, "/admin", "Admin", r->path);
  g_string_append(out, "</nav><div class=\"who\">");
  if (r->session) {
    html_fmt(out, "<a href=\"/account/sessions\" title=\"Your sessions\">%s</a>", r->session->user);
    form_button(r, out, "/logout", "Sign out", "link", NULL, NULL);
  } else {
    g_string_append(
        out,
        "<a href=\"/login\">Sign in</a><a class=\"button small\" href=\"/signup\">Sign up</a>");
  }
  g_string_append(out, "</div></header>\n");
}

void page_begin(PortalReq *r, GString *out, const char *title) {
  html_fmt(out,
           "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta name=\"color-scheme\" content=\"light dark\">"
           "<title>%s · Tollgate</title>"
           "<link rel=\"stylesheet\" href=\"/static/portal.css\">"
           "<script src=\"/static/portal.js\" defer></script></head>\n<body>"
           "<a class=\"skip\" href=\"#main\">Skip to content</a>",
           title);
  page_nav(r, out);
  g_string_append(out, "<main id=\"main\" tabindex=\"-1\">");
  if (!r->bearer) {
    g_autofree char *flash = req_take_flash(r);
    if (flash) html_fmt(out, "<p class=\"notice ok\" role=\"status\">%s</p>", flash);
  }
}

void page_end(PortalReq *r, GString *out) {
  (void)r;
  g_string_append(out,
                  "</main><footer><p>Tollgate API portal · "
                  "<a href=\"/api/openapi.json\">REST API</a></p></footer></body></html>\n");
}

void form_begin(PortalReq *r, GString *out, const char *action, const char *cls) {
  html_fmt(out,
           "<form method=\"post\" action=\"%s\"%R%s%R>"
           "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
           action, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "", req_csrf_token(r));
}

void form_end(GString *out) { g_string_append(out, "</form>"); }

void form_submit(GString *out, const char *label) {
  html_fmt(out, "<button type=\"submit\">%s</button>", label);
}

void form_button(PortalReq *r, GString *out, const char *action, const char *label, const char *cls,
                 const char *hidden_name, const char *hidden_value) {
  form_begin(r, out, action, "inline");
  if (hidden_name)
    html_fmt(out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", hidden_name, hidden_value);
  html_fmt(out, "<button type=\"submit\"%R%s%R>%s</button></form>", cls ? " class=\"" : "",
           cls ? cls : "", cls ? "\"" : "", label);
}

void field_input(GString *out, const char *type, const char *name, const char *label,
                 const char *value, const char *extra) {
  html_fmt(out,
           "<div class=\"field\"><label for=\"f-%s\">%s</label>"
           "<input type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"%R%R></div>",
           name, label, type, name, name, value ? value : "", extra ? " " : "", extra ? extra : "");
}

void field_text(GString *out, const char *name, const char *label, const char *value,
                const char *extra) {
  field_input(out, "text", name, label, value, extra);
}

void field_textarea(GString *out, const char *name, const char *label, const char *value) {
  html_fmt(out,
           "<div class=\"field\"><label for=\"f-%s\">%s</label>"
           "<textarea id=\"f-%s\" name=\"%s\" rows=\"3\">%s</textarea></div>",
           name, label, name, name, value ? value : "");
}

void field_select(GString *out, const char *name, const char *label, const char *const *options,
                  const char *selected) {
  html_fmt(out,
           "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">",
           name, label, name, name);
  for (const char *const *o = options; o && *o; o++)
    html_fmt(out, "<option%R>%s</option>", selected && !strcmp(selected, *o) ? " selected" : "",
             *o);
  g_string_append(out, "</select></div>");
}

void html_copyable(GString *out, const char *id, const char *label, const char *value) {
  html_fmt(
      out,
      "<div class=\"copyable\"><span class=\"label\" id=\"%s-l\">%s</span>"
      "<code id=\"%s\" aria-labelledby=\"%s-l\">%s</code>"
      "<button type=\"button\" class=\"copy small\" data-copy=\"%s\" hidden>Copy</button></div>",
      id, label, id, id, value, id);
}

void html_time(GString *out, gint64 t) {
  if (t <= 0) {
    g_string_append(out, "never");
    return;
  }
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);
  g_autofree char *s = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M UTC") : g_strdup("?");
  html_text(out, s);
}

void reply_error(PortalReq *r, int status, const char *message) {
  if (req_wants_json(r)) {
    GString *out = g_string_new("{");
    tg_json_member_int(out, "code", status);
    tg_json_member_string(out, "message", message);
    g_string_append_c(out, '}');
    reply_json(r, status, out);
    return;
  }
  GString *out = g_string_new(NULL);
  page_begin(r, out, status == 404 ? "Not found" : "Something went wrong");
  html_fmt(out,
           "<h1>%s</h1><p class=\"notice error\" role=\"alert\">%s</p>"
           "<p><a href=\"/\">Back to the store</a></p>",
           status == 404   ? "Not found"
           : status == 403 ? "Not allowed"
                           : "That did not work",
           message);
  page_end(r, out);
  reply_html(r, status, out);
}
