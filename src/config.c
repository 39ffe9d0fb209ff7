// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.c - parse the INI file with libinih, then validate.
 *
 * libinih does the syntax. Its handler is not told line numbers, so our
 * reader counts lines and records section headers as they go by; every
 * key is kept with its line and applied afterwards, [global] first, so
 * that [global] values are defaults for every session wherever they
 * appear in the file.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/config.h"
#include "src/fsafe.h"

struct conf_item {
	char *section;
	char *key;
	char *value;
	int line;
};

struct conf_section {
	char *name;
	int line;
};

struct conf_parse {
	const char *path;
	FILE *f;
	int line;
	struct conf_item *items;
	size_t nitems;
	struct conf_section *sections;
	size_t nsections;
	int errors;
	bool readable_by_others;
	bool writable_by_others;
	unsigned int mode;
	bool oom;
};

/* conf_err - "FILE:LINE: message" (no LINE for whole-file problems) */
static void conf_err(struct conf_parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void conf_err(struct conf_parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		fprintf(stderr, "%s:%d: ", p->path, line);
	else
		fprintf(stderr, "%s: ", p->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
}

static const char *const xdp_mode_names[] = {
	[CONF_XDP_AUTO] = "auto",
	[CONF_XDP_NATIVE] = "native",
	[CONF_XDP_SKB] = "skb",
};

const char *conf_xdp_mode_name(enum conf_xdp_mode m)
{
	return m <= CONF_XDP_SKB ? xdp_mode_names[m] : "?";
}

/* conf_reader - fgets for inih that counts lines and notes section headers */
static char *conf_reader(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;
	struct conf_section *ns;
	char *s, *end;

	if (!fgets(str, num, p->f)) {
		/* inih's line buffer held every line, passwords too. */
		explicit_bzero(str, (size_t)num);
		return NULL;
	}
	p->line++;
	for (s = str; isspace((unsigned char)*s); s++)
		;
	if (*s != '[')
		return str;
	end = strchr(s, ']');
	if (!end)
		return str; /* inih reports the syntax error */
	ns = realloc(p->sections, (p->nsections + 1) * sizeof(*ns));
	if (!ns) {
		p->oom = true;
		return str;
	}
	p->sections = ns;
	ns[p->nsections].name = strndup(s + 1, (size_t)(end - s - 1));
	ns[p->nsections].line = p->line;
	if (!ns[p->nsections].name)
		p->oom = true;
	else
		p->nsections++;
	return str;
}

static int conf_handler(void *user, const char *section, const char *name, const char *value)
{
	struct conf_parse *p = user;
	struct conf_item *ni;

	ni = realloc(p->items, (p->nitems + 1) * sizeof(*ni));
	if (!ni) {
		p->oom = true;
		return 0;
	}
	p->items = ni;
	ni[p->nitems].section = strdup(section);
	ni[p->nitems].key = strdup(name);
	ni[p->nitems].value = strdup(value);
	ni[p->nitems].line = p->line;
	if (!ni[p->nitems].section || !ni[p->nitems].key || !ni[p->nitems].value) {
		p->oom = true;
		return 0;
	}
	p->nitems++;
	return 1;
}

/* ---- value parsers ----------------------------------------------------- */

static int conf_uint(const char *v, unsigned long min, unsigned long max, unsigned int *out)
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

static int conf_copy(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);

	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dst, v, n + 1);
	return 0;
}

/*
 * conf_read_secret_file - first line of a password file that nobody but its
 * owner can read or write.
 */
static int conf_read_secret_file(struct conf_parse *p, int line, const char *path,
				 char *out, size_t cap)
{
	char buf[SESSION_SECRET_MAX + 2];
	unsigned int mode = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		conf_err(p, line, "password_file '%s': %s", path, strerror(errno));
		return -errno;
	}
	ret = fsafe_check_secret(fd, &mode);
	if (ret == -EINVAL) {
		conf_err(p, line, "password_file '%s': not a regular file", path);
		goto out;
	}
	if (ret == -EPERM) {
		conf_err(p, line,
			 "password_file '%s' is accessible by group or others (mode %04o); "
			 "chmod 600 it", path, mode);
		goto out;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		conf_err(p, line, "password_file '%s': %s", path, strerror(errno));
		ret = -EIO;
		goto out;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0] || strlen(buf) >= cap) {
		conf_err(p, line, "password_file '%s': %s", path,
			 buf[0] ? "password too long" : "empty");
		ret = -EINVAL;
	} else {
		memcpy(out, buf, strlen(buf) + 1);
	}
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return ret;
}

