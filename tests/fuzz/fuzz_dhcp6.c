// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_dhcp6.c - libFuzzer target for the DHCPv6 codec and client machine.
 *
 * Input: byte 0 selects the mode and configuration, the rest is either
 *   codec mode (bit 7 set): one DHCPv6 message, decoded, checked,
 *     re-encoded and decoded again; or
 *   machine mode (bit 7 clear): a script of operations run against one
 *     struct dhcp6. Config bits: bit 0 ask for IA_NA, bit 1 IA_PD (neither:
 *     both), bit 2 offer Rapid Commit, bit 3 prefix length hint 56.
 *   Script operations (low 3 bits of an op byte):
 *     0  raw message: u16 length, then that many bytes
 *     1  server message: u16 length, bytes; its transaction id is set to
 *        the client's and our Client Identifier appended, so the script
 *        reaches the deeper states
 *     2  advance the clock by (next byte) * 100 ms
 *     3  run to the next armed timer, (next byte) % 8 + 1 times (T1, T2,
 *        retransmissions and expiry without stepping through the wait)
 *     4  dhcp6_stop(false) then dhcp6_start (a redial)
 *     5  dhcp6_stop(true)   6  dhcp6_start
 * Every message the client sends must decode and fit its state, every
 * lease it reports must be sane, and a client that waits for an answer
 * always has its retransmission timer armed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/dhcp6.h"
#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "tests/fuzz/fuzz_script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fz_duid[10] = { 0, 3, 0, 1, 2, 0xaa, 0xbb, 0xcc, 0xdd, 1 };

static struct tw_wheel fz_wheel;
static struct dhcp6 fz_c;
static uint8_t fz_enc[70000];
static uint8_t fz_msg[70000];
static bool fz_stopping;

static void fz_blob_in(const struct dhcp6_blob *b, const uint8_t *lo, const uint8_t *hi)
{
	if (b->present && b->len && (b->ptr < lo || b->ptr + b->len > hi))
		abort();
}

static void fz_blob_same(const struct dhcp6_blob *a, const struct dhcp6_blob *b)
{
	if (a->present != b->present || a->len != b->len)
		abort();
	if (a->len && memcmp(a->ptr, b->ptr, a->len))
		abort();
}

static void fz_status_same(const struct dhcp6_status *a, const struct dhcp6_status *b)
{
	if (a->present != b->present || a->code != b->code)
		abort();
	fz_blob_same(&a->msg, &b->msg);
}

static void fz_ia_check(const struct dhcp6_ia *ia, bool pd, const uint8_t *lo, const uint8_t *hi)
{
	uint8_t i;

	if (ia->n > DHCP6_IA_MAX)
		abort();
	fz_blob_in(&ia->status.msg, lo, hi);
	for (i = 0; i < ia->n; i++) {
		if (ia->e[i].plen > 128 || (!pd && ia->e[i].plen != 128))
			abort();
		fz_blob_in(&ia->e[i].status.msg, lo, hi);
	}
}

static void fz_ia_same(const struct dhcp6_ia *a, const struct dhcp6_ia *b)
{
	uint8_t i;

	if (a->present != b->present || a->iaid != b->iaid || a->t1 != b->t1 || a->t2 != b->t2 ||
	    a->n != b->n)
		abort();
	fz_status_same(&a->status, &b->status);
	for (i = 0; i < a->n; i++) {
		if (memcmp(a->e[i].addr, b->e[i].addr, 16) || a->e[i].plen != b->e[i].plen ||
		    a->e[i].preferred != b->e[i].preferred || a->e[i].valid != b->e[i].valid)
			abort();
		fz_status_same(&a->e[i].status, &b->e[i].status);
	}
}

