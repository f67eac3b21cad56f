// SPDX-License-Identifier: GPL-2.0
/*
 * io-sync (16 x 4 KiB writes to a temp file, then a 100 us sleep) and
 * sequence (spin, sleep, yield and io phases in order); ktstr-scenario(5),
 * WORK TYPES.
 */
#include "work_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IO_BLOCK 4096
#define IO_BLOCKS 16
#define IO_SLEEP_NS (100 * NSEC_PER_USEC)

struct io_state {
	int fd;
	char block[IO_BLOCK];
};

/* $TMP/ktstr_io_<pid>, unlinked at once so nothing is left if we are killed. */
static int io_setup(struct wk *w)
{
	struct io_state *s = calloc(1, sizeof(*s));
	char path[4096];
	const char *dir = w->ctx->tmpdir ? w->ctx->tmpdir : "/tmp";

	if (!s)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/ktstr_io_%d", dir, (int)getpid());
	s->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->fd < 0) {
		free(s);
		return -errno;
	}
	unlink(path);
	memset(s->block, 0x5a, sizeof(s->block));
	w->priv = s;
	return 0;
}

static void io_teardown(struct wk *w)
{
	struct io_state *s = w->priv;

	if (s) {
		close(s->fd);
		free(s);
	}
}

/* Sleep @ns, sample the oversleep, and exclude the sleep from the gap. */
static void timed_sleep(struct wk *w, uint64_t ns)
{
	uint64_t t0 = wk__now();

	wk__sleep(ns);
	uint64_t slept = wk__now() - t0;

	if (!work__stop)
		wk__sample(w, slept > ns ? slept - ns : 0);
	wk__unblocked(w);
}

static void io_round(struct wk *w)
{
	struct io_state *s = w->priv;

	if (ftruncate(s->fd, 0) == 0)
		lseek(s->fd, 0, SEEK_SET);
	for (int i = 0; i < IO_BLOCKS; i++) {
		if (write(s->fd, s->block, IO_BLOCK) < 0)
			break;
		w->work_units++;
	}
	timed_sleep(w, IO_SLEEP_NS);
}

const struct work_ops work_ops_io_sync = {
	.setup = io_setup, .iter = io_round, .teardown = io_teardown,
};

/* ---- sequence */

static int seq_setup(struct wk *w)
{
	for (size_t i = 0; i < w->spec->nphases; i++)
		if (w->spec->phases[i].kind == WORK_PHASE_IO)
			return io_setup(w);
	return 0;
}

static void seq_iter(struct wk *w)
{
	for (size_t i = 0; i < w->spec->nphases && !work__stop; i++) {
		const struct work_phase *p = &w->spec->phases[i];
		uint64_t t0 = wk__now();

		switch (p->kind) {
		case WORK_PHASE_SPIN:
			do
				wk__spin(w, 1024);
			while (!work__stop && wk__now() - t0 < p->duration_ns);
			break;
		case WORK_PHASE_SLEEP:
			timed_sleep(w, p->duration_ns);
			break;
		case WORK_PHASE_YIELD:
			do {
				uint64_t y = wk__now();

				sched_yield();
				w->work_units++;
				wk__sample(w, wk__now() - y);
				wk__progress(w);
			} while (!work__stop && wk__now() - t0 < p->duration_ns);
			wk__unblocked(w);
			break;
		case WORK_PHASE_IO:
			do
				io_round(w);
			while (!work__stop && wk__now() - t0 < p->duration_ns);
			break;
		}
	}
}

const struct work_ops work_ops_sequence = {
	.setup = seq_setup, .iter = seq_iter, .teardown = io_teardown,
};
