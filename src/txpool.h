/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * txpool.h - the free TX frames of a UMEM, with a reserve for control.
 *
 * Data (datagrams read from the TUNs) may take a frame only while more
 * than the reserve are free; control traffic (LCP, PAP, CHAP, IPCP,
 * discovery, PADT) may take the last ones. So a saturated TUN, or a NIC
 * that completes sends late, cannot starve the Echo-Replies that keep
 * sessions alive, nor the PADTs that end them. Pure bookkeeping: no I/O,
 * xsk_io.c does the rings.
 */
#ifndef PPPOE_XDP_TXPOOL_H
#define PPPOE_XDP_TXPOOL_H

#include <stdbool.h>
#include <stdint.h>

/* The reserve is 1/TXPOOL_RESERVE_DIV of the pool (128 of 2048 frames). */
#define TXPOOL_RESERVE_DIV 16

enum txpool_class {
	TXPOOL_CONTROL,	/* may take every free frame */
	TXPOOL_DATA,	/* leaves the reserve alone */
};

struct txpool {
	uint64_t *free;		/* stack of free frame addresses */
	unsigned int nfree;
	unsigned int size;	/* frames in the pool */
	unsigned int reserve;	/* frames only control may take */
};

/* txpool_init - an empty pool of @size frames; 0 or -ENOMEM/-EINVAL */
int txpool_init(struct txpool *p, unsigned int size);
void txpool_fini(struct txpool *p);
/* txpool_avail - how many frames @cls could take now */
unsigned int txpool_avail(const struct txpool *p, enum txpool_class cls);
/* txpool_take - pop a free frame's address for @cls; false if none for it */
bool txpool_take(struct txpool *p, enum txpool_class cls, uint64_t *addr);
/* txpool_put - a frame is free (again); never more than size */
void txpool_put(struct txpool *p, uint64_t addr);

#endif
