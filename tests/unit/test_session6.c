// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_session6.c - a session's IPv6 end to end against acsim: IPv6CP
 * opens, a Router Solicitation goes out, the RA gives a SLAAC address and
 * a default router; RAs are consumed, IPv6 datagrams pass; lifetimes,
 * expiry, an AC without IPv6, the session dropping and redialing.
 */
#include <errno.h>

#include "session_harness.h"
#include "pppoe/ip6.h"
#include "pppoe/ipv6cp.h"
#include "pppoe/nd.h"

struct v6obs {
	unsigned int up, down, addr_add, addr_del, router_add, router_del;
	struct session_v6_addr last;
	uint8_t router[16];
	unsigned int net_down_after_v6_down; /* order check */
};

static struct v6obs o[4];

static unsigned int idx(struct session *s)
{
	return (unsigned int)((struct tsess *)s->ctx - t.ts);
}

static void v_net6_up(struct session *s)
{
	assert_true(s->v6.up);
	o[idx(s)].up++;
}

static void v_net6_down(struct session *s)
{
	o[idx(s)].down++;
}

static void v_net6_addr(struct session *s, const struct session_v6_addr *a, bool add)
{
	struct v6obs *v = &o[idx(s)];

	if (add)
		v->addr_add++;
	else
		v->addr_del++;
	v->last = *a;
}

static void v_net6_router(struct session *s, bool add)
{
	struct v6obs *v = &o[idx(s)];

	if (add) {
		v->router_add++;
		memcpy(v->router, s->v6.router, 16);
	} else {
		v->router_del++;
	}
}

static void v_net_down(struct session *s)
{
	/* IPv6 leaves the interface before IPv4 takes it down. */
	assert_false(s->v6.up);
	c_net_down(s);
}

static struct session_ops v_ops;

static void v6setup(unsigned int n, bool ac_ipv6, bool ipv6)
{
	unsigned int i;

	setup(ACSIM_AUTH_PAP, n);
	t.ac->conf.ipv6 = ac_ipv6;
	t.conf.ppp.ipv6 = ipv6;
	v_ops = c_ops;
	v_ops.net_down = v_net_down;
	v_ops.net6_up = v_net6_up;
	v_ops.net6_down = v_net6_down;
	v_ops.net6_addr = v_net6_addr;
	v_ops.net6_router = v_net6_router;
	for (i = 0; i < n; i++)
		t.ts[i].s.ops = &v_ops;
	memset(o, 0, sizeof(o));
}

static void ll_of(const uint8_t iid[8], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, iid, 8);
}

/* bring_up6 - session @i up with IPv6 configured from the RA */
static void bring_up6(unsigned int i)
{
	bring_up(i);
	if (!RUN_UNTIL(S(i)->v6.up && S(i)->v6.ra_seen, 10000))
		fail_msg("IPv6 not up: IPv6CP %s", fsm_state_name(S(i)->ppp.ipv6cp.fsm.state));
}

/* IPv6CP opens, RS out, RA in: SLAAC address, default router, nothing of it
 * on the interface. */
static void test_slaac(void **state)
{
	uint8_t iid[8], ll[16], acll[16], want[16], prefix[8];
	struct session *s;

	v6setup(1, true, true);
	bring_up6(0);
	s = S(0);
	ipv6cp_iid_from_name("s", iid);
	ll_of(iid, ll);
	ll_of(t.ac->conf.ipv6_iid, acll);
	assert_memory_equal(s->v6.local, ll, 16);
	assert_memory_equal(s->v6.peer, acll, 16);
	assert_memory_equal(ac_of(0)->client_iid, iid, 8);
	assert_int_equal(o[0].up, 1);
	/* One RS, sent once IPv6 was up, answered by one RA. */
	assert_int_equal(t.ac->stats.rx_rs, 1);
	assert_int_equal(s->v6.tx_rs, 1);
	assert_int_equal(s->v6.rx_ra, 1);
	assert_int_equal(t.ac->stats.tx_ra, 1);
	/* The address: the RA's prefix and our identifier, its lifetimes. */
	acsim_sess_prefix(ac_of(0), prefix);
	memcpy(want, prefix, 8);
	memcpy(want + 8, iid, 8);
	assert_int_equal(s->v6.naddr, 1);
	assert_memory_equal(s->v6.addr[0].addr, want, 16);
	assert_int_equal(o[0].addr_add, 1);
	assert_memory_equal(o[0].last.addr, want, 16);
	assert_int_equal(o[0].last.plen, 64);
	assert_int_equal(o[0].last.valid, 86400);
	assert_int_equal(o[0].last.preferred, 14400);
	/* The default router is the AC's link-local. */
	assert_int_equal(o[0].router_add, 1);
	assert_memory_equal(o[0].router, acll, 16);
	assert_true(s->v6.router_set);
	assert_int_equal(s->v6.router_lifetime, 1800);
	assert_false(s->v6.ra_managed);
	assert_false(s->v6.ra_other);
	assert_int_equal(s->v6.ra_mtu, 1492);
	/* The RA went to the session, not to the interface. */
	assert_int_equal(t.ts[0].ip_rx, 0);
	/* No more RS once an RA came. */
	run_for(20000);
	assert_int_equal(t.ac->stats.rx_rs, 1);
}

