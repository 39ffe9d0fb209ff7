/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ethfeat.h - an interface's offload features by their ethtool names
 * ("rx-vlan-hw-parse", ...), through the SIOCETHTOOL ioctl.
 */
#ifndef PPPOE_XDP_ETHFEAT_H
#define PPPOE_XDP_ETHFEAT_H

#include <stdbool.h>

/* ethfeat_get - is feature @name of @ifname on, and can it not be changed?
 * 0, -ENOENT (no such feature) or another -errno */
int ethfeat_get(const char *ifname, const char *name, bool *on, bool *fixed);
/* ethfeat_set - turn feature @name on or off; 0, or -EOPNOTSUPP when the
 * driver kept it as it was, or another -errno */
int ethfeat_set(const char *ifname, const char *name, bool on);

#endif
