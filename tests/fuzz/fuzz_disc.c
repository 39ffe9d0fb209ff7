// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_disc.c - libFuzzer target for the PPPoE Discovery codec and the
 * client machine.
 *
 * Input: byte 0 selects the mode and configuration, the rest is either
 *   codec mode (bit 7 set): one PPPoE discovery packet (header + tags),
 *     decoded, checked, re-encoded and decoded again; or
 *   machine mode (bit 7 clear): a script of operations run against one
 *     struct disc after disc_start(). Config bits: bit 0 use a Host-Uniq,
 *     bit 1 ask for Service-Name "isp", bit 2 accept only AC-Name "ac1",
 *     bit 3 padi_tries/padr_tries of 2, bit 4 dial on VLAN 7, bit 5 on
 *     QinQ 100.7 with an 802.1ad outer tag (bits 4 and 5: QinQ).
 *   Script operations (low 3 bits of an op byte):
 *     0  raw frame: u16 length, then that many bytes (an Ethernet frame)
 *     1  PPPoE packet: u16 length, bytes; sent from the AC (op bit 3: from a
 *        second AC) to our MAC with EtherType 0x8863 prepended, untagged,
 *        on our VLAN (op bit 4) or on VLAN 8 (op bit 5)
 *     2  advance the clock by (next byte) * 100 ms
 *     3  disc_send_padt()   4  disc_stop()   5  disc_start()
 * Every frame the machine sends must itself decode cleanly and carry the
 * machine's VLAN tags, a frame on another VLAN than ours (or untagged when
 * we dial on one) must change nothing and make it send nothing, and each
 * callback must find the machine in the state it promises. A PADT goes
 * out only for our own session, or back to the sender of an unwanted PADS
 * to release the session it offered.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "pppoe/wire.h"
#include "tests/fuzz/fuzz_script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fz_our_mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };
static const uint8_t fz_ac_mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t fz_ac2_mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };
static const uint8_t fz_hu[4] = { 0xde, 0xad, 0xbe, 0xef };

static struct tw_wheel fz_wheel;
static struct disc fz_disc;
static uint8_t fz_frame[ETH_HLEN_ + 65536 + 16];
static unsigned int fz_sent; /* frames the machine handed to fz_output */
static uint8_t fz_enc[PPPOE_HLEN + 65536];
/* The frame being fed to disc_input(), for judging what the machine sends. */
static const uint8_t *fz_in;
static size_t fz_in_len;

static void fz_blob_check(const struct disc_blob *b, const uint8_t *lo, const uint8_t *hi)
{
	if (!b->present)
		return;
	if (b->ptr < lo || b->ptr + b->len > hi)
		abort();
}

static void fz_blob_same(const struct disc_blob *a, const struct disc_blob *b)
{
	if (a->present != b->present || a->len != b->len)
		abort();
	if (a->len && memcmp(a->ptr, b->ptr, a->len))
		abort();
}

/* fz_codec - decode, check bounds, re-encode, decode again, compare */
static void fz_codec(const uint8_t *data, size_t size)
{
	struct disc_pkt p, q;
	const uint8_t *lo, *hi;
	int err, n;

	err = disc_decode(data, size, &p);
	if (err) {
		if (err != -EMSGSIZE && err != -EINVAL)
			abort();
		return;
	}
	lo = data + PPPOE_HLEN;
	hi = lo + (size_t)(data[4] << 8 | data[5]);
	if (hi > data + size || p.tags != lo || p.tags + p.tags_len > hi)
		abort();
	fz_blob_check(&p.service_name, lo, hi);
	fz_blob_check(&p.ac_name, lo, hi);
	fz_blob_check(&p.host_uniq, lo, hi);
	fz_blob_check(&p.ac_cookie, lo, hi);
	fz_blob_check(&p.relay_session_id, lo, hi);
	fz_blob_check(&p.service_name_error, lo, hi);
	fz_blob_check(&p.ac_system_error, lo, hi);
	fz_blob_check(&p.generic_error, lo, hi);

	n = disc_encode(fz_enc, sizeof(fz_enc), &p);
	if (n < 0) {
		/* Only possible when the first copies plus a Service-Name overflow LENGTH. */
		if (n != -ENOSPC || p.tags_len <= 0xffff - 4)
			abort();
		return;
	}
	if (disc_decode(fz_enc, (size_t)n, &q))
		abort();
	if (q.code != p.code || q.session_id != p.session_id)
		abort();
	if (p.service_name.present || (p.code != DISC_PADI && p.code != DISC_PADR))
		fz_blob_same(&p.service_name, &q.service_name);
	else if (!q.service_name.present || q.service_name.len)
		abort();
	fz_blob_same(&p.ac_name, &q.ac_name);
	fz_blob_same(&p.host_uniq, &q.host_uniq);
	fz_blob_same(&p.ac_cookie, &q.ac_cookie);
	fz_blob_same(&p.relay_session_id, &q.relay_session_id);
	fz_blob_same(&p.service_name_error, &q.service_name_error);
	fz_blob_same(&p.ac_system_error, &q.ac_system_error);
	fz_blob_same(&p.generic_error, &q.generic_error);
	if (p.has_max_payload != q.has_max_payload || p.max_payload != q.max_payload)
		abort();
}

