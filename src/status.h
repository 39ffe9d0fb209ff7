/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * status.h - what the daemon reports about itself: a human table and
 * JSON (the Prometheus exposition is metrics.h's). Pure functions over the
 * session table; the control socket sends the result.
 */
#ifndef PPPOE_XDP_STATUS_H
#define PPPOE_XDP_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;
struct strbuf;

/*
 * The two reports. @now_ms is the daemon's monotonic clock (the wheel's
 * time) used for uptimes. d->io may be NULL (tests, or the daemon before
 * AF_XDP is up): the parts that need it are left out. They append to @out
 * and return 0, or -ENOMEM when the buffer could not grow.
 */
int status_table(const struct daemon *d, uint64_t now_ms, struct strbuf *out);
int status_json(const struct daemon *d, uint64_t now_ms, struct strbuf *out);

/* Helpers, exposed for the tests. */
/* status_fmt_duration - "45s", "12m05s", "3h12m", "2d03h" */
const char *status_fmt_duration(char *out, size_t outlen, uint64_t secs);
/* status_fmt_bytes - "512B", "1.5KiB", "3.2MiB", ... */
const char *status_fmt_bytes(char *out, size_t outlen, uint64_t bytes);
/* status_json_str - a JSON string literal: quotes, \\, controls and bytes >= 0x7f as \u00XX */
void status_json_str(struct strbuf *out, const char *s, size_t len);

#endif
