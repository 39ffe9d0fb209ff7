// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recover.c - what a crashed or killed run left behind, cleaned up at
 * start: PADT for the sessions its state file records as open (the AC
 * would keep them until its own timeout), the routing rules of ours still
 * installed, and the TUNs of our link group the kernel is still tearing
 * down.
 */
#include <errno.h>
#include <stdio.h>
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

/* recover_stale_padt - PADT for a session a crashed run left open */
static int recover_stale_padt(void *ctx, const struct statefile_rec *rec)
{
	struct recover_ctx *rc = ctx;
	uint8_t frame[128];
	struct disc_pkt p = { .code = DISC_PADT, .session_id = rec->session_id };
	static const char reason[] = "pppoe-xdp restarted";
	char mac[LOG_MAC_LEN];
	int n;

	p.generic_error.ptr = (const uint8_t *)reason;
	p.generic_error.len = sizeof(reason) - 1;
	p.generic_error.present = true;
	pppoe_eth_hdr_encode(frame, rec->ac_mac, rec->our_mac, ETH_P_PPP_DISC_);
	n = disc_encode(frame + ETH_HLEN_, sizeof(frame) - ETH_HLEN_, &p);
	if (n < 0)
		return n;
	n = recover_send(rc, frame, ETH_HLEN_ + (size_t)n);
	if (n)
		return n;
	pr_info("sent PADT for session 0x%04x left by an earlier run (AC %s)", rec->session_id,
		log_mac(mac, rec->ac_mac));
	return 0;
}

/*
 * recover_stale_rules - rules of ours a crashed run left behind: those
 * with a session's rule priority that look up one of our tables.
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
		r = netcfg_rule_flush(d->nc, lo, hi, prio);
		n += r > 0 ? r : 0;
	}
	if (n)
		pr_info("removed %d routing rule(s) left by an earlier run", n);
}

void recover_run(struct daemon *d)
{
	struct recover_ctx rc = { .d = d, .deadline = mono_ms() + RECOVER_TX_WAIT_MS };
	unsigned int left;
	int ret;

	recover_stale_rules(d);
	/* TUNs of a killed run still being torn down by the kernel. */
	netcfg_link_del_group(d->nc, d->link_group);
	if (!d->conf->state_file[0])
		return;
	d->state_fd = statefile_open(d->conf->state_file);
	if (d->state_fd < 0)
		return;
	ret = statefile_recover(d->state_fd, recover_stale_padt, &rc, &left);
	if (ret > 0)
		xsk_io_flush(d->io);
	if (ret < 0)
		pr_warn("state file %s: %s", d->conf->state_file, strerror(-ret));
	else if (ret > 0 || left)
		pr_info("PADT sent for %d session(s) left by an earlier run%s", ret,
			left ? "" : ", none left");
	if (left)
		pr_warn("%u session(s) left by an earlier run got no PADT (TX ring full for %d ms); "
			"%s keeps them for the next start until their slots are reused", left, RECOVER_TX_WAIT_MS,
			d->conf->state_file);
}
