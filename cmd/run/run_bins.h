/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host binaries a run packs into the guest: programs named by exec works
 * and run ops (a path is packed at that path; a bare name is found on the
 * host's PATH and packed as /usr/bin/NAME, so that the guest's execvp finds
 * it), plus fixed ones such as the scheduler and the module loader (packed
 * where the agent looks).
 */
#ifndef KTSTR_RUN_BINS_H
#define KTSTR_RUN_BINS_H

#include <stddef.h>

#include "initramfs.h"
#include "scenario/scenario.h"

struct run_bins {
	struct initramfs_bin *items;
	char **paths;		/* owned: the resolved host paths */
	char **guests;		/* owned: guest paths made here (bare names), else NULL */
	size_t n;
	char missing[256];	/* the first program not found on the host */
};

/* Every program @sc's works and ops name; the first one missing goes to b->missing. */
void run_bins__collect(const struct scenario *sc, struct run_bins *b);
/* Pack @host at @guest (a fixed place the agent knows; NULL: at @host). 0 or -ENOMEM. */
int run_bins__add_as(struct run_bins *b, const char *host, const char *guest);
void run_bins__free(struct run_bins *b);

#endif
