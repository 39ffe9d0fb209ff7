/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - one logging function for every layer.
 *
 * Lines go to stderr as "TIMESTAMP LEVEL [session/ifname] message". Peer
 * supplied strings must go through log_escape() before they are printed.
 */
#ifndef PPPOE_LOG_H
#define PPPOE_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LVL_ERR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

extern enum log_level log_threshold;

void log_msg(enum log_level lvl, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define pr_err(...)   log_msg(LOG_LVL_ERR, NULL, __VA_ARGS__)
#define pr_warn(...)  log_msg(LOG_LVL_WARN, NULL, __VA_ARGS__)
#define pr_info(...)  log_msg(LOG_LVL_INFO, NULL, __VA_ARGS__)
#define pr_debug(...) do { if (log_threshold >= LOG_LVL_DEBUG) \
		log_msg(LOG_LVL_DEBUG, NULL, __VA_ARGS__); } while (0)

/* Per-session variants: "who" is the session's "name/ifname" label. */
#define sl_err(who, ...)   log_msg(LOG_LVL_ERR, who, __VA_ARGS__)
#define sl_warn(who, ...)  log_msg(LOG_LVL_WARN, who, __VA_ARGS__)
#define sl_info(who, ...)  log_msg(LOG_LVL_INFO, who, __VA_ARGS__)
#define sl_debug(who, ...) do { if (log_threshold >= LOG_LVL_DEBUG) \
		log_msg(LOG_LVL_DEBUG, who, __VA_ARGS__); } while (0)

/*
 * log_escape - copy untrusted bytes into a printable C string.
 * Non-printable bytes, quotes and backslashes become \xNN. Always
 * NUL-terminates; truncates (with "...") when @out is too small.
 */
const char *log_escape(char *out, size_t outlen, const void *in, size_t inlen);

#define LOG_MAC_LEN 18 /* "xx:xx:xx:xx:xx:xx" and its NUL */

/* log_mac - @mac as xx:xx:xx:xx:xx:xx in @out; returns @out */
const char *log_mac(char out[LOG_MAC_LEN], const uint8_t mac[6]);

#endif
