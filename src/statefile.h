/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statefile.h - the PPPoE sessions that are open on the wire, kept in a
 * file so that the next start (after a crash, SIGKILL, OOM, or `stop
 * --keep` for an upgrade) can resume them, or at least send each a PADT
 * so the access concentrator does not hold it open.
 *
 * Format (host byte order: the file never leaves the machine): a header,
 * then one fixed-size record per session. The whole file is written to
 * "PATH.tmp", fsync'd and renamed over PATH, so a reader sees the old or
 * the new version, never a mix. The daemon writes it from a timer when
 * sessions change (never per packet), and synchronously on `stop --keep`.
 *
 * Reading trusts nothing: the file must be a regular file (not a symlink),
 * owned by us, mode 0600, with one link; the header's magic, version,
 * record size, count and checksum must agree with its size; every record
 * is checked on its own. Anything else is reported and ignored.
 */
#ifndef PPPOE_XDP_STATEFILE_H
#define PPPOE_XDP_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATEFILE_MAGIC   "PXDSTAT"   /* 8 bytes with its NUL */
#define STATEFILE_VERSION 3           /* 3 added the VLAN fields at the end */
#define STATEFILE_V2_REC_SIZE 232     /* version 2's record: all before vlan_ntags */
#define STATEFILE_MAX_RECS 65536      /* more than the daemon can have */
#define STATEFILE_V1_MAGIC 0x50585331u /* "PXS1": an older daemon's PADT-only records */

#define STATEFILE_F_UP 1u /* network phase: resumable, not only worth a PADT */

struct statefile_hdr {
	char magic[8];
	uint32_t version;
	uint32_t rec_size;       /* sizeof(struct statefile_sess) */
	uint32_t count;
	uint32_t if_index;       /* the Ethernet interface the sessions run on */
	uint64_t written_ms;     /* CLOCK_REALTIME */
	uint32_t csum;           /* FNV-1a over the records */
	uint32_t pad;
};

/* One session. Addresses in network byte order; times CLOCK_REALTIME ms. */
struct statefile_sess {
	char name[64];           /* the config section: what it belongs to */
	char ifname[16];         /* its TUN */
	char ac_name[65];
	uint8_t pad0[3];
	uint8_t our_mac[6];
	uint8_t ac_mac[6];
	uint16_t session_id;
	uint16_t flags;          /* STATEFILE_F_* */
	int32_t tun_ifindex;
	uint32_t magic, peer_magic;
	uint16_t mru, peer_mru;
	uint16_t mru_limit;      /* the lower layer's, 0 = 1492 */
	uint16_t auth_proto;
	uint16_t mtu;            /* the TUN's */
	uint8_t chap_alg;        /* with auth_proto CHAP: its algorithm */
	uint8_t pad1;
	uint32_t local, peer, dns1, dns2;
	uint32_t table;          /* routing table, 0 = none */
	uint32_t dial_hash;      /* of the settings that shape a dial (user, service, ...) */
	uint64_t last_rx_ms;     /* the peer's last frame */
	uint64_t up_since_ms;    /* the network came up */
	/* Version 3: the session's VLAN tags (all 0 in a version 2 file:
	 * untagged). tpid: QinQ's outer TPID as configured, 0 otherwise. */
	uint16_t vlan_ntags;     /* 0, 1 or 2 */
	uint16_t vlan_tpid;
	uint16_t vlan_vid[2];    /* outer first; unused ones 0 */
};

struct statefile {
	struct statefile_sess *recs;
	size_t n;
	uint32_t if_index;
	uint64_t written_ms;
	bool legacy;             /* an older daemon's file: PADT only */
	unsigned int bad;        /* records dropped as invalid */
};

/*
 * statefile_load - read and check @path into @st. 0 with st->n records
 * (possibly none); -ENOENT when there is no file; another -errno when the
 * file is unsafe or corrupt (logged, naming the problem): then @st is
 * empty and the caller starts afresh.
 */
int statefile_load(const char *path, struct statefile *st);
void statefile_free(struct statefile *st);
/* statefile_check_rec - is @r a record this daemon could have written? */
bool statefile_check_rec(const struct statefile_sess *r);
/*
 * statefile_save - write @n records atomically (PATH.tmp, fsync, rename),
 * mode 0600, creating the directory. 0 or -errno (not logged).
 */
int statefile_save(const char *path, const struct statefile_sess *recs, size_t n,
		   uint32_t if_index);
/* statefile_remove - clean exit: nothing is left open on the wire */
void statefile_remove(const char *path);
/* statefile_realtime_ms - CLOCK_REALTIME in ms, the file's clock */
uint64_t statefile_realtime_ms(void);

#endif
