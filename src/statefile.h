/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statefile.h - which PPPoE sessions are open on the wire, kept in a small
 * file so that after a crash (SIGKILL, OOM) the next start can send PADT
 * for each and the access concentrator does not hold them open.
 *
 * One fixed-size record per session slot, written with pwrite when a
 * session id is assigned or released: no fsync, since it only has to
 * survive the process, not the machine.
 */
#ifndef PPPOE_XDP_STATEFILE_H
#define PPPOE_XDP_STATEFILE_H

#include <stddef.h>
#include <stdint.h>

#define STATEFILE_MAGIC 0x50585331u /* "PXS1" */

struct statefile_rec {
	uint32_t magic;     /* STATEFILE_MAGIC when the slot holds a session */
	uint16_t session_id;
	uint8_t our_mac[6];
	uint8_t ac_mac[6];
	uint8_t pad[2];
};

/* What to do with one record a previous run left: 0 once done (a PADT is
 * on its way), or -errno to keep the record for the next start. */
typedef int (*statefile_fn)(void *ctx, const struct statefile_rec *rec);

/* statefile_open - open (creating it and its directory) @path, mode 0600 */
int statefile_open(const char *path);
/*
 * statefile_recover - call @fn for every session a previous run left. A
 * record @fn handled is cleared; the file is emptied only when every
 * record was handled, so nothing unsent is forgotten. Returns the number
 * handled and sets *@left to the number kept, or -errno.
 */
int statefile_recover(int fd, statefile_fn fn, void *ctx, unsigned int *left);
void statefile_put(int fd, size_t slot, const uint8_t *our_mac, const uint8_t *ac_mac,
		   uint16_t session_id);
void statefile_clear(int fd, size_t slot);
/* statefile_remove - clean exit: nothing is left open on the wire */
void statefile_remove(int fd, const char *path);

#endif
