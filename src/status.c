// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - the daemon's reports: a table for people, JSON for scripts.
 * The third, Prometheus text for monitoring, is src/metrics.c's.
 *
 * Everything here reads the session table and writes into a strbuf; no
 * I/O, so the tests build a struct daemon by hand and compare the text.
 * Peer-supplied bytes (the AC name above all) are escaped for each format:
 * the table and log style \xNN, JSON \u00XX (Prometheus label escapes in
 * metrics.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/ip6.h"
#include "pppoe/log.h"
#include "pppoe/session.h"
#include "src/config.h"
#include "src/status.h"
#include "src/status_int.h"
#include "src/strbuf.h"
#include "src/xsk_io.h"

/* ---- small formatters ------------------------------------------------------ */

const char *status_fmt_duration(char *out, size_t outlen, uint64_t secs)
{
	if (secs < 60)
		snprintf(out, outlen, "%" PRIu64 "s", secs);
	else if (secs < 3600)
		snprintf(out, outlen, "%" PRIu64 "m%02" PRIu64 "s", secs / 60, secs % 60);
	else if (secs < 86400)
		snprintf(out, outlen, "%" PRIu64 "h%02" PRIu64 "m", secs / 3600, secs / 60 % 60);
	else
		snprintf(out, outlen, "%" PRIu64 "d%02" PRIu64 "h", secs / 86400, secs / 3600 % 24);
	return out;
}

const char *status_fmt_bytes(char *out, size_t outlen, uint64_t bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;
	uint64_t scaled;

	if (bytes < 1024) {
		snprintf(out, outlen, "%" PRIu64 "B", bytes);
		return out;
	}
	/* Tenths in integer arithmetic: exact, no rounding surprises. */
	while (u < 5 && bytes >= (1024ull << (10 * (u + 1))))
		u++;
	scaled = bytes >> (10 * u);                 /* in units of 1024^u */
	scaled = scaled * 10 / 1024;                /* tenths of units[u] */
	snprintf(out, outlen, "%" PRIu64 ".%" PRIu64 "%s", scaled / 10, scaled % 10, units[u]);
	return out;
}

static const char *status_fmt_ip(char *out, size_t outlen, uint32_t addr_be)
{
	struct in_addr a = { .s_addr = addr_be };

	if (!inet_ntop(AF_INET, &a, out, (socklen_t)outlen))
		snprintf(out, outlen, "?");
	return out;
}

void status_json_str(struct strbuf *out, const char *s, size_t len)
{
	size_t i;

	strbuf_putc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			strbuf_putc(out, '\\');
			strbuf_putc(out, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			/*
			 * Peer bytes are not known to be UTF-8: map each byte
			 * to the code point of the same value, so the output
			 * is always valid JSON and nothing is lost.
			 */
			strbuf_printf(out, "\\u%04x", c);
		} else {
			strbuf_putc(out, (char)c);
		}
	}
	strbuf_putc(out, '"');
}

/* ---- shared helpers ------------------------------------------------------- */

void status_count_states(const struct daemon *d, size_t counts[STATUS_NSTATES], size_t *total)
{
	size_t i;

	memset(counts, 0, sizeof(counts[0]) * STATUS_NSTATES);
	*total = 0;
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		if (!ds)
			continue;
		(*total)++;
		if ((unsigned int)ds->s.state < STATUS_NSTATES)
			counts[ds->s.state]++;
	}
}

/* ---- DHCPv6 ---------------------------------------------------------------- */

/* status_d6_left - seconds from @now_ms to @until, UINT32_MAX for ever */
static uint64_t status_d6_left(uint64_t now_ms, uint64_t until)
{
	if (until == UINT64_MAX)
		return UINT32_MAX;
	return until > now_ms ? (until - now_ms + 999) / 1000 : 0;
}

/* status_d6_active - the session's DHCPv6 client runs or holds a lease */
static bool status_d6_active(const struct dsession *ds)
{
	return ds->s.dhcp6.state != DHCP6_ST_IDLE || ds->d6.n_addr || ds->d6.n_prefix;
}

