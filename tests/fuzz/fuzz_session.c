// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_session.c - libFuzzer target for the receive path of a live
 * session: Ethernet/PPPoE decode, the session's own demux (session id, AC
 * MAC, our MAC) and whatever lies behind it (discovery, LCP, PAP, IPCP,
 * IPv6CP, Router Advertisements and SLAAC: the session has ipv6 = yes).
 *
 * Every input starts from the same state: one client session brought up
 * against the acsim access concentrator in process, under a fake clock
 * (PAP, LCP echoes every 2 s). Then the input is a list of records
 * [op, length (2 bytes, big endian), bytes]:
 *   op 0  raw Ethernet frame, delivered as the daemon would (decoded, and
 *         only when addressed to our MAC or broadcast)
 *   op 1  forged frame: byte 0 picks the fields, the rest is the PPPoE
 *         payload (tags, or PPP protocol + packet); see fz_forge()
 *   op 2  advance the clock by (byte 0 + 1) * 100 ms, acsim answering
 * The oracle is the point of this target: until a frame arrives that the
 * real AC could have sent (from the AC's MAC, to our MAC, for our session
 * id, session data or PADT), the session must stay up with the same
 * session id, whatever else it is fed. Frames from a wrong MAC, for a
 * stale session id, PADT from a stranger, runts and garbage never hurt.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/timer.h"
#include "pppoe/wire.h"
#include "tests/acsim/acsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_T0_MS 1000000
#define FZ_PUMP_MAX 10000
#define FZ_QMAX 64

static const uint8_t fz_our_mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t fz_other_mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x02 };
static const uint8_t fz_stranger[6] = { 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 };
static const uint8_t fz_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const struct acsim_user fz_users[] = { { "u", "x" } };

/* One direction of the wire: a small ring of frames. */
struct fz_queue {
	uint8_t d[FZ_QMAX][1536];
	size_t len[FZ_QMAX];
	unsigned int head, n;
};

static struct {
	struct tw_wheel wheel;
	struct acsim_conf acconf;
	struct acsim *ac;
	struct session_conf conf;
	struct session s;
	struct fz_queue c2a, a2c;
	uint8_t frame[ETH_HLEN_ + PPPOE_HLEN + 65536];
} fz;

static void fz_q_push(struct fz_queue *q, const uint8_t *d, size_t len)
{
	unsigned int i;

	/* A full queue loses the frame, as a real wire would. */
	if (q->n == FZ_QMAX || len > sizeof(q->d[0]))
		return;
	i = (q->head + q->n++) % FZ_QMAX;
	memcpy(q->d[i], d, len);
	q->len[i] = len;
}

static int fz_c_output(struct session *s, const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;

	/* Whatever the session sends must itself be a sound PPPoE frame from
	 * its own MAC. */
	if (pppoe_frame_decode(frame, len, &f) || memcmp(f.src, s->mac, 6))
		abort();
	fz_q_push(&fz.c2a, frame, len);
	return 0;
}

static void fz_c_net_up(struct session *s, const struct ppp_net *net)
{
	(void)s;
	if (!net->local)
		abort();
}

static void fz_c_nop(struct session *s)
{
	(void)s;
}

/* IPv6 (the session has ipv6 = yes): what reaches the owner is sane */
static void fz_c_net6(struct session *s)
{
	if (s->v6.naddr > SESSION_V6_MAX_ADDRS || (s->v6.up && s->v6.local[0] != 0xfe))
		abort();
}

static void fz_c_net6_addr(struct session *s, const struct session_v6_addr *a, bool add)
{
	if (!s->v6.up || a->plen != 64 || (add && a->preferred > a->valid) ||
	    memcmp(a->addr + 8, s->ppp.net6.local_iid, 8))
		abort();
}

static void fz_c_net6_router(struct session *s, bool add)
{
	if (!s->v6.up || (add && (s->v6.router[0] != 0xfe || !s->v6.router_lifetime)))
		abort();
}

static const struct session_ops fz_ops = {
	.output = fz_c_output,
	.net_up = fz_c_net_up,
	.net_down = fz_c_nop,
	.bound = fz_c_nop,
	.unbound = fz_c_nop,
	.net6_up = fz_c_net6,
	.net6_down = fz_c_net6,
	.net6_addr = fz_c_net6_addr,
	.net6_router = fz_c_net6_router,
};

static int fz_ac_output(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	fz_q_push(&fz.a2c, frame, len);
	return 0;
}

