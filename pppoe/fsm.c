// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsm.c - the RFC 1661 section 4 automaton, once, for every control protocol.
 *
 * Each receive or administrative event is one function with a switch over
 * the ten states, following the state transition table of RFC 1661 4.1.
 * The action abbreviations of the table appear in the comments: irc, zrc,
 * scr, sca, scn, str, sta, scj, ser, tlu, tld, tls, tlf.
 *
 * Reentrancy rule: this-layer-finished is always the last thing an event
 * does (the owner may tear the link down or even reinitialise the FSM from
 * it), and the state is updated before it is called.
 *
 * Longer than 700 lines on purpose: the automaton is one table (ten states
 * by sixteen events) and reads best in one file, next to the RFC.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/cp.h"
#include "pppoe/fsm.h"
#include "pppoe/log.h"
#include "pppoe/wire.h"

static const char *const fsm_state_names[] = {
	[FSM_INITIAL] = "Initial",
	[FSM_STARTING] = "Starting",
	[FSM_CLOSED] = "Closed",
	[FSM_STOPPED] = "Stopped",
	[FSM_CLOSING] = "Closing",
	[FSM_STOPPING] = "Stopping",
	[FSM_REQ_SENT] = "Req-Sent",
	[FSM_ACK_RCVD] = "Ack-Rcvd",
	[FSM_ACK_SENT] = "Ack-Sent",
	[FSM_OPENED] = "Opened",
};

const char *fsm_state_name(enum fsm_state s)
{
	if ((unsigned int)s < sizeof(fsm_state_names) / sizeof(fsm_state_names[0]))
		return fsm_state_names[s];
	return "?";
}

static void fsm_timeout(struct tw_timer *t);

void fsm_init(struct fsm *f, const struct fsm_callbacks *cb, void *owner,
	      int (*send)(void *owner, uint16_t proto, const uint8_t *data, size_t len),
	      struct tw_wheel *wheel, const char *label)
{
	memset(f, 0, sizeof(*f));
	f->cb = cb;
	f->owner = owner;
	f->send = send;
	f->wheel = wheel;
	f->label = label;
	f->state = FSM_INITIAL;
	f->mtu = PPPOE_MRU;
	tw_timer_init(&f->timer, fsm_timeout);
	fsm_set_limits(f, 0, 0, 0, 0);
}

void fsm_set_limits(struct fsm *f, unsigned int restart_ms, unsigned int max_configure,
		    unsigned int max_terminate, unsigned int max_failure)
{
	f->restart_ms = restart_ms ? restart_ms : FSM_DEF_RESTART_MS;
	f->max_configure = max_configure ? max_configure : FSM_DEF_MAX_CONFIGURE;
	f->max_terminate = max_terminate ? max_terminate : FSM_DEF_MAX_TERMINATE;
	f->max_failure = max_failure ? max_failure : FSM_DEF_MAX_FAILURE;
	f->cur_restart_ms = f->restart_ms;
}

void fsm_set_backoff(struct fsm *f, unsigned int max_ms)
{
	f->backoff_max_ms = max_ms;
}

void fsm_reset(struct fsm *f)
{
	tw_cancel(f->wheel, &f->timer);
	f->state = FSM_INITIAL;
	f->reqid_valid = false;
	f->peer_term = false;
	f->restart = 0;
	f->nakloops = 0;
	f->rnakloops = 0;
	f->reqlen = 0;
}

/*
 * fsm_resume_opened - Opened without a negotiation: a link negotiated by an
 * earlier run of the owner (crash, upgrade) that the peer still holds.
 * No actions run: the owner restores what this-layer-up would have set.
 */
void fsm_resume_opened(struct fsm *f)
{
	fsm_reset(f);
	f->state = FSM_OPENED;
	f->heard = true;
	f->unanswered = 0;
	f->cur_restart_ms = f->restart_ms;
	sl_debug(f->label, "%s: resumed in Opened", f->cb->name);
}

/* fsm_set_state - every transition goes through here, for the debug log */
static void fsm_set_state(struct fsm *f, enum fsm_state s)
{
	if (f->state != s)
		sl_debug(f->label, "%s: %s -> %s", f->cb->name, fsm_state_name(f->state),
			 fsm_state_name(s));
	f->state = s;
	/* Only the negotiating and terminating states run the restart timer. */
	switch (s) {
	case FSM_INITIAL:
	case FSM_STARTING:
	case FSM_CLOSED:
	case FSM_STOPPED:
	case FSM_OPENED:
		tw_cancel(f->wheel, &f->timer);
		break;
	default:
		break;
	}
}

