// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vnet.c - TUN offloads as pure code: vnet header, checksum completion,
 * segmentation and coalescing (see vnet.h).
 */
#include <errno.h>
#include <string.h>

#include "tun/vnet.h"

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define TCP_CSUM_OFF 16
#define UDP_CSUM_OFF 6
#define IP_MAXLEN 65535u

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- checksums ------------------------------------------------------- */

/*
 * csum_native - one's complement sum of @len bytes in host-order 32-bit
 * words, carries kept in the upper half. The sum is independent of byte
 * order up to a swap of the folded result (RFC 1071 2(B)), so whole words
 * are loaded as they lie in memory instead of byte by byte.
 */
static uint64_t csum_native(const uint8_t *p, size_t len)
{
	uint64_t s0 = 0, s1 = 0;
	uint32_t w[4];
	uint8_t t[4] = { 0 };

	while (len >= 16) {
		memcpy(w, p, 16);
		s0 += (uint64_t)w[0] + w[1];
		s1 += (uint64_t)w[2] + w[3];
		p += 16;
		len -= 16;
	}
	while (len >= 4) {
		memcpy(w, p, 4);
		s0 += w[0];
		p += 4;
		len -= 4;
	}
	if (len) {
		/* zero padding after the last bytes, in memory order */
		memcpy(t, p, len);
		memcpy(w, t, 4);
		s1 += w[0];
	}
	return s0 + s1;
}

static uint16_t fold64(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

uint32_t vnet_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint16_t f = fold64(csum_native(p, len));

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	f = (uint16_t)(f << 8 | f >> 8);
#endif
	return sum + f;
}

uint16_t vnet_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t vnet_csum_pseudo(const uint8_t *ip, uint8_t proto, uint32_t l4len)
{
	uint32_t s = proto + (l4len >> 16) + (l4len & 0xffff);

	if (ip[0] >> 4 == 4)
		return vnet_csum_add(s, ip + 12, 8);
	return vnet_csum_add(s, ip + 8, 32);
}

/* ---- the header ------------------------------------------------------ */

int vnet_hdr_decode(const uint8_t *buf, size_t len, struct virtio_net_hdr *h)
{
	if (len < VNET_HDR_LEN)
		return -EINVAL;
	h->flags = buf[0];
	h->gso_type = buf[1];
	h->hdr_len = (uint16_t)(buf[2] | buf[3] << 8);
	h->gso_size = (uint16_t)(buf[4] | buf[5] << 8);
	h->csum_start = (uint16_t)(buf[6] | buf[7] << 8);
	h->csum_offset = (uint16_t)(buf[8] | buf[9] << 8);
	return 0;
}

void vnet_hdr_encode(uint8_t *buf, const struct virtio_net_hdr *h)
{
	buf[0] = h->flags;
	buf[1] = h->gso_type;
	buf[2] = (uint8_t)h->hdr_len;
	buf[3] = (uint8_t)(h->hdr_len >> 8);
	buf[4] = (uint8_t)h->gso_size;
	buf[5] = (uint8_t)(h->gso_size >> 8);
	buf[6] = (uint8_t)h->csum_start;
	buf[7] = (uint8_t)(h->csum_start >> 8);
	buf[8] = (uint8_t)h->csum_offset;
	buf[9] = (uint8_t)(h->csum_offset >> 8);
}

int vnet_csum_complete(const struct virtio_net_hdr *h, uint8_t *pkt, size_t len)
{
	size_t start = h->csum_start, at = start + h->csum_offset;
	uint16_t c;

	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return 0;
	if (start > len || at > len || len - at < 2)
		return -EINVAL;
	c = (uint16_t)~vnet_csum_fold(vnet_csum_add(0, pkt + start, len - start));
	if (!c && h->csum_offset == UDP_CSUM_OFF)
		c = 0xffff;
	put16(pkt + at, c);
	return 0;
}

/* ---- segmentation ---------------------------------------------------- */

/* gso_ip - check the IP header of super-packet @pkt for @proto; its length
 * or -errno */
