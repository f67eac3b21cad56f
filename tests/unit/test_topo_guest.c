// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's topology report (lib/topo/topo_guest.h): frames captured from
 * real guests parse and match; each kind of mismatch is found and named;
 * hostile text is rejected with a message naming the line; and the agent's
 * side (initramfs/agent/topo_report.c) turns a stand-in sysfs tree into the
 * text the host accepts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/topo_report.h"
#include "base/fsutil.h"
#include "topo/topo_guest.h"
#include "wire/ktstr_proto.h"

/* ---- frames as the agent sent them from guests under QEMU 7.2 */

/* Linux 6.12: die_id is the package's id. */
static const char frame_1n2l3c1t[] =
	"cpu 0 0 0 0 0 0-2\n"
	"cpu 1 0 0 1 1 0-2\n"
	"cpu 2 0 0 2 2 0-2\n"
	"cpu 3 1 1 0 3 3-5\n"
	"cpu 4 1 1 1 4 3-5\n"
	"cpu 5 1 1 2 5 3-5\n"
	"node 0 0-5 10\n";

static const char frame_1n1l3c1t[] =
	"cpu 0 0 0 0 0 0-2\n"
	"cpu 1 0 0 1 1 0-2\n"
	"cpu 2 0 0 2 2 0-2\n"
	"node 0 0-2 10\n";

static const char frame_2n2l3c2t[] =
	"cpu 0 0 0 0 0-1 0-5\n"
	"cpu 1 0 0 0 0-1 0-5\n"
	"cpu 2 0 0 1 2-3 0-5\n"
	"cpu 3 0 0 1 2-3 0-5\n"
	"cpu 4 0 0 2 4-5 0-5\n"
	"cpu 5 0 0 2 4-5 0-5\n"
	"cpu 6 1 1 0 6-7 6-11\n"
	"cpu 7 1 1 0 6-7 6-11\n"
	"cpu 8 1 1 1 8-9 6-11\n"
	"cpu 9 1 1 1 8-9 6-11\n"
	"cpu 10 1 1 2 10-11 6-11\n"
	"cpu 11 1 1 2 10-11 6-11\n"
	"node 0 0-5 10,20\n"
	"node 1 6-11 20,10\n";

/* Linux 6.1 (Debian's cloud kernel): die_id 0 on every CPU. */
static const char frame_2n2l3c2t_6_1[] =
	"cpu 0 0 0 0 0-1 0-5\n"
	"cpu 1 0 0 0 0-1 0-5\n"
	"cpu 2 0 0 1 2-3 0-5\n"
	"cpu 3 0 0 1 2-3 0-5\n"
	"cpu 4 0 0 2 4-5 0-5\n"
	"cpu 5 0 0 2 4-5 0-5\n"
	"cpu 6 1 0 0 6-7 6-11\n"
	"cpu 7 1 0 0 6-7 6-11\n"
	"cpu 8 1 0 1 8-9 6-11\n"
	"cpu 9 1 0 1 8-9 6-11\n"
	"cpu 10 1 0 2 10-11 6-11\n"
	"cpu 11 1 0 2 10-11 6-11\n"
	"node 0 0-5 10,20\n"
	"node 1 6-11 20,10\n";

static struct topo_guest g;	/* large: not on the stack */

static struct topology topo(const char *name)
{
	struct topology t;

	assert_int_equal(topology__parse(name, &t, NULL, 0), 0);
	assert_int_equal(topology__validate(&t, NULL, 0), 0);
	return t;
}

/* Parse @text (it must parse) and compare it with @name; the mismatch count. */
static size_t diff_of(const char *text, const char *name, struct topo_guest_diff *d)
{
	struct topology t = topo(name);
	char err[320];
	size_t n;

	if (topo_guest__parse(text, strlen(text), &g, err, sizeof(err)))
		fail_msg("parse failed: %s", err);
	n = topo_guest__compare(&g, &t, d);
	assert_int_equal(n, d->n + d->more);
	return n;
}

static void assert_line(const struct topo_guest_diff *d, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->lines[i], want))
			return;
	for (size_t i = 0; i < d->n; i++)
		print_message("  got: %s\n", d->lines[i]);
	fail_msg("no mismatch line '%s'", want);
}

