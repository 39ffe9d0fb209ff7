// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsafe.c - checks that a file is safe for a root daemon to run or read:
 * hook scripts (owner, permissions, directories) and password files
 * (permissions).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/fsafe.h"

/* fsafe_refuse - fill @err and return @ret */
static int __attribute__((format(printf, 4, 5)))
fsafe_refuse(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* fsafe_check_dir - the directory holding a script must be root's alone */
static int fsafe_check_dir(const char *script, const char *dir, char *err,
			   size_t errlen)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return fsafe_refuse(err, errlen, -errno, "%s: directory %s: %s",
				    script, dir, strerror(errno));
	if (st.st_uid != 0)
		return fsafe_refuse(err, errlen, -EPERM,
				    "%s: directory %s is owned by uid %u, not root",
				    script, dir, (unsigned int)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return fsafe_refuse(err, errlen, -EPERM,
				    "%s: directory %s is writable by %s (mode %04o)",
				    script, dir,
				    st.st_mode & S_IWOTH ? "others" : "group",
				    (unsigned int)(st.st_mode & 07777));
	return 0;
}

/* fsafe_parent - the directory part of absolute @path into @dir */
static void fsafe_parent(const char *path, char dir[PATH_MAX])
{
	const char *slash = strrchr(path, '/');
	size_t n = (size_t)(slash - path);

	if (n == 0)
		n = 1;	/* "/x" lives in "/" */
	if (n >= PATH_MAX)
		n = PATH_MAX - 1;
	memcpy(dir, path, n);
	dir[n] = '\0';
}

int fsafe_check_script(const char *path, char *err, size_t errlen)
{
	char real[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!path || path[0] != '/')
		return fsafe_refuse(err, errlen, -EINVAL,
				    "%s: not an absolute path",
				    path ? path : "(null)");
	if (lstat(path, &st) < 0)
		return fsafe_refuse(err, errlen, -errno, "%s: %s", path,
				    strerror(errno));
	/* Whoever can write the link's directory can point it elsewhere. */
	if (S_ISLNK(st.st_mode)) {
		fsafe_parent(path, dir);
		ret = fsafe_check_dir(path, dir, err, errlen);
		if (ret)
			return ret;
	}
	if (!realpath(path, real))
		return fsafe_refuse(err, errlen, -errno, "%s: %s", path,
				    strerror(errno));
	if (stat(real, &st) < 0)
		return fsafe_refuse(err, errlen, -errno, "%s: %s", path,
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fsafe_refuse(err, errlen, -EINVAL,
				    "%s: not a regular file", path);
	/* access() also says no on a noexec mount. */
	if (!(st.st_mode & S_IXUSR) || access(real, X_OK) < 0)
		return fsafe_refuse(err, errlen, -EACCES,
				    "%s: not executable (mode %04o)", path,
				    (unsigned int)(st.st_mode & 07777));
	if (st.st_uid != 0)
		return fsafe_refuse(err, errlen, -EPERM,
				    "%s: owned by uid %u, not root", path,
				    (unsigned int)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return fsafe_refuse(err, errlen, -EPERM,
				    "%s: writable by %s (mode %04o)", path,
				    st.st_mode & S_IWOTH ? "others" : "group",
				    (unsigned int)(st.st_mode & 07777));
	fsafe_parent(real, dir);
	return fsafe_check_dir(path, dir, err, errlen);
}

int fsafe_check_secret(int fd, unsigned int *mode)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		*mode = (unsigned int)(st.st_mode & 07777);
		return -EPERM;
	}
	return 0;
}