static int gso_ip(const uint8_t *pkt, size_t len, unsigned int ver, uint8_t proto)
{
	size_t l3;

	if (!len || pkt[0] >> 4 != ver)
		return -EINVAL;
	if (ver == 4) {
		if (len < 20)
			return -EINVAL;
		l3 = (size_t)(pkt[0] & 0x0f) * 4;
		/* whole, unfragmented, of the protocol gso_type says */
		if (l3 < 20 || l3 > len || get16(pkt + 2) != len || (get16(pkt + 6) & 0x3fff) ||
		    pkt[9] != proto)
			return -EINVAL;
		return (int)l3;
	}
	if (len < 40 || (size_t)get16(pkt + 4) + 40 != len)
		return -EINVAL;
	if (pkt[6] != proto)
		return pkt[6] == IPPROTO_TCP_ || pkt[6] == IPPROTO_UDP_ ? -EINVAL : -EPROTONOSUPPORT;
	return 40;
}

int vnet_gso_init(struct vnet_gso *it, const struct virtio_net_hdr *h, const uint8_t *pkt,
		  size_t len)
{
	unsigned int ver;
	size_t l4, pay;
	int l3;

	memset(it, 0, sizeof(*it));
	it->pkt = pkt;
	it->len = len;
	it->h = *h;
	it->err = -EINVAL;
	if (!len || h->hdr_len > len)
		return -EINVAL;
	switch (h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		if (h->gso_type)
			return -EINVAL; /* the ECN bit alone */
		if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    (h->csum_start > len || (size_t)h->csum_start + h->csum_offset + 2 > len))
			return -EINVAL;
		it->n = 1;
		it->err = 0;
		return 0;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		ver = 4;
		it->proto = IPPROTO_TCP_;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		ver = 6;
		it->proto = IPPROTO_TCP_;
		break;
	case VIRTIO_NET_HDR_GSO_UDP_L4:
		if (h->gso_type & VIRTIO_NET_HDR_GSO_ECN)
			return -EINVAL;
		ver = pkt[0] >> 4;
		it->proto = IPPROTO_UDP_;
		break;
	case VIRTIO_NET_HDR_GSO_UDP:
		return -EOPNOTSUPP; /* UFO: IP fragmentation, never offered */
	default:
		return -EINVAL;
	}
	if (!h->gso_size || (ver != 4 && ver != 6))
		return -EINVAL;
	l3 = gso_ip(pkt, len, ver, it->proto);
	if (l3 < 0)
		return l3;
	if (it->proto == IPPROTO_TCP_) {
		if (len - (size_t)l3 < 20)
			return -EINVAL;
		l4 = (size_t)(pkt[l3 + 12] >> 4) * 4;
		if (l4 < 20 || l4 > len - (size_t)l3)
			return -EINVAL;
		it->seq = get32(pkt + l3 + 4);
	} else {
		l4 = 8;
		if (len - (size_t)l3 < l4)
			return -EINVAL;
	}
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    (h->csum_start != (size_t)l3 ||
	     h->csum_offset != (it->proto == IPPROTO_TCP_ ? TCP_CSUM_OFF : UDP_CSUM_OFF)))
		return -EINVAL;
	it->l3len = (size_t)l3;
	it->hlen = (size_t)l3 + l4;
	it->off = it->hlen;
	it->mss = h->gso_size;
	it->id = ver == 4 ? get16(pkt + 4) : 0;
	pay = len - it->hlen;
	it->n = pay ? (unsigned int)((pay + it->mss - 1) / it->mss) : 1;
	it->err = 0;
	return 0;
}

size_t vnet_gso_seg_max(const struct vnet_gso *it)
{
	size_t pay;

	if (!it->proto)
		return it->len;
	pay = it->len - it->hlen;
	return it->hlen + (pay < it->mss ? pay : it->mss);
}