/* IPv6 datagrams both ways: an Echo Request out, the Reply to the TUN. */
static void test_data(void **state)
{
	uint8_t pkt[128], dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, [15] = 1 };
	size_t n;

	v6setup(1, true, true);
	t.ac->conf.answer_ping = true;
	bring_up6(0);
	n = ip6_icmp_build(pkt, sizeof(pkt), S(0)->v6.addr[0].addr, dst, 64, 128, 0,
			   (const uint8_t[]){ 0, 1, 0, 1, 'h', 'i' }, 6);
	assert_int_equal(session_send_ip6(S(0), pkt, n), 0);
	pump();
	assert_int_equal(t.ac->stats.rx_ping6, 1);
	assert_int_equal(t.ts[0].ip_rx, 1);
	assert_int_equal(t.ts[0].iplen, n);
	assert_int_equal(t.ts[0].ip[40], 129);
	assert_memory_equal(t.ts[0].ip + 24, S(0)->v6.addr[0].addr, 16);
	/* Too big for the link: refused */
	assert_int_equal(session_send_ip6(S(0), pkt, 1493), -EMSGSIZE);
}

/* An RA with a bad checksum or hop limit is dropped, not applied. */
static void test_bad_ra(void **state)
{
	uint8_t pkt[128], body[12] = { 64, 0xc0, 0x07, 0x08 };
	size_t n;
	uint8_t acll[16];

	v6setup(1, true, true);
	bring_up6(0);
	ll_of(t.ac->conf.ipv6_iid, acll);
	n = ip6_icmp_build(pkt, sizeof(pkt), acll, ip6_all_nodes, 255, ND_RA, 0, body, 12);
	/* session6_rx_kind (what a worker decides on alone) says the same */
	assert_int_equal(session6_rx_kind(S(0), pkt, n), SESSION6_RX_CONTROL);
	pkt[43] ^= 1;
	assert_int_equal(session6_rx_kind(S(0), pkt, n), SESSION6_RX_BAD_RA);
	acsim_send_ppp(ac_of(0), PPP_IPV6, pkt, n);
	pkt[43] ^= 1;
	pkt[7] = 64;
	assert_int_equal(session6_rx_kind(S(0), pkt, n), SESSION6_RX_BAD_RA);
	acsim_send_ppp(ac_of(0), PPP_IPV6, pkt, n);
	pump();
	assert_int_equal(S(0)->v6.rx_ra_bad, 2);
	assert_int_equal(S(0)->v6.rx_ra, 1);
	assert_false(S(0)->v6.ra_managed);
	assert_int_equal(t.ts[0].ip_rx, 0);
	/* The good one: M and O, router lifetime 0x0708 */
	pkt[7] = 255;
	acsim_send_ppp(ac_of(0), PPP_IPV6, pkt, n);
	pump();
	assert_true(S(0)->v6.ra_managed);
	assert_true(S(0)->v6.ra_other);
	assert_int_equal(S(0)->v6.router_lifetime, 0x0708);
}

/* No RA: RS three times, 4 s apart (RFC 4861 10), then link-local only. */
static void test_rs_retransmit(void **state)
{
	int a, b, c;

	v6setup(1, true, true);
	/* Only RSs among the IPv6 packets counted here: no DHCPv6 Solicits. */
	t.conf.dhcpv6 = SESSION_DHCP6_NO;
	t.ac->knobs.ra_silent = true;
	bring_up(0);
	run_for(30000);
	assert_true(S(0)->v6.up);
	assert_int_equal(t.ac->stats.rx_rs, 3);
	assert_int_equal(S(0)->v6.naddr, 0);
	assert_int_equal(o[0].router_add, 0);
	a = log_find(ACSIM_IP6, 0);
	b = log_find(ACSIM_IP6, (unsigned int)a + 1);
	c = log_find(ACSIM_IP6, (unsigned int)b + 1);
	assert_true(a >= 0 && b > a && c > b);
	assert_int_equal(t.log[b].when - t.log[a].when, ND_RS_INTERVAL_MS);
	assert_int_equal(t.log[c].when - t.log[b].when, ND_RS_INTERVAL_MS);
}

/* Lifetimes: router lifetime 0 removes the default route; a short valid
 * lifetime on a known address is raised to 2 h (RFC 4862 5.5.3 e); a new
 * address with short lifetimes expires on the wheel. */
