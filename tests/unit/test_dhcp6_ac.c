// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dhcp6_ac.c - a session's DHCPv6 client end to end against acsim's
 * DHCPv6 server (written apart from the client), in process under a fake
 * clock: the whole stack (discovery, LCP, PAP, IPCP, IPv6CP, RA, DHCPv6
 * over PPP 0x0057) with the default dhcpv6 = auto. T1 10 s, T2 16 s,
 * preferred 30 s, valid 60 s.
 */
#include <errno.h>

#include "session_harness.h"
#include "pppoe/dhcp6.h"

static struct {
	unsigned int n, bound, renewed, expired, stopped;
	struct dhcp6_lease last;
} d6o;

static void d_lease(struct session *s, const struct dhcp6_lease *l, enum dhcp6_lease_ev ev)
{
	d6o.n++;
	d6o.last = *l;
	switch (ev) {
	case DHCP6_LEASE_BOUND:
		d6o.bound++;
		break;
	case DHCP6_LEASE_RENEWED:
		d6o.renewed++;
		break;
	case DHCP6_LEASE_EXPIRED:
		d6o.expired++;
		break;
	case DHCP6_LEASE_STOPPED:
		d6o.stopped++;
		break;
	}
}

static struct session_ops d_ops;

static void d6setup(bool managed)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->conf.ipv6 = true;
	t.ac->conf.ra_managed = managed;
	t.ac->conf.dhcp6 = true;
	t.ac->conf.d6_t1 = 10;
	t.ac->conf.d6_t2 = 16;
	t.ac->conf.d6_preferred = 30;
	t.ac->conf.d6_valid = 60;
	t.conf.ppp.ipv6 = true;
	t.conf.dhcpv6 = SESSION_DHCP6_AUTO;
	t.conf.dhcpv6_pd = true;
	d_ops = c_ops;
	d_ops.dhcp6_lease = d_lease;
	t.ts[0].s.ops = &d_ops;
	memset(&d6o, 0, sizeof(d6o));
}

static bool bound(void)
{
	return S(0)->dhcp6.state == DHCP6_ST_BOUND;
}

/* assert_lease - the lease of acsim binding 1 (@na: with the address) */
static void assert_lease(bool na)
{
	uint8_t addr[16], prefix[16];

	acsim_d6_lease(1, addr, prefix);
	assert_int_equal(d6o.last.n_addr, na ? 1 : 0);
	if (na) {
		assert_memory_equal(d6o.last.addr[0].addr, addr, 16);
		assert_int_equal(d6o.last.addr[0].plen, 128);
	}
	assert_int_equal(d6o.last.n_prefix, 1);
	assert_memory_equal(d6o.last.prefix[0].addr, prefix, 16);
	assert_int_equal(d6o.last.prefix[0].plen, 56);
	assert_int_equal(d6o.last.prefix[0].valid, 60);
	assert_int_equal(d6o.last.t1, 10);
	assert_int_equal(d6o.last.t2, 16);
}

static void bring_up_d6(void)
{
	bring_up(0);
	if (!RUN_UNTIL(bound(), 10000))
		fail_msg("DHCPv6 not bound: %s", dhcp6_state_name(S(0)->dhcp6.state));
}

/* The RA says M: address and prefix, at once, nothing of it on the TUN. */
static void test_bound_managed(void **state)
{
	d6setup(true);
	bring_up_d6();
	assert_int_equal(d6o.bound, 1);
	assert_lease(true);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_SOLICIT], 1);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_REQUEST], 1);
	assert_int_equal(t.ts[0].ip_rx, 0);
	/* Bound within the Solicit's delay and the first RT after the RA. */
	assert_true(S(0)->dhcp6.lease.updated_ms - S(0)->up_since_ms < 2500);
}

/* The RA says no M: only the prefix. */
static void test_bound_unmanaged(void **state)
{
	d6setup(false);
	bring_up_d6();
	assert_lease(false);
	assert_int_equal(S(0)->dhcp6.lease.na_status, -1);
}

