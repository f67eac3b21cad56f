// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the YAML loader: the same bytes as a scenario file and as a
 * scheduler file, then validation of whatever loaded, then teardown. Any
 * crash, sanitizer report, leak or hang is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
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
	scenario_set__validate(&set, &d);
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
