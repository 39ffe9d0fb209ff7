// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session.c - one client session: PPPoE discovery, the PPP link over it,
 * and redial with exponential backoff and jitter when either fails.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"


#define SESSION_FRAME_MAX 1600

static const char *const state_names[] = {
	[SESS_IDLE] = "idle",
	[SESS_QUEUED] = "queued",
	[SESS_DISCOVERY] = "discovery",
	[SESS_PPP] = "ppp",
	[SESS_UP] = "up",
	[SESS_TERMINATING] = "terminating",
	[SESS_HOLDOFF] = "holdoff",
	[SESS_FAILED] = "failed",
};

const char *session_state_name(enum session_state st)
{
	return st < sizeof(state_names) / sizeof(state_names[0]) ? state_names[st] : "?";
}

/* session_setup_tell - report setup progress to the owner, if it asked */
static void session_setup_tell(struct session *s, enum session_setup_ev ev)
{
	if (s->ops->setup)
		s->ops->setup(s, ev);
}

static void session_set_state(struct session *s, enum session_state st)
{
	if (s->state == st)
		return;
	sl_debug(s->label, "session: %s -> %s", session_state_name(s->state),
		 session_state_name(st));
	s->state = st;
	/* Setup is discovery and PPP negotiation; any other state ends it. */
	if (s->in_setup && st != SESS_DISCOVERY && st != SESS_PPP) {
		s->in_setup = false;
		tw_cancel(s->wheel, &s->setup_timer);
		session_setup_tell(s, st == SESS_UP ? SESSION_SETUP_OK : SESSION_SETUP_FAILED);
	}
}

static void session_setup_expired(struct tw_timer *t)
{
	struct session *s = container_of(t, struct session, setup_timer);

	if (!s->in_setup)
		return;
	sl_info(s->label, "still in setup after %u s: no longer counted as starting",
		SESSION_SETUP_SLOT_MS / 1000);
	s->in_setup = false;
	session_setup_tell(s, SESSION_SETUP_EXPIRED);
}

/* session_rand - xorshift32: jitter only, no need for a strong source */
static uint32_t session_rand(struct session *s)
{
	uint32_t x = s->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	s->rng = x;
	return x;
}

static void session_unbind(struct session *s)
{
	if (!s->bound)
		return;
	s->bound = false;
	if (s->ops->unbound)
		s->ops->unbound(s);
}

/*
 * session_host_uniq_set - Host-Uniq for a new dial: our index for the
 * owner's demux (session_host_uniq_index reads it back), then a per-dial
 * nonce so answers to an earlier attempt are not taken for this one.
 */
static void session_host_uniq_set(struct session *s, uint32_t nonce)
{
	uint8_t *hu = s->disc.host_uniq;

	hu[0] = (uint8_t)(s->index >> 24);
	hu[1] = (uint8_t)(s->index >> 16);
	hu[2] = (uint8_t)(s->index >> 8);
	hu[3] = (uint8_t)s->index;
	memcpy(&hu[4], &nonce, 4);
	s->disc.host_uniq_len = SESSION_HOST_UNIQ_LEN;
}

int session_host_uniq_index(const struct disc_pkt *p, uint32_t *index)
{
	const uint8_t *hu = p->host_uniq.ptr;

	if (!p->host_uniq.present || p->host_uniq.len != SESSION_HOST_UNIQ_LEN)
		return -ENOENT;
	*index = (uint32_t)hu[0] << 24 | (uint32_t)hu[1] << 16 | (uint32_t)hu[2] << 8 | hu[3];
	return 0;
}

/*
 * session_ask_payload - the PPP-Max-Payload to put in PADI/PADR (RFC 4638):
 * the configured mtu (or mru) when above 1492, within what the interface
 * carries; 0 for none. An interface too small for it is reported once per
 * interface MTU, not at every redial.
 */
