// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_session_dhcp6.c - a session's DHCPv6 client (pppoe/session_dhcp6.c):
 * when it starts under dhcpv6 = auto / yes / no and what it asks for, its
 * messages as IPv6/UDP from the link-local, replies from port 547 only,
 * the owner's lease, IPv6 going down and up again (a redial: hints, no
 * Release), and the Release of an admin stop. The session's IPv6 output
 * is a stand-in that checks and records every packet.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/dhcp6.h"
#include "pppoe/ip6.h"
#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/timer.h"

#define MAX_SENT 32

struct sent {
	uint8_t buf[DHCP6_MSG_MAX];
	size_t len;
	uint8_t dst[16];
	uint64_t at;
	struct dhcp6_msg m;
};

static struct tw_wheel wheel;
static struct session_conf conf;
static struct session s;
static struct sent sent[MAX_SENT];
static unsigned int nsent;
static struct dhcp6_lease last_lease;
static enum dhcp6_lease_ev last_ev;
static unsigned int nlease;
static uint64_t now_ms;

static const uint8_t mac[6] = { 0x02, 0x5e, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t ll[16] = { 0xfe, 0x80, [8] = 0x02, [15] = 0x01 };
static const uint8_t ac_ll[16] = { 0xfe, 0x80, [15] = 0x99 };
static const uint8_t srv[4] = { 0, 2, 0x11, 0x11 };
static const uint8_t addr5[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
static const uint8_t pfx1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };

/* The session's IPv6 output (pppoe/session.c), here a checking recorder. */
int session_send_ip6(struct session *ss, const uint8_t *pkt, size_t len)
{
	struct ip6_udp u;
	struct sent *r;

	assert_ptr_equal(ss, &s);
	if (!ss->v6.up)
		return -ENOTCONN;
	assert_int_equal(ip6_udp_parse(pkt, len, &u), 0);
	assert_memory_equal(u.src, ll, 16);
	assert_int_equal(u.sport, DHCP6_CLIENT_PORT);
	assert_int_equal(u.dport, DHCP6_SERVER_PORT);
	assert_true(nsent < MAX_SENT);
	r = &sent[nsent++];
	assert_true(u.plen <= sizeof(r->buf));
	memcpy(r->buf, u.payload, u.plen);
	r->len = u.plen;
	memcpy(r->dst, u.dst, 16);
	r->at = wheel.now;
	assert_int_equal(dhcp6_decode(r->buf, r->len, &r->m), 0);
	return 0;
}

static void fake_lease(struct session *ss, const struct dhcp6_lease *l, enum dhcp6_lease_ev ev)
{
	assert_ptr_equal(ss, &s);
	last_lease = *l;
	last_ev = ev;
	nlease++;
}

static const struct session_ops ops = {
	.dhcp6_lease = fake_lease,
};

static void advance(uint64_t ms)
{
	uint64_t end = now_ms + ms;

	while (now_ms < end) {
		now_ms += TW_TICK_MS;
		tw_advance(&wheel, now_ms);
	}
}

static const struct sent *last(void)
{
	assert_true(nsent > 0);
	return &sent[nsent - 1];
}

static int setup(void **state)
{
	now_ms = 5000000;
	tw_init(&wheel, now_ms);
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.name, sizeof(conf.name), "wan1");
	snprintf(conf.ifname, sizeof(conf.ifname), "pppx1");
	conf.ppp.ipv6 = true;
	conf.dhcpv6 = SESSION_DHCP6_AUTO;
	conf.dhcpv6_pd = true;
	memset(&s, 0, sizeof(s));
	s.conf = &conf;
	s.ops = &ops;
	s.wheel = &wheel;
	s.rng = 12345;
	memcpy(s.mac, mac, 6);
	snprintf(s.label, sizeof(s.label), "wan1/pppx1");
	session_dhcp6_init(&s);
	nsent = 0;
	nlease = 0;
	return 0;
}

static int teardown(void **state)
{
	session_dhcp6_stop(&s, false, true);
	assert_int_equal(wheel.count, 0);
	return 0;
}

/* v6_up - IPv6 comes up on the session (what session6_start does for us) */
static void v6_up(void)
{
	memcpy(s.v6.local, ll, 16);
	s.v6.up = true;
	s.v6.ra_seen = false;
	session_dhcp6_event(&s, SESSION_DHCP6_V6_UP);
}

static void v6_down(void)
{
	s.v6.up = false;
	session_dhcp6_event(&s, SESSION_DHCP6_V6_DOWN);
}

static void ra_mo(bool managed, bool other)
{
	s.v6.ra_seen = true;
	s.v6.ra_managed = managed;
	s.v6.ra_other = other;
	memcpy(s.v6.router, ac_ll, 16);
	session_dhcp6_event(&s, SESSION_DHCP6_RA);
}

