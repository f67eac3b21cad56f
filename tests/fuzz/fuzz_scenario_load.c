// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the YAML loader: the same bytes as a scenario file and as a
 * scheduler file, then validation of whatever loaded, then, when it is
 * valid, the gauntlet's expansion over every preset with a small variant
 * limit (the count taken before anything is allocated must hold it), then
 * teardown. Any crash, sanitizer report, leak or hang is a bug.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <stdlib.h>

#include "base/diag.h"
#include "gauntlet/gauntlet.h"
#include "scenario/scenario.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario_set set;
	struct diag_list d = { 0 };

	scenario_set__init(&set);
	scenario__load_buffer(&set, "fuzz.yaml", (const char *)data, size, &d);
	sched_defs__load_buffer(&set, "fuzz-sched.yaml", (const char *)data, size, &d);
	if (!scenario_set__validate(&set, &d) && set.n) {
		struct gauntlet_opts o = { .host = { .unlimited = true }, .max_variants = 500 };
		struct variant_list vl = { 0 };
		char err[512];
		int r = gauntlet__expand(&set, &o, &vl, err, sizeof(err));

		/* Within the limit, or refused for it with nothing expanded. */
		if ((!r && vl.n > 500) || (r == -E2BIG && vl.n))
			abort();
		variant_list__free(&vl);
	}
	/* Render the messages too: they quote the input. */
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sink)
		diag__print(&d, sink);
	diag__free(&d);
	scenario_set__free(&set);
	return 0;
}
