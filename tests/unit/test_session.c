// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_session.c - the client session (pppoe/session.c with the real
 * discovery and PPP code) end to end against the acsim access
 * concentrator, in process, under a fake clock (tests/unit/session_harness.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/session_harness.h"

/* A UDP datagram 10.64.0.1 -> 10.64.0.100; its content is opaque to PPP. */
static const uint8_t ip_down[] = {
	0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 64, 0, 1, 10, 64, 0, 100,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'p', 'i', 'n', 'g',
};

static const uint8_t ip_up[] = {
	0x45, 0x00, 0x00, 0x20, 0x43, 0x21, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 64, 0, 100, 10, 64, 0, 1,
	0x00, 0x35, 0x30, 0x39, 0x00, 0x0c, 0x00, 0x00, 'p', 'o', 'n', 'g',
};

/* ---- tests -------------------------------------------------------------------- */

static void check_up_and_data(void)
{
	struct tsess *ts = &t.ts[0];
	struct acsim_sess *as;

	bring_up(0);
	assert_int_equal(ts->up_calls, 1);
	assert_int_equal(ts->down_calls, 0);
	assert_int_equal(ts->bound_calls, 1);
	assert_net(0, ACSIM_IP4(10, 64, 0, 100));
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADR], 1);
	assert_int_equal(t.ac->stats.auth_ok, 1);
	assert_int_equal(t.ac->stats.bad_cookie, 0);
	assert_int_equal(S(0)->disc.session_id, 1);

	/* AC -> client: out of session_rx as ip/iplen. */
	as = ac_of(0);
	assert_non_null(as);
	assert_int_equal(acsim_send_ip(as, ip_down, sizeof(ip_down)), 0);
	pump();
	assert_int_equal(ts->ip_rx, 1);
	assert_int_equal(ts->iplen, sizeof(ip_down));
	assert_memory_equal(ts->ip, ip_down, sizeof(ip_down));

	/* client -> AC */
	client_send_ip(0, ip_up, sizeof(ip_up));
	assert_int_equal(as->rx_ip, 1);
	assert_int_equal(as->last_ip_len, sizeof(ip_up));
	assert_memory_equal(as->last_ip, ip_up, sizeof(ip_up));

	/* Nothing unexpected reached the AC on the way. */
	assert_int_equal(t.ac->stats.rx_bad, 0);
	assert_int_equal(t.ac->stats.rx_no_session, 0);
	assert_int_equal(t.ac->stats.rx[ACSIM_OTHER], 0);
}

/* no_timer_pending - nothing of session @i is left in the wheel */
static void no_timer_pending(unsigned int i)
{
	struct session *s = S(i);

	assert_false(tw_pending(&s->holdoff_timer));
	assert_false(tw_pending(&s->setup_timer));
	assert_false(tw_pending(&s->disc.timer));
	assert_false(tw_pending(&s->ppp.lcp.fsm.timer));
	assert_false(tw_pending(&s->ppp.ipcp.fsm.timer));
	assert_false(tw_pending(&s->ppp.lcp.echo_timer));
	assert_false(tw_pending(&s->ppp.auth.timer));
}

/*
 * stop --keep: a session quiesced in any state leaves no timer behind (the
 * owner frees it next) and sends nothing: an up one, one in discovery, one
 * in LCP, one in holdoff.
 */
static void test_quiesce(void **state)
{
	unsigned int sent, nlog;

	setup(ACSIM_AUTH_PAP, 1);
	check_up_and_data();
	assert_true(tw_pending(&S(0)->ppp.lcp.echo_timer) || !t.conf.ppp.echo_interval);
	nlog = t.nlog;
	session_quiesce(S(0));
	no_timer_pending(0);
	assert_int_equal(S(0)->state, SESS_IDLE);
	run_for(120000);
	assert_int_equal(t.nlog, nlog);

	/* In discovery (PADI timer armed) and then in LCP (restart timer). */
	session_start(S(0));
	assert_int_equal(S(0)->state, SESS_DISCOVERY);
	assert_true(tw_pending(&S(0)->disc.timer));
	session_quiesce(S(0));
	no_timer_pending(0);
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFREQ] = ACSIM_FOREVER;
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFACK] = ACSIM_FOREVER;
	session_start(S(0));
	run_for(50);
	assert_int_equal(S(0)->state, SESS_PPP);
	assert_true(tw_pending(&S(0)->ppp.lcp.fsm.timer));
	sent = t.nlog;
	session_quiesce(S(0));
	no_timer_pending(0);
	run_for(120000);
	assert_int_equal(t.nlog, sent);
}

/* vlan_tap - every client frame carries QinQ 100.7, outer TPID 0x88a8 */
static unsigned int vlan_tapped;
static void vlan_tap(unsigned int sess, const uint8_t *frame, size_t len)
{
	(void)sess;
	assert_true(len > 22);
	assert_memory_equal(frame + 12, "\x88\xa8\x00\x64\x81\x00\x00\x07", 8);
	vlan_tapped++;
}

/* vlan_retag - move every frame of the AC's onto VLAN 100.8 */
static size_t vlan_retag(uint8_t *frame, size_t len, size_t cap)
{
	(void)cap;
	if (len > 20 && frame[18] == 0x00 && frame[19] == 0x07)
		frame[19] = 0x08;
	return len;
}

/*
 * A session on QinQ 100.7: every frame it sends carries both tags, and it
 * comes up and passes data both ways. Answers on another VLAN (100.8) are
 * not its own, Host-Uniq or not; neither is session data on another VLAN
 * or untagged, even with its session id, AC MAC and our MAC.
 */
static void test_vlan_session(void **state)
{
	struct pppoe_vlan q = { .ntags = 2, .tpid = 0x88a8, .vid = { 100, 7 } };
	uint8_t frame[PPPOE_SESS_HLEN + 8 + sizeof(ip_down)];
	struct pppoe_frame f;
	const uint8_t *ip;
	size_t iplen, hl;

	(void)state;
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->conf.vlan = q;
	S(0)->disc.vlan = q;
	vlan_tapped = 0;
	t.c_tap = vlan_tap;

	/* On the right VLAN it comes up and carries data both ways. */
	check_up_and_data();
	assert_int_equal(t.ac->stats.rx_other_vlan, 0);
	assert_true(vlan_tapped > 8);

	/* The AC's answers come back on 100.8: discovery never gets past PADI. */
	session_stop(S(0), "test");
	run_for(2000);
	t.a_rewrite = vlan_retag;
	session_start(S(0));
	run_for(3000);
	assert_true(t.ac->stats.tx[ACSIM_PADO] >= 3);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADR], 1);
	assert_int_equal(S(0)->state, SESS_DISCOVERY);
	assert_int_equal(t.ac->stats.rx_other_vlan, 0);
	t.a_rewrite = NULL;
	session_stop(S(0), "test");
	run_for(2000);
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));

	/* Session data with all the right ids on 100.8, on 7 alone and
	 * untagged: not this session's. */
	static const struct pppoe_vlan other[] = {
		{ .ntags = 2, .tpid = 0x88a8, .vid = { 100, 8 } },
		{ .ntags = 1, .tpid = 0x8100, .vid = { 7, 0 } },
		{ .ntags = 0 },
	};
	for (size_t i = 0; i <= sizeof(other) / sizeof(other[0]); i++) {
		const struct pppoe_vlan *v = i < 3 ? &other[i] : &q;

		hl = pppoe_sess_hdr_encode_vlan(frame, S(0)->mac, S(0)->disc.ac_mac, v,
						S(0)->disc.session_id, PPP_IP, sizeof(ip_down));
		memcpy(frame + hl, ip_down, sizeof(ip_down));
		assert_int_equal(pppoe_frame_decode(frame, hl + sizeof(ip_down), &f), 0);
		assert_int_equal(session_rx(S(0), &f, NULL, &ip, &iplen), i < 3 ? 0 : 1);
	}
	/* A client on untagged VLAN config is not served by a tagged AC. */
	session_stop(S(0), "test");
	run_for(2000);
	S(0)->disc.vlan = (struct pppoe_vlan){ 0 };
	t.c_tap = NULL;
	session_start(S(0));
	run_for(3000);
	assert_true(t.ac->stats.rx_other_vlan >= 2);
	assert_int_equal(S(0)->state, SESS_DISCOVERY);
}

static void test_pap_up(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	check_up_and_data();
	assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 1);
	assert_int_equal(t.ac->stats.tx[ACSIM_PAP_ACK], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 0);
}

static void test_chap_up(void **state)
{
	setup(ACSIM_AUTH_CHAP, 1);
	check_up_and_data();
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_CHALLENGE], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 1);
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_SUCCESS], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 0);
}

/* A lost PADO, PADS and Challenge only cost retransmissions. */
static void test_lossy_setup(void **state)
{
	setup(ACSIM_AUTH_CHAP, 1);
	t.ac->knobs.drop_tx[ACSIM_PADO] = 1;
	t.ac->knobs.drop_tx[ACSIM_PADS] = 1;
	t.ac->knobs.drop_tx[ACSIM_CHAP_CHALLENGE] = 1;
	bring_up(0);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 2);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADR], 2);
	assert_int_equal(t.ac->stats.tx_dropped[ACSIM_CHAP_CHALLENGE], 1);
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_CHALLENGE], 1);
	/* The retransmitted PADR got the same session, not a second one. */
	assert_int_equal(t.ac->stats.sessions_created, 1);
	assert_int_equal(acsim_sessions(t.ac), 1);
}

