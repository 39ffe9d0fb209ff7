// SPDX-License-Identifier: GPL-2.0-or-later
/* tun.c - TUN devices: one IFF_TUN device per session */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "tun/netcfg.h"
#include "tun/tun.h"

#define TUN_DEV "/dev/net/tun"

/* Older uapi headers lack USO (Linux 6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

/* tun_offload_bits - our TUN_OFF_* as the kernel's TUN_F_* */
static unsigned long tun_offload_bits(unsigned int set)
{
	return ((set & TUN_OFF_CSUM) ? TUN_F_CSUM : 0) | ((set & TUN_OFF_TSO4) ? TUN_F_TSO4 : 0) |
	       ((set & TUN_OFF_TSO6) ? TUN_F_TSO6 : 0) | ((set & TUN_OFF_USO4) ? TUN_F_USO4 : 0) |
	       ((set & TUN_OFF_USO6) ? TUN_F_USO6 : 0);
}

/* tun_check_name - reject names the kernel would refuse or expand */
static int tun_check_name(const char *ifname)
{
	size_t len;

	if (!ifname || !*ifname) {
		pr_err("TUN: empty interface name");
		return -EINVAL;
	}
	len = strlen(ifname);
	if (len > IFNAMSIZ - 1) {
		pr_err("%s: TUN interface name longer than %d characters",
		       ifname, IFNAMSIZ - 1);
		return -ENAMETOOLONG;
	}
	/* '%' would make the kernel pick a name from a template. */
	if (strpbrk(ifname, "/:% \t\n") || !strcmp(ifname, ".") ||
	    !strcmp(ifname, "..")) {
		pr_err("%s: invalid TUN interface name", ifname);
		return -EINVAL;
	}
	return 0;
}

/* tun_is_tun_driver - does the existing interface @ifname belong to tun? */
static int tun_is_tun_driver(const char *ifname)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = {};
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strncpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name) - 1);
	ifr.ifr_data = (void *)&info;
	ret = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : !strcmp(info.driver, "tun");
	close(fd);
	return ret;
}

/*
 * tun_attach - open /dev/net/tun and attach to (or create) @ifname.
 * Returns the fd or -errno (not logged: callers give context).
 */
static int tun_attach(const char *ifname, bool vnet)
{
	struct ifreq ifr = {};
	int fd, err, sz = TUN_VNET_HDR_LEN;

	fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The kernel takes IFF_NO_PI and IFF_VNET_HDR from every attach, so
	 * a device of an earlier run is switched to what is asked now. */
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0);
	strncpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name) - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) || (vnet && ioctl(fd, TUNSETVNETHDRSZ, &sz))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* tun_open - create (or take over a stale) non-persistent TUN device */
int tun_open(const char *ifname, int *ifindex)
{
	return tun_open_vnet(ifname, false, ifindex);
}

int tun_open_vnet(const char *ifname, bool vnet, int *ifindex)
{
	bool existed;
	int fd, err, idx;

	err = tun_check_name(ifname);
	if (err)
		return err;
	existed = if_nametoindex(ifname) != 0;

	fd = tun_attach(ifname, vnet);
	if (fd < 0) {
		err = fd;
		if (err == -ENOENT || err == -ENODEV)
			pr_err("%s: cannot open %s: %s (is the tun module loaded?)",
			       ifname, TUN_DEV, strerror(-err));
		else if (err == -EBUSY)
			pr_err("%s: TUN device is in use by another process",
			       ifname);
		else if (existed && err == -EINVAL) {
			/* The kernel says EINVAL for "exists, not a TUN like this". */
			err = -EEXIST;
			pr_err("%s: interface exists and is not a TUN device%s",
			       ifname, tun_is_tun_driver(ifname) == 1 ?
			       " (a TAP or one with other flags)" : "");
		} else
			pr_err("%s: cannot create TUN device: %s", ifname,
			       strerror(-err));
		return err;
	}
	/*
	 * A stale persistent device of this name is reused; drop its persist
	 * flag so that it, like a fresh one, dies with our fd.
	 */
	if (existed && ioctl(fd, TUNSETPERSIST, 0)) {
		err = -errno;
		pr_err("%s: cannot make the TUN device non-persistent: %s",
		       ifname, strerror(-err));
		goto err_close;
	}
	idx = (int)if_nametoindex(ifname);
	if (!idx) {
		err = -errno;
		pr_err("%s: TUN device created but has no ifindex: %s", ifname,
		       strerror(-err));
		goto err_close;
	}
	if (ifindex)
		*ifindex = idx;
	return fd;

err_close:
	close(fd);
	return err;
}