static void status_d6_life(struct strbuf *out, uint64_t now_ms, const struct dhcp6_lease_entry *e)
{
	uint64_t v = status_d6_left(now_ms, e->valid_until);
	uint64_t p = status_d6_left(now_ms, e->preferred_until);

	if (v == UINT32_MAX)
		strbuf_puts(out, " (valid for ever)");
	else
		strbuf_printf(out, " (valid %" PRIu64 " s, preferred %" PRIu64 " s)", v, p);
}

/* status_d6_lines - "dhcpv6 NAME: Bound, address A (valid ..), prefix P/56 (..)" */
static void status_d6_lines(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	char a[INET6_ADDRSTRLEN];
	size_t i;
	uint8_t k;

	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];
		const struct dhcp6 *c;

		if (!ds || !status_d6_active(ds))
			continue;
		c = &ds->s.dhcp6;
		strbuf_printf(out, "dhcpv6 %s: %s", status_name(ds), dhcp6_state_name(c->state));
		for (k = 0; k < ds->d6.n_addr; k++) {
			strbuf_printf(out, ", address %s", inet_ntop(AF_INET6, ds->d6.addr[k].addr, a,
								      sizeof(a)));
			status_d6_life(out, now_ms, &ds->d6.addr[k]);
		}
		for (k = 0; k < ds->d6.n_prefix; k++) {
			strbuf_printf(out, ", prefix %s/%u", inet_ntop(AF_INET6, ds->d6.prefix[k].addr,
								       a, sizeof(a)),
				      ds->d6.prefix[k].plen);
			status_d6_life(out, now_ms, &ds->d6.prefix[k]);
		}
		if (c->state == DHCP6_ST_BOUND && c->t1_at != UINT64_MAX)
			strbuf_printf(out, ", renew in %" PRIu64 " s", status_d6_left(now_ms, c->t1_at));
		if (ds->d6.na_status > 0)
			strbuf_printf(out, ", IA_NA %s", dhcp6_status_name((uint16_t)ds->d6.na_status));
		if (ds->d6.pd_status > 0)
			strbuf_printf(out, ", IA_PD %s", dhcp6_status_name((uint16_t)ds->d6.pd_status));
		strbuf_printf(out, ", renewed %" PRIu64 "\n", ds->d6_renewed);
	}
}

/* ---- table ---------------------------------------------------------------- */

enum {
	COL_NAME,
	COL_STATE,
	COL_IFNAME,
	COL_VLAN,
	COL_LOCAL,
	COL_PEER,
	COL_DNS,
	COL_IPV6,
	COL_AC,
	COL_ACMAC,
	COL_SID,
	COL_UPTIME,
	COL_RX,
	COL_TX,
	COL_REDIALS,
	COL_ERROR,
	NCOLS,
};

/* Escaped peer text can be four times its length. */
#define CELL_MAX (sizeof(((struct session *)0)->last_error) * 4 + 8)

static const char *const col_titles[NCOLS] = {
	"NAME", "STATE", "IFNAME", "VLAN", "LOCAL", "PEER", "DNS", "IPV6", "AC", "AC-MAC",
	"SID", "UPTIME", "RX", "TX", "REDIALS", "LAST-ERROR",
};

/* status_ipv6_state - what a session's IPv6 is doing, in one word */
static const char *status_ipv6_state(const struct session *s)
{
	if (s->v6.up)
		return "up";
	if (s->ppp.ipv6_unavailable)
		return "unavailable";
	if (s->ppp.net6_up)
		return "waiting"; /* IPv6CP open, IPCP not yet */
	return s->ppp.phase == PPP_PHASE_NETWORK ? "negotiating" : "down";
}

/* status_ipv6_cell - the SLAAC address (+N more), else the link-local, else
 * the state */
