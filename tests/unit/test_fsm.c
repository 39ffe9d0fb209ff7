// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fsm.c - the RFC 1661 automaton against its state transition table,
 * with a toy protocol: one option (type 1, one byte), a verdict the test
 * picks for the peer's requests, and every action recorded as a string
 * ("tld,scr,sca") in the order the FSM performed it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pppoe/cp.h"
#include "pppoe/fsm.h"
#include "pppoe/timer.h"

#define TOY_PROTO 0x8001
#define RESTART 1000
#define MAX_CONF 3
#define MAX_TERM 2
#define MAX_FAIL 2

struct sent {
	uint8_t buf[256];
	size_t len;
};

/* Test context: tests are single-threaded, one FSM at a time. */
static struct {
	struct tw_wheel wheel;
	struct fsm f;
	char acts[512];
	struct sent pkts[32];
	unsigned int npkts;
	int verdict;            /* what toy_reqci answers */
	bool last_rid;          /* reject_if_disagree seen by toy_reqci */
	uint8_t want;           /* our option value */
	int owner;
	/* Our last Configure-Request and Terminate-Request as sent on the
	 * wire (kept across clear_log): the peer's replies are built from
	 * these, never from what the FSM remembers. */
	uint8_t wreq[256];
	size_t wreqlen;
	uint8_t wtermid;
} t;

static void act(const char *a)
{
	if (t.acts[0])
		strncat(t.acts, ",", sizeof(t.acts) - strlen(t.acts) - 1);
	strncat(t.acts, a, sizeof(t.acts) - strlen(t.acts) - 1);
}

static int toy_send(void *owner, uint16_t proto, const uint8_t *data, size_t len)
{
	static const char *const names[] = { "?", "scr", "sca", "scn", "screj", "str",
					     "sta", "scj", "?", "?", "ser" };

	assert_ptr_equal(owner, &t.owner);
	assert_int_equal(proto, TOY_PROTO);
	assert_true(len >= 4 && len <= sizeof(t.pkts[0].buf));
	assert_true(t.npkts < 32);
	memcpy(t.pkts[t.npkts].buf, data, len);
	t.pkts[t.npkts].len = len;
	t.npkts++;
	if (data[0] == CP_CONF_REQ) {
		memcpy(t.wreq, data, len);
		t.wreqlen = len;
	} else if (data[0] == CP_TERM_REQ) {
		t.wtermid = data[1];
	}
	act(data[0] < 11 ? names[data[0]] : "?");
	return 0;
}

static void toy_resetci(struct fsm *f)
{
	t.want = 0x11;
}

static int toy_addci(struct fsm *f, uint8_t *buf, size_t cap)
{
	buf[0] = 1;
	buf[1] = 3;
	buf[2] = t.want;
	return 3;
}

static int toy_nakci(struct fsm *f, const uint8_t *opts, size_t len)
{
	if (len != 3 || opts[0] != 1)
		return -EINVAL;
	t.want = opts[2];
	return 0;
}

static int toy_reqci(struct fsm *f, const uint8_t *opts, size_t len, uint8_t *out,
		     size_t outcap, size_t *outlen, bool rid)
{
	int v = t.verdict;

	t.last_rid = rid;
	if (v == CP_CONF_NAK && rid)
		v = CP_CONF_REJ;
	memcpy(out, opts, len);
	*outlen = len;
	return v;
}

static void toy_up(struct fsm *f) { act("tlu"); }
static void toy_down(struct fsm *f) { act("tld"); }
static void toy_starting(struct fsm *f) { act("tls"); }
static void toy_finished(struct fsm *f) { act("tlf"); }

/* Code 9 plays the part of an extension code (like LCP's Echo-Request):
 * RXR, answered with code 10 ("ser") only when Opened. */
static int toy_extcode(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
		       size_t len)
{
	if (code != 9)
		return -EOPNOTSUPP;
	if (f->state == FSM_OPENED)
		fsm_sdata(f, 10, id, data, len);
	return 0;
}

static void toy_coderej(struct fsm *f, uint8_t code)
{
	act("coderej");
}

static const struct fsm_callbacks toy_cb = {
	.name = "TOY",
	.proto = TOY_PROTO,
	.resetci = toy_resetci,
	.addci = toy_addci,
	.nakci = toy_nakci,
	.rejci = toy_nakci,
	.reqci = toy_reqci,
	.up = toy_up,
	.down = toy_down,
	.starting = toy_starting,
	.finished = toy_finished,
	.extcode = toy_extcode,
	.coderej = toy_coderej,
};

