// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recover.c - what a crashed or killed run left behind, cleaned up at
 * start: PADT for the sessions its state file records as open (the AC
 * would keep them until its own timeout), the routing rules of ours still
 * installed, and the TUNs of our link group the kernel is still tearing
 * down.
 */
#include <stdio.h>
#include <string.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/wire.h"
#include "src/daemon_int.h"
#include "src/statefile.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"

/* recover_stale_padt - PADT for a session a crashed run left open */
static void recover_stale_padt(void *ctx, const struct statefile_rec *rec)
{
	struct daemon *d = ctx;
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
	if (n > 0 && !xsk_io_send(d->io, frame, ETH_HLEN_ + (size_t)n))
		pr_info("sent PADT for session 0x%04x left by an earlier run (AC %s)",
			rec->session_id, log_mac(mac, rec->ac_mac));
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
	int ret;

	recover_stale_rules(d);
	/* TUNs of a killed run still being torn down by the kernel. */
	netcfg_link_del_group(d->nc, d->link_group);
	if (!d->conf->state_file[0])
		return;
	d->state_fd = statefile_open(d->conf->state_file);
	if (d->state_fd < 0)
		return;
	ret = statefile_recover(d->state_fd, recover_stale_padt, d);
	if (ret > 0)
		xsk_io_flush(d->io);
}