static void test_lifetimes(void **state)
{
	struct acsim_sess *as;

	v6setup(1, true, true);
	bring_up6(0);
	as = ac_of(0);
	acsim_send_ra(as, 0, 86400, 14400);
	pump();
	assert_int_equal(o[0].router_del, 1);
	assert_false(S(0)->v6.router_set);
	assert_int_equal(S(0)->v6.naddr, 1);
	/* A forged short lifetime cannot end the address at once. */
	acsim_send_ra(as, 600, 10, 5);
	pump();
	assert_int_equal(o[0].router_add, 2);
	assert_int_equal(S(0)->v6.addr[0].valid, SESSION_V6_TWO_HOURS);
	assert_int_equal(S(0)->v6.addr[0].preferred, 5);
	/* Longer lifetimes are taken as they come. */
	acsim_send_ra(as, 600, 9000, 8000);
	pump();
	assert_int_equal(S(0)->v6.addr[0].valid, 9000);
	/* A fresh session whose RA says 30 s: the address goes after 30 s,
	 * the router after its 20 s. */
	teardown(NULL);
	v6setup(1, true, true);
	t.ac->conf.ra_valid = 30;
	t.ac->conf.ra_preferred = 10;
	t.ac->conf.ra_lifetime = 20;
	bring_up6(0);
	assert_int_equal(S(0)->v6.naddr, 1);
	run_for(19000);
	assert_int_equal(o[0].router_del, 0);
	run_for(2000);
	assert_int_equal(o[0].router_del, 1);
	assert_int_equal(o[0].addr_del, 0);
	run_for(10000);
	assert_int_equal(o[0].addr_del, 1);
	assert_int_equal(S(0)->v6.naddr, 0);
	assert_true(S(0)->v6.up);
}

/* The AC Protocol-Rejects IPv6CP: IPv4 works, IPv6 never comes up. */
static void test_ac_without_ipv6(void **state)
{
	v6setup(1, false, true);
	bring_up(0);
	run_for(5000);
	assert_up(0);
	assert_false(S(0)->v6.up);
	assert_true(S(0)->ppp.ipv6_unavailable);
	assert_true(t.ac->stats.tx[ACSIM_LCP_PROTREJ] >= 1);
	assert_int_equal(o[0].up, 0);
	assert_int_equal(session_send_ip6(S(0), (const uint8_t[]){ 0x60 }, 1), -ENOTCONN);
}

/* An AC whose IPv6CP never answers: the session stays up on IPv4. */
static void test_ac_silent_ipv6cp(void **state)
{
	v6setup(1, true, true);
	t.ac->knobs.ipv6cp_silent = true;
	bring_up(0);
	run_for(60000);
	assert_up(0);
	assert_true(S(0)->ppp.ipv6_unavailable);
	assert_int_equal(S(0)->ppp.ipv6cp.fsm.tx_confreq, 10);
}

/* ipv6 = no against an AC with IPv6: its IPv6CP is Protocol-Rejected. */
static void test_ipv6_off(void **state)
{
	v6setup(1, true, false);
	bring_up(0);
	run_for(5000);
	assert_up(0);
	assert_true(t.ac->stats.rx[ACSIM_LCP_PROTREJ] >= 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_IPV6CP_CONFREQ], 0);
	assert_false(S(0)->v6.up);
	assert_int_equal(o[0].up, 0);
}

/* The AC Naks our identifier: the link-local follows its suggestion. */
static void test_nak_iid(void **state)
{
	v6setup(1, true, true);
	t.ac->knobs.ipv6cp_nak_iid = true;
	bring_up6(0);
	assert_int_equal(S(0)->v6.local[8], 0x0a);
	assert_memory_equal(S(0)->v6.addr[0].addr + 8, S(0)->v6.local + 8, 8);
}

/* Dropped and redialed: IPv6 goes first, comes back with the same link-local. */
static void test_redial_same_ll(void **state)
{
	uint8_t ll[16];

	v6setup(1, true, true);
	bring_up6(0);
	memcpy(ll, S(0)->v6.local, 16);
	acsim_send_padt(ac_of(0), "test");
	pump();
	assert_int_equal(o[0].down, 1);
	assert_false(S(0)->v6.up);
	assert_int_equal(S(0)->v6.naddr, 0);
	assert_true(RUN_UNTIL(S(0)->v6.up && S(0)->v6.ra_seen, 60000));
	assert_memory_equal(S(0)->v6.local, ll, 16);
	assert_int_equal(o[0].up, 2);
	/* IPv6CP renegotiated by the AC while up: down, then up again. */
	acsim_send_ppp(ac_of(0), PPP_IPV6CP, (const uint8_t[]){ 1, 0x33, 0, 14, 1, 10, 0x02,
							       0xac, 0x51, 0xff, 0xfe, 0, 0, 1 }, 14);
	pump();
	assert_int_equal(o[0].down, 2);
	assert_true(RUN_UNTIL(S(0)->v6.up, 10000));
	assert_int_equal(o[0].up, 3);
}