static void clear_log(void)
{
	t.acts[0] = '\0';
	t.npkts = 0;
}

static void fresh(void)
{
	memset(&t, 0, sizeof(t));
	tw_init(&t.wheel, 0);
	fsm_init(&t.f, &toy_cb, &t.owner, toy_send, &t.wheel, "test/toy0");
	fsm_set_limits(&t.f, RESTART, MAX_CONF, MAX_TERM, MAX_FAIL);
	t.verdict = CP_CONF_ACK;
}

/* rx - feed a packet: code, id, option bytes */
static void rx(uint8_t code, uint8_t id, const uint8_t *opts, size_t len)
{
	uint8_t buf[64];

	buf[0] = code;
	buf[1] = id;
	buf[2] = 0;
	buf[3] = (uint8_t)(4 + len);
	if (len)
		memcpy(buf + 4, opts, len);
	fsm_input(&t.f, buf, 4 + len);
}

static const uint8_t peer_opts[] = { 1, 3, 0x22 };

static void rcr(int verdict)
{
	t.verdict = verdict;
	rx(CP_CONF_REQ, 0x80, peer_opts, sizeof(peer_opts));
}

/*
 * wire_reqid - the identifier of our last Configure-Request on the wire
 * (0 if none went out: the states that never sent one get an Ack or Nak
 * for no request, with an empty option list)
 */
static uint8_t wire_reqid(void)
{
	return t.wreqlen >= 4 ? t.wreq[1] : 0;
}

/* rca_id - the peer Acks our last Configure-Request (its exact options) with @id */
static void rca_id(uint8_t id)
{
	if (t.wreqlen >= 4)
		rx(CP_CONF_ACK, id, t.wreq + 4, t.wreqlen - 4);
	else
		rx(CP_CONF_ACK, id, NULL, 0);
}

static void rca(void)
{
	rca_id(wire_reqid());
}

static void rcn(void)
{
	static const uint8_t nak[] = { 1, 3, 0x33 };

	rx(CP_CONF_NAK, wire_reqid(), nak, sizeof(nak));
}

static void rtr(void)
{
	rx(CP_TERM_REQ, 0x90, NULL, 0);
}

static void rta(void)
{
	rx(CP_TERM_ACK, t.wtermid, NULL, 0);
}

static void ruc(void)
{
	static const uint8_t junk[] = { 0xaa, 0xbb };

	rx(0x42, 0x91, junk, sizeof(junk));
}

static void rxj(uint8_t rejected_code)
{
	uint8_t rej[] = { rejected_code, 0x05, 0x00, 0x04 };

	rx(CP_CODE_REJ, 0x92, rej, sizeof(rej));
}

/* timeout - let the restart timer fire once */
static void timeout(void)
{
	tw_advance(&t.wheel, t.wheel.now + RESTART);
}

/* drive - a fresh FSM brought into state @s through legal events */
static void drive(enum fsm_state s)
{
	unsigned int i;

	fresh();
	switch (s) {
	case FSM_INITIAL:
		break;
	case FSM_STARTING:
		fsm_open(&t.f);
		break;
	case FSM_CLOSED:
		fsm_lowerup(&t.f);
		break;
	case FSM_STOPPED:
		fsm_open(&t.f);
		fsm_lowerup(&t.f);
		for (i = 0; i < MAX_CONF; i++)
			timeout();
		break;
	case FSM_CLOSING:
		fsm_open(&t.f);
		fsm_lowerup(&t.f);
		fsm_close(&t.f);
		break;
	case FSM_STOPPING:
		drive(FSM_OPENED);
		rtr();
		break;
	case FSM_REQ_SENT:
		fsm_open(&t.f);
		fsm_lowerup(&t.f);
		break;
	case FSM_ACK_RCVD:
		drive(FSM_REQ_SENT);
		rca();
		break;
	case FSM_ACK_SENT:
		drive(FSM_REQ_SENT);
		rcr(CP_CONF_ACK);
		break;
	case FSM_OPENED:
		drive(FSM_ACK_SENT);
		rca();
		break;
	}
	assert_int_equal(t.f.state, s);
	clear_log();
}

