// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c - timestamped logging to stderr */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pppoe/log.h"

enum log_level log_threshold = LOG_LVL_INFO;

static const char *const level_names[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_msg(enum log_level lvl, const char *who, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	size_t n;
	va_list ap;

	if (lvl > log_threshold)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	n += snprintf(line + n, sizeof(line) - n, ".%03ld %-5s ",
		      ts.tv_nsec / 1000000, level_names[lvl]);
	if (who && n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, "[%s] ", who);
	if (n < sizeof(line)) {
		va_start(ap, fmt);
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
	}
	/* One write per line so concurrent writers do not interleave. */
	fprintf(stderr, "%s\n", line);
}

const char *log_escape(char *out, size_t outlen, const void *in, size_t inlen)
{
	const unsigned char *p = in;
	size_t o = 0, i;

	if (!outlen)
		return out;
	for (i = 0; i < inlen; i++) {
		unsigned char c = p[i];
		size_t need = (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') ? 1 : 4;

		if (o + need + 4 > outlen) {
			if (outlen >= 4) {
				o = o + 3 < outlen ? o : outlen - 4;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (need == 1)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	out[o < outlen ? o : outlen - 1] = '\0';
	return out;
}

const char *log_mac(char out[LOG_MAC_LEN], const uint8_t mac[6])
{
	snprintf(out, LOG_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return out;
}