/*
 * fz_deliver - one frame towards the client. Session data is filtered on
 * the destination MAC as the XDP program does; discovery is not, so that
 * the session's own destination check is exercised. Source MAC and session id are
 * left to the session: its own checks are what is under test, not the
 * daemon's session table.
 */
static void fz_deliver(const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;
	struct disc_pkt p;
	const uint8_t *ip;
	size_t iplen;

	const uint8_t *data;
	uint16_t proto;
	size_t dlen;
	int kind = -1;

	if (disc_rx_decode(frame, len, &f, &p))
		return;
	if (f.ethertype == ETH_P_PPP_SES_ && memcmp(f.dst, fz.s.mac, 6))
		return;
	/* what a worker decides on alone (session6_rx_kind, read only) must
	 * agree with what session_rx then does: to the TUN only what it calls
	 * data */
	if (f.ethertype == ETH_P_PPP_SES_ &&
	    !ppp_proto_decode(f.payload, f.payload_len, &proto, &data, &dlen) && proto == PPP_IPV6)
		kind = (int)session6_rx_kind(&fz.s, data, dlen);
	if (session_rx(&fz.s, &f, f.ethertype == ETH_P_PPP_DISC_ ? &p : NULL, &ip, &iplen) == 1) {
		if (ip < frame || ip + iplen > frame + len)
			abort();
		if (kind >= 0 && kind != SESSION6_RX_DATA)
			abort();
	}
}

static void fz_pump(void)
{
	unsigned int n = 0, i;

	while ((fz.c2a.n || fz.a2c.n) && ++n < FZ_PUMP_MAX) {
		if (fz.c2a.n) {
			i = fz.c2a.head;
			fz.c2a.head = (fz.c2a.head + 1) % FZ_QMAX;
			fz.c2a.n--;
			acsim_input(fz.ac, fz.c2a.d[i], fz.c2a.len[i]);
		}
		if (fz.a2c.n) {
			i = fz.a2c.head;
			fz.a2c.head = (fz.a2c.head + 1) % FZ_QMAX;
			fz.a2c.n--;
			fz_deliver(fz.a2c.d[i], fz.a2c.len[i]);
		}
	}
}

static void fz_run_ms(uint64_t ms)
{
	uint64_t end = fz.wheel.now + ms;

	fz_pump();
	while (fz.wheel.now < end) {
		tw_advance(&fz.wheel, fz.wheel.now + TW_TICK_MS);
		fz_pump();
	}
}

/* fz_setup - a fresh AC and one session, brought up; false if it failed */
static bool fz_setup(void)
{
	unsigned int i;

	acsim_free(fz.ac);
	memset(&fz.c2a, 0, sizeof(fz.c2a));
	memset(&fz.a2c, 0, sizeof(fz.a2c));
	tw_init(&fz.wheel, FZ_T0_MS);

	acsim_conf_default(&fz.acconf);
	fz.acconf.auth = ACSIM_AUTH_PAP;
	fz.acconf.users = fz_users;
	fz.acconf.n_users = 1;
	fz.acconf.max_sessions = 4;
	fz.acconf.pool_size = 4;
	fz.acconf.echo_interval_ms = 2000;
	fz.acconf.ipv6 = true; /* IPv6CP and an RA: the RA/SLAAC path is fed too */
	fz.acconf.max_payload = 1500; /* RFC 4638 agreed: frames up to 1500 */
	fz.acconf.output = fz_ac_output;
	fz.ac = acsim_new(&fz.acconf, &fz.wheel);
	if (!fz.ac)
		abort();

	memset(&fz.conf, 0, sizeof(fz.conf));
	strcpy(fz.conf.name, "s");
	strcpy(fz.conf.ifname, "ppp0");
	strcpy(fz.conf.user, "u");
	strcpy(fz.conf.password, "x");
	fz.conf.mac_mode = SESSION_MAC_FIXED;
	fz.conf.holdoff = 2;
	fz.conf.holdoff_max = 10;
	fz.conf.disc.service = fz.conf.service;
	fz.conf.ppp.user = fz.conf.user;
	fz.conf.ppp.password = fz.conf.password;
	fz.conf.ppp.mtu = 1500;
	fz.conf.ppp.want_dns = true;
	fz.conf.ppp.echo_interval = 2;
	fz.conf.ppp.echo_failure = 3;
	fz.conf.ppp.ipv6 = true;
	session_init(&fz.s, &fz.conf, &fz_ops, &fz.wheel, fz_our_mac, 0, NULL);
	fz.s.lower_mtu = 1508;
	session_start(&fz.s);
	for (i = 0; i < 100 && fz.s.state != SESS_UP; i++)
		fz_run_ms(100);
	return fz.s.state == SESS_UP;
}

