/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps.h - the daemon's capabilities: check them before setup, drop all
 * but CAP_NET_ADMIN and CAP_NET_RAW after it.
 */
#ifndef PPPOE_XDP_CAPS_H
#define PPPOE_XDP_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Bits of what the daemon keeps after setup: CAP_NET_ADMIN, CAP_NET_RAW. */
#define CAPS_KEEP_MASK ((1ULL << 12) | (1ULL << 13))

/*
 * caps_check_start - can this process set the daemon up? Prints what is
 * missing and why to stderr; 0 or -EPERM. @drop_bounding: the bounding set
 * is to be dropped after setup too, which needs CAP_SETPCAP.
 */
int caps_check_start(bool drop_bounding);

/*
 * caps_drop - keep only CAP_NET_ADMIN and CAP_NET_RAW (effective and
 * permitted; inheritable and ambient cleared). @drop_bounding also drops
 * every other capability from the bounding set, so that neither the daemon
 * nor the hook scripts it runs can regain one by exec. Verifies the result
 * and logs it; 0 or -EPERM.
 */
int caps_drop(bool drop_bounding);

/* caps_read - CapEff, CapPrm and CapBnd of this process (-errno if unread) */
int caps_read(uint64_t *eff, uint64_t *prm, uint64_t *bnd);

#endif
