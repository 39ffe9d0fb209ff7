// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config_keys.c - every configuration key, one row each (in the manner of
 * pppd's option tables), and the value parsers behind the rows.
 *
 * A row says where the value goes (a field of struct conf for a [global]
 * key, of struct conf_session for a session key), how it is parsed (a
 * number with limits, yes/no, text, one of some names, or a function of
 * its own), where it may appear and what a reload does with a change. The
 * reader (config.c), `pppoe-xdp --help`, the reload's restart check and the
 * tests all go by this table; README.md's key reference and
 * conf/example.conf are checked against it (tests/unit/test_config_doc.sh).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pppoe/wire.h"
#include "src/config_int.h"
#include "src/fsafe.h"

/* ---- value parsers ----------------------------------------------------- */

int conf_uint(const char *v, unsigned long min, unsigned long max, unsigned int *out)
{
	unsigned long x;
	char *end;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*out = (unsigned int)x;
	return 0;
}

int conf_copy(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);

	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, v, n + 1);
	return 0;
}

static int conf_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int conf_mac(const char *v, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6 || strlen(v) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	if (mac[0] & 1) /* multicast */
		return -EINVAL;
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EINVAL;
	return 0;
}

static bool conf_ifname_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= SESSION_IFNAME_MAX || !strcmp(v, ".") || !strcmp(v, ".."))
		return false;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && *v != '-' && *v != '_' && *v != '.')
			return false;
	return true;
}

/* conf_bad - report cv's value as bad for its key; -EINVAL */
static int conf_bad(const struct conf_val *cv)
{
	/* Never echo a secret back, even a malformed one. */
	conf_err(cv->p, cv->line, "bad value '%s' for key '%s' in [%s]",
		 cv->key->flags & CONF_F_SECRET ? "***" : cv->value, cv->key->name, cv->section);
	return -EINVAL;
}

/* conf_bad_enum - the same, naming the values it may take: "(a, b or c)" */
static int conf_bad_enum(const struct conf_val *cv)
{
	const char *const *n = cv->key->names;
	char hint[128];
	size_t o = 0, i;

	hint[0] = '\0';
	for (i = 0; n[i] && o < sizeof(hint); i++)
		o += (size_t)snprintf(hint + o, sizeof(hint) - o, "%s%s",
				      !i ? "" : n[i + 1] ? ", " : " or ", n[i]);
	conf_err(cv->p, cv->line, "bad value '%s' for key '%s' in [%s] (%s)", cv->value,
		 cv->key->name, cv->section, hint);
	return -EINVAL;
}

/* conf_bad_uint - the same, naming the range: "(1..16)", "(auto or 1..16)" */
static int conf_bad_uint(const struct conf_val *cv)
{
	const struct conf_key *k = cv->key;

	conf_err(cv->p, cv->line, "bad value '%s' for key '%s' in [%s] (%s%lu..%lu)", cv->value,
		 k->name, cv->section, k->flags & CONF_F_AUTO ? "auto or " : "", k->min, k->max);
	return -EINVAL;
}

/* conf_store - @x into a field of @size bytes: a bool, 16 or 32 bits */
static void conf_store(void *dst, size_t size, unsigned long x)
{
	bool b = x != 0;
	uint16_t u16 = (uint16_t)x;
	uint32_t u32 = (uint32_t)x;

	if (size == sizeof(b))
		memcpy(dst, &b, size);
	else if (size == sizeof(u16))
		memcpy(dst, &u16, size);
	else if (size == sizeof(u32))
		memcpy(dst, &u32, size);
}

/* ---- keys with a parser of their own ----------------------------------- */

/*
 * conf_p_interface - a name that fits is kept even when it is not a valid
 * interface name, so that the check for its existence names it too
 */
static int conf_p_interface(const struct conf_val *cv, void *base)
{
	struct conf *c = base;

	if (conf_copy(c->interface, sizeof(c->interface), cv->value) ||
	    !conf_ifname_ok(cv->value))
		return conf_bad(cv);
	return 0;
}

