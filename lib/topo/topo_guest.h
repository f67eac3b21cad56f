/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The topology the guest's kernel reports (the agent's TOPOLOGY frame, its
 * text format in lib/wire/ktstr_proto.h), parsed as untrusted input
 * (topo_guest.c) and compared with the scenario's topology
 * (topo_guest_diff.c).
 *
 * What Linux reports under both backends (one package per LLC, measured
 * under QEMU 7.2 with Linux 6.1 and 6.12): physical_package_id is the LLC's
 * index; core_id is the core's index within its LLC; thread_siblings_list
 * is the core's CPUs and the level-3 cache's shared_cpu_list the LLC's CPUs;
 * each node's cpulist is its LLCs' CPUs, its distances 10 to itself and 20
 * to the others (neither backend writes other SLIT values). die_id is the
 * package's id on Linux 6.9 and later (dies are numbered system-wide from
 * the APIC ID), and 0 on every CPU before 6.9 (numbered within the package):
 * one die per package either way, so the check takes either convention,
 * chosen once for the whole guest, never mixed.
 */
#ifndef KTSTR_TOPO_GUEST_H
#define KTSTR_TOPO_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuset.h"
#include "topology.h"

/* The wire's bounds (KTSTR_TOPO_* in lib/wire/ktstr_proto.h; cmd/run asserts they agree). */
#define TOPO_GUEST_MAX_CPUS	256
#define TOPO_GUEST_MAX_NODES	64
#define TOPO_GUEST_LINE_MAX	4096	/* with its '\n' */
#define TOPO_GUEST_ID_MAX	65535	/* package, die and core ids */
#define TOPO_GUEST_DIST_MAX	255	/* a SLIT entry is one byte */
#define TOPO_GUEST_NONE		UINT32_MAX	/* '-': not reported */

struct topo_guest_cpu {
	bool present;
	uint32_t pkg, die, core;	/* or TOPO_GUEST_NONE */
	bool has_siblings, has_l3;
	struct cpuset siblings, l3;
};

struct topo_guest_node {
	bool present;
	bool has_cpus;
	struct cpuset cpus;
	uint32_t ndist;			/* 0: '-' */
	uint8_t dist[TOPO_GUEST_MAX_NODES];
};

struct topo_guest {
	struct topo_guest_cpu cpus[TOPO_GUEST_MAX_CPUS];
	struct topo_guest_node nodes[TOPO_GUEST_MAX_NODES];
	uint32_t ncpus, nnodes;		/* lines parsed */
};

/*
 * Parse the frame's @len bytes of text (not NUL-terminated; a NUL byte is an
 * error) into @out. Every number and list is bounds-checked; a line that is
 * not one of the two forms, a CPU or node given twice, an empty or overlong
 * line is an error. Returns 0, or -EINVAL with a message naming the line
 * ("line 3 ('cpu 300 0 0 0 - -'): CPU 300 is past 255") in @err.
 */
int topo_guest__parse(const char *text, size_t len, struct topo_guest *out, char *err,
		      size_t errlen);

/* ---- the comparison */

#define TOPO_GUEST_DIFF_MAX	8	/* mismatch lines kept; the rest are counted */
#define TOPO_GUEST_DIFF_LINE	256

struct topo_guest_diff {
	char lines[TOPO_GUEST_DIFF_MAX][TOPO_GUEST_DIFF_LINE];	/* "topology: CPU 4 is ..." */
	size_t n;			/* lines kept */
	size_t more;			/* mismatches past the cap */
};

/*
 * Compare @g with what @t (valid) asks for, in ktstr's CPU numbering
 * (topology__decompose): the set of CPUs, each CPU's package, die, core,
 * thread siblings and L3, each node's CPUs and distances. Fills @d with
 * one human-readable line per mismatch (at most TOPO_GUEST_DIFF_MAX) and
 * returns the number of mismatches (0: the guest sees @t).
 */
size_t topo_guest__compare(const struct topo_guest *g, const struct topology *t,
			   struct topo_guest_diff *d);

/* "the guest sees 1n2l3c1t (6 CPUs, 2 packages, 1 node)", for a guest that matched @t. */
void topo_guest__summary(const struct topo_guest *g, const struct topology *t, char *buf,
			 size_t len);

/* How the check went, for the report and the JSON line. */
enum topo_guest_status {
	TOPO_GUEST_NOT_REPORTED,	/* no TOPOLOGY frame (an older agent, a dead guest) */
	TOPO_GUEST_MATCH,
	TOPO_GUEST_MISMATCH,
	TOPO_GUEST_UNREADABLE,		/* the frame did not parse */
};

/* "not_reported", "match", "mismatch", "unreadable" */
const char *topo_guest_status__str(enum topo_guest_status s);

#endif