static void fsm_tlu(struct fsm *f)
{
	if (f->cb->up)
		f->cb->up(f);
}

static void fsm_tld(struct fsm *f)
{
	if (f->cb->down)
		f->cb->down(f);
}

static void fsm_tls(struct fsm *f)
{
	if (f->cb->starting)
		f->cb->starting(f);
}

static void fsm_tlf(struct fsm *f)
{
	if (f->cb->finished)
		f->cb->finished(f);
}

/* irc - Initialize-Restart-Count for the request kind about to be sent */
static void fsm_irc_conf(struct fsm *f)
{
	f->restart = f->max_configure;
}

static void fsm_irc_term(struct fsm *f)
{
	f->restart = f->max_terminate;
}

/* zrc - Zero-Restart-Count: one restart period, then TO- */
static void fsm_zrc(struct fsm *f)
{
	f->restart = 0;
	tw_arm(f->wheel, &f->timer, f->restart_ms);
}

uint8_t fsm_next_id(struct fsm *f)
{
	return ++f->id;
}

int fsm_sdata(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t buf[CP_MAX_PKT];
	struct cp_buf b;
	int n;

	cp_buf_init(&b, buf, sizeof(buf), code, id);
	cp_put(&b, data, len);
	n = cp_finish(&b);
	if (n < 0) {
		sl_warn(f->label, "%s: %s too long (%zu bytes), not sent", f->cb->name,
			cp_code_name(code), len);
		return n;
	}
	return f->send(f->owner, f->cb->proto, buf, (size_t)n);
}

/* scr - Send-Configure-Request; @retransmit keeps the identifier */
static void fsm_scr(struct fsm *f, bool retransmit)
{
	int n;

	/* Not negotiating yet: a fresh start, so forget earlier Naks. */
	if (f->state != FSM_REQ_SENT && f->state != FSM_ACK_RCVD &&
	    f->state != FSM_ACK_SENT) {
		if (f->cb->resetci)
			f->cb->resetci(f);
		f->nakloops = 0;
		f->rnakloops = 0;
	}
	if (!retransmit || !f->reqid_valid)
		f->reqid = fsm_next_id(f);
	f->reqid_valid = true;
	n = f->cb->addci ? f->cb->addci(f, f->req, sizeof(f->req)) : 0;
	if (n < 0) {
		sl_err(f->label, "%s: cannot build Configure-Request (%d)", f->cb->name, n);
		n = 0;
	}
	f->reqlen = (size_t)n;
	fsm_sdata(f, CP_CONF_REQ, f->reqid, f->req, f->reqlen);
	f->tx_confreq++;
	f->last_scr_ms = f->wheel->now;
	if (f->restart)
		f->restart--;
	tw_arm(f->wheel, &f->timer, f->heard ? f->restart_ms : f->cur_restart_ms);
}

/* str - Send-Terminate-Request */
static void fsm_str(struct fsm *f)
{
	f->termid = fsm_next_id(f);
	fsm_sdata(f, CP_TERM_REQ, f->termid, NULL, 0);
	f->tx_termreq++;
	if (f->restart)
		f->restart--;
	tw_arm(f->wheel, &f->timer, f->restart_ms);
}

/* sta - Send-Terminate-Ack */
static void fsm_sta(struct fsm *f, uint8_t id)
{
	fsm_sdata(f, CP_TERM_ACK, id, NULL, 0);
}

/* scj - Send-Code-Reject carrying as much of the bad packet as fits */
static void fsm_scj(struct fsm *f, const uint8_t *pkt, size_t len)
{
	size_t room = f->mtu > CP_HDR_LEN ? f->mtu - CP_HDR_LEN : 0;

	if (len > room)
		len = room;
	fsm_sdata(f, CP_CODE_REJ, fsm_next_id(f), pkt, len);
}

static void fsm_discard(struct fsm *f, const char *what)
{
	f->rx_discarded++;
	sl_debug(f->label, "%s: %s in state %s, discarded", f->cb->name, what,
		 fsm_state_name(f->state));
}

/* fsm_open - administrative Open event */
void fsm_open(struct fsm *f)
{
	switch (f->state) {
	case FSM_INITIAL:
		fsm_set_state(f, FSM_STARTING);
		fsm_tls(f);
		break;
	case FSM_CLOSED:
		fsm_irc_conf(f);
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_CLOSING:
		/* 5r: keep terminating, but end in Stopped so a peer's
		 * Configure-Request can restart the link. */
		fsm_set_state(f, FSM_STOPPING);
		break;
	default:
		/* Starting, Stopped, Stopping, Req-Sent..Opened: already open. */
		break;
	}
}