/* conf_p_table_range - MIN-MAX: at most 65536 tables, none of 253..255 */
static int conf_p_table_range(const struct conf_val *cv, void *base)
{
	struct conf *c = base;
	unsigned int lo, hi;
	char tail;

	if (sscanf(cv->value, "%u-%u%c", &lo, &hi, &tail) != 2 || lo < 1 || hi < lo ||
	    (lo <= 255 && hi >= 253) || hi - lo >= 65536)
		return conf_bad(cv);
	c->route_table_min = lo;
	c->route_table_max = hi;
	return 0;
}

static int conf_p_password(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;

	if (!*cv->value || conf_copy(sc->password, sizeof(sc->password), cv->value)) {
		conf_err(cv->p, cv->line, "key 'password' in [%s]: empty or too long",
			 cv->section);
		return -EINVAL;
	}
	return 0;
}

/*
 * conf_p_password_file - first line of a password file that nobody but its
 * owner can read or write.
 */
static int conf_p_password_file(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;
	const char *path = cv->value;
	char buf[SESSION_SECRET_MAX + 2];
	unsigned int mode = 0;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		conf_err(cv->p, cv->line, "password_file '%s': %s", path, strerror(errno));
		return -EINVAL;
	}
	ret = fsafe_check_secret(fd, &mode);
	if (ret == -EINVAL) {
		conf_err(cv->p, cv->line, "password_file '%s': not a regular file", path);
		goto out;
	}
	if (ret == -EPERM) {
		conf_err(cv->p, cv->line,
			 "password_file '%s' is accessible by group or others (mode %04o); "
			 "chmod 600 it", path, mode);
		goto out;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		conf_err(cv->p, cv->line, "password_file '%s': %s", path, strerror(errno));
		ret = -EIO;
		goto out;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0] || strlen(buf) >= sizeof(sc->password)) {
		conf_err(cv->p, cv->line, "password_file '%s': %s", path,
			 buf[0] ? "password too long" : "empty");
		ret = -EINVAL;
	} else {
		memcpy(sc->password, buf, strlen(buf) + 1);
	}
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return ret ? -EINVAL : 0;
}

static int conf_p_ac_name(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;

	if (!*cv->value || conf_copy(sc->ac_name, sizeof(sc->ac_name), cv->value))
		return conf_bad(cv);
	sc->has_ac_name = true;
	return 0;
}

/* conf_p_ac_mac - take PADOs only from this unicast MAC, or "any" */
static int conf_p_ac_mac(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;
	uint8_t mac[6];

	if (!strcmp(cv->value, "any")) {
		sc->disc.has_ac_mac = false;
		memset(sc->disc.ac_mac, 0, 6); /* equal to a session that never set it */
		return 0;
	}
	if (conf_mac(cv->value, mac))
		return conf_bad(cv);
	memcpy(sc->disc.ac_mac, mac, 6);
	sc->disc.has_ac_mac = true;
	return 0;
}

/* conf_p_mac - auto, interface, or a unicast XX:XX:XX:XX:XX:XX */
static int conf_p_mac(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;

	if (!strcmp(cv->value, "auto"))
		sc->mac_mode = SESSION_MAC_AUTO;
	else if (!strcmp(cv->value, "interface"))
		sc->mac_mode = SESSION_MAC_INTERFACE;
	else if (!conf_mac(cv->value, sc->mac))
		sc->mac_mode = SESSION_MAC_FIXED;
	else
		return conf_bad(cv);
	return 0;
}

/* conf_p_vlan - none, ID or OUTER.INNER (each 1..4094) */
static int conf_p_vlan(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;
	struct pppoe_vlan v = sc->vlan;

	if (!strcmp(cv->value, "none")) {
		v.ntags = 0;
		v.vid[0] = v.vid[1] = 0;
	} else if (pppoe_vlan_parse(cv->value, &v)) {
		conf_err(cv->p, cv->line, "bad value '%s' for key '%s' in [%s] (none, a VLAN ID "
			 "1..4094, or OUTER.INNER for QinQ)", cv->value, cv->key->name, cv->section);
		return -EINVAL;
	}
	sc->vlan.ntags = v.ntags;
	sc->vlan.vid[0] = v.vid[0];
	sc->vlan.vid[1] = v.vid[1];
	return 0;
}