static void ra(bool managed)
{
	ra_mo(managed, false);
}

/* reply - a server message of @type to the last one sent, from port @sport */
static void reply(uint8_t type, uint16_t sport, bool na, bool pd)
{
	struct dhcp6_msg m;
	struct ip6_udp u;
	uint8_t buf[DHCP6_MSG_MAX];
	int n;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.xid = last()->m.xid;
	m.client_id = last()->m.client_id;
	m.server_id.present = true;
	m.server_id.ptr = srv;
	m.server_id.len = sizeof(srv);
	m.has_preference = true;
	m.preference = 255;
	if (na) {
		m.ia_na.present = true;
		m.ia_na.iaid = last()->m.ia_na.iaid;
		m.ia_na.t1 = 100;
		m.ia_na.t2 = 160;
		m.ia_na.n = 1;
		memcpy(m.ia_na.e[0].addr, addr5, 16);
		m.ia_na.e[0].plen = 128;
		m.ia_na.e[0].preferred = 200;
		m.ia_na.e[0].valid = 300;
	}
	if (pd) {
		m.ia_pd.present = true;
		m.ia_pd.iaid = last()->m.ia_pd.iaid;
		m.ia_pd.t1 = 100;
		m.ia_pd.t2 = 160;
		m.ia_pd.n = 1;
		memcpy(m.ia_pd.e[0].addr, pfx1, 16);
		m.ia_pd.e[0].plen = 56;
		m.ia_pd.e[0].preferred = 400;
		m.ia_pd.e[0].valid = 500;
	}
	n = dhcp6_encode(buf, sizeof(buf), &m);
	assert_true(n > 0);
	memset(&u, 0, sizeof(u));
	memcpy(u.src, ac_ll, 16);
	memcpy(u.dst, ll, 16);
	u.sport = sport;
	u.dport = DHCP6_CLIENT_PORT;
	u.payload = buf;
	u.plen = (size_t)n;
	session_dhcp6_rx(&s, &u);
}

/* bind - Solicit answered by Advertise (pref 255) and Reply */
static void bind(bool na, bool pd)
{
	reply(DHCP6_ADVERTISE, DHCP6_SERVER_PORT, na, pd);
	assert_int_equal(last()->m.type, DHCP6_REQUEST);
	reply(DHCP6_REPLY, DHCP6_SERVER_PORT, na, pd);
	assert_int_equal(s.dhcp6.state, DHCP6_ST_BOUND);
}

static void test_auto_no_ra(void **state)
{
	uint8_t duid[10];

	v6_up();
	/* Waits for an RA: nothing during 3 s. */
	advance(2990);
	assert_int_equal(nsent, 0);
	assert_int_equal(s.dhcp6.state, DHCP6_ST_IDLE);
	/* None came: both, after the Solicit's random 0..1 s. */
	advance(1100);
	assert_int_equal(nsent, 1);
	assert_int_equal(last()->m.type, DHCP6_SOLICIT);
	assert_memory_equal(last()->dst, ip6_all_dhcp_agents, 16);
	assert_true(last()->m.ia_na.present);
	assert_true(last()->m.ia_pd.present);
	/* DUID-LL of the session's MAC, IAID from its name. */
	dhcp6_duid_ll(duid, mac);
	assert_int_equal(last()->m.client_id.len, 10);
	assert_memory_equal(last()->m.client_id.ptr, duid, 10);
	assert_int_equal(last()->m.ia_na.iaid, dhcp6_iaid_from_name("wan1"));
	assert_int_equal(last()->m.ia_pd.iaid, dhcp6_iaid_from_name("wan1"));
}

static void test_auto_ra_managed(void **state)
{
	v6_up();
	advance(500);
	ra(true);
	advance(1010);
	assert_int_equal(nsent, 1);
	assert_true(last()->m.ia_na.present);
	assert_true(last()->m.ia_pd.present);
	/* Later RAs change nothing. */
	ra(false);
	advance(1200);
	assert_int_equal(sent[1].m.xid, sent[0].m.xid);
}

static void test_auto_ra_unmanaged(void **state)
{
	v6_up();
	ra(false);
	advance(1010);
	assert_int_equal(nsent, 1);
	/* M clear: SLAAC gives the address; the prefix is still wanted. */
	assert_false(last()->m.ia_na.present);
	assert_true(last()->m.ia_pd.present);
	assert_int_equal(last()->m.ia_pd.n, 0);
}

static void test_auto_ra_other(void **state)
{
	/* O alone: the network speaks DHCPv6, so an address is asked for
	 * too (a server without one answers NoAddrsAvail for it). */
	v6_up();
	ra_mo(false, true);
	advance(1010);
	assert_int_equal(nsent, 1);
	assert_true(last()->m.ia_na.present);
	assert_true(last()->m.ia_pd.present);
}