size_t vnet_gso_next(struct vnet_gso *it, uint8_t *out, size_t cap)
{
	size_t pay, seg;
	uint8_t *l4, fl;
	uint32_t s;
	uint16_t c;

	if (it->err || it->i >= it->n)
		return 0;
	if (!it->proto) {
		if (cap < it->len) {
			it->err = -EMSGSIZE;
			return 0;
		}
		memcpy(out, it->pkt, it->len);
		vnet_csum_complete(&it->h, out, it->len); /* offsets checked by init */
		it->i++;
		return it->len;
	}
	pay = it->len - it->off;
	if (pay > it->mss)
		pay = it->mss;
	seg = it->hlen + pay;
	if (cap < seg) {
		it->err = -EMSGSIZE;
		return 0;
	}
	memcpy(out, it->pkt, it->hlen);
	memcpy(out + it->hlen, it->pkt + it->off, pay);

	if (out[0] >> 4 == 4) {
		put16(out + 2, (uint16_t)seg);
		put16(out + 4, (uint16_t)(it->id + it->i));
		out[10] = out[11] = 0;
		put16(out + 10, (uint16_t)~vnet_csum_fold(vnet_csum_add(0, out, it->l3len)));
	} else {
		put16(out + 4, (uint16_t)(seg - 40));
	}

	l4 = out + it->l3len;
	if (it->proto == IPPROTO_TCP_) {
		put32(l4 + 4, it->seq + (uint32_t)(it->off - it->hlen));
		fl = l4[13];
		if (it->i + 1 < it->n)
			fl &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (it->i)
			fl &= (uint8_t)~TCP_CWR;
		l4[13] = fl;
		l4[16] = l4[17] = 0;
	} else {
		put16(l4 + 4, (uint16_t)(seg - it->l3len));
		l4[6] = l4[7] = 0;
	}
	s = vnet_csum_pseudo(out, it->proto, (uint32_t)(seg - it->l3len));
	c = (uint16_t)~vnet_csum_fold(vnet_csum_add(s, l4, seg - it->l3len));
	if (!c && it->proto == IPPROTO_UDP_)
		c = 0xffff;
	put16(l4 + (it->proto == IPPROTO_TCP_ ? TCP_CSUM_OFF : UDP_CSUM_OFF), c);

	it->off += pay;
	it->i++;
	return seg;
}

/* ---- coalescing ------------------------------------------------------ */

struct gro_pkt {
	size_t len;	/* IP total length */
	size_t l3len;
	size_t hlen;	/* IP + TCP or UDP header */
	size_t pay;
	uint8_t proto;
	uint8_t flags;	/* TCP */
};

/*
 * gro_parse - is @pkt a TCP segment (or, with VNET_GRO_UDP4/6 in @gflags,
 * a UDP datagram) GRO may take? 0 and its shape, or -1
 */
static int gro_parse(const uint8_t *pkt, size_t len, unsigned int gflags, struct gro_pkt *p)
{
	const uint8_t *tcp;
	size_t doff;

	if (len < 20)
		return -1;
	if (pkt[0] >> 4 == 4) {
		p->l3len = (size_t)(pkt[0] & 0x0f) * 4;
		p->len = get16(pkt + 2);
		p->proto = pkt[9];
		if (p->l3len < 20 || p->len < p->l3len || p->len > len ||
		    !(p->proto == IPPROTO_TCP_ || (p->proto == IPPROTO_UDP_ && (gflags & VNET_GRO_UDP4))) ||
		    (get16(pkt + 6) & 0x3fff) ||
		    vnet_csum_fold(vnet_csum_add(0, pkt, p->l3len)) != 0xffff)
			return -1;
	} else if (pkt[0] >> 4 == 6) {
		if (len < 40)
			return -1;
		p->l3len = 40;
		p->len = 40 + (size_t)get16(pkt + 4);
		p->proto = pkt[6];
		if (p->len > len ||
		    !(p->proto == IPPROTO_TCP_ || (p->proto == IPPROTO_UDP_ && (gflags & VNET_GRO_UDP6))))
			return -1;
	} else {
		return -1;
	}
	if (p->proto == IPPROTO_UDP_) {
		/* a datagram whose length field says what the IP header does;
		 * IPv6 forbids a zero checksum (RFC 8200 8.1): let the kernel
		 * see that one as it is */
		if (p->len - p->l3len <= 8 || get16(pkt + p->l3len + 4) != p->len - p->l3len ||
		    (p->l3len == 40 && !get16(pkt + p->l3len + UDP_CSUM_OFF)))
			return -1;
		p->hlen = p->l3len + 8;
		p->pay = p->len - p->hlen;
		p->flags = 0;
		return 0;
	}
	if (p->len - p->l3len < 20)
		return -1;
	tcp = pkt + p->l3len;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || doff > p->len - p->l3len)
		return -1;
	p->hlen = p->l3len + doff;
	p->pay = p->len - p->hlen;
	p->flags = tcp[13];
	/* data with ACK, maybe PSH: anything else goes through on its own */
	if (!p->pay || (p->flags & (uint8_t)~TCP_PSH) != TCP_ACK)
		return -1;
	return 0;
}

