/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strbuf.h - a growable text buffer: control replies, HTTP responses and
 * the status reports are built in one.
 */
#ifndef PPPOE_XDP_STRBUF_H
#define PPPOE_XDP_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A growable, always NUL-terminated byte buffer. After an allocation
 * failure it stops growing and sets @oom; callers check that once at the
 * end instead of after every append.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
/* strbuf_reset - empty the buffer, keep its memory */
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