static uint16_t session_ask_payload(struct session *s)
{
	unsigned int want = s->conf->ppp.mtu > s->conf->ppp.mru ? s->conf->ppp.mtu
								 : s->conf->ppp.mru;
	unsigned int hl = PPPOE_SESS_HLEN - ETH_HLEN_;
	unsigned int lower = s->lower_mtu ? s->lower_mtu : 1500;
	unsigned int room = lower > hl ? lower - hl : 0;

	if (want <= PPPOE_MRU)
		return 0;
	if (want > room) {
		if (s->mtu_warned != lower) {
			s->mtu_warned = lower;
			sl_warn(s->label, "mtu %u needs an interface MTU of at least %u, and it is "
				"%u: asking for %u", want, want + hl, lower,
				room);
		}
		want = room;
	} else {
		s->mtu_warned = 0; /* fits again: a later shrink is news */
	}
	return want > PPPOE_MRU ? (uint16_t)want : 0;
}

/* session_dial_now - start discovery */
static void session_dial_now(struct session *s)
{
	uint32_t nonce = session_rand(s);

	s->dials++;
	if (s->dials > 1)
		s->redials++;
	session_host_uniq_set(s, nonce);
	session_set_state(s, SESS_DISCOVERY);
	s->attempt_up = false;
	s->redial_fast = false;
	s->lcp_patience = 0;
	if (!s->in_setup) { /* a dial without the owner's pacing may repeat one */
		s->in_setup = true;
		s->setup_start_ms = s->wheel->now;
		tw_arm(s->wheel, &s->setup_timer, SESSION_SETUP_SLOT_MS);
		session_setup_tell(s, SESSION_SETUP_BEGIN);
	}
	s->disc.ask_max_payload = session_ask_payload(s);
	disc_start(&s->disc);
}

/* session_dial - dial now, or ask the owner's pacing for a slot */
static void session_dial(struct session *s)
{
	if (!s->ops->dial_request) {
		session_dial_now(s);
		return;
	}
	session_set_state(s, SESS_QUEUED);
	s->ops->dial_request(s);
}

/* session_mru_limit - 1492 (or PPP-Max-Payload), within the interface MTU */
unsigned int session_mru_limit(const struct session *s, uint16_t max_payload)
{
	unsigned int limit = max_payload ? max_payload : PPPOE_MRU;

	/* An MTU below 8 + LCP's minimum MRU cannot carry PPPoE at all; LCP
	 * then asks for its minimum and the peer decides. */
	if (s->lower_mtu && s->lower_mtu < limit + PPPOE_SESS_HLEN - ETH_HLEN_)
		limit = s->lower_mtu > PPPOE_SESS_HLEN - ETH_HLEN_ + LCP_MIN_MRU ?
			s->lower_mtu - (PPPOE_SESS_HLEN - ETH_HLEN_) : LCP_MIN_MRU;
	return limit;
}

void session_link_up(struct session *s)
{
	if (s->admin_up && s->state == SESS_HOLDOFF) {
		tw_cancel(s->wheel, &s->holdoff_timer);
		sl_info(s->label, "link up: dialing now");
		session_dial(s);
	}
}

void session_set_mac(struct session *s, const uint8_t mac[6])
{
	memcpy(s->mac, mac, 6);
	memcpy(s->disc.our_mac, mac, 6);
}

void session_dial_go(struct session *s)
{
	if (s->state == SESS_QUEUED && s->admin_up)
		session_dial_now(s);
}

static void session_dequeue(struct session *s)
{
	if (s->state == SESS_QUEUED && s->ops->dial_cancel)
		s->ops->dial_cancel(s);
}

static void session_holdoff_expired(struct tw_timer *t)
{
	struct session *s = container_of(t, struct session, holdoff_timer);

	if (s->admin_up && s->state == SESS_HOLDOFF)
		session_dial(s);
}

/*
 * session_schedule_redial - count a failure and wait before dialing again:
 * holdoff * 2^(failures-1), capped at holdoff_max, with the wait drawn
 * uniformly from its upper half so many sessions failing together (an AC
 * restart) do not come back in lockstep.
 */