/*
 * fz_forge - build a frame around @payload. Selector bits:
 *   0-1  source: 0 the AC, 1 a stranger, 2 another of our MACs, 3 broadcast
 *   2-3  destination: 0 our MAC, 1 broadcast, 2 another of our MACs, 3 the AC
 *   4-5  session id: 0 ours, 1 ours + 1 (stale), 2 zero, 3 0xffff
 *   6    EtherType: 0 session, 1 discovery
 *   7    discovery CODE from the payload's first byte (else PADT); session
 *        frames: LENGTH off by one (too large)
 * Returns the frame length.
 */
static size_t fz_forge(uint8_t sel, const uint8_t *payload, size_t plen)
{
	static const uint8_t *const src[] = { NULL, fz_stranger, fz_other_mac, fz_bcast };
	static const uint8_t *const dst[] = { fz_our_mac, fz_bcast, fz_other_mac, NULL };
	uint16_t sids[4] = { fz.s.disc.session_id, (uint16_t)(fz.s.disc.session_id + 1), 0,
			     0xffff };
	uint16_t ethertype = sel & 0x40 ? ETH_P_PPP_DISC_ : ETH_P_PPP_SES_;
	uint8_t code = 0, *h = fz.frame + ETH_HLEN_;
	size_t len;

	if (ethertype == ETH_P_PPP_DISC_) {
		code = DISC_PADT;
		if ((sel & 0x80) && plen) {
			code = payload[0];
			payload++;
			plen--;
		}
	}
	if (plen > 0xffff - 1)
		plen = 0xffff - 1;
	pppoe_eth_hdr_encode(fz.frame, dst[(sel >> 2) & 3] ?: fz.ac->mac,
			     src[sel & 3] ?: fz.ac->mac, ethertype);
	h[0] = 0x11;
	h[1] = code;
	pppoe_put16(h + 2, sids[(sel >> 4) & 3]);
	pppoe_put16(h + 4, (uint16_t)(plen + (ethertype == ETH_P_PPP_SES_ && (sel & 0x80))));
	memcpy(h + PPPOE_HLEN, payload, plen);
	len = ETH_HLEN_ + PPPOE_HLEN + plen;
	/* Ethernet never delivers less than 60 bytes; leave runts as runts. */
	return len;
}

/* fz_could_be_ac - a frame the real AC might send us: no oracle after it */
static bool fz_could_be_ac(const uint8_t *frame, size_t len, uint16_t sid)
{
	struct pppoe_frame f;

	if (pppoe_frame_decode(frame, len, &f))
		return false;
	if (memcmp(f.src, fz.ac->mac, 6) || memcmp(f.dst, fz.s.mac, 6) || f.session_id != sid)
		return false;
	return f.ethertype == ETH_P_PPP_SES_ || f.code == DISC_PADT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool armed = true;
	uint16_t sid;
	size_t off = 0, rlen, flen;
	uint8_t op;

	/* Quiet unless asked: every dropped frame is a debug line. */
	log_threshold = getenv("SESSION_FUZZ_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_ERR;
	if (!fz_setup())
		abort(); /* the harness itself is broken */
	sid = fz.s.disc.session_id;

	while (size - off >= 3) {
		op = data[off] % 3;
		rlen = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (rlen > size - off)
			rlen = size - off;
		switch (op) {
		case 0:
			if (rlen > sizeof(fz.frame))
				break;
			memcpy(fz.frame, data + off, rlen);
			if (fz_could_be_ac(fz.frame, rlen, sid))
				armed = false;
			fz_deliver(fz.frame, rlen);
			break;
		case 1:
			if (!rlen)
				break;
			flen = fz_forge(data[off], data + off + 1, rlen - 1);
			if (fz_could_be_ac(fz.frame, flen, sid))
				armed = false;
			fz_deliver(fz.frame, flen);
			break;
		case 2:
			fz_run_ms(((rlen ? data[off] : 0) + 1) * 100ULL);
			break;
		}
		off += rlen;
		/* Let the session's answers reach the AC and back. */
		fz_pump();
		if (armed && (fz.s.state != SESS_UP || fz.s.disc.session_id != sid ||
			      !ppp_ip_ok(&fz.s.ppp)))
			abort();
	}
	return 0;
}
