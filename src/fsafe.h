/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsafe.h - is this file safe for a root daemon to run or read?
 *
 * The daemon runs as root the scripts its config names and reads the
 * password files it names. Whoever can write such a script (or its
 * directory) or read such a file holds root's power or the secret; these
 * checks refuse both. They only look at files: no process, no event loop.
 */
#ifndef PPPOE_XDP_FSAFE_H
#define PPPOE_XDP_FSAFE_H

#include <stddef.h>

/*
 * fsafe_check_script - 0 if @path is safe for a root daemon to run: an
 * absolute path to an existing regular file, executable, owned by root and
 * not writable by group or others, in a directory owned by root and not
 * writable by group or others (for a symlink: both the link's and the
 * target's directories). Otherwise -errno and a reason in @err:
 * -EINVAL (not absolute, not a regular file), -ENOENT, -EACCES (not
 * executable), -EPERM (owner or permissions).
 */
int fsafe_check_script(const char *path, char *err, size_t errlen);
/*
 * fsafe_check_secret - 0 if the open file @fd may hold a secret: a regular
 * file that neither group nor others may access. -EINVAL if it is not a
 * regular file (or fstat fails), -EPERM if group or others have access
 * (@mode then holds its permission bits). Open it with O_NOFOLLOW, so a
 * symlink cannot stand in for it, and check the fd, not the path, so the
 * file cannot change between check and use.
 */
int fsafe_check_secret(int fd, unsigned int *mode);

#endif
