// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netcfg.c - link, address, route, rule and unicast filter configuration
 * over rtnetlink.
 *
 * libnl reports errors as its own NLE_* codes, which fold several errnos
 * into one; a custom error callback keeps the kernel's errno so callers
 * (and the log) see exactly what the kernel said.
 *
 * Over 700 lines: every rtnetlink request the daemon makes is here, IPv4
 * and IPv6 through the same few request builders (netcfg_addr_do,
 * netcfg_route_do, netcfg_rule_do), so that nothing else links
 * libnl-route.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>

#include "pppoe/log.h"
#include "tun/netcfg.h"

struct netcfg {
	struct nl_sock *sk;
	int kernel_errno;	/* errno of the last NLMSG_ERROR, 0 if none */
};

/* netcfg_on_error - remember the kernel's errno before libnl folds it */
static int netcfg_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
			   void *arg)
{
	struct netcfg *nc = arg;

	nc->kernel_errno = -e->error;
	return NL_STOP;
}

/* netcfg_nlerr - libnl result to 0 / -errno, preferring the kernel's errno */
static int netcfg_nlerr(struct netcfg *nc, int nlerr)
{
	if (nlerr >= 0)
		return 0;
	if (nc->kernel_errno > 0)
		return -nc->kernel_errno;
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AGAIN:
		return -EAGAIN;
	default:
		return -EIO;
	}
}

/* netcfg_ifname - the interface's name for messages, or "ifindex N" */
static const char *netcfg_ifname(int ifindex, char buf[IF_NAMESIZE + 16])
{
	if (!if_indextoname((unsigned int)ifindex, buf))
		snprintf(buf, IF_NAMESIZE + 16, "ifindex %d", ifindex);
	return buf;
}

/* netcfg_open - connect an rtnetlink socket that keeps kernel errnos */
int netcfg_open(struct netcfg **out)
{
	struct netcfg *nc;
	int err;

	*out = NULL;
	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	nc->sk = nl_socket_alloc();
	if (!nc->sk) {
		err = -ENOMEM;
		goto err_free;
	}
	err = nl_connect(nc->sk, NETLINK_ROUTE);
	if (err < 0) {
		err = netcfg_nlerr(nc, err);
		pr_err("netcfg: cannot open rtnetlink socket: %s",
		       strerror(-err));
		goto err_sock;
	}
	err = nl_socket_modify_err_cb(nc->sk, NL_CB_CUSTOM, netcfg_on_error, nc);
	if (err < 0) {
		err = netcfg_nlerr(nc, err);
		goto err_sock;
	}
	*out = nc;
	return 0;

err_sock:
	nl_socket_free(nc->sk);
err_free:
	free(nc);
	return err;
}

void netcfg_close(struct netcfg *nc)
{
	if (!nc)
		return;
	nl_socket_free(nc->sk);
	free(nc);
}

/* netcfg_link_change - apply @change to the link @ifindex */
static int netcfg_link_change(struct netcfg *nc, int ifindex, struct rtnl_link *change)
{
	struct rtnl_link *orig = NULL;
	char name[IF_NAMESIZE + 16];
	int err;

	nc->kernel_errno = 0;
	err = rtnl_link_get_kernel(nc->sk, ifindex, NULL, &orig);
	if (err < 0) {
		err = netcfg_nlerr(nc, err);
		pr_err("%s: cannot look up link: %s",
		       netcfg_ifname(ifindex, name), strerror(-err));
		return err;
	}
	nc->kernel_errno = 0;
	err = netcfg_nlerr(nc, rtnl_link_change(nc->sk, orig, change, 0));
	if (err)
		pr_err("%s: cannot change link: %s", netcfg_ifname(ifindex, name),
		       strerror(-err));
	rtnl_link_put(orig);
	return err;
}

/* netcfg_link_set - set IFF_UP on or off and optionally the MTU */
int netcfg_link_set(struct netcfg *nc, int ifindex, bool up, unsigned int mtu)
{
	struct rtnl_link *change;
	int err;

	change = rtnl_link_alloc();
	if (!change)
		return -ENOMEM;
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	if (mtu)
		rtnl_link_set_mtu(change, mtu);
	err = netcfg_link_change(nc, ifindex, change);
	rtnl_link_put(change);
	return err;
}

/* netcfg_link_set_group - put @ifindex into link group @group */
int netcfg_link_set_group(struct netcfg *nc, int ifindex, uint32_t group)
{
	struct rtnl_link *change;
	int err;

	change = rtnl_link_alloc();
	if (!change)
		return -ENOMEM;
	rtnl_link_set_group(change, group);
	err = netcfg_link_change(nc, ifindex, change);
	rtnl_link_put(change);
	return err;
}