static void session_schedule_redial(struct session *s)
{
	uint64_t base_ms, wait_ms;
	unsigned int i;

	if (!s->admin_up) {
		session_set_state(s, SESS_IDLE);
		return;
	}
	s->failures++;
	if (s->conf->maxfail && s->failures >= s->conf->maxfail) {
		sl_err(s->label, "giving up after %u consecutive failures (maxfail)",
		       s->failures);
		session_set_state(s, SESS_FAILED);
		return;
	}
	if (s->failures == 1 && s->redial_fast && s->ops->dial_request) {
		/* The AC said no (PADT, PADS error) or a session that was up was
		 * lost: dial again at once. Only with the owner's pacing: that
		 * (and its setup window) keeps thousands doing this at the same
		 * moment from becoming a storm; without it the holdoff's jitter
		 * has to spread them. */
		sl_info(s->label, "redialing now (failure 1)");
		session_dial(s);
		return;
	}
	base_ms = (uint64_t)s->conf->holdoff * 1000;
	for (i = 1; i < s->failures && base_ms < (uint64_t)s->conf->holdoff_max * 1000; i++)
		base_ms *= 2;
	if (base_ms > (uint64_t)s->conf->holdoff_max * 1000)
		base_ms = (uint64_t)s->conf->holdoff_max * 1000;
	wait_ms = base_ms / 2 + (base_ms ? session_rand(s) % (base_ms / 2 + 1) : 0);
	sl_info(s->label, "redial in %llu.%03llu s (failure %u)",
		(unsigned long long)(wait_ms / 1000), (unsigned long long)(wait_ms % 1000),
		s->failures);
	session_set_state(s, SESS_HOLDOFF);
	tw_arm(s->wheel, &s->holdoff_timer, wait_ms);
}

/* ---- discovery callbacks ---------------------------------------------- */

static int session_disc_output(struct disc *d, const uint8_t *frame, size_t len)
{
	struct session *s = d->ctx;

	return s->ops->output(s, frame, len);
}

static void session_disc_established(struct disc *d)
{
	struct session *s = d->ctx;

	s->bound = true;
	if (s->ops->bound)
		s->ops->bound(s);
	session_set_state(s, SESS_PPP);
	ppp_open(&s->ppp, (uint16_t)session_mru_limit(s, d->max_payload));
}

static void session_disc_failed(struct disc *d, enum disc_fail why)
{
	struct session *s = d->ctx;

	s->redial_fast = why == DISC_FAIL_ERROR_TAG;
	snprintf(s->last_error, sizeof(s->last_error), "%s",
		 why == DISC_FAIL_TIMEOUT ? "no answer from an access concentrator"
					  : "access concentrator refused the session");
	session_schedule_redial(s);
}

static void session_disc_terminated(struct disc *d)
{
	struct session *s = d->ctx;

	sl_info(s->label, "access concentrator ended the session (PADT)");
	snprintf(s->last_error, sizeof(s->last_error), "PADT from access concentrator");
	session_unbind(s);
	ppp_lowerdown(&s->ppp);
}

static void session_disc_retry(struct disc *d)
{
	struct session *s = d->ctx;

	session_setup_tell(s, d->state == DISC_PADR_SENT ? SESSION_SETUP_PADS_LATE
							  : SESSION_SETUP_PADO_LATE);
}

static const struct disc_ops session_disc_ops = {
	.output = session_disc_output,
	.retry = session_disc_retry,
	.established = session_disc_established,
	.failed = session_disc_failed,
	.terminated = session_disc_terminated,
};

/* ---- PPP callbacks ----------------------------------------------------- */

static int session_ppp_output(struct ppp *p, uint16_t proto, const uint8_t *data, size_t len)
{
	struct session *s = p->ctx;
	uint8_t frame[SESSION_FRAME_MAX];
	size_t hl;
	int ret;

	if (s->disc.state != DISC_SESSION)
		return -ENOTCONN;
	if (len > sizeof(frame) - PPPOE_SESS_HLEN - PPPOE_VLAN_MAX_TAGS * VLAN_HLEN_)
		return -EMSGSIZE;
	hl = pppoe_sess_hdr_encode_vlan(frame, s->disc.ac_mac, s->mac, &s->disc.vlan,
					s->disc.session_id, proto, (uint16_t)len);
	memcpy(frame + hl, data, len);
	ret = s->ops->output(s, frame, hl + len);
	/* A PAP request carries the password in clear. */
	if (proto == PPP_PAP)
		explicit_bzero(frame + hl, len);
	return ret;
}

