/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netcfg.h - interface configuration over rtnetlink (libnl-route-3).
 *
 * IPv4 addresses are in network byte order, IPv6 ones 16 bytes. Adds of something already
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
/* netcfg_link_set_group - put @ifindex into link group @group */
int netcfg_link_set_group(struct netcfg *nc, int ifindex, uint32_t group);
/* netcfg_link_group - the link group of @ifindex */
int netcfg_link_group(struct netcfg *nc, int ifindex, uint32_t *group);
/* netcfg_link_del_group - delete every device of link group @group at once */
int netcfg_link_del_group(struct netcfg *nc, uint32_t group);
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
/*
 * IPv6 (addresses as 16 bytes). netcfg_addr6_add adds or, when present,
 * replaces ADDR/PLEN on @ifindex (no DAD: a point-to-point TUN has nobody
 * to collide with) with lifetimes in seconds (IFA_CACHEINFO: the kernel
 * expires the address itself; 0xffffffff both = permanent).
 */
int netcfg_addr6_add(struct netcfg *nc, int ifindex, const uint8_t addr[16], uint8_t plen,
		     uint32_t valid, uint32_t preferred);
int netcfg_addr6_del(struct netcfg *nc, int ifindex, const uint8_t addr[16], uint8_t plen);
/* Route DST/PLEN via @gw (NULL: none) dev @ifindex in @table (0 = main) with @metric. */
int netcfg_route6_add(struct netcfg *nc, int ifindex, const uint8_t dst[16], uint8_t plen,
		      const uint8_t *gw, uint32_t table, uint32_t metric);
int netcfg_route6_del(struct netcfg *nc, int ifindex, const uint8_t dst[16], uint8_t plen,
		      const uint8_t *gw, uint32_t table, uint32_t metric);
/* "ip -6 route add unreachable DST/PLEN table TABLE metric M": a delegated
 * prefix's parts no interface carries are refused here rather than sent
 * back out by a default route */
int netcfg_route6_unreach_add(struct netcfg *nc, const uint8_t dst[16], uint8_t plen,
			      uint32_t table, uint32_t metric);
int netcfg_route6_unreach_del(struct netcfg *nc, const uint8_t dst[16], uint8_t plen,
			      uint32_t table, uint32_t metric);
/* Their routing protocol ("proto 112" in ip -6 route): ours alone. */
#define NETCFG_RTPROT_PREFIX 112
/* netcfg_route6_unreach_sweep - delete every such route, in every table (an
 * earlier run's, at start); how many, or -errno */
int netcfg_route6_unreach_sweep(struct netcfg *nc);
/* "ip -6 rule add from FROM/128 lookup TABLE priority PRIO" */
int netcfg_rule6_add(struct netcfg *nc, const uint8_t from[16], uint32_t table, uint32_t prio);
int netcfg_rule6_del(struct netcfg *nc, const uint8_t from[16], uint32_t table, uint32_t prio);
/* netcfg_link_addr_gen_mode_none - the kernel forms no IPv6 link-local of
 * its own on @ifindex (IFLA_INET6_ADDR_GEN_MODE, "addrgenmode none") */
int netcfg_link_addr_gen_mode_none(struct netcfg *nc, int ifindex);
/* Keep (true) or delete an IPv6 rule "from @from lookup @table" found by a flush. */
typedef bool (*netcfg_keep_rule6_fn)(void *ctx, const uint8_t from[16], uint32_t table);
/* netcfg_rule6_flush - netcfg_rule_flush for IPv6 rules */
int netcfg_rule6_flush(struct netcfg *nc, uint32_t table_min, uint32_t table_max, uint32_t prio,
		       netcfg_keep_rule6_fn keep, void *ctx);

/* Keep (true) or delete a rule "from @from lookup @table" found by a flush. */
typedef bool (*netcfg_keep_rule_fn)(void *ctx, uint32_t from, uint32_t table);
/* netcfg_rule_flush - delete IPv4 rules of priority @prio looking up a table
 * in [@table_min, @table_max], but those @keep (may be NULL) keeps; returns
 * how many or -errno */