/* Wrong password: holdoff with doubling backoff and jitter, then maxfail. */
static void test_auth_fail_backoff(void **state)
{
	static const uint64_t base[] = { 2000, 4000, 8000, 10000 }; /* holdoff 2, max 10 */
	unsigned int k;

	setup(ACSIM_AUTH_PAP, 1);
	snprintf(t.conf.password, sizeof(t.conf.password), "wrong");
	t.conf.maxfail = 5;
	session_start(S(0));
	for (k = 0; k < 4; k++) {
		assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
		assert_int_equal(t.ac->stats.auth_fail, k + 1);
		assert_int_equal(S(0)->failures, k + 1);
		assert_non_null(strstr(S(0)->last_error, "auth"));
		assert_int_equal(t.ts[0].up_calls, 0);
		assert_jitter(wait_holdoff(0), base[k]);
		assert_int_equal(t.ac->stats.rx[ACSIM_PADI], k + 2);
	}
	/* Fifth failure: give up for good. */
	assert_true(RUN_UNTIL(S(0)->state == SESS_FAILED, 10000));
	assert_int_equal(t.ac->stats.auth_fail, 5);
	assert_int_equal(S(0)->dials, 5);
	run_ms(120000);
	assert_int_equal(S(0)->state, SESS_FAILED);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 5);
	assert_int_equal(acsim_sessions(t.ac), 0);
	/* An admin start dials again from scratch. */
	snprintf(t.conf.password, sizeof(t.conf.password), "secret");
	bring_up(0);
	assert_int_equal(S(0)->failures, 0);
}

/* The AC refuses whatever the password: same path, via the knob. */
static void test_auth_reject_chap(void **state)
{
	setup(ACSIM_AUTH_CHAP, 1);
	t.ac->knobs.auth_reject = true;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_FAILURE], 1);
	assert_int_equal(S(0)->ppp.reason, PPP_R_AUTH_FAIL);
	t.ac->knobs.auth_reject = false;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
}


/* ---- MS-CHAPv2 and auth = ... against acsim ------------------------------ */

static void test_mschapv2_up(void **state)
{
	static const enum ppp_auth_pref prefs[] = { PPP_AUTH_AUTO, PPP_AUTH_MSCHAPV2 };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (i)
			teardown(state);
		setup(ACSIM_AUTH_MSCHAPV2, 1);
		t.conf.ppp.auth = prefs[i];
		check_up_and_data();
		assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_CHALLENGE], 1);
		assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 1);
		assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_SUCCESS], 1);
		assert_int_equal(S(0)->ppp.lcp.chap_alg, 0x81);
		assert_true(S(0)->ppp.auth.succeeded);
	}
}

/* Wrong password: acsim's Failure (E=691) fails the session, holdoff. */
static void test_mschapv2_wrong_password(void **state)
{
	setup(ACSIM_AUTH_MSCHAPV2, 1);
	snprintf(t.conf.password, sizeof(t.conf.password), "wrong");
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(t.ac->stats.auth_fail, 1);
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_FAILURE], 1);
	assert_string_equal(S(0)->last_error, "auth-fail");
	assert_int_equal(t.ts[0].up_calls, 0);
	/* the right password next time */
	snprintf(t.conf.password, sizeof(t.conf.password), "secret");
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
}

/*
 * An AC that accepts our password but answers with a wrong authenticator
 * response, or none: it has not shown it knows the password, so the
 * session fails (acsim counts an accepted login, the client does not).
 */
static void test_mschapv2_bad_authenticator(void **state)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (i)
			teardown(state);
		setup(ACSIM_AUTH_MSCHAPV2, 1);
		if (i)
			t.ac->knobs.mschap_no_s = true;
		else
			t.ac->knobs.mschap_bad_s = true;
		session_start(S(0));
		assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
		assert_int_equal(t.ac->stats.auth_ok, 1);
		assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_SUCCESS], 1);
		assert_int_equal(t.ac->stats.ipcp_up, 0);
		assert_int_equal(t.ts[0].up_calls, 0);
		assert_string_equal(S(0)->last_error, "auth-fail");
		/* a Terminate-Request, then the PADT */
		assert_true(t.ac->stats.rx[ACSIM_LCP_TERMREQ] >= 1);
		assert_int_equal(acsim_sessions(t.ac), 0);
	}
}

/* An AC that asks for no authentication: up, whatever auth says. */
static void test_no_auth_up(void **state)
{
	static const enum ppp_auth_pref prefs[] = { PPP_AUTH_AUTO, PPP_AUTH_PAP, PPP_AUTH_CHAP,
						    PPP_AUTH_MSCHAPV2 };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (i)
			teardown(state);
		setup(ACSIM_AUTH_NONE, 1);
		t.conf.ppp.auth = prefs[i];
		bring_up(0);
		assert_int_equal(S(0)->ppp.lcp.auth_proto, 0);
		assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 0);
		assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 0);
	}
}

/*
 * auth = pap against an AC that insists on MS-CHAPv2: our Nak, the AC ends
 * the link (at once, or as pppd does after dropping the option and
 * letting LCP open): an authentication failure, a holdoff, no hang; the
 * AC sees no authentication attempt at all.
 */
static void test_auth_restricted_refused(void **state)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (i)
			teardown(state);
		setup(ACSIM_AUTH_MSCHAPV2, 1);
		t.conf.ppp.auth = PPP_AUTH_PAP;
		t.ac->knobs.auth_drop_on_nak = i == 1;
		session_start(S(0));
		assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 20000));
		assert_int_equal(t.ac->stats.rx[ACSIM_LCP_CONFNAK], 1);
		assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 0);
		assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 0);
		assert_int_equal(S(0)->ppp.reason, PPP_R_AUTH_FAIL);
		assert_string_equal(S(0)->last_error, "auth-fail");
		assert_int_equal(t.ts[0].up_calls, 0);
	}
}

/* An AC that takes our suggestion: MS-CHAPv2 asked, PAP done, and back. */
static void test_auth_restricted_taken(void **state)
{
	setup(ACSIM_AUTH_MSCHAPV2, 1);
	t.ac->conf.auth_also = ACSIM_AUTH_BIT(ACSIM_AUTH_PAP);
	t.conf.ppp.auth = PPP_AUTH_PAP;
	bring_up(0);
	assert_int_equal(S(0)->ppp.lcp.auth_proto, PPP_PAP);
	assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 1);
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_CHALLENGE], 0);
	teardown(state);

	setup(ACSIM_AUTH_PAP, 1);
	t.ac->conf.auth_also = ACSIM_AUTH_BIT(ACSIM_AUTH_MSCHAPV2);
	t.conf.ppp.auth = PPP_AUTH_MSCHAPV2;
	bring_up(0);
	assert_int_equal(S(0)->ppp.lcp.chap_alg, 0x81);
	assert_int_equal(t.ac->stats.tx[ACSIM_CHAP_SUCCESS], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 0);
}

/* PADT from the AC: down, redial after the holdoff, up again. */
static void test_ac_padt(void **state)
{
	struct tsess *ts;

	setup(ACSIM_AUTH_PAP, 1);
	ts = &t.ts[0];
	bring_up(0);
	assert_int_equal(acsim_send_padt(ac_of(0), "maintenance"), 0);
	pump();
	assert_int_equal(ts->down_calls, 1);
	assert_int_equal(ts->unbound_calls, 1);
	assert_false(ppp_ip_ok(&S(0)->ppp));
	assert_jitter(wait_holdoff(0), 2000);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
	assert_int_equal(ts->up_calls, 2);
	assert_int_equal(ts->bound_calls, 2);
	assert_net(0, ACSIM_IP4(10, 64, 0, 100));
	/* Session ids go round: the new session is 2. */
	assert_int_equal(S(0)->disc.session_id, 2);
	/* The AC ended it: the client has nothing to PADT. */
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	assert_int_equal(S(0)->failures, 0);
}

/* PADTs from a stranger or for another session id change nothing. */
static void test_stray_padt(void **state)
{
	static const uint8_t stranger[6] = { 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 };
	uint16_t sid;

	setup(ACSIM_AUTH_PAP, 1);
	bring_up(0);
	sid = S(0)->disc.session_id;
	acsim_inject_padt(t.ac, stranger, S(0)->mac, sid);
	acsim_inject_padt(t.ac, NULL, S(0)->mac, (uint16_t)(sid + 1));
	acsim_inject_padt(t.ac, NULL, S(0)->mac, 0);
	run_ms(5000);
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 0);
	assert_int_equal(S(0)->disc.session_id, sid);
}

/* The AC stops answering echoes: after the first miss, probes every
 * echo_probe (2 s): dead echo_failure probes after the first lost echo,
 * PADT, redial. */
static void test_echo_failure(void **state)
{
	struct tsess *ts;
	unsigned int mark;
	uint64_t t_first, t_dead;
	int first, padt;

	setup(ACSIM_AUTH_PAP, 1);
	ts = &t.ts[0];
	t.conf.ppp.echo_interval = 5;
	t.conf.ppp.echo_failure = 3;
	bring_up(0);
	run_ms(12000);
	assert_up(0);
	assert_true(t.ac->stats.tx[ACSIM_LCP_ECHOREP] >= 2);

	t.ac->knobs.drop_rx[ACSIM_LCP_ECHOREQ] = ACSIM_FOREVER;
	mark = t.nlog;
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 60000));
	t_dead = t.wheel.now;
	first = log_find(ACSIM_LCP_ECHOREQ, mark);
	assert_true(first >= 0);
	t_first = t.log[first].when;
	/* echo_failure unanswered requests, the probe time apart, then dead. */
	if (t_dead - t_first < 6000 || t_dead - t_first > 6000 + STEP_MS)
		fail_msg("link declared dead %llu ms after the first lost echo",
			 (unsigned long long)(t_dead - t_first));
	assert_int_equal(t.ac->stats.rx_dropped[ACSIM_LCP_ECHOREQ], 3);
	assert_int_equal(ts->down_calls, 1);

	t.ac->knobs.drop_rx[ACSIM_LCP_ECHOREQ] = 0;
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
	padt = log_find(ACSIM_PADT, mark);
	assert_true(padt > first);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 1);
	assert_int_equal(acsim_sessions(t.ac), 0);
	wait_holdoff(0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
	assert_int_equal(ts->up_calls, 2);
}