static void status_ipv6_cell(const struct session *s, char *cell, size_t cap)
{
	char a[IP6_STRLEN];

	if (s->v6.up && s->v6.naddr)
		snprintf(cell, cap, "%s%s", ip6_ntop(s->v6.addr[0].addr, a, sizeof(a)),
			 s->v6.naddr > 1 ? ",..." : "");
	else if (s->v6.up)
		snprintf(cell, cap, "%s", ip6_ntop(s->v6.local, a, sizeof(a)));
	else
		snprintf(cell, cap, "%s", status_ipv6_state(s));
}

/* status_row - format one session's cells */
static void status_row(const struct dsession *ds, uint64_t now_ms, char cells[NCOLS][CELL_MAX])
{
	const struct session *s = &ds->s;
	const struct ppp_net *net = &s->ppp.net;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], h[32];
	size_t i;

	for (i = 0; i < NCOLS; i++)
		snprintf(cells[i], CELL_MAX, "-");
	log_escape(cells[COL_NAME], CELL_MAX, status_name(ds), strlen(status_name(ds)));
	snprintf(cells[COL_STATE], CELL_MAX, "%s", session_state_name(s->state));
	log_escape(cells[COL_IFNAME], CELL_MAX, status_sess_ifname(ds),
		   strlen(status_sess_ifname(ds)));
	if (s->disc.vlan.ntags)
		pppoe_vlan_format(&s->disc.vlan, cells[COL_VLAN], CELL_MAX);
	if (status_is_up(ds)) {
		status_fmt_ip(cells[COL_LOCAL], CELL_MAX, net->local);
		status_fmt_ip(cells[COL_PEER], CELL_MAX, net->peer);
		if (net->dns1 && net->dns2)
			snprintf(cells[COL_DNS], CELL_MAX, "%s,%s",
				 status_fmt_ip(a, sizeof(a), net->dns1),
				 status_fmt_ip(b, sizeof(b), net->dns2));
		else if (net->dns1 || net->dns2)
			status_fmt_ip(cells[COL_DNS], CELL_MAX, net->dns1 ? net->dns1 : net->dns2);
		status_fmt_duration(cells[COL_UPTIME], CELL_MAX,
				    status_secs_since(now_ms, s->up_since_ms));
	}
	if (s->conf && s->conf->ppp.ipv6)
		status_ipv6_cell(s, cells[COL_IPV6], CELL_MAX);
	if (s->disc.ac_name[0])
		log_escape(cells[COL_AC], CELL_MAX, s->disc.ac_name,
			   strnlen(s->disc.ac_name, sizeof(s->disc.ac_name)));
	if (status_has_sid(ds)) {
		log_mac(cells[COL_ACMAC], s->disc.ac_mac);
		snprintf(cells[COL_SID], CELL_MAX, "0x%04x", s->disc.session_id);
	}
	snprintf(cells[COL_RX], CELL_MAX, "%" PRIu64 "/%s", s->stats.rx_packets,
		 status_fmt_bytes(h, sizeof(h), s->stats.rx_bytes));
	snprintf(cells[COL_TX], CELL_MAX, "%" PRIu64 "/%s", s->stats.tx_packets,
		 status_fmt_bytes(h, sizeof(h), s->stats.tx_bytes));
	snprintf(cells[COL_REDIALS], CELL_MAX, "%u", s->redials);
	if (!status_is_up(ds) && s->last_error[0])
		log_escape(cells[COL_ERROR], CELL_MAX, s->last_error,
			   strnlen(s->last_error, sizeof(s->last_error)));
}

static void status_put_row(struct strbuf *out, char cells[NCOLS][CELL_MAX],
			   const size_t width[NCOLS])
{
	size_t i;

	for (i = 0; i < NCOLS; i++) {
		if (!width[i])
			continue; /* a column nobody uses (IPV6 without ipv6 = yes) */
		/* No padding after the last column: no trailing blanks. */
		if (i == NCOLS - 1)
			strbuf_puts(out, cells[i]);
		else
			strbuf_printf(out, "%-*s  ", (int)width[i], cells[i]);
	}
	strbuf_putc(out, '\n');
}

