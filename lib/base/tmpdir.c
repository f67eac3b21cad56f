// SPDX-License-Identifier: GPL-2.0
/* Temporary directories that say whether their owner lives (tmpdir.h). */
#include "tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fsutil.h"

#define TMPDIR_OWNER ".owner"
/* A directory without its lock file is in the middle of its creation, or very old. */
#define TMPDIR_UNLOCKED_AGE_S 3600

static const char *base_dir(size_t max_base)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp && (!max_base || strlen(tmp) <= max_base) ? tmp : "/tmp";
}

int tmpdir__create(struct tmpdir *t, const char *kind, size_t max_base, char *err,
		   size_t errlen)
{
	const char *base = base_dir(max_base);
	char owner[sizeof(t->path) + 16];
	int e;

	t->lock_fd = -1;
	if (snprintf(t->path, sizeof(t->path), "%s/ktstr-%s-XXXXXX", base, kind) >=
	    (int)sizeof(t->path)) {
		t->path[0] = '\0';
		return err__set(-ENAMETOOLONG, err, errlen, "TMPDIR %s is too long: set a "
				"shorter one", base);
	}
	if (!mkdtemp(t->path)) {
		e = errno;
		t->path[0] = '\0';
		return err__set(-e, err, errlen, "cannot create a temporary directory in %s: %s; "
				"set TMPDIR to a writable directory", base, strerror(e));
	}
	snprintf(owner, sizeof(owner), "%s/" TMPDIR_OWNER, t->path);
	t->lock_fd = open(owner, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (t->lock_fd < 0 || flock(t->lock_fd, LOCK_EX | LOCK_NB)) {
		e = errno;
		tmpdir__remove(t);
		return err__set(-e, err, errlen, "cannot lock %s: %s", owner, strerror(e));
	}
	return 0;
}

void tmpdir__remove(struct tmpdir *t)
{
	if (t->path[0])
		fsutil__rm_rf(t->path);
	t->path[0] = '\0';
	if (t->lock_fd >= 0)
		close(t->lock_fd);	/* after the removal: never a moment unlocked */
	t->lock_fd = -1;
}

/* Whether @dir (ours, a directory) is a leftover: its owner is gone. */
static int leftover(const char *dir, const struct stat *st)
{
	char owner[PATH_MAX];
	int fd, gone;

	if (snprintf(owner, sizeof(owner), "%s/" TMPDIR_OWNER, dir) >= (int)sizeof(owner))
		return 0;
	fd = open(owner, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT && time(NULL) - st->st_mtime > TMPDIR_UNLOCKED_AGE_S;
	/* Free, and not in the instant between its creation and its lock. */
	gone = !flock(fd, LOCK_EX | LOCK_NB) && time(NULL) - st->st_mtime >= 2;
	close(fd);
	return gone;
}

int tmpdir__clean_stale(const char *kind)
{
	const char *base = base_dir(0);
	char prefix[64], path[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "ktstr-%s-", kind);
	d = opendir(base);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct stat st;

		if (strncmp(de->d_name, prefix, strlen(prefix)) ||
		    snprintf(path, sizeof(path), "%s/%s", base, de->d_name) >= (int)sizeof(path) ||
		    lstat(path, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		    !leftover(path, &st))
			continue;
		if (!fsutil__rm_rf(path))
			n++;
	}
	closedir(d);
	return n;
}