/* session_stop: Terminate-Request, PADT only after the AC's Terminate-Ack. */
static void test_stop(void **state)
{
	struct tsess *ts;
	unsigned int mark, padi;
	int treq, padt;

	setup(ACSIM_AUTH_PAP, 1);
	ts = &t.ts[0];
	bring_up(0);
	padi = t.ac->stats.rx[ACSIM_PADI];
	/* Lose the first Terminate-Ack: the PADT must wait for the second. */
	t.ac->knobs.drop_tx[ACSIM_LCP_TERMACK] = 1;
	mark = t.nlog;
	session_stop(S(0), "admin stop");
	pump();
	assert_int_equal(S(0)->state, SESS_TERMINATING);
	treq = log_find(ACSIM_LCP_TERMREQ, mark);
	assert_true(treq >= 0);
	assert_int_equal(log_find(ACSIM_PADT, mark), -1);
	assert_int_equal(ts->down_calls, 1);

	assert_true(RUN_UNTIL(S(0)->state == SESS_IDLE, 10000));
	padt = log_find(ACSIM_PADT, mark);
	assert_true(padt > treq);
	assert_int_equal(t.ac->stats.rx[ACSIM_LCP_TERMREQ], 2);
	assert_int_equal(t.ac->stats.tx[ACSIM_LCP_TERMACK], 1);
	assert_true(t.log[padt].when >= t.log[treq].when + 1000);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 1);
	assert_int_equal(acsim_sessions(t.ac), 0);
	assert_int_equal(ts->unbound_calls, 1);
	assert_true(session_is_quiet(S(0)));

	run_ms(60000);
	assert_int_equal(S(0)->state, SESS_IDLE);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], padi);
}

/* session_abort: PADT at once, no Terminate-Request, no redial. */
static void test_abort(void **state)
{
	struct tsess *ts;
	unsigned int mark, padi;

	setup(ACSIM_AUTH_PAP, 1);
	ts = &t.ts[0];
	bring_up(0);
	padi = t.ac->stats.rx[ACSIM_PADI];
	mark = t.nlog;
	session_abort(S(0), "shutdown");
	assert_int_equal(S(0)->state, SESS_IDLE);
	assert_int_equal(t.nlog, mark + 1);
	assert_int_equal(t.log[mark].kind, ACSIM_PADT);
	pump();
	assert_int_equal(ts->down_calls, 1);
	assert_int_equal(ts->unbound_calls, 1);
	assert_int_equal(acsim_sessions(t.ac), 0);
	assert_true(session_is_quiet(S(0)));
	run_ms(60000);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], padi);
	assert_int_equal(t.ac->stats.rx[ACSIM_LCP_TERMREQ], 0);
}

/* The AC terminates LCP: the client acks, sends PADT or takes the AC's, redials. */
static void test_ac_termreq(void **state)
{
	struct tsess *ts;

	setup(ACSIM_AUTH_PAP, 1);
	ts = &t.ts[0];
	bring_up(0);
	assert_int_equal(acsim_send_termreq(ac_of(0), "admin reset"), 0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(t.ac->stats.rx[ACSIM_LCP_TERMACK], 1);
	assert_int_equal(S(0)->ppp.reason, PPP_R_PEER_TERM);
	assert_int_equal(ts->down_calls, 1);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
	assert_int_equal(ts->up_calls, 2);
}

/* A Configure-Request from the AC on an opened link renegotiates everything. */
static void test_renegotiation(void **state)
{
	struct tsess *ts;
	uint16_t sid;

	setup(ACSIM_AUTH_CHAP, 1);
	ts = &t.ts[0];
	bring_up(0);
	sid = S(0)->disc.session_id;
	assert_int_equal(acsim_renegotiate(ac_of(0)), 0);
	assert_true(RUN_UNTIL(ts->up_calls == 2, 10000));
	assert_up(0);
	assert_int_equal(ts->down_calls, 1);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	assert_int_equal(t.ac->stats.ipcp_up, 2);
	/* Same PPPoE session all along. */
	assert_int_equal(S(0)->disc.session_id, sid);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	assert_net(0, ACSIM_IP4(10, 64, 0, 100));
}

/* PADS with an error tag, then session id 0: discovery fails, holdoff. */
static void test_pads_refused(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.pads_error_tag = TAG_SERVICE_NAME_ERROR;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(acsim_sessions(t.ac), 0);
	t.ac->knobs.pads_error_tag = 0;
	t.ac->knobs.pads_session_zero = true;
	wait_holdoff(0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(S(0)->failures, 2);
	t.ac->knobs.pads_session_zero = false;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
}

/* The AC reboots: session frames get PADT back, the client redials. */
static void test_ac_restart(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.conf.ppp.echo_interval = 5;
	t.conf.ppp.echo_failure = 3;
	bring_up(0);
	acsim_restart(t.ac);
	t.ac->knobs.padt_unknown_session = true;
	/* The next echo hits no session and draws a PADT. */
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 10000));
	assert_int_equal(t.ac->stats.rx_no_session, 1);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
	assert_int_equal(t.ts[0].up_calls, 2);
}

/* The AC asks for a smaller MRU and rejects the client's Magic-Number. */
static void test_lcp_nak_rej(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.lcp_nak_mru = 1400;
	t.ac->knobs.lcp_reject[5] = true;
	bring_up(0);
	assert_int_equal(ac_of(0)->peer_mru, 1400);
	assert_int_equal(ac_of(0)->peer_magic, 0);
	assert_true(t.ac->stats.tx[ACSIM_LCP_CONFNAK] >= 1);
	assert_true(t.ac->stats.tx[ACSIM_LCP_CONFREJ] >= 1);
	/* ppp.h: the MTU is min(our MRU, peer MRU). */
	assert_int_equal(t.ts[0].net.mtu, 1400);
}

/* The AC's own echoes are answered. */
static void test_ac_echo(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.acconf.echo_interval_ms = 2000;
	t.ac->conf.echo_interval_ms = 2000;
	bring_up(0);
	run_ms(10000);
	assert_true(t.ac->stats.tx[ACSIM_LCP_ECHOREQ] >= 4);
	assert_int_equal(t.ac->stats.rx[ACSIM_LCP_ECHOREP], t.ac->stats.tx[ACSIM_LCP_ECHOREQ]);
	assert_int_equal(ac_of(0)->echo_pending, 0);
}

/* The AC comes back under another MAC: echoes die, the client finds it again. */
static void test_ac_mac_change(void **state)
{
	static const uint8_t mac2[6] = { 0x02, 0xac, 0x51, 0x00, 0x00, 0x02 };

	setup(ACSIM_AUTH_PAP, 1);
	t.conf.ppp.echo_interval = 5;
	t.conf.ppp.echo_failure = 3;
	bring_up(0);
	acsim_restart(t.ac);
	acsim_set_mac(t.ac, mac2);
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 30000));
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
	assert_true(t.ac->stats.rx_not_ours > 0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 30000));
	assert_memory_equal(S(0)->disc.ac_mac, mac2, 6);
	assert_int_equal(t.ts[0].up_calls, 2);
}

/* PADT while LCP is still negotiating: no PADT back, holdoff, redial. */
static void test_padt_during_lcp(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFREQ] = ACSIM_FOREVER;
	session_start(S(0));
	run_ms(500);
	assert_int_equal(S(0)->state, SESS_PPP);
	acsim_send_padt(ac_of(0), NULL);
	pump();
	assert_int_equal(S(0)->state, SESS_HOLDOFF);
	assert_int_equal(t.ts[0].unbound_calls, 1);
	assert_int_equal(t.ts[0].down_calls, 0);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFREQ] = 0;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
}

/* session_stop while discovering: silence, no PADT, idle. */
static void test_stop_in_discovery(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.drop_tx[ACSIM_PADO] = ACSIM_FOREVER;
	session_start(S(0));
	run_ms(1500);
	assert_int_equal(S(0)->state, SESS_DISCOVERY);
	session_stop(S(0), "admin stop");
	assert_int_equal(S(0)->state, SESS_IDLE);
	run_ms(60000);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 2);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	assert_true(session_is_quiet(S(0)));
}

/* session_stop while LCP is negotiating: Terminate-Request, PADT, idle. */
static void test_stop_in_lcp(void **state)
{
	unsigned int mark;

	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFREQ] = ACSIM_FOREVER;
	session_start(S(0));
	run_ms(500);
	assert_int_equal(S(0)->state, SESS_PPP);
	mark = t.nlog;
	session_stop(S(0), "admin stop");
	assert_true(RUN_UNTIL(S(0)->state == SESS_IDLE, 10000));
	assert_true(log_find(ACSIM_LCP_TERMREQ, mark) >= 0);
	assert_true(log_find(ACSIM_PADT, mark) > log_find(ACSIM_LCP_TERMREQ, mark));
	assert_int_equal(acsim_sessions(t.ac), 0);
	assert_int_equal(t.ts[0].up_calls, 0);
	assert_int_equal(t.ts[0].down_calls, 0);
	run_ms(30000);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
}

/* CHAP rechallenge on an opened link: answered, network stays up. */
static void test_chap_rechallenge(void **state)
{
	setup(ACSIM_AUTH_CHAP, 1);
	bring_up(0);
	assert_int_equal(acsim_chap_rechallenge(ac_of(0)), 0);
	pump();
	assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 2);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 0);
	assert_int_equal(t.ac->stats.ipcp_up, 1);
}

/* A datagram before IPCP is up is dropped, not delivered. */
static void test_ip_before_network(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.drop_tx[ACSIM_PAP_ACK] = ACSIM_FOREVER;
	session_start(S(0));
	run_ms(500);
	assert_int_equal(S(0)->state, SESS_PPP);
	acsim_send_ppp(ac_of(0), PPP_IP, ip_down, sizeof(ip_down));
	pump();
	assert_int_equal(t.ts[0].ip_rx, 0);
	assert_int_equal(S(0)->stats.rx_dropped, 1);
}

/* PADT from the AC while our Terminate-Request is out: idle, no PADT back. */
static void test_padt_while_stopping(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	bring_up(0);
	t.ac->knobs.drop_rx[ACSIM_LCP_TERMREQ] = ACSIM_FOREVER;
	session_stop(S(0), "admin stop");
	pump();
	assert_int_equal(S(0)->state, SESS_TERMINATING);
	acsim_send_padt(ac_of(0), NULL);
	pump();
	assert_int_equal(S(0)->state, SESS_IDLE);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	assert_int_equal(t.ts[0].unbound_calls, 1);
	run_ms(30000);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
}