/* fz_codec - decode, check bounds, re-encode, decode again, compare */
static void fz_codec(const uint8_t *data, size_t size)
{
	const uint8_t *hi = data + size;
	struct dhcp6_msg p, q;
	int err, n;

	err = dhcp6_decode(data, size, &p);
	if (err) {
		if (err != -EMSGSIZE && err != -EINVAL)
			abort();
		return;
	}
	fz_blob_in(&p.client_id, data, hi);
	fz_blob_in(&p.server_id, data, hi);
	fz_blob_in(&p.domains, data, hi);
	fz_blob_in(&p.status.msg, data, hi);
	if (p.n_oro > DHCP6_ORO_MAX || p.n_dns > DHCP6_DNS_MAX)
		abort();
	fz_ia_check(&p.ia_na, false, data, hi);
	fz_ia_check(&p.ia_pd, true, data, hi);

	n = dhcp6_encode(fz_enc, sizeof(fz_enc), &p);
	if (n < 0) {
		/* Only an IA whose kept entries no longer fit 16 bits could fail. */
		if (n != -EINVAL)
			abort();
		return;
	}
	if (dhcp6_decode(fz_enc, (size_t)n, &q))
		abort();
	if (q.type != p.type || q.xid != p.xid || q.has_elapsed != p.has_elapsed ||
	    q.elapsed != p.elapsed || q.has_preference != p.has_preference ||
	    q.preference != p.preference || q.has_unicast != p.has_unicast ||
	    memcmp(q.unicast, p.unicast, 16) || q.rapid_commit != p.rapid_commit ||
	    q.has_sol_max_rt != p.has_sol_max_rt || q.sol_max_rt != p.sol_max_rt ||
	    q.has_oro != p.has_oro || q.n_oro != p.n_oro ||
	    memcmp(q.oro, p.oro, sizeof(p.oro[0]) * p.n_oro) || q.n_dns != p.n_dns ||
	    memcmp(q.dns, p.dns, 16u * p.n_dns))
		abort();
	fz_blob_same(&p.client_id, &q.client_id);
	fz_blob_same(&p.server_id, &q.server_id);
	fz_blob_same(&p.domains, &q.domains);
	fz_status_same(&p.status, &q.status);
	fz_ia_same(&p.ia_na, &q.ia_na);
	fz_ia_same(&p.ia_pd, &q.ia_pd);
}

static int fz_send(struct dhcp6 *c, const uint8_t *msg, size_t len, const uint8_t *dst)
{
	struct dhcp6_msg m;

	if (dhcp6_decode(msg, len, &m))
		abort();
	if (!m.client_id.present || m.client_id.len != sizeof(fz_duid) ||
	    memcmp(m.client_id.ptr, fz_duid, sizeof(fz_duid)))
		abort();
	switch (m.type) {
	case DHCP6_SOLICIT:
		if (c->state != DHCP6_ST_SOLICIT || dst || m.server_id.present)
			abort();
		break;
	case DHCP6_REQUEST:
		if (c->state != DHCP6_ST_REQUEST || !m.server_id.present)
			abort();
		break;
	case DHCP6_RENEW:
		if (c->state != DHCP6_ST_RENEW || !m.server_id.present)
			abort();
		break;
	case DHCP6_REBIND:
		if (c->state != DHCP6_ST_REBIND || dst || m.server_id.present)
			abort();
		break;
	case DHCP6_RELEASE:
		if (!fz_stopping || !m.server_id.present)
			abort();
		break;
	default:
		abort();
	}
	/* Renew, Rebind and Release carry only what the client holds. */
	if (m.type == DHCP6_RENEW || m.type == DHCP6_REBIND || m.type == DHCP6_RELEASE) {
		if (m.ia_na.present != (c->lease.n_addr > 0) ||
		    m.ia_pd.present != (c->lease.n_prefix > 0))
			abort();
	}
	return 0;
}

static void fz_entries(const struct dhcp6_lease_entry *e, uint8_t n, bool pd, uint64_t now)
{
	uint8_t i;

	if (n > DHCP6_IA_MAX)
		abort();
	for (i = 0; i < n; i++) {
		if (e[i].valid_until <= now || !e[i].valid || e[i].preferred > e[i].valid)
			abort();
		if (pd ? (e[i].plen < 1 || e[i].plen > 128) : e[i].plen != 128)
			abort();
	}
}