/*
 * conf_expand - copy @v with every "%d" replaced by @idx ("%%" is a
 * literal '%'); @idx 0 means the section has no count: copy as is.
 */
static int conf_expand(const char *v, unsigned int idx, char *out, size_t cap)
{
	size_t o = 0;
	int n;

	for (; *v; v++) {
		if (idx && v[0] == '%' && (v[1] == 'd' || v[1] == '%')) {
			if (v[1] == 'd')
				n = snprintf(out + o, cap - o, "%u", idx);
			else
				n = snprintf(out + o, cap - o, "%%");
			v++;
		} else {
			n = snprintf(out + o, cap - o, "%c", *v);
		}
		if (n < 0 || (size_t)n >= cap - o)
			return -ENAMETOOLONG;
		o += (size_t)n;
	}
	out[o] = '\0';
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

static int conf_script(const char *v, char *out, size_t cap)
{
	if (!*v) {
		out[0] = '\0';
		return 0;
	}
	if (v[0] != '/')
		return -EINVAL;
	return conf_copy(out, cap, v);
}

/*
 * conf_session_key - apply one session key (also legal in [global]);
 * @idx is the index within a "count = N" section (0 without count).
 */
static int conf_session_key(struct conf_parse *p, struct conf_session *cs,
			    const struct conf_item *it, unsigned int idx)
{
	struct session_conf *sc = &cs->s;
	const char *k = it->key;
	char v[SESSION_SECRET_MAX * 2];
	unsigned int u;
	int ret = 0;

	if (!strcmp(k, "count"))
		return 0; /* handled by conf_build */
	if (conf_expand(it->value, idx, v, sizeof(v))) {
		conf_err(p, it->line, "value of key '%s' in [%s] too long", k, it->section);
		return -EINVAL;
	}
	if (!strcmp(k, "user")) {
		if (!*v || conf_copy(sc->user, sizeof(sc->user), v))
			goto bad;
	} else if (!strcmp(k, "password")) {
		if (!*v || conf_copy(sc->password, sizeof(sc->password), v)) {
			conf_err(p, it->line, "key 'password' in [%s]: empty or too long",
				 it->section);
			return -EINVAL;
		}
	} else if (!strcmp(k, "password_file")) {
		if (conf_read_secret_file(p, it->line, v, sc->password, sizeof(sc->password)))
			return -EINVAL;
	} else if (!strcmp(k, "ifname")) {
		if (!conf_ifname_ok(v))
			goto bad;
		conf_copy(sc->ifname, sizeof(sc->ifname), v);
	} else if (!strcmp(k, "service")) {
		if (conf_copy(sc->service, sizeof(sc->service), v))
			goto bad;
	} else if (!strcmp(k, "ac_name")) {
		if (!*v || conf_copy(sc->ac_name, sizeof(sc->ac_name), v))
			goto bad;
		sc->has_ac_name = true;
	} else if (!strcmp(k, "mac")) {
		if (!strcmp(v, "auto"))
			sc->mac_mode = SESSION_MAC_AUTO;
		else if (!strcmp(v, "interface"))
			sc->mac_mode = SESSION_MAC_INTERFACE;
		else if (!conf_mac(v, sc->mac))
			sc->mac_mode = SESSION_MAC_FIXED;
		else
			goto bad;
	} else if (!strcmp(k, "mru")) {
		if (conf_uint(v, 128, 1492, &u))
			goto bad;
		sc->ppp.mru = (uint16_t)u;
	} else if (!strcmp(k, "lcp_echo_interval")) {
		if (conf_uint(v, 0, 3600, &sc->ppp.echo_interval))
			goto bad;
	} else if (!strcmp(k, "lcp_echo_failure")) {
		if (conf_uint(v, 1, 1000, &sc->ppp.echo_failure))
			goto bad;
	} else if (!strcmp(k, "lcp_echo_probe")) {
		if (conf_uint(v, 1, 60, &u))
			goto bad;
		sc->ppp.echo_probe_ms = u * 1000;
	} else if (!strcmp(k, "lcp_echo_adaptive")) {
		if (conf_bool(v, &sc->ppp.echo_adaptive))
			goto bad;
	} else if (!strcmp(k, "holdoff")) {
		if (conf_uint(v, 0, 86400, &sc->holdoff))
			goto bad;
	} else if (!strcmp(k, "holdoff_max")) {
		if (conf_uint(v, 0, 86400, &sc->holdoff_max))
			goto bad;
	} else if (!strcmp(k, "maxfail")) {
		if (conf_uint(v, 0, 1000000, &sc->maxfail))
			goto bad;
	} else if (!strcmp(k, "padi_timeout")) {
		if (conf_uint(v, 100, 60000, &sc->disc.timeout_ms))
			goto bad;
	} else if (!strcmp(k, "padi_attempts")) {
		if (conf_uint(v, 1, 1000, &sc->disc.padi_tries))
			goto bad;
	} else if (!strcmp(k, "route_table")) {
		cs->route_table_auto = false;
		cs->route_table = 0;
		if (!strcmp(v, "auto"))
			cs->route_table_auto = true;
		else if (strcmp(v, "none") && conf_uint(v, 1, 0xfffffffeu, &cs->route_table))
			goto bad;
		/* 253-255 are the kernel's default, main and local tables. */
		if (cs->route_table >= 253 && cs->route_table <= 255)
			goto bad;
	} else if (!strcmp(k, "rule_priority")) {
		if (conf_uint(v, 1, 32765, &cs->rule_priority))
			goto bad;
	} else if (!strcmp(k, "defaultroute")) {
		if (conf_bool(v, &cs->defaultroute))
			goto bad;
	} else if (!strcmp(k, "defaultroute_metric")) {
		if (conf_uint(v, 0, 0xfffffffeu, &cs->defaultroute_metric))
			goto bad;
	} else if (!strcmp(k, "up_script")) {
		if (conf_script(v, cs->up_script, sizeof(cs->up_script)))
			goto bad;
	} else if (!strcmp(k, "down_script")) {
		if (conf_script(v, cs->down_script, sizeof(cs->down_script)))
			goto bad;
	} else if (!strcmp(k, "script_timeout")) {
		if (conf_uint(v, 1, 3600, &cs->script_timeout))
			goto bad;
	} else {
		conf_err(p, it->line, "unknown key '%s' in [%s]", k, it->section);
		ret = -EINVAL;
	}
	explicit_bzero(v, sizeof(v));
	return ret;
bad:
	/* Never echo a secret back, even a malformed one. */
	conf_err(p, it->line, "bad value '%s' for key '%s' in [%s]",
		 !strcmp(k, "password") ? "***" : v, k, it->section);
	explicit_bzero(v, sizeof(v));
	return -EINVAL;
}

static void conf_session_defaults(struct conf_session *cs)
{
	struct session_conf *sc = &cs->s;

	memset(cs, 0, sizeof(*cs));
	sc->mac_mode = SESSION_MAC_AUTO;
	sc->holdoff = 5;
	sc->holdoff_max = 300;
	sc->maxfail = 0;
	sc->ppp.mru = 1492;
	sc->ppp.echo_interval = 10;
	sc->ppp.echo_failure = 4;
	sc->ppp.echo_probe_ms = 2000;
	sc->ppp.echo_adaptive = true;
	sc->ppp.want_dns = true;
	cs->rule_priority = 1000;
	cs->defaultroute_metric = 0;
	cs->script_timeout = 30;
}

static bool conf_session_name_ok(const char *n)
{
	if (!*n || strlen(n) >= SESSION_NAME_MAX)
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '-' && *n != '_' && *n != '.')
			return false;
	return true;
}