/* session_redial on a live session: PADT, then a fresh dial at once. */
static void test_redial(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	bring_up(0);
	session_redial(S(0), "operator");
	pump();
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 1);
	assert_int_equal(S(0)->state, SESS_UP);
	assert_int_equal(t.ts[0].up_calls, 2);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 2);
	assert_int_equal(S(0)->failures, 0);
}

/* An AC without DNS servers rejects the options; the link comes up anyway. */
static void test_no_dns(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->conf.dns1 = 0;
	t.ac->conf.dns2 = 0;
	bring_up(0);
	assert_true(t.ac->stats.tx[ACSIM_IPCP_CONFREJ] >= 1);
	assert_int_equal(t.ts[0].net.dns1, 0);
	assert_int_equal(t.ts[0].net.dns2, 0);
	assert_int_equal(t.ts[0].net.local, htonl(ACSIM_IP4(10, 64, 0, 100)));
}

/*
 * Stop, then start again before the Terminate-Ack (an operator's quick
 * restart): session_start() means "dial now", and our own close is not a
 * failure, so no holdoff and, with maxfail = 1, certainly not SESS_FAILED.
 */
static void test_stop_then_start(void **state)
{
	uint64_t t0;

	setup(ACSIM_AUTH_PAP, 1);
	t.conf.maxfail = 1;
	bring_up(0);
	t.ac->knobs.drop_tx[ACSIM_LCP_TERMACK] = 1;
	session_stop(S(0), "admin stop");
	pump();
	assert_int_equal(S(0)->state, SESS_TERMINATING);
	session_start(S(0));
	t0 = t.wheel.now;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP || S(0)->state == SESS_FAILED ||
			      S(0)->state == SESS_HOLDOFF, 20000));
	if (S(0)->state != SESS_UP)
		fail_msg("stop+start while terminating ended in %s with %u failure(s) "
			 "(session.c: session_ppp_dead counts our own admin close as a "
			 "failure when admin_up was set again)",
			 session_state_name(S(0)->state), S(0)->failures);
	/* The restart waited only for the Terminate-Request retransmission. */
	assert_true(t.wheel.now - t0 <= 3000 + STEP_MS);
	assert_int_equal(S(0)->failures, 0);
	assert_int_equal(t.ts[0].up_calls, 2);
}

/* IPCP alone renegotiated by the AC: network down and up, LCP untouched. */
static void test_ipcp_renegotiation(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	bring_up(0);
	assert_int_equal(acsim_ipcp_renegotiate(ac_of(0)), 0);
	assert_true(RUN_UNTIL(t.ts[0].up_calls == 2, 10000));
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 1);
	assert_int_equal(t.ac->stats.auth_ok, 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_LCP_CONFREQ], 1);
	assert_net(0, ACSIM_IP4(10, 64, 0, 100));
}

/* A lost PAP Ack: the client asks again and the AC acks again. */
static void test_pap_ack_lost(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.drop_tx[ACSIM_PAP_ACK] = 1;
	bring_up(0);
	assert_int_equal(t.ac->stats.rx[ACSIM_PAP_REQ], 2);
	assert_int_equal(t.ac->stats.tx[ACSIM_PAP_ACK], 1);
	assert_int_equal(t.ac->stats.auth_ok, 1);
}

/* LCP renegotiated by the AC while the client still waits for its PAP Ack. */
static void test_renegotiation_during_auth(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.drop_tx[ACSIM_PAP_ACK] = 1;
	session_start(S(0));
	run_ms(500);
	assert_int_equal(S(0)->ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(acsim_renegotiate(ac_of(0)), 0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
	assert_int_equal(t.ts[0].up_calls, 1);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
}

/* An AC that Naks forever: the client gives up on its own, then redials. */
static void test_nak_loop(void **state)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.ac->knobs.ipcp_nak_loop = true;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(S(0)->ppp.reason, PPP_R_NEG_FAIL);
	assert_true(t.ac->stats.tx[ACSIM_IPCP_CONFNAK] < 50);
	assert_int_equal(t.ts[0].up_calls, 0);
	t.ac->knobs.ipcp_nak_loop = false;
	t.ac->knobs.lcp_nak_loop = true;
	wait_holdoff(0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(S(0)->ppp.reason, PPP_R_NEG_FAIL);
	assert_true(t.ac->stats.tx[ACSIM_LCP_CONFNAK] < 50);
	t.ac->knobs.lcp_nak_loop = false;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
}

/* ---- resuming a session an earlier run of the owner left up --------------- */

/*
 * The frames both sides put on the wire, taken apart below with a few
 * lines of our own (not the client's codecs), so identifiers and magic
 * numbers come from the wire, never from the client's state.
 */
#define RCAP_MAX 512
#define RCAP_BYTES 64

struct rcap {
	uint64_t when;
	enum acsim_pkt kind;
	size_t len;
	uint8_t d[RCAP_BYTES];
};

static struct {
	struct rcap c[RCAP_MAX]; /* client -> AC */
	unsigned int nc;
	struct rcap a[RCAP_MAX]; /* AC -> client */
	unsigned int na;
} rc;

static void rcap_put(struct rcap *arr, unsigned int *n, const uint8_t *frame, size_t len)
{
	struct rcap *c;

	assert_true(*n < RCAP_MAX);
	c = &arr[(*n)++];
	c->when = t.wheel.now;
	c->kind = acsim_classify(frame, len);
	c->len = len;
	memcpy(c->d, frame, len < RCAP_BYTES ? len : RCAP_BYTES);
}

static void rtap_client(unsigned int sess, const uint8_t *frame, size_t len)
{
	(void)sess;
	rcap_put(rc.c, &rc.nc, frame, len);
}

static void rtap_ac(const uint8_t *frame, size_t len)
{
	rcap_put(rc.a, &rc.na, frame, len);
}

static uint16_t rget16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rget32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * rcap_lcp - an LCP packet of @code in a PPPoE session frame: its
 * identifier and (for Echo) the Magic-Number; false if @c is not one.
 *   dst(6) src(6) 0x8864 | 0x11 0x00 SID(2) LEN(2) | 0xc021 | code id len(2) data
 */
static bool rcap_lcp(const struct rcap *c, uint8_t code, uint8_t *id, uint32_t *magic)
{
	if (c->len < 30 || rget16(c->d + 12) != ETH_P_PPP_SES_ || c->d[14] != 0x11 ||
	    c->d[15] != 0 || rget16(c->d + 20) != PPP_LCP || c->d[22] != code)
		return false;
	*id = c->d[23];
	*magic = rget32(c->d + 26);
	return true;
}

/* rcap_count - client frames of @kind from index @from on */
static unsigned int rcap_count(enum acsim_pkt kind, unsigned int from)
{
	unsigned int i, n = 0;

	for (i = from; i < rc.nc; i++)
		n += rc.c[i].kind == kind;
	return n;
}

/* rcap_find - the first client frame of @kind from index @from on, or -1 */
static int rcap_find(enum acsim_pkt kind, unsigned int from)
{
	unsigned int i;

	for (i = from; i < rc.nc; i++)
		if (rc.c[i].kind == kind)
			return (int)i;
	return -1;
}

/* rsetup - the harness with the taps on and echoes every 10 s, 3 probes */
static void rsetup(enum acsim_auth auth, unsigned int n)
{
	memset(&rc, 0, sizeof(rc));
	setup(auth, n);
	t.c_tap = rtap_client;
	t.a_tap = rtap_ac;
	t.conf.ppp.echo_interval = 10;
	t.conf.ppp.echo_failure = 3;
	t.conf.ppp.echo_probe_ms = 2000;
}

/* An owner that has died: what its session still "sends" reaches nobody. */
static int c_output_lost(struct session *s, const uint8_t *frame, size_t len)
{
	(void)s;
	(void)frame;
	(void)len;
	return 0;
}

static const struct session_ops c_ops_dead_owner = {
	.output = c_output_lost,
	.net_up = c_net_up,
	.net_down = c_net_down,
	.bound = c_bound,
	.unbound = c_unbound,
};

/*
 * crash - the owner of session @i dies (SIGKILL: not a frame more) and a
 * new run starts with a fresh, idle session of the same name and MAC. The
 * AC still holds the PPPoE session. The old session is torn down with its
 * output cut off, so none of its timers outlives it.
 */
static void crash(unsigned int i)
{
	struct tsess *ts = &t.ts[i];
	uint8_t mac[6];

	pump();
	memcpy(mac, ts->s.mac, 6);
	ts->s.ops = &c_ops_dead_owner;
	session_abort(&ts->s, "crash");
	memset(ts, 0, sizeof(*ts));
	session_init(&ts->s, &t.conf, &c_ops, &t.wheel, mac, i, ts);
	assert_int_equal(ts->s.state, SESS_IDLE);
}

/* resume_record_of - bring session @i up, record it, crash its owner */
static void resume_record_of(unsigned int i, struct session_resume *r)
{
	bring_up(i);
	run_ms(1000);
	assert_true(session_resume_get(S(i), r));
	crash(i);
	assert_true(acsim_sess_up(acsim_find(t.ac, S(i)->mac, r->session_id)));
}

/* A record made up by hand, with values no default would produce. */
static const uint8_t rec_ac_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x12, 0x34 };

static void rec_make(struct session_resume *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->ac_mac, rec_ac_mac, 6);
	r->session_id = 0x1234;
	snprintf(r->ac_name, sizeof(r->ac_name), "BRAS-7");
	r->ppp.magic = 0xc0ffee01;
	r->ppp.peer_magic = 0x5eed0002;
	r->ppp.mru = 1480;
	r->ppp.peer_mru = 1460;
	r->ppp.auth_proto = PPP_PAP;
	r->ppp.net.local = htonl(ACSIM_IP4(10, 64, 3, 7));
	r->ppp.net.peer = htonl(ACSIM_IP4(10, 64, 0, 1));
	r->ppp.net.dns1 = htonl(ACSIM_IP4(10, 64, 0, 53));
	r->ppp.net.dns2 = htonl(ACSIM_IP4(10, 64, 0, 54));
	r->ppp.net.mtu = 1460;
	r->ppp.last_rx_ms = t.wheel.now - 3000;
	r->up_since_ms = t.wheel.now - 600000;
}