#define expect(st, actions) do {					\
	assert_string_equal(fsm_state_name(t.f.state), fsm_state_name(st)); \
	assert_string_equal(t.acts, actions);				\
} while (0)

static void test_up(void **state)
{
	drive(FSM_INITIAL);
	fsm_lowerup(&t.f);
	expect(FSM_CLOSED, "");

	drive(FSM_STARTING);
	fsm_lowerup(&t.f);
	expect(FSM_REQ_SENT, "scr");
	/* irc then scr: the first request used one count */
	assert_int_equal(t.f.restart, MAX_CONF - 1);
	assert_int_equal(t.npkts, 1);
	assert_int_equal(t.pkts[0].len, 7);
	assert_int_equal(t.pkts[0].buf[0], CP_CONF_REQ);
	assert_int_equal(t.pkts[0].buf[3], 7);
	assert_int_equal(t.pkts[0].buf[6], 0x11);
	assert_true(tw_pending(&t.f.timer));
	/* The Ack of what went out, with its identifier, is taken */
	rca();
	expect(FSM_ACK_RCVD, "scr");
}

static void test_down(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_INITIAL, "" },
		{ FSM_STOPPED, FSM_STARTING, "tls" },
		{ FSM_CLOSING, FSM_INITIAL, "" },
		{ FSM_STOPPING, FSM_STARTING, "" },
		{ FSM_REQ_SENT, FSM_STARTING, "" },
		{ FSM_ACK_RCVD, FSM_STARTING, "" },
		{ FSM_ACK_SENT, FSM_STARTING, "" },
		{ FSM_OPENED, FSM_STARTING, "tld" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		fsm_lowerdown(&t.f);
		expect(rows[i].to, rows[i].acts);
		assert_false(tw_pending(&t.f.timer));
	}
}

static void test_open(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_INITIAL, FSM_STARTING, "tls" },
		{ FSM_STARTING, FSM_STARTING, "" },
		{ FSM_CLOSED, FSM_REQ_SENT, "scr" },
		{ FSM_STOPPED, FSM_STOPPED, "" },
		{ FSM_CLOSING, FSM_STOPPING, "" },
		{ FSM_STOPPING, FSM_STOPPING, "" },
		{ FSM_REQ_SENT, FSM_REQ_SENT, "" },
		{ FSM_ACK_RCVD, FSM_ACK_RCVD, "" },
		{ FSM_ACK_SENT, FSM_ACK_SENT, "" },
		{ FSM_OPENED, FSM_OPENED, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		fsm_open(&t.f);
		expect(rows[i].to, rows[i].acts);
	}
	drive(FSM_CLOSED);
	fsm_open(&t.f);
	assert_int_equal(t.f.restart, MAX_CONF - 1);
}

static void test_close(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_INITIAL, FSM_INITIAL, "" },
		{ FSM_STARTING, FSM_INITIAL, "tlf" },
		{ FSM_CLOSED, FSM_CLOSED, "" },
		{ FSM_STOPPED, FSM_CLOSED, "" },
		{ FSM_CLOSING, FSM_CLOSING, "" },
		{ FSM_STOPPING, FSM_CLOSING, "" },
		{ FSM_REQ_SENT, FSM_CLOSING, "str" },
		{ FSM_ACK_RCVD, FSM_CLOSING, "str" },
		{ FSM_ACK_SENT, FSM_CLOSING, "str" },
		{ FSM_OPENED, FSM_CLOSING, "tld,str" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		fsm_close(&t.f);
		expect(rows[i].to, rows[i].acts);
		if (!strcmp(rows[i].acts + strlen(rows[i].acts) - (rows[i].acts[0] ? 3 : 0),
			    "str")) {
			assert_int_equal(t.f.restart, MAX_TERM - 1);
			assert_true(tw_pending(&t.f.timer));
		}
	}
}

