// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.c - parse the INI file with libinih, then validate.
 *
 * What each key means, where it goes and how its value is parsed is the
 * key table's business (config_keys.c); this file reads the file, sorts
 * keys into [global] defaults and sessions, expands "count" sections and
 * checks what needs a whole section or the whole file.
 *
 * libinih does the syntax. Its handler is not told line numbers, so our
 * reader counts lines and records section headers as they go by; every
 * key is kept with its line and applied afterwards, [global] first, so
 * that [global] values are defaults for every session wherever they
 * appear in the file.
 *
 * A key belongs to the section our reader saw last, not to the one libinih
 * names: libinih silently cuts section names to MAX_SECTION - 1 characters
 * (49 in Debian's build, so "session " and 41 more), and two sessions whose
 * names differ only after that would share their keys. Session names are
 * limited by SESSION_NAME_MAX alone. The two must still agree on where a
 * section starts; where they do not (an indented header after a key is a
 * continuation line for libinih), the key is an error.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pppoe/wire.h"
#include "src/config_int.h"
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

void conf_err(struct conf_parse *p, int line, const char *fmt, ...)
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

/* conf_inih_probe - ini_parse_string handler: the length of the section name */
static int conf_inih_probe(void *user, const char *section, const char *name, const char *value)
{
	(void)name;
	(void)value;
	*(size_t *)user = strlen(section);
	return 1;
}

/*
 * conf_inih_section_max - how much of a section name libinih keeps: its
 * MAX_SECTION is private to the library's build, so ask it once.
 */
static size_t conf_inih_section_max(void)
{
	static size_t max;
	char probe[INI_MAX_LINE];
	size_t n = sizeof(probe) - 16;

	if (max)
		return max;
	probe[0] = '[';
	memset(probe + 1, 'x', n);
	snprintf(probe + 1 + n, sizeof(probe) - 1 - n, "]\nk = v\n");
	if (ini_parse_string(probe, conf_inih_probe, &max) || !max)
		max = SIZE_MAX;	/* be strict: names must then match exactly */
	return max;
}

/* conf_section_agrees - is libinih's @section our @ours, maybe cut short? */
static bool conf_section_agrees(const char *section, const char *ours)
{
	size_t max = conf_inih_section_max();

	if (strlen(ours) <= max)
		return !strcmp(section, ours);
	return strlen(section) == max && !strncmp(section, ours, max);
}

static int conf_handler(void *user, const char *section, const char *name, const char *value)
{
	struct conf_parse *p = user;
	const char *ours = p->nsections ? p->sections[p->nsections - 1].name : "";
	struct conf_item *ni;

	if (!conf_section_agrees(section, ours)) {
		conf_err(p, p->line, "key '%s': the INI parser reads it as part of [%s], "
			 "not of [%s] on line %d (is the section header indented? an indented "
			 "line continues the value before it)", name, section, ours,
			 p->nsections ? p->sections[p->nsections - 1].line : 0);
		return 1;
	}
	ni = realloc(p->items, (p->nitems + 1) * sizeof(*ni));
	if (!ni) {
		p->oom = true;
		return 0;
	}
	p->items = ni;
	ni[p->nitems].section = strdup(ours);
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

/*
 * conf_session_key - apply one session key (also legal in [global]);
 * @idx is the index within a "count = N" section (0 without count).
 */
static int conf_session_key(struct conf_parse *p, struct conf_session *cs,
			    const struct conf_item *it, unsigned int idx)
{
	const struct conf_key *k = conf_key_find(it->key);
	char v[SESSION_SECRET_MAX * 2];
	struct conf_val cv = {
		.p = p, .key = k, .section = it->section, .value = v, .line = it->line,
	};
	int ret;

	if (k && k->type == CONF_T_COUNT)
		return 0; /* read by conf_count */
	if (conf_expand(it->value, idx, v, sizeof(v))) {
		conf_err(p, it->line, "value of key '%s' in [%s] too long", it->key, it->section);
		return -EINVAL;
	}
	if (!k || k->scope == CONF_SCOPE_GLOBAL) {
		conf_err(p, it->line, "unknown key '%s' in [%s]", it->key, it->section);
		ret = -EINVAL;
	} else {
		ret = conf_key_apply(&cv, cs);
	}
	explicit_bzero(v, sizeof(v));
	return ret;
}

/* conf_session_defaults - what a session gets for the keys it does not set
 * (README.md's key reference shows them; test_readme_keys holds it to that) */
static void conf_session_defaults(struct conf_session *cs)
{
	struct session_conf *sc = &cs->s;

	memset(cs, 0, sizeof(*cs));
	sc->mac_mode = SESSION_MAC_AUTO;
	sc->vlan.tpid = ETH_P_8021Q_; /* untagged; QinQ's outer tag 802.1Q unless vlan_tpid */
	sc->holdoff = 5;
	sc->holdoff_max = 300;
	sc->maxfail = 0;
	sc->ppp.mtu = PPPOE_MRU;
	sc->ppp.echo_interval = 10;
	sc->ppp.echo_failure = 4;
	sc->ppp.echo_probe_ms = 2000;
	sc->ppp.echo_adaptive = true;
	sc->ppp.want_dns = true;
	sc->dhcpv6 = SESSION_DHCP6_AUTO;
	sc->dhcpv6_pd = true;
	cs->rule_priority = 1000;
	cs->defaultroute_metric = 0;
	cs->script_timeout = 30;
	cs->mss_clamp = CONF_MSS_AUTO;
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

/* conf_global_item - a key in [global]: its own, or a default for every session */
static void conf_global_item(struct conf_parse *p, struct conf *c, struct conf_session *defaults,
			     const struct conf_item *it)
{
	const struct conf_key *k = conf_key_find(it->key);
	struct conf_val cv = {
		.p = p, .key = k, .section = it->section, .value = it->value, .line = it->line,
	};

	if (k && k->scope == CONF_SCOPE_SESSION)
		conf_err(p, it->line, "key '%s' belongs in a [session NAME] section", it->key);
	else if (k && k->scope == CONF_SCOPE_GLOBAL)
		conf_key_apply(&cv, c);
	else
		conf_session_key(p, defaults, it, 0);
}

/* conf_count - the "count" of a session section: 0 if absent */
static unsigned int conf_count(struct conf_parse *p, const char *section)
{
	const struct conf_key *k = conf_key_find("count");
	unsigned int count = 0;
	size_t j;

	for (j = 0; j < p->nitems; j++) {
		if (strcmp(p->items[j].section, section) || strcmp(p->items[j].key, k->name))
			continue;
		if (conf_uint(p->items[j].value, k->min, k->max, &count))
			conf_err(p, p->items[j].line,
				 "bad value '%s' for key '%s' in [%s] (%lu..%lu)",
				 p->items[j].value, k->name, section, k->min, k->max);
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
			conf_err(p, sec->line, "[session %s]: name too long with count "
				 "(at most %d characters)", base, SESSION_NAME_MAX - 1);
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

	const struct pppoe_vlan *xv = &x->s.vlan, *yv = &y->s.vlan;
	int r;

	if (xi != yi)
		return xi - yi;
	r = xi ? 0 : memcmp(x->s.mac, y->s.mac, 6);
	if (r)
		return r;
	/* One MAC on two VLANs is two clients to the ACs: allowed. */
	if (xv->ntags != yv->ntags)
		return xv->ntags - yv->ntags;
	if (xv->ntags > 0 && xv->vid[0] != yv->vid[0])
		return xv->vid[0] - yv->vid[0];
	if (xv->ntags > 1 && xv->vid[1] != yv->vid[1])
		return xv->vid[1] - yv->vid[1];
	return 0;
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

			conf_err(p, 0, "sessions '%s' and '%s' have the same MAC address (on the "
				 "same VLAN)",
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
	c->workers = 1;
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
					 "bad session name '%s' (letters, digits, '-', '_', '.'; "
					 "at most %d characters)",
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
		if (!strcmp(it->section, "global"))
			conf_global_item(p, c, &defaults, it);
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

unsigned int conf_workers_resolve(const struct conf *c)
{
	long n = c->workers ? (long)c->workers : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > CONF_WORKERS_MAX ? CONF_WORKERS_MAX : (unsigned int)n;
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