void conf_session_link(struct conf_session *cs)
{
	struct session_conf *sc = &cs->s;

	sc->disc.service = sc->service;
	sc->disc.ac_name = sc->has_ac_name ? sc->ac_name : NULL;
	sc->ppp.user = sc->user;
	sc->ppp.password = sc->password;
}

bool conf_session_equal(const struct conf_session *a, const struct conf_session *b)
{
	struct conf_session x = *a, y = *b;
	bool same;

	/* The pointers differ between copies; what they point at is compared
	 * with the rest of the struct. */
	memset(&x.s.disc.service, 0, sizeof(x.s.disc.service));
	memset(&y.s.disc.service, 0, sizeof(y.s.disc.service));
	x.s.disc.ac_name = y.s.disc.ac_name = NULL;
	x.s.ppp.user = y.s.ppp.user = NULL;
	x.s.ppp.password = y.s.ppp.password = NULL;
	same = !memcmp(&x, &y, sizeof(x));
	explicit_bzero(&x, sizeof(x));
	explicit_bzero(&y, sizeof(y));
	return same;
}

/*
 * conf_auto_mac - a stable, locally administered unicast MAC from the
 * session name (FNV-1a 64), so a restart presents the same client.
 */
static void conf_auto_mac(const char *name, uint8_t mac[6])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int i;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 0x100000001b3ULL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
}

