// SPDX-License-Identifier: GPL-2.0
/*
 * plan_write FILE.yaml [WORKERS [DURATION_MS [WORK_TYPE]]]: load and validate
 * the first scenario of FILE and print its plan (lib/scenario/plan_write.h) for
 * its own topology. WORKERS and DURATION_MS 0 keep the scenario's; WORK_TYPE
 * (a work-type name) is the override of its swappable groups (--work-type).
 * A test helper until `ktstr run` writes plans itself.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scenario/plan_write.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"
#include "wire/workload.h"

int main(int argc, char **argv)
{
	struct plan_opts o = PLAN_OPTS_DEFAULT;
	struct scenario_set set;
	struct diag_list d = { 0 };
	char err[512];
	int ret = 1;

	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: plan_write FILE.yaml [WORKERS [DURATION_MS [WORK_TYPE]]]\n");
		return 2;
	}
	if (argc > 2)
		o.workers = (uint32_t)strtoul(argv[2], NULL, 10);
	if (argc > 3)
		o.duration_ns = strtoull(argv[3], NULL, 10) * 1000000ULL;
	if (argc > 4) {
		const struct work_type_desc *wt = workload__find(argv[4]);

		if (!wt) {
			fprintf(stderr, "plan_write: unknown work type '%s'\n", argv[4]);
			return 2;
		}
		o.work_type_override = (int)wt->type;
	}
	scenario_set__init(&set);
	if (scenario__load_file(&set, argv[1], &d) || scenario_set__validate(&set, &d) ||
	    !set.n) {
		diag__print(&d, stderr);
		goto out;
	}
	if (plan__write(set.items[0], &set.items[0]->topology, &o, stdout, err, sizeof(err))) {
		fprintf(stderr, "plan_write: %s\n", err);
		goto out;
	}
	ret = 0;
out:
	diag__free(&d);
	scenario_set__free(&set);
	return ret;
}
