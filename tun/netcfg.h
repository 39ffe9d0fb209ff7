/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netcfg.h - interface configuration over rtnetlink (libnl-route-3).
 *
 * Addresses are IPv4 in network byte order. Adds of something already
 * there and deletes of something already gone succeed, so callers can
 * replay configuration without tracking it exactly.
 */
#ifndef PPPOE_NETCFG_H
#define PPPOE_NETCFG_H

#include <stdbool.h>
#include <stdint.h>

struct netcfg;

int netcfg_open(struct netcfg **out);
void netcfg_close(struct netcfg *nc);

/* Set the link up or down and (if @mtu != 0) its MTU. */
int netcfg_link_set(struct netcfg *nc, int ifindex, bool up, unsigned int mtu);
/* Point-to-point address: "inet LOCAL peer PEER/32", like pppd. */
int netcfg_addr_add(struct netcfg *nc, int ifindex, uint32_t local, uint32_t peer);
int netcfg_addr_del(struct netcfg *nc, int ifindex, uint32_t local, uint32_t peer);
/* Route DST/PLEN via the device in @table (0 = main) with @metric. */
int netcfg_route_add(struct netcfg *nc, int ifindex, uint32_t dst, uint8_t plen,
		     uint32_t table, uint32_t metric);
int netcfg_route_del(struct netcfg *nc, int ifindex, uint32_t dst, uint8_t plen,
		     uint32_t table, uint32_t metric);
/* "ip rule add from FROM/32 lookup TABLE priority PRIO" */
int netcfg_rule_add(struct netcfg *nc, uint32_t from, uint32_t table, uint32_t prio);
int netcfg_rule_del(struct netcfg *nc, uint32_t from, uint32_t table, uint32_t prio);

#endif