/* status_header - "interface eth0, xdp native, 4 queues, up 3h12m; sessions 3: 2 up, 1 idle" */
static void status_header(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	size_t counts[STATUS_NSTATES], total, i;
	char dur[32];
	bool first = true;

	status_count_states(d, counts, &total);
	strbuf_printf(out, "pppoe-xdp %s, interface %s", PPPOE_XDP_VERSION, status_ifname(d));
	if (d->io)
		strbuf_printf(out, ", xdp %s, %u queue%s", xsk_io_mode_name(d->io),
			      xsk_io_nqueues(d->io), xsk_io_nqueues(d->io) == 1 ? "" : "s");
	status_fmt_duration(dur, sizeof(dur), status_secs_since(now_ms, d->started_ms));
	strbuf_printf(out, ", up %s; sessions %zu", dur, total);
	for (i = 0; i < STATUS_NSTATES; i++) {
		if (!counts[i])
			continue;
		strbuf_printf(out, "%s%zu %s", first ? ": " : ", ", counts[i],
			      session_state_name((enum session_state)i));
		first = false;
	}
	strbuf_putc(out, '\n');
	strbuf_printf(out, "setup window %u%s (%s): %u in setup, %u queued; setup time %" PRIu64
		      " ms, best %" PRIu64 " ms\n", setup_win_size(&d->win),
		      d->win.fixed ? " fixed" : "", setup_reason_name(d->win.reason),
		      d->win.inflight, d->pacer.queued, d->win.srtt_ms, d->win.best_ms);
}

int status_table(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	char (*cells)[CELL_MAX];
	size_t width[NCOLS], i, c;

	cells = malloc(sizeof(char[NCOLS][CELL_MAX]));
	if (!cells)
		return -ENOMEM;
	status_header(d, now_ms, out);

	/* Two passes: widths from the data, then the rows. */
	for (c = 0; c < NCOLS; c++)
		width[c] = strlen(col_titles[c]);
	/* The IPV6 column only when some session has ipv6 = yes. */
	width[COL_IPV6] = 0;
	for (i = 0; i < d->nslots; i++)
		if (d->sessions[i] && d->sessions[i]->conf.s.ppp.ipv6)
			width[COL_IPV6] = strlen(col_titles[COL_IPV6]);
	for (i = 0; i < d->nslots; i++) {
		if (!d->sessions[i])
			continue;
		status_row(d->sessions[i], now_ms, cells);
		for (c = 0; c < NCOLS; c++) {
			size_t l = strlen(cells[c]);

			if (l > width[c] && (c != COL_IPV6 || width[c]))
				width[c] = l;
		}
	}
	for (c = 0; c < NCOLS; c++)
		snprintf(cells[c], CELL_MAX, "%s", col_titles[c]);
	status_put_row(out, cells, width);
	for (i = 0; i < d->nslots; i++) {
		if (!d->sessions[i])
			continue;
		status_row(d->sessions[i], now_ms, cells);
		status_put_row(out, cells, width);
	}
	status_d6_lines(d, now_ms, out);
	free(cells);
	return out->oom ? -ENOMEM : 0;
}

/* ---- JSON ----------------------------------------------------------------- */

static void status_json_key(struct strbuf *out, const char *key)
{
	strbuf_printf(out, ",\"%s\":", key);
}

static void status_json_cstr(struct strbuf *out, const char *key, const char *s, size_t max)
{
	status_json_key(out, key);
	if (!s || !s[0])
		strbuf_puts(out, "null");
	else
		status_json_str(out, s, strnlen(s, max));
}

static void status_json_ip(struct strbuf *out, uint32_t addr_be)
{
	char a[INET_ADDRSTRLEN];

	strbuf_printf(out, "\"%s\"", status_fmt_ip(a, sizeof(a), addr_be));
}

static void status_json_u64(struct strbuf *out, const char *key, uint64_t v)
{
	strbuf_printf(out, ",\"%s\":%" PRIu64, key, v);
}

