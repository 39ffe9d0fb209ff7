/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - the INI configuration file: [global] and [session NAME].
 */
#ifndef PPPOE_XDP_CONFIG_H
#define PPPOE_XDP_CONFIG_H

#include <stddef.h>

#include "pppoe/session.h"

enum conf_xdp_mode {
	CONF_XDP_AUTO,
	CONF_XDP_NATIVE,
	CONF_XDP_SKB,
};

struct conf {
	char path[4096];
	char interface[16];
	enum conf_xdp_mode xdp_mode;
	struct session_conf *sessions;
	size_t nsessions;
};

/*
 * conf_load - read and validate @path into @out. Every problem is printed
 * as "FILE:LINE: ..." naming the key and value; returns 0 or -EINVAL
 * (-errno if the file cannot be read). @check_interface also requires the
 * interface to exist.
 */
int conf_load(const char *path, struct conf *out, bool check_interface);
/* conf_free - wipe secrets and free */
void conf_free(struct conf *c);
const char *conf_xdp_mode_name(enum conf_xdp_mode m);

#endif
