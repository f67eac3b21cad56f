// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the loader of a scheduler's --list-flags output
 * (sched_find__flags_from_json, cmd/run/sched_find.h): the input is what the
 * binary printed, a JSON array of {name, args, requires}. What loads must
 * keep the flags list's bounds, each flag named and each list as long as it
 * says. The scheduler binary is the user's, its output untrusted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/sched_find.h"
#include "scenario/scenario.h"
#include "scenario/scheduler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario_set set;
	struct sched_def def = { .name = "fuzz", .flags_from_binary = true };
	char *json = malloc(size + 1), err[512];
	int ret;

	if (!json)
		return 0;
	memcpy(json, data, size);
	json[size] = '\0';
	scenario_set__init(&set);
	err[0] = '\0';
	ret = sched_find__flags_from_json(&set, &def, "/fuzz/scx_fuzz", json, err, sizeof(err));
	if (ret) {
		if (ret > 0 || !err[0])
			abort();	/* a failure always says why */
	} else {
		if (def.nflags > SCHED_MAX_FLAGS || (def.nflags && !def.flags))
			abort();
		for (size_t i = 0; i < def.nflags; i++) {
			const struct sched_flag *f = &def.flags[i];

			if (!f->name || (f->nargs && !f->args) || (f->nrequires && !f->requires))
				abort();
			for (size_t k = 0; k < f->nargs; k++)
				if (!f->args[k])
					abort();
			for (size_t k = 0; k < f->nrequires; k++)
				if (!f->requires[k])
					abort();
		}
	}
	scenario_set__free(&set);
	free(json);
	return 0;
}