/* conf_p_vlan_tpid - the outer TPID of QinQ: 0x8100 or 0x88a8 */
static int conf_p_vlan_tpid(const struct conf_val *cv, void *base)
{
	struct session_conf *sc = &((struct conf_session *)base)->s;

	if (!strcasecmp(cv->value, "0x8100"))
		sc->vlan.tpid = ETH_P_8021Q_;
	else if (!strcasecmp(cv->value, "0x88a8"))
		sc->vlan.tpid = ETH_P_8021AD_;
	else {
		conf_err(cv->p, cv->line, "bad value '%s' for key '%s' in [%s] (0x8100 or 0x88a8)",
			 cv->value, cv->key->name, cv->section);
		return -EINVAL;
	}
	return 0;
}

/* conf_p_route_table - N, auto (from route_table_range) or none */
static int conf_p_route_table(const struct conf_val *cv, void *base)
{
	struct conf_session *cs = base;
	const char *v = cv->value;

	cs->route_table_auto = false;
	cs->route_table = 0;
	if (!strcmp(v, "auto"))
		cs->route_table_auto = true;
	else if (strcmp(v, "none") && conf_uint(v, 1, 0xfffffffeu, &cs->route_table))
		return conf_bad(cv);
	/* 253-255 are the kernel's default, main and local tables. */
	if (cs->route_table >= 253 && cs->route_table <= 255)
		return conf_bad(cv);
	return 0;
}

