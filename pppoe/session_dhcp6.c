// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session_dhcp6.c - a session's DHCPv6 client (pppoe/dhcp6.c): when it
 * runs, what it asks for, and its messages over the session's IPv6.
 *
 *   dhcpv6 = yes   IPv6 up -> Solicit for IA_NA and IA_PD (dhcpv6_pd)
 *   dhcpv6 = auto  IPv6 up -> wait for the first RA (SESSION_DHCP6_RA_WAIT_MS):
 *                  IA_NA if it says M (managed) or O (other configuration),
 *                  IA_PD always (dhcpv6_pd); no RA in time: both
 *   dhcpv6 = no    never
 * IPv6 down (a redial, a lost link) stops the client without a Release and
 * keeps what it had as hints: the next start asks for the same address and
 * prefix. An admin stop (session_stop) sends a Release first.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/dhcp6.h"
#include "pppoe/ip6.h"
#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/util.h"

/* An RA normally answers our Router Solicitation at once; an AC that sends
 * none (pppd alone) must not leave the session without DHCPv6. */
#define SESSION_DHCP6_RA_WAIT_MS 3000

static int session_dhcp6_send(struct dhcp6 *c, const uint8_t *msg, size_t len,
			      const uint8_t *dst)
{
	struct session *s = c->ctx;
	uint8_t pkt[IP6_HLEN + IP6_UDP_HLEN + DHCP6_MSG_MAX];
	size_t n;

	n = ip6_udp_build(pkt, sizeof(pkt), s->v6.local, dst ? dst : ip6_all_dhcp_agents,
			  DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT, msg, len);
	if (!n)
		return -EMSGSIZE;
	return session_send_ip6(s, pkt, n);
}

static void session_dhcp6_lease(struct dhcp6 *c, const struct dhcp6_lease *l,
				enum dhcp6_lease_ev ev)
{
	struct session *s = c->ctx;

	if (s->ops->dhcp6_lease)
		s->ops->dhcp6_lease(s, l, ev);
}

static const struct dhcp6_ops session_dhcp6_ops = {
	.send = session_dhcp6_send,
	.lease = session_dhcp6_lease,
};

/* session_dhcp6_begin - Solicit for an address (@na) and/or a prefix */
static void session_dhcp6_begin(struct session *s, bool na)
{
	bool pd = s->conf->dhcpv6_pd;
	uint8_t duid[10];
	size_t n;

	tw_cancel(s->wheel, &s->dhcp6_wait);
	if (!na && !pd) {
		sl_info(s->label, "dhcpv6: the RA has neither M nor O and dhcpv6_pd = no: "
			"not started");
		return;
	}
	/* DUID-LL of the session's MAC (stable per session name with mac =
	 * auto) and an IAID from its name: the same across redials and
	 * restarts, so the server gives the same lease back. */
	n = dhcp6_duid_ll(duid, s->mac);
	dhcp6_set_id(&s->dhcp6, duid, n, dhcp6_iaid_from_name(s->conf->name));
	sl_info(s->label, "dhcpv6: soliciting%s%s", na ? " an address (IA_NA)" : "",
		pd ? (na ? " and a prefix (IA_PD)" : " a prefix (IA_PD)") : "");
	dhcp6_start(&s->dhcp6, na, pd, (uint8_t)s->conf->dhcpv6_pd_len);
}

static void session_dhcp6_wait_over(struct tw_timer *t)
{
	struct session *s = container_of(t, struct session, dhcp6_wait);

	if (!s->v6.up || s->dhcp6.state != DHCP6_ST_IDLE)
		return;
	sl_info(s->label, "dhcpv6: no Router Advertisement in %u ms: asking for both",
		SESSION_DHCP6_RA_WAIT_MS);
	session_dhcp6_begin(s, true);
}

void session_dhcp6_init(struct session *s)
{
	uint8_t duid[10];
	size_t n = dhcp6_duid_ll(duid, s->mac);

	dhcp6_init(&s->dhcp6, &session_dhcp6_ops, s->wheel, duid, n,
		   dhcp6_iaid_from_name(s->conf->name), s->rng, s->label, s);
	tw_timer_init(&s->dhcp6_wait, session_dhcp6_wait_over);
}

void session_dhcp6_stop(struct session *s, bool release, bool quiet)
{
	static const struct dhcp6_lease empty = { .na_status = -1, .pd_status = -1 };
	bool had = s->dhcp6.lease.n_addr || s->dhcp6.lease.n_prefix;

	tw_cancel(s->wheel, &s->dhcp6_wait);
	if (s->dhcp6.state == DHCP6_ST_IDLE)
		return;
	dhcp6_stop(&s->dhcp6, release && session_ip6_ok(s));
	if (had && !quiet)
		session_dhcp6_lease(&s->dhcp6, &empty, DHCP6_LEASE_STOPPED);
}

void session_dhcp6_rx(struct session *s, const struct ip6_udp *u)
{
	if (u->sport != DHCP6_SERVER_PORT) {
		s->stats.rx_dropped++;
		return;
	}
	dhcp6_input(&s->dhcp6, u->payload, u->plen);
}

void session_dhcp6_event(struct session *s, enum session_dhcp6_ev ev)
{
	enum session_dhcp6_mode mode = s->conf->dhcpv6;

	if (mode == SESSION_DHCP6_NO)
		return;
	switch (ev) {
	case SESSION_DHCP6_V6_UP:
		if (mode == SESSION_DHCP6_YES)
			session_dhcp6_begin(s, true);
		else
			tw_arm(s->wheel, &s->dhcp6_wait, SESSION_DHCP6_RA_WAIT_MS);
		break;
	case SESSION_DHCP6_RA:
		/* auto: the first RA decides (an address too when it speaks of
		 * DHCPv6 at all: M, or O); a later one with M or O starts a
		 * client that the first left idle. */
		if (mode != SESSION_DHCP6_AUTO || s->dhcp6.state != DHCP6_ST_IDLE)
			break;
		if (!tw_pending(&s->dhcp6_wait) && !s->v6.ra_managed && !s->v6.ra_other)
			break;
		session_dhcp6_begin(s, s->v6.ra_managed || s->v6.ra_other);
		break;
	case SESSION_DHCP6_V6_DOWN:
		session_dhcp6_stop(s, false, false);
		break;
	}
}