static void test_timeout(void **state)
{
	uint8_t id;

	/* TO+ in Closing and Stopping: str again; TO-: tlf */
	drive(FSM_CLOSING);
	timeout();
	expect(FSM_CLOSING, "str");
	assert_int_equal(t.f.restart, 0);
	clear_log();
	timeout();
	expect(FSM_CLOSED, "tlf");
	assert_false(tw_pending(&t.f.timer));

	/* Stopping came from RTR in Opened: zrc, so the first TO is TO-. */
	drive(FSM_STOPPING);
	assert_int_equal(t.f.restart, 0);
	timeout();
	expect(FSM_STOPPED, "tlf");

	drive(FSM_OPENED);
	rxj(CP_CONF_REQ);           /* RXJ- in Opened: Stopping with irc */
	clear_log();
	timeout();
	expect(FSM_STOPPING, "str");
	clear_log();
	timeout();
	expect(FSM_STOPPED, "tlf");

	/* TO+ in Req-Sent: retransmission keeps the identifier */
	drive(FSM_REQ_SENT);
	id = wire_reqid();
	timeout();
	expect(FSM_REQ_SENT, "scr");
	assert_int_equal(t.pkts[0].buf[1], id);
	assert_int_equal(t.f.restart, MAX_CONF - 2);

	drive(FSM_ACK_RCVD);
	timeout();
	expect(FSM_REQ_SENT, "scr");

	drive(FSM_ACK_SENT);
	timeout();
	expect(FSM_ACK_SENT, "scr");

	/* TO- after Max-Configure requests in Req-Sent, Ack-Rcvd, Ack-Sent */
	drive(FSM_REQ_SENT);
	timeout();
	timeout();
	assert_int_equal(t.f.tx_confreq, MAX_CONF);
	clear_log();
	timeout();
	expect(FSM_STOPPED, "tlf");
	assert_int_equal(t.f.tx_confreq, MAX_CONF);

	drive(FSM_ACK_SENT);
	timeout();
	timeout();
	clear_log();
	timeout();
	expect(FSM_STOPPED, "tlf");

	drive(FSM_ACK_RCVD);
	t.f.restart = 0;
	timeout();
	expect(FSM_STOPPED, "tlf");
}

static void test_rcr_plus(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "sta" },
		{ FSM_STOPPED, FSM_ACK_SENT, "scr,sca" },
		{ FSM_CLOSING, FSM_CLOSING, "" },
		{ FSM_STOPPING, FSM_STOPPING, "" },
		{ FSM_REQ_SENT, FSM_ACK_SENT, "sca" },
		{ FSM_ACK_RCVD, FSM_OPENED, "sca,tlu" },
		{ FSM_ACK_SENT, FSM_ACK_SENT, "sca" },
		{ FSM_OPENED, FSM_ACK_SENT, "tld,scr,sca" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rcr(CP_CONF_ACK);
		expect(rows[i].to, rows[i].acts);
	}
	/* The Ack is an exact copy with the request's identifier. */
	drive(FSM_REQ_SENT);
	rcr(CP_CONF_ACK);
	assert_int_equal(t.npkts, 1);
	assert_int_equal(t.pkts[0].buf[0], CP_CONF_ACK);
	assert_int_equal(t.pkts[0].buf[1], 0x80);
	assert_int_equal(t.pkts[0].len, 7);
	assert_memory_equal(t.pkts[0].buf + 4, peer_opts, sizeof(peer_opts));
	/* Closed answers with Terminate-Ack carrying the request's id */
	drive(FSM_CLOSED);
	rcr(CP_CONF_ACK);
	assert_int_equal(t.pkts[0].buf[1], 0x80);
	/* Opened -> Ack-Rcvd -> Opened left the timer stopped */
	drive(FSM_ACK_RCVD);
	rcr(CP_CONF_ACK);
	assert_false(tw_pending(&t.f.timer));
}

static void test_rcr_minus(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "sta" },
		{ FSM_STOPPED, FSM_REQ_SENT, "scr,scn" },
		{ FSM_CLOSING, FSM_CLOSING, "" },
		{ FSM_STOPPING, FSM_STOPPING, "" },
		{ FSM_REQ_SENT, FSM_REQ_SENT, "scn" },
		{ FSM_ACK_RCVD, FSM_ACK_RCVD, "scn" },
		{ FSM_ACK_SENT, FSM_REQ_SENT, "scn" },
		{ FSM_OPENED, FSM_REQ_SENT, "tld,scr,scn" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rcr(CP_CONF_NAK);
		expect(rows[i].to, rows[i].acts);
	}
	/* A Configure-Reject is RCR- too */
	drive(FSM_REQ_SENT);
	rcr(CP_CONF_REJ);
	expect(FSM_REQ_SENT, "screj");
}

