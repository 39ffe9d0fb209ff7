/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config_int.h - between config.c (reading the file, sections, checks
 * that need a whole section or the whole file) and config_keys.c (the key
 * table and the value parsers). Not for other modules.
 */
#ifndef PPPOE_XDP_CONFIG_INT_H
#define PPPOE_XDP_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "src/config.h"

struct conf_parse; /* config.c's state while reading one file */

enum conf_type {
	CONF_T_UINT,	/* decimal in [min, max], times scale; field of 2 or 4 bytes */
	CONF_T_BOOL,	/* yes/no, true/false, 1/0 into a bool */
	CONF_T_STR,	/* text that fits the field (NUL included), see the flags */
	CONF_T_ENUM,	/* one of names[]: its index, into a bool or a 4-byte field */
	CONF_T_FUNC,	/* parse() does it all, messages included */
	CONF_T_COUNT,	/* "count": read by config.c before the section's other keys */
};

enum conf_scope {
	CONF_SCOPE_GLOBAL,	/* [global] only; field in struct conf */
	CONF_SCOPE_SESSION,	/* [session NAME] only; no field */
	CONF_SCOPE_BOTH,	/* per session, and in [global] the default for every
				 * session; field in struct conf_session */
};

#define CONF_F_NONEMPTY	0x01	/* STR: "" is a bad value */
#define CONF_F_ABSPATH	0x02	/* STR: "" or an absolute path */
#define CONF_F_IFNAME	0x04	/* STR: an interface name (conf_ifname_ok) */
#define CONF_F_AUTO	0x08	/* UINT: "auto" means 0 */
#define CONF_F_SECRET	0x10	/* a bad value is shown as "***" */
#define CONF_F_TEXT	0x20	/* the field is a NUL-terminated string */

/* conf_val - one value being applied, and where it came from for messages */
struct conf_val {
	struct conf_parse *p;
	const struct conf_key *key;
	const char *section;	/* "global" or "session NAME" */
	const char *value;	/* after %d expansion */
	int line;
};

/* conf_key - one row of the key table */
struct conf_key {
	const char *name;
	enum conf_type type;
	enum conf_scope scope;
	enum conf_reload reload;
	unsigned int flags;		/* CONF_F_* */
	size_t off, size;		/* the field(s) in struct conf or conf_session */
	unsigned long min, max;		/* UINT, COUNT */
	unsigned int scale;		/* UINT: stored = value * scale; 0 = 1 */
	const char *const *names;	/* ENUM: NULL-terminated, index = value */
	/* FUNC: parse cv->value into @base (struct conf or conf_session) and
	 * report a bad one; 0 or -EINVAL */
	int (*parse)(const struct conf_val *cv, void *base);
};

extern const struct conf_key conf_keys[];
extern const size_t conf_nkeys;

/* conf_err - "FILE:LINE: message" (no LINE for whole-file problems) */
void conf_err(struct conf_parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* conf_key_find - the row of key @name, or NULL */
const struct conf_key *conf_key_find(const char *name);
/*
 * conf_key_apply - parse cv->value by cv->key's row into @base: struct conf
 * for a [global]-only key, struct conf_session otherwise. A bad value is
 * reported and leaves the field as it was; returns 0 or -EINVAL.
 */
int conf_key_apply(const struct conf_val *cv, void *base);
/* conf_uint - decimal @v in [@min, @max] into @out; 0 or -EINVAL */
int conf_uint(const char *v, unsigned long min, unsigned long max, unsigned int *out);
/* conf_copy - @v into @dst of @cap bytes; 0 or -ENAMETOOLONG (dst untouched) */
int conf_copy(char *dst, size_t cap, const char *v);

#endif