/*
 * fz_releases - true if the PADT @t (in frame @f) answers the PADS being fed:
 * same session id (neither 0 nor 0xffff), back to its sender, with its
 * Host-Uniq.
 */
static bool fz_releases(const struct pppoe_frame *f, const struct disc_pkt *t)
{
	struct pppoe_frame g;
	struct disc_pkt p;

	if (!fz_in || pppoe_frame_decode(fz_in, fz_in_len, &g) || g.ethertype != ETH_P_PPP_DISC_ ||
	    disc_decode(g.payload - PPPOE_HLEN, PPPOE_HLEN + (size_t)g.payload_len, &p))
		return false;
	return p.code == DISC_PADS && p.session_id == t->session_id && p.session_id &&
	       p.session_id != 0xffff && !memcmp(f->dst, g.src, 6) && p.host_uniq.present &&
	       t->host_uniq.present && t->host_uniq.len == p.host_uniq.len &&
	       !memcmp(t->host_uniq.ptr, p.host_uniq.ptr, p.host_uniq.len);
}

static int fz_output(struct disc *d, const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;
	struct disc_pkt p;

	fz_sent++;
	if (pppoe_frame_decode(frame, len, &f) || f.ethertype != ETH_P_PPP_DISC_)
		abort();
	if (memcmp(f.src, fz_our_mac, 6))
		abort();
	/* Our tags, with the configured outer TPID for QinQ. */
	if (!pppoe_vlan_same(&f.vlan, &d->vlan) ||
	    (f.vlan.ntags && f.vlan.tpid != (f.vlan.ntags == 2 ? d->vlan.tpid : 0x8100)))
		abort();
	if (disc_decode(f.payload - PPPOE_HLEN, PPPOE_HLEN + (size_t)f.payload_len, &p))
		abort();
	switch (p.code) {
	case DISC_PADI:
		if (d->state != DISC_PADI_SENT || !(f.dst[0] & 1))
			abort();
		break;
	case DISC_PADR:
		if (d->state != DISC_PADR_SENT || memcmp(f.dst, d->ac_mac, 6))
			abort();
		break;
	case DISC_PADT:
		if (d->state == DISC_SESSION && p.session_id == d->session_id &&
		    !memcmp(f.dst, d->ac_mac, 6))
			break;
		/* Otherwise only the release of a session an unwanted PADS offered. */
		if (!fz_releases(&f, &p))
			abort();
		break;
	default:
		abort();
	}
	return 0;
}

static void fz_established(struct disc *d)
{
	if (d->state != DISC_SESSION || !d->session_id || d->session_id == 0xffff ||
	    tw_pending(&d->timer))
		abort();
}

static void fz_failed(struct disc *d, enum disc_fail why)
{
	if (d->state != DISC_IDLE || tw_pending(&d->timer))
		abort();
}

static void fz_terminated(struct disc *d)
{
	if (d->state != DISC_IDLE || tw_pending(&d->timer))
		abort();
}

static const struct disc_ops fz_ops = {
	.output = fz_output,
	.established = fz_established,
	.failed = fz_failed,
	.terminated = fz_terminated,
};

