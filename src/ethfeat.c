// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ethfeat.c - read and change an interface's offload features by name
 * (the names `ethtool -k` prints), through the SIOCETHTOOL ioctl:
 * ETHTOOL_GSSET_INFO and ETHTOOL_GSTRINGS for the names of the feature
 * bits, ETHTOOL_GFEATURES and ETHTOOL_SFEATURES for their state.
 *
 * The daemon needs one thing of it: VLAN tags in the frame, where the XDP
 * program can see them. A NIC with RX VLAN offload ("rx-vlan-hw-parse",
 * "rx-vlan-stag-hw-parse") strips the tag and hands it over as metadata,
 * which neither a native XDP program without device-bound kfuncs nor
 * generic (skb) XDP sees.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "src/ethfeat.h"

#define ETHFEAT_MAX_BITS 256 /* the kernel has some 70 netdev features */

/* ethfeat_ioctl - one SIOCETHTOOL request on @ifname */
static int ethfeat_ioctl(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

/* ethfeat_index - the bit number of feature @name, or -ENOENT */
static int ethfeat_index(int fd, const char *ifname, const char *name)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} info;
	struct ethtool_gstrings *gs;
	uint32_t n, i;
	int ret;

	memset(&info, 0, sizeof(info));
	info.hdr.cmd = ETHTOOL_GSSET_INFO;
	info.hdr.sset_mask = 1ULL << ETH_SS_FEATURES;
	ret = ethfeat_ioctl(fd, ifname, &info);
	if (ret)
		return ret;
	if (!(info.hdr.sset_mask & (1ULL << ETH_SS_FEATURES)))
		return -EOPNOTSUPP;
	n = info.len;
	if (!n || n > ETHFEAT_MAX_BITS)
		return -EOPNOTSUPP;
	gs = calloc(1, sizeof(*gs) + (size_t)n * ETH_GSTRING_LEN);
	if (!gs)
		return -ENOMEM;
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = n;
	ret = ethfeat_ioctl(fd, ifname, gs);
	if (!ret) {
		ret = -ENOENT;
		for (i = 0; i < n && i < gs->len; i++) {
			const char *s = (const char *)gs->data + (size_t)i * ETH_GSTRING_LEN;

			if (!strncmp(s, name, ETH_GSTRING_LEN)) {
				ret = (int)i;
				break;
			}
		}
	}
	free(gs);
	return ret;
}

#define ETHFEAT_BLOCKS ((ETHFEAT_MAX_BITS + 31) / 32)

/* The kernel's feature words, as ETHTOOL_GFEATURES reports them. */
struct ethfeat_words {
	struct ethtool_gfeatures hdr;
	struct ethtool_get_features_block b[ETHFEAT_BLOCKS];
};

/*
 * ethfeat_read - open an ioctl socket, find feature @name's bit and read
 * every feature word of @ifname into @gf. 0 with *@fd open (the caller
 * closes it) and *@bit set, or -errno with nothing open.
 */
static int ethfeat_read(const char *ifname, const char *name, int *fd, int *bit,
			struct ethfeat_words *gf)
{
	int ret;

	*fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return -errno;
	*bit = ethfeat_index(*fd, ifname, name);
	ret = *bit < 0 ? *bit : 0;
	if (!ret) {
		memset(gf, 0, sizeof(*gf));
		gf->hdr.cmd = ETHTOOL_GFEATURES;
		gf->hdr.size = ETHFEAT_BLOCKS;
		ret = ethfeat_ioctl(*fd, ifname, gf);
	}
	/* SFEATURES wants exactly the kernel's number of feature words,
	 * which GFEATURES reports; the bit must be in one of them. */
	if (!ret && (gf->hdr.size > ETHFEAT_BLOCKS || (uint32_t)*bit / 32 >= gf->hdr.size))
		ret = -EOPNOTSUPP;
	if (ret)
		close(*fd);
	return ret;
}

int ethfeat_get(const char *ifname, const char *name, bool *on, bool *fixed)
{
	struct ethfeat_words gf;
	int fd, bit, ret;

	ret = ethfeat_read(ifname, name, &fd, &bit, &gf);
	if (ret)
		return ret;
	close(fd);
	*on = gf.b[bit / 32].active & (1u << (bit % 32));
	/* Neither available to change nor never changeable: fixed. */
	*fixed = !(gf.b[bit / 32].available & (1u << (bit % 32))) ||
		 (gf.b[bit / 32].never_changed & (1u << (bit % 32)));
	return 0;
}

int ethfeat_set(const char *ifname, const char *name, bool on)
{
	struct ethfeat_words gf;
	struct {
		struct ethtool_sfeatures hdr;
		struct ethtool_set_features_block b[ETHFEAT_BLOCKS];
	} sf;
	bool now, fixed;
	int fd, bit, ret;

	ret = ethfeat_read(ifname, name, &fd, &bit, &gf);
	if (ret)
		return ret;
	memset(&sf, 0, sizeof(sf));
	sf.hdr.cmd = ETHTOOL_SFEATURES;
	sf.hdr.size = gf.hdr.size;
	sf.b[bit / 32].valid = 1u << (bit % 32);
	sf.b[bit / 32].requested = on ? 1u << (bit % 32) : 0;
	ret = ethfeat_ioctl(fd, ifname, &sf);
	close(fd);
	/* A positive return flags that not everything asked for took effect
	 * (ETHTOOL_F_WISH): read back what the driver did. */
	if (ret < 0)
		return ret;
	ret = ethfeat_get(ifname, name, &now, &fixed);
	if (ret)
		return ret;
	return now == on ? 0 : -EOPNOTSUPP;
}
