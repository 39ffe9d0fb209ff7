// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recover.c - what an earlier run (crashed, killed, or stopped with
 * --keep) left, taken up at start: the sessions its state file records are
 * resumed when they still fit the config, the others get a PADT (the AC
 * would keep them until its own timeout); rules, addresses and TUNs of
 * ours that no session uses any more are removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"
#include "src/daemon_int.h"
#include "src/statefile.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"
#include "tun/tun.h"

#define RECOVER_TX_WAIT_MS 5000 /* for room in the TX ring, over all the PADTs */

struct recover_ctx {
	struct daemon *d;
	uint64_t deadline;     /* give up waiting for the TX ring after this */
};

/*
 * recover_send - queue @frame; when the TX ring is full (thousands of
 * stale sessions), hand what is queued to the kernel, reap what it sent
 * and try again, until the deadline.
 */
static int recover_send(struct recover_ctx *rc, const uint8_t *frame, size_t len)
{
	int ret;

	while ((ret = xsk_io_send(rc->d->io, frame, len)) == -ENOBUFS && mono_ms() < rc->deadline) {
		xsk_io_flush(rc->d->io);
		if (xsk_io_tx_outstanding(rc->d->io))
			usleep(500);
	}
	return ret;
}

/* recover_rec_vlan - the tags of a recorded session */
static void recover_rec_vlan(const struct statefile_sess *rec, struct pppoe_vlan *v)
{
	memset(v, 0, sizeof(*v));
	v->ntags = rec->vlan_ntags;
	v->vid[0] = rec->vlan_vid[0];
	v->vid[1] = rec->vlan_vid[1];
	v->tpid = rec->vlan_tpid ? rec->vlan_tpid : ETH_P_8021Q_;
}

/* recover_padt - PADT for a session an earlier run left open */
static int recover_padt(struct recover_ctx *rc, const struct statefile_sess *rec)
{
	uint8_t frame[128];
	struct disc_pkt p = { .code = DISC_PADT, .session_id = rec->session_id };
	static const char reason[] = "pppoe-xdp restarted";
	char mac[LOG_MAC_LEN], vs[PPPOE_VLAN_STRLEN];
	struct pppoe_vlan v;
	size_t hl;
	int n;

	p.generic_error.ptr = (const uint8_t *)reason;
	p.generic_error.len = sizeof(reason) - 1;
	p.generic_error.present = true;
	/* On the VLAN the session ran on, which the config may no longer name. */
	recover_rec_vlan(rec, &v);
	hl = pppoe_eth_hdr_encode_vlan(frame, rec->ac_mac, rec->our_mac, &v, ETH_P_PPP_DISC_);
	n = disc_encode(frame + hl, sizeof(frame) - hl, &p);
	if (n < 0)
		return n;
	n = recover_send(rc, frame, hl + (size_t)n);
	if (n)
		return n;
	pr_info("sent PADT for session 0x%04x left by an earlier run (AC %s%s%s)",
		rec->session_id, log_mac(mac, rec->ac_mac), v.ntags ? ", VLAN " : "",
		pppoe_vlan_format(&v, vs, sizeof(vs)));
	return 0;
}

/* recover_keep_rule - a rule of a resumed session stays */
static bool recover_keep_rule(void *ctx, uint32_t from, uint32_t table)
{
	struct daemon *d = ctx;
	struct dsession *ds;
	size_t i;

	for_each_dsession(d, i, ds)
		if (ds->resumed && ds->local == from && ds->table == table)
			return true;
	return false;
}

/* recover_keep_rule6 - IPv6 rules of a resumed session stay (its IPv6CP is
 * negotiated afresh, and the RA that follows adds what is missing) */
static bool recover_keep_rule6(void *ctx, const uint8_t from[16], uint32_t table)
{
	struct daemon *d = ctx;
	struct dsession *ds;
	size_t i;

	(void)from;
	for_each_dsession(d, i, ds)
		if (ds->resumed && ds->conf.s.ppp.ipv6 && ds->table == table)
			return true;
	return false;
}

/*
 * recover_stale_rules - rules of ours an earlier run left behind: those
 * with a session's rule priority that look up one of our tables, except
 * the resumed sessions' own.
 */