/* fz_input - decode once, as the daemon's demux does, then feed the machine */
static void fz_input(struct disc *d, const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;
	struct disc_pkt p;
	enum disc_state st = d->state;
	uint16_t sid = d->session_id;
	unsigned int sent = fz_sent;

	if (disc_rx_decode(frame, len, &f, &p) || f.ethertype != ETH_P_PPP_DISC_)
		return;
	disc_input(d, &f, &p);
	/* Another VLAN's frame is not ours, whatever it says. */
	if (!pppoe_vlan_same(&f.vlan, &d->vlan) &&
	    (d->state != st || d->session_id != sid || fz_sent != sent))
		abort();
}

/* fz_tags - our tags (@ours) or VLAN 8's into @buf + 12; their length */
static size_t fz_tags(uint8_t *buf, const struct disc *d, bool ours)
{
	static const struct pppoe_vlan v8 = { .ntags = 1, .tpid = 0x8100, .vid = { 8, 0 } };
	uint8_t hdr[ETH_HLEN_ + 8];
	size_t hl = pppoe_eth_hdr_encode_vlan(hdr, fz_our_mac, fz_ac_mac, ours ? &d->vlan : &v8, 0);

	memcpy(buf + 12, hdr + 12, hl - ETH_HLEN_);
	return hl - ETH_HLEN_;
}

static void fz_machine(uint8_t cfg, const uint8_t *p, const uint8_t *end)
{
	struct disc_conf conf = {
		.service = (cfg & 2) ? "isp" : "",
		.ac_name = (cfg & 4) ? "ac1" : NULL,
		.padi_tries = (cfg & 8) ? 2 : 0,
		.padr_tries = (cfg & 8) ? 2 : 0,
	};
	struct disc *d = &fz_disc;
	const uint8_t *c;
	uint64_t now = 0;
	uint8_t op;
	size_t n, tl;

	tw_init(&fz_wheel, 0);
	disc_init(d, &conf, &fz_ops, &fz_wheel, fz_our_mac, "fuzz/eth0", NULL);
	if (cfg & 0x20)
		d->vlan = (struct pppoe_vlan){ .ntags = 2, .tpid = 0x88a8, .vid = { 100, 7 } };
	else if (cfg & 0x10)
		d->vlan = (struct pppoe_vlan){ .ntags = 1, .tpid = 0x8100, .vid = { 7, 0 } };
	if (cfg & 1) {
		memcpy(d->host_uniq, fz_hu, sizeof(fz_hu));
		d->host_uniq_len = sizeof(fz_hu);
	}
	disc_start(d);
	while (p < end) {
		op = *p++;
		switch (op & 7) {
		case 0:
			c = fz_take(&p, end, &n);
			if (!c)
				break;
			fz_in = c;
			fz_in_len = n;
			fz_input(d, c, n);
			break;
		case 1:
			c = fz_take(&p, end, &n);
			if (!c)
				break;
			memcpy(fz_frame, fz_our_mac, 6);
			memcpy(fz_frame + 6, (op & 8) ? fz_ac2_mac : fz_ac_mac, 6);
			tl = (op & 0x30) ? fz_tags(fz_frame, d, !(op & 0x20)) : 0;
			fz_frame[12 + tl] = 0x88;
			fz_frame[13 + tl] = 0x63;
			memcpy(fz_frame + ETH_HLEN_ + tl, c, n);
			fz_in = fz_frame;
			fz_in_len = ETH_HLEN_ + tl + n;
			fz_input(d, fz_frame, fz_in_len);
			break;
		case 2:
			if (p < end)
				now += (uint64_t)*p++ * 100;
			tw_advance(&fz_wheel, now);
			break;
		case 3:
			disc_send_padt(d, "fuzz");
			break;
		case 4:
			disc_stop(d);
			break;
		case 5:
			disc_start(d);
			break;
		default:
			break;
		}
		fz_in = NULL;
		if (d->state == DISC_SESSION && (!d->session_id || d->session_id == 0xffff))
			abort();
		if ((d->state == DISC_PADI_SENT || d->state == DISC_PADR_SENT) &&
		    !tw_pending(&d->timer))
			abort();
	}
	/* Leave nothing armed in the wheel for the next input. */
	disc_stop(d);
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
