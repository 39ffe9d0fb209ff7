/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tool_util.h - small helpers the test tools share: clocks and MAC
 * addresses on the command line. Header-only: each tool links alone.
 */
#ifndef PPPOE_XDP_TOOL_UTIL_H
#define PPPOE_XDP_TOOL_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

/* tool_now_s - CLOCK_MONOTONIC in seconds */
static inline double tool_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* tool_cpu_s - user + system CPU seconds of this process */
static inline double tool_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static inline int tool_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * tool_parse_mac - six bytes of one or two hex digits separated by ':'
 * (any MAC: broadcast and multicast too) into @mac. With @rest, where the
 * MAC ends is left there (the rest of "MAC:SID"); without, nothing may
 * follow. 0 or -EINVAL.
 */
static inline int tool_parse_mac(const char *s, uint8_t mac[6], const char **rest)
{
	int i, h, v;

	for (i = 0; i < 6; i++) {
		if (i && *s++ != ':')
			return -EINVAL;
		if ((v = tool_hex(*s++)) < 0)
			return -EINVAL;
		if ((h = tool_hex(*s)) >= 0) {
			v = v * 16 + h;
			s++;
		}
		mac[i] = (uint8_t)v;
	}
	if (rest)
		*rest = s;
	else if (*s)
		return -EINVAL;
	return 0;
}

#endif