static void recover_stale_rules(struct daemon *d)
{
	const struct conf *c = d->conf;
	uint32_t lo, hi, prio, last[3] = { 0, 0, 0 };
	int n = 0, r;
	size_t i;

	for (i = 0; i < c->nsessions; i++) {
		const struct conf_session *cs = &c->sessions[i];

		if (!cs->route_table_auto && !cs->route_table)
			continue;
		lo = cs->route_table_auto ? c->route_table_min : cs->route_table;
		hi = cs->route_table_auto ? c->route_table_max : cs->route_table;
		prio = cs->rule_priority;
		/* Sessions of one count section share all three: one dump each. */
		if (lo == last[0] && hi == last[1] && prio == last[2])
			continue;
		last[0] = lo;
		last[1] = hi;
		last[2] = prio;
		r = netcfg_rule_flush(d->nc, lo, hi, prio, recover_keep_rule, d);
		n += r > 0 ? r : 0;
		r = netcfg_rule6_flush(d->nc, lo, hi, prio, recover_keep_rule6, d);
		n += r > 0 ? r : 0;
	}
	if (n)
		pr_info("removed %d routing rule(s) left by an earlier run", n);
}

/* recover_tun_user - the session whose TUN is @ifindex, or NULL */
static struct dsession *recover_tun_user(struct daemon *d, int ifindex)
{
	struct dsession *ds;
	size_t i;

	for_each_dsession(d, i, ds)
		if (ds->ifindex == ifindex)
			return ds;
	return NULL;
}

/* recover_keep_tun - a device of our group one of the sessions uses */
static bool recover_keep_tun(void *ctx, int ifindex)
{
	return recover_tun_user(ctx, ifindex) != NULL;
}

/* recover_keep_addr - addresses stay, but on adopted TUNs not resumed */
static bool recover_keep_addr(void *ctx, int ifindex)
{
	struct dsession *ds = recover_tun_user(ctx, ifindex);

	return !ds || !ds->adopted || ds->resumed;
}

/* recover_fits - may @rec carry on as @ds? NULL if so, else why not */
static const char *recover_fits(struct daemon *d, const struct statefile *st,
				struct dsession *ds, const struct statefile_sess *rec)
{
	struct pppoe_vlan v;

	if (st->if_index != (uint32_t)d->if_index)
		return "it ran on another interface";
	if (strcmp(rec->ifname, ds->conf.s.ifname))
		return "its TUN name changed";
	if (memcmp(rec->our_mac, ds->s.mac, 6))
		return "its MAC changed";
	recover_rec_vlan(rec, &v);
	/* QinQ's outer TPID counts too: frames with another one would not
	 * reach the AC's session. */
	if (!pppoe_vlan_same(&v, &ds->s.disc.vlan) ||
	    (v.ntags == 2 && v.tpid != ds->s.disc.vlan.tpid))
		return "its VLAN changed";
	if (rec->dial_hash != dsession_dial_hash(ds))
		return "its user, service, AC name or MAC, or MRU changed";
	if (!ds->adopted || rec->tun_ifindex != ds->ifindex)
		return "its TUN is gone";
	if (ds->conf.route_table_auto ? rec->table < d->conf->route_table_min ||
					rec->table > d->conf->route_table_max
				      : rec->table != ds->conf.route_table)
		return "its routing table changed";
	if (ds->resumed || ds->s.state != SESS_IDLE)
		return "the name is recorded twice";
	/* The interface's MTU may have shrunk while we were away: what was
	 * agreed must still fit both ways. */
	if (rec->mtu > session_mru_limit(&ds->s, rec->mru_limit) ||
	    rec->mru > session_mru_limit(&ds->s, rec->mru_limit) ||
	    (rec->mru_limit && rec->mru_limit > session_mru_limit(&ds->s, rec->mru_limit)))
		return "the interface's MTU is smaller now";
	if (rec->mtu > ds->conf.s.ppp.mtu)
		return "its mtu is smaller now";
	return NULL;
}

/* recover_resume_one - resume the session @rec names, if it still fits */
static bool recover_resume_one(struct daemon *d, const struct statefile *st,
			       const struct statefile_sess *rec, uint64_t real_now)
{
	struct dsession *ds = sessions_find(d, rec->name);
	struct session_resume r = { 0 };
	const char *why;
	uint64_t now = d->loop.wheel.now, age;
	int ret;

	if (!ds) {
		pr_info("%s: recorded session is no longer in the config: PADT", rec->name);
		return false;
	}
	why = recover_fits(d, st, ds, rec);
	if (why) {
		sl_info(ds->s.label, "recorded session not resumed (%s): PADT, then a dial", why);
		return false;
	}
	memcpy(r.ac_mac, rec->ac_mac, 6);
	r.session_id = rec->session_id;
	snprintf(r.ac_name, sizeof(r.ac_name), "%s", rec->ac_name);
	r.ppp.magic = rec->magic;
	r.ppp.peer_magic = rec->peer_magic;
	r.ppp.mru = rec->mru;
	r.ppp.peer_mru = rec->peer_mru;
	r.ppp.max_payload = rec->mru_limit;
	r.ppp.auth_proto = rec->auth_proto;
	r.ppp.chap_alg = rec->chap_alg;
	r.ppp.net.local = rec->local;
	r.ppp.net.peer = rec->peer;
	r.ppp.net.dns1 = rec->dns1;
	r.ppp.net.dns2 = rec->dns2;
	r.ppp.net.mtu = rec->mtu;
	/* Times in the file are wall-clock; the wheel's are our own. */
	age = real_now > rec->last_rx_ms ? real_now - rec->last_rx_ms : 0;
	r.ppp.last_rx_ms = now > age ? now - age : 0;
	age = real_now > rec->up_since_ms ? real_now - rec->up_since_ms : 0;
	r.up_since_ms = now > age ? now - age : 0;
	ret = dsession_resume(ds, &r, rec->table);
	if (ret) {
		sl_warn(ds->s.label, "cannot resume the recorded session: %s; PADT, then a dial",
			strerror(-ret));
		return false;
	}
	return true;
}