static void fz_lease(struct dhcp6 *c, const struct dhcp6_lease *l, enum dhcp6_lease_ev ev)
{
	fz_entries(l->addr, l->n_addr, false, c->wheel->now);
	fz_entries(l->prefix, l->n_prefix, true, c->wheel->now);
	if (ev == DHCP6_LEASE_BOUND && (c->state != DHCP6_ST_BOUND || !(l->n_addr + l->n_prefix)))
		abort();
	if (l->n_dns > DHCP6_DNS_MAX)
		abort();
}

static const struct dhcp6_ops fz_ops = {
	.send = fz_send,
	.lease = fz_lease,
};

static void fz_check(const struct dhcp6 *c)
{
	switch (c->state) {
	case DHCP6_ST_SOLICIT:
	case DHCP6_ST_REQUEST:
	case DHCP6_ST_RENEW:
	case DHCP6_ST_REBIND:
		if (!tw_pending(&c->rt_timer))
			abort();
		break;
	case DHCP6_ST_BOUND:
		if (!c->lease.n_addr && !c->lease.n_prefix)
			abort();
		break;
	case DHCP6_ST_IDLE:
		if (tw_pending(&c->rt_timer) || tw_pending(&c->t_timer) ||
		    tw_pending(&c->exp_timer))
			abort();
		break;
	}
}

static void fz_machine(uint8_t cfg, const uint8_t *p, const uint8_t *end)
{
	bool na = cfg & 1, pd = cfg & 2;
	uint8_t hint = (cfg & 8) ? 56 : 0;
	struct dhcp6 *c = &fz_c;
	const uint8_t *m;
	uint64_t now = 0;
	size_t n;
	uint8_t op;

	if (!na && !pd)
		na = pd = true;
	tw_init(&fz_wheel, 0);
	dhcp6_init(c, &fz_ops, &fz_wheel, fz_duid, sizeof(fz_duid), 0x11223344, 7, "fuzz", NULL);
	c->rapid_commit = cfg & 4;
	dhcp6_start(c, na, pd, hint);
	while (p < end) {
		op = *p++;
		switch (op & 7) {
		case 0:
			m = fz_take(&p, end, &n);
			if (m)
				dhcp6_input(c, m, n);
			break;
		case 1:
			m = fz_take(&p, end, &n);
			if (!m || n < 4)
				break;
			memcpy(fz_msg, m, n);
			fz_msg[1] = (uint8_t)(c->xid >> 16);
			fz_msg[2] = (uint8_t)(c->xid >> 8);
			fz_msg[3] = (uint8_t)c->xid;
			fz_msg[n] = 0;
			fz_msg[n + 1] = DHCP6_OPT_CLIENTID;
			fz_msg[n + 2] = 0;
			fz_msg[n + 3] = sizeof(fz_duid);
			memcpy(fz_msg + n + 4, fz_duid, sizeof(fz_duid));
			dhcp6_input(c, fz_msg, n + 4 + sizeof(fz_duid));
			break;
		case 2:
			if (p < end)
				now += (uint64_t)*p++ * 100;
			tw_advance(&fz_wheel, now);
			break;
		case 3:
			for (n = p < end ? (size_t)(*p++ % 8) + 1 : 1; n; n--) {
				int64_t next = tw_next_ms(&fz_wheel);

				if (next < 0)
					break;
				now += (uint64_t)next + TW_TICK_MS;
				tw_advance(&fz_wheel, now);
			}
			break;
		case 4:
			dhcp6_stop(c, false);
			dhcp6_start(c, na, pd, hint);
			break;
		case 5:
			fz_stopping = true;
			dhcp6_stop(c, true);
			fz_stopping = false;
			break;
		case 6:
			dhcp6_start(c, na, pd, hint);
			break;
		default:
			break;
		}
		fz_check(c);
	}
	/* Leave nothing armed in the wheel for the next input. */
	dhcp6_stop(c, false);
	if (fz_wheel.count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* FUZZ_LOG=1 runs the debug log lines as well (slower, noisy). */
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_LOG") != NULL;
	log_threshold = verbose ? LOG_LVL_DEBUG : LOG_LVL_ERR;
	if (!size)
		return 0;
	if (data[0] & 0x80)
		fz_codec(data + 1, size - 1);
	else
		fz_machine(data[0], data + 1, data + size);
	return 0;
}