/* conf_p_mss_clamp - auto (from the session's MTU), off, or an MSS */
static int conf_p_mss_clamp(const struct conf_val *cv, void *base)
{
	struct conf_session *cs = base;
	unsigned int v;

	if (!strcmp(cv->value, "auto"))
		cs->mss_clamp = CONF_MSS_AUTO;
	else if (!strcmp(cv->value, "off"))
		cs->mss_clamp = 0;
	else if (!conf_uint(cv->value, 88, 65534, &v))
		cs->mss_clamp = (uint16_t)v;
	else
		return conf_bad(cv);
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

static const char *const conf_xdp_mode_names[] = {
	[CONF_XDP_AUTO] = "auto",
	[CONF_XDP_NATIVE] = "native",
	[CONF_XDP_SKB] = "skb",
	NULL,
};

/* auth: the index is enum ppp_auth_pref */
static const char *const conf_auth_names[] = {
	[PPP_AUTH_AUTO] = "auto",
	[PPP_AUTH_PAP] = "pap",
	[PPP_AUTH_CHAP] = "chap",
	[PPP_AUTH_MSCHAPV2] = "mschapv2",
	NULL,
};

/* dhcpv6: the index is enum session_dhcp6_mode */
static const char *const conf_dhcpv6_names[] = {
	[SESSION_DHCP6_AUTO] = "auto",
	[SESSION_DHCP6_YES] = "yes",
	[SESSION_DHCP6_NO] = "no",
	NULL,
};

/* hook_capabilities into hook_caps_all: net = false, all = true */
static const char *const conf_hook_caps_names[] = { "net", "all", NULL };
/* tun_offload into tun_offload_off: auto = false, off = true */
static const char *const conf_tun_offload_names[] = { "auto", "off", NULL };

const char *conf_xdp_mode_name(enum conf_xdp_mode m)
{
	return m <= CONF_XDP_SKB ? conf_xdp_mode_names[m] : "?";
}

#define FIELD(type, f) .off = offsetof(type, f), .size = sizeof(((type *)0)->f)
/* G: a [global]-only key in struct conf; S: a session key in struct conf_session */
#define G(f)		.scope = CONF_SCOPE_GLOBAL, FIELD(struct conf, f)
#define S(f)		.scope = CONF_SCOPE_BOTH, FIELD(struct conf_session, f)
#define SESSION_ONLY	.scope = CONF_SCOPE_SESSION
#define UINT(lo, hi)	.type = CONF_T_UINT, .min = (lo), .max = (hi)
#define UINT_AUTO(lo, hi) .type = CONF_T_UINT, .min = (lo), .max = (hi), .flags = CONF_F_AUTO
#define UINT_X(lo, hi, x) .type = CONF_T_UINT, .min = (lo), .max = (hi), .scale = (x)
#define BOOL		.type = CONF_T_BOOL
#define STR(fl)		.type = CONF_T_STR, .flags = CONF_F_TEXT | (fl)
#define ENUM(n)		.type = CONF_T_ENUM, .names = (n)
#define FUNC(fn, fl)	.type = CONF_T_FUNC, .parse = (fn), .flags = (fl)
#define COUNT(lo, hi)	.type = CONF_T_COUNT, .min = (lo), .max = (hi)
#define LIVE		.reload = CONF_RELOAD_LIVE
#define REDIAL		.reload = CONF_RELOAD_REDIAL
#define RESTART		.reload = CONF_RELOAD_RESTART
#define REFUSE		.reload = CONF_RELOAD_REFUSE
#define KEY(n, ...)	{ .name = (n), __VA_ARGS__ }
#define NONEMPTY	CONF_F_NONEMPTY
#define ABSPATH		CONF_F_ABSPATH
#define IFNAME		CONF_F_IFNAME
#define SECRET		CONF_F_SECRET
#define TEXT		CONF_F_TEXT

/* route_table_range sets both ends, which sit side by side */
_Static_assert(offsetof(struct conf, route_table_max) ==
	       offsetof(struct conf, route_table_min) + sizeof(uint32_t), "route table range");
#define G_TABLE_RANGE	.scope = CONF_SCOPE_GLOBAL, .off = offsetof(struct conf, route_table_min), \
			.size = 2 * sizeof(uint32_t)

const struct conf_key conf_keys[] = {
	/*  key                    stored in               value                          reload */
	/* [global] only */
	KEY("interface",           G(interface),           FUNC(conf_p_interface, TEXT),  RESTART),
	KEY("xdp_mode",            G(xdp_mode),            ENUM(conf_xdp_mode_names),     RESTART),
	KEY("control_socket",      G(control_socket),      STR(NONEMPTY | ABSPATH),       RESTART),
	KEY("metrics_listen",      G(metrics_listen),      STR(0),                        RESTART),
	KEY("state_file",          G(state_file),          STR(ABSPATH),                  RESTART),
	KEY("max_starting",        G(max_starting),        UINT_AUTO(1, 65535),           LIVE),
	KEY("dial_rate",           G(dial_rate),           UINT(0, 100000),               LIVE),
	KEY("route_table_range",   G_TABLE_RANGE,          FUNC(conf_p_table_range, 0),   REFUSE),
	KEY("hook_capabilities",   G(hook_caps_all),       ENUM(conf_hook_caps_names),    RESTART),
	KEY("tun_offload",         G(tun_offload_off),     ENUM(conf_tun_offload_names),  RESTART),
	KEY("workers",             G(workers),             UINT_AUTO(1, CONF_WORKERS_MAX), RESTART),

	/* [session NAME]; in [global] the default for every session (but count) */
	KEY("count",               SESSION_ONLY,           COUNT(1, 65535),               REDIAL),
	KEY("user",                S(s.user),              STR(NONEMPTY),                 REDIAL),
	KEY("password",            S(s.password),          FUNC(conf_p_password, SECRET), REDIAL),
	KEY("password_file",       S(s.password),          FUNC(conf_p_password_file, 0), REDIAL),
	KEY("auth",                S(s.ppp.auth),          ENUM(conf_auth_names),         REDIAL),
	KEY("ifname",              S(s.ifname),            STR(IFNAME),                   REDIAL),
	KEY("service",             S(s.service),           STR(0),                        REDIAL),
	KEY("ac_name",             S(s.ac_name),           FUNC(conf_p_ac_name, 0),       REDIAL),
	KEY("ac_mac",              S(s.disc.ac_mac),       FUNC(conf_p_ac_mac, 0),        REDIAL),
	KEY("mac",                 S(s.mac),               FUNC(conf_p_mac, 0),           REDIAL),
	KEY("vlan",                S(s.vlan),              FUNC(conf_p_vlan, 0),          REDIAL),
	KEY("vlan_tpid",           S(s.vlan.tpid),         FUNC(conf_p_vlan_tpid, 0),     REDIAL),
	KEY("mtu",                 S(s.ppp.mtu),           UINT(128, CONF_MTU_MAX),       REDIAL),
	KEY("mru",                 S(s.ppp.mru),           UINT(128, CONF_MTU_MAX),       REDIAL),
	KEY("lcp_echo_interval",   S(s.ppp.echo_interval), UINT(0, 3600),                 REDIAL),
	KEY("lcp_echo_probe",      S(s.ppp.echo_probe_ms), UINT_X(1, 60, 1000),           REDIAL),
	KEY("lcp_echo_adaptive",   S(s.ppp.echo_adaptive), BOOL,                          REDIAL),
	KEY("lcp_echo_failure",    S(s.ppp.echo_failure),  UINT(1, 1000),                 REDIAL),
	KEY("holdoff",             S(s.holdoff),           UINT(0, 86400),                REDIAL),
	KEY("holdoff_max",         S(s.holdoff_max),       UINT(0, 86400),                REDIAL),
	KEY("maxfail",             S(s.maxfail),           UINT(0, 1000000),              REDIAL),
	KEY("padi_timeout",        S(s.disc.timeout_ms),   UINT(100, 60000),              REDIAL),
	KEY("padi_attempts",       S(s.disc.padi_tries),   UINT(1, 1000),                 REDIAL),
	KEY("route_table",         S(route_table),         FUNC(conf_p_route_table, 0),   REDIAL),
	KEY("rule_priority",       S(rule_priority),       UINT(1, 32765),                REDIAL),
	KEY("defaultroute",        S(defaultroute),        BOOL,                          REDIAL),
	KEY("defaultroute_metric", S(defaultroute_metric), UINT(0, 0xfffffffeu),          REDIAL),
	KEY("mss_clamp",           S(mss_clamp),           FUNC(conf_p_mss_clamp, 0),     REDIAL),
	KEY("ipv6",                S(s.ppp.ipv6),          BOOL,                          REDIAL),
	KEY("dhcpv6",              S(s.dhcpv6),            ENUM(conf_dhcpv6_names),       REDIAL),
	KEY("dhcpv6_pd",           S(s.dhcpv6_pd),         BOOL,                          REDIAL),
	KEY("dhcpv6_pd_length",    S(s.dhcpv6_pd_len),     UINT(0, 128),                  REDIAL),
	KEY("up_script",           S(up_script),           STR(ABSPATH),                  REDIAL),
	KEY("down_script",         S(down_script),         STR(ABSPATH),                  REDIAL),
	KEY("script_timeout",      S(script_timeout),      UINT(1, 3600),                 REDIAL),
};
const size_t conf_nkeys = sizeof(conf_keys) / sizeof(conf_keys[0]);

const struct conf_key *conf_key_find(const char *name)
{
	size_t i;

	for (i = 0; i < conf_nkeys; i++)
		if (!strcmp(conf_keys[i].name, name))
			return &conf_keys[i];
	return NULL;
}

int conf_key_apply(const struct conf_val *cv, void *base)
{
	const struct conf_key *k = cv->key;
	char *dst = (char *)base + k->off;
	const char *v = cv->value;
	unsigned int u;
	bool b;
	size_t i;

	switch (k->type) {
	case CONF_T_UINT:
		if ((k->flags & CONF_F_AUTO) && !strcmp(v, "auto"))
			u = 0;
		else if (conf_uint(v, k->min, k->max, &u))
			return conf_bad_uint(cv);
		conf_store(dst, k->size, (unsigned long)u * (k->scale ? k->scale : 1));
		return 0;
	case CONF_T_BOOL:
		if (conf_bool(v, &b))
			return conf_bad(cv);
		memcpy(dst, &b, sizeof(b));
		return 0;
	case CONF_T_STR:
		if (((k->flags & CONF_F_NONEMPTY) && !*v) ||
		    ((k->flags & CONF_F_ABSPATH) && *v && *v != '/') ||
		    ((k->flags & CONF_F_IFNAME) && !conf_ifname_ok(v)) ||
		    conf_copy(dst, k->size, v))
			return conf_bad(cv);
		return 0;
	case CONF_T_ENUM:
		for (i = 0; k->names[i]; i++)
			if (!strcmp(v, k->names[i]))
				break;
		if (!k->names[i])
			return conf_bad_enum(cv);
		conf_store(dst, k->size, i);
		return 0;
	case CONF_T_FUNC:
		return k->parse(cv, base);
	case CONF_T_COUNT:
		break;
	}
	return 0;
}

/* ---- what a reload does ------------------------------------------------- */

/* conf_key_differs - @k's field(s) differ between @a and @b */
static bool conf_key_differs(const struct conf_key *k, const void *a, const void *b)
{
	const char *x = (const char *)a + k->off, *y = (const char *)b + k->off;

	/* Bytes after a string's NUL are left over from longer values. */
	if (k->flags & CONF_F_TEXT)
		return strncmp(x, y, k->size) != 0;
	return memcmp(x, y, k->size) != 0;
}

int conf_restart_keys(const struct conf *old, const struct conf *nc, enum conf_reload which,
		      char *names, size_t len)
{
	bool full = false;
	size_t i, o = 0;
	int n = 0, w;

	if (len)
		names[0] = '\0';
	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->scope != CONF_SCOPE_GLOBAL || k->reload != which ||
		    !conf_key_differs(k, old, nc))
			continue;
		n++;
		if (full || !len)
			continue;
		w = snprintf(names + o, len - o, "%s%s", o ? ", " : "", k->name);
		if (w < 0 || (size_t)w >= len - o) {
			names[o] = '\0'; /* whole names only */
			full = true;
		} else {
			o += (size_t)w;
		}
	}
	return n;
}

