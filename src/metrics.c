// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * metrics.c - Prometheus text exposition (0.0.4) of the daemon: what it
 * is (version, interface, XDP mode), its sessions by state, the setup
 * window, AF_XDP and XDP counters, and a family per session metric.
 *
 * Like status.c it only reads the session table and writes a strbuf. Label
 * values are escaped as the format asks and kept valid UTF-8: an AC name
 * is whatever bytes the peer sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/ip6.h"
#include "pppoe/log.h"
#include "pppoe/session.h"
#include "src/hooks.h"
#include "src/metrics.h"
#include "src/status_int.h"
#include "src/strbuf.h"
#include "src/xsk_io.h"
#include "xdp/pppoe_xdp.h"

/* metrics_utf8_len - length of a valid UTF-8 sequence at @p, 0 if invalid */
static size_t metrics_utf8_len(const unsigned char *p, size_t len)
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

void metrics_label(struct strbuf *out, const char *s, size_t len)
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
		} else if ((n = metrics_utf8_len(p + i, len - i)) > 1) {
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

static void metrics_family(struct strbuf *out, const char *name, const char *type,
			   const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* metrics_sess_labels - `session="...",ifname="..."` */
static void metrics_sess_labels(struct strbuf *out, const struct dsession *ds)
{
	strbuf_puts(out, "session=\"");
	metrics_label(out, status_name(ds), strlen(status_name(ds)));
	strbuf_puts(out, "\",ifname=\"");
	metrics_label(out, status_sess_ifname(ds), strlen(status_sess_ifname(ds)));
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
	SM_D6_PREFIX_VALID,
	SM_D6_PREFIX_PREFERRED,
	SM_D6_ADDR_VALID,
	SM_D6_RENEWED,
	SM_IPV6_UP,
	SM_IPV6_ADDRS,
	SM_IPV6_ROUTER,
	SM_IPV6_RS,
	SM_IPV6_RA,
	SM_IPV6_TX_DROPPED,
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
	  "IP packets (IPv4 and IPv6) received from the access concentrator." },
	{ SM_RX_BYTES, "pppoe_xdp_session_rx_bytes_total", "counter",
	  "IP bytes (IPv4 and IPv6) received from the access concentrator." },
	{ SM_TX_PACKETS, "pppoe_xdp_session_tx_packets_total", "counter",
	  "IP packets (IPv4 and IPv6) sent to the access concentrator." },
	{ SM_TX_BYTES, "pppoe_xdp_session_tx_bytes_total", "counter",
	  "IP bytes (IPv4 and IPv6) sent to the access concentrator." },
	{ SM_RX_DROPPED, "pppoe_xdp_session_rx_dropped_total", "counter",
	  "Received packets dropped." },
	{ SM_TX_DROPPED, "pppoe_xdp_session_tx_dropped_total", "counter",
	  "Packets to send that were dropped." },
	{ SM_ECHO_RTT, "pppoe_xdp_session_echo_rtt_seconds", "gauge",
	  "Round trip time of the last LCP echo (absent until one is answered)." },
	{ SM_UPTIME, "pppoe_xdp_session_uptime_seconds", "gauge",
	  "Seconds since the session's network came up, 0 when it is not up." },
	{ SM_D6_PREFIX_VALID, "pppoe_xdp_session_dhcp6_prefix_valid_seconds", "gauge",
	  "Valid lifetime left of the DHCPv6 delegated prefix (absent without one)." },
	{ SM_D6_PREFIX_PREFERRED, "pppoe_xdp_session_dhcp6_prefix_preferred_seconds", "gauge",
	  "Preferred lifetime left of the DHCPv6 delegated prefix (absent without one)." },
	{ SM_D6_ADDR_VALID, "pppoe_xdp_session_dhcp6_address_valid_seconds", "gauge",
	  "Valid lifetime left of the DHCPv6 (IA_NA) address (absent without one)." },
	{ SM_D6_RENEWED, "pppoe_xdp_session_dhcp6_renewals_total", "counter",
	  "DHCPv6 Renew/Rebind Replies that re-installed the lease." },
	/* IPv6: only sessions with ipv6 = yes have these series. */
	{ SM_IPV6_UP, "pppoe_xdp_session_ipv6_up", "gauge",
	  "1 when IPv6 is on the session's interface (IPv6CP and IPCP opened)." },
	{ SM_IPV6_ADDRS, "pppoe_xdp_session_ipv6_addresses", "gauge",
	  "SLAAC addresses the session holds." },
	{ SM_IPV6_ROUTER, "pppoe_xdp_session_ipv6_default_router", "gauge",
	  "1 when the AC's Router Advertisement made it the default router." },
	{ SM_IPV6_RS, "pppoe_xdp_session_ipv6_rs_sent_total", "counter",
	  "Router Solicitations sent." },
	{ SM_IPV6_RA, "pppoe_xdp_session_ipv6_ra_received_total", "counter",
	  "Valid Router Advertisements received." },
	{ SM_IPV6_TX_DROPPED, "pppoe_xdp_session_ipv6_tx_dropped_total", "counter",
	  "IPv6 packets from the interface dropped because IPv6 was not up." },
};

/* metrics_d6_left - seconds from @now_ms to @until (4294967295 for ever) */
static uint64_t metrics_d6_left(uint64_t now_ms, uint64_t until)
{
	if (until == UINT64_MAX)
		return UINT32_MAX;
	return until > now_ms ? (until - now_ms + 999) / 1000 : 0;
}

/* metrics_sess_value - the value of @id for @ds; false when absent */
static bool metrics_sess_value(const struct dsession *ds, enum sess_metric_id id,
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
	case SM_D6_PREFIX_VALID:
	case SM_D6_PREFIX_PREFERRED:
		if (!ds->d6.n_prefix)
			return false;
		v = metrics_d6_left(now_ms, id == SM_D6_PREFIX_VALID ? ds->d6.prefix[0].valid_until
								     : ds->d6.prefix[0].preferred_until);
		break;
	case SM_D6_ADDR_VALID:
		if (!ds->d6.n_addr)
			return false;
		v = metrics_d6_left(now_ms, ds->d6.addr[0].valid_until);
		break;
	case SM_D6_RENEWED:
		if (!s->conf || !s->conf->ppp.ipv6)
			return false;
		v = ds->d6_renewed;
		break;
	case SM_IPV6_UP:
	case SM_IPV6_ADDRS:
	case SM_IPV6_ROUTER:
	case SM_IPV6_RS:
	case SM_IPV6_RA:
	case SM_IPV6_TX_DROPPED:
		if (!ds->conf.s.ppp.ipv6)
			return false;
		v = id == SM_IPV6_UP ? s->v6.up
		    : id == SM_IPV6_ADDRS ? (s->v6.up ? s->v6.naddr : 0)
		    : id == SM_IPV6_ROUTER ? (s->v6.up && s->v6.router_set)
		    : id == SM_IPV6_RS ? s->v6.tx_rs
		    : id == SM_IPV6_RA ? s->v6.rx_ra : s->v6.tx_dropped;
		break;
	}
	strbuf_printf(out, "%" PRIu64, v);
	return true;
}