static void test_auto_nothing_to_ask(void **state)
{
	conf.dhcpv6_pd = false;
	v6_up();
	ra(false);
	advance(5000);
	assert_int_equal(nsent, 0);
	assert_int_equal(s.dhcp6.state, DHCP6_ST_IDLE);
	/* A later RA with M set: an address after all. */
	ra(true);
	advance(1010);
	assert_int_equal(nsent, 1);
	assert_true(last()->m.ia_na.present);
	assert_false(last()->m.ia_pd.present);
}

static void test_yes_and_no(void **state)
{
	conf.dhcpv6 = SESSION_DHCP6_YES;
	conf.dhcpv6_pd_len = 56;
	v6_up();
	advance(1010);
	assert_int_equal(nsent, 1);
	assert_true(last()->m.ia_na.present);
	assert_true(last()->m.ia_pd.present);
	/* dhcpv6_pd_length as the hint. */
	assert_int_equal(last()->m.ia_pd.n, 1);
	assert_int_equal(last()->m.ia_pd.e[0].plen, 56);
	v6_down();

	conf.dhcpv6 = SESSION_DHCP6_NO;
	nsent = 0;
	v6_up();
	ra(true);
	advance(10000);
	assert_int_equal(nsent, 0);
	assert_int_equal(wheel.count, 0);
}

static void test_lease_rx_and_redial(void **state)
{
	conf.dhcpv6 = SESSION_DHCP6_YES;
	v6_up();
	advance(1010);
	/* Only from port 547. */
	reply(DHCP6_ADVERTISE, 5470, true, true);
	assert_int_equal(s.dhcp6.state, DHCP6_ST_SOLICIT);
	bind(true, true);
	assert_int_equal(nlease, 1);
	assert_int_equal(last_ev, DHCP6_LEASE_BOUND);
	assert_int_equal(last_lease.n_addr, 1);
	assert_int_equal(last_lease.n_prefix, 1);
	/* The link drops (a redial): the owner's lease goes, no Release. */
	nsent = 0;
	v6_down();
	assert_int_equal(s.dhcp6.state, DHCP6_ST_IDLE);
	assert_int_equal(nlease, 2);
	assert_int_equal(last_ev, DHCP6_LEASE_STOPPED);
	assert_int_equal(last_lease.n_addr, 0);
	assert_int_equal(last_lease.n_prefix, 0);
	assert_int_equal(nsent, 0);
	assert_int_equal(wheel.count, 0);
	/* Up again: Solicit asking for the same address and prefix. */
	v6_up();
	advance(1010);
	assert_int_equal(nsent, 1);
	assert_int_equal(last()->m.type, DHCP6_SOLICIT);
	assert_int_equal(last()->m.ia_na.n, 1);
	assert_memory_equal(last()->m.ia_na.e[0].addr, addr5, 16);
	assert_int_equal(last()->m.ia_pd.n, 1);
	assert_memory_equal(last()->m.ia_pd.e[0].addr, pfx1, 16);
	bind(true, true);
	assert_int_equal(nlease, 3);
}

static void test_admin_stop_releases(void **state)
{
	conf.dhcpv6 = SESSION_DHCP6_YES;
	v6_up();
	advance(1010);
	bind(true, true);
	nsent = 0;
	session_dhcp6_stop(&s, true, false);
	assert_int_equal(nsent, 1);
	assert_int_equal(last()->m.type, DHCP6_RELEASE);
	assert_true(last()->m.server_id.present);
	assert_memory_equal(last()->m.server_id.ptr, srv, sizeof(srv));
	assert_int_equal(last()->m.ia_pd.n, 1);
	assert_int_equal(nlease, 2);
	assert_int_equal(last_ev, DHCP6_LEASE_STOPPED);
	assert_int_equal(last_lease.n_prefix, 0);
	/* IPv6 down afterwards: nothing more. */
	v6_down();
	assert_int_equal(nsent, 1);
	assert_int_equal(nlease, 2);
}

static void test_quiesce_is_quiet(void **state)
{
	conf.dhcpv6 = SESSION_DHCP6_YES;
	v6_up();
	advance(1010);
	bind(true, true);
	nsent = 0;
	session_dhcp6_stop(&s, false, true);
	assert_int_equal(nsent, 0);
	assert_int_equal(nlease, 1);
	assert_int_equal(wheel.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auto_no_ra, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_ra_managed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_ra_unmanaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_ra_other, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_nothing_to_ask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yes_and_no, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lease_rx_and_redial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_stop_releases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiesce_is_quiet, setup, teardown),
	};

	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