void recover_orphans_padt(struct daemon *d)
{
	struct recover_ctx rc = { .d = d, .deadline = mono_ms() + RECOVER_TX_WAIT_MS / 5 };
	size_t i;

	for (i = 0; i < d->norphans; i++)
		recover_padt(&rc, &d->orphans[i]);
	d->norphans = 0;
}

/* recover_orphan - keep @rec for the next start: its PADT could not go out */
static void recover_orphan(struct daemon *d, const struct statefile_sess *rec)
{
	struct statefile_sess *o = realloc(d->orphans, (d->norphans + 1) * sizeof(*o));

	if (!o)
		return;
	d->orphans = o;
	o[d->norphans] = *rec;
	o[d->norphans].flags = 0;
	d->norphans++;
}

/*
 * recover_run - after the sessions (and their TUNs) exist: resume what the
 * state file records and still fits the config, PADT the rest, and clear
 * what no session uses any more: rules, addresses on TUNs not resumed,
 * TUNs of our group no session names, delegated prefixes' routes.
 */
void recover_run(struct daemon *d)
{
	struct recover_ctx rc = { .d = d, .deadline = mono_ms() + RECOVER_TX_WAIT_MS };
	uint64_t real_now = statefile_realtime_ms();
	unsigned int resumed = 0, padt = 0, left = 0;
	struct statefile st = { 0 };
	size_t i;
	int ret;

	if (d->conf->state_file[0]) {
		ret = statefile_load(d->conf->state_file, &st);
		if (ret && ret != -ENOENT)
			pr_warn("state file %s not used: no session resumed, no PADT sent",
				d->conf->state_file);
	}
	for (i = 0; i < st.n; i++) {
		const struct statefile_sess *rec = &st.recs[i];

		if ((rec->flags & STATEFILE_F_UP) && recover_resume_one(d, &st, rec, real_now)) {
			resumed++;
			continue;
		}
		if (recover_padt(&rc, rec)) {
			left++;
			recover_orphan(d, rec);
			continue;
		}
		padt++;
	}
	if (padt)
		xsk_io_flush(d->io);
	statefile_free(&st);
	/* An adopted TUN not resumed starts bare: down (the kernel drops its
	 * routes with that), and its addresses go in one sweep below. */
	for (i = 0; i < d->nslots; i++) {
		struct dsession *ds = d->sessions[i];

		if (!ds || !ds->adopted || ds->resumed)
			continue;
		netcfg_link_set(d->nc, ds->ifindex, false, 0);
		/* An earlier run's IPv6 (ipv6 = yes then): off if no longer wanted. A
		 * resumed session's config has not changed (the dial hash holds ipv6). */
		if (!ds->conf.s.ppp.ipv6)
			tun_disable_ipv6(ds->conf.s.ifname);
	}
	recover_stale_rules(d);
	/* Delegated prefixes' unreachable routes of an earlier run: the
	 * DHCPv6 clients (resumed sessions' too) install theirs again. */
	ret = netcfg_route6_unreach_sweep(d->nc);
	if (ret > 0)
		pr_info("removed %d unreachable route(s) of delegated prefixes of an earlier run",
			ret);
	ret = netcfg_addr_sweep(d->nc, recover_keep_addr, d);
	if (ret > 0)
		pr_debug("removed %d address(es) from adopted TUNs not resumed", ret);
	ret = netcfg_link_sweep_group(d->nc, d->link_group, recover_keep_tun, d);
	if (ret > 0)
		pr_info("removed %d TUN device(s) of ours no session uses", ret);
	if (resumed || padt)
		pr_info("earlier run: %u session(s) resumed, PADT sent for %u", resumed, padt);
	if (left)
		pr_warn("%u session(s) left by an earlier run got no PADT (TX ring full for %d ms); "
			"%s keeps them for the next start", left, RECOVER_TX_WAIT_MS,
			d->conf->state_file);
	statekeep_dirty(d);
}
