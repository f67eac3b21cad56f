// SPDX-License-Identifier: GPL-2.0
/*
 * Start-up of the in-process VMM against QEMU microvm, from process start:
 *   - to the exit of a guest that ends at its first instruction (0xFE to
 *     the i8042 command port; under QEMU microvm, which has no i8042, the
 *     next instruction triple-faults and -no-reboot exits),
 *   - to the first byte a guest writes to COM1 (and to that guest's exit),
 *   - CPU time and peak RSS; for the VMM also peak RSS minus the guest RAM
 *     that was touched (guest pages are the guest's, not the VMM's cost).
 * "guest end" is when the VMM saw the guest end, "process exit" adds the
 * teardown (KVM destroys the in-kernel PIC/IOAPIC/PIT, one SRCU grace period
 * each: 12-20 ms on nested KVM).
 * Each run is a fresh process (this program re-executed with --child, or
 * qemu-system-x86_64), timed by this parent. Prints medians; asserts nothing.
 *
 *   bench_vmm_start [--runs N] EXIT_GUEST.elf SERIAL_GUEST.elf
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmm.h"

#define GUEST_RAM (128ull << 20)	/* QEMU's default -m */
#define MAX_RUNS 100

struct sample {
	double exit_ms;		/* the process exited (after KVM's VM teardown) */
	double end_ms;		/* the VMM saw the guest end (vmm__run() returned) */
	double main_ms;		/* the child's main() ran: exec and dynamic linking */
	double created_ms;	/* vmm__create() returned: VM set up, kernel loaded */
	double first_ms;	/* first COM1 byte */
	double cpu_ms, rss_mib, rss_net_mib;
	bool ok;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- the child: one VM, report on stdout ---- */

static uint64_t child_first_ns, child_main_ns;

static void child_serial(void *arg, unsigned int com, uint8_t byte)
{
	(void)arg;
	(void)byte;
	if (com == 0 && !child_first_ns)
		child_first_ns = now_ns();
}

static long status_kib(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

static int child(const char *elf)
{
	struct vmm_opts o = {
		.kernel = elf,
		.ram_size = GUEST_RAM,
		.timeout_ms = 20000,
		.on_serial = child_serial,
	};
	struct vmm_result res;
	char err[256];
	struct vmm *vmm;
	uint64_t touched;
	int ret;

	uint64_t created_ns, ended_ns;

	ret = vmm__create(&o, &vmm, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	created_ns = now_ns();
	ret = vmm__run(vmm, &res);
	ended_ns = now_ns();
	touched = vmm__ram_resident(vmm);
	printf("end=%s first_ns=%llu hwm_kib=%ld touched_kib=%llu main_ns=%llu created_ns=%llu ended_ns=%llu\n",
	       vmm_end__str(res.end), (unsigned long long)child_first_ns, status_kib("VmHWM:"),
	       (unsigned long long)(touched >> 10), (unsigned long long)child_main_ns,
	       (unsigned long long)created_ns, (unsigned long long)ended_ns);
	fflush(stdout);
	vmm__destroy(vmm);
	return ret || res.end != VMM_END_RESET ? 1 : 0;
}

/* ---- the parent ---- */

struct spawn {
	uint64_t t0, first_ns, end_ns;
	char out[512], errbuf[512];
	size_t outlen, errlen;
	int status;
	struct rusage ru;
};

/*
 * Run @argv with stdout and stderr on pipes; note when the first stdout byte
 * arrives (QEMU's serial) and when the process ends.
 */
static int spawn_run(char *const argv[], struct spawn *s)
{
	int out[2], errp[2];
	pid_t pid;

	memset(s, 0, sizeof(*s));
	if (pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC))
		return -errno;
	s->t0 = now_ns();
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(errp[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	for (int open_fds = 2; open_fds;) {
		struct pollfd p[2] = { { out[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
		char buf[256];

		if (poll(p, 2, 30000) <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(p[i].revents & (POLLIN | POLLHUP)) || p[i].fd < 0)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				close(i ? errp[0] : out[0]);
				if (i)
					errp[0] = -1;
				else
					out[0] = -1;
				open_fds--;
				continue;
			}
			if (i == 0 && !s->first_ns)
				s->first_ns = now_ns();
			if (i == 0 && s->outlen + (size_t)n < sizeof(s->out)) {
				memcpy(s->out + s->outlen, buf, (size_t)n);
				s->outlen += (size_t)n;
			}
			if (i == 1 && s->errlen + (size_t)n < sizeof(s->errbuf)) {
				memcpy(s->errbuf + s->errlen, buf, (size_t)n);
				s->errlen += (size_t)n;
			}
		}
	}
	if (wait4(pid, &s->status, 0, &s->ru) < 0)
		return -errno;
	s->end_ns = now_ns();
	return 0;
}

static double cpu_ms(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

static struct sample run_vmm(const char *self, const char *elf, char *why, size_t whylen)
{
	char *argv[] = { (char *)self, (char *)"--child", (char *)elf, NULL };
	struct sample r = { .ok = false };
	unsigned long long first = 0, touched = 0, mainns = 0, created = 0, ended = 0;
	long hwm = 0;
	struct spawn s;

	if (spawn_run(argv, &s) || !WIFEXITED(s.status) || WEXITSTATUS(s.status)) {
		snprintf(why, whylen, "%.*s", (int)s.errlen, s.errbuf);
		return r;
	}
	s.out[s.outlen] = 0;
	if (sscanf(strstr(s.out, "first_ns=") ? strstr(s.out, "first_ns=") : "",
		   "first_ns=%llu hwm_kib=%ld touched_kib=%llu main_ns=%llu created_ns=%llu ended_ns=%llu",
		   &first, &hwm, &touched, &mainns, &created, &ended) != 6) {
		snprintf(why, whylen, "child said: %s", s.out);
		return r;
	}
	r.ok = true;
	r.exit_ms = (double)(s.end_ns - s.t0) / 1e6;
	r.first_ms = first ? (double)(first - s.t0) / 1e6 : 0;
	r.main_ms = (double)(mainns - s.t0) / 1e6;
	r.created_ms = (double)(created - s.t0) / 1e6;
	r.end_ms = (double)(ended - s.t0) / 1e6;
	r.cpu_ms = cpu_ms(&s.ru);
	/* The child's own VmHWM: ru_maxrss would count the forked parent too. */
	r.rss_mib = (double)hwm / 1024;
	r.rss_net_mib = (double)(hwm - (long)touched) / 1024;
	return r;
}

static struct sample run_qemu(const char *elf, char *why, size_t whylen)
{
	const char *q = getenv("KTSTR_QEMU") ? getenv("KTSTR_QEMU") : "qemu-system-x86_64";
	char *argv[] = { (char *)q, (char *)"-M", (char *)"microvm", (char *)"-accel",
			 (char *)"kvm", (char *)"-m", (char *)"128M", (char *)"-kernel",
			 (char *)elf, (char *)"-nodefaults", (char *)"-no-user-config",
			 (char *)"-display", (char *)"none", (char *)"-serial", (char *)"stdio",
			 (char *)"-no-reboot", NULL };
	struct sample r = { .ok = false };
	struct spawn s;

	if (spawn_run(argv, &s) || !WIFEXITED(s.status) || WEXITSTATUS(s.status)) {
		snprintf(why, whylen, "%s exited %d: %.*s", q,
			 WIFEXITED(s.status) ? WEXITSTATUS(s.status) : -1, (int)s.errlen, s.errbuf);
		return r;
	}
	r.ok = true;
	r.exit_ms = (double)(s.end_ns - s.t0) / 1e6;
	r.first_ms = s.first_ns ? (double)(s.first_ns - s.t0) / 1e6 : 0;
	r.end_ms = -1;
	r.cpu_ms = cpu_ms(&s.ru);
	r.rss_mib = (double)s.ru.ru_maxrss / 1024;
	r.rss_net_mib = -1;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const struct sample *s, unsigned int n, size_t field)
{
	double v[MAX_RUNS];

	for (unsigned int i = 0; i < n; i++)
		memcpy(&v[i], (const char *)&s[i] + field, sizeof(double));
	qsort(v, n, sizeof(double), cmp_double);
	return n ? v[n / 2] : 0;
}

static double minimum(const struct sample *s, unsigned int n, size_t field)
{
	double m = 0, v;

	for (unsigned int i = 0; i < n; i++) {
		memcpy(&v, (const char *)&s[i] + field, sizeof(double));
		if (!i || v < m)
			m = v;
	}
	return m;
}

/*
 * Run @fn @runs times; print medians (and minima: the machine may be busy). Returns the median process exit time
 * (0: failed) and the median guest end in @end_ms when measured.
 */
static double bench(const char *label, const char *what, unsigned int runs, bool first_byte,
		    struct sample (*fn)(const char *, const char *, char *, size_t),
		    const char *a, const char *b, double *end_ms)
{
	struct sample s[MAX_RUNS];
	char why[512] = "";

	for (unsigned int i = 0; i < runs; i++) {
		s[i] = fn(a, b, why, sizeof(why));
		if (!s[i].ok) {
			printf("%-6s %-20s FAILED: %s\n", label, what, why);
			return 0;
		}
	}
	printf("%-6s %-20s", label, what);
	if (s[0].end_ms >= 0)
		printf(" guest end %6.2f ms (min %.2f),",
		       median(s, runs, offsetof(struct sample, end_ms)),
		       minimum(s, runs, offsetof(struct sample, end_ms)));
	printf(" process exit %6.2f ms (min %.2f)",
	       median(s, runs, offsetof(struct sample, exit_ms)),
	       minimum(s, runs, offsetof(struct sample, exit_ms)));
	if (first_byte)
		printf(", 1st COM1 byte %6.2f ms",
		       median(s, runs, offsetof(struct sample, first_ms)));
	printf(", cpu %5.2f ms, peak RSS %5.2f MiB",
	       median(s, runs, offsetof(struct sample, cpu_ms)),
	       median(s, runs, offsetof(struct sample, rss_mib)));
	if (s[0].rss_net_mib >= 0)
		printf(" (%.2f MiB less touched guest RAM)",
		       median(s, runs, offsetof(struct sample, rss_net_mib)));
	printf("\n");
	if (s[0].end_ms >= 0)
		printf("%-6s %-20s   main() %.2f ms, VM created %.2f ms\n", "", "",
		       median(s, runs, offsetof(struct sample, main_ms)),
		       median(s, runs, offsetof(struct sample, created_ms)));
	if (end_ms)
		*end_ms = s[0].end_ms >= 0 ? median(s, runs, offsetof(struct sample, end_ms)) : 0;
	return median(s, runs, offsetof(struct sample, exit_ms));
}

static struct sample qemu_adapter(const char *unused, const char *elf, char *why, size_t whylen)
{
	(void)unused;
	return run_qemu(elf, why, whylen);
}

int main(int argc, char **argv)
{
	unsigned int runs = 20;
	double vmm_ms, vmm_end_ms = 0, qemu_ms;
	char self[4096];
	ssize_t n;
	int i = 1;

	if (argc == 3 && !strcmp(argv[1], "--child")) {
		child_main_ns = now_ns();
		return child(argv[2]);
	}
	if (argc > 2 && !strcmp(argv[1], "--runs")) {
		runs = (unsigned int)strtoul(argv[2], NULL, 10);
		if (!runs || runs > MAX_RUNS)
			runs = 20;
		i = 3;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: %s [--runs N] EXIT_GUEST.elf SERIAL_GUEST.elf\n", argv[0]);
		return 2;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		perror("/proc/self/exe");
		return 1;
	}
	self[n] = 0;
	printf("VM start-up from process start, median of %u runs, %llu MiB guests\n", runs,
	       GUEST_RAM >> 20);
	vmm_ms = bench("ktstr", "exit at 1st insn", runs, false, run_vmm, self, argv[i],
		       &vmm_end_ms);
	bench("ktstr", "1st COM1 byte, exit", runs, true, run_vmm, self, argv[i + 1], NULL);
	qemu_ms = bench("qemu", "exit at 1st insn", runs, false, qemu_adapter, NULL, argv[i],
			NULL);
	bench("qemu", "1st COM1 byte, exit", runs, true, qemu_adapter, NULL, argv[i + 1], NULL);
	if (vmm_ms > 0 && qemu_ms > 0)
		printf("process exit: ktstr %.1fx faster than QEMU microvm; guest end seen by ktstr %.1fx sooner than QEMU's exit\n",
		       qemu_ms / vmm_ms, vmm_end_ms > 0 ? qemu_ms / vmm_end_ms : 0);
	return 0;
}
