// SPDX-License-Identifier: GPL-2.0
/* The guest's topology report, kept and judged; see run_topo.h. */
#include "run_topo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo/topo_guest.h"

_Static_assert(TOPO_GUEST_MAX_CPUS == KTSTR_TOPO_MAX_CPUS, "the wire's CPU bound");
_Static_assert(TOPO_GUEST_MAX_NODES == KTSTR_TOPO_MAX_NODES, "the wire's node bound");
_Static_assert(TOPO_GUEST_LINE_MAX == KTSTR_TOPO_LINE_MAX, "the wire's line bound");

void run_topo__frame(struct run_topo *rt, const struct proto_frame *f, bool verbose)
{
	if (rt->frames++)
		return;
	rt->text = malloc(f->length + 1);
	if (!rt->text) {
		rt->oom = true;
		return;
	}
	memcpy(rt->text, f->payload, f->length);
	rt->text[f->length] = '\0';
	rt->len = f->length;
	if (verbose) {
		/* Untrusted: printable bytes only. */
		fputs("  guest topology:\n", stderr);
		for (size_t i = 0; i < rt->len; i++) {
			unsigned char ch = (unsigned char)rt->text[i];

			fputc(ch == '\n' || (ch >= 0x20 && ch < 0x7f) ? ch : '?', stderr);
		}
		if (rt->len && rt->text[rt->len - 1] != '\n')
			fputc('\n', stderr);
	}
}

/* Append a line to the diagnostics text. */
static void diag(struct run_result *res, const char *line)
{
	size_t n = strlen(res->topo_diag);

	snprintf(res->topo_diag + n, sizeof(res->topo_diag) - n, "%s\n", line);
}

void run_topo__check(const struct run_topo *rt, const struct topology *t, struct run_result *res)
{
	struct topo_guest *g;
	struct topo_guest_diff d;
	char err[320], line[400];
	size_t n;

	res->topo_diag[0] = '\0';
	res->topo_status = TOPO_GUEST_NOT_REPORTED;
	if (!rt->frames) {
		diag(res, "topology: not reported by the guest");
		return;
	}
	res->topo_status = TOPO_GUEST_UNREADABLE;
	g = rt->oom ? NULL : malloc(sizeof(*g));
	if (!g)
		snprintf(err, sizeof(err), "out of memory");
	else if (rt->frames > 1)
		snprintf(err, sizeof(err), "%u reports came; the agent sends one", rt->frames);
	if (!g || rt->frames > 1 || topo_guest__parse(rt->text, rt->len, g, err, sizeof(err))) {
		snprintf(line, sizeof(line), "topology: the guest's report is unreadable: %s", err);
		diag(res, line);
		verdict__fail(&res->verdict, "%s", line);
		res->harness_failure = true;
		free(g);
		return;
	}
	n = topo_guest__compare(g, t, &d);
	if (!n) {
		res->topo_status = TOPO_GUEST_MATCH;
		topo_guest__summary(g, t, err, sizeof(err));
		snprintf(line, sizeof(line), "topology: %s", err);
		diag(res, line);
		free(g);
		return;
	}
	res->topo_status = TOPO_GUEST_MISMATCH;
	for (size_t i = 0; i < d.n; i++) {
		diag(res, d.lines[i]);
		verdict__fail(&res->verdict, "%s", d.lines[i]);
	}
	if (d.more) {
		snprintf(line, sizeof(line), "topology: (%zu more mismatch%s)", d.more,
			 d.more == 1 ? "" : "es");
		diag(res, line);
		verdict__fail(&res->verdict, "%s", line);
	}
	res->harness_failure = true;
	free(g);
}

void run_topo__free(struct run_topo *rt)
{
	free(rt->text);
	memset(rt, 0, sizeof(*rt));
}
