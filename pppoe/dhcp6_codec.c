// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhcp6_codec.c - DHCPv6 client/server messages (RFC 8415 sections 8, 21):
 * pure decode and encode over (buffer, length), nothing trusted unchecked.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/dhcp6.h"

static uint16_t d6_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t d6_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void d6_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void d6_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

const char *dhcp6_msg_name(uint8_t type)
{
	static const char *const names[] = {
		[DHCP6_SOLICIT] = "Solicit",     [DHCP6_ADVERTISE] = "Advertise",
		[DHCP6_REQUEST] = "Request",     [DHCP6_CONFIRM] = "Confirm",
		[DHCP6_RENEW] = "Renew",         [DHCP6_REBIND] = "Rebind",
		[DHCP6_REPLY] = "Reply",         [DHCP6_RELEASE] = "Release",
		[DHCP6_DECLINE] = "Decline",     [DHCP6_RECONFIGURE] = "Reconfigure",
		[DHCP6_INFORMATION_REQUEST] = "Information-Request",
		[DHCP6_RELAY_FORW] = "Relay-Forw", [DHCP6_RELAY_REPL] = "Relay-Repl",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

const char *dhcp6_status_name(uint16_t code)
{
	switch (code) {
	case DHCP6_ST_SUCCESS:
		return "Success";
	case DHCP6_ST_UNSPEC_FAIL:
		return "UnspecFail";
	case DHCP6_ST_NO_ADDRS_AVAIL:
		return "NoAddrsAvail";
	case DHCP6_ST_NO_BINDING:
		return "NoBinding";
	case DHCP6_ST_NOT_ON_LINK:
		return "NotOnLink";
	case DHCP6_ST_USE_MULTICAST:
		return "UseMulticast";
	case DHCP6_ST_NO_PREFIX_AVAIL:
		return "NoPrefixAvail";
	}
	return "unknown";
}

size_t dhcp6_duid_ll(uint8_t out[10], const uint8_t mac[6])
{
	d6_put16(out, 3); /* DUID-LL */
	d6_put16(out + 2, 1); /* hardware type: Ethernet */
	memcpy(out + 4, mac, 6);
	return 10;
}

uint32_t dhcp6_iaid_from_name(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return h;
}

static void d6_blob(struct dhcp6_blob *b, const uint8_t *p, uint16_t len)
{
	b->ptr = p;
	b->len = len;
	b->present = true;
}

/*
 * Status Code option (RFC 8415 21.13), the value part:
 *   0                   1                   2                   3
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          status-code          |  status-message (UTF-8) ...   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static int d6_status(const uint8_t *v, uint16_t len, struct dhcp6_status *st)
{
	if (len < 2)
		return -EINVAL;
	if (st->present)
		return 0; /* the first one counts */
	st->present = true;
	st->code = d6_get16(v);
	d6_blob(&st->msg, v + 2, (uint16_t)(len - 2));
	return 0;
}

/*
 * IA_NA (21.4) / IA_PD (21.21) value, then sub-options:
 *  |                        IAID (4 octets)                        |
 *  |                              T1                               |
 *  |                              T2                               |
 *  .                  IA_NA-options / IA_PD-options                .
 * IA Address (21.6) value:
 *  |                  IPv6-address (16 octets)                     |
 *  |                      preferred-lifetime                       |
 *  |                        valid-lifetime                         |
 *  .                        IAaddr-options                         .
 * IA Prefix (21.22) value:
 *  |                      preferred-lifetime                       |
 *  |                        valid-lifetime                         |
 *  | prefix-length |     IPv6-prefix (16 octets)                   |
 *  .                       IAprefix-options                        .
 * Sub-options have the usual option-code (2) option-len (2) header.
 */
static int d6_entry_opts(const uint8_t *p, size_t len, struct dhcp6_iaentry *e)
{
	size_t off = 0;
	uint16_t code, olen;
	int err;

	while (off < len) {
		if (len - off < 4)
			return -EMSGSIZE;
		code = d6_get16(p + off);
		olen = d6_get16(p + off + 2);
		off += 4;
		if (olen > len - off)
			return -EMSGSIZE;
		if (code == DHCP6_OPT_STATUS_CODE) {
			err = d6_status(p + off, olen, &e->status);
			if (err)
				return err;
		}
		off += olen;
	}
	return 0;
}

static int d6_ia(const uint8_t *v, uint16_t len, bool pd, struct dhcp6_ia *ia)
{
	struct dhcp6_iaentry tmp, *e;
	uint16_t code, olen;
	size_t off = 12;
	int err;

	if (len < 12)
		return -EINVAL;
	memset(ia, 0, sizeof(*ia));
	ia->present = true;
	ia->iaid = d6_get32(v);
	ia->t1 = d6_get32(v + 4);
	ia->t2 = d6_get32(v + 8);
	while (off < len) {
		if (len - off < 4)
			return -EMSGSIZE;
		code = d6_get16(v + off);
		olen = d6_get16(v + off + 2);
		off += 4;
		if (olen > len - off)
			return -EMSGSIZE;
		if (code == DHCP6_OPT_STATUS_CODE) {
			err = d6_status(v + off, olen, &ia->status);
			if (err)
				return err;
		} else if (code == (pd ? DHCP6_OPT_IAPREFIX : DHCP6_OPT_IAADDR)) {
			e = ia->n < DHCP6_IA_MAX ? &ia->e[ia->n] : &tmp;
			memset(e, 0, sizeof(*e));
			if (pd) {
				if (olen < 25)
					return -EINVAL;
				e->preferred = d6_get32(v + off);
				e->valid = d6_get32(v + off + 4);
				e->plen = v[off + 8];
				if (e->plen > 128)
					return -EINVAL;
				memcpy(e->addr, v + off + 9, 16);
				err = d6_entry_opts(v + off + 25, olen - 25u, e);
			} else {
				if (olen < 24)
					return -EINVAL;
				memcpy(e->addr, v + off, 16);
				e->preferred = d6_get32(v + off + 16);
				e->valid = d6_get32(v + off + 20);
				e->plen = 128;
				err = d6_entry_opts(v + off + 24, olen - 24u, e);
			}
			if (err)
				return err;
			if (e == &tmp) {
				if (ia->dropped < 255)
					ia->dropped++;
			} else {
				ia->n++;
			}
		}
		off += olen;
	}
	return 0;
}

/*
 * Client/server message (RFC 8415 section 8):
 *   0                   1                   2                   3
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    msg-type   |               transaction-id                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  .                            options                            .
 * each option:
 *  |          option-code          |           option-len          |
 *  |                          option-data (option-len octets)      |
 */
int dhcp6_decode(const uint8_t *buf, size_t len, struct dhcp6_msg *out)
{
	uint16_t code, olen, i;
	const uint8_t *v;
	size_t off = 4;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (len < 4)
		return -EMSGSIZE;
	out->type = buf[0];
	out->xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	/* Relay messages have another layout; a client never gets one. */
	if (!out->type || out->type == DHCP6_RELAY_FORW || out->type == DHCP6_RELAY_REPL)
		return -EINVAL;
	while (off < len) {
		if (len - off < 4)
			return -EMSGSIZE;
		code = d6_get16(buf + off);
		olen = d6_get16(buf + off + 2);
		off += 4;
		if (olen > len - off)
			return -EMSGSIZE;
		v = buf + off;
		off += olen;
		switch (code) {
		case DHCP6_OPT_CLIENTID:
		case DHCP6_OPT_SERVERID:
			if (!olen || olen > DHCP6_DUID_MAX)
				return -EINVAL;
			if (code == DHCP6_OPT_CLIENTID && !out->client_id.present)
				d6_blob(&out->client_id, v, olen);
			else if (code == DHCP6_OPT_SERVERID && !out->server_id.present)
				d6_blob(&out->server_id, v, olen);
			break;
		case DHCP6_OPT_ELAPSED_TIME:
			if (olen != 2)
				return -EINVAL;
			out->has_elapsed = true;
			out->elapsed = d6_get16(v);
			break;
		case DHCP6_OPT_PREFERENCE:
			if (olen != 1)
				return -EINVAL;
			out->has_preference = true;
			out->preference = v[0];
			break;
		case DHCP6_OPT_UNICAST:
			if (olen != 16)
				return -EINVAL;
			out->has_unicast = true;
			memcpy(out->unicast, v, 16);
			break;
		case DHCP6_OPT_RAPID_COMMIT:
			if (olen)
				return -EINVAL;
			out->rapid_commit = true;
			break;
		case DHCP6_OPT_SOL_MAX_RT:
			if (olen != 4)
				return -EINVAL;
			out->has_sol_max_rt = true;
			out->sol_max_rt = d6_get32(v);
			break;
		case DHCP6_OPT_STATUS_CODE:
			err = d6_status(v, olen, &out->status);
			break;
		case DHCP6_OPT_ORO:
			if (olen & 1)
				return -EINVAL;
			out->has_oro = true;
			for (i = 0; i < olen / 2 && out->n_oro < DHCP6_ORO_MAX; i++)
				out->oro[out->n_oro++] = d6_get16(v + 2 * i);
			break;
		case DHCP6_OPT_DNS_SERVERS:
			if (olen % 16)
				return -EINVAL;
			for (i = 0; i < olen / 16 && out->n_dns < DHCP6_DNS_MAX; i++)
				memcpy(out->dns[out->n_dns++], v + 16 * i, 16);
			break;
		case DHCP6_OPT_DOMAIN_LIST:
			if (!out->domains.present)
				d6_blob(&out->domains, v, olen);
			break;
		case DHCP6_OPT_IA_NA:
			if (olen < 12)
				return -EINVAL;
			if (out->n_ia_na++ == 0)
				err = d6_ia(v, olen, false, &out->ia_na);
			break;
		case DHCP6_OPT_IA_PD:
			if (olen < 12)
				return -EINVAL;
			if (out->n_ia_pd++ == 0)
				err = d6_ia(v, olen, true, &out->ia_pd);
			break;
		default:
			break; /* not ours to understand */
		}
		if (err)
			return err;
		if (out->n_ia_na == 0xff || out->n_ia_pd == 0xff)
			return -EINVAL; /* nobody sends 255 IAs */
	}
	return 0;
}

/* ---- encoder ------------------------------------------------------- */

struct d6_wr {
	uint8_t *buf;
	size_t cap, off;
	int err;
};

/* d6_opt - append an option header and @len bytes of @val (NULL: reserve only) */
static uint8_t *d6_opt(struct d6_wr *w, uint16_t code, const void *val, size_t len)
{
	uint8_t *p;

	if (w->err)
		return NULL;
	if (len > 0xffff) {
		w->err = -EINVAL;
		return NULL;
	}
	if (w->cap - w->off < 4 + len) {
		w->err = -ENOSPC;
		return NULL;
	}
	p = w->buf + w->off;
	d6_put16(p, code);
	d6_put16(p + 2, (uint16_t)len);
	if (val && len)
		memcpy(p + 4, val, len);
	w->off += 4 + len;
	return p + 4;
}

static void d6_put_status(struct d6_wr *w, const struct dhcp6_status *st)
{
	uint8_t *p;

	if (!st->present)
		return;
	p = d6_opt(w, DHCP6_OPT_STATUS_CODE, NULL, 2u + st->msg.len);
	if (!p)
		return;
	d6_put16(p, st->code);
	if (st->msg.len)
		memcpy(p + 2, st->msg.ptr, st->msg.len);
}

static void d6_put_ia(struct d6_wr *w, const struct dhcp6_ia *ia, bool pd)
{
	size_t start, i;
	uint8_t *p, *e;

	if (!ia->present)
		return;
	p = d6_opt(w, pd ? DHCP6_OPT_IA_PD : DHCP6_OPT_IA_NA, NULL, 12);
	if (!p)
		return;
	start = w->off - 16;
	d6_put32(p, ia->iaid);
	d6_put32(p + 4, ia->t1);
	d6_put32(p + 8, ia->t2);
	for (i = 0; i < ia->n && i < DHCP6_IA_MAX; i++) {
		const struct dhcp6_iaentry *en = &ia->e[i];
		size_t sub = w->off;

		if (pd) {
			e = d6_opt(w, DHCP6_OPT_IAPREFIX, NULL, 25);
			if (!e)
				return;
			if (en->plen > 128) {
				w->err = -EINVAL;
				return;
			}
			d6_put32(e, en->preferred);
			d6_put32(e + 4, en->valid);
			e[8] = en->plen;
			memcpy(e + 9, en->addr, 16);
		} else {
			e = d6_opt(w, DHCP6_OPT_IAADDR, NULL, 24);
			if (!e)
				return;
			memcpy(e, en->addr, 16);
			d6_put32(e + 16, en->preferred);
			d6_put32(e + 20, en->valid);
		}
		d6_put_status(w, &en->status);
		if (w->err)
			return;
		if (w->off - sub - 4 > 0xffff) {
			w->err = -EINVAL;
			return;
		}
		d6_put16(w->buf + sub + 2, (uint16_t)(w->off - sub - 4));
	}
	d6_put_status(w, &ia->status);
	if (w->err)
		return;
	if (w->off - start - 4 > 0xffff) {
		w->err = -EINVAL;
		return;
	}
	d6_put16(w->buf + start + 2, (uint16_t)(w->off - start - 4));
}

int dhcp6_encode(uint8_t *buf, size_t cap, const struct dhcp6_msg *in)
{
	struct d6_wr w = { .buf = buf, .cap = cap, .off = 4 };
	uint8_t *p;
	size_t i, n;

	if (cap < 4)
		return -ENOSPC;
	if (in->xid > 0xffffff)
		return -EINVAL;
	buf[0] = in->type;
	buf[1] = (uint8_t)(in->xid >> 16);
	buf[2] = (uint8_t)(in->xid >> 8);
	buf[3] = (uint8_t)in->xid;
	if (in->client_id.present)
		d6_opt(&w, DHCP6_OPT_CLIENTID, in->client_id.ptr, in->client_id.len);
	if (in->server_id.present)
		d6_opt(&w, DHCP6_OPT_SERVERID, in->server_id.ptr, in->server_id.len);
	if (in->has_elapsed) {
		p = d6_opt(&w, DHCP6_OPT_ELAPSED_TIME, NULL, 2);
		if (p)
			d6_put16(p, in->elapsed);
	}
	if (in->has_oro) {
		n = in->n_oro < DHCP6_ORO_MAX ? in->n_oro : DHCP6_ORO_MAX;
		p = d6_opt(&w, DHCP6_OPT_ORO, NULL, 2 * n);
		for (i = 0; p && i < n; i++)
			d6_put16(p + 2 * i, in->oro[i]);
	}
	if (in->has_preference)
		d6_opt(&w, DHCP6_OPT_PREFERENCE, &in->preference, 1);
	if (in->has_unicast)
		d6_opt(&w, DHCP6_OPT_UNICAST, in->unicast, 16);
	d6_put_status(&w, &in->status);
	if (in->rapid_commit)
		d6_opt(&w, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	if (in->has_sol_max_rt) {
		p = d6_opt(&w, DHCP6_OPT_SOL_MAX_RT, NULL, 4);
		if (p)
			d6_put32(p, in->sol_max_rt);
	}
	if (in->n_dns) {
		n = in->n_dns < DHCP6_DNS_MAX ? in->n_dns : DHCP6_DNS_MAX;
		p = d6_opt(&w, DHCP6_OPT_DNS_SERVERS, NULL, 16 * n);
		for (i = 0; p && i < n; i++)
			memcpy(p + 16 * i, in->dns[i], 16);
	}
	if (in->domains.present)
		d6_opt(&w, DHCP6_OPT_DOMAIN_LIST, in->domains.ptr, in->domains.len);
	d6_put_ia(&w, &in->ia_na, false);
	d6_put_ia(&w, &in->ia_pd, true);
	if (w.err)
		return w.err;
	return (int)w.off;
}
