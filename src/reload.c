// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reload.c - SIGHUP and "pppoe-xdp reload": read the config again, end the
 * sessions that were removed or changed, start the new ones, and leave
 * every other session untouched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/log.h"
#include "src/daemon_int.h"

int daemon_reload(struct daemon *d)
{
	struct conf *nc, *old = d->conf;
	struct dsession *ds;
	size_t i, j, created = 0, removed = 0, changed = 0;
	char names[256];
	long slot;
	int ret;

	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	ret = conf_load(old->path, nc, true);
	if (ret) {
		pr_err("reload: %s has errors, keeping the running configuration", old->path);
		free(nc);
		return ret;
	}
	/* Tables in use were handed out from the old range. */
	if (conf_restart_keys(old, nc, CONF_RELOAD_REFUSE, names, sizeof(names))) {
		pr_err("reload: %s changes need a restart; keeping the running configuration",
		       names);
		conf_free(nc);
		free(nc);
		return -EINVAL;
	}
	if (conf_restart_keys(old, nc, CONF_RELOAD_RESTART, names, sizeof(names)))
		pr_warn("reload: changes to %s need a restart; ignored", names);
	conf_restart_keep(nc, old);

	/* Removed or changed: end them first, so names and ifnames are free. */
	for_each_dsession(d, i, ds) {
		for (j = 0; j < nc->nsessions; j++)
			if (!strcmp(nc->sessions[j].s.name, ds->conf.s.name))
				break;
		if (j < nc->nsessions && conf_session_equal(&nc->sessions[j], &ds->conf))
			continue;
		if (j < nc->nsessions)
			changed++;
		else
			removed++;
		sl_info(ds->s.label, "reload: %s", j < nc->nsessions ? "changed, redialing" : "removed");
		dsession_destroy(ds);
	}
	d->conf = nc;
	daemon_raise_nofile(nc->nsessions);
	pacer_set_rate(&d->pacer, nc->dial_rate);
	setup_win_configure(&d->win, nc->max_starting);
	pacer_kick(&d->pacer);
	for (j = 0; j < nc->nsessions; j++) {
		if (sessions_find(d, nc->sessions[j].s.name))
			continue;
		slot = sessions_free_slot(d);
		ret = slot < 0 ? (int)slot : dsession_create(d, &nc->sessions[j], (size_t)slot);
		if (ret) {
			pr_err("reload: session %s not started: %s", nc->sessions[j].s.name,
			       strerror(-ret));
			continue;
		}
		if (!d->stopping)
			session_start(&d->sessions[slot]->s);
		created++;
	}
	pr_info("reload: %zu removed, %zu changed, %zu started (new or changed), %zu sessions",
		removed, changed, created, nc->nsessions);
	conf_free(old);
	if (d->conf_owned)
		free(old);
	d->conf_owned = true;
	return 0;
}