/*
 * netcfg_link_del_group - delete every device of link group @group with one
 * RTM_DELLINK (IFLA_GROUP, no ifindex): the kernel unregisters them as one
 * batch. Closing a thousand TUN fds one by one costs a grace period each
 * (about 28 s here); the group delete takes a fraction of a second.
 */
int netcfg_link_del_group(struct netcfg *nc, uint32_t group)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(RTM_DELLINK, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(msg, IFLA_GROUP, group) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nc->kernel_errno = 0;
	err = nl_send_auto(nc->sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	err = netcfg_nlerr(nc, nl_wait_for_ack(nc->sk));
	/* An empty group is not an error. */
	return err == -ENODEV || err == -ENOENT ? 0 : err;
}

/* netcfg_addr - add (@add) or delete "LOCAL peer PEER/32" on @ifindex */
/*
 * netcfg_nladdr - an nl_addr of @family (AF_INET: 4 bytes at @a, network
 * order; AF_INET6: 16) with a prefix length (NULL on ENOMEM)
 */
static struct nl_addr *netcfg_nladdr(int family, const void *a, unsigned int plen)
{
	struct nl_addr *n = nl_addr_build(family, a, family == AF_INET ? 4 : 16);

	if (n)
		nl_addr_set_prefixlen(n, (int)plen);
	return n;
}

/* netcfg_ntop - @a of @family as text for messages */
static const char *netcfg_ntop(int family, const void *a, char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(family, a, buf, INET6_ADDRSTRLEN);
}

/* An address, route or rule request: what it is and how to send it. */
struct netcfg_req {
	bool add;
	int family;		/* AF_INET, AF_INET6 */
	int ifindex;		/* 0: none (rules, unreachable routes) */
};

/*
 * netcfg_addr_do - add (or delete) LOCAL/PLEN [peer PEER] on the link, with
 * flags and lifetimes (valid and preferred 0xffffffff: forever). An
 * address already there is fine on add (@replace: its lifetimes are
 * refreshed), one already gone is fine on delete.
 */
static int netcfg_addr_do(struct netcfg *nc, const struct netcfg_req *rq, const void *local,
			  unsigned int plen, const void *peer, bool replace, unsigned int flags,
			  uint32_t valid, uint32_t preferred)
{
	char name[IF_NAMESIZE + 16], l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
	struct nl_addr *nl_local, *nl_peer = NULL;
	struct rtnl_addr *addr;
	int err = -ENOMEM;

	if (plen > (rq->family == AF_INET ? 32u : 128u))
		return -EINVAL;
	addr = rtnl_addr_alloc();
	if (!addr)
		return -ENOMEM;
	nl_local = netcfg_nladdr(rq->family, local, plen);
	if (!nl_local)
		goto out_addr;
	if (peer && !(nl_peer = netcfg_nladdr(rq->family, peer, plen)))
		goto out_local;
	rtnl_addr_set_ifindex(addr, rq->ifindex);
	rtnl_addr_set_family(addr, rq->family);
	err = rtnl_addr_set_local(addr, nl_local);
	if (!err && nl_peer)
		err = rtnl_addr_set_peer(addr, nl_peer);
	if (err) {
		err = netcfg_nlerr(nc, err);
		goto out_peer;
	}
	rtnl_addr_set_prefixlen(addr, (int)plen);
	nc->kernel_errno = 0;
	if (rq->add) {
		if (flags)
			rtnl_addr_set_flags(addr, flags);
		if (valid != 0xffffffffu || preferred != 0xffffffffu) {
			rtnl_addr_set_valid_lifetime(addr, valid);
			rtnl_addr_set_preferred_lifetime(addr, preferred);
		}
		err = netcfg_nlerr(nc, rtnl_addr_add(nc->sk, addr, replace ? NLM_F_REPLACE : 0));
		if (err == -EEXIST)
			err = 0;
	} else {
		err = netcfg_nlerr(nc, rtnl_addr_delete(nc->sk, addr, 0));
		if (err == -EADDRNOTAVAIL || err == -ENOENT || err == -ENODEV)
			err = 0;
	}
	if (err)
		pr_err("%s: cannot %s address %s/%u%s%s: %s", netcfg_ifname(rq->ifindex, name),
		       rq->add ? "add" : "delete", netcfg_ntop(rq->family, local, l), plen,
		       peer ? " peer " : "", peer ? netcfg_ntop(rq->family, peer, p) : "",
		       strerror(-err));
out_peer:
	if (nl_peer)
		nl_addr_put(nl_peer);
out_local:
	nl_addr_put(nl_local);
out_addr:
	rtnl_addr_put(addr);
	return err;
}

/* A route's kind: what the kernel does with it and who made it. */
struct netcfg_route_kind {
	uint8_t type;		/* RTN_UNICAST, RTN_UNREACHABLE */
	uint8_t scope;		/* RT_SCOPE_LINK: no gateway, the peer is on the link */
	uint8_t protocol;	/* RTPROT_STATIC, NETCFG_RTPROT_PREFIX */
	bool replace;		/* add with NLM_F_REPLACE */
};

/*
 * netcfg_route_do - add (or delete) DST/PLEN [via GW] [dev IFINDEX] table T
 * metric M of @kind. An identical route already there is fine on add, one
 * already gone is fine on delete.
 */
static int netcfg_route_do(struct netcfg *nc, const struct netcfg_req *rq,
			   const struct netcfg_route_kind *kind, const void *dst, unsigned int plen,
			   const void *gw, uint32_t table, uint32_t metric)
{
	char name[IF_NAMESIZE + 16], d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	struct rtnl_nexthop *nh = NULL;
	struct nl_addr *nl_dst, *nl_gw = NULL;
	struct rtnl_route *route;
	int err = -ENOMEM;

	if (plen > (rq->family == AF_INET ? 32u : 128u))
		return -EINVAL;
	route = rtnl_route_alloc();
	if (!route)
		return -ENOMEM;
	nl_dst = netcfg_nladdr(rq->family, dst, plen);
	if (!nl_dst)
		goto out_route;
	if (gw && !(nl_gw = netcfg_nladdr(rq->family, gw, rq->family == AF_INET ? 32 : 128)))
		goto out_dst;
	if (rq->ifindex && !(nh = rtnl_route_nh_alloc()))
		goto out_gw;
	rtnl_route_set_family(route, (uint8_t)rq->family);
	rtnl_route_set_table(route, table ? table : RT_TABLE_MAIN);
	rtnl_route_set_type(route, kind->type);
	rtnl_route_set_scope(route, kind->scope);
	rtnl_route_set_protocol(route, kind->protocol);
	rtnl_route_set_priority(route, metric);
	err = rtnl_route_set_dst(route, nl_dst);
	if (err) {
		err = netcfg_nlerr(nc, err);
		if (nh)
			rtnl_route_nh_free(nh);
		goto out_gw;
	}
	if (nh) {
		rtnl_route_nh_set_ifindex(nh, rq->ifindex);
		if (nl_gw)
			rtnl_route_nh_set_gateway(nh, nl_gw);
		rtnl_route_add_nexthop(route, nh); /* the route owns nh now */
	}
	nc->kernel_errno = 0;
	if (rq->add) {
		/* Without NLM_F_EXCL only an identical route yields EEXIST. */
		err = netcfg_nlerr(nc, rtnl_route_add(nc->sk, route,
						      kind->replace ? NLM_F_REPLACE : 0));
		if (err == -EEXIST)
			err = 0;
	} else {
		err = netcfg_nlerr(nc, rtnl_route_delete(nc->sk, route, 0));
		if (err == -ESRCH || err == -ENOENT || err == -ENODEV)
			err = 0;
	}
	if (err)
		pr_err("%s: cannot %s route %s%s/%u%s%s table %u metric %u: %s",
		       rq->ifindex ? netcfg_ifname(rq->ifindex, name) : "netcfg",
		       rq->add ? "add" : "delete",
		       kind->type == RTN_UNREACHABLE ? "unreachable " : "",
		       netcfg_ntop(rq->family, dst, d), plen, gw ? " via " : "",
		       gw ? netcfg_ntop(rq->family, gw, g) : "", table ? table : RT_TABLE_MAIN,
		       metric, strerror(-err));
out_gw:
	if (nl_gw)
		nl_addr_put(nl_gw);
out_dst:
	nl_addr_put(nl_dst);
out_route:
	rtnl_route_put(route);
	return err;
}

/* netcfg_rule_do - add (or delete) "from FROM lookup TABLE priority PRIO" */
static int netcfg_rule_do(struct netcfg *nc, const struct netcfg_req *rq, const void *from,
			  uint32_t table, uint32_t prio)
{
	char f[INET6_ADDRSTRLEN];
	struct rtnl_rule *rule;
	struct nl_addr *src;
	int err = -ENOMEM;

	rule = rtnl_rule_alloc();
	if (!rule)
		return -ENOMEM;
	src = netcfg_nladdr(rq->family, from, rq->family == AF_INET ? 32 : 128);
	if (!src)
		goto out_rule;
	rtnl_rule_set_family(rule, rq->family);
	rtnl_rule_set_action(rule, FR_ACT_TO_TBL);
	rtnl_rule_set_table(rule, table);
	rtnl_rule_set_prio(rule, prio);
	err = rtnl_rule_set_src(rule, src);
	if (err) {
		err = netcfg_nlerr(nc, err);
		goto out_src;
	}
	nc->kernel_errno = 0;
	if (rq->add) {
		/* Rules, unlike routes, may be duplicated unless we say EXCL. */
		err = netcfg_nlerr(nc, rtnl_rule_add(nc->sk, rule, NLM_F_EXCL));
		if (err == -EEXIST)
			err = 0;
	} else {
		err = netcfg_nlerr(nc, rtnl_rule_delete(nc->sk, rule, 0));
		if (err == -ENOENT || err == -ESRCH)
			err = 0;
	}
	if (err)
		pr_err("netcfg: cannot %s rule from %s lookup %u priority %u: %s",
		       rq->add ? "add" : "delete", netcfg_ntop(rq->family, from, f), table, prio,
		       strerror(-err));
out_src:
	nl_addr_put(src);
out_rule:
	rtnl_rule_put(rule);
	return err;
}

static const struct netcfg_route_kind netcfg_link_route = {
	.type = RTN_UNICAST, .scope = RT_SCOPE_LINK, .protocol = RTPROT_STATIC,
};

int netcfg_addr_add(struct netcfg *nc, int ifindex, uint32_t local, uint32_t peer)
{
	struct netcfg_req rq = { true, AF_INET, ifindex };

	return netcfg_addr_do(nc, &rq, &local, 32, &peer, false, 0, 0xffffffffu, 0xffffffffu);
}

int netcfg_addr_del(struct netcfg *nc, int ifindex, uint32_t local, uint32_t peer)
{
	struct netcfg_req rq = { false, AF_INET, ifindex };

	return netcfg_addr_do(nc, &rq, &local, 32, &peer, false, 0, 0xffffffffu, 0xffffffffu);
}

/* IPv4 routes: DST/PLEN dev IFINDEX, no gateway (the peer is on the link) */
int netcfg_route_add(struct netcfg *nc, int ifindex, uint32_t dst, uint8_t plen,
		     uint32_t table, uint32_t metric)
{
	struct netcfg_req rq = { true, AF_INET, ifindex };

	if (!plen)
		dst = 0;
	return netcfg_route_do(nc, &rq, &netcfg_link_route, &dst, plen, NULL, table, metric);
}

int netcfg_route_del(struct netcfg *nc, int ifindex, uint32_t dst, uint8_t plen,
		     uint32_t table, uint32_t metric)
{
	struct netcfg_req rq = { false, AF_INET, ifindex };

	if (!plen)
		dst = 0;
	return netcfg_route_do(nc, &rq, &netcfg_link_route, &dst, plen, NULL, table, metric);
}

int netcfg_rule_add(struct netcfg *nc, uint32_t from, uint32_t table, uint32_t prio)
{
	struct netcfg_req rq = { true, AF_INET, 0 };

	return netcfg_rule_do(nc, &rq, &from, table, prio);
}

int netcfg_rule_del(struct netcfg *nc, uint32_t from, uint32_t table, uint32_t prio)
{
	struct netcfg_req rq = { false, AF_INET, 0 };

	return netcfg_rule_do(nc, &rq, &from, table, prio);
}

struct netcfg_flush {
	struct netcfg *nc;
	uint32_t table_min, table_max, prio;
	int deleted;
	netcfg_keep_rule_fn keep;
	void *ctx;
	netcfg_keep_rule6_fn keep6;
};

static void netcfg_flush_one(struct nl_object *obj, void *arg)
{
	struct rtnl_rule *rule = (struct rtnl_rule *)obj;
	struct netcfg_flush *fl = arg;
	uint32_t table = rtnl_rule_get_table(rule);

	if (rtnl_rule_get_prio(rule) != fl->prio || table < fl->table_min ||
	    table > fl->table_max)
		return;
	if (rtnl_rule_get_family(rule) == AF_INET6) {
		struct nl_addr *src = rtnl_rule_get_src(rule);
		uint8_t from[16] = { 0 };

		if (!fl->keep6)
			return; /* an IPv4 flush */
		if (src && nl_addr_get_len(src) == 16)
			memcpy(from, nl_addr_get_binary_addr(src), 16);
		if (fl->keep6(fl->ctx, from, table))
			return;
		if (!rtnl_rule_delete(fl->nc->sk, rule, 0))
			fl->deleted++;
		return;
	}
	if (rtnl_rule_get_family(rule) != AF_INET || fl->keep6)
		return;
	if (fl->keep) {
		struct nl_addr *src = rtnl_rule_get_src(rule);
		uint32_t from = 0;

		if (src && nl_addr_get_len(src) == 4)
			memcpy(&from, nl_addr_get_binary_addr(src), 4);
		if (fl->keep(fl->ctx, from, table))
			return;
	}
	if (!rtnl_rule_delete(fl->nc->sk, rule, 0))
		fl->deleted++;
}

/*
 * netcfg_rule_flush - delete the IPv4 rules of priority @prio that look up
 * a table in [@table_min, @table_max]: those a crashed run left behind
 * (rules, unlike routes, do not go away with the device).
 */
int netcfg_rule_flush(struct netcfg *nc, uint32_t table_min, uint32_t table_max, uint32_t prio,
		      netcfg_keep_rule_fn keep, void *ctx)
{
	struct netcfg_flush fl = { nc, table_min, table_max, prio, 0, keep, ctx, NULL };
	struct nl_cache *cache;
	int err;

	err = rtnl_rule_alloc_cache(nc->sk, AF_INET, &cache);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	nl_cache_foreach(cache, netcfg_flush_one, &fl);
	nl_cache_free(cache);
	return fl.deleted;
}

/*
 * netcfg_uc - add or delete @mac in the unicast list of @ifindex. The
 * kernel's default fdb handler (net/core/rtnetlink.c) turns an AF_BRIDGE
 * NTF_SELF NUD_PERMANENT entry into dev_uc_add_excl()/dev_uc_del().
 */
static int netcfg_uc(struct netcfg *nc, bool add, int ifindex,
		     const uint8_t mac[6])
{
	char name[IF_NAMESIZE + 16], m[LOG_MAC_LEN];
	struct rtnl_neigh *neigh;
	struct nl_addr *lladdr;
	int err = -ENOMEM;

	neigh = rtnl_neigh_alloc();
	if (!neigh)
		return -ENOMEM;
	lladdr = nl_addr_build(AF_LLC, mac, 6);
	if (!lladdr)
		goto out_neigh;

	rtnl_neigh_set_family(neigh, AF_BRIDGE);
	rtnl_neigh_set_ifindex(neigh, ifindex);
	rtnl_neigh_set_lladdr(neigh, lladdr);
	/* The default handler takes nothing but static entries, on del too. */
	rtnl_neigh_set_state(neigh, NUD_PERMANENT);
	rtnl_neigh_set_flags(neigh, NTF_SELF);

	nc->kernel_errno = 0;
	if (add) {
		/*
		 * A bridge's own fdb wants NLM_F_CREATE; without NLM_F_EXCL
		 * the kernel already answers 0 for a duplicate.
		 */
		err = netcfg_nlerr(nc, rtnl_neigh_add(nc->sk, neigh,
						     NLM_F_CREATE));
		if (err == -EEXIST)
			err = 0;
	} else {
		err = netcfg_nlerr(nc, rtnl_neigh_delete(nc->sk, neigh, 0));
		if (err == -ENOENT || err == -ENODEV)
			err = 0;
	}
	if (err == -EOPNOTSUPP)
		pr_warn("%s: device refuses unicast address %s: %s",
			netcfg_ifname(ifindex, name), log_mac(m, mac),
			strerror(-err));
	else if (err)
		pr_err("%s: cannot %s unicast address %s: %s",
		       netcfg_ifname(ifindex, name), add ? "add" : "delete",
		       log_mac(m, mac), strerror(-err));
	nl_addr_put(lladdr);
out_neigh:
	rtnl_neigh_put(neigh);
	return err;
}

int netcfg_uc_add(struct netcfg *nc, int ifindex, const uint8_t mac[6])
{
	return netcfg_uc(nc, true, ifindex, mac);
}

int netcfg_uc_del(struct netcfg *nc, int ifindex, const uint8_t mac[6])
{
	return netcfg_uc(nc, false, ifindex, mac);
}

/* netcfg_set_promisc - set or clear the device's IFF_PROMISC flag */
int netcfg_set_promisc(struct netcfg *nc, int ifindex, bool on)
{
	struct rtnl_link *orig = NULL, *change;
	char name[IF_NAMESIZE + 16];
	int err;

	nc->kernel_errno = 0;
	err = rtnl_link_get_kernel(nc->sk, ifindex, NULL, &orig);
	if (err < 0) {
		err = netcfg_nlerr(nc, err);
		pr_err("%s: cannot look up link: %s",
		       netcfg_ifname(ifindex, name), strerror(-err));
		return err;
	}
	change = rtnl_link_alloc();
	if (!change) {
		err = -ENOMEM;
		goto out_orig;
	}
	if (on)
		rtnl_link_set_flags(change, IFF_PROMISC);
	else
		rtnl_link_unset_flags(change, IFF_PROMISC);

	nc->kernel_errno = 0;
	err = netcfg_nlerr(nc, rtnl_link_change(nc->sk, orig, change, 0));
	if (err)
		pr_err("%s: cannot set promisc %s: %s",
		       netcfg_ifname(ifindex, name), on ? "on" : "off",
		       strerror(-err));
	rtnl_link_put(change);
out_orig:
	rtnl_link_put(orig);
	return err;
}

int netcfg_get_promisc(struct netcfg *nc, int ifindex, bool *on)
{
	struct rtnl_link *link = NULL;
	char name[IF_NAMESIZE + 16];
	int err;

	nc->kernel_errno = 0;
	err = rtnl_link_get_kernel(nc->sk, ifindex, NULL, &link);
	if (err < 0) {
		err = netcfg_nlerr(nc, err);
		pr_err("%s: cannot look up link: %s",
		       netcfg_ifname(ifindex, name), strerror(-err));
		return err;
	}
	/* The kernel reports gflags here: the flag, not the count. */
	*on = !!(rtnl_link_get_flags(link) & IFF_PROMISC);
	rtnl_link_put(link);
	return 0;
}

int netcfg_link_group(struct netcfg *nc, int ifindex, uint32_t *group)
{
	struct rtnl_link *link = NULL;
	int err;

	nc->kernel_errno = 0;
	err = rtnl_link_get_kernel(nc->sk, ifindex, NULL, &link);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	*group = rtnl_link_get_group(link);
	rtnl_link_put(link);
	return 0;
}

int netcfg_link_query(struct netcfg *nc, int ifindex, struct netcfg_link_state *st)
{
	struct rtnl_link *link = NULL;
	struct nl_addr *addr;
	unsigned int flags;
	int err;

	nc->kernel_errno = 0;
	err = rtnl_link_get_kernel(nc->sk, ifindex, NULL, &link);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	flags = rtnl_link_get_flags(link);
	st->up = (flags & IFF_UP) && (flags & IFF_RUNNING);
	st->mtu = rtnl_link_get_mtu(link);
	memset(st->mac, 0, sizeof(st->mac));
	addr = rtnl_link_get_addr(link);
	if (addr && nl_addr_get_len(addr) == 6)
		memcpy(st->mac, nl_addr_get_binary_addr(addr), 6);
	rtnl_link_put(link);
	return 0;
}

/* ---- link notifications -------------------------------------------------- */

struct netcfg_watch {
	struct nl_sock *sk;
	int ifindex;    /* of interest during one netcfg_watch_read() */
	bool hit;
};

/* netcfg_watch_msg - one notification: note it if it is about our link */
static int netcfg_watch_msg(struct nl_msg *msg, void *arg)
{
	struct netcfg_watch *w = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	const struct ifinfomsg *ifi;

	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return NL_SKIP;
	if (!nlmsg_valid_hdr(h, sizeof(*ifi)))
		return NL_SKIP;
	ifi = nlmsg_data(h);
	if (ifi->ifi_index == w->ifindex)
		w->hit = true;
	return NL_OK;
}

int netcfg_watch_open(struct netcfg_watch **out)
{
	struct netcfg_watch *w;
	int err;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->sk = nl_socket_alloc();
	if (!w->sk) {
		free(w);
		return -ENOMEM;
	}
	nl_socket_disable_seq_check(w->sk);
	nl_socket_modify_cb(w->sk, NL_CB_VALID, NL_CB_CUSTOM, netcfg_watch_msg, w);
	err = nl_connect(w->sk, NETLINK_ROUTE);
	if (!err)
		err = nl_socket_add_membership(w->sk, RTNLGRP_LINK);
	if (!err)
		err = nl_socket_set_nonblocking(w->sk);
	if (err < 0) {
		pr_err("netcfg: cannot watch link changes: %s", nl_geterror(err));
		nl_socket_free(w->sk);
		free(w);
		return -EIO;
	}
	/* Our own TUNs make a burst of notifications at start. */
	nl_socket_set_buffer_size(w->sk, 4 << 20, 0);
	*out = w;
	return 0;
}

int netcfg_watch_fd(const struct netcfg_watch *w)
{
	return nl_socket_get_fd(w->sk);
}

int netcfg_watch_read(struct netcfg_watch *w, int ifindex)
{
	int err, i;

	w->ifindex = ifindex;
	w->hit = false;
	/* Bounded: a storm of notifications must not starve the packet path. */
	for (i = 0; i < 256; i++) {
		err = nl_recvmsgs_default(w->sk);
		if (err == -NLE_AGAIN)
			break;
		if (err < 0) {
			/* Overflow (or junk): events were lost, look again. */
			w->hit = true;
			if (err != -NLE_NOMEM && err != -NLE_DUMP_INTR)
				break;
		}
	}
	return w->hit;
}

void netcfg_watch_close(struct netcfg_watch *w)
{
	if (!w)
		return;
	nl_socket_free(w->sk);
	free(w);
}

struct netcfg_link_sweep {
	struct netcfg *nc;
	uint32_t group;
	netcfg_keep_link_fn keep;
	void *ctx;
	int deleted;
};

static void netcfg_link_sweep_one(struct nl_object *obj, void *arg)
{
	struct rtnl_link *link = (struct rtnl_link *)obj;
	struct netcfg_link_sweep *sw = arg;

	if (rtnl_link_get_group(link) != sw->group ||
	    sw->keep(sw->ctx, rtnl_link_get_ifindex(link)))
		return;
	if (!rtnl_link_delete(sw->nc->sk, link))
		sw->deleted++;
}

int netcfg_link_sweep_group(struct netcfg *nc, uint32_t group, netcfg_keep_link_fn keep,
			    void *ctx)
{
	struct netcfg_link_sweep sw = { nc, group, keep, ctx, 0 };
	struct nl_cache *cache;
	int err;

	err = rtnl_link_alloc_cache(nc->sk, AF_UNSPEC, &cache);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	nl_cache_foreach(cache, netcfg_link_sweep_one, &sw);
	nl_cache_free(cache);
	return sw.deleted;
}

struct netcfg_addr_sweep {
	struct netcfg *nc;
	netcfg_keep_link_fn keep;
	void *ctx;
	int deleted;
};

static void netcfg_addr_sweep_one(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *addr = (struct rtnl_addr *)obj;
	struct netcfg_addr_sweep *sw = arg;

	if ((rtnl_addr_get_family(addr) != AF_INET && rtnl_addr_get_family(addr) != AF_INET6) ||
	    sw->keep(sw->ctx, rtnl_addr_get_ifindex(addr)))
		return;
	if (!rtnl_addr_delete(sw->nc->sk, addr, 0))
		sw->deleted++;
}

int netcfg_addr_sweep(struct netcfg *nc, netcfg_keep_link_fn keep, void *ctx)
{
	struct netcfg_addr_sweep sw = { nc, keep, ctx, 0 };
	struct nl_cache *cache;
	int err;

	err = rtnl_addr_alloc_cache(nc->sk, &cache);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	nl_cache_foreach(cache, netcfg_addr_sweep_one, &sw);
	nl_cache_free(cache);
	return sw.deleted;
}

/* ---- IPv6 ---------------------------------------------------------------- */

/*
 * IPv6 addresses: no duplicate address detection on a point-to-point link
 * whose other end is the AC; replace, so a new RA's lifetimes refresh an
 * address we have.
 */
int netcfg_addr6_add(struct netcfg *nc, int ifindex, const uint8_t addr[16], uint8_t plen,
		     uint32_t valid, uint32_t preferred)
{
	struct netcfg_req rq = { true, AF_INET6, ifindex };

	return netcfg_addr_do(nc, &rq, addr, plen, NULL, true, IFA_F_NODAD, valid, preferred);
}

int netcfg_addr6_del(struct netcfg *nc, int ifindex, const uint8_t addr[16], uint8_t plen)
{
	struct netcfg_req rq = { false, AF_INET6, ifindex };

	return netcfg_addr_do(nc, &rq, addr, plen, NULL, false, 0, 0xffffffffu, 0xffffffffu);
}

/*
 * IPv6 routes: DST/PLEN [via GW] dev IFINDEX. Added without NLM_F_REPLACE:
 * in the main table another session's default route of the same metric
 * must stay (IPv6 then makes the two an ECMP route; distinct
 * defaultroute_metric values avoid it).
 */
static const struct netcfg_route_kind netcfg_route6_kind = {
	.type = RTN_UNICAST, .scope = RT_SCOPE_UNIVERSE, .protocol = RTPROT_STATIC,
};

int netcfg_route6_add(struct netcfg *nc, int ifindex, const uint8_t dst[16], uint8_t plen,
		      const uint8_t *gw, uint32_t table, uint32_t metric)
{
	struct netcfg_req rq = { true, AF_INET6, ifindex };

	return netcfg_route_do(nc, &rq, &netcfg_route6_kind, dst, plen, gw, table, metric);
}

int netcfg_route6_del(struct netcfg *nc, int ifindex, const uint8_t dst[16], uint8_t plen,
		      const uint8_t *gw, uint32_t table, uint32_t metric)
{
	struct netcfg_req rq = { false, AF_INET6, ifindex };

	return netcfg_route_do(nc, &rq, &netcfg_route6_kind, dst, plen, gw, table, metric);
}

/* "unreachable DST/PLEN": a delegated prefix's, marked by its protocol */
static const struct netcfg_route_kind netcfg_unreach_kind = {
	.type = RTN_UNREACHABLE, .scope = RT_SCOPE_UNIVERSE, .protocol = NETCFG_RTPROT_PREFIX,
	.replace = true,
};

int netcfg_route6_unreach_add(struct netcfg *nc, const uint8_t dst[16], uint8_t plen,
			      uint32_t table, uint32_t metric)
{
	struct netcfg_req rq = { true, AF_INET6, 0 };

	return netcfg_route_do(nc, &rq, &netcfg_unreach_kind, dst, plen, NULL, table, metric);
}

int netcfg_route6_unreach_del(struct netcfg *nc, const uint8_t dst[16], uint8_t plen,
			      uint32_t table, uint32_t metric)
{
	struct netcfg_req rq = { false, AF_INET6, 0 };

	return netcfg_route_do(nc, &rq, &netcfg_unreach_kind, dst, plen, NULL, table, metric);
}

struct netcfg_unreach_sweep {
	struct netcfg *nc;
	int deleted;
};

static void netcfg_unreach_one(struct nl_object *obj, void *arg)
{
	struct rtnl_route *route = (struct rtnl_route *)obj;
	struct netcfg_unreach_sweep *sw = arg;

	if (rtnl_route_get_family(route) != AF_INET6 ||
	    rtnl_route_get_type(route) != RTN_UNREACHABLE ||
	    rtnl_route_get_protocol(route) != NETCFG_RTPROT_PREFIX)
		return;
	if (!rtnl_route_delete(sw->nc->sk, route, 0))
		sw->deleted++;
}

int netcfg_route6_unreach_sweep(struct netcfg *nc)
{
	struct netcfg_unreach_sweep sw = { nc, 0 };
	struct nl_cache *cache;
	int err;

	err = rtnl_route_alloc_cache(nc->sk, AF_INET6, 0, &cache);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	nl_cache_foreach(cache, netcfg_unreach_one, &sw);
	nl_cache_free(cache);
	return sw.deleted;
}

int netcfg_rule6_add(struct netcfg *nc, const uint8_t from[16], uint32_t table, uint32_t prio)
{
	struct netcfg_req rq = { true, AF_INET6, 0 };

	return netcfg_rule_do(nc, &rq, from, table, prio);
}

int netcfg_rule6_del(struct netcfg *nc, const uint8_t from[16], uint32_t table, uint32_t prio)
{
	struct netcfg_req rq = { false, AF_INET6, 0 };

	return netcfg_rule_do(nc, &rq, from, table, prio);
}

int netcfg_rule6_flush(struct netcfg *nc, uint32_t table_min, uint32_t table_max, uint32_t prio,
		       netcfg_keep_rule6_fn keep, void *ctx)
{
	struct netcfg_flush fl = { nc, table_min, table_max, prio, 0, NULL, ctx, keep };
	struct nl_cache *cache;
	int err;

	err = rtnl_rule_alloc_cache(nc->sk, AF_INET6, &cache);
	if (err < 0)
		return netcfg_nlerr(nc, err);
	nl_cache_foreach(cache, netcfg_flush_one, &fl);
	nl_cache_free(cache);
	return fl.deleted;
}

int netcfg_link_addr_gen_mode_none(struct netcfg *nc, int ifindex)
{
	struct rtnl_link *change;
	int err;

	change = rtnl_link_alloc();
	if (!change)
		return -ENOMEM;
	err = rtnl_link_inet6_set_addr_gen_mode(change, IN6_ADDR_GEN_MODE_NONE);
	err = err < 0 ? netcfg_nlerr(nc, err) : netcfg_link_change(nc, ifindex, change);
	rtnl_link_put(change);
	return err;
}
