// SPDX-License-Identifier: GPL-2.0
/* Programs the guest runs (exec works, run ops), found on the host's PATH. */
#include "run_bins.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"

static void bins_add(struct run_bins *b, const char *prog)
{
	char found[PATH_MAX];

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
	/* Packed at the path found here; the guest's execvp finds it on its default PATH. */
	run_bins__add_as(b, found, NULL);
}

int run_bins__add_as(struct run_bins *b, const char *host, const char *guest)
{
	struct initramfs_bin *items = realloc(b->items, (b->n + 1) * sizeof(*items));
	char **paths = items ? realloc(b->paths, (b->n + 1) * sizeof(*paths)) : NULL;

	if (items)
		b->items = items;
	if (paths)
		b->paths = paths;
	if (!items || !paths || !(b->paths[b->n] = strdup(host)))
		return -ENOMEM;
	b->items[b->n] = (struct initramfs_bin){ .host_path = b->paths[b->n],
						 .guest_path = guest ? guest : b->paths[b->n] };
	b->n++;
	return 0;
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
	for (size_t i = 0; i < b->n; i++)
		free(b->paths[i]);
	free(b->paths);
	free(b->items);
}