/* status_json_d6_entry - "KEY":"ADDR[/PLEN]","KEY_valid_s":N,"KEY_preferred_s":N (null: none) */
static void status_json_d6_entry(struct strbuf *out, const char *key, uint64_t now_ms,
				 const struct dhcp6_lease_entry *e, bool plen)
{
	char a[INET6_ADDRSTRLEN];
	uint64_t v, p;

	status_json_key(out, key);
	if (!e) {
		strbuf_printf(out, "null,\"%s_valid_s\":null,\"%s_preferred_s\":null", key, key);
		return;
	}
	inet_ntop(AF_INET6, e->addr, a, sizeof(a));
	if (plen)
		strbuf_printf(out, "\"%s/%u\"", a, e->plen);
	else
		strbuf_printf(out, "\"%s\"", a);
	v = status_d6_left(now_ms, e->valid_until);
	p = status_d6_left(now_ms, e->preferred_until);
	strbuf_printf(out, ",\"%s_valid_s\":%" PRIu64 ",\"%s_preferred_s\":%" PRIu64, key, v, key, p);
}

/* status_json_d6 - "dhcpv6": the client's state and lease, null when unused */
static void status_json_d6(const struct dsession *ds, uint64_t now_ms, struct strbuf *out)
{
	const struct dhcp6 *c = &ds->s.dhcp6;

	status_json_key(out, "dhcpv6");
	if (!status_d6_active(ds)) {
		strbuf_puts(out, "null");
		return;
	}
	strbuf_printf(out, "{\"state\":\"%s\"", dhcp6_state_name(c->state));
	status_json_d6_entry(out, "address", now_ms, ds->d6.n_addr ? &ds->d6.addr[0] : NULL, false);
	status_json_d6_entry(out, "prefix", now_ms, ds->d6.n_prefix ? &ds->d6.prefix[0] : NULL, true);
	status_json_key(out, "t1_s");
	if (ds->d6.n_addr || ds->d6.n_prefix)
		strbuf_printf(out, "%u", ds->d6.t1);
	else
		strbuf_puts(out, "null");
	status_json_key(out, "t2_s");
	if (ds->d6.n_addr || ds->d6.n_prefix)
		strbuf_printf(out, "%u", ds->d6.t2);
	else
		strbuf_puts(out, "null");
	status_json_cstr(out, "na_status", ds->d6.na_status >= 0 ?
			 dhcp6_status_name((uint16_t)ds->d6.na_status) : NULL, 32);
	status_json_cstr(out, "pd_status", ds->d6.pd_status >= 0 ?
			 dhcp6_status_name((uint16_t)ds->d6.pd_status) : NULL, 32);
	status_json_u64(out, "renewed", ds->d6_renewed);
	status_json_u64(out, "solicits", c->stats.solicits);
	status_json_u64(out, "renews", c->stats.renews);
	status_json_u64(out, "rebinds", c->stats.rebinds);
	status_json_u64(out, "dropped", c->stats.dropped);
	strbuf_putc(out, '}');
}

static void status_json_ip6(struct strbuf *out, const char *key, const uint8_t a[16], bool have)
{
	char t[IP6_STRLEN];

	status_json_key(out, key);
	if (have)
		strbuf_printf(out, "\"%s\"", ip6_ntop(a, t, sizeof(t)));
	else
		strbuf_puts(out, "null");
}

static uint64_t status_left_s(uint64_t now_ms, uint64_t until_ms)
{
	return until_ms > now_ms ? (until_ms - now_ms + 999) / 1000 : 0;
}

/* status_json_ipv6 - "ipv6": null without ipv6 = yes, else its state, the
 * link-locals, the RA's router and flags, the SLAAC addresses */