/* frame_to_client - a session frame as the AC @src would send it */
static size_t frame_to_client(uint8_t *f, const uint8_t src[6], const uint8_t dst[6],
			      uint16_t sid, uint16_t proto, const uint8_t *data, size_t len)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0x64;
	f[14] = 0x11;
	f[15] = 0;
	f[16] = (uint8_t)(sid >> 8);
	f[17] = (uint8_t)sid;
	f[18] = (uint8_t)((len + 2) >> 8);
	f[19] = (uint8_t)(len + 2);
	f[20] = (uint8_t)(proto >> 8);
	f[21] = (uint8_t)proto;
	memcpy(f + 22, data, len);
	return 22 + len;
}

/*
 * An idle session resumed from a record: up at once, bound, the network
 * not brought up again (the owner's interface kept it), and an
 * Echo-Request on the wire before the clock moves, with the recorded
 * magic, to the recorded AC MAC, on the recorded PPPoE session.
 */
static void test_resume_idle(void **state)
{
	struct tsess *ts;
	struct session_resume r;
	uint8_t f[128], id;
	uint32_t magic;
	size_t len;

	rsetup(ACSIM_AUTH_PAP, 1);
	ts = &t.ts[0];
	rec_make(&r);
	assert_int_equal(session_resume(S(0), &r), 0);

	assert_int_equal(S(0)->state, SESS_UP);
	assert_true(S(0)->bound);
	assert_int_equal(ts->bound_calls, 1);
	assert_int_equal(ts->up_calls, 0);
	assert_true(ppp_ip_ok(&S(0)->ppp));
	/* Exactly one frame, sent from inside session_resume. */
	assert_int_equal(rc.nc, 1);
	assert_int_equal(rc.c[0].when, T0_MS);
	assert_int_equal(rc.c[0].kind, ACSIM_LCP_ECHOREQ);
	assert_true(rcap_lcp(&rc.c[0], 9, &id, &magic));
	assert_int_equal(magic, r.ppp.magic);
	assert_memory_equal(rc.c[0].d, rec_ac_mac, 6);
	assert_memory_equal(rc.c[0].d + 6, S(0)->mac, 6);
	assert_int_equal(rget16(rc.c[0].d + 16), 0x1234);
	assert_int_equal(rget16(rc.c[0].d + 24), 8); /* LCP length: header + magic */

	/* Datagrams flow at once on the recorded session, and only there. */
	len = frame_to_client(f, rec_ac_mac, S(0)->mac, 0x1234, PPP_IP, ip_down, sizeof(ip_down));
	acsim_inject(t.ac, f, len);
	len = frame_to_client(f, rec_ac_mac, S(0)->mac, 0x1235, PPP_IP, ip_down, sizeof(ip_down));
	acsim_inject(t.ac, f, len);
	len = frame_to_client(f, t.ac->mac, S(0)->mac, 0x1234, PPP_IP, ip_down, sizeof(ip_down));
	acsim_inject(t.ac, f, len);
	pump();
	assert_int_equal(ts->ip_rx, 1);
	assert_memory_equal(ts->ip, ip_down, sizeof(ip_down));

	/* No dial, no network up, ever (within an echo probe). */
	run_ms(1000);
	assert_int_equal(S(0)->state, SESS_UP);
	assert_int_equal(ts->up_calls, 0);
	assert_int_equal(ts->down_calls, 0);
	assert_int_equal(rcap_count(ACSIM_PADI, 0), 0);
	assert_int_equal(S(0)->dials, 0);
	assert_int_equal(ts->unbound_calls, 0);
}

/* The AC's Echo-Request on a resumed link: answered with our recorded magic. */
static void test_resume_answers_echo(void **state)
{
	struct session_resume r;
	unsigned int na, nc;
	uint8_t ac_id, id;
	uint32_t magic;
	int i;

	rsetup(ACSIM_AUTH_PAP, 1);
	resume_record_of(0, &r);
	assert_int_equal(session_resume(S(0), &r), 0);
	run_ms(1000);
	na = rc.na;
	nc = rc.nc;
	assert_int_equal(acsim_send_echo(ac_of(0)), 0);
	pump();
	/* The AC's request, as the client got it... */
	assert_int_equal(rc.na, na + 1);
	assert_true(rcap_lcp(&rc.a[na], 9, &ac_id, &magic));
	assert_int_equal(magic, ac_of(0)->magic);
	/* ...and the client's reply: same identifier, our recorded magic. */
	i = rcap_find(ACSIM_LCP_ECHOREP, nc);
	assert_true(i >= 0);
	assert_int_equal(rc.nc, nc + 1);
	assert_true(rcap_lcp(&rc.c[i], 10, &id, &magic));
	assert_int_equal(id, ac_id);
	assert_int_equal(magic, r.ppp.magic);
	assert_int_equal(magic, ac_of(0)->peer_magic);
	assert_int_equal(rget16(rc.c[i].d + 16), r.session_id);
	assert_int_equal(ac_of(0)->rx_echo_rep, 1);
	assert_int_equal(S(0)->state, SESS_UP);
}

/*
 * Stop answering echoes and say the AC is alive on other sessions: a
 * confirmed link gets the busy-peer grace (still up after echo_failure
 * probes, dead LCP_ECHO_BUSY_MAX_MS after the first unanswered echo).
 * @t_echo is when the last answered echo went out.
 */
static void assert_busy_grace(uint64_t t_echo)
{
	uint64_t first = t_echo + 10000; /* the next echo after a 10 s interval */
	unsigned int downs = t.ts[0].down_calls;

	t.ac_alive = true;
	t.ac->knobs.echo_silent = true;
	run_ms(first + 3 * 2000 + 5000 - t.wheel.now);
	assert_int_equal(S(0)->state, SESS_UP);
	assert_int_equal(t.ts[0].down_calls, downs);
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, LCP_ECHO_BUSY_MAX_MS));
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
	assert_true(t.wheel.now >= first + LCP_ECHO_BUSY_MAX_MS);
	assert_true(t.wheel.now <= first + LCP_ECHO_BUSY_MAX_MS + 2000 + STEP_MS);
}

/*
 * An Echo-Reply to the confirming echo (identifier from the wire) confirms
 * the resumed link: it is timed, and from then on the link is like any
 * other, busy-peer grace included, so it outlives echo_failure probes.
 */
static void test_resume_confirmed(void **state)
{
	struct session_resume r;
	uint8_t rep[8], id;
	uint32_t magic, am;
	uint64_t sent;

	rsetup(ACSIM_AUTH_PAP, 1);
	resume_record_of(0, &r);
	t.ac->knobs.echo_silent = true;
	assert_int_equal(session_resume(S(0), &r), 0);
	assert_int_equal(rc.c[rc.nc - 1].kind, ACSIM_LCP_ECHOREQ);
	assert_true(rcap_lcp(&rc.c[rc.nc - 1], 9, &id, &magic));
	sent = rc.c[rc.nc - 1].when;
	assert_true(S(0)->ppp.lcp.confirming);
	run_ms(500);
	assert_true(S(0)->ppp.lcp.confirming);

	/* The AC's Echo-Reply, built here: the request's identifier, its magic. */
	am = ac_of(0)->magic;
	rep[0] = 10;
	rep[1] = id;
	rep[2] = 0;
	rep[3] = 8;
	rep[4] = (uint8_t)(am >> 24);
	rep[5] = (uint8_t)(am >> 16);
	rep[6] = (uint8_t)(am >> 8);
	rep[7] = (uint8_t)am;
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_LCP, rep, sizeof(rep)), 0);
	pump();
	assert_false(S(0)->ppp.lcp.confirming);
	assert_int_equal(S(0)->ppp.echo_rtt_us, (t.wheel.now - sent) * 1000);
	assert_int_equal(S(0)->ppp.lcp.echo_pending, 0);

	assert_busy_grace(sent);
	assert_int_equal(t.ts[0].up_calls, 0);
}

/* With echo_adaptive, any frame from the peer confirms as well as a reply. */
static void test_resume_confirmed_by_data(void **state)
{
	struct session_resume r;
	uint64_t sent;

	rsetup(ACSIM_AUTH_PAP, 1);
	t.conf.ppp.echo_adaptive = true;
	resume_record_of(0, &r);
	t.ac->knobs.echo_silent = true;
	assert_int_equal(session_resume(S(0), &r), 0);
	sent = rc.c[rc.nc - 1].when;
	run_ms(500);
	assert_int_equal(acsim_send_ip(ac_of(0), ip_down, sizeof(ip_down)), 0);
	run_ms(2000); /* the probe time: the echo timer looks at what came */
	assert_false(S(0)->ppp.lcp.confirming);
	assert_int_equal(t.ts[0].ip_rx, 1);
	/* Adaptive: idle counts from the datagram, 500 ms after the echo. */
	assert_busy_grace(sent + 500);
}

/*
 * Nobody answers the confirming echo (the AC restarted and forgot the
 * session): after echo_failure probes the link fails like an echo timeout,
 * PADT on the recorded session, then a dial. The owner saying the AC is
 * alive does not help a link nobody confirmed. The session then dialed
 * is an ordinary one: for it the busy-peer grace applies as before.
 */