/* gro_csum_ok - the TCP or UDP checksum of @pkt is right (an IPv4 UDP
 * datagram may carry none); its payload is summed at @pay (a copy) */
static bool gro_csum_ok(const uint8_t *pkt, const struct gro_pkt *p, const uint8_t *pay)
{
	uint32_t s = vnet_csum_pseudo(pkt, p->proto, (uint32_t)(p->len - p->l3len));

	if (p->proto == IPPROTO_UDP_ && !get16(pkt + p->l3len + UDP_CSUM_OFF))
		return true;
	s = vnet_csum_add(s, pkt + p->l3len, p->hlen - p->l3len);
	s = vnet_csum_add(s, pay, p->pay);
	return vnet_csum_fold(s) == 0xffff;
}

void vnet_gro_init(struct vnet_gro *g, uint8_t *buf, size_t cap)
{
	memset(g, 0, sizeof(*g));
	g->buf = buf;
	g->cap = cap;
}

/* gro_start - hold @pkt as the first segment of a super-packet */
static enum vnet_gro_res gro_start(struct vnet_gro *g, const uint8_t *pkt, const struct gro_pkt *p,
				   unsigned int flags)
{
	uint8_t *ip = g->buf + VNET_HDR_LEN;

	if (g->cap < VNET_HDR_LEN || g->cap - VNET_HDR_LEN < p->len || p->pay > 0xffff)
		return VNET_GRO_PASS;
	memcpy(ip, pkt, p->len);
	if (!(flags & VNET_GRO_CSUM_OK) && !gro_csum_ok(pkt, p, ip + p->hlen))
		return VNET_GRO_PASS;
	g->len = p->len;
	g->l3len = p->l3len;
	g->hlen = p->hlen;
	g->proto = p->proto;
	g->next_seq = p->proto == IPPROTO_TCP_ ? get32(pkt + p->l3len + 4) + (uint32_t)p->pay : 0;
	g->gso_size = (uint16_t)p->pay;
	g->next_id = (uint16_t)(get16(pkt + 4) + 1);
	g->segs = 1;
	g->closed = (p->flags & TCP_PSH) != 0;
	return VNET_GRO_HELD;
}

/*
 * gro_id_follows - does @pkt's IPv4 ID follow the held ones? One more than
 * the last, or, with DF set (an atomic datagram, whose ID means nothing:
 * RFC 6864; Linux sends 0 for those of unconnected sockets), the same as
 * all the held ones, as the kernel's GRO takes them
 */
static bool gro_id_follows(const struct vnet_gro *g, const uint8_t *pkt)
{
	uint16_t id = get16(pkt + 4), first = get16(g->buf + VNET_HDR_LEN + 4);

	if (id == g->next_id && (g->segs == 1 || !g->fixed_id))
		return true;
	return (pkt[6] & 0x40) && id == first && (g->segs == 1 || g->fixed_id);
}

/* gro_same_flow - do @pkt's headers match the held ones where they must? */
static bool gro_same_flow(const struct vnet_gro *g, const uint8_t *pkt, const struct gro_pkt *p)
{
	const uint8_t *ip = g->buf + VNET_HDR_LEN, *th = ip + g->l3len, *tp = pkt + p->l3len;

	if (p->l3len != g->l3len || p->hlen != g->hlen || pkt[0] != ip[0] || p->proto != g->proto)
		return false;
	if (pkt[0] >> 4 == 4) {
		/* TOS; fragment field (DF); TTL, protocol; addresses; options */
		if (pkt[1] != ip[1] || memcmp(pkt + 6, ip + 6, 4) || memcmp(pkt + 12, ip + 12, 8) ||
		    memcmp(pkt + 20, ip + 20, g->l3len - 20) || !gro_id_follows(g, pkt))
			return false;
	} else {
		/* traffic class and flow label; next header, hop limit; addresses */
		if (memcmp(pkt, ip, 4) || memcmp(pkt + 6, ip + 6, 34))
			return false;
	}
	if (p->proto == IPPROTO_UDP_)
		return !memcmp(tp, th, 4); /* ports */
	/* ports; then ACK, data offset, window, urgent pointer, options: all
	 * but sequence number, flags and checksum */
	return !memcmp(tp, th, 4) && get32(tp + 4) == g->next_seq && !memcmp(tp + 8, th + 8, 5) &&
	       !memcmp(tp + 14, th + 14, 2) && !memcmp(tp + 18, th + 18, g->hlen - g->l3len - 18);
}