/* conf_check_script - a hook must be safe for a root daemon to run */
static void conf_check_script(struct conf_parse *p, int line, const char *name,
			      const char *key, const char *path)
{
	char why[256];

	if (path[0] && fsafe_check_script(path, why, sizeof(why)))
		conf_err(p, line, "[session %s]: %s '%s' refused: %s", name, key, path, why);
}

/* conf_finish_session - checks that need the whole section */
static void conf_finish_session(struct conf_parse *p, struct conf_session *cs, int line,
				size_t idx)
{
	struct session_conf *sc = &cs->s;

	if (!sc->user[0])
		conf_err(p, line, "[session %s]: missing required key 'user'", sc->name);
	if (!sc->password[0])
		conf_err(p, line, "[session %s]: missing required key 'password' or 'password_file'",
			 sc->name);
	if (!sc->ifname[0])
		snprintf(sc->ifname, sizeof(sc->ifname), "pppx%zu", idx + 1);
	if (sc->holdoff_max < sc->holdoff)
		sc->holdoff_max = sc->holdoff;
	if (sc->mac_mode == SESSION_MAC_AUTO)
		conf_auto_mac(sc->name, sc->mac);
	conf_session_link(cs);
	conf_check_script(p, line, sc->name, "up_script", cs->up_script);
	conf_check_script(p, line, sc->name, "down_script", cs->down_script);
}

static void conf_parse_free(struct conf_parse *p)
{
	size_t i;

	for (i = 0; i < p->nitems; i++) {
		free(p->items[i].section);
		free(p->items[i].key);
		if (p->items[i].value) {
			explicit_bzero(p->items[i].value, strlen(p->items[i].value));
			free(p->items[i].value);
		}
	}
	for (i = 0; i < p->nsections; i++)
		free(p->sections[i].name);
	free(p->items);
	free(p->sections);
}