/* tun_sysfs_u32 - /sys/class/net/IFNAME/ATTR as a number; -errno if unreadable */
static int tun_sysfs_u32(const char *ifname, const char *attr, uint32_t *val)
{
	char path[128], buf[32], *end;
	unsigned long v;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 0);
	if (errno || end == buf || v > UINT32_MAX)
		return -EIO;
	*val = (uint32_t)v;
	return 0;
}

int tun_open_owned(struct netcfg *nc, const char *ifname, uint32_t group, uint32_t family,
		   bool vnet, int *ifindex, bool *adopted)
{
	uint32_t flags, g, sysidx;
	int fd, err, idx, had_vnet = -1;

	*adopted = false;
	err = tun_check_name(ifname);
	if (err)
		return err;
	idx = (int)if_nametoindex(ifname);
	if (!idx)
		return tun_open_vnet(ifname, vnet, ifindex);
	/* It exists: ours to adopt only if it is a plain TUN in our group. */
	if (tun_is_tun_driver(ifname) != 1) {
		pr_err("%s: interface exists and is not a TUN device; not adopting it", ifname);
		return -EEXIST;
	}
	/* Attaching would fail on a multiqueue device (EINVAL), and on the
	 * others silently turn packet info off: not ours. A vnet header is
	 * ours either way (an earlier run with tun_offload on or off): the
	 * attach switches it to what is asked now. sysfs may show another
	 * network namespace (a daemon started with nsenter --net): use it
	 * only if it shows this very device. */
	if (tun_sysfs_u32(ifname, "ifindex", &sysidx) == 0 && sysidx == (uint32_t)idx &&
	    tun_sysfs_u32(ifname, "tun_flags", &flags) == 0) {
		if ((flags & (IFF_TUN | IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE)) !=
		    (IFF_TUN | IFF_NO_PI)) {
			pr_err("%s: a TUN/TAP device with other flags (0x%x); not adopting it",
			       ifname, flags);
			return -EEXIST;
		}
		had_vnet = (flags & IFF_VNET_HDR) ? 1 : 0;
	}
	err = netcfg_link_group(nc, idx, &g);
	if (err) {
		pr_err("%s: cannot read its link group: %s", ifname, strerror(-err));
		return err;
	}
	if ((g & family) != (group & family)) {
		pr_err("%s: TUN device is not ours (link group %u, ours is %u); not adopting it: "
		       "delete it (ip link del %s) or name the session's TUN differently", ifname,
		       g, group, ifname);
		return -EEXIST;
	}
	fd = tun_attach(ifname, vnet);
	if (fd < 0) {
		err = fd;
		if (err == -EBUSY)
			pr_err("%s: TUN device is in use by another process", ifname);
		else if (err == -EINVAL)
			pr_err("%s: a TUN/TAP device with other flags; not adopting it", ifname);
		else
			pr_err("%s: cannot attach to our TUN device: %s", ifname, strerror(-err));
		return err == -EINVAL ? -EEXIST : err;
	}
	if (g != group) {
		/* An earlier run on an interface since re-created (new ifindex). */
		pr_info("%s: adopting a TUN of an earlier run on another interface (link group %u)",
			ifname, g);
		err = netcfg_link_set_group(nc, idx, group);
		if (err) {
			close(fd);
			return err;
		}
	}
	idx = (int)if_nametoindex(ifname);
	if (!idx) {
		err = -ENODEV;
		pr_err("%s: TUN device vanished while adopting it", ifname);
		close(fd);
		return err;
	}
	if (had_vnet >= 0 && had_vnet != vnet)
		pr_info("%s: adopting a TUN of an earlier run %s virtio-net header: %s now "
			"(tun_offload)", ifname, had_vnet ? "with a" : "without a",
			vnet ? "with one" : "without");
	if (ifindex)
		*ifindex = idx;
	*adopted = true;
	return fd;
}