static void status_json_ipv6(const struct session *s, uint64_t now_ms, struct strbuf *out)
{
	static const uint8_t zero[16];
	const struct session_v6 *v = &s->v6;
	unsigned int i;

	status_json_key(out, "ipv6");
	if (!s->conf || !s->conf->ppp.ipv6) {
		strbuf_puts(out, "null");
		return;
	}
	strbuf_puts(out, "{\"status\":"); /* not "state": scripts count sessions by it */
	status_json_str(out, status_ipv6_state(s), strlen(status_ipv6_state(s)));
	status_json_cstr(out, "ipv6cp", fsm_state_name(s->ppp.ipv6cp.fsm.state), 32);
	status_json_ip6(out, "local", v->local, v->up);
	status_json_ip6(out, "peer", v->peer, v->up && memcmp(v->peer, zero, 16));
	status_json_ip6(out, "router", v->router, v->up && v->router_set);
	status_json_key(out, "router_lifetime_s");
	if (v->up && v->router_set)
		strbuf_printf(out, "%" PRIu64, status_left_s(now_ms, v->router_until_ms));
	else
		strbuf_puts(out, "null");
	strbuf_printf(out, ",\"ra_managed\":%s,\"ra_other\":%s",
		      v->up && v->ra_managed ? "true" : "false",
		      v->up && v->ra_other ? "true" : "false");
	strbuf_puts(out, ",\"addresses\":[");
	for (i = 0; v->up && i < v->naddr; i++) {
		char a[IP6_STRLEN];

		strbuf_printf(out, "%s{\"address\":\"%s\",\"prefix_len\":%u", i ? "," : "",
			      ip6_ntop(v->addr[i].addr, a, sizeof(a)), v->addr[i].plen);
		strbuf_puts(out, ",\"valid_s\":");
		if (v->addr[i].valid_until_ms == UINT64_MAX)
			strbuf_puts(out, "null");
		else
			strbuf_printf(out, "%" PRIu64, status_left_s(now_ms, v->addr[i].valid_until_ms));
		strbuf_puts(out, ",\"preferred_s\":");
		if (v->addr[i].preferred_until_ms == UINT64_MAX)
			strbuf_puts(out, "null");
		else
			strbuf_printf(out, "%" PRIu64,
				      status_left_s(now_ms, v->addr[i].preferred_until_ms));
		strbuf_putc(out, '}');
	}
	strbuf_putc(out, ']');
	strbuf_puts(out, ",\"dns\":[");
	for (i = 0; v->up && i < v->nrdnss; i++) {
		char a[IP6_STRLEN];

		strbuf_printf(out, "%s\"%s\"", i ? "," : "", ip6_ntop(v->rdnss[i], a, sizeof(a)));
	}
	strbuf_putc(out, ']');
	status_json_u64(out, "rs_sent", v->tx_rs);
	status_json_u64(out, "ra_received", v->rx_ra);
	status_json_u64(out, "ra_invalid", v->rx_ra_bad);
	status_json_u64(out, "tx_dropped", v->tx_dropped);
	strbuf_putc(out, '}');
}

