// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_session.c - the client session (pppoe/session.c with the real
 * discovery and PPP code) end to end against the acsim access
 * concentrator, in process, under a fake clock (tests/unit/session_harness.h).
 */
#include <arpa/inet.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pap_up, teardown),
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
		cmocka_unit_test_teardown(test_many_sessions, teardown),
	};
	const char *dbg = getenv("TEST_DEBUG");

	log_threshold = dbg && *dbg ? LOG_LVL_DEBUG : LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