/* conf_global_key - a key only [global] knows; 1 if it was one */
static int conf_global_key(struct conf_parse *p, struct conf *c, const struct conf_item *it)
{
	const char *k = it->key, *v = it->value;
	unsigned int lo, hi;
	size_t j;

	if (!strcmp(k, "interface")) {
		if (conf_copy(c->interface, sizeof(c->interface), v) || !conf_ifname_ok(v))
			goto bad;
	} else if (!strcmp(k, "xdp_mode")) {
		for (j = 0; j <= CONF_XDP_SKB; j++)
			if (!strcmp(v, xdp_mode_names[j]))
				break;
		if (j > CONF_XDP_SKB) {
			conf_err(p, it->line,
				 "bad value '%s' for key 'xdp_mode' in [global] (auto, native or skb)", v);
			return 1;
		}
		c->xdp_mode = (enum conf_xdp_mode)j;
	} else if (!strcmp(k, "control_socket")) {
		if (v[0] != '/' || conf_copy(c->control_socket, sizeof(c->control_socket), v))
			goto bad;
	} else if (!strcmp(k, "state_file")) {
		if ((*v && v[0] != '/') || conf_copy(c->state_file, sizeof(c->state_file), v))
			goto bad;
	} else if (!strcmp(k, "metrics_listen")) {
		if (conf_copy(c->metrics_listen, sizeof(c->metrics_listen), v))
			goto bad;
	} else if (!strcmp(k, "dial_rate")) {
		if (conf_uint(v, 0, 100000, &c->dial_rate))
			goto bad;
	} else if (!strcmp(k, "max_starting")) {
		if (!strcmp(v, "auto"))
			c->max_starting = 0;
		else if (conf_uint(v, 1, 65535, &c->max_starting))
			goto bad;
	} else if (!strcmp(k, "hook_capabilities")) {
		if (strcmp(v, "net") && strcmp(v, "all")) {
			conf_err(p, it->line,
				 "bad value '%s' for key 'hook_capabilities' in [global] (net or all)", v);
			return 1;
		}
		c->hook_caps_all = !strcmp(v, "all");
	} else if (!strcmp(k, "route_table_range")) {
		char tail;

		if (sscanf(v, "%u-%u%c", &lo, &hi, &tail) != 2 || lo < 1 || hi < lo ||
		    (lo <= 255 && hi >= 253) || hi - lo >= 65536)
			goto bad;
		c->route_table_min = lo;
		c->route_table_max = hi;
	} else {
		return 0;
	}
	return 1;
bad:
	conf_err(p, it->line, "bad value '%s' for key '%s' in [global]", v, k);
	return 1;
}

/* conf_count - the "count" of a session section: 0 if absent */
static unsigned int conf_count(struct conf_parse *p, const char *section)
{
	unsigned int count = 0;
	size_t j;

	for (j = 0; j < p->nitems; j++) {
		if (strcmp(p->items[j].section, section) || strcmp(p->items[j].key, "count"))
			continue;
		if (conf_uint(p->items[j].value, 1, 65535, &count))
			conf_err(p, p->items[j].line,
				 "bad value '%s' for key 'count' in [%s] (1..65535)",
				 p->items[j].value, section);
	}
	return count;
}

/* conf_add_session - build one session from [global] defaults + a section */
static void conf_add_session(struct conf_parse *p, struct conf *c, const struct conf_session *defaults,
			     const struct conf_section *sec, unsigned int idx)
{
	struct conf_session *cs = &c->sessions[c->nsessions];
	const char *base = sec->name + 8;
	size_t j;

	*cs = *defaults;
	if (idx) {
		if ((size_t)snprintf(cs->s.name, sizeof(cs->s.name), "%s%u", base, idx) >=
		    sizeof(cs->s.name))
			conf_err(p, sec->line, "[session %s]: name too long with count", base);
	} else {
		conf_copy(cs->s.name, sizeof(cs->s.name), base);
	}
	for (j = 0; j < p->nitems; j++)
		if (!strcmp(p->items[j].section, sec->name))
			conf_session_key(p, cs, &p->items[j], idx);
	conf_finish_session(p, cs, sec->line, c->nsessions);
	c->nsessions++;
}

static int conf_cmp_name(const void *a, const void *b)
{
	const struct conf_session *x = *(const struct conf_session *const *)a;
	const struct conf_session *y = *(const struct conf_session *const *)b;

	return strcmp(x->s.name, y->s.name);
}

static int conf_cmp_ifname(const void *a, const void *b)
{
	const struct conf_session *x = *(const struct conf_session *const *)a;
	const struct conf_session *y = *(const struct conf_session *const *)b;

	return strcmp(x->s.ifname, y->s.ifname);
}