/* status_json_session - one session object */
static void status_json_session(const struct dsession *ds, uint64_t now_ms, struct strbuf *out)
{
	const struct session *s = &ds->s;
	const struct ppp_net *net = &s->ppp.net;
	bool up = status_is_up(ds), sid = status_has_sid(ds);
	char mac[LOG_MAC_LEN], vlan[PPPOE_VLAN_STRLEN];

	strbuf_puts(out, "{\"name\":");
	status_json_str(out, status_name(ds), strlen(status_name(ds)));
	status_json_cstr(out, "state", session_state_name(s->state), 32);
	status_json_cstr(out, "ifname", status_sess_ifname(ds), SESSION_IFNAME_MAX);
	status_json_key(out, "mac");
	strbuf_printf(out, "\"%s\"", log_mac(mac, s->mac));

	status_json_key(out, "local");
	if (up)
		status_json_ip(out, net->local);
	else
		strbuf_puts(out, "null");
	status_json_key(out, "peer");
	if (up)
		status_json_ip(out, net->peer);
	else
		strbuf_puts(out, "null");
	status_json_key(out, "dns");
	if (up) {
		strbuf_putc(out, '[');
		if (net->dns1)
			status_json_ip(out, net->dns1);
		if (net->dns2) {
			if (net->dns1)
				strbuf_putc(out, ',');
			status_json_ip(out, net->dns2);
		}
		strbuf_putc(out, ']');
	} else {
		strbuf_puts(out, "null");
	}
	status_json_key(out, "mtu");
	if (up)
		strbuf_printf(out, "%u", net->mtu);
	else
		strbuf_puts(out, "null");

	status_json_key(out, "vlan");
	if (s->disc.vlan.ntags)
		strbuf_printf(out, "\"%s\"", pppoe_vlan_format(&s->disc.vlan, vlan, sizeof(vlan)));
	else
		strbuf_puts(out, "null");
	status_json_cstr(out, "ac_name", s->disc.ac_name, sizeof(s->disc.ac_name));
	status_json_key(out, "ac_mac");
	if (sid)
		strbuf_printf(out, "\"%s\"", log_mac(mac, s->disc.ac_mac));
	else
		strbuf_puts(out, "null");
	status_json_key(out, "session_id");
	if (sid)
		strbuf_printf(out, "%u", s->disc.session_id);
	else
		strbuf_puts(out, "null");
	/* workers > 1: the worker moving its data, null while it has none */
	status_json_key(out, "worker");
	if (ds->worker >= 0)
		strbuf_printf(out, "%d", ds->worker);
	else if (!ds->d || !ds->d->nworkers)
		strbuf_puts(out, "0");
	else
		strbuf_puts(out, "null");
	status_json_key(out, "uptime_s");
	if (up)
		strbuf_printf(out, "%" PRIu64, status_secs_since(now_ms, s->up_since_ms));
	else
		strbuf_puts(out, "null");
	status_json_key(out, "echo_rtt_us");
	if (s->ppp.echo_rtt_us)
		strbuf_printf(out, "%" PRIu64, s->ppp.echo_rtt_us);
	else
		strbuf_puts(out, "null");

	status_json_u64(out, "rx_packets", s->stats.rx_packets);
	status_json_u64(out, "rx_bytes", s->stats.rx_bytes);
	status_json_u64(out, "rx_dropped", s->stats.rx_dropped);
	status_json_u64(out, "tx_packets", s->stats.tx_packets);
	status_json_u64(out, "tx_bytes", s->stats.tx_bytes);
	status_json_u64(out, "tx_dropped", s->stats.tx_dropped);
	status_json_u64(out, "dials", s->dials);
	status_json_u64(out, "redials", s->redials);
	status_json_u64(out, "failures", s->failures);
	status_json_u64(out, "ups", ds->ups);
	status_json_u64(out, "downs", ds->downs);
	status_json_ipv6(s, now_ms, out);
	/* Carried on from the state file at start (see "Restarts" in README). */
	status_json_key(out, "resumed");
	strbuf_puts(out, ds->resumed ? "true" : "false");
	status_json_d6(ds, now_ms, out);
	status_json_cstr(out, "last_error", s->last_error, sizeof(s->last_error));
	strbuf_putc(out, '}');
}

/* status_json_setup - the setup window: size, why, occupancy, history */
static void status_json_setup(const struct daemon *d, struct strbuf *out)
{
	const struct setup_win *w = &d->win;
	unsigned int r;

	strbuf_printf(out, ",\"setup\":{\"window\":%u,\"fixed\":%s,\"reason\":",
		      setup_win_size(w), w->fixed ? "true" : "false");
	status_json_str(out, setup_reason_name(w->reason), strlen(setup_reason_name(w->reason)));
	strbuf_printf(out, ",\"in_setup\":%u,\"queued\":%u", w->inflight, d->pacer.queued);
	status_json_u64(out, "started", w->started);
	status_json_u64(out, "completed", w->completed);
	status_json_u64(out, "failed", w->failed);
	status_json_u64(out, "expired", w->expired);
	status_json_u64(out, "setup_time_ms", w->srtt_ms);
	status_json_u64(out, "best_setup_ms", w->best_ms);
	status_json_u64(out, "echo_probes", d->echo_probes);
	strbuf_puts(out, ",\"decreases\":{");
	for (r = SETUP_R_PADO_LOSS; r < SETUP_R_MAX; r++)
		strbuf_printf(out, "%s\"%s\":%" PRIu64, r == SETUP_R_PADO_LOSS ? "" : ",",
			      setup_reason_name((enum setup_reason)r), w->decreases[r]);
	strbuf_puts(out, "}}");
}

