// SPDX-License-Identifier: GPL-2.0
/* Programs the guest runs (exec works, run ops), found on the host's PATH. */
#include "run_bins.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"

/* Pack @host at @guest (NULL: at @host); @copy_guest: @guest is copied and owned. */
static int bins_add_at(struct run_bins *b, const char *host, const char *guest, bool copy_guest)
{
	struct initramfs_bin *items = realloc(b->items, (b->n + 1) * sizeof(*items));
	char **paths = items ? realloc(b->paths, (b->n + 1) * sizeof(*paths)) : NULL;
	char **guests = paths ? realloc(b->guests, (b->n + 1) * sizeof(*guests)) : NULL;

	if (items)
		b->items = items;
	if (paths)
		b->paths = paths;
	if (guests)
		b->guests = guests;
	if (!items || !paths || !guests || !(b->paths[b->n] = strdup(host)))
		return -ENOMEM;
	b->guests[b->n] = NULL;
	if (copy_guest && !(b->guests[b->n] = strdup(guest))) {
		free(b->paths[b->n]);
		return -ENOMEM;
	}
	if (copy_guest)
		guest = b->guests[b->n];
	b->items[b->n] = (struct initramfs_bin){ .host_path = b->paths[b->n],
						 .guest_path = guest ? guest : b->paths[b->n] };
	b->n++;
	return 0;
}

int run_bins__add_as(struct run_bins *b, const char *host, const char *guest)
{
	return bins_add_at(b, host, guest, false);
}

static void bins_add(struct run_bins *b, const char *prog)
{
	char found[PATH_MAX], guest[PATH_MAX];

	if (!prog || !*prog)
		return;
	if (fsutil__which(prog, found, sizeof(found))) {
		if (!b->missing[0])
			snprintf(b->missing, sizeof(b->missing), "%s", prog);
		return;
	}
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->paths[i], found))
			return;
	/*
	 * A path is packed at that path. A bare name goes to /usr/bin/NAME
	 * wherever it was found here: the agent (PID 1) has no PATH, so the
	 * guest's execvp searches its default, /bin:/usr/bin.
	 */
	if (strchr(prog, '/')) {
		run_bins__add_as(b, found, NULL);
		return;
	}
	snprintf(guest, sizeof(guest), "/usr/bin/%s", prog);
	bins_add_at(b, found, guest, true);
}

static void bins_from_works(struct run_bins *b, const struct cgroup_def *cgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < cgs[i].nworks; w++)
			if (cgs[i].works[w].type == WORK_EXEC && cgs[i].works[w].argc)
				bins_add(b, cgs[i].works[w].argv[0]);
}

void run_bins__collect(const struct scenario *sc, struct run_bins *b)
{
	bins_from_works(b, sc->cgroups, sc->ncgroups);
	for (size_t s = 0; s < sc->nsteps; s++) {
		const struct step *st = &sc->steps[s];

		bins_from_works(b, st->cgroups, st->ncgroups);
		for (size_t i = 0; i < st->nops; i++) {
			const struct op *op = &st->ops[i];

			if (op->kind == OP_RUN && op->argc)
				bins_add(b, op->argv[0]);
			if ((op->kind == OP_SPAWN || op->kind == OP_SPAWN_HOST) &&
			    op->work.type == WORK_EXEC && op->work.argc)
				bins_add(b, op->work.argv[0]);
		}
	}
}

void run_bins__free(struct run_bins *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->paths[i]);
		free(b->guests[i]);
	}
	free(b->paths);
	free(b->guests);
	free(b->items);
}