/* gro_merge - append @pkt's payload to the held super-packet */
static enum vnet_gro_res gro_merge(struct vnet_gro *g, const uint8_t *pkt, const struct gro_pkt *p,
				   unsigned int flags)
{
	uint8_t *ip = g->buf + VNET_HDR_LEN, *dst = ip + g->len;
	size_t room = g->cap - VNET_HDR_LEN - g->len;
	size_t max = IP_MAXLEN + (ip[0] >> 4 == 6 ? 40 : 0);

	if (g->closed || p->pay > g->gso_size || !gro_same_flow(g, pkt, p) || p->pay > room ||
	    g->len + p->pay > max || (p->proto == IPPROTO_UDP_ && g->segs >= VNET_GRO_UDP_SEGS))
		return VNET_GRO_FLUSH;
	memcpy(dst, pkt + p->hlen, p->pay);
	if (!(flags & VNET_GRO_CSUM_OK) && !gro_csum_ok(pkt, p, dst))
		return VNET_GRO_FLUSH; /* on its own again, it will PASS */
	g->len += p->pay;
	if (p->proto == IPPROTO_TCP_)
		g->next_seq += (uint32_t)p->pay;
	if (g->segs == 1 && ip[0] >> 4 == 4)
		g->fixed_id = get16(pkt + 4) != g->next_id;
	g->next_id++;
	g->segs++;
	if (p->flags & TCP_PSH) {
		ip[g->l3len + 13] |= TCP_PSH;
		g->closed = true;
	}
	if (p->pay < g->gso_size)
		g->closed = true;
	return VNET_GRO_HELD;
}

enum vnet_gro_res vnet_gro_add(struct vnet_gro *g, const uint8_t *pkt, size_t len,
			       unsigned int flags)
{
	struct gro_pkt p;

	if (gro_parse(pkt, len, flags, &p) < 0)
		return g->len ? VNET_GRO_FLUSH : VNET_GRO_PASS;
	if (!g->len)
		return gro_start(g, pkt, &p, flags);
	return gro_merge(g, pkt, &p, flags);
}

size_t vnet_gro_flush(struct vnet_gro *g)
{
	uint8_t *ip = g->buf + VNET_HDR_LEN;
	struct virtio_net_hdr h = { 0 };
	size_t n;

	if (!g->len)
		return 0;
	if (ip[0] >> 4 == 4) {
		put16(ip + 2, (uint16_t)g->len);
		ip[10] = ip[11] = 0;
		put16(ip + 10, (uint16_t)~vnet_csum_fold(vnet_csum_add(0, ip, g->l3len)));
	} else {
		put16(ip + 4, (uint16_t)(g->len - 40));
	}
	if (g->proto == IPPROTO_UDP_)
		put16(ip + g->l3len + 4, (uint16_t)(g->len - g->l3len));
	put16(ip + g->l3len + (g->proto == IPPROTO_UDP_ ? UDP_CSUM_OFF : TCP_CSUM_OFF),
	      vnet_csum_fold(vnet_csum_pseudo(ip, g->proto, (uint32_t)(g->len - g->l3len))));
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	if (g->segs > 1) {
		if (g->proto == IPPROTO_UDP_)
			h.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
		else
			h.gso_type = ip[0] >> 4 == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
		h.gso_size = g->gso_size;
	}
	h.hdr_len = (uint16_t)g->hlen;
	h.csum_start = (uint16_t)g->l3len;
	h.csum_offset = g->proto == IPPROTO_UDP_ ? UDP_CSUM_OFF : TCP_CSUM_OFF;
	vnet_hdr_encode(g->buf, &h);
	n = VNET_HDR_LEN + g->len;
	g->len = 0;
	g->segs = 0;
	g->closed = false;
	g->fixed_id = false;
	return n;
}