/* metrics_ipv6_info - the link-locals and router as labels, and one series
 * per SLAAC address with its valid lifetime left */
static void metrics_ipv6_info(const struct daemon *d, uint64_t now_ms, struct strbuf *out)
{
	char a[IP6_STRLEN], b[IP6_STRLEN], r[IP6_STRLEN];
	unsigned int k;
	size_t i;

	metrics_family(out, "pppoe_xdp_session_ipv6_info", "gauge",
		       "IPv6 on the session: our link-local, the AC's, the default router.");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		if (!ds || !ds->s.v6.up)
			continue;
		strbuf_puts(out, "pppoe_xdp_session_ipv6_info{");
		metrics_sess_labels(out, ds);
		strbuf_printf(out, ",local=\"%s\",peer=\"%s\",router=\"%s\"} 1\n",
			      ip6_ntop(ds->s.v6.local, a, sizeof(a)),
			      ip6_ntop(ds->s.v6.peer, b, sizeof(b)),
			      ds->s.v6.router_set ? ip6_ntop(ds->s.v6.router, r, sizeof(r)) : "");
	}
	metrics_family(out, "pppoe_xdp_session_ipv6_address_valid_seconds", "gauge",
		       "Valid lifetime left of each SLAAC address (-1: infinite).");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		for (k = 0; ds && ds->s.v6.up && k < ds->s.v6.naddr; k++) {
			const struct session_v6_addr *x = &ds->s.v6.addr[k];

			strbuf_puts(out, "pppoe_xdp_session_ipv6_address_valid_seconds{");
			metrics_sess_labels(out, ds);
			strbuf_printf(out, ",address=\"%s\"} ", ip6_ntop(x->addr, a, sizeof(a)));
			if (x->valid_until_ms == UINT64_MAX)
				strbuf_puts(out, "-1\n");
			else
				strbuf_printf(out, "%" PRIu64 "\n", x->valid_until_ms > now_ms ?
					      (x->valid_until_ms - now_ms + 999) / 1000 : 0);
		}
	}
}