static void test_max_failure(void **state)
{
	unsigned int i;

	drive(FSM_REQ_SENT);
	for (i = 0; i < MAX_FAIL; i++) {
		rcr(CP_CONF_NAK);
		assert_false(t.last_rid);
	}
	expect(FSM_REQ_SENT, "scn,scn");
	assert_int_equal(t.f.nakloops, MAX_FAIL);
	clear_log();
	/* Max-Failure Naks sent: the next disagreement is a Reject */
	rcr(CP_CONF_NAK);
	assert_true(t.last_rid);
	expect(FSM_REQ_SENT, "screj");
	/* An Ack resets the count */
	rcr(CP_CONF_ACK);
	assert_int_equal(t.f.nakloops, 0);
	clear_log();
	rcr(CP_CONF_NAK);
	expect(FSM_REQ_SENT, "scn");
}

static void test_rca(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "sta" },
		{ FSM_STOPPED, FSM_STOPPED, "sta" },
		{ FSM_CLOSING, FSM_CLOSING, "" },
		{ FSM_STOPPING, FSM_STOPPING, "" },
		{ FSM_REQ_SENT, FSM_ACK_RCVD, "" },
		{ FSM_ACK_SENT, FSM_OPENED, "tlu" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rca();
		expect(rows[i].to, rows[i].acts);
	}
	drive(FSM_REQ_SENT);
	rca();
	assert_int_equal(t.f.restart, MAX_CONF); /* irc */
	assert_true(tw_pending(&t.f.timer));

	/* Ack-Rcvd and Opened: a second Ack for the same request is a
	 * duplicate and must not reset the link (the RCA rows of those
	 * states need an Ack of a request we never sent twice). */
	drive(FSM_ACK_RCVD);
	rca();
	expect(FSM_ACK_RCVD, "");
	drive(FSM_OPENED);
	rca();
	expect(FSM_OPENED, "");
	assert_int_equal(t.f.rx_discarded, 1);
}

static void test_rca_checks(void **state)
{
	static const uint8_t other[] = { 1, 3, 0x99 };

	/* Wrong identifier: silently discarded */
	drive(FSM_REQ_SENT);
	rca_id((uint8_t)(wire_reqid() + 1));
	expect(FSM_REQ_SENT, "");
	assert_int_equal(t.f.rx_discarded, 1);
	/* Right identifier, but not our options */
	rx(CP_CONF_ACK, wire_reqid(), other, sizeof(other));
	expect(FSM_REQ_SENT, "");
	/* Wrong id on a Nak and a Reject */
	rx(CP_CONF_NAK, (uint8_t)(wire_reqid() - 1), other, sizeof(other));
	rx(CP_CONF_REJ, (uint8_t)(wire_reqid() - 1), other, sizeof(other));
	expect(FSM_REQ_SENT, "");
	assert_int_equal(t.f.rx_discarded, 4);
	/* The real Ack still works */
	rca();
	expect(FSM_ACK_RCVD, "");
	/* In Ack-Sent a wrong-id Ack must not open the link either */
	drive(FSM_ACK_SENT);
	rca_id((uint8_t)(wire_reqid() - 1));
	expect(FSM_ACK_SENT, "");
	rca();
	expect(FSM_OPENED, "tlu");
}

static void test_rcn(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "sta" },
		{ FSM_STOPPED, FSM_STOPPED, "sta" },
		{ FSM_CLOSING, FSM_CLOSING, "" },
		{ FSM_STOPPING, FSM_STOPPING, "" },
		{ FSM_REQ_SENT, FSM_REQ_SENT, "scr" },
		{ FSM_ACK_SENT, FSM_ACK_SENT, "scr" },
	};
	size_t i;
	uint8_t id;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rcn();
		expect(rows[i].to, rows[i].acts);
	}
	/* The new request takes the Nak'd value, under a new identifier */
	drive(FSM_REQ_SENT);
	id = wire_reqid();
	timeout();   /* use up one count, to see irc */
	clear_log();
	rcn();
	assert_int_equal(t.pkts[0].buf[1], (uint8_t)(id + 1));
	assert_int_equal(t.pkts[0].buf[6], 0x33);
	assert_int_equal(t.f.restart, MAX_CONF - 1);
}

static void test_rcn_not_converging(void **state)
{
	unsigned int i;

	/* A peer that Naks every request gives up after Max-Configure. */
	drive(FSM_REQ_SENT);
	for (i = 0; i < MAX_CONF; i++)
		rcn();
	expect(FSM_REQ_SENT, "scr,scr,scr");
	clear_log();
	rcn();
	expect(FSM_STOPPED, "tlf");
}