static void test_resume_unanswered(void **state)
{
	struct session_resume r;
	unsigned int mark, i, n = 0;
	uint64_t t0;
	uint8_t id, ids[8];
	uint32_t magic;
	int padt, padi;

	rsetup(ACSIM_AUTH_PAP, 1);
	resume_record_of(0, &r);
	acsim_restart(t.ac);
	t.ac_alive = true;
	mark = rc.nc;
	t0 = t.wheel.now;
	assert_int_equal(session_resume(S(0), &r), 0);
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 30000));
	/* echo_failure echoes, the probe time apart, then dead. */
	if (t.wheel.now - t0 < 3 * 2000 || t.wheel.now - t0 > 3 * 2000 + STEP_MS)
		fail_msg("unconfirmed resumed link declared dead %llu ms after resume",
			 (unsigned long long)(t.wheel.now - t0));
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
	assert_int_equal(t.echo_missed, 1);
	for (i = mark; i < rc.nc; i++) {
		if (rc.c[i].kind != ACSIM_LCP_ECHOREQ)
			continue;
		assert_true(n < 8);
		assert_true(rcap_lcp(&rc.c[i], 9, &id, &magic));
		assert_int_equal(magic, r.ppp.magic);
		assert_int_equal(rget16(rc.c[i].d + 16), r.session_id);
		assert_memory_equal(rc.c[i].d, r.ac_mac, 6);
		assert_true(!n || id != ids[n - 1]);
		ids[n++] = id;
	}
	assert_int_equal(n, 3);

	/* PADT for the recorded session, then a new dial. */
	assert_true(RUN_UNTIL(rcap_find(ACSIM_PADI, mark) >= 0, 30000));
	padt = rcap_find(ACSIM_PADT, mark);
	padi = rcap_find(ACSIM_PADI, mark);
	assert_true(padt >= 0 && padt < padi);
	assert_int_equal(rcap_count(ACSIM_PADT, mark), 1);
	assert_memory_equal(rc.c[padt].d, r.ac_mac, 6);
	assert_memory_equal(rc.c[padt].d + 6, S(0)->mac, 6);
	assert_int_equal(rget16(rc.c[padt].d + 12), ETH_P_PPP_DISC_);
	assert_int_equal(rc.c[padt].d[15], 0xa7);
	assert_int_equal(rget16(rc.c[padt].d + 16), r.session_id);
	assert_int_equal(t.ts[0].unbound_calls, 1);
	assert_int_equal(t.ts[0].down_calls, 1);

	/* The fresh dial: up through a full negotiation. */
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
	assert_int_equal(t.ts[0].up_calls, 1);
	assert_false(S(0)->ppp.lcp.confirming);
	assert_busy_grace(t.wheel.now);
}

/*
 * lcp_echo_interval = 0 (no supervision) and lcp_echo_failure = 0: a
 * resumed link is still confirmed by echo. Unanswered (the AC restarted),
 * it ends after LCP_CONFIRM_FAILURE probes; answered, no echo follows.
 */
static void test_resume_no_supervision(void **state)
{
	struct session_resume r;
	unsigned int mark;
	uint64_t t0;

	rsetup(ACSIM_AUTH_PAP, 1);
	t.conf.ppp.echo_failure = 0;
	resume_record_of(0, &r);
	t.conf.ppp.echo_interval = 0;
	acsim_restart(t.ac);
	mark = rc.nc;
	t0 = t.wheel.now;
	assert_int_equal(session_resume(S(0), &r), 0);
	assert_true(S(0)->ppp.lcp.confirming);
	assert_int_equal(rcap_count(ACSIM_LCP_ECHOREQ, mark), 1);
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 30000));
	if (t.wheel.now - t0 < LCP_CONFIRM_FAILURE * 2000 ||
	    t.wheel.now - t0 > LCP_CONFIRM_FAILURE * 2000 + STEP_MS)
		fail_msg("unconfirmed link without supervision ended %llu ms after resume",
			 (unsigned long long)(t.wheel.now - t0));
	assert_int_equal(rcap_count(ACSIM_LCP_ECHOREQ, mark), LCP_CONFIRM_FAILURE);
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
	/* The fresh dial comes up; no echo on it, ever (no supervision). */
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 30000));
	mark = rc.nc;
	run_for(60000);
	assert_int_equal(rcap_count(ACSIM_LCP_ECHOREQ, mark), 0);

	/* Answered: confirmed, and then quiet. */
	resume_record_of(0, &r);
	mark = rc.nc;
	assert_int_equal(session_resume(S(0), &r), 0);
	run_for(1000);
	assert_false(S(0)->ppp.lcp.confirming);
	assert_int_equal(S(0)->state, SESS_UP);
	run_for(60000);
	assert_int_equal(S(0)->state, SESS_UP);
	assert_int_equal(rcap_count(ACSIM_LCP_ECHOREQ, mark), 1);
}

/* An AC that forgot the session and says so (PADT for an unknown session):
 * the confirming echo draws the PADT, the session redials at once after
 * it, without waiting out the probes and without a PADT of its own. */
static void test_resume_ac_padt(void **state)
{
	struct session_resume r;
	unsigned int mark;
	uint64_t t0;

	rsetup(ACSIM_AUTH_PAP, 1);
	resume_record_of(0, &r);
	acsim_restart(t.ac);
	t.ac->knobs.padt_unknown_session = true;
	mark = rc.nc;
	t0 = t.wheel.now;
	assert_int_equal(session_resume(S(0), &r), 0);
	pump();
	assert_int_not_equal(S(0)->state, SESS_UP);
	assert_int_equal(t.wheel.now, t0);
	assert_int_equal(t.ac->stats.rx_no_session, 1);
	assert_false(S(0)->bound);
	assert_int_equal(t.ts[0].unbound_calls, 1);
	assert_int_equal(t.ts[0].down_calls, 1);
	assert_int_equal(rcap_count(ACSIM_PADT, mark), 0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
	assert_int_equal(t.ts[0].up_calls, 1);
	assert_int_equal(rcap_count(ACSIM_PADT, mark), 0);
	assert_int_equal(rcap_count(ACSIM_LCP_ECHOREQ, mark), 1);
}

/* The same for a link that was never resumed: the busy-peer grace holds. */
static void test_negotiated_busy_grace(void **state)
{
	rsetup(ACSIM_AUTH_PAP, 1);
	bring_up(0);
	assert_busy_grace(t.wheel.now);
	assert_int_equal(rcap_count(ACSIM_PADT, 0), 1);
}

/*
 * session_resume_get of an up session, fed to session_resume of a fresh
 * one (the owner restarted), gives back the same link: magic numbers,
 * MRUs, addresses, authentication, AC MAC and PPPoE session id, as the
 * AC knows them. Not up: false, and a zeroed record.
 */
static void test_resume_round_trip(void **state)
{
	struct session_resume r1, r2;
	struct acsim_sess *as;

	rsetup(ACSIM_AUTH_CHAP, 1);
	t.ac->knobs.lcp_nak_mru = 1400;
	t.ac->conf.mru = 1450;
	assert_false(session_resume_get(S(0), &r1));
	bring_up(0);
	run_ms(1000);
	as = ac_of(0);
	assert_true(session_resume_get(S(0), &r1));
	/* What the record says is what the AC holds. */
	assert_memory_equal(r1.ac_mac, t.ac->mac, 6);
	assert_int_equal(r1.session_id, as->sid);
	assert_string_equal(r1.ac_name, "acsim");
	assert_int_equal(r1.ppp.magic, as->peer_magic);
	assert_int_equal(r1.ppp.peer_magic, as->magic);
	assert_int_equal(r1.ppp.mru, 1400);
	assert_int_equal(r1.ppp.mru, as->peer_mru);
	assert_int_equal(r1.ppp.peer_mru, 1450);
	assert_int_equal(r1.ppp.auth_proto, PPP_CHAP);
	assert_int_equal(r1.ppp.net.local, htonl(as->peer_ip));
	assert_int_equal(r1.ppp.net.peer, htonl(ACSIM_IP4(10, 64, 0, 1)));
	assert_int_equal(r1.ppp.net.dns1, htonl(ACSIM_IP4(10, 64, 0, 53)));
	assert_int_equal(r1.ppp.net.dns2, htonl(ACSIM_IP4(10, 64, 0, 54)));
	assert_int_equal(r1.ppp.net.mtu, 1400);
	assert_int_equal(r1.up_since_ms, S(0)->up_since_ms);

	crash(0);
	assert_false(session_resume_get(S(0), &r2));
	assert_int_equal(session_resume(S(0), &r1), 0);
	assert_true(session_resume_get(S(0), &r2));
	assert_memory_equal(r2.ac_mac, r1.ac_mac, 6);
	assert_int_equal(r2.session_id, r1.session_id);
	assert_string_equal(r2.ac_name, r1.ac_name);
	assert_int_equal(r2.ppp.magic, r1.ppp.magic);
	assert_int_equal(r2.ppp.peer_magic, r1.ppp.peer_magic);
	assert_int_equal(r2.ppp.mru, r1.ppp.mru);
	assert_int_equal(r2.ppp.peer_mru, r1.ppp.peer_mru);
	assert_int_equal(r2.ppp.max_payload, r1.ppp.max_payload);
	assert_int_equal(r2.ppp.auth_proto, r1.ppp.auth_proto);
	assert_int_equal(r2.ppp.net.local, r1.ppp.net.local);
	assert_int_equal(r2.ppp.net.peer, r1.ppp.net.peer);
	assert_int_equal(r2.ppp.net.dns1, r1.ppp.net.dns1);
	assert_int_equal(r2.ppp.net.dns2, r1.ppp.net.dns2);
	assert_int_equal(r2.ppp.net.mtu, r1.ppp.net.mtu);
	assert_int_equal(r2.ppp.last_rx_ms, r1.ppp.last_rx_ms);
	assert_int_equal(r2.up_since_ms, r1.up_since_ms);

	/* And the AC takes it for the same link: confirmed, data both ways,
	 * no new dial, no PADT. */
	run_ms(30000);
	assert_false(S(0)->ppp.lcp.confirming);
	assert_int_equal(acsim_send_ip(as, ip_down, sizeof(ip_down)), 0);
	pump();
	assert_int_equal(t.ts[0].ip_rx, 1);
	client_send_ip(0, ip_up, sizeof(ip_up));
	assert_int_equal(as->rx_ip, 1);
	assert_up(0);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	assert_int_equal(t.ac->stats.sessions_created, 1);
	assert_int_equal(t.ts[0].up_calls, 0);

	/* Not up: IPCP renegotiating, negotiating, holding off, idle after a stop. */
	t.ac->knobs.drop_tx[ACSIM_IPCP_CONFACK] = ACSIM_FOREVER;
	assert_int_equal(acsim_ipcp_renegotiate(as), 0);
	run_ms(500);
	assert_int_equal(S(0)->state, SESS_PPP);
	assert_int_equal(S(0)->ppp.lcp.fsm.state, FSM_OPENED);
	assert_false(session_resume_get(S(0), &r2));
	t.ac->knobs.drop_tx[ACSIM_IPCP_CONFACK] = 0;
	t.ac->knobs.drop_tx[ACSIM_CHAP_SUCCESS] = ACSIM_FOREVER;
	session_redial(S(0), "test");
	run_ms(500);
	assert_int_equal(S(0)->state, SESS_PPP);
	r2.session_id = 1;
	assert_false(session_resume_get(S(0), &r2));
	assert_int_equal(r2.session_id, 0);
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 60000));
	assert_false(session_resume_get(S(0), &r2));
	session_stop(S(0), "test");
	assert_false(session_resume_get(S(0), &r2));
}