/* fsm_close - administrative Close event */
void fsm_close(struct fsm *f)
{
	switch (f->state) {
	case FSM_STARTING:
		fsm_set_state(f, FSM_INITIAL);
		fsm_tlf(f);
		break;
	case FSM_STOPPED:
		fsm_set_state(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		fsm_set_state(f, FSM_CLOSING);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		/* fall through */
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_irc_term(f);
		fsm_str(f);
		fsm_set_state(f, FSM_CLOSING);
		break;
	default:
		/* Initial, Closed, Closing: nothing to do. */
		break;
	}
}

/* fsm_lowerup - the lower layer is Up */
void fsm_lowerup(struct fsm *f)
{
	f->heard = false;
	f->unanswered = 0;
	f->cur_restart_ms = f->restart_ms;
	switch (f->state) {
	case FSM_INITIAL:
		fsm_set_state(f, FSM_CLOSED);
		break;
	case FSM_STARTING:
		fsm_irc_conf(f);
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		sl_debug(f->label, "%s: Up event in state %s ignored", f->cb->name,
			 fsm_state_name(f->state));
		break;
	}
}

/* fsm_lowerdown - the lower layer is Down */
void fsm_lowerdown(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		fsm_set_state(f, FSM_INITIAL);
		break;
	case FSM_STOPPED:
		fsm_set_state(f, FSM_STARTING);
		fsm_tls(f);
		break;
	case FSM_STOPPING:
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_set_state(f, FSM_STARTING);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_set_state(f, FSM_STARTING);
		break;
	default:
		/* Initial, Starting: already down. */
		break;
	}
}

/*
 * fsm_first_heard - the peer speaks for the first time: the backed-off
 * interval goes back to restart_ms, counted from our last request. Not
 * sooner: a peer that starts late may still read what we sent before (an
 * rp-pppoe AC queues it for the pppd it forks), and a second copy reaching
 * it once it is Opened would make it negotiate again.
 */
static void fsm_first_heard(struct fsm *f)
{
	uint64_t now = f->wheel->now, due = f->last_scr_ms + f->restart_ms;

	f->heard = true;
	if (f->cur_restart_ms == f->restart_ms)
		return;
	f->cur_restart_ms = f->restart_ms;
	if (tw_pending(&f->timer) &&
	    (f->state == FSM_REQ_SENT || f->state == FSM_ACK_RCVD || f->state == FSM_ACK_SENT))
		tw_arm(f->wheel, &f->timer, due > now ? due - now : 0);
}