/* @text with the line starting with @prefix replaced by @line (NULL: deleted), malloc'd. */
static char *edit(const char *text, const char *prefix, const char *line)
{
	const char *p = text;
	char *out;

	while (strncmp(p, prefix, strlen(prefix))) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	out = malloc(strlen(text) + (line ? strlen(line) : 0) + 2);
	assert_non_null(out);
	sprintf(out, "%.*s%s%s%s", (int)(p - text), text, line ? line : "", line ? "\n" : "",
		strchr(p, '\n') + 1);
	return out;
}

/* The text Linux reports for @t: die ids system-wide (6.9+) or all 0 (before). */
static char *linux_text(const struct topology *t, bool dies_system_wide)
{
	char *buf = NULL, sib[64], l3[64];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint32_t total = topology__total_cpus(t);

	assert_non_null(f);
	for (uint32_t cpu = 0; cpu < total; cpu++) {
		struct cpu_pos p = topology__decompose(t, cpu);
		struct cpuset core, llc;

		cpuset__zero(&core);
		for (uint32_t k = 0; k < t->threads_per_core; k++)
			cpuset__set(&core, cpu - p.thread + k);
		cpuset__format(&core, sib, sizeof(sib));
		topology__llc_cpus(t, p.llc, &llc);
		cpuset__format(&llc, l3, sizeof(l3));
		fprintf(f, "cpu %u %u %u %u %s %s\n", cpu, p.llc, dies_system_wide ? p.llc : 0,
			p.core, sib, l3);
	}
	for (uint32_t n = 0; n < t->numa_nodes; n++) {
		struct cpuset cpus;

		topology__node_cpus(t, n, &cpus);
		cpuset__format(&cpus, l3, sizeof(l3));
		fprintf(f, "node %u %s ", n, l3);
		for (uint32_t m = 0; m < t->numa_nodes; m++)
			fprintf(f, "%s%d", m ? "," : "", m == n ? 10 : 20);
		fputc('\n', f);
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* ---- good reports */

static void test_real_frames_match(void **state)
{
	static const struct {
		const char *text, *topo, *summary;
	} cases[] = {
		{ frame_1n2l3c1t, "1n2l3c1t",
		  "the guest sees 1n2l3c1t (6 CPUs, 2 packages, 1 node)" },
		{ frame_1n1l3c1t, "1n1l3c1t",
		  "the guest sees 1n1l3c1t (3 CPUs, 1 package, 1 node)" },
		{ frame_2n2l3c2t, "2n2l3c2t",
		  "the guest sees 2n2l3c2t (12 CPUs, 2 packages, 2 nodes)" },
		{ frame_2n2l3c2t_6_1, "2n2l3c2t",
		  "the guest sees 2n2l3c2t (12 CPUs, 2 packages, 2 nodes)" },
	};
	struct topo_guest_diff d;
	char sum[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct topology t = topo(cases[i].topo);

		assert_int_equal(diff_of(cases[i].text, cases[i].topo, &d), 0);
		assert_int_equal(d.n, 0);
		topo_guest__summary(&g, &t, sum, sizeof(sum));
		assert_string_equal(sum, cases[i].summary);
	}
	/* The right report for the wrong topology is no match. */
	assert_true(diff_of(frame_1n2l3c1t, "1n1l3c1t", &d) > 0);
	assert_true(diff_of(frame_2n2l3c2t, "1n2l3c2t", &d) > 0);
}

static void test_generated_match(void **state)
{
	static const char *const names[] = { "1n1l1c1t", "1n1l3c1t", "1n2l3c1t", "2n2l3c2t",
					     "2n4l3c2t", "4n8l4c2t", "2n2l5c4t", "1n4l63c1t" };
	struct topo_guest_diff d;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct topology t = topo(names[i]);

		for (int sys = 0; sys < 2; sys++) {
			char *text = linux_text(&t, sys);

			assert_int_equal(diff_of(text, names[i], &d), 0);
			free(text);
		}
	}
}

/* ---- each kind of mismatch */

static void test_wrong_package(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_1n2l3c1t, "cpu 4 ", "cpu 4 0 1 1 4 3-5");

	(void)state;
	assert_int_equal(diff_of(t, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPU 4 is in package 0 in the guest; 1n2l3c1t puts it in "
		    "LLC 1 (package 1)");
	free(t);
}

static void test_wrong_core(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_1n2l3c1t, "cpu 4 ", "cpu 4 1 1 2 4 3-5");

	(void)state;
	assert_int_equal(diff_of(t, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPU 4 has core id 2 in the guest; 1n2l3c1t makes it core 1 "
		    "of LLC 1");
	free(t);
}

static void test_wrong_die(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_1n2l3c1t, "cpu 4 ", "cpu 4 1 0 1 4 3-5");
	char *u;

	(void)state;
	/* Dies numbered system-wide by the others: die 0 in package 1 is a second die. */
	assert_int_equal(diff_of(t, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPU 4 is in die 0 in the guest; 1n2l3c1t has one die per "
		    "package: die 1 here (the package's id on Linux 6.9+, 0 on every CPU before)");
	free(t);
	/* Linux 6.1's zeros with one die id off: the conventions are not mixed. */
	u = edit(frame_2n2l3c2t_6_1, "cpu 7 ", "cpu 7 1 5 0 6-7 6-11");
	assert_int_equal(diff_of(u, "2n2l3c2t", &d), 6);
	assert_line(&d, "topology: CPU 6 is in die 0 in the guest; 2n2l3c2t has one die per "
		    "package: die 1 here (the package's id on Linux 6.9+, 0 on every CPU before)");
	assert_line(&d, "topology: CPU 7 is in die 5 in the guest; 2n2l3c2t has one die per "
		    "package: die 1 here (the package's id on Linux 6.9+, 0 on every CPU before)");
	free(u);
}

static void test_wrong_siblings(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_2n2l3c2t, "cpu 2 ", "cpu 2 0 0 1 2 0-5");

	(void)state;
	assert_int_equal(diff_of(t, "2n2l3c2t", &d), 1);
	assert_line(&d, "topology: CPU 2's thread siblings are 2 in the guest; 2n2l3c2t makes "
		    "them 2-3 (core 1 of LLC 0)");
	free(t);
}

