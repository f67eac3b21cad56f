// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-side faults for ktstr's own end-to-end tests (tests/e2e/bite_*.yaml,
 * tests/cli/checks_bite.sh): each makes one check fail for its intended
 * reason through a real change in the guest that the host does not know of.
 * main.c turns one on from ktstr.selftest=X on the kernel command line (the
 * host passes $KTSTR_GUEST_SELFTEST). Built only with -Dguest_faults=true
 * (meson_options.txt); otherwise work_fault__built is false and nothing here
 * does anything.
 */
#include "work_int.h"

#include "cpumask.h"
#include "sysfs_read.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef KTSTR_GUEST_FAULTS
const bool work_fault__built = true;
#else
const bool work_fault__built = false;
#endif

static enum work_fault fault;
/* Workers forked so far by this process: the child sees its own index. */
static unsigned nforked;

void work__fault(enum work_fault f)
{
	fault = work_fault__built ? f : WORK_FAULT_NONE;
}

void work_fault__forked(void)
{
	nforked++;
}

#ifdef KTSTR_GUEST_FAULTS
static void allowed(struct cpumask *m)
{
	cpu_set_t s;

	memset(m, 0, sizeof(*m));
	if (sched_getaffinity(0, sizeof(s), &s))
		return;
	for (unsigned cpu = 0; cpu < CPU_SETSIZE && cpu < CPUMASK_BITS; cpu++)
		if (CPU_ISSET(cpu, &s))
			cpumask__set(m, cpu);
}

/*
 * escape-cpuset: leave the test cgroup for the root one, then take the CPUs
 * the cpuset did not allow. The report still names the cgroup.
 */
static void escape_cpuset(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	struct cpumask in;
	cpu_set_t out;
	int fd;

	allowed(&in);
	CPU_ZERO(&out);
	for (long cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++)
		if (!cpumask__test(&in, (unsigned)cpu))
			CPU_SET((int)cpu, &out);
	if (!CPU_COUNT(&out))
		return;
	fd = open("/sys/fs/cgroup/cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "0", 1) == 1)
		sched_setaffinity(0, sizeof(out), &out);
	close(fd);
}

/* wrong-node: bind the worker's memory to the nodes that hold none of its CPUs. */
static void wrong_node(void)
{
	unsigned long far = 0;
	struct cpumask in;

	allowed(&in);
	for (unsigned node = 0; node < 64; node++) {
		char path[64], buf[1024];
		struct cpumask cpus;
		bool near = false;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/cpulist", node);
		if (sysfs__read(path, buf, sizeof(buf)) < 0 ||
		    cpumask__parse(buf, CPUMASK_BITS, &cpus))
			continue;
		for (unsigned i = 0; i < CPUMASK_BITS / 64; i++)
			near |= (cpus.bits[i] & in.bits[i]) != 0;
		if (!near)
			far |= 1ul << node;
	}
	if (far)
		syscall(SYS_set_mempolicy, 2 /* MPOL_BIND */, &far, 65ul);
}
#endif

void work_fault__apply(void)
{
#ifdef KTSTR_GUEST_FAULTS
	bool first = nforked == 0;	/* the first worker this agent forked */

	switch (fault) {
	case WORK_FAULT_ESCAPE_CPUSET:
		if (first)
			escape_cpuset();
		break;
	case WORK_FAULT_WRONG_NODE:
		wrong_node();
		break;
	case WORK_FAULT_SLOW_SPIN:
		if (first)
			work__spin_mode(true);
		break;
	case WORK_FAULT_NONE:
		break;
	}
#endif
}