/* fsm_timeout - restart timer expiry: TO+ while the counter lasts, else TO- */
static void fsm_timeout(struct tw_timer *t)
{
	struct fsm *f = container_of(t, struct fsm, timer);

	switch (f->state) {
	case FSM_CLOSING:
	case FSM_STOPPING:
		if (f->restart) {
			fsm_str(f);
			break;
		}
		fsm_set_state(f, f->state == FSM_CLOSING ? FSM_CLOSED : FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		if (!f->heard) {
			f->unanswered++;
			if (f->backoff_max_ms && f->cur_restart_ms < f->backoff_max_ms)
				f->cur_restart_ms = f->cur_restart_ms * 2 < f->backoff_max_ms ?
						    f->cur_restart_ms * 2 : f->backoff_max_ms;
			if (f->cb->unanswered)
				f->cb->unanswered(f, f->unanswered);
		}
		if (!f->restart && !f->heard && f->cb->patient && f->cb->patient(f)) {
			sl_info(f->label, "%s: peer silent after %u Configure-Requests but known "
				"alive, still waiting", f->cb->name, f->max_configure);
			fsm_irc_conf(f);
		}
		if (f->restart) {
			fsm_scr(f, true);
			if (f->state == FSM_ACK_RCVD)
				fsm_set_state(f, FSM_REQ_SENT);
			break;
		}
		sl_info(f->label, "%s: no agreement after %u Configure-Requests", f->cb->name,
			f->max_configure);
		/* TO- with the passive option: wait in Stopped. */
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	default:
		/* A stale expiry (the timer is stopped on leaving these states). */
		break;
	}
}

/* fsm_rconfreq - RCR+ / RCR-: the peer's Configure-Request */
void fsm_rconfreq(struct fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	uint8_t out[CP_MAX_PKT];
	size_t outlen = 0;
	int code;

	switch (f->state) {
	case FSM_CLOSED:
		fsm_sta(f, id);
		return;
	case FSM_CLOSING:
	case FSM_STOPPING:
		return;
	case FSM_INITIAL:
	case FSM_STARTING:
		fsm_discard(f, "Configure-Request");
		return;
	default:
		break;
	}

	if (!f->cb->reqci) {
		code = CP_CONF_ACK;
		outlen = len <= sizeof(out) ? len : 0;
		memcpy(out, opts, outlen);
	} else {
		code = f->cb->reqci(f, opts, len, out, sizeof(out), &outlen,
				    f->nakloops >= f->max_failure);
	}
	if (code < 0) {
		fsm_discard(f, "malformed Configure-Request");
		return;
	}

	switch (f->state) {
	case FSM_STOPPED:
		fsm_irc_conf(f);
		fsm_scr(f, false);
		break;
	case FSM_OPENED:
		/* The peer renegotiates: the link goes down and both sides
		 * start over (RFC 1661 table, RCR in Opened). */
		fsm_tld(f);
		fsm_scr(f, false);
		break;
	default:
		break;
	}

	fsm_sdata(f, (uint8_t)code, id, out, outlen);
	if (code == CP_CONF_ACK) {
		f->nakloops = 0;
		if (f->state == FSM_ACK_RCVD) {
			fsm_set_state(f, FSM_OPENED);
			fsm_tlu(f);
		} else {
			fsm_set_state(f, FSM_ACK_SENT);
		}
	} else {
		if (code == CP_CONF_NAK)
			f->nakloops++;
		/* RCR-: Ack-Rcvd stays, everyone else goes to Req-Sent. */
		if (f->state != FSM_ACK_RCVD)
			fsm_set_state(f, FSM_REQ_SENT);
	}
}

/* fsm_reply_ok - is this Ack/Nak/Reject an answer to our current request? */
static bool fsm_reply_ok(struct fsm *f, uint8_t id, const char *what)
{
	if (!f->reqid_valid || id != f->reqid) {
		f->rx_discarded++;
		sl_debug(f->label, "%s: %s id %u does not match request id %u, discarded",
			 f->cb->name, what, id, f->reqid);
		return false;
	}
	return true;
}

/* fsm_rconfack - RCA: the peer acked our Configure-Request */
void fsm_rconfack(struct fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		fsm_sta(f, id);
		return;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
	case FSM_OPENED:
		break;
	default:
		if (f->state == FSM_INITIAL || f->state == FSM_STARTING)
			fsm_discard(f, "Configure-Ack");
		return;
	}
	if (!fsm_reply_ok(f, id, "Configure-Ack"))
		return;
	/* An Ack must repeat our options exactly (RFC 1661 5.2). */
	if (len != f->reqlen || (len && memcmp(opts, f->req, len))) {
		fsm_discard(f, "Configure-Ack not matching our request");
		return;
	}
	/* One reply per request: a duplicate Ack must not reset the link. */
	f->reqid_valid = false;
	f->rnakloops = 0;
	if (f->cb->ackci)
		f->cb->ackci(f, opts, len);

	switch (f->state) {
	case FSM_REQ_SENT:
		fsm_irc_conf(f);
		fsm_set_state(f, FSM_ACK_RCVD);
		break;
	case FSM_ACK_RCVD:
		/* 6x: crossed connection */
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_ACK_SENT:
		fsm_irc_conf(f);
		fsm_set_state(f, FSM_OPENED);
		fsm_tlu(f);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

/* fsm_rconfnakrej - RCN: the peer nak'd or rejected our Configure-Request */
void fsm_rconfnakrej(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *opts,
		     size_t len)
{
	const char *what = code == CP_CONF_NAK ? "Configure-Nak" : "Configure-Reject";
	int r;

	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		fsm_sta(f, id);
		return;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
	case FSM_OPENED:
		break;
	default:
		if (f->state == FSM_INITIAL || f->state == FSM_STARTING)
			fsm_discard(f, what);
		return;
	}
	if (!fsm_reply_ok(f, id, what))
		return;
	if (code == CP_CONF_NAK)
		r = f->cb->nakci ? f->cb->nakci(f, opts, len) : 0;
	else
		r = f->cb->rejci ? f->cb->rejci(f, opts, len) : 0;
	if (r < 0) {
		fsm_discard(f, what);
		return;
	}
	f->reqid_valid = false;

	/* A peer that never accepts what we offer: give up like TO-. */
	if (++f->rnakloops > f->max_configure && f->state != FSM_OPENED) {
		sl_info(f->label, "%s: %u Configure-Naks/Rejects in a row, giving up",
			f->cb->name, f->rnakloops - 1);
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		return;
	}

	switch (f->state) {
	case FSM_REQ_SENT:
	case FSM_ACK_SENT:
		fsm_irc_conf(f);
		fsm_scr(f, false);
		break;
	case FSM_ACK_RCVD:
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

/* fsm_rtermreq - RTR: the peer's Terminate-Request */
void fsm_rtermreq(struct fsm *f, uint8_t id, const uint8_t *data, size_t len)
{
	switch (f->state) {
	case FSM_INITIAL:
	case FSM_STARTING:
		fsm_discard(f, "Terminate-Request");
		break;
	case FSM_CLOSED:
	case FSM_STOPPED:
	case FSM_CLOSING:
	case FSM_STOPPING:
		fsm_sta(f, id);
		break;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_sta(f, id);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED:
		f->peer_term = true;
		fsm_tld(f);
		/* zrc: wait one restart period before tlf so our
		 * Terminate-Ack has a chance to arrive (RFC 1661 3.7). */
		fsm_zrc(f);
		fsm_sta(f, id);
		fsm_set_state(f, FSM_STOPPING);
		break;
	}
}

/* fsm_rtermack - RTA: the peer acked a Terminate-Request */
void fsm_rtermack(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_CLOSING:
		fsm_set_state(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPING:
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_ACK_RCVD:
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f, false);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_INITIAL:
	case FSM_STARTING:
		fsm_discard(f, "Terminate-Ack");
		break;
	default:
		break;
	}
}

/* fsm_rxj_plus - RXJ+: a rejected code or protocol we can do without */
static void fsm_rxj_plus(struct fsm *f)
{
	if (f->state == FSM_ACK_RCVD)
		fsm_set_state(f, FSM_REQ_SENT);
}

/* fsm_rxj_minus - RXJ-: the peer cannot speak what we need, give up */
static void fsm_rxj_minus(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		fsm_set_state(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPED:
	case FSM_STOPPING:
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_irc_term(f);
		fsm_str(f);
		fsm_set_state(f, FSM_STOPPING);
		break;
	default:
		break;
	}
}

/*
 * fsm_rcoderej - the peer's Code-Reject (RFC 1661 5.6).
 *
 * Rejected-Packet starts with the header of the packet we sent; rejecting
 * one of the codes 1-7 means the peer cannot run the automaton: RXJ-.
 */
void fsm_rcoderej(struct fsm *f, const uint8_t *data, size_t len)
{
	uint8_t code;

	if (f->state == FSM_INITIAL || f->state == FSM_STARTING) {
		fsm_discard(f, "Code-Reject");
		return;
	}
	if (len < 1) {
		fsm_discard(f, "empty Code-Reject");
		return;
	}
	code = data[0];
	sl_info(f->label, "%s: peer rejected code %u (%s)", f->cb->name, code,
		cp_code_name(code));
	if (code >= CP_CONF_REQ && code <= CP_CODE_REJ) {
		fsm_rxj_minus(f);
		return;
	}
	if (f->cb->coderej)
		f->cb->coderej(f, code);
	fsm_rxj_plus(f);
}

void fsm_protreject(struct fsm *f)
{
	if (f->state == FSM_INITIAL || f->state == FSM_STARTING)
		return;
	fsm_rxj_minus(f);
}

/* fsm_input - decode one packet of this protocol and dispatch its event */
void fsm_input(struct fsm *f, const uint8_t *data, size_t len)
{
	struct cp_pkt p;
	int r;

	if (cp_decode(data, len, &p)) {
		fsm_discard(f, "malformed packet");
		return;
	}
	if (f->state == FSM_INITIAL || f->state == FSM_STARTING) {
		fsm_discard(f, cp_code_name(p.code));
		return;
	}
	if (!f->heard)
		fsm_first_heard(f);
	switch (p.code) {
	case CP_CONF_REQ:
		fsm_rconfreq(f, p.id, p.data, p.dlen);
		break;
	case CP_CONF_ACK:
		fsm_rconfack(f, p.id, p.data, p.dlen);
		break;
	case CP_CONF_NAK:
	case CP_CONF_REJ:
		fsm_rconfnakrej(f, p.code, p.id, p.data, p.dlen);
		break;
	case CP_TERM_REQ:
		fsm_rtermreq(f, p.id, p.data, p.dlen);
		break;
	case CP_TERM_ACK:
		fsm_rtermack(f, p.id);
		break;
	case CP_CODE_REJ:
		fsm_rcoderej(f, p.data, p.dlen);
		break;
	default:
		r = f->cb->extcode ? f->cb->extcode(f, p.code, p.id, p.data, p.dlen)
				   : -EOPNOTSUPP;
		if (r == -EOPNOTSUPP) {
			/* RUC: scj, state unchanged. */
			sl_debug(f->label, "%s: unknown code %u, sending Code-Reject",
				 f->cb->name, p.code);
			fsm_scj(f, data, p.len);
		}
		break;
	}
}
