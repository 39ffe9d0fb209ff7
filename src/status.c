// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - the daemon's reports: a table for people, JSON for scripts,
 * Prometheus text exposition for monitoring.
 *
 * Everything here reads the session table and writes into a strbuf; no
 * I/O, so the tests build a struct daemon by hand and compare the text.
 * Peer-supplied bytes (the AC name above all) are escaped for each format:
 * the table and log style \xNN, JSON \u00XX, Prometheus label escapes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "src/config.h"
#include "src/daemon_int.h"
#include "src/status.h"
#include "src/strbuf.h"
#include "src/xsk_io.h"
#include "xdp/pppoe_xdp.h"

#ifndef PPPOE_XDP_VERSION
#define PPPOE_XDP_VERSION "unknown"
#endif

#define STATUS_NSTATES (SESS_FAILED + 1)

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

/* status_utf8_len - length of a valid UTF-8 sequence at @p, 0 if invalid */
static size_t status_utf8_len(const unsigned char *p, size_t len)
{
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void status_prom_label(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = p[i];

		if (c == '\\') {
			strbuf_puts(out, "\\\\");
		} else if (c == '"') {
			strbuf_puts(out, "\\\"");
		} else if (c == '\n') {
			strbuf_puts(out, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_printf(out, "\\\\x%02x", c);
		} else if ((n = status_utf8_len(p + i, len - i)) > 1) {
			/* Names from the config may be UTF-8: keep them. */
			strbuf_add(out, p + i, n);
			i += n;
			continue;
		} else if (n == 0) {
			/* The format requires UTF-8: show the byte instead. */
			strbuf_printf(out, "\\\\x%02x", c);
		} else {
			strbuf_putc(out, (char)c);
		}
		i++;
	}
}

/* ---- shared helpers ------------------------------------------------------- */

static const char *status_ifname(const struct daemon *d)
{
	return d->conf ? d->conf->interface : "";
}

static uint64_t status_secs_since(uint64_t now_ms, uint64_t since_ms)
{
	return now_ms > since_ms ? (now_ms - since_ms) / 1000 : 0;
}

static void status_count_states(const struct daemon *d, size_t counts[STATUS_NSTATES],
				size_t *total)
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

static bool status_is_up(const struct dsession *ds)
{
	return ds->s.state == SESS_UP;
}

/* A PPPoE session exists on the wire: id, AC MAC (and name) mean something. */
static bool status_has_sid(const struct dsession *ds)
{
	return ds->s.disc.session_id != 0;
}

static const char *status_name(const struct dsession *ds)
{
	return ds->s.conf ? ds->s.conf->name : ds->conf.s.name;
}

static const char *status_sess_ifname(const struct dsession *ds)
{
	return ds->s.conf ? ds->s.conf->ifname : ds->conf.s.ifname;
}

/* ---- table ---------------------------------------------------------------- */

enum {
	COL_NAME,
	COL_STATE,
	COL_IFNAME,
	COL_LOCAL,
	COL_PEER,
	COL_DNS,
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
	"NAME", "STATE", "IFNAME", "LOCAL", "PEER", "DNS", "AC", "AC-MAC",
	"SID", "UPTIME", "RX", "TX", "REDIALS", "LAST-ERROR",
};

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
	for (i = 0; i < d->nslots; i++) {
		if (!d->sessions[i])
			continue;
		status_row(d->sessions[i], now_ms, cells);
		for (c = 0; c < NCOLS; c++) {
			size_t l = strlen(cells[c]);

			if (l > width[c])
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

/* status_json_session - one session object */
static void status_json_session(const struct dsession *ds, uint64_t now_ms, struct strbuf *out)
{
	const struct session *s = &ds->s;
	const struct ppp_net *net = &s->ppp.net;
	bool up = status_is_up(ds), sid = status_has_sid(ds);
	char mac[LOG_MAC_LEN];

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

int status_json(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	size_t counts[STATUS_NSTATES], total, i;
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
	status_json_u64(out, "rx_unknown", d->rx_unknown);
	status_json_u64(out, "rx_malformed", d->rx_malformed);
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

/* ---- Prometheus ------------------------------------------------------------ */

static void status_prom_family(struct strbuf *out, const char *name, const char *type,
			       const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* status_prom_sess_labels - `session="...",ifname="..."` */
static void status_prom_sess_labels(struct strbuf *out, const struct dsession *ds)
{
	strbuf_puts(out, "session=\"");
	status_prom_label(out, status_name(ds), strlen(status_name(ds)));
	strbuf_puts(out, "\",ifname=\"");
	status_prom_label(out, status_sess_ifname(ds), strlen(status_sess_ifname(ds)));
	strbuf_putc(out, '"');
}

enum sess_metric_id {
	SM_UP,
	SM_UPS,
	SM_DOWNS,
	SM_REDIALS,
	SM_RX_PACKETS,
	SM_RX_BYTES,
	SM_TX_PACKETS,
	SM_TX_BYTES,
	SM_RX_DROPPED,
	SM_TX_DROPPED,
	SM_ECHO_RTT,
	SM_UPTIME,
};

static const struct sess_metric {
	enum sess_metric_id id;
	const char *name;
	const char *type;
	const char *help;
} sess_metrics[] = {
	{ SM_UP, "pppoe_xdp_session_up", "gauge",
	  "1 when the session's network is up (IPCP opened, interface configured)." },
	{ SM_UPS, "pppoe_xdp_session_up_total", "counter",
	  "Times the session's network came up." },
	{ SM_DOWNS, "pppoe_xdp_session_down_total", "counter",
	  "Times the session's network went down." },
	{ SM_REDIALS, "pppoe_xdp_session_redials_total", "counter",
	  "Dials after the first one." },
	{ SM_RX_PACKETS, "pppoe_xdp_session_rx_packets_total", "counter",
	  "IPv4 packets received from the access concentrator." },
	{ SM_RX_BYTES, "pppoe_xdp_session_rx_bytes_total", "counter",
	  "IPv4 bytes received from the access concentrator." },
	{ SM_TX_PACKETS, "pppoe_xdp_session_tx_packets_total", "counter",
	  "IPv4 packets sent to the access concentrator." },
	{ SM_TX_BYTES, "pppoe_xdp_session_tx_bytes_total", "counter",
	  "IPv4 bytes sent to the access concentrator." },
	{ SM_RX_DROPPED, "pppoe_xdp_session_rx_dropped_total", "counter",
	  "Received packets dropped." },
	{ SM_TX_DROPPED, "pppoe_xdp_session_tx_dropped_total", "counter",
	  "Packets to send that were dropped." },
	{ SM_ECHO_RTT, "pppoe_xdp_session_echo_rtt_seconds", "gauge",
	  "Round trip time of the last LCP echo (absent until one is answered)." },
	{ SM_UPTIME, "pppoe_xdp_session_uptime_seconds", "gauge",
	  "Seconds since the session's network came up, 0 when it is not up." },
};

/* status_prom_sess_value - the value of @id for @ds; false when absent */
static bool status_prom_sess_value(const struct dsession *ds, enum sess_metric_id id,
				   uint64_t now_ms, struct strbuf *out)
{
	const struct session *s = &ds->s;
	uint64_t v = 0;

	switch (id) {
	case SM_UP:
		v = status_is_up(ds);
		break;
	case SM_UPS:
		v = ds->ups;
		break;
	case SM_DOWNS:
		v = ds->downs;
		break;
	case SM_REDIALS:
		v = s->redials;
		break;
	case SM_RX_PACKETS:
		v = s->stats.rx_packets;
		break;
	case SM_RX_BYTES:
		v = s->stats.rx_bytes;
		break;
	case SM_TX_PACKETS:
		v = s->stats.tx_packets;
		break;
	case SM_TX_BYTES:
		v = s->stats.tx_bytes;
		break;
	case SM_RX_DROPPED:
		v = s->stats.rx_dropped;
		break;
	case SM_TX_DROPPED:
		v = s->stats.tx_dropped;
		break;
	case SM_ECHO_RTT:
		if (!s->ppp.echo_rtt_us)
			return false;
		/* Exact decimal seconds from microseconds, no float rounding. */
		strbuf_printf(out, "%" PRIu64 ".%06" PRIu64, s->ppp.echo_rtt_us / 1000000,
			      s->ppp.echo_rtt_us % 1000000);
		return true;
	case SM_UPTIME:
		v = status_is_up(ds) ? status_secs_since(now_ms, s->up_since_ms) : 0;
		break;
	}
	strbuf_printf(out, "%" PRIu64, v);
	return true;
}

static void status_prom_sessions(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	char mac[LOG_MAC_LEN];
	size_t i, m;

	status_prom_family(out, "pppoe_xdp_session_state", "gauge",
			   "The session's current state (1 on the series of that state).");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		if (!ds)
			continue;
		strbuf_puts(out, "pppoe_xdp_session_state{");
		status_prom_sess_labels(out, ds);
		strbuf_printf(out, ",state=\"%s\"} 1\n", session_state_name(ds->s.state));
	}

	status_prom_family(out, "pppoe_xdp_session_info", "gauge",
			   "The PPPoE session on the wire: access concentrator and session id.");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		if (!ds || !status_has_sid(ds))
			continue;
		strbuf_puts(out, "pppoe_xdp_session_info{");
		status_prom_sess_labels(out, ds);
		strbuf_puts(out, ",ac_name=\"");
		status_prom_label(out, ds->s.disc.ac_name,
				  strnlen(ds->s.disc.ac_name, sizeof(ds->s.disc.ac_name)));
		strbuf_printf(out, "\",ac_mac=\"%s\",session_id=\"%u\"} 1\n",
			      log_mac(mac, ds->s.disc.ac_mac),
			      ds->s.disc.session_id);
	}

	for (m = 0; m < sizeof(sess_metrics) / sizeof(sess_metrics[0]); m++) {
		const struct sess_metric *sm = &sess_metrics[m];

		status_prom_family(out, sm->name, sm->type, sm->help);
		for (i = 0; i < d->nslots; i++) {
			const struct dsession *ds = d->sessions[i];
			size_t mark;

			if (!ds)
				continue;
			mark = out->len;
			strbuf_printf(out, "%s{", sm->name);
			status_prom_sess_labels(out, ds);
			strbuf_puts(out, "} ");
			if (!status_prom_sess_value(ds, sm->id, now_ms, out)) {
				/* Absent value: take the line back. */
				if (!out->oom) {
					out->len = mark;
					out->buf[mark] = '\0';
				}
				continue;
			}
			strbuf_putc(out, '\n');
		}
	}
}

static void status_prom_counter(struct strbuf *out, const char *name, const char *help,
				uint64_t v)
{
	status_prom_family(out, name, "counter", help);
	strbuf_printf(out, "%s %" PRIu64 "\n", name, v);
}

static void status_prom_gauge(struct strbuf *out, const char *name, const char *help,
			      uint64_t v)
{
	status_prom_family(out, name, "gauge", help);
	strbuf_printf(out, "%s %" PRIu64 "\n", name, v);
}

/* status_prom_setup - the setup window and what moved it */
static void status_prom_setup(const struct daemon *d, struct strbuf *out)
{
	const struct setup_win *w = &d->win;
	unsigned int r;

	status_prom_gauge(out, "pppoe_xdp_setup_window",
			  "Sessions that may be in setup (PADI to IPCP up) at once.",
			  setup_win_size(w));
	status_prom_family(out, "pppoe_xdp_setup_window_reason", "gauge",
			   "Why the setup window is what it is (1 for the current reason).");
	for (r = 0; r < SETUP_R_MAX; r++)
		strbuf_printf(out, "pppoe_xdp_setup_window_reason{reason=\"%s\"} %d\n",
			      setup_reason_name((enum setup_reason)r), w->reason == r);
	status_prom_gauge(out, "pppoe_xdp_setup_in_progress", "Sessions in setup now.",
			  w->inflight);
	status_prom_gauge(out, "pppoe_xdp_setup_queued",
			  "Sessions waiting for a place in the setup window.", d->pacer.queued);
	status_prom_family(out, "pppoe_xdp_setups_total", "counter",
			   "Session setups ended, by result (expired: still trying after "
			   "120 s, no longer counted in the window).");
	strbuf_printf(out, "pppoe_xdp_setups_total{result=\"ok\"} %" PRIu64 "\n", w->completed);
	strbuf_printf(out, "pppoe_xdp_setups_total{result=\"failed\"} %" PRIu64 "\n", w->failed);
	strbuf_printf(out, "pppoe_xdp_setups_total{result=\"expired\"} %" PRIu64 "\n", w->expired);
	status_prom_family(out, "pppoe_xdp_setup_window_decreases_total", "counter",
			   "Times the setup window was halved, by the sign of overload.");
	for (r = SETUP_R_PADO_LOSS; r < SETUP_R_MAX; r++)
		strbuf_printf(out, "pppoe_xdp_setup_window_decreases_total{reason=\"%s\"} %" PRIu64
			      "\n", setup_reason_name((enum setup_reason)r), w->decreases[r]);
	status_prom_gauge(out, "pppoe_xdp_setup_time_milliseconds",
			  "Smoothed time from PADI to IPCP up.", w->srtt_ms);
	status_prom_counter(out, "pppoe_xdp_echo_probes_total",
			    "Sessions probed at once because another session of their AC missed "
			    "an echo.", d->echo_probes);
}

static void status_prom_io(const struct daemon *d, struct strbuf *out)
{
	static const char *const results[] = {
		[PPPOE_XDP_STAT_REDIRECTED] = "redirected",
		[PPPOE_XDP_STAT_REDIRECT_FAILED] = "redirect_failed",
		[PPPOE_XDP_STAT_PASS_NOT_PPPOE] = "pass_not_pppoe",
		[PPPOE_XDP_STAT_PASS_NOT_OURS] = "pass_not_ours",
		[PPPOE_XDP_STAT_PASS_MALFORMED] = "pass_malformed",
	};
	uint64_t xdp[PPPOE_XDP_STAT_MAX];
	struct xsk_io_stats st;
	unsigned int i;

	status_prom_family(out, "pppoe_xdp_queues", "gauge", "AF_XDP sockets (one per RX queue).");
	strbuf_printf(out, "pppoe_xdp_queues %u\n", xsk_io_nqueues(d->io));

	memset(&st, 0, sizeof(st));
	xsk_io_get_stats(d->io, &st);
	status_prom_counter(out, "pppoe_xdp_xsk_rx_frames_total",
			    "Frames received on the AF_XDP sockets.", st.rx_frames);
	status_prom_counter(out, "pppoe_xdp_xsk_tx_frames_total",
			    "Frames sent on the AF_XDP sockets.", st.tx_frames);
	status_prom_counter(out, "pppoe_xdp_xsk_rx_dropped_total",
			    "Frames the kernel dropped before the AF_XDP RX ring.", st.rx_dropped);
	status_prom_counter(out, "pppoe_xdp_xsk_tx_dropped_total",
			    "Frames not sent: no free UMEM frame, or refused by the kernel.",
			    st.tx_dropped);

	/* The XDP counters need the BPF map; leave them out if it fails. */
	memset(xdp, 0, sizeof(xdp));
	if (xsk_io_get_xdp_stats(d->io, xdp, PPPOE_XDP_STAT_MAX) < 0)
		return;
	status_prom_family(out, "pppoe_xdp_xdp_packets_total", "counter",
			   "Packets seen by the XDP program, by verdict.");
	for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		strbuf_printf(out, "pppoe_xdp_xdp_packets_total{result=\"%s\"} %" PRIu64 "\n",
			      results[i], xdp[i]);
	status_prom_family(out, "pppoe_xdp_xdp_pppoe_packets_total", "counter",
			   "PPPoE packets seen by the XDP program, by number of VLAN tags.");
	for (i = 0; i < 3; i++)
		strbuf_printf(out, "pppoe_xdp_xdp_pppoe_packets_total{vlan_tags=\"%u\"} %" PRIu64
			      "\n", i, xdp[PPPOE_XDP_STAT_PPPOE_TAGS0 + i]);
}

int status_metrics(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	size_t counts[STATUS_NSTATES], total, i;
	const char *mode = d->io ? xsk_io_mode_name(d->io) : "none";

	status_count_states(d, counts, &total);

	status_prom_family(out, "pppoe_xdp_info", "gauge",
			   "Version, interface and XDP attach mode of this daemon.");
	strbuf_puts(out, "pppoe_xdp_info{version=\"");
	status_prom_label(out, PPPOE_XDP_VERSION, strlen(PPPOE_XDP_VERSION));
	strbuf_puts(out, "\",interface=\"");
	status_prom_label(out, status_ifname(d), strlen(status_ifname(d)));
	strbuf_puts(out, "\",xdp_mode=\"");
	status_prom_label(out, mode, strlen(mode));
	strbuf_puts(out, "\"} 1\n");

	status_prom_family(out, "pppoe_xdp_uptime_seconds", "gauge",
			   "Seconds since the daemon started.");
	strbuf_printf(out, "pppoe_xdp_uptime_seconds %" PRIu64 "\n",
		      status_secs_since(now_ms, d->started_ms));

	status_prom_family(out, "pppoe_xdp_sessions", "gauge", "Configured sessions by state.");
	for (i = 0; i < STATUS_NSTATES; i++)
		strbuf_printf(out, "pppoe_xdp_sessions{state=\"%s\"} %zu\n",
			      session_state_name((enum session_state)i), counts[i]);

	status_prom_counter(out, "pppoe_xdp_rx_unknown_frames_total",
			    "PPPoE frames received for no known session.", d->rx_unknown);
	status_prom_counter(out, "pppoe_xdp_rx_malformed_frames_total",
			    "PPPoE frames received that could not be decoded.", d->rx_malformed);
	status_prom_setup(d, out);
	if (d->io)
		status_prom_io(d, out);

	status_prom_sessions(d, now_ms, out);
	return out->oom ? -ENOMEM : 0;
}