/* Renew at T1 renews; a server that ignores Renews gets a Rebind at T2,
 * and its Reply is reported as a renewal like any other. */
static void test_renew_then_rebind(void **state)
{
	d6setup(true);
	bring_up_d6();
	run_for(10500);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_RENEW], 1);
	assert_int_equal(d6o.renewed, 1);
	assert_lease(true);
	assert_true(bound());
	t.ac->knobs.d6_ignore_renew = true;
	run_for(10000);
	assert_int_equal(S(0)->dhcp6.state, DHCP6_ST_RENEW);
	assert_true(t.ac->stats.rx_d6[DHCP6_RENEW] >= 2);
	assert_int_equal(d6o.renewed, 1);
	/* T2 (16 s after the last Reply): Rebind, answered. */
	run_for(7000);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_REBIND], 1);
	assert_int_equal(d6o.renewed, 2);
	assert_true(bound());
	assert_lease(true);
	assert_int_equal(S(0)->dhcp6.stats.rebinds, 1);
}

/* NoBinding for the prefix in a Renew Reply: a Request, then bound again. */
static void test_nobinding(void **state)
{
	d6setup(true);
	bring_up_d6();
	t.ac->knobs.d6_nobinding = true;
	run_for(10500);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_RENEW], 1);
	assert_int_equal(S(0)->dhcp6.stats.nobinding, 1);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_REQUEST], 2);
	assert_true(bound());
	assert_int_equal(d6o.bound, 2);
	assert_lease(true);
}

/* A redial: the lease goes with the link (no Release) and comes back. */
static void test_redial(void **state)
{
	d6setup(true);
	bring_up_d6();
	session_redial(S(0), "test");
	assert_int_equal(d6o.stopped, 1);
	assert_int_equal(d6o.last.n_prefix, 0);
	if (!RUN_UNTIL(bound() && S(0)->state == SESS_UP, 20000))
		fail_msg("not bound again");
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_RELEASE], 0);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_SOLICIT], 2);
	assert_int_equal(d6o.bound, 2);
	assert_lease(true);
}

/* An admin stop: one Release reaches the server before the link ends. */
static void test_stop_releases(void **state)
{
	d6setup(true);
	bring_up_d6();
	session_stop(S(0), "test");
	run_for(5000);
	assert_int_equal(t.ac->stats.rx_d6[DHCP6_RELEASE], 1);
	assert_int_equal(d6o.stopped, 1);
	assert_int_equal(S(0)->state, SESS_IDLE);
	assert_int_equal(S(0)->dhcp6.state, DHCP6_ST_IDLE);
}

/* A server gone silent: Renews, Rebinds, then the lease expires at its
 * valid lifetime and the client solicits again. */
static void test_expiry(void **state)
{
	uint64_t t0;

	d6setup(true);
	bring_up_d6();
	t0 = S(0)->dhcp6.lease.updated_ms;
	t.ac->knobs.d6_silent = true;
	run_for(59000 - (t.wheel.now - t0));
	assert_int_equal(d6o.expired, 0);
	assert_int_equal(S(0)->dhcp6.state, DHCP6_ST_REBIND);
	run_for(1100);
	assert_int_equal(d6o.expired, 1);
	assert_int_equal(d6o.last.n_addr, 0);
	assert_int_equal(d6o.last.n_prefix, 0);
	assert_int_equal(S(0)->dhcp6.state, DHCP6_ST_SOLICIT);
	/* The server is back: bound again to the same lease. */
	t.ac->knobs.d6_silent = false;
	if (!RUN_UNTIL(bound(), 10000))
		fail_msg("not bound again");
	assert_lease(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bound_managed, teardown),
		cmocka_unit_test_teardown(test_bound_unmanaged, teardown),
		cmocka_unit_test_teardown(test_renew_then_rebind, teardown),
		cmocka_unit_test_teardown(test_nobinding, teardown),
		cmocka_unit_test_teardown(test_redial, teardown),
		cmocka_unit_test_teardown(test_stop_releases, teardown),
		cmocka_unit_test_teardown(test_expiry, teardown),
	};

	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