static void session_ppp_network_up(struct ppp *p, const struct ppp_net *net)
{
	struct session *s = p->ctx;

	s->failures = 0;
	s->attempt_up = true;
	s->up_since_ms = s->wheel->now;
	s->last_error[0] = '\0';
	session_set_state(s, SESS_UP);
	s->ops->net_up(s, net);
	/* IPv6CP may have opened first: IPv6 goes on the interface now. */
	if (ppp_ip6_ok(p))
		session6_start(s);
}

static void session_ppp_network_down(struct ppp *p)
{
	struct session *s = p->ctx;

	/* The interface goes down with IPv4: IPv6 leaves it first. */
	session6_stop(s);
	s->ops->net_down(s);
	if (s->state == SESS_UP)
		session_set_state(s, SESS_PPP);
}

/* session_ppp_network6_up - IPv6CP Opened: IPv6 on the interface once
 * IPCP is up too (it carries the session's network phase) */
static void session_ppp_network6_up(struct ppp *p, const struct ppp_net6 *net6)
{
	struct session *s = p->ctx;

	(void)net6;
	if (s->state == SESS_UP && ppp_ip_ok(p))
		session6_start(s);
}

static void session_ppp_network6_down(struct ppp *p)
{
	session6_stop(p->ctx);
}

static void session_ppp_dead(struct ppp *p, enum ppp_reason why)
{
	struct session *s = p->ctx;

	if (why != PPP_R_ADMIN && why != PPP_R_LOWER_DOWN)
		snprintf(s->last_error, sizeof(s->last_error), "%s", ppp_reason_name(why));
	/* A session that was up for a while and is lost (PADT from a restarted
	 * AC, echo timeout, Terminate) dials again at once; one cut short right
	 * after it came up (a duplicate-login policy, say) waits its holdoff. */
	s->redial_fast = s->attempt_up &&
			 s->wheel->now - s->up_since_ms >= SESSION_FAST_REDIAL_MIN_UP_MS;
	if (s->disc.state == DISC_SESSION)
		disc_send_padt(&s->disc, ppp_reason_name(why));
	else
		disc_stop(&s->disc);
	session_unbind(s);
	if (why == PPP_R_ADMIN && s->admin_up) {
		/* session_stop() then session_start(): a restart, not a failure. */
		session_dial(s);
		return;
	}
	session_schedule_redial(s);
}

/* Three unanswered Configure-Requests (3 + 6 + 12 = 21 s with the default
 * timer) are a sign of an AC that cannot keep up; fewer are not: an AC
 * that forks a pppd per session takes seconds to answer even when idle. */
#define SESSION_LCP_LATE_AFTER 3
/* Rounds of Max-Configure granted past the first while the AC is alive. */
#define SESSION_LCP_PATIENCE 2

static void session_ppp_lcp_unanswered(struct ppp *p, unsigned int n)
{
	struct session *s = p->ctx;

	/* @n counts from this link's start: equal to the threshold once. */
	if (n == SESSION_LCP_LATE_AFTER && s->in_setup)
		session_setup_tell(s, SESSION_SETUP_LCP_LATE);
}

/*
 * session_ppp_lcp_patient - the AC answered PADS, so it has committed to
 * the session; if it is demonstrably working (the owner sees other
 * sessions of it progress) its PPP side is only slow to start: keep
 * asking, a bounded number of rounds, rather than throw its work away.
 */
static bool session_ppp_lcp_patient(struct ppp *p)
{
	struct session *s = p->ctx;

	if (s->lcp_patience >= SESSION_LCP_PATIENCE || !s->ops->ac_alive || !s->ops->ac_alive(s))
		return false;
	s->lcp_patience++;
	return true;
}

static void session_ppp_echo_missed(struct ppp *p)
{
	struct session *s = p->ctx;

	if (s->ops->echo_missed)
		s->ops->echo_missed(s);
}

static bool session_ppp_peer_alive_since(struct ppp *p, uint64_t since_ms)
{
	struct session *s = p->ctx;

	return s->ops->ac_heard_since && s->ops->ac_heard_since(s, since_ms);
}

static const struct ppp_ops session_ppp_ops = {
	.output = session_ppp_output,
	.network_up = session_ppp_network_up,
	.network_down = session_ppp_network_down,
	.network6_up = session_ppp_network6_up,
	.network6_down = session_ppp_network6_down,
	.dead = session_ppp_dead,
	.lcp_unanswered = session_ppp_lcp_unanswered,
	.lcp_patient = session_ppp_lcp_patient,
	.echo_missed = session_ppp_echo_missed,
	.peer_alive_since = session_ppp_peer_alive_since,
};