void conf_restart_keep(struct conf *nc, const struct conf *old)
{
	size_t i;

	for (i = 0; i < conf_nkeys; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (k->scope == CONF_SCOPE_GLOBAL && k->reload == CONF_RELOAD_RESTART)
			memcpy((char *)nc + k->off, (const char *)old + k->off, k->size);
	}
}

/* ---- --help ------------------------------------------------------------- */

/* conf_usage_scope - the names of the keys of @scope, wrapped */
static void conf_usage_scope(FILE *out, enum conf_scope scope, const char *title)
{
	size_t i, col = 0, n;

	fprintf(out, "  %s:\n", title);
	for (i = 0; i < conf_nkeys; i++) {
		if (conf_keys[i].scope != scope)
			continue;
		n = strlen(conf_keys[i].name);
		if (col && col + 1 + n > 78) {
			fputc('\n', out);
			col = 0;
		}
		col += (size_t)fprintf(out, "%s%s", col ? " " : "    ", conf_keys[i].name);
	}
	fputc('\n', out);
}

void conf_keys_usage(FILE *out)
{
	fprintf(out, "Configuration keys (README.md, \"Configuration\", says what each does):\n");
	conf_usage_scope(out, CONF_SCOPE_GLOBAL, "[global] only");
	conf_usage_scope(out, CONF_SCOPE_BOTH,
			 "[session NAME], or [global] as the default for every session");
	conf_usage_scope(out, CONF_SCOPE_SESSION, "[session NAME] only");
}