static void metrics_sessions(const struct daemon *d, uint64_t now_ms, bool wire_ids,
			     struct strbuf *out)
{
	char mac[LOG_MAC_LEN];
	size_t i, m;

	metrics_family(out, "pppoe_xdp_session_state", "gauge",
		       "The session's current state (1 on the series of that state).");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		if (!ds)
			continue;
		strbuf_puts(out, "pppoe_xdp_session_state{");
		metrics_sess_labels(out, ds);
		strbuf_printf(out, ",state=\"%s\"} 1\n", session_state_name(ds->s.state));
	}

	metrics_family(out, "pppoe_xdp_session_info", "gauge",
		       wire_ids ? "The PPPoE session on the wire: access concentrator and session id."
				: "The access concentrator of the session (its MAC and the session "
				  "id only on the control socket).");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];

		if (!ds || !status_has_sid(ds))
			continue;
		strbuf_puts(out, "pppoe_xdp_session_info{");
		metrics_sess_labels(out, ds);
		strbuf_puts(out, ",ac_name=\"");
		metrics_label(out, ds->s.disc.ac_name,
			      strnlen(ds->s.disc.ac_name, sizeof(ds->s.disc.ac_name)));
		if (wire_ids)
			strbuf_printf(out, "\",ac_mac=\"%s\",session_id=\"%u\"} 1\n",
				      log_mac(mac, ds->s.disc.ac_mac), ds->s.disc.session_id);
		else
			strbuf_puts(out, "\"} 1\n");
	}

	metrics_family(out, "pppoe_xdp_session_dhcp6_info", "gauge",
		       "The session's DHCPv6 client: its state, address (IA_NA) and delegated "
		       "prefix (IA_PD), empty when it has none.");
	for (i = 0; i < d->nslots; i++) {
		const struct dsession *ds = d->sessions[i];
		char a[INET6_ADDRSTRLEN];

		if (!ds || (ds->s.dhcp6.state == DHCP6_ST_IDLE && !ds->d6.n_addr &&
			    !ds->d6.n_prefix))
			continue;
		strbuf_puts(out, "pppoe_xdp_session_dhcp6_info{");
		metrics_sess_labels(out, ds);
		strbuf_printf(out, ",state=\"%s\",address=\"%s\"",
			      dhcp6_state_name(ds->s.dhcp6.state),
			      ds->d6.n_addr ? inet_ntop(AF_INET6, ds->d6.addr[0].addr, a, sizeof(a)) : "");
		if (ds->d6.n_prefix)
			strbuf_printf(out, ",prefix=\"%s/%u\"} 1\n",
				      inet_ntop(AF_INET6, ds->d6.prefix[0].addr, a, sizeof(a)),
				      ds->d6.prefix[0].plen);
		else
			strbuf_puts(out, ",prefix=\"\"} 1\n");
	}
	metrics_ipv6_info(d, now_ms, out);

	for (m = 0; m < sizeof(sess_metrics) / sizeof(sess_metrics[0]); m++) {
		const struct sess_metric *sm = &sess_metrics[m];

		metrics_family(out, sm->name, sm->type, sm->help);
		for (i = 0; i < d->nslots; i++) {
			const struct dsession *ds = d->sessions[i];
			size_t mark;

			if (!ds)
				continue;
			mark = out->len;
			strbuf_printf(out, "%s{", sm->name);
			metrics_sess_labels(out, ds);
			strbuf_puts(out, "} ");
			if (!metrics_sess_value(ds, sm->id, now_ms, out)) {
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

static void metrics_counter(struct strbuf *out, const char *name, const char *help,
			    uint64_t v)
{
	metrics_family(out, name, "counter", help);
	strbuf_printf(out, "%s %" PRIu64 "\n", name, v);
}

static void metrics_gauge(struct strbuf *out, const char *name, const char *help,
			  uint64_t v)
{
	metrics_family(out, name, "gauge", help);
	strbuf_printf(out, "%s %" PRIu64 "\n", name, v);
}

/* metrics_setup - the setup window and what moved it */
static void metrics_setup(const struct daemon *d, struct strbuf *out)
{
	const struct setup_win *w = &d->win;
	unsigned int r;

	metrics_gauge(out, "pppoe_xdp_setup_window",
		      "Sessions that may be in setup (PADI to IPCP up) at once.",
			  setup_win_size(w));
	metrics_family(out, "pppoe_xdp_setup_window_reason", "gauge",
		       "Why the setup window is what it is (1 for the current reason).");
	for (r = 0; r < SETUP_R_MAX; r++)
		strbuf_printf(out, "pppoe_xdp_setup_window_reason{reason=\"%s\"} %d\n",
			      setup_reason_name((enum setup_reason)r), w->reason == r);
	metrics_gauge(out, "pppoe_xdp_setup_in_progress", "Sessions in setup now.",
		      w->inflight);
	metrics_gauge(out, "pppoe_xdp_setup_queued",
		      "Sessions waiting for a place in the setup window.", d->pacer.queued);
	metrics_family(out, "pppoe_xdp_setups_total", "counter",
		       "Session setups ended, by result (expired: still trying after "
			   "120 s, no longer counted in the window).");
	strbuf_printf(out, "pppoe_xdp_setups_total{result=\"ok\"} %" PRIu64 "\n", w->completed);
	strbuf_printf(out, "pppoe_xdp_setups_total{result=\"failed\"} %" PRIu64 "\n", w->failed);
	strbuf_printf(out, "pppoe_xdp_setups_total{result=\"expired\"} %" PRIu64 "\n", w->expired);
	metrics_family(out, "pppoe_xdp_setup_window_decreases_total", "counter",
		       "Times the setup window was halved, by the sign of overload.");
	for (r = SETUP_R_PADO_LOSS; r < SETUP_R_MAX; r++)
		strbuf_printf(out, "pppoe_xdp_setup_window_decreases_total{reason=\"%s\"} %" PRIu64
			      "\n", setup_reason_name((enum setup_reason)r), w->decreases[r]);
	metrics_gauge(out, "pppoe_xdp_setup_time_milliseconds",
		      "Smoothed time from PADI to IPCP up.", w->srtt_ms);
	metrics_counter(out, "pppoe_xdp_echo_probes_total",
			"Sessions probed at once because another session of their AC missed "
			    "an echo.", d->echo_probes);
}

/* metrics_hooks - the hook runner: what runs and waits, what never ran */
static void metrics_hooks(const struct daemon *d, struct strbuf *out)
{
	struct hooks_stats st;

	if (!d->hooks)
		return;
	hooks_get_stats(d->hooks, &st);
	metrics_gauge(out, "pppoe_xdp_hooks_running", "Hook scripts running now.", st.running);
	metrics_gauge(out, "pppoe_xdp_hooks_queued",
		      "Hook runs waiting behind a running one of their session.", st.queued);
	metrics_counter(out, "pppoe_xdp_hook_runs_coalesced_total",
			"Hook runs replaced by a newer one or cancelled by their opposite "
			    "(a flapping link), never run.", st.coalesced);
	metrics_counter(out, "pppoe_xdp_hook_runs_dropped_total",
			"Superseded hook runs dropped at the limit on waiting runs.", st.dropped);
}

static void metrics_io(const struct daemon *d, struct strbuf *out)
{
	static const char *const results[] = {
		[PPPOE_XDP_STAT_REDIRECTED] = "redirected",
		[PPPOE_XDP_STAT_REDIRECT_FAILED] = "redirect_failed",
		[PPPOE_XDP_STAT_PASS_NOT_PPPOE] = "pass_not_pppoe",
		[PPPOE_XDP_STAT_PASS_NOT_OURS] = "pass_not_ours",
		[PPPOE_XDP_STAT_PASS_MALFORMED] = "pass_malformed",
		[PPPOE_XDP_STAT_PASS_VLAN_NOT_OURS] = "pass_vlan_not_ours",
		[PPPOE_XDP_STAT_PASS_UNTAGGED_NOT_OURS] = "pass_untagged_not_ours",
	};
	uint64_t xdp[PPPOE_XDP_STAT_MAX];
	struct xsk_io_stats st;
	unsigned int i;

	metrics_family(out, "pppoe_xdp_queues", "gauge", "AF_XDP sockets (one per RX queue).");
	strbuf_printf(out, "pppoe_xdp_queues %u\n", xsk_io_nqueues(d->io));

	memset(&st, 0, sizeof(st));
	xsk_io_get_stats(d->io, &st);
	metrics_counter(out, "pppoe_xdp_xsk_rx_frames_total",
			"Frames received on the AF_XDP sockets.", st.rx_frames);
	metrics_counter(out, "pppoe_xdp_xsk_rx_control_frames_total",
			"Of those, frames received on the control sockets (all but IPv4/IPv6 "
			    "in sessions).", st.rx_control);
	metrics_counter(out, "pppoe_xdp_xsk_tx_frames_total",
			"Frames sent on the AF_XDP sockets.", st.tx_frames);
	metrics_counter(out, "pppoe_xdp_xsk_rx_dropped_total",
			"Frames the kernel dropped before the AF_XDP RX ring.", st.rx_dropped);
	metrics_counter(out, "pppoe_xdp_xsk_rx_control_dropped_total",
			"Of those, control frames (dropped before a control socket's RX ring).",
			st.rx_control_dropped);
	metrics_counter(out, "pppoe_xdp_xsk_tx_dropped_total",
			"Frames not sent: no free UMEM frame, or refused by the kernel.",
			    st.tx_dropped);
	metrics_counter(out, "pppoe_xdp_xsk_tx_data_held_total",
			"Datagrams from the TUNs not sent: free TX frames were down to the "
			    "reserve kept for control packets.", st.tx_data_held);

	/* The XDP counters need the BPF map; leave them out if it fails. */
	memset(xdp, 0, sizeof(xdp));
	if (xsk_io_get_xdp_stats(d->io, xdp, PPPOE_XDP_STAT_MAX) < 0)
		return;
	metrics_family(out, "pppoe_xdp_xdp_packets_total", "counter",
		       "Packets seen by the XDP program, by verdict.");
	for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		strbuf_printf(out, "pppoe_xdp_xdp_packets_total{result=\"%s\"} %" PRIu64 "\n",
			      results[i], xdp[i]);
	metrics_family(out, "pppoe_xdp_xdp_pppoe_packets_total", "counter",
		       "PPPoE packets seen by the XDP program, by number of VLAN tags.");
	for (i = 0; i < 3; i++)
		strbuf_printf(out, "pppoe_xdp_xdp_pppoe_packets_total{vlan_tags=\"%u\"} %" PRIu64
			      "\n", i, xdp[PPPOE_XDP_STAT_PPPOE_TAGS0 + i]);
	metrics_counter(out, "pppoe_xdp_xdp_control_packets_total",
			"Of the redirected packets, those sent to a control socket.",
			xdp[PPPOE_XDP_STAT_CONTROL]);
	metrics_counter(out, "pppoe_xdp_xdp_worker_packets_total",
			"Of the redirected packets, data sent to the socket of a worker other than "
			"worker 0 (workers > 1).", xdp[PPPOE_XDP_STAT_WORKER]);
}

/* metrics_workers - per worker (workers > 1): its sessions, its hand-offs */
static void metrics_workers(const struct daemon *d, struct strbuf *out)
{
	unsigned int i;

	metrics_family(out, "pppoe_xdp_workers", "gauge", "Data-path threads (1: the main thread).");
	strbuf_printf(out, "pppoe_xdp_workers %u\n", d->nworkers ? d->nworkers : 1);
	if (!d->nworkers)
		return;
	metrics_family(out, "pppoe_xdp_worker_sessions", "gauge",
		       "Sessions whose data a worker moves.");
	for (i = 0; i < d->nworkers; i++)
		strbuf_printf(out, "pppoe_xdp_worker_sessions{worker=\"%u\"} %u\n", i,
			      d->workers[i].sessions);
	metrics_family(out, "pppoe_xdp_worker_control_handoffs_total", "counter",
		       "Frames a worker met on its data socket and handled as control "
		       "(RAs, DHCPv6 replies), holding the world lock exclusively.");
	for (i = 0; i < d->nworkers; i++)
		strbuf_printf(out, "pppoe_xdp_worker_control_handoffs_total{worker=\"%u\"} %" PRIu64
			      "\n", i, d->workers[i].upgrades);
	metrics_family(out, "pppoe_xdp_worker_control_handoffs_dropped_total", "counter",
		       "Frames for the control side a worker dropped: more than 1000 a second.");
	for (i = 0; i < d->nworkers; i++)
		strbuf_printf(out, "pppoe_xdp_worker_control_handoffs_dropped_total{worker=\"%u\"} %"
			      PRIu64 "\n", i, d->workers[i].handoffs_dropped);
}

int metrics_render(const struct daemon *d, uint64_t now_ms, bool wire_ids, struct strbuf *out)
{
	size_t counts[STATUS_NSTATES], total, i;
	const char *mode = d->io ? xsk_io_mode_name(d->io) : "none";
	struct dpath_counters c;

	status_count_states(d, counts, &total);

	metrics_family(out, "pppoe_xdp_info", "gauge",
		       "Version, interface and XDP attach mode of this daemon.");
	strbuf_puts(out, "pppoe_xdp_info{version=\"");
	metrics_label(out, PPPOE_XDP_VERSION, strlen(PPPOE_XDP_VERSION));
	strbuf_puts(out, "\",interface=\"");
	metrics_label(out, status_ifname(d), strlen(status_ifname(d)));
	strbuf_puts(out, "\",xdp_mode=\"");
	metrics_label(out, mode, strlen(mode));
	strbuf_puts(out, "\"} 1\n");

	metrics_family(out, "pppoe_xdp_uptime_seconds", "gauge",
		       "Seconds since the daemon started.");
	strbuf_printf(out, "pppoe_xdp_uptime_seconds %" PRIu64 "\n",
		      status_secs_since(now_ms, d->started_ms));

	metrics_family(out, "pppoe_xdp_sessions", "gauge", "Configured sessions by state.");
	for (i = 0; i < STATUS_NSTATES; i++)
		strbuf_printf(out, "pppoe_xdp_sessions{state=\"%s\"} %zu\n",
			      session_state_name((enum session_state)i), counts[i]);

	daemon_counters(d, &c);
	metrics_counter(out, "pppoe_xdp_rx_unknown_frames_total",
			"PPPoE frames received for no known session.", c.rx_unknown);
	metrics_counter(out, "pppoe_xdp_rx_wrong_vlan_frames_total",
			"Discovery answers for one of our sessions that came on another VLAN "
			"(also counted in rx_unknown).", d->rx_wrong_vlan);
	metrics_counter(out, "pppoe_xdp_rx_malformed_frames_total",
			"PPPoE frames received that could not be decoded.", c.rx_malformed);
	metrics_counter(out, "pppoe_xdp_tun_tx_super_packets_total",
			"TSO/USO super-packets read from the TUNs (tun_offload).", c.tx_super);
	metrics_counter(out, "pppoe_xdp_tun_tx_segments_total",
			"PPPoE frames cut from those super-packets.", c.tx_segs);
	metrics_counter(out, "pppoe_xdp_tun_tx_super_dropped_total",
			"Super-packets dropped whole: too few TX frames, too large or malformed.",
			c.tx_super_dropped);
	metrics_counter(out, "pppoe_xdp_tun_rx_super_packets_total",
			"Coalesced TCP and UDP super-packets written to the TUNs (2 or more segments).",
			c.rx_super);
	metrics_counter(out, "pppoe_xdp_tun_rx_super_packets_udp_total",
			"Of those, UDP super-packets (USO).", c.rx_super_udp);
	metrics_counter(out, "pppoe_xdp_tun_rx_coalesced_segments_total",
			"Segments from the wire merged into those super-packets.", c.rx_merged);
	metrics_setup(d, out);
	metrics_workers(d, out);
	metrics_hooks(d, out);
	if (d->io)
		metrics_io(d, out);

	metrics_sessions(d, now_ms, wire_ids, out);
	return out->oom ? -ENOMEM : 0;
}