/* DHCPv6 to the client port is the session's; other UDP is the TUN's. */
static void test_dhcp6_consumed(void **state)
{
	uint8_t pkt[128], acll[16];
	size_t n;

	v6setup(1, true, true);
	bring_up6(0);
	ll_of(t.ac->conf.ipv6_iid, acll);
	n = ip6_udp_build(pkt, sizeof(pkt), acll, S(0)->v6.local, 547, 546,
			  (const uint8_t[]){ 7, 1, 2, 3 }, 4);
	assert_int_equal(session6_rx_kind(S(0), pkt, n), SESSION6_RX_CONTROL);
	acsim_send_ppp(ac_of(0), PPP_IPV6, pkt, n);
	pump();
	assert_int_equal(t.ts[0].ip_rx, 0);
	n = ip6_udp_build(pkt, sizeof(pkt), acll, S(0)->v6.local, 547, 5353,
			  (const uint8_t[]){ 7, 1, 2, 3 }, 4);
	assert_int_equal(session6_rx_kind(S(0), pkt, n), SESSION6_RX_DATA);
	acsim_send_ppp(ac_of(0), PPP_IPV6, pkt, n);
	pump();
	assert_int_equal(t.ts[0].ip_rx, 1);
	/* to port 546 but not one of the session's addresses (a host behind
	 * its delegated prefix): the TUN's, and a worker passes it on itself */
	n = ip6_udp_build(pkt, sizeof(pkt), acll,
			  (const uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, 9, [15] = 5 }, 547, 546,
			  (const uint8_t[]){ 7, 1, 2, 3 }, 4);
	assert_int_equal(session6_rx_kind(S(0), pkt, n), SESSION6_RX_DATA);
	acsim_send_ppp(ac_of(0), PPP_IPV6, pkt, n);
	pump();
	assert_int_equal(t.ts[0].ip_rx, 2);
}

/* A resumed session (stop --keep, then a new owner): IPv6CP is not in the
 * record, so it is negotiated afresh at once; the AC renegotiates its
 * Opened IPv6CP, an RS goes out and the RA gives the address back. */
static void test_resume(void **state)
{
	struct session_resume r;
	uint8_t addr[16], mac[6];
	unsigned int rs0, up0;

	v6setup(1, true, true);
	bring_up6(0);
	memcpy(addr, S(0)->v6.addr[0].addr, 16);
	assert_true(session_resume_get(S(0), &r));
	session_quiesce(S(0));
	assert_false(S(0)->v6.up);
	memcpy(mac, S(0)->mac, 6);
	memset(&t.ts[0], 0, sizeof(t.ts[0]));
	session_init(&t.ts[0].s, &t.conf, &v_ops, &t.wheel, mac, 0, &t.ts[0]);
	rs0 = t.ac->stats.rx_rs;
	up0 = t.ac->stats.ipv6cp_up;
	assert_int_equal(session_resume(S(0), &r), 0);
	/* The IPv6CP request leaves with the echo, before the clock moves. */
	assert_int_equal(S(0)->ppp.ipv6cp.fsm.tx_confreq, 1);
	assert_true(RUN_UNTIL(S(0)->v6.up && S(0)->v6.ra_seen, 10000));
	assert_int_equal(t.ac->stats.ipv6cp_up, up0 + 1);
	assert_int_equal(t.ac->stats.rx_rs, rs0 + 1);
	assert_int_equal(S(0)->v6.naddr, 1);
	assert_memory_equal(S(0)->v6.addr[0].addr, addr, 16);
	assert_int_equal(S(0)->dials, 0); /* resumed, not dialed */
	assert_int_equal(S(0)->state, SESS_UP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_slaac, teardown),
		cmocka_unit_test_teardown(test_data, teardown),
		cmocka_unit_test_teardown(test_bad_ra, teardown),
		cmocka_unit_test_teardown(test_rs_retransmit, teardown),
		cmocka_unit_test_teardown(test_lifetimes, teardown),
		cmocka_unit_test_teardown(test_ac_without_ipv6, teardown),
		cmocka_unit_test_teardown(test_ac_silent_ipv6cp, teardown),
		cmocka_unit_test_teardown(test_ipv6_off, teardown),
		cmocka_unit_test_teardown(test_nak_iid, teardown),
		cmocka_unit_test_teardown(test_redial_same_ll, teardown),
		cmocka_unit_test_teardown(test_dhcp6_consumed, teardown),
		cmocka_unit_test_teardown(test_resume, teardown),
	};

	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