static void test_wrong_l3(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_1n2l3c1t, "cpu 4 ", "cpu 4 1 1 1 4 0-5");
	char *u = edit(frame_1n2l3c1t, "cpu 3 ", "cpu 3 1 1 0 3 -");

	(void)state;
	assert_int_equal(diff_of(t, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPU 4 shares its L3 with CPUs 0-5 in the guest; 1n2l3c1t "
		    "gives LLC 1 CPUs 3-5");
	assert_int_equal(diff_of(u, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPU 3 has no level-3 cache in the guest; 1n2l3c1t gives "
		    "LLC 1 CPUs 3-5");
	free(t);
	free(u);
}

static void test_wrong_node_cpus(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_2n2l3c2t, "node 1 ", "node 1 5-11 20,10");
	char *u = edit(frame_2n2l3c2t, "node 1 ", NULL);

	(void)state;
	assert_int_equal(diff_of(t, "2n2l3c2t", &d), 1);
	assert_line(&d, "topology: node 1 has CPUs 5-11 in the guest; 2n2l3c2t gives it 6-11");
	assert_int_equal(diff_of(u, "2n2l3c2t", &d), 1);
	assert_line(&d, "topology: node 1 is missing in the guest; 2n2l3c2t has 2 nodes "
		    "(node 1: CPUs 6-11)");
	free(t);
	free(u);
	/* numa=off: one node with every CPU, as a real guest showed. */
	t = edit(frame_2n2l3c2t, "node 0 ", "node 0 0-11 10");
	u = edit(t, "node 1 ", NULL);
	assert_int_equal(diff_of(u, "2n2l3c2t", &d), 3);
	assert_line(&d, "topology: node 0 has CPUs 0-11 in the guest; 2n2l3c2t gives it 0-5");
	free(t);
	free(u);
	/* A node the scenario does not have (a CPU-less one, as for memory only). */
	u = edit(frame_1n2l3c1t, "node 0 ", "node 0 0-5 10,20");
	t = malloc(strlen(u) + 32);
	assert_non_null(t);
	sprintf(t, "%snode 1 - 20,10\n", u);
	free(u);
	assert_int_equal(diff_of(t, "1n2l3c1t", &d), 2);
	assert_line(&d, "topology: the guest has node 1 (CPUs none), which 1n2l3c1t does not "
		    "have (1 node)");
	assert_line(&d, "topology: node 0's distances are 10,20 in the guest; 1n2l3c1t expects "
		    "10 (10 local, 20 remote)");
	free(t);
}

static void test_wrong_distance(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_2n2l3c2t, "node 0 ", "node 0 0-5 10,30");
	char *u = edit(frame_2n2l3c2t, "node 1 ", "node 1 6-11 -");

	(void)state;
	assert_int_equal(diff_of(t, "2n2l3c2t", &d), 1);
	assert_line(&d, "topology: node 0's distances are 10,30 in the guest; 2n2l3c2t expects "
		    "10,20 (10 local, 20 remote)");
	assert_int_equal(diff_of(u, "2n2l3c2t", &d), 1);
	assert_line(&d, "topology: node 1 has no distances in the guest; 2n2l3c2t expects 20,10 "
		    "(10 local, 20 remote)");
	free(t);
	free(u);
}

