// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sessions.c - the daemon's session table: slots indexed by the number a
 * session carries in its Host-Uniq, a hash by (PPPoE session id, AC MAC)
 * for session frames, lookup by name, and the graveyard that frees
 * destroyed sessions once the epoll batch that may still name them is done.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/daemon_int.h"

/* sessions_sid_hash - the by_sid bucket of PPPoE session @sid with AC @ac_mac */
static unsigned int sessions_sid_hash(uint16_t sid, const uint8_t *ac_mac)
{
	return (sid ^ ((unsigned int)ac_mac[4] << 8) ^ ac_mac[5]) % SID_BUCKETS;
}

/* sessions_find_bound - the session using PPPoE session @sid with AC
 * @ac_mac from @our_mac on @vlan: on different VLANs, sessions sharing our
 * MAC may hold the same session id of the same AC MAC */
struct dsession *sessions_find_bound(struct daemon *d, uint16_t sid, const uint8_t *ac_mac,
				     const uint8_t *our_mac, const struct pppoe_vlan *vlan)
{
	struct dsession *ds;

	for (ds = d->by_sid[sessions_sid_hash(sid, ac_mac)]; ds; ds = ds->sid_next)
		if (ds->s.disc.session_id == sid && !memcmp(ds->s.disc.ac_mac, ac_mac, 6) &&
		    !memcmp(ds->s.mac, our_mac, 6) && pppoe_vlan_same(&ds->s.disc.vlan, vlan))
			return ds;
	return NULL;
}

/* sessions_sid_add - file a session that now holds a PPPoE session id */
void sessions_sid_add(struct dsession *ds)
{
	struct dsession **head;

	/* Remember the bucket: by the time sessions_sid_del() runs, discovery
	 * may already have forgotten the session id and AC MAC (PADT sent). */
	ds->sid_bucket = sessions_sid_hash(ds->s.disc.session_id, ds->s.disc.ac_mac);
	head = &ds->d->by_sid[ds->sid_bucket];
	ds->sid_next = *head;
	*head = ds;
	ds->in_sid_table = true;
}

/* sessions_sid_del - the session no longer holds its session id */
void sessions_sid_del(struct dsession *ds)
{
	struct dsession **pp;

	if (!ds->in_sid_table)
		return;
	for (pp = &ds->d->by_sid[ds->sid_bucket]; *pp; pp = &(*pp)->sid_next) {
		if (*pp == ds) {
			*pp = ds->sid_next;
			break;
		}
	}
	ds->sid_next = NULL;
	ds->in_sid_table = false;
}


struct dsession *sessions_find(struct daemon *d, const char *name)
{
	struct dsession *ds;
	size_t i;

	for_each_dsession(d, i, ds)
		if (!strcmp(ds->conf.s.name, name))
			return ds;
	return NULL;
}

/* sessions_bury - free the sessions destroyed during the last batch */
void sessions_bury(struct daemon *d)
{
	struct dsession *ds;

	while ((ds = d->graveyard)) {
		d->graveyard = ds->dead_next;
		free(ds);
	}
}

/* sessions_grow - room for @n session slots */
int sessions_grow(struct daemon *d, size_t n)
{
	struct dsession **ns;

	if (n <= d->nslots)
		return 0;
	ns = realloc(d->sessions, n * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	memset(ns + d->nslots, 0, (n - d->nslots) * sizeof(*ns));
	d->sessions = ns;
	d->nslots = n;
	return 0;
}

/* sessions_free_slot - the lowest empty slot, growing the table if needed */
long sessions_free_slot(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nslots; i++)
		if (!d->sessions[i])
			return (long)i;
	if (sessions_grow(d, d->nslots ? d->nslots * 2 : 16))
		return -ENOMEM;
	return (long)i;
}