/* ---- public ------------------------------------------------------------ */

void session_init(struct session *s, const struct session_conf *conf,
		  const struct session_ops *ops, struct tw_wheel *wheel,
		  const uint8_t mac[6], uint32_t index, void *ctx)
{
	const char *p;

	memset(s, 0, sizeof(*s));
	s->conf = conf;
	s->ops = ops;
	s->ctx = ctx;
	s->wheel = wheel;
	s->index = index;
	memcpy(s->mac, mac, 6);
	snprintf(s->label, sizeof(s->label), "%s/%s", conf->name, conf->ifname);
	s->rng = 2166136261u ^ index ^ (uint32_t)wheel->now;
	for (p = conf->name; *p; p++)
		s->rng = (s->rng ^ (uint8_t)*p) * 16777619u;
	if (!s->rng)
		s->rng = 1;
	tw_timer_init(&s->holdoff_timer, session_holdoff_expired);
	tw_timer_init(&s->setup_timer, session_setup_expired);
	disc_init(&s->disc, &conf->disc, &session_disc_ops, wheel, mac, s->label, s);
	s->disc.vlan = conf->vlan;
	ppp_init(&s->ppp, &conf->ppp, &session_ppp_ops, wheel, s->label, s);
	/* Stable per session name: a redial presents the same link-local. */
	ipv6cp_iid_from_name(conf->name, s->ppp.ipv6cp.pref_iid);
	session6_init(s);
	session_dhcp6_init(s);
}

void session_start(struct session *s)
{
	s->admin_up = true;
	if (s->state == SESS_IDLE || s->state == SESS_FAILED || s->state == SESS_HOLDOFF) {
		tw_cancel(s->wheel, &s->holdoff_timer);
		s->failures = 0;
		session_dial(s);
	}
}

void session_stop(struct session *s, const char *why)
{
	s->admin_up = false;
	tw_cancel(s->wheel, &s->holdoff_timer);
	switch (s->state) {
	case SESS_QUEUED:
		session_dequeue(s);
		session_set_state(s, SESS_IDLE);
		break;
	case SESS_DISCOVERY:
		disc_stop(&s->disc);
		session_set_state(s, SESS_IDLE);
		break;
	case SESS_PPP:
	case SESS_UP:
		/* The lease will not be used again: give it back while the
		 * link still carries IPv6 (a redial or a lost link keeps it). */
		session_dhcp6_stop(s, true, false);
		session_set_state(s, SESS_TERMINATING);
		ppp_close(&s->ppp, why);
		break;
	case SESS_TERMINATING:
		break;
	case SESS_HOLDOFF:
	case SESS_FAILED:
	case SESS_IDLE:
		session_set_state(s, SESS_IDLE);
		break;
	}
}

void session_abort(struct session *s, const char *why)
{
	s->admin_up = false;
	tw_cancel(s->wheel, &s->holdoff_timer);
	session_dequeue(s);
	if (s->ppp.phase != PPP_PHASE_DEAD) {
		/* dead() follows and sends the PADT. */
		ppp_lowerdown(&s->ppp);
	} else if (s->disc.state == DISC_SESSION) {
		disc_send_padt(&s->disc, why);
		session_unbind(s);
	} else {
		disc_stop(&s->disc);
	}
	session_set_state(s, SESS_IDLE);
}

void session_redial(struct session *s, const char *why)
{
	sl_info(s->label, "redial: %s", why);
	session_abort(s, why);
	s->admin_up = true;
	s->failures = 0;
	session_dial(s);
}

