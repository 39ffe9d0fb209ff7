/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * status_int.h - what the daemon's reports share: src/status.c (table and
 * JSON) and src/metrics.c (Prometheus) read the session table the same way.
 */
#ifndef PPPOE_XDP_STATUS_INT_H
#define PPPOE_XDP_STATUS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/session.h"
#include "src/daemon_int.h"

#ifndef PPPOE_XDP_VERSION
#define PPPOE_XDP_VERSION "unknown"
#endif

#define STATUS_NSTATES (SESS_FAILED + 1)

/* status_count_states - sessions per state, and in all, over the table */
void status_count_states(const struct daemon *d, size_t counts[STATUS_NSTATES], size_t *total);

static inline const char *status_ifname(const struct daemon *d)
{
	return d->conf ? d->conf->interface : "";
}

static inline uint64_t status_secs_since(uint64_t now_ms, uint64_t since_ms)
{
	return now_ms > since_ms ? (now_ms - since_ms) / 1000 : 0;
}

static inline bool status_is_up(const struct dsession *ds)
{
	return ds->s.state == SESS_UP;
}

/* A PPPoE session exists on the wire: id, AC MAC (and name) mean something. */
static inline bool status_has_sid(const struct dsession *ds)
{
	return ds->s.disc.session_id != 0;
}

static inline const char *status_name(const struct dsession *ds)
{
	return ds->s.conf ? ds->s.conf->name : ds->conf.s.name;
}

static inline const char *status_sess_ifname(const struct dsession *ds)
{
	return ds->s.conf ? ds->s.conf->ifname : ds->conf.s.ifname;
}

#endif
