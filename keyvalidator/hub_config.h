/*
 * hub_config: the hub's [hub] and [database] sections (docs/HACKING.md) read
 * into a HubConfig (hub.h) on top of tg_config. Every key is optional and
 * defaults as documented; a malformed or out-of-range value, an unknown key
 * or an unreadable password_file fails with a GError naming file, [group],
 * key and reason. port_offset is already added to thrift_port / https_port;
 * main.c applies --port-offset / --log-level with tg_config_set() first.
 */
#ifndef TOLLGATE_HUB_CONFIG_H
#define TOLLGATE_HUB_CONFIG_H

#include "hub.h"
#include "tg_config.h"

/* A new HubConfig (caller frees with hub_config_free), or NULL with error. */
HubConfig *hub_config_load(TgConfig *cfg, GError **error);
void hub_config_free(HubConfig *hc);
/* Every key with its default and a one-line comment, as a configuration file
   (--print-config; the samples and the launcher's files start from it). g_free. */
char *hub_config_defaults(void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubConfig, hub_config_free)

#endif
