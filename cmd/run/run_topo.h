/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's TOPOLOGY frame (lib/wire/ktstr_proto.h), for run__variant:
 * kept as it arrives, then parsed and compared with the variant's topology
 * (lib/topo/topo_guest.h). A mismatch or an unreadable report fails the
 * variant as a harness failure; no report (an older agent) is only noted in
 * the diagnostics.
 */
#ifndef KTSTR_RUN_TOPO_H
#define KTSTR_RUN_TOPO_H

#include <stdbool.h>
#include <stddef.h>

#include "run_result.h"
#include "topo/topology.h"
#include "wire/proto_reader.h"

struct run_topo {
	char *text;			/* the first TOPOLOGY frame's payload, malloc'd */
	size_t len;
	unsigned frames;		/* how many came (the agent sends one) */
	bool oom;
};

/* A TOPOLOGY frame (the reader checked it); @verbose prints it to stderr. */
void run_topo__frame(struct run_topo *rt, const struct proto_frame *f, bool verbose);

/*
 * Judge what came: sets res->topo_status and res->topo_diag (the
 * diagnostics' "topology: ..." lines), and on a mismatch or an unreadable
 * report adds its lines to res->verdict and sets res->harness_failure.
 */
void run_topo__check(const struct run_topo *rt, const struct topology *t, struct run_result *res);

void run_topo__free(struct run_topo *rt);

#endif
