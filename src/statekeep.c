// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * statekeep.c - keeping the state file current: what a crash or `stop
 * --keep` leaves for the next start to resume (src/recover.c reads it).
 *
 * A change (a session bound or unbound, its network up or down) marks the
 * state dirty; a timer writes the whole file STATEKEEP_DELAY_MS later, so a
 * burst of thousands of sessions costs a few writes, none per packet. While
 * sessions are open it is rewritten every STATEKEEP_REFRESH_MS anyway, to
 * keep the time of each peer's last frame roughly current. A crash within
 * the delay of a change loses that change: the session is then neither
 * resumed nor sent a PADT by the next start (the AC ends it on its own).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/daemon_int.h"
#include "src/statefile.h"

#define STATEKEEP_DELAY_MS   200
#define STATEKEEP_REFRESH_MS 30000

/* statekeep_realtime - the wall-clock time of wheel time @t */
static uint64_t statekeep_realtime(const struct daemon *d, uint64_t real_now, uint64_t t)
{
	uint64_t age = d->loop.wheel.now > t ? d->loop.wheel.now - t : 0;

	return real_now > age ? real_now - age : 0;
}

/* statekeep_fill - @ds's record; false if it has no PPPoE session to keep */
static bool statekeep_fill(const struct dsession *ds, uint64_t real_now, struct statefile_sess *r)
{
	const struct session *s = &ds->s;
	struct session_resume sr;

	if (!s->bound)
		return false;
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", ds->conf.s.name);
	snprintf(r->ifname, sizeof(r->ifname), "%s", ds->conf.s.ifname);
	snprintf(r->ac_name, sizeof(r->ac_name), "%s", s->disc.ac_name);
	memcpy(r->our_mac, s->mac, 6);
	memcpy(r->ac_mac, s->disc.ac_mac, 6);
	r->session_id = s->disc.session_id;
	r->vlan_ntags = s->disc.vlan.ntags;
	r->vlan_vid[0] = s->disc.vlan.ntags > 0 ? s->disc.vlan.vid[0] : 0;
	r->vlan_vid[1] = s->disc.vlan.ntags > 1 ? s->disc.vlan.vid[1] : 0;
	r->vlan_tpid = s->disc.vlan.ntags == 2 ? s->disc.vlan.tpid : 0;
	r->tun_ifindex = ds->ifindex;
	r->table = ds->table;
	r->dial_hash = dsession_dial_hash(ds);
	if (!session_resume_get(s, &sr) || !ds->addr_set)
		return true; /* still negotiating: worth a PADT, no more */
	r->flags = STATEFILE_F_UP;
	r->magic = sr.ppp.magic;
	r->peer_magic = sr.ppp.peer_magic;
	r->mru = sr.ppp.mru;
	r->peer_mru = sr.ppp.peer_mru;
	r->mru_limit = sr.ppp.max_payload;
	r->auth_proto = sr.ppp.auth_proto;
	r->chap_alg = sr.ppp.chap_alg;
	r->mtu = (uint16_t)ds->tun_mtu;
	r->local = ds->local;
	r->peer = ds->peer;
	r->dns1 = sr.ppp.net.dns1;
	r->dns2 = sr.ppp.net.dns2;
	r->last_rx_ms = statekeep_realtime(ds->d, real_now, sr.ppp.last_rx_ms);
	r->up_since_ms = statekeep_realtime(ds->d, real_now, sr.up_since_ms);
	return true;
}

int statekeep_save(struct daemon *d)
{
	uint64_t real_now = statefile_realtime_ms();
	struct statefile_sess *recs;
	struct dsession *ds;
	size_t i, n = 0;
	int ret;

	if (!d->conf->state_file[0])
		return 0;
	recs = calloc(d->nslots + d->norphans + 1, sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	for_each_dsession(d, i, ds)
		if (statekeep_fill(ds, real_now, &recs[n]))
			n++;
	/* An earlier run's sessions whose PADT failed (dsession_bound drops one
	 * the AC has since given again to one of ours). */
	for (i = 0; i < d->norphans; i++)
		recs[n++] = d->orphans[i];
	ret = statefile_save(d->conf->state_file, recs, n, (uint32_t)d->if_index);
	free(recs);
	d->state_bound = n;
	if (ret && ret != d->state_err)
		pr_warn("state file %s: cannot write it: %s (a crash now would leave sessions "
			"open at the AC)", d->conf->state_file, strerror(-ret));
	else if (!ret && d->state_err)
		pr_info("state file %s: written again", d->conf->state_file);
	d->state_err = ret;
	return ret;
}

static void statekeep_fire(struct tw_timer *t)
{
	struct daemon *d = container_of(t, struct daemon, state_timer);

	d->state_dirty = false;
	statekeep_save(d);
	if (d->state_bound)
		tw_arm(&d->loop.wheel, &d->state_timer, STATEKEEP_REFRESH_MS);
}

void statekeep_init(struct daemon *d)
{
	tw_timer_init(&d->state_timer, statekeep_fire);
}

void statekeep_dirty(struct daemon *d)
{
	if (d->state_dirty || !d->conf->state_file[0] || d->keep)
		return;
	d->state_dirty = true;
	tw_arm(&d->loop.wheel, &d->state_timer, STATEKEEP_DELAY_MS);
}

void statekeep_stop(struct daemon *d)
{
	tw_cancel(&d->loop.wheel, &d->state_timer);
	d->state_dirty = false;
}
