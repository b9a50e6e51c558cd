/*
 * admin_form: fields with their refusal next to them, and strict argument readers for the
 * admin's traffic forms (admin_form.h).
 */
#include "admin_form.h"

#include <string.h>

#include "render.h"
#include "tg_throttle.h"

void admin_refusal_set(AdminRefusal *ar, int status, const char *field, const char *message) {
  admin_refusal_clear(ar);
  ar->status = status;
  ar->field = g_strdup(field);
  ar->message = g_strdup(message);
}

void admin_refusal_clear(AdminRefusal *ar) {
  g_clear_pointer(&ar->field, g_free);
  g_clear_pointer(&ar->message, g_free);
  ar->status = 0;
}

static gboolean refused_here(const AdminForm *f, const char *name) {
  return f->refused && f->refused->field && strcmp(f->refused->field, name) == 0;
}

/* What the field shows: the request's value after a refusal, else the default. */
static const char *shown(const AdminForm *f, const char *name, const char *def) {
  if (!f->refused) return def;
  const char *v = req_arg(f->r, name);
  return v ? v : "";
}

void admin_form_alert(GString *out, const AdminForm *f) {
  if (!f->refused || !f->refused->message) return;
  html_fmt(out, "<p class=\"notice error\" role=\"alert\">Not saved: %s</p>", f->refused->message);
}

/* The describedby ids and the closing hint/error paragraphs of one field. */
static void field_tail(GString *out, const AdminForm *f, const char *name, const char *hint) {
  if (hint) html_fmt(out, "<p class=\"hint\" id=\"hint-%s\">%s</p>", name, hint);
  if (refused_here(f, name))
    html_fmt(out, "<p class=\"field-error\" id=\"err-%s\">%s</p>", name, f->refused->message);
  g_string_append(out, "</div>");
}

static void described_by(GString *out, const AdminForm *f, const char *name, const char *hint) {
  gboolean err = refused_here(f, name);
  if (!hint && !err) return;
  html_fmt(out, " aria-describedby=\"%s%s%s%s%s\"", hint ? "hint-" : "", hint ? name : "",
           hint && err ? " " : "", err ? "err-" : "", err ? name : "");
  if (err) g_string_append(out, " aria-invalid=\"true\"");
}

void admin_input(GString *out, const AdminForm *f, const char *type, const char *name,
                 const char *label, const char *def, const char *extra, const char *hint) {
  html_fmt(out,
           "<div class=\"field%R\"><label for=\"f-%s\">%s</label>"
           "<input type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"",
           refused_here(f, name) ? " invalid" : "", name, label, type, name, name,
           shown(f, name, def) ? shown(f, name, def) : "");
  described_by(out, f, name, hint);
  html_fmt(out, "%R%R>", extra ? " " : "", extra ? extra : "");
  field_tail(out, f, name, hint);
}

void admin_select(GString *out, const AdminForm *f, const char *name, const char *label,
                  const AdminOption *options, const char *def, const char *hint) {
  const char *sel = shown(f, name, def);
  html_fmt(out,
           "<div class=\"field%R\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\"",
           refused_here(f, name) ? " invalid" : "", name, label, name, name);
  described_by(out, f, name, hint);
  g_string_append_c(out, '>');
  for (const AdminOption *o = options; o->value; o++)
    html_fmt(out, "<option value=\"%s\"%R>%s</option>", o->value,
             sel && g_ascii_strcasecmp(sel, o->value) == 0 ? " selected" : "", o->label);
  g_string_append(out, "</select>");
  field_tail(out, f, name, hint);
}

void admin_check(GString *out, const AdminForm *f, const char *name, const char *label,
                 gboolean def) {
  gboolean on = f->refused ? admin_arg_flag(f->r, name) == 1 : def;
  html_fmt(out,
           "<div class=\"field%R\"><label class=\"check\"><input type=\"checkbox\" id=\"f-%s\" "
           "name=\"%s\" value=\"true\"%R",
           refused_here(f, name) ? " invalid" : "", name, name, on ? " checked" : "");
  described_by(out, f, name, NULL);
  html_fmt(out, "> %s</label>", label);
  field_tail(out, f, name, NULL);
}

const char *admin_option_label(const AdminOption *options, const char *value) {
  for (const AdminOption *o = options; o->value; o++)
    if (value && g_ascii_strcasecmp(o->value, value) == 0) return o->label;
  return value ? value : "";
}

gboolean admin_arg_int(PortalReq *r, const char *name, gint64 *out, AdminRefusal *ar) {
  const char *v = req_arg(r, name);
  if (!v || !*v) return TRUE;
  g_autofree char *msg = NULL;
  gint64 n;
  if (g_ascii_string_to_signed(v, 10, G_MININT64, G_MAXINT64, &n, NULL)) {
    *out = n;
    return TRUE;
  }
  msg = g_strdup_printf("%s is a whole number (digits only)", name);
  admin_refusal_set(ar, 400, name, msg);
  return FALSE;
}

const char *admin_arg_text(PortalReq *r, const char *name) {
  const char *v = req_arg(r, name);
  return v ? v : "";
}

int admin_arg_flag(PortalReq *r, const char *name) {
  const char *v = req_arg(r, name);
  if (!v) return -1;
  return g_ascii_strcasecmp(v, "true") == 0 || g_ascii_strcasecmp(v, "on") == 0 ||
         strcmp(v, "1") == 0;
}

gboolean admin_arg_unit(PortalReq *r, const char *unit_name, const char *seconds_name, gint64 *out,
                        AdminRefusal *ar) {
  const char *unit = req_arg(r, unit_name);
  if (unit && *unit) {
    gint64 s = tg_time_unit_seconds(unit);
    if (s > 0) {
      *out = s;
      return TRUE;
    }
    g_autofree char *msg =
        g_strdup_printf("%s is second, minute, hour or day (not \"%s\")", unit_name, unit);
    admin_refusal_set(ar, 400, unit_name, msg);
    return FALSE;
  }
  if (!admin_arg_int(r, seconds_name, out, ar)) {
    g_free(ar->field);
    ar->field = g_strdup(unit_name); /* the form's field for either spelling */
    return FALSE;
  }
  return TRUE;
}

const char *admin_field_of(const char *message, const char *const (*map)[2]) {
  for (guint i = 0; message && map[i][0]; i++)
    if (strstr(message, map[i][0])) return map[i][1];
  return NULL;
}

char *admin_unit_text(gint64 seconds) {
  switch (seconds) {
  case 1:
    return g_strdup("per second");
  case 60:
    return g_strdup("per minute");
  case 3600:
    return g_strdup("per hour");
  case 86400:
    return g_strdup("per day");
  default:
    return g_strdup_printf("per %" G_GINT64_FORMAT " s", seconds);
  }
}