static void test_rtr(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "sta" },
		{ FSM_STOPPED, FSM_STOPPED, "sta" },
		{ FSM_CLOSING, FSM_CLOSING, "sta" },
		{ FSM_STOPPING, FSM_STOPPING, "sta" },
		{ FSM_REQ_SENT, FSM_REQ_SENT, "sta" },
		{ FSM_ACK_RCVD, FSM_REQ_SENT, "sta" },
		{ FSM_ACK_SENT, FSM_REQ_SENT, "sta" },
		{ FSM_OPENED, FSM_STOPPING, "tld,sta" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rtr();
		expect(rows[i].to, rows[i].acts);
		/* Terminate-Ack echoes the request's identifier */
		assert_int_equal(t.pkts[0].buf[0], CP_TERM_ACK);
		assert_int_equal(t.pkts[0].buf[1], 0x90);
	}
	/* zrc: counter zero, timer running */
	drive(FSM_OPENED);
	rtr();
	assert_int_equal(t.f.restart, 0);
	assert_true(tw_pending(&t.f.timer));
	assert_true(t.f.peer_term);
}

static void test_rta(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "" },
		{ FSM_STOPPED, FSM_STOPPED, "" },
		{ FSM_CLOSING, FSM_CLOSED, "tlf" },
		{ FSM_STOPPING, FSM_STOPPED, "tlf" },
		{ FSM_REQ_SENT, FSM_REQ_SENT, "" },
		{ FSM_ACK_RCVD, FSM_REQ_SENT, "" },
		{ FSM_ACK_SENT, FSM_ACK_SENT, "" },
		{ FSM_OPENED, FSM_REQ_SENT, "tld,scr" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rta();
		expect(rows[i].to, rows[i].acts);
	}
	drive(FSM_CLOSING);
	rta();
	assert_false(tw_pending(&t.f.timer));
}

static void test_ruc(void **state)
{
	enum fsm_state s;

	for (s = FSM_CLOSED; s <= FSM_OPENED; s++) {
		drive(s);
		ruc();
		expect(s, "scj");
		/* Code-Reject carries the whole rejected packet */
		assert_int_equal(t.pkts[0].len, 4 + 6);
		assert_int_equal(t.pkts[0].buf[0], CP_CODE_REJ);
		assert_int_equal(t.pkts[0].buf[4], 0x42);
		assert_int_equal(t.pkts[0].buf[5], 0x91);
		assert_int_equal(t.pkts[0].buf[9], 0xbb);
	}
	/* Truncated to what the peer takes */
	drive(FSM_OPENED);
	t.f.mtu = 8;
	ruc();
	assert_int_equal(t.pkts[0].len, 8);
	assert_int_equal(t.pkts[0].buf[3], 8);
	/* Initial and Starting receive nothing */
	drive(FSM_STARTING);
	ruc();
	expect(FSM_STARTING, "");
}

static void test_rxj_plus(void **state)
{
	static const struct { enum fsm_state from, to; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED },   { FSM_STOPPED, FSM_STOPPED },
		{ FSM_CLOSING, FSM_CLOSING }, { FSM_STOPPING, FSM_STOPPING },
		{ FSM_REQ_SENT, FSM_REQ_SENT }, { FSM_ACK_RCVD, FSM_REQ_SENT },
		{ FSM_ACK_SENT, FSM_ACK_SENT }, { FSM_OPENED, FSM_OPENED },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rxj(9);   /* an extension code: acceptable */
		expect(rows[i].to, "coderej");
	}
}

