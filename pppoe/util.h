/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - the few helpers every layer needs once: container_of, the
 * element count of an array and the monotonic clock in milliseconds.
 */
#ifndef PPPOE_UTIL_H
#define PPPOE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* container_of - the structure that embeds @ptr as its member @member */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* mono_ms - CLOCK_MONOTONIC in milliseconds: the time the timer wheel runs on */
static inline uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif
