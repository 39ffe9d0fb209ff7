/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_script.h - reading the scripts of the stateful fuzz targets (a
 * machine driven by records from the fuzzer's input): their chunks are
 * a 2-byte big-endian length and that many bytes, cut short at the end.
 */
#ifndef PPPOE_TEST_FUZZ_SCRIPT_H
#define PPPOE_TEST_FUZZ_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

/* fz_take - the next u16-length-prefixed chunk at *@p (before @end), its
 * length in *@len; *@p moves past it. NULL (and *@p = @end) at the end. */
static inline const uint8_t *fz_take(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *c;
	size_t n;

	if (end - *p < 2) {
		*p = end;
		*len = 0;
		return NULL;
	}
	n = (size_t)((*p)[0] << 8 | (*p)[1]);
	*p += 2;
	if (n > (size_t)(end - *p))
		n = (size_t)(end - *p);
	c = *p;
	*p += n;
	*len = n;
	return c;
}

#endif
