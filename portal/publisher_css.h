/*
 * publisher_css: the stylesheet rules the publisher and admin pages add to the
 * portal's one stylesheet (assets.c appends PUBLISHER_CSS to its literal), so
 * the portal still serves a single CSS file and no inline style.
 */
#ifndef PUBLISHER_CSS_H
#define PUBLISHER_CSS_H

#include "chart_svg.h"

#define PUBLISHER_CSS                                                                            \
  "th[scope=row]{text-transform:none;letter-spacing:normal;font-size:inherit;color:var(--text);" \
  "font-weight:600}\n"                                                                           \
  "caption{text-align:left}\n"                                                                   \
  ".card>h2:first-child,.card>h3:first-child{margin-top:0}\n"                                    \
  "fieldset.roles{border:0;padding:0;margin:0 0 .35rem;display:flex;flex-wrap:wrap;gap:.25rem "  \
  ".75rem}\n"                                                                                    \
  "label.check{font-weight:500;display:inline-flex;align-items:center;gap:.35rem}\n"             \
  ".doc{overflow-wrap:anywhere}.doc h1{font-size:1.3rem}.doc "                                   \
  "h2{font-size:1.1rem;margin-top:1rem}\n"                                                       \
  ".doc img{max-width:100%}\n"                                                                   \
  "h1 .badge{font-size:.8rem;margin-left:.35rem}td .badge{white-space:nowrap}\n"                 \
  ".row-actions{display:flex;flex-wrap:wrap;gap:.35rem}\n"                                       \
  "form.stack .field+.hint{margin-top:-.6rem}\n"                                                 \
  ".cols>div>.card+.card{margin-top:1rem}\n" CHART_SVG_CSS

#endif