static void test_missing_and_extra_cpu(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_1n2l3c1t, "cpu 5 ", NULL), *u;

	(void)state;
	assert_int_equal(diff_of(t, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPU 5 is missing in the guest; 1n2l3c1t has 6 CPUs (0-5)");
	u = edit(t, "cpu 4 ", NULL);
	assert_int_equal(diff_of(u, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: CPUs 4-5 are missing in the guest; 1n2l3c1t has 6 CPUs (0-5)");
	free(t);
	free(u);
	u = malloc(sizeof(frame_1n2l3c1t) + 64);
	assert_non_null(u);
	sprintf(u, "cpu 6 1 1 3 6 3-6\n%s", frame_1n2l3c1t);
	assert_int_equal(diff_of(u, "1n2l3c1t", &d), 1);
	assert_line(&d, "topology: the guest has CPU 6, which 1n2l3c1t does not have "
		    "(6 CPUs: 0-5)");
	free(u);
}

static void test_missing_fields(void **state)
{
	struct topo_guest_diff d;
	char *t = edit(frame_2n2l3c2t, "cpu 3 ", "cpu 3 - - - - -");

	(void)state;
	assert_int_equal(diff_of(t, "2n2l3c2t", &d), 5);
	assert_line(&d, "topology: CPU 3 has no physical_package_id in the guest; 2n2l3c2t puts "
		    "it in LLC 0 (package 0)");
	assert_line(&d, "topology: CPU 3 has no die_id in the guest; 2n2l3c2t has one die per "
		    "package");
	assert_line(&d, "topology: CPU 3 has no core_id in the guest; 2n2l3c2t makes it core 1 "
		    "of LLC 0");
	assert_line(&d, "topology: CPU 3 has no thread_siblings_list in the guest; 2n2l3c2t "
		    "makes its core 2-3 (core 1 of LLC 0)");
	assert_line(&d, "topology: CPU 3 has no level-3 cache in the guest; 2n2l3c2t gives "
		    "LLC 0 CPUs 0-5");
	free(t);
}

/* Everything in one package: many lines, capped, the rest counted. */
static void test_cap(void **state)
{
	struct topology t = topo("2n4l3c2t");
	struct topo_guest_diff d;
	char *text = linux_text(&t, false);

	(void)state;
	for (char *p = text; (p = strstr(p, "cpu ")); p += 4) {
		char *pkg = strchr(p + 4, ' ') + 1;

		*pkg = '0';	/* one-digit package ids: all become 0 */
	}
	assert_int_equal(diff_of(text, "2n4l3c2t", &d), 18);
	assert_int_equal(d.n, TOPO_GUEST_DIFF_MAX);
	assert_int_equal(d.more, 18 - TOPO_GUEST_DIFF_MAX);
	assert_string_equal(d.lines[0], "topology: CPU 6 is in package 0 in the guest; 2n4l3c2t "
			    "puts it in LLC 1 (package 1)");
	free(text);
}

/* ---- hostile input */

static void expect_reject(const char *text, size_t len, const char *want)
{
	char err[320];

	memset(&g, 0xff, sizeof(g));
	err[0] = '\0';
	assert_int_equal(topo_guest__parse(text, len, &g, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_int_equal(g.ncpus, 0);	/* nothing half-parsed is left */
	assert_false(g.cpus[0].present);
}

#define REJECT(lit, want) expect_reject(lit, sizeof(lit) - 1, want)

static void test_hostile(void **state)
{
	char *big;

	(void)state;
	REJECT("cpu 99999999999999999999999 0 0 0 0 0\n",
	       "line 1 ('cpu 99999999999999999999999 0 0 0 0 0'): the CPU number "
	       "99999999999999999999999 is past 255");
	REJECT("cpu 256 0 0 0 256 256\n", "the CPU number 256 is past 255");
	REJECT("cpu 0 0 0 0 0 0-2\ncpu 1 70000 0 0 1 0-2\n",
	       "line 2 ('cpu 1 70000 0 0 1 0-2'): the package id 70000 is past 65535");
	REJECT("cpu 0 0 0 99999999999 0 0\n", "the core id 99999999999 is past 65535");
	REJECT("cpu 0 0 -1 0 0 0\n", "the die id '-1' is not a number");
	REJECT("cpu 0 0 0 0 0 0-300\n", "the L3's CPUs: CPU 300 is out of range");
	REJECT("cpu 0 0 0 0 0-99999999999 0\n", "the thread siblings: CPU 99999999999");
	REJECT("cpu 0 0 0 0 5-1 0\n", "'5-1' is a reversed range");
	REJECT("node 64 0 10\n", "the node number 64 is past 63");
	REJECT("node 0 0 10,256\n", "a distance 256 is past 255");
	REJECT("node 0 0 10,,20\n", "distance 1: '' is not a number");
	REJECT("node 0 0 10,200000000000\n", "distance 1: '200000000000' is not a number");
	REJECT("hello world\n", "line 1 ('hello world'): not a cpu or node line");
	REJECT("cpu 0 0 0 0 0 0\n\ncpu 1 0 0 1 1 0\n", "line 2 (''): an empty line");
	REJECT("cpu 0 0 0 0  0 0\n", "an empty field");
	REJECT("cpu 0 0 0 0 0 0 \n", "an empty field");
	REJECT(" cpu 0 0 0 0 0 0\n", "an empty field");
	REJECT("cpu 0 0 0 0 0\n", "6 fields; a cpu line has 7");
	REJECT("cpu 0 0 0 0 0 0 0 0\n", "more than 7 fields");
	REJECT("node 0 0\n", "3 fields; a node line has 4");
	REJECT("cpu 0 0 0 0 0 0\ncpu 0 0 0 0 0 0\n", "line 2 ('cpu 0 0 0 0 0 0'): CPU 0 is "
	       "reported twice");
	REJECT("node 0 0 10\nnode 0 0 10\n", "node 0 is reported twice");
	REJECT("cpu 0 0 0 0 0 0-2\r\n", "byte 0x0d at column 18 is not printable");
	REJECT("cpu 0 0 0 0 0 0\x80\n", "byte 0x80");
	REJECT("cpu 0 0 0 0 0 0\0-2\n", "line 1 ('cpu 0 0 0 0 0 0?-2'): a NUL byte");
	REJECT("\x7f" "ELF\x02\x01\x01", "not printable");
	/* 65 distances */
	big = malloc(8192);
	assert_non_null(big);
	strcpy(big, "node 0 0 10");
	for (int i = 0; i < 64; i++)
		strcat(big, ",20");
	strcat(big, "\n");
	expect_reject(big, strlen(big), "more than 64 distances");
	/* a line of 4096 bytes, without its newline */
	memset(big, '1', 4096);
	memcpy(big, "cpu 0 0 0 0 0 ", 14);
	big[4096] = '\n';
	expect_reject(big, 4097, "longer than 4095 bytes");
	/* the longest line there may be is taken (it fails only on its list) */
	big[4095] = '\n';
	expect_reject(big, 4096, "the L3's CPUs: CPU 1111");
	free(big);
}

/* Empty text: nothing reported, every CPU missing; no final newline is fine. */
static void test_edges(void **state)
{
	static const char no_nl[] = "cpu 0 0 0 0 0 0-1\ncpu 1 0 0 1 1 0-1\nnode 0 0-1 10";
	struct topology t = topo("1n1l2c1t");
	struct topo_guest_diff d;
	char err[64];

	(void)state;
	assert_int_equal(topo_guest__parse("", 0, &g, err, sizeof(err)), 0);
	assert_int_equal(topo_guest__compare(&g, &t, &d), 2);
	assert_line(&d, "topology: CPUs 0-1 are missing in the guest; 1n1l2c1t has 2 CPUs (0-1)");
	assert_line(&d, "topology: node 0 is missing in the guest; 1n1l2c1t has 1 node "
		    "(node 0: CPUs 0-1)");
	assert_int_equal(topo_guest__parse(no_nl, strlen(no_nl), &g, err, sizeof(err)), 0);
	assert_int_equal(topo_guest__compare(&g, &t, &d), 0);
	assert_string_equal(topo_guest_status__str(TOPO_GUEST_MISMATCH), "mismatch");
	assert_string_equal(topo_guest_status__str(TOPO_GUEST_NOT_REPORTED), "not_reported");
}

/* ---- the agent's side: a stand-in sysfs tree */

static char g_root[] = "/tmp/ktstr-test-topo-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s/%s", g_root, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(fsutil__mkdir_p(path, 0755), 0);
	*slash = '/';
	assert_int_equal(fsutil__write(path, text, strlen(text)), 0);
}

/* sysfs as Linux 6.12 shows 2n2l3c2t (files end in '\n', distances with spaces). */
static void fake_sysfs(void)
{
	struct topology t = topo("2n2l3c2t");
	char rel[256], val[64];

	put("devices/system/cpu/online", "0-11\n");
	put("devices/system/node/online", "0-1\n");
	for (uint32_t cpu = 0; cpu < 12; cpu++) {
		struct cpu_pos p = topology__decompose(&t, cpu);
		static const char *const levels[] = { "1\n", "1\n", "2\n", "3\n" };

#define CPU_FILE(name, ...) do { \
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%u/%s", cpu, name); \
		snprintf(val, sizeof(val), __VA_ARGS__); \
		put(rel, val); \
	} while (0)
		CPU_FILE("topology/physical_package_id", "%u\n", p.llc);
		CPU_FILE("topology/die_id", "%u\n", p.llc);
		CPU_FILE("topology/core_id", "%u\n", p.core);
		CPU_FILE("topology/thread_siblings_list", "%u-%u\n", cpu & ~1u, cpu | 1u);
		for (int i = 0; i < 4; i++) {
			char name[64];

			snprintf(name, sizeof(name), "cache/index%d/level", i);
			CPU_FILE(name, "%s", levels[i]);
			snprintf(name, sizeof(name), "cache/index%d/shared_cpu_list", i);
			if (i < 3)
				CPU_FILE(name, "%u-%u\n", cpu & ~1u, cpu | 1u);
			else
				CPU_FILE(name, "%s\n", p.llc ? "6-11" : "0-5");
		}
#undef CPU_FILE
	}
	put("devices/system/node/node0/cpulist", "0-5\n");
	put("devices/system/node/node0/distance", "10 20\n");
	put("devices/system/node/node1/cpulist", "6-11\n");
	put("devices/system/node/node1/distance", "20 10\n");
}

static void test_agent_round_trip(void **state)
{
	struct topo_guest_diff d;
	char *text, path[PATH_MAX];
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(g_root));
	fake_sysfs();
	assert_int_equal(topo_report__build(g_root, &text, &len), 0);
	assert_int_equal(len, strlen(frame_2n2l3c2t));
	assert_string_equal(text, frame_2n2l3c2t);
	free(text);

	/* A missing file, garbage in another, a bad distance: '-' each, and named. */
	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu3/topology/die_id", g_root);
	assert_int_equal(unlink(path), 0);
	put("devices/system/cpu/cpu4/topology/core_id", "two\n");
	put("devices/system/cpu/cpu5/cache/index3/shared_cpu_list", "0-5 junk\n");
	put("devices/system/node/node1/distance", "20 x\n");
	assert_int_equal(topo_report__build(g_root, &text, &len), 0);
	assert_non_null(strstr(text, "cpu 3 0 - 1 2-3 0-5\n"));
	assert_non_null(strstr(text, "cpu 4 0 0 - 4-5 0-5\n"));
	assert_non_null(strstr(text, "cpu 5 0 0 2 4-5 -\n"));
	assert_non_null(strstr(text, "node 1 6-11 -\n"));
	assert_int_equal(diff_of(text, "2n2l3c2t", &d), 4);
	assert_line(&d, "topology: CPU 3 has no die_id in the guest; 2n2l3c2t has one die per "
		    "package");
	assert_line(&d, "topology: node 1 has no distances in the guest; 2n2l3c2t expects 20,10 "
		    "(10 local, 20 remote)");
	free(text);

	/* No NUMA in the kernel: no node lines; a CPU past the bitmap: no CPU lines. */
	snprintf(path, sizeof(path), "%s/devices/system/node/online", g_root);
	assert_int_equal(unlink(path), 0);
	put("devices/system/cpu/online", "0-300\n");
	assert_int_equal(topo_report__build(g_root, &text, &len), 0);
	assert_int_equal(len, 0);
	free(text);
	assert_int_equal(fsutil__rm_rf(g_root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_frames_match),
		cmocka_unit_test(test_generated_match),
		cmocka_unit_test(test_wrong_package),
		cmocka_unit_test(test_wrong_core),
		cmocka_unit_test(test_wrong_die),
		cmocka_unit_test(test_wrong_siblings),
		cmocka_unit_test(test_wrong_l3),
		cmocka_unit_test(test_wrong_node_cpus),
		cmocka_unit_test(test_wrong_distance),
		cmocka_unit_test(test_missing_and_extra_cpu),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_agent_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