/* sessions on the interface's MAC share it; the others sort by MAC */
static int conf_cmp_mac(const void *a, const void *b)
{
	const struct conf_session *x = *(const struct conf_session *const *)a;
	const struct conf_session *y = *(const struct conf_session *const *)b;
	int xi = x->s.mac_mode == SESSION_MAC_INTERFACE;
	int yi = y->s.mac_mode == SESSION_MAC_INTERFACE;

	if (xi != yi)
		return xi - yi;
	return xi ? 0 : memcmp(x->s.mac, y->s.mac, 6);
}

/*
 * conf_check_unique - names, ifnames and MACs must differ between sessions.
 * Sorted, so that "count = 65535" is checked in n log n, not n squared.
 */
static void conf_check_unique(struct conf_parse *p, struct conf *c)
{
	struct conf_session **v;
	size_t i;

	if (c->nsessions < 2)
		return;
	v = malloc(c->nsessions * sizeof(*v));
	if (!v) {
		p->oom = true;
		return;
	}
	for (i = 0; i < c->nsessions; i++)
		v[i] = &c->sessions[i];
	qsort(v, c->nsessions, sizeof(*v), conf_cmp_name);
	for (i = 1; i < c->nsessions && p->errors < 20; i++)
		if (!conf_cmp_name(&v[i - 1], &v[i]))
			conf_err(p, 0, "two sessions are named '%s'", v[i]->s.name);
	qsort(v, c->nsessions, sizeof(*v), conf_cmp_ifname);
	for (i = 1; i < c->nsessions && p->errors < 20; i++)
		if (!conf_cmp_ifname(&v[i - 1], &v[i])) {
			/* name the later one in the file first, as it is the culprit */
			struct conf_session *a = v[i - 1] > v[i] ? v[i - 1] : v[i];
			struct conf_session *b = v[i - 1] > v[i] ? v[i] : v[i - 1];

			conf_err(p, 0, "[session %s]: ifname '%s' already used by session '%s'",
				 a->s.name, a->s.ifname, b->s.name);
		}
	qsort(v, c->nsessions, sizeof(*v), conf_cmp_mac);
	for (i = 1; i < c->nsessions && p->errors < 20; i++)
		if (v[i]->s.mac_mode != SESSION_MAC_INTERFACE && !conf_cmp_mac(&v[i - 1], &v[i])) {
			struct conf_session *a = v[i - 1] > v[i] ? v[i - 1] : v[i];
			struct conf_session *b = v[i - 1] > v[i] ? v[i] : v[i - 1];

			conf_err(p, 0, "sessions '%s' and '%s' have the same MAC address",
				 a->s.name, b->s.name);
		}
	free(v);
}