static void test_rxj_minus(void **state)
{
	static const struct { enum fsm_state from, to; const char *acts; } rows[] = {
		{ FSM_CLOSED, FSM_CLOSED, "tlf" },
		{ FSM_STOPPED, FSM_STOPPED, "tlf" },
		{ FSM_CLOSING, FSM_CLOSED, "tlf" },
		{ FSM_STOPPING, FSM_STOPPED, "tlf" },
		{ FSM_REQ_SENT, FSM_STOPPED, "tlf" },
		{ FSM_ACK_RCVD, FSM_STOPPED, "tlf" },
		{ FSM_ACK_SENT, FSM_STOPPED, "tlf" },
		{ FSM_OPENED, FSM_STOPPING, "tld,str" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		drive(rows[i].from);
		rxj(CP_CONF_REQ);
		expect(rows[i].to, rows[i].acts);
	}
	drive(FSM_OPENED);
	rxj(CP_TERM_ACK);
	assert_int_equal(t.f.restart, MAX_TERM - 1);
	/* Protocol-Reject of this protocol is RXJ- as well */
	drive(FSM_REQ_SENT);
	fsm_protreject(&t.f);
	expect(FSM_STOPPED, "tlf");
}

static void test_rxr(void **state)
{
	static const uint8_t data[] = { 0, 0, 0, 0, 'x' };
	enum fsm_state s;

	drive(FSM_OPENED);
	rx(9, 0x33, data, sizeof(data));
	expect(FSM_OPENED, "ser");
	assert_int_equal(t.pkts[0].buf[1], 0x33);
	assert_int_equal(t.pkts[0].len, 9);
	for (s = FSM_CLOSED; s < FSM_OPENED; s++) {
		drive(s);
		rx(9, 0x33, data, sizeof(data));
		expect(s, "");
	}
}

/* The peer renegotiates an Opened link: tld, our request, then our
 * answer to theirs; both sides agree again and the layer comes back up. */
static void test_renegotiation(void **state)
{
	uint8_t old_id;

	drive(FSM_OPENED);
	old_id = wire_reqid();
	rcr(CP_CONF_ACK);
	expect(FSM_ACK_SENT, "tld,scr,sca");
	assert_int_equal(t.npkts, 2);
	assert_int_equal(t.pkts[0].buf[0], CP_CONF_REQ);
	assert_int_equal(t.pkts[0].buf[1], (uint8_t)(old_id + 1));
	/* resetci ran: a fresh negotiation */
	assert_int_equal(t.pkts[0].buf[6], 0x11);
	assert_int_equal(t.pkts[1].buf[0], CP_CONF_ACK);
	assert_int_equal(t.pkts[1].buf[1], 0x80);
	assert_int_equal(t.f.restart, MAX_CONF - 1);
	assert_true(tw_pending(&t.f.timer));
	clear_log();
	rca();
	expect(FSM_OPENED, "tlu");

	/* Renegotiation where we disagree first */
	clear_log();
	rcr(CP_CONF_NAK);
	expect(FSM_REQ_SENT, "tld,scr,scn");
	clear_log();
	rcr(CP_CONF_ACK);
	rca();
	expect(FSM_OPENED, "sca,tlu");
}

static void test_initial_discards(void **state)
{
	drive(FSM_INITIAL);
	rcr(CP_CONF_ACK);
	rtr();
	expect(FSM_INITIAL, "");
	assert_int_equal(t.f.rx_discarded, 2);
}

static void test_malformed(void **state)
{
	static const uint8_t shortpkt[] = { 1, 1, 0 };
	static const uint8_t badlen[] = { 1, 1, 0, 9, 1, 3, 0 };

	drive(FSM_REQ_SENT);
	fsm_input(&t.f, shortpkt, sizeof(shortpkt));
	fsm_input(&t.f, badlen, sizeof(badlen));
	expect(FSM_REQ_SENT, "");
	assert_int_equal(t.f.rx_discarded, 2);
	/* an empty Code-Reject */
	rx(CP_CODE_REJ, 1, NULL, 0);
	expect(FSM_REQ_SENT, "");
}

static void test_reset(void **state)
{
	drive(FSM_REQ_SENT);
	fsm_reset(&t.f);
	expect(FSM_INITIAL, "");
	assert_false(tw_pending(&t.f.timer));
	timeout();
	expect(FSM_INITIAL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up),
		cmocka_unit_test(test_down),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_rcr_plus),
		cmocka_unit_test(test_rcr_minus),
		cmocka_unit_test(test_max_failure),
		cmocka_unit_test(test_rca),
		cmocka_unit_test(test_rca_checks),
		cmocka_unit_test(test_rcn),
		cmocka_unit_test(test_rcn_not_converging),
		cmocka_unit_test(test_rtr),
		cmocka_unit_test(test_rta),
		cmocka_unit_test(test_ruc),
		cmocka_unit_test(test_rxj_plus),
		cmocka_unit_test(test_rxj_minus),
		cmocka_unit_test(test_rxr),
		cmocka_unit_test(test_renegotiation),
		cmocka_unit_test(test_initial_discards),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
