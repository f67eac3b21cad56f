/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the kernel build's tools (tar, make, strip, git) as child process
 * groups that can be stopped cleanly: each child is the leader of its own
 * process group, its output is read line by line, and a SIGINT/SIGTERM/SIGHUP
 * caught by kproc__signals_catch() stops the whole group (make and every
 * compiler it started) before kproc__run() returns -EINTR.
 */
#ifndef KTSTR_KPROC_H
#define KTSTR_KPROC_H

#include <stdbool.h>
#include <stddef.h>

/* Install handlers for SIGINT, SIGTERM and SIGHUP that only record the signal. */
int kproc__signals_catch(void);
void kproc__signals_restore(void);
/* The first signal caught since kproc__signals_catch(), or 0. */
int kproc__signal_pending(void);

struct kproc_io {
	const char *cwd;	/* NULL: ours */
	int out_fd;		/* the child's output is copied here; -1: not copied */
	bool stdout_only;	/* stderr to out_fd (or /dev/null), not to the line reader */
	/* Each output line, without its '\n'; return nonzero to stop the child. */
	int (*on_line)(void *arg, const char *line, size_t len);
	void (*on_tick)(void *arg);	/* about once a second while the child runs */
	void *arg;
};

/*
 * Run @argv (searched in PATH) with @io. Returns 0 with *@status = the exit
 * status (128 + N when killed by signal N); 1 when on_line stopped it (the
 * group was killed); -EINTR when a caught signal stopped it; -errno when it
 * could not be started (-ENOENT: no such program).
 */
int kproc__run(char *const argv[], const struct kproc_io *io, int *status);

/*
 * Run @argv and keep the first @cap - 1 bytes of its standard output in @buf
 * (NUL-terminated; stderr is dropped). Returns as kproc__run().
 */
int kproc__capture(char *const argv[], const char *cwd, char *buf, size_t cap, int *status);

#endif