/*
 * Records that cannot be a session are refused before anything happens:
 * the session stays idle and unbound, and nothing goes on the wire, then
 * or later. A session that is not idle refuses with -EBUSY, unchanged.
 */
static void test_resume_bad_input(void **state)
{
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct session_resume good, bad[8];
	unsigned int i, dials;

	rsetup(ACSIM_AUTH_PAP, 2);
	rec_make(&good);
	for (i = 0; i < 8; i++)
		bad[i] = good;
	bad[0].session_id = 0;
	bad[1].session_id = 0xffff;
	memcpy(bad[2].ac_mac, mcast, 6);
	memcpy(bad[3].ac_mac, bcast, 6);
	bad[4].ppp.net.local = 0;
	bad[5].ppp.net.peer = 0;
	bad[6].ppp.mru = 127;
	bad[7].ppp.peer_mru = 127;
	for (i = 0; i < 8; i++) {
		if (session_resume(S(0), &bad[i]) != -EINVAL)
			fail_msg("bad record %u not refused with -EINVAL", i);
		assert_int_equal(S(0)->state, SESS_IDLE);
		assert_false(S(0)->bound);
		assert_true(session_is_quiet(S(0)));
		assert_false(ppp_ip_ok(&S(0)->ppp));
		assert_int_equal(S(0)->disc.session_id, 0);
	}
	assert_int_equal(t.ts[0].bound_calls, 0);
	assert_int_equal(t.ts[0].unbound_calls, 0);
	assert_int_equal(rc.nc, 0);
	run_ms(60000);
	assert_int_equal(rc.nc, 0);
	assert_int_equal(S(0)->state, SESS_IDLE);

	/* The refusals left nothing behind: the good record still resumes. */
	good.ppp.last_rx_ms = t.wheel.now - 3000;
	assert_int_equal(session_resume(S(0), &good), 0);
	assert_int_equal(rc.nc, 1);

	/* Up (resumed): -EBUSY, same session, nothing sent. */
	bad[0] = good;
	bad[0].session_id = 0x4321;
	assert_int_equal(session_resume(S(0), &bad[0]), -EBUSY);
	assert_int_equal(S(0)->state, SESS_UP);
	assert_int_equal(S(0)->disc.session_id, 0x1234);
	assert_int_equal(t.ts[0].bound_calls, 1);
	assert_int_equal(rc.nc, 1);
	session_abort(S(0), "done");

	/* Discovering, then holding off: -EBUSY, and the dialing goes on. */
	t.ac->knobs.drop_tx[ACSIM_PADO] = ACSIM_FOREVER;
	session_start(S(1));
	run_ms(100);
	assert_int_equal(S(1)->state, SESS_DISCOVERY);
	assert_int_equal(session_resume(S(1), &bad[0]), -EBUSY);
	assert_int_equal(S(1)->state, SESS_DISCOVERY);
	assert_false(S(1)->bound);
	assert_true(RUN_UNTIL(S(1)->state == SESS_HOLDOFF, 120000));
	dials = S(1)->dials;
	assert_int_equal(session_resume(S(1), &bad[0]), -EBUSY);
	assert_int_equal(S(1)->state, SESS_HOLDOFF);
	assert_int_equal(t.ts[1].bound_calls, 0);
	t.ac->knobs.drop_tx[ACSIM_PADO] = 0;
	assert_true(RUN_UNTIL(S(1)->state == SESS_UP, 60000));
	assert_int_equal(S(1)->dials, dials + 1);
	/* Up after a negotiation: -EBUSY too. */
	assert_int_equal(session_resume(S(1), &bad[0]), -EBUSY);
	assert_up(1);
}

/* The AC renegotiates LCP on a resumed link: a full negotiation on the
 * same PPPoE session, the network down and up again, no dial. */
static void test_resume_renegotiation(void **state)
{
	struct session_resume r;

	rsetup(ACSIM_AUTH_PAP, 1);
	resume_record_of(0, &r);
	assert_int_equal(session_resume(S(0), &r), 0);
	run_ms(1000);
	assert_int_equal(acsim_renegotiate(ac_of(0)), 0);
	assert_true(RUN_UNTIL(t.ts[0].up_calls == 1, 10000));
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 1);
	assert_int_equal(S(0)->disc.session_id, r.session_id);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 1);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
	assert_int_equal(t.ts[0].net.local, r.ppp.net.local);
}

/* CHAP may rechallenge at any time (RFC 1994): a resumed link answers, as
 * the link the earlier run authenticated would have, and stays up. */
static void test_resume_chap_rechallenge(void **state)
{
	struct session_resume r;

	rsetup(ACSIM_AUTH_CHAP, 1);
	resume_record_of(0, &r);
	assert_int_equal(r.ppp.auth_proto, PPP_CHAP);
	assert_int_equal(session_resume(S(0), &r), 0);
	run_ms(1000);
	assert_int_equal(acsim_chap_rechallenge(ac_of(0)), 0);
	pump();
	assert_int_equal(t.ac->stats.rx[ACSIM_CHAP_RESPONSE], 2);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	run_ms(30000);
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 0);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADT], 0);
}

/* 200 sessions against one AC, each with its own MAC: all up, all distinct. */
#define MANY 200
/* The interface's MTU bounds the MRU: 1400 leaves 1392 for PPP. */
static void test_lower_mtu(void **state)
{
	setup(ACSIM_AUTH_PAP, 2);
	S(0)->lower_mtu = 1400;
	S(1)->lower_mtu = 100; /* cannot carry PPPoE: LCP's minimum, the AC decides */
	bring_up(0);
	assert_int_equal(t.ts[0].net.mtu, 1392);
	assert_int_equal(ac_of(0)->peer_mru, 1392);
	assert_int_equal(session_mru_limit(S(0), 0), 1392);
	assert_int_equal(session_mru_limit(S(1), 0), 128);
	S(0)->lower_mtu = 1500;
	assert_int_equal(session_mru_limit(S(0), 0), 1492);
	S(0)->lower_mtu = 0;
	assert_int_equal(session_mru_limit(S(0), 0), 1492);
	S(0)->lower_mtu = 9000;
	assert_int_equal(session_mru_limit(S(0), 4000), 4000);
	S(0)->lower_mtu = 1500;
	assert_int_equal(session_mru_limit(S(0), 4000), 1492);
}

/* Link up cuts a holdoff short; failures still count for the backoff. */
static void test_link_up(void **state)
{
	unsigned int padi;

	setup(ACSIM_AUTH_PAP, 2);
	snprintf(t.conf.password, sizeof(t.conf.password), "wrong");
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(S(0)->failures, 1);
	padi = t.ac->stats.rx[ACSIM_PADI];
	session_link_up(S(0));
	assert_int_not_equal(S(0)->state, SESS_HOLDOFF);
	pump();
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], padi + 1);
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 10000));
	assert_int_equal(S(0)->failures, 2);
	/* Sessions that are up or idle are not touched. */
	snprintf(t.conf.password, sizeof(t.conf.password), "secret");
	session_link_up(S(1));
	assert_int_equal(S(1)->state, SESS_IDLE);
	bring_up(1);
	session_link_up(S(1));
	assert_up(1);
}

/* A new MAC (the interface's changed): the next dial uses it. */
static void test_set_mac(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x99, 0x01 };

	setup(ACSIM_AUTH_PAP, 1);
	bring_up(0);
	session_abort(S(0), "interface MAC changed");
	run_ms(100);
	assert_int_equal(acsim_sessions(t.ac), 0);
	session_set_mac(S(0), mac);
	bring_up(0);
	assert_non_null(acsim_find(t.ac, mac, 0));
	assert_memory_equal(S(0)->mac, mac, 6);
}

