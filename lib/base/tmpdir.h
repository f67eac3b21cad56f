/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr's temporary directories ($TMPDIR/ktstr-<kind>-XXXXXX) that outlive a
 * kill -9 of their owner no longer: each holds an ".owner" file its creator
 * keeps flock'ed while it lives, so the next ktstr can tell a leftover (the
 * lock free) from a directory in use (held, in whatever PID namespace) and
 * remove only the former.
 */
#ifndef KTSTR_TMPDIR_H
#define KTSTR_TMPDIR_H

#include <stddef.h>

struct tmpdir {
	char path[256];		/* empty when none */
	int lock_fd;		/* -1 when none */
};

/*
 * Create $TMPDIR/ktstr-@kind-XXXXXX (/tmp when TMPDIR is unset, empty or
 * longer than @max_base, for socket paths) and lock it as ours. Returns 0
 * or -errno with the path tried in @err.
 */
int tmpdir__create(struct tmpdir *t, const char *kind, size_t max_base, char *err,
		   size_t errlen);
/* Remove the directory and all in it, then drop the lock. Idempotent. */
void tmpdir__remove(struct tmpdir *t);
/*
 * Remove the ktstr-@kind-* directories under $TMPDIR (or /tmp) that belong to
 * this user and whose owner is gone (their lock free; without a lock file,
 * older than an hour). Returns how many, or -errno.
 */
int tmpdir__clean_stale(const char *kind);

#endif
