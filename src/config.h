/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - the INI configuration file: [global] and [session NAME].
 *
 * Every key is one row of the table in config_keys.c: its name, where it is
 * stored, how its value is parsed, where it may appear and what a reload
 * does with a change. Adding a key is a row there plus its field here.
 */
#ifndef PPPOE_XDP_CONFIG_H
#define PPPOE_XDP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pppoe/session.h"

enum conf_xdp_mode {
	CONF_XDP_AUTO,
	CONF_XDP_NATIVE,
	CONF_XDP_SKB,
};

#define CONF_PATH_MAX 256

/* What a reload (SIGHUP) does with a key whose value changed. */
enum conf_reload {
	CONF_RELOAD_LIVE,	/* applied at once (dial_rate, max_starting) */
	CONF_RELOAD_REDIAL,	/* the session is redialed with it: every session key */
	CONF_RELOAD_RESTART,	/* needs a restart: the reload warns and keeps the old value */
	CONF_RELOAD_REFUSE,	/* needs a restart: the reload is refused */
};

/* One session: its protocol settings plus what the daemon does around it. */
struct conf_session {
	struct session_conf s;
	uint32_t route_table;        /* own routing table, 0 = none */
	bool route_table_auto;       /* allocate from route_table_range */
	uint32_t rule_priority;      /* of the "from LOCAL lookup TABLE" rule */
	bool defaultroute;           /* default route in the main table */
	uint32_t defaultroute_metric;
	char up_script[CONF_PATH_MAX];
	char down_script[CONF_PATH_MAX];
	unsigned int script_timeout; /* s */
	uint16_t mss_clamp;          /* TCP SYNs both ways: 0 = off, CONF_MSS_AUTO, else this MSS */
};

#define CONF_MSS_AUTO 0xffffu	/* mss_clamp = auto: what the session's MTU carries */

struct conf {
	char path[4096];
	char interface[16];
	enum conf_xdp_mode xdp_mode;
	char control_socket[108];    /* sun_path */
	char metrics_listen[64];     /* ADDR:PORT, empty = off */
	char state_file[CONF_PATH_MAX];
	unsigned int dial_rate;      /* dials per second, 0 = unlimited */
	unsigned int max_starting;   /* sessions in setup at once, 0 = auto (adaptive window) */
	uint32_t route_table_min, route_table_max;
	bool hook_caps_all;          /* hook_capabilities = all: keep the bounding set */
	bool tun_offload_off;        /* tun_offload = off: TUNs without vnet header or offloads */
	unsigned int workers;        /* data-path threads: 1..CONF_WORKERS_MAX, 0 = auto */
	struct conf_session *sessions;
	size_t nsessions;
};

/* mtu/mru: above 1492 only with RFC 4638; a frame must fit a 2 KiB UMEM
 * frame after the kernel's headroom, tags and headers */
#define CONF_MTU_MAX 1700u
#define CONF_DEFAULT_SOCKET "/run/pppoe-xdp/pppoe-xdp.sock"
/* route_table = auto without route_table_range: tables far from the
 * small numbers operators pick by hand, one per possible session */
#define CONF_DEFAULT_TABLE_MIN 100000u
#define CONF_DEFAULT_TABLE_MAX 165535u
/* workers = N: at most this many data-path threads */
#define CONF_WORKERS_MAX 16

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
/* conf_session_link - point a session's protocol settings at its own
 * strings again after the struct was copied */
void conf_session_link(struct conf_session *cs);
/* conf_session_equal - same settings (a reload keeps such a session) */
bool conf_session_equal(const struct conf_session *a, const struct conf_session *b);
/*
 * conf_restart_keys - the [global]-only keys with reload behaviour @which
 * whose values differ between @old and @nc, by the key table. Their names
 * go to @names as "interface, xdp_mode" in table order (as many whole names
 * as fit in @len bytes; always NUL-terminated if @len > 0; @names may be
 * NULL if @len is 0). Returns how many differ: 0 when none do.
 */
int conf_restart_keys(const struct conf *old, const struct conf *nc, enum conf_reload which,
		      char *names, size_t len);
/*
 * conf_restart_keep - copy into @nc the running values, from @old, of every
 * [global] key with reload behaviour CONF_RELOAD_RESTART
 */
void conf_restart_keep(struct conf *nc, const struct conf *old);
/*
 * conf_workers_resolve - how many workers to run: c->workers, or for auto
 * (0) one per online CPU; always 1..CONF_WORKERS_MAX
 */
unsigned int conf_workers_resolve(const struct conf *c);
/* conf_keys_usage - for --help: the name of every key, by where it may appear */
void conf_keys_usage(FILE *out);

#endif