int netcfg_rule_flush(struct netcfg *nc, uint32_t table_min, uint32_t table_max, uint32_t prio,
		      netcfg_keep_rule_fn keep, void *ctx);
/* Keep (true) or not the device @ifindex (or what is on it). */
typedef bool (*netcfg_keep_link_fn)(void *ctx, int ifindex);
/* netcfg_link_sweep_group - delete the devices of link group @group that
 * @keep does not keep; how many, or -errno */
int netcfg_link_sweep_group(struct netcfg *nc, uint32_t group, netcfg_keep_link_fn keep,
			    void *ctx);
/* netcfg_addr_sweep - delete the IPv4 and IPv6 addresses of every device
 * @keep does not keep (one dump for all); how many, or -errno */
int netcfg_addr_sweep(struct netcfg *nc, netcfg_keep_link_fn keep, void *ctx);

/*
 * Extra unicast MACs on a NIC, for sessions that use addresses other than
 * the NIC's own. netcfg_uc_add/del add @mac to / remove it from the
 * device's unicast address list, like "bridge fdb add MAC dev IF self
 * permanent" (RTM_NEWNEIGH/RTM_DELNEIGH, AF_BRIDGE, NTF_SELF,
 * NUD_PERMANENT); "bridge fdb show dev IF" lists them as "self permanent".
 * The driver programs the list into its filter. A device without unicast
 * filtering (no IFF_UNICAST_FLT: veth, tap, ifb, some NICs) is made
 * promiscuous by the kernel while its list is non-empty: "ip -d link"
 * shows "promiscuity 1" but no PROMISC flag. On a bridge the MAC becomes a
 * local entry of the bridge's own fdb. Refused with -EINVAL by non-Ethernet
 * devices (TUN, lo) and vxlan, -EOPNOTSUPP by macvlan/macvtap outside
 * passthru mode; drivers with their own fdb handler (some SR-IOV NICs) may
 * refuse with an errno of their own. An address already listed on add, or
 * not listed (or no device) on delete, is not an error. Entries outlive the
 * process: remove them at exit, or at the next start.
 */
int netcfg_uc_add(struct netcfg *nc, int ifindex, const uint8_t mac[6]);
int netcfg_uc_del(struct netcfg *nc, int ifindex, const uint8_t mac[6]);
/*
 * netcfg_set_promisc - the fallback: set or clear IFF_PROMISC like
 * "ip link set IF promisc on|off". This is the device's one user-visible
 * promisc flag, not a counted reference: "on" twice and "off" once leaves
 * it off, and "off" also undoes an administrator's "promisc on". Turn it
 * off only if it was off before you turned it on.
 */
int netcfg_set_promisc(struct netcfg *nc, int ifindex, bool on);
/* netcfg_get_promisc - whether IFF_PROMISC (the user-visible flag) is set */
int netcfg_get_promisc(struct netcfg *nc, int ifindex, bool *on);

/* What the daemon follows of its interface. */
struct netcfg_link_state {
	bool up;            /* IFF_UP and IFF_RUNNING (administratively up, carrier) */
	uint8_t mac[6];
	unsigned int mtu;
};

/* netcfg_link_query - the current state of @ifindex; -ENODEV once it is gone */
int netcfg_link_query(struct netcfg *nc, int ifindex, struct netcfg_link_state *st);

/*
 * A second rtnetlink socket subscribed to link notifications (RTNLGRP_LINK).
 * netcfg_watch_read() drains it and says whether anything happened to
 * @ifindex; it also says so when the socket overflowed (ENOBUFS: thousands
 * of TUNs created at once), because then events may have been lost and the
 * caller must query the state again. Callers compare states rather than
 * trusting each notification.
 */
struct netcfg_watch;

int netcfg_watch_open(struct netcfg_watch **out);
int netcfg_watch_fd(const struct netcfg_watch *w);
/* netcfg_watch_read - 1 if @ifindex may have changed (or was deleted), else 0 */
int netcfg_watch_read(struct netcfg_watch *w, int ifindex);
void netcfg_watch_close(struct netcfg_watch *w);

#endif
