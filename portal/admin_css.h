/*
 * admin_css: the stylesheet rules of the admin's traffic forms (a refused field and its
 * message; a link drawn as a danger button), appended by assets.c to the portal's one
 * stylesheet, so there is still no inline style.
 */
#ifndef ADMIN_CSS_H
#define ADMIN_CSS_H

#define ADMIN_CSS                                                                          \
  ".field.invalid input,.field.invalid select{border-color:var(--err);border-width:2px}\n" \
  ".field-error{color:var(--err);font-weight:600;font-size:.88rem;margin:0}\n"             \
  ".field .hint{margin:0}\n"                                                               \
  ".button.danger{background:transparent;color:var(--err);border-color:var(--err)}\n"      \
  "a.button{display:inline-block;text-decoration:none}\n"                                  \
  "th[scope=row] .meta{font-weight:400}\n"

#endif
