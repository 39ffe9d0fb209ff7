// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * txpool.c - free TX frames with a reserve for control traffic (txpool.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "src/txpool.h"

int txpool_init(struct txpool *p, unsigned int size)
{
	p->free = NULL;
	p->nfree = p->size = p->reserve = 0;
	if (size < 2)
		return -EINVAL;
	p->size = size;
	/* At least one frame for control, at least one for data. */
	p->reserve = size / TXPOOL_RESERVE_DIV ? size / TXPOOL_RESERVE_DIV : 1;
	p->free = calloc(size, sizeof(*p->free));
	return p->free ? 0 : -ENOMEM;
}

void txpool_fini(struct txpool *p)
{
	free(p->free);
	p->free = NULL;
	p->nfree = p->size = 0;
}

unsigned int txpool_avail(const struct txpool *p, enum txpool_class cls)
{
	if (cls == TXPOOL_CONTROL)
		return p->nfree;
	return p->nfree > p->reserve ? p->nfree - p->reserve : 0;
}

bool txpool_take(struct txpool *p, enum txpool_class cls, uint64_t *addr)
{
	if (!txpool_avail(p, cls))
		return false;
	*addr = p->free[--p->nfree];
	return true;
}

void txpool_put(struct txpool *p, uint64_t addr)
{
	/* Cannot overflow while every frame is either free or in flight. */
	if (p->nfree < p->size)
		p->free[p->nfree++] = addr;
}