static void test_many_sessions(void **state)
{
	unsigned int buckets[10], mark, i;
	uint8_t seen[MANY] = { 0 };
	uint32_t local;
	uint64_t t0;

	setup(ACSIM_AUTH_CHAP, MANY);
	for (i = 0; i < MANY; i++)
		session_start(S(i));
	assert_true(RUN_UNTIL(acsim_sessions_up(t.ac) == MANY, 30000));
	run_ms(100);
	for (i = 0; i < MANY; i++) {
		assert_up(i);
		assert_int_equal(t.ts[i].up_calls, 1);
		local = ntohl(t.ts[i].net.local);
		assert_true(local >= ACSIM_IP4(10, 64, 0, 100));
		assert_true(local < ACSIM_IP4(10, 64, 0, 100) + MANY);
		assert_false(seen[local - ACSIM_IP4(10, 64, 0, 100)]);
		seen[local - ACSIM_IP4(10, 64, 0, 100)] = 1;
		assert_int_equal(ac_of(i)->peer_ip, local);
	}
	assert_int_equal(t.ac->stats.sessions_created, MANY);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], MANY);
	/* Data both ways on the last one. */
	assert_int_equal(acsim_send_ip(ac_of(MANY - 1), ip_down, sizeof(ip_down)), 0);
	pump();
	assert_int_equal(t.ts[MANY - 1].ip_rx, 1);
	for (i = 0; i < MANY - 1; i++)
		assert_int_equal(t.ts[i].ip_rx, 0);
	/* The AC reboots and answers stale sessions with PADT: everyone
	 * redials, with jitter, and gets an address again. */
	acsim_restart(t.ac);
	t.ac->knobs.padt_unknown_session = true;
	for (i = 0; i < MANY; i++)
		client_send_ip(i, ip_up, sizeof(ip_up));
	for (i = 0; i < MANY; i++)
		assert_int_equal(S(i)->state, SESS_HOLDOFF);
	mark = t.nlog;
	t0 = t.wheel.now;
	assert_true(RUN_UNTIL(acsim_sessions_up(t.ac) == MANY, 30000));
	/* Not in lockstep: the first redials spread over [1 s, 2 s]. */
	memset(buckets, 0, sizeof(buckets));
	for (i = mark; i < t.nlog; i++) {
		if (t.log[i].kind != ACSIM_PADI)
			continue;
		assert_true(t.log[i].when - t0 >= 1000 && t.log[i].when - t0 <= 2000 + STEP_MS);
		buckets[(t.log[i].when - t0 - 1000) / 100 % 10]++;
	}
	for (i = 0; i < 10; i++)
		if (buckets[i] < MANY / 10 / 3 || buckets[i] > MANY / 10 * 3)
			fail_msg("redials bunch up: %u of %u in %u00-%u99 ms", buckets[i], MANY,
				 10 + i, 10 + i);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < MANY; i++) {
		assert_up(i);
		assert_int_equal(t.ts[i].up_calls, 2);
		local = ntohl(t.ts[i].net.local) - ACSIM_IP4(10, 64, 0, 100);
		assert_true(local < MANY);
		assert_false(seen[local]);
		seen[local] = 1;
	}
	/* Everyone stops cleanly. */
	for (i = 0; i < MANY; i++)
		session_stop(S(i), "shutdown");
	assert_true(RUN_UNTIL(acsim_sessions(t.ac) == 0, 30000));
	for (i = 0; i < MANY; i++)
		assert_int_equal(S(i)->state, SESS_IDLE);
}

/*
 * RFC 4638 end to end: mtu = 1500 on an interface of MTU 1508 asks for
 * PPP-Max-Payload 1500; an AC that echoes it gets MRU 1500 both ways and a
 * 1500-byte IP packet crosses; an AC that ignores the tag gets 1492, and
 * neither side ever asks for more.
 */
static void rfc4638_up(uint16_t ac_max, unsigned int lower_mtu)
{
	setup(ACSIM_AUTH_PAP, 1);
	t.conf.ppp.mru = 0;
	t.conf.ppp.mtu = 1500;
	t.ac->conf.max_payload = ac_max;
	S(0)->lower_mtu = lower_mtu;
	bring_up(0);
}

static void test_rfc4638_agreed(void **state)
{
	uint8_t ip[1500];

	(void)state;
	rfc4638_up(1500, 1508);
	assert_int_equal(S(0)->disc.max_payload, 1500);
	assert_int_equal(S(0)->ppp.lcp.mru, 1500);
	assert_int_equal(S(0)->ppp.lcp.peer_mru, 1500);
	assert_int_equal(t.ts[0].net.mtu, 1500);
	assert_int_equal(ac_of(0)->peer_mru, 1500);
	memset(ip, 0, sizeof(ip));
	ip[0] = 0x45;
	ip[2] = 1500 >> 8;
	ip[3] = 1500 & 0xff;
	ip[9] = 17;
	client_send_ip(0, ip, sizeof(ip));
	assert_int_equal(ac_of(0)->last_ip_len, 1500);
}

static void test_rfc4638_ignored(void **state)
{
	(void)state;
	rfc4638_up(0, 1508);
	assert_int_equal(S(0)->disc.max_payload, 0);
	assert_int_equal(S(0)->ppp.lcp.mru, 1492);
	assert_int_equal(t.ts[0].net.mtu, 1492);
	assert_int_equal(ac_of(0)->peer_mru, 1492);
}

static void test_rfc4638_interface_too_small(void **state)
{
	(void)state;
	/* An interface MTU of 1500 leaves 1492: the tag is not even asked for. */
	rfc4638_up(1500, 1500);
	assert_int_equal(S(0)->disc.ask_max_payload, 0);
	assert_int_equal(S(0)->disc.max_payload, 0);
	assert_int_equal(t.ts[0].net.mtu, 1492);
	assert_int_equal(S(0)->mtu_warned, 1500);
}

/* mru above mtu: receive up to mru, but the TUN sends no more than mtu */
static void test_rfc4638_mru_above_mtu(void **state)
{
	(void)state;
	setup(ACSIM_AUTH_PAP, 1);
	t.conf.ppp.mru = 1500;
	t.conf.ppp.mtu = 1492;
	t.ac->conf.max_payload = 1500;
	S(0)->lower_mtu = 1508;
	bring_up(0);
	assert_int_equal(S(0)->disc.max_payload, 1500);
	assert_int_equal(S(0)->ppp.lcp.mru, 1500);
	assert_int_equal(t.ts[0].net.mtu, 1492);
}

static void test_rfc4638_interface_between(void **state)
{
	(void)state;
	/* 1504 carries 1496: asked for and agreed at that */
	rfc4638_up(1500, 1504);
	assert_int_equal(S(0)->disc.ask_max_payload, 1496);
	assert_int_equal(S(0)->disc.max_payload, 1496);
	assert_int_equal(t.ts[0].net.mtu, 1496);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pap_up, teardown),
		cmocka_unit_test_teardown(test_vlan_session, teardown),
		cmocka_unit_test_teardown(test_quiesce, teardown),
		cmocka_unit_test_teardown(test_resume_no_supervision, teardown),
		cmocka_unit_test_teardown(test_chap_up, teardown),
		cmocka_unit_test_teardown(test_lossy_setup, teardown),
		cmocka_unit_test_teardown(test_auth_fail_backoff, teardown),
		cmocka_unit_test_teardown(test_auth_reject_chap, teardown),
		cmocka_unit_test_teardown(test_mschapv2_up, teardown),
		cmocka_unit_test_teardown(test_mschapv2_wrong_password, teardown),
		cmocka_unit_test_teardown(test_mschapv2_bad_authenticator, teardown),
		cmocka_unit_test_teardown(test_no_auth_up, teardown),
		cmocka_unit_test_teardown(test_auth_restricted_refused, teardown),
		cmocka_unit_test_teardown(test_auth_restricted_taken, teardown),
		cmocka_unit_test_teardown(test_ac_padt, teardown),
		cmocka_unit_test_teardown(test_stray_padt, teardown),
		cmocka_unit_test_teardown(test_echo_failure, teardown),
		cmocka_unit_test_teardown(test_stop, teardown),
		cmocka_unit_test_teardown(test_abort, teardown),
		cmocka_unit_test_teardown(test_ac_termreq, teardown),
		cmocka_unit_test_teardown(test_renegotiation, teardown),
		cmocka_unit_test_teardown(test_pads_refused, teardown),
		cmocka_unit_test_teardown(test_ac_restart, teardown),
		cmocka_unit_test_teardown(test_lcp_nak_rej, teardown),
		cmocka_unit_test_teardown(test_ac_echo, teardown),
		cmocka_unit_test_teardown(test_ac_mac_change, teardown),
		cmocka_unit_test_teardown(test_padt_during_lcp, teardown),
		cmocka_unit_test_teardown(test_stop_in_discovery, teardown),
		cmocka_unit_test_teardown(test_stop_in_lcp, teardown),
		cmocka_unit_test_teardown(test_chap_rechallenge, teardown),
		cmocka_unit_test_teardown(test_ip_before_network, teardown),
		cmocka_unit_test_teardown(test_padt_while_stopping, teardown),
		cmocka_unit_test_teardown(test_redial, teardown),
		cmocka_unit_test_teardown(test_no_dns, teardown),
		cmocka_unit_test_teardown(test_stop_then_start, teardown),
		cmocka_unit_test_teardown(test_ipcp_renegotiation, teardown),
		cmocka_unit_test_teardown(test_pap_ack_lost, teardown),
		cmocka_unit_test_teardown(test_renegotiation_during_auth, teardown),
		cmocka_unit_test_teardown(test_nak_loop, teardown),
		cmocka_unit_test_teardown(test_lower_mtu, teardown),
		cmocka_unit_test_teardown(test_link_up, teardown),
		cmocka_unit_test_teardown(test_set_mac, teardown),
		cmocka_unit_test_teardown(test_resume_idle, teardown),
		cmocka_unit_test_teardown(test_resume_answers_echo, teardown),
		cmocka_unit_test_teardown(test_resume_confirmed, teardown),
		cmocka_unit_test_teardown(test_resume_confirmed_by_data, teardown),
		cmocka_unit_test_teardown(test_resume_unanswered, teardown),
		cmocka_unit_test_teardown(test_resume_ac_padt, teardown),
		cmocka_unit_test_teardown(test_negotiated_busy_grace, teardown),
		cmocka_unit_test_teardown(test_resume_round_trip, teardown),
		cmocka_unit_test_teardown(test_resume_bad_input, teardown),
		cmocka_unit_test_teardown(test_resume_renegotiation, teardown),
		cmocka_unit_test_teardown(test_resume_chap_rechallenge, teardown),
		cmocka_unit_test_teardown(test_many_sessions, teardown),
		cmocka_unit_test_teardown(test_rfc4638_agreed, teardown),
		cmocka_unit_test_teardown(test_rfc4638_ignored, teardown),
		cmocka_unit_test_teardown(test_rfc4638_interface_too_small, teardown),
		cmocka_unit_test_teardown(test_rfc4638_interface_between, teardown),
		cmocka_unit_test_teardown(test_rfc4638_mru_above_mtu, teardown),
	};
	const char *dbg = getenv("TEST_DEBUG");

	log_threshold = dbg && *dbg ? LOG_LVL_DEBUG : LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