/*
 * tun_set_offload - what the TUN may hand us (and take from us) unsegmented
 * and without checksum: the most of @want the kernel accepts. The kernel
 * refuses a whole set with an unknown flag (USO before Linux 6.2), so the
 * sets are tried from the largest down.
 */
int tun_set_offload(int fd, unsigned int want, unsigned int *got)
{
	static const unsigned int tries[] = {
		TUN_OFF_CSUM | TUN_OFF_TSO4 | TUN_OFF_TSO6 | TUN_OFF_USO4 | TUN_OFF_USO6,
		TUN_OFF_CSUM | TUN_OFF_TSO4 | TUN_OFF_TSO6,
		TUN_OFF_CSUM,
		0,
	};
	unsigned int i, set;
	int err = 0;

	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		set = tries[i] & want;
		if (i && set == (tries[i - 1] & want))
			continue;
		if (!ioctl(fd, TUNSETOFFLOAD, (unsigned long)tun_offload_bits(set))) {
			*got = set;
			return 0;
		}
		err = -errno;
		if (err != -EINVAL)
			break;
	}
	*got = 0;
	return err;
}

int tun_set_persist(int fd, bool on)
{
	return ioctl(fd, TUNSETPERSIST, on ? 1 : 0) ? -errno : 0;
}

void tun_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

ssize_t tun_read(int fd, void *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	return n < 0 ? -errno : n;
}

ssize_t tun_write(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : n;
}

int tun_disable_ipv6(const char *ifname)
{
	char path[96];
	int fd, err = 0;

	err = tun_check_name(ifname);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (write(fd, "1\n", 2) != 2)
		err = -errno;
	close(fd);
	return err;
}

int tun_ipv6_sysctl(const char *ifname, const char *key, const char *value)
{
	char path[128];
	size_t n = strlen(value);
	int fd, err = 0;

	err = tun_check_name(ifname);
	if (err)
		return err;
	if (strchr(key, '/') || strstr(key, ".."))
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, n) != (ssize_t)n)
		err = -errno;
	close(fd);
	return err;
}

/* tun_remove_stale - attach to a leftover TUN, unpersist it, let it go */
int tun_remove_stale(const char *ifname)
{
	int fd, err;

	err = tun_check_name(ifname);
	if (err)
		return err;
	if (!if_nametoindex(ifname))
		return 0;
	err = tun_is_tun_driver(ifname);
	if (err <= 0) {
		pr_err("%s: interface exists and is not a TUN device; not removing it",
		       ifname);
		return -EEXIST;
	}
	fd = tun_attach(ifname, false);
	if (fd < 0) {
		err = fd;
		if (err == -EBUSY)
			pr_err("%s: TUN device is in use by a running process; not removing it",
			       ifname);
		else if (err == -EINVAL)
			pr_err("%s: TUN/TAP device with other flags; not removing it",
			       ifname);
		else
			pr_err("%s: cannot attach to stale TUN device: %s",
			       ifname, strerror(-err));
		return err == -EINVAL ? -EEXIST : err;
	}
	/* Unpersisted and closed, the kernel unregisters it at once. */
	if (ioctl(fd, TUNSETPERSIST, 0)) {
		err = -errno;
		pr_err("%s: cannot clear the persist flag of stale TUN device: %s",
		       ifname, strerror(-err));
		close(fd);
		return err;
	}
	close(fd);
	if (if_nametoindex(ifname)) {
		pr_err("%s: stale TUN device is still there after removal",
		       ifname);
		return -EBUSY;
	}
	pr_info("%s: removed stale TUN device", ifname);
	return 0;
}
