/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tun.h - TUN devices (IFF_TUN, no packet info), one per session.
 *
 * tun_open makes a device that dies with its fd. The daemon's devices are
 * persistent instead (tun_open_owned, then tun_set_persist once they are in
 * its link group): a crash or restart deletes nothing, and the next start
 * adopts them by name with their ifindex, addresses and routes.
 */
#ifndef PPPOE_TUN_H
#define PPPOE_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * tun_open - create TUN device @ifname; returns a non-blocking, close-on-exec
 * fd and stores the ifindex in *@ifindex (may be NULL), or -errno:
 * -ENAMETOOLONG/-EINVAL for a bad name, -EEXIST if a non-TUN interface
 * of that name exists, -EBUSY if a TUN of that name is already in use.
 */
int tun_open(const char *ifname, int *ifindex);
/* tun_open_vnet - the same, with IFF_VNET_HDR (a 10-byte virtio_net_hdr
 * before each packet both ways) when @vnet */
int tun_open_vnet(const char *ifname, bool vnet, int *ifindex);
#define TUN_VNET_HDR_LEN 10
struct netcfg;
/*
 * tun_open_owned - attach to TUN @ifname if it exists and is ours (a plain
 * IFF_TUN|IFF_NO_PI device, with a vnet header or not, whose link group matches @group in the bits of
 * @family: *@adopted set, and moved into @group if it was in another of
 * the family), else create it like tun_open. A device of that name that
 * is not a TUN, has other flags, or is in a group outside the family is
 * refused with -EEXIST and a log line saying which; one attached to a live
 * process with -EBUSY. The group comes from rtnetlink (@nc), so it is the
 * device of the caller's network namespace. @vnet: IFF_VNET_HDR, on a new
 * device and on an adopted one (which had it or not: both are ours, and
 * the kernel takes the flag from each attach; a log line says when it
 * changes).
 */
int tun_open_owned(struct netcfg *nc, const char *ifname, uint32_t group, uint32_t family,
		   bool vnet, int *ifindex, bool *adopted);

/* Offloads (TUNSETOFFLOAD), as bits of our own */
#define TUN_OFF_CSUM 0x01 /* packets may come with a partial checksum */
#define TUN_OFF_TSO4 0x02
#define TUN_OFF_TSO6 0x04
#define TUN_OFF_USO4 0x08
#define TUN_OFF_USO6 0x10
#define TUN_OFF_ALL  0x1f
/*
 * tun_set_offload - set the largest of the sets CSUM|TSO4|TSO6|USO4|USO6,
 * CSUM|TSO4|TSO6, CSUM, none (each within @want) the kernel accepts;
 * *@got says which. @want 0 turns every offload off (a device an earlier
 * run left with them). 0 or -errno.
 */
int tun_set_offload(int fd, unsigned int want, unsigned int *got);
/* tun_set_persist - TUNSETPERSIST: whether the device outlives its fd */
int tun_set_persist(int fd, bool on);
void tun_close(int fd);
/* Thin wrappers: bytes or -errno (-EAGAIN when nothing to read / queue full). */
ssize_t tun_read(int fd, void *buf, size_t len);
ssize_t tun_write(int fd, const void *buf, size_t len);
/*
 * tun_remove_stale - delete a leftover persistent TUN device named @ifname.
 * 0 if it was removed or did not exist; -EEXIST if @ifname is not a TUN
 * device; -EBUSY if it is attached to a live process; other -errno.
 */
int tun_remove_stale(const char *ifname);

/*
 * tun_disable_ipv6 - no IPv6 on @ifname (sessions carry IPv4 only so far).
 * Without it the kernel gives every TUN a link-local address, multicast
 * and prefix routes, and walks the whole IPv6 routing table on each MTU
 * change: quadratic work when thousands of sessions come up. 0 when the
 * kernel has no IPv6 at all.
 */
int tun_disable_ipv6(const char *ifname);

/*
 * tun_ipv6_sysctl - write @value to /proc/sys/net/ipv6/conf/IFNAME/@key
 * (disable_ipv6, accept_ra, autoconf: the knobs rtnetlink has none for).
 * 0, -ENOENT when the kernel has no IPv6, other -errno.
 */
int tun_ipv6_sysctl(const char *ifname, const char *key, const char *value);

#endif
