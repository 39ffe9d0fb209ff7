/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tun.h - TUN devices (IFF_TUN, no packet info), one per session.
 *
 * Devices are not persistent: the kernel deletes one when its fd closes,
 * so a crashed daemon leaves nothing behind.
 */
#ifndef PPPOE_TUN_H
#define PPPOE_TUN_H

#include <stddef.h>
#include <sys/types.h>

/*
 * tun_open - create TUN device @ifname; returns a non-blocking, close-on-exec
 * fd and stores the ifindex in *@ifindex (may be NULL), or -errno:
 * -ENAMETOOLONG/-EINVAL for a bad name, -EEXIST if a non-TUN interface
 * of that name exists, -EBUSY if a TUN of that name is already in use.
 */
int tun_open(const char *ifname, int *ifindex);
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

#endif