/* conf_build - turn the parsed items into struct conf */
static void conf_build(struct conf_parse *p, struct conf *c, bool check_interface)
{
	struct conf_session defaults;
	bool have_global = false, password_inline = false;
	int password_line = 0;
	size_t i, j, ns = 0;
	unsigned int count;

	conf_session_defaults(&defaults);
	snprintf(c->control_socket, sizeof(c->control_socket), "%s", CONF_DEFAULT_SOCKET);
	c->dial_rate = 50;
	c->route_table_min = CONF_DEFAULT_TABLE_MIN;
	c->route_table_max = CONF_DEFAULT_TABLE_MAX;
	for (i = 0; i < p->nsections; i++) {
		const char *n = p->sections[i].name;

		for (j = 0; j < i; j++)
			if (!strcmp(p->sections[j].name, n))
				conf_err(p, p->sections[i].line, "duplicate section [%s]", n);
		if (!strcmp(n, "global")) {
			have_global = true;
		} else if (!strncmp(n, "session ", 8)) {
			if (!conf_session_name_ok(n + 8))
				conf_err(p, p->sections[i].line,
					 "bad session name '%s' (letters, digits, '-', '_', '.'; at most %d)",
					 n + 8, SESSION_NAME_MAX - 1);
			count = conf_count(p, n);
			ns += count ? count : 1;
		} else {
			conf_err(p, p->sections[i].line,
				 "unknown section [%s] (expected [global] or [session NAME])", n);
		}
	}
	for (i = 0; i < p->nitems; i++) {
		struct conf_item *it = &p->items[i];

		if (!strcmp(it->key, "password")) {
			password_inline = true;
			password_line = it->line;
		}
		if (!*it->section) {
			conf_err(p, it->line, "key '%s' outside any section", it->key);
			continue;
		}
		if (strcmp(it->section, "global"))
			continue;
		if (!strcmp(it->key, "count"))
			conf_err(p, it->line, "key 'count' belongs in a [session NAME] section");
		else if (!conf_global_key(p, c, it))
			conf_session_key(p, &defaults, it, 0);
	}
	/* It names the scripts run as root and the password files read as
	 * root: writing it is as good as being root. */
	if (p->writable_by_others)
		conf_err(p, 0, "group or others can write the file (mode %04o), and it names "
			 "scripts run as root; chmod go-w %s", p->mode, p->path);
	if (password_inline && p->readable_by_others)
		conf_err(p, password_line,
			 "the file holds a password but group or others can read it (mode %04o); "
			 "chmod 600 %s", p->mode, p->path);
	if (!have_global || !c->interface[0])
		conf_err(p, have_global ? 1 : 0, "missing required key 'interface' in [global]");
	else if (check_interface && !if_nametoindex(c->interface))
		conf_err(p, 0, "interface '%s' does not exist", c->interface);
	if (!c->state_file[0] && c->interface[0])
		snprintf(c->state_file, sizeof(c->state_file), "/run/pppoe-xdp/%s.state",
			 c->interface);
	if (!ns) {
		conf_err(p, 0, "no [session NAME] section: nothing to dial");
		return;
	}
	if (p->errors)
		return;

	c->sessions = calloc(ns, sizeof(*c->sessions));
	if (!c->sessions) {
		p->oom = true;
		return;
	}
	for (i = 0; i < p->nsections && p->errors < 20; i++) {
		const struct conf_section *sec = &p->sections[i];
		unsigned int k;

		if (strncmp(sec->name, "session ", 8))
			continue;
		count = conf_count(p, sec->name);
		if (!count)
			conf_add_session(p, c, &defaults, sec, 0);
		for (k = 1; k <= count && p->errors < 20; k++)
			conf_add_session(p, c, &defaults, sec, k);
	}
	conf_check_unique(p, c);
	explicit_bzero(&defaults, sizeof(defaults));
}

int conf_load(const char *path, struct conf *c, bool check_interface)
{
	struct conf_parse p = { .path = path };
	char iobuf[BUFSIZ]; /* stdio's own buffer would be freed unwiped */
	struct stat st;
	int ret;

	memset(c, 0, sizeof(*c));
	if (conf_copy(c->path, sizeof(c->path), path))
		return -ENAMETOOLONG;
	p.f = fopen(path, "re");
	if (!p.f) {
		ret = -errno;
		fprintf(stderr, "%s: cannot open config: %s\n", path, strerror(errno));
		return ret;
	}
	setvbuf(p.f, iobuf, _IOFBF, sizeof(iobuf));
	if (!fstat(fileno(p.f), &st)) {
		p.readable_by_others = (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
		p.writable_by_others = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
		p.mode = st.st_mode & 07777;
	}
	ret = ini_parse_stream(conf_reader, &p, conf_handler, &p);
	fclose(p.f);
	explicit_bzero(iobuf, sizeof(iobuf));
	if (ret > 0)
		conf_err(&p, ret, "syntax error (expected 'key = value' or '[section]')");
	else if (ret < 0)
		p.oom = true;
	if (!p.errors && !p.oom)
		conf_build(&p, c, check_interface);
	if (p.oom)
		fprintf(stderr, "%s: out of memory\n", path);
	conf_parse_free(&p);
	if (p.errors || p.oom) {
		conf_free(c);
		return p.oom ? -ENOMEM : -EINVAL;
	}
	return 0;
}

void conf_free(struct conf *c)
{
	if (c->sessions) {
		explicit_bzero(c->sessions, c->nsessions * sizeof(*c->sessions));
		free(c->sessions);
	}
	c->sessions = NULL;
	c->nsessions = 0;
}