int session_rx(struct session *s, const struct pppoe_frame *f, const struct disc_pkt *p,
	       const uint8_t **ip, size_t *iplen)
{
	const uint8_t *data;
	uint16_t proto;
	size_t dlen;

	if (f->ethertype == ETH_P_PPP_DISC_) {
		if (p)
			disc_input(&s->disc, f, p);
		else /* the caller did not decode the tags: a bug, but not a crash */
			s->stats.rx_dropped++;
		return 0;
	}
	/* Session data only from our AC, to our MAC, on our VLAN, for our
	 * session id. */
	if (s->disc.state != DISC_SESSION || f->session_id != s->disc.session_id ||
	    memcmp(f->src, s->disc.ac_mac, 6) != 0 || memcmp(f->dst, s->mac, 6) != 0 ||
	    !pppoe_vlan_same(&f->vlan, &s->disc.vlan))
		return 0;
	s->ppp.last_rx_ms = s->wheel->now; /* liveness: data counts as much as echoes */
	if (ppp_proto_decode(f->payload, f->payload_len, &proto, &data, &dlen) < 0) {
		s->stats.rx_dropped++;
		return 0;
	}
	if (proto == PPP_IP) {
		if (!ppp_ip_ok(&s->ppp)) {
			s->stats.rx_dropped++;
			return 0;
		}
		*ip = data;
		*iplen = dlen;
		return 1;
	}
	if (proto == PPP_IPV6 && s->conf->ppp.ipv6) {
		if (!session_ip6_ok(s)) {
			s->stats.rx_dropped++;
			return 0;
		}
		if (!session6_rx(s, data, dlen))
			return 0;
		*ip = data;
		*iplen = dlen;
		return 1;
	}
	ppp_input(&s->ppp, proto, data, dlen);
	return 0;
}

int session_send_ip6(struct session *s, const uint8_t *pkt, size_t len)
{
	if (!session_ip6_ok(s) || s->disc.state != DISC_SESSION)
		return -ENOTCONN;
	if (len > s->ppp.net.mtu && s->ppp.net.mtu)
		return -EMSGSIZE;
	return session_ppp_output(&s->ppp, PPP_IPV6, pkt, len);
}

int session_resume(struct session *s, const struct session_resume *r)
{
	int ret;

	if (s->state != SESS_IDLE || s->bound || !session_is_quiet(s))
		return -EBUSY;
	ret = disc_resume(&s->disc, r->ac_mac, r->session_id, r->ac_name);
	if (ret)
		return ret;
	/* RFC 4638: a limit above 1492 can only come from PPP-Max-Payload. */
	s->disc.max_payload = r->ppp.max_payload > PPPOE_MRU ? r->ppp.max_payload : 0;
	ret = ppp_resume(&s->ppp, &r->ppp);
	if (ret) {
		disc_stop(&s->disc);
		return ret;
	}
	s->admin_up = true;
	s->bound = true;
	if (s->ops->bound)
		s->ops->bound(s);
	s->failures = 0;
	s->attempt_up = true;
	s->up_since_ms = r->up_since_ms;
	s->last_error[0] = '\0';
	session_set_state(s, SESS_UP);
	sl_info(s->label, "resumed: PPPoE session 0x%04x, confirming with an echo",
		s->disc.session_id);
	return 0;
}

void session_quiesce(struct session *s)
{
	session_dequeue(s);
	tw_cancel(s->wheel, &s->holdoff_timer);
	tw_cancel(s->wheel, &s->setup_timer);
	s->in_setup = false;
	tw_cancel(s->wheel, &s->disc.timer);
	tw_cancel(s->wheel, &s->v6.rs_timer);
	tw_cancel(s->wheel, &s->v6.expire_timer);
	s->v6.up = false;
	session_dhcp6_stop(s, false, true);
	ppp_quiesce(&s->ppp);
	s->admin_up = false;
	s->state = SESS_IDLE;
}

bool session_resume_get(const struct session *s, struct session_resume *r)
{
	memset(r, 0, sizeof(*r));
	if (s->state != SESS_UP || s->disc.state != DISC_SESSION || !ppp_resume_get(&s->ppp, &r->ppp))
		return false;
	memcpy(r->ac_mac, s->disc.ac_mac, 6);
	r->session_id = s->disc.session_id;
	snprintf(r->ac_name, sizeof(r->ac_name), "%s", s->disc.ac_name);
	r->up_since_ms = s->up_since_ms;
	return true;
}

bool session_probe(struct session *s)
{
	return s->state == SESS_UP && lcp_echo_probe(&s->ppp);
}

bool session_is_quiet(const struct session *s)
{
	return s->disc.state == DISC_IDLE && s->ppp.phase == PPP_PHASE_DEAD;
}