/* status_json_offload - TUN offloads: what the kernel took, what they did */
static void status_json_offload(const struct daemon *d, struct strbuf *out)
{
	static const char *const names[] = { "csum", "tso4", "tso6", "uso4", "uso6" };
	const struct daemon_offload *o = &d->off;
	struct dpath_counters c;
	unsigned int i, n = 0;

	daemon_counters(d, &c);

	strbuf_printf(out, ",\"tun_offload\":{\"mode\":\"%s\",\"enabled\":[",
		      d->conf && d->conf->tun_offload_off ? "off" : "auto");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (o->enabled & (1u << i))
			strbuf_printf(out, "%s\"%s\"", n++ ? "," : "", names[i]);
	strbuf_putc(out, ']');
	status_json_u64(out, "tx_super_packets", c.tx_super);
	status_json_u64(out, "tx_segments", c.tx_segs);
	status_json_u64(out, "tx_super_dropped", c.tx_super_dropped);
	status_json_u64(out, "tx_csum_completed", c.tx_csum);
	status_json_u64(out, "rx_super_packets", c.rx_super);
	status_json_u64(out, "rx_coalesced_segments", c.rx_merged);
	status_json_u64(out, "rx_super_packets_udp", c.rx_super_udp);
	strbuf_putc(out, '}');
}

int status_json(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	size_t counts[STATUS_NSTATES], total, i;
	struct dpath_counters c;
	bool first = true;

	status_count_states(d, counts, &total);
	strbuf_puts(out, "{\"version\":");
	status_json_str(out, PPPOE_XDP_VERSION, strlen(PPPOE_XDP_VERSION));
	status_json_cstr(out, "interface", status_ifname(d), 16);
	status_json_key(out, "xdp_mode");
	if (d->io)
		status_json_str(out, xsk_io_mode_name(d->io), strlen(xsk_io_mode_name(d->io)));
	else
		strbuf_puts(out, "null");
	status_json_key(out, "queues");
	if (d->io)
		strbuf_printf(out, "%u", xsk_io_nqueues(d->io));
	else
		strbuf_puts(out, "null");
	status_json_u64(out, "uptime_s", status_secs_since(now_ms, d->started_ms));
	daemon_counters(d, &c);
	status_json_u64(out, "rx_unknown", c.rx_unknown);
	status_json_u64(out, "rx_wrong_vlan", d->rx_wrong_vlan);
	status_json_u64(out, "rx_malformed", c.rx_malformed);
	status_json_u64(out, "workers", d->nworkers ? d->nworkers : 1);
	status_json_offload(d, out);
	status_json_setup(d, out);
	strbuf_puts(out, ",\"counts\":{");
	for (i = 0; i < STATUS_NSTATES; i++)
		strbuf_printf(out, "%s\"%s\":%zu", i ? "," : "",
			      session_state_name((enum session_state)i), counts[i]);
	strbuf_printf(out, ",\"total\":%zu}", total);
	/* One session per line: still one JSON value, but greppable. */
	strbuf_puts(out, ",\"sessions\":[");
	for (i = 0; i < d->nslots; i++) {
		if (!d->sessions[i])
			continue;
		strbuf_puts(out, first ? "\n" : ",\n");
		status_json_session(d->sessions[i], now_ms, out);
		first = false;
	}
	strbuf_puts(out, first ? "]}\n" : "\n]}\n");
	return out->oom ? -ENOMEM : 0;
}
