// SPDX-License-Identifier: GPL-2.0
/* ktstr run --host: a scenario on this machine, no VM; see run_host.h. */
#include "run_host.h"
#include "host_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/tmpdir.h"
#include "scenario/plan_write.h"

#define SCHED_EXT_SYSFS "/sys/kernel/sched_ext"
/* The agent's results fd: after stdin, stdout, stderr. */
#define HOST_RESULTS_FD 3
/* SIGTERM to the agent on SIGINT, then this long to end its scenario. */
#define HOST_STOP_GRACE_MS 3000

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* Count the entries of a CPU/node list ("0-1,4"); 0 when unreadable. */
static uint32_t list_count(const char *s)
{
	uint32_t n = 0;

	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return n;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		n += b >= a ? (uint32_t)(b - a + 1) : 0;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return n;
}

/* @word is one of the space-separated words of @list. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static int find_root(const char *cgroup_dir, char *buf, size_t len, char *err, size_t errlen)
{
	const char *env = getenv(HOST_CG_ENV);
	char *mounts = NULL;
	size_t cap = 0;
	FILE *f;
	int ret;

	if (cgroup_dir || (env && *env)) {
		snprintf(buf, len, "%s", cgroup_dir ? cgroup_dir : env);
		return 0;
	}
	f = fopen("/proc/mounts", "re");
	if (!f)
		return err__set(-errno, err, errlen, "cannot read /proc/mounts: %s", strerror(errno));
	ret = getdelim(&mounts, &cap, '\0', f) < 0 ? -EIO : 0;
	fclose(f);
	if (!ret)
		ret = host_cg__find_mount(mounts, buf, len);
	free(mounts);
	if (ret)
		return err__set(-ENOENT, err, errlen, "this host has no cgroup v2 hierarchy "
				"mounted (no cgroup2 in /proc/mounts; a cgroup v1 host?): boot "
				"with systemd.unified_cgroup_hierarchy=1, or mount one (mount -t "
				"cgroup2 none DIR) and give it with --host-cgroup DIR or "
				HOST_CG_ENV "=DIR");
	return 0;
}

int run_host__open(struct run_host *h, const char *cgroup_dir, const char *agent,
		   const char *cmd, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], nodes[256];
	struct statfs sf;
	int ret, n;

	memset(h, 0, sizeof(*h));
	h->agent = agent;
	if (geteuid())
		return err__set(-EPERM, err, errlen, "--host needs root: it creates cgroups and "
				"moves processes into them (run ktstr as root, e.g. with sudo)");
	ret = find_root(cgroup_dir, h->root, sizeof(h->root), err, errlen);
	if (ret)
		return ret;
	if (statfs(h->root, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC)
		return err__set(-ENOTDIR, err, errlen, "%s is not a cgroup v2 directory%s%s; "
				"mount one with mount -t cgroup2 none DIR", h->root,
				errno ? ": " : "", errno ? strerror(errno) : "");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", h->root);
	read_line(path, h->subtree, sizeof(h->subtree));
	h->cpuset = has_word(h->subtree, "cpuset");
	/* The attached sched_ext scheduler, if any: what the scenarios run under. */
	read_line(SCHED_EXT_SYSFS "/state", path, sizeof(path));
	if (!strcmp(path, "enabled"))
		read_line(SCHED_EXT_SYSFS "/root/ops", h->ops, sizeof(h->ops));
	if (h->ops[0])
		snprintf(h->backend, sizeof(h->backend), "this host (sched_ext: %s)", h->ops);
	else
		snprintf(h->backend, sizeof(h->backend), "this host (EEVDF)");
	ret = host_capacity__detect(&h->cap);
	if (ret)
		return err__set(ret, err, errlen, "cannot read this host's CPUs: %s",
				strerror(-ret));
	read_line("/sys/devices/system/node/online", nodes, sizeof(nodes));
	h->numa_nodes = list_count(nodes);
	if (!h->numa_nodes)
		h->numa_nodes = 1;
	n = host_cg__clean_leftovers(h->root);
	if (n > 0)
		fprintf(stderr, "ktstr %s: removed %d cgroup%s left by a killed run (%s/"
			HOST_CG_PREFIX "*)\n", cmd, n, n > 1 ? "s" : "", h->root);
	return 0;
}

static bool ops_use_cpusets(const struct op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ops[i].has_cpuset || ops[i].kind == OP_SET_CPUSET ||
		    ops[i].kind == OP_CLEAR_CPUSET || ops[i].kind == OP_SWAP_CPUSETS)
			return true;
	return false;
}

static bool cgroups_use_cpusets(const struct cgroup_def *cg, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cg[i].has_cpuset)
			return true;
	return false;
}

static bool uses_cpusets(const struct scenario *sc)
{
	if (cgroups_use_cpusets(sc->cgroups, sc->ncgroups))
		return true;
	for (size_t i = 0; i < sc->nsteps; i++)
		if (cgroups_use_cpusets(sc->steps[i].cgroups, sc->steps[i].ncgroups) ||
		    ops_use_cpusets(sc->steps[i].ops, sc->steps[i].nops))
			return true;
	return false;
}

/* The attached ops name @ops is @name's: "simple" for scx_simple, maybe with a "_version". */
static bool same_sched(const char *ops, const char *name)
{
	size_t n;

	if (!name || !*name)
		return false;
	if (!strncmp(name, "scx_", 4))
		name += 4;
	n = strlen(name);
	return !strncmp(ops, name, n) && (!ops[n] || ops[n] == '_');
}

bool run_host__skip_reason(const struct run_host *h, const struct scenario *sc,
			   const struct topology *t, char *why, size_t len)
{
	const struct sched_def *d = sc->sched;
	char name[TOPOLOGY_NAME_MAX];

	topology__format(t, name);
	if (d && !d->eevdf) {
		const char *bin = d->binary ? strrchr(d->binary, '/') : NULL;

		bin = bin ? bin + 1 : d->binary;
		if (!h->ops[0]) {
			snprintf(why, len, "host mode runs under this host's own scheduler, EEVDF "
				 "here (no sched_ext scheduler attached), not %s", d->name);
			return true;
		}
		if (!same_sched(h->ops, d->name) && !same_sched(h->ops, bin)) {
			snprintf(why, len, "host mode runs under this host's own scheduler, "
				 "sched_ext '%s' here, not %s", h->ops, d->name);
			return true;
		}
		if (sc->nflags_required) {
			snprintf(why, len, "host mode cannot start %s with the scenario's flags",
				 d->name);
			return true;
		}
	}
	if (!host_capacity__fits(&h->cap, t)) {
		snprintf(why, len, "topology %s needs %u CPUs in %u LLCs; this host has %u CPUs in "
			 "%u LLC groups (at most %u CPUs per LLC)", name, topology__total_cpus(t),
			 t->llcs, h->cap.cpus, h->cap.llc_groups, h->cap.max_cpus_per_llc);
		return true;
	}
	if (t->numa_nodes > h->numa_nodes) {
		snprintf(why, len, "topology %s needs %u NUMA nodes; this host has %u", name,
			 t->numa_nodes, h->numa_nodes);
		return true;
	}
	if (!h->cpuset && uses_cpusets(sc)) {
		snprintf(why, len, "the scenario uses cpusets; this host's cgroup v2 tree gives "
			 "its cgroups no cpuset controller (%s/cgroup.subtree_control has '%s')",
			 h->root, h->subtree);
		return true;
	}
	return false;
}

/* ---- the run */

static int write_plan(const struct scenario *sc, const struct topology *t,
		      const struct run_opts *o, const char *path, char *err, size_t errlen)
{
	struct plan_opts po = PLAN_OPTS_DEFAULT;
	FILE *f = fopen(path, "we");
	int ret;

	if (!f)
		return err__set(-errno, err, errlen, "cannot create %s: %s", path, strerror(errno));
	po.duration_ns = o->duration_ns;
	po.workers = o->workers;
	po.work_type_override = o->work_type;
	/* No scheduler: the host's own runs everything (run_host__skip_reason). */
	ret = plan__write(sc, t, &po, f, err, errlen);
	if (fclose(f) && !ret)
		ret = err__set(-EIO, err, errlen, "cannot write %s", path);
	return ret;
}

struct agent_proc {
	pid_t pid;
	int fd;				/* the pipe's read end */
	uint64_t timeout_ms;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* In the child: into DIR/agent, die with ktstr, the pipe as fd 3, exec the agent. */
static __attribute__((noreturn)) void agent_exec(const struct run_host *h, const char *cg,
						 const char *plan, int wfd, pid_t parent, bool verbose)
{
	char procs[PATH_MAX + 32], fdarg[16];
	const char *argv[] = { "ktstr-agent", "--host", "--plan", plan, "--cgroup", cg,
			       "--results-fd", fdarg, NULL };
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	snprintf(procs, sizeof(procs), "%s/agent/cgroup.procs", cg);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1) {
		fprintf(stderr, "ktstr: cannot move the agent into %s: %s\n", procs,
			strerror(errno));
		_exit(127);
	}
	close(fd);
	if (dup2(wfd, HOST_RESULTS_FD) < 0)
		_exit(127);
	/* What it logs comes as LOG frames too (printed with -v): no double lines. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		dup2(fd, 0);
	if (fd >= 0 && !verbose)
		dup2(fd, 2);
	snprintf(fdarg, sizeof(fdarg), "%d", HOST_RESULTS_FD);
	execv(h->agent, (char *const *)argv);
	fprintf(stderr, "ktstr: cannot run %s: %s\n", h->agent, strerror(errno));
	_exit(127);
}

/* Read the frames until the pipe ends; stop the agent on a signal or the timeout. */
static int agent_pump(void *arg, void (*feed)(void *fa, const void *data, size_t len), void *fa,
		      struct vm_result *vm)
{
	struct agent_proc *a = arg;
	uint64_t t0 = mono_ms(), term_at = 0, reaped_at = 0;
	bool timed_out = false, eof = false, reaped = false;
	int status = 0;

	while (!eof) {
		struct pollfd p = { .fd = a->fd, .events = POLLIN };
		uint64_t now = mono_ms();
		char buf[65536];
		ssize_t n;

		if (!reaped && waitpid(a->pid, &status, WNOHANG) == a->pid) {
			reaped = true;
			reaped_at = now;
		}
		/* A worker the agent left may hold the pipe: the cgroup's kill ends it. */
		if (reaped && now - reaped_at > 1000)
			break;
		if (!reaped && !term_at && (vm__signal_caught() || now - t0 > a->timeout_ms)) {
			timed_out = !vm__signal_caught();
			kill(a->pid, timed_out ? SIGKILL : SIGTERM);
			term_at = now;
		} else if (!reaped && term_at && now - term_at > HOST_STOP_GRACE_MS) {
			kill(a->pid, SIGKILL);
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(a->fd, buf, sizeof(buf));
		if (n > 0)
			feed(fa, buf, (size_t)n);
		else if (n == 0 || (errno != EINTR && errno != EAGAIN))
			eof = true;
	}
	if (!reaped) {
		if (term_at)
			kill(a->pid, SIGKILL);
		while (waitpid(a->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	a->pid = -1;
	vm->wall_ms = mono_ms() - t0;
	if (timed_out) {
		vm->exit = VM_EXIT_TIMEOUT;
		snprintf(vm->reason, sizeof(vm->reason), "agent killed");
	} else if (term_at) {
		vm->exit = VM_EXIT_INTERRUPTED;
		vm->status = vm__signal_caught();
		snprintf(vm->reason, sizeof(vm->reason), "agent stopped");
	} else if (WIFSIGNALED(status)) {
		vm->exit = VM_EXIT_BACKEND_SIGNAL;
		vm->status = WTERMSIG(status);
		snprintf(vm->reason, sizeof(vm->reason), "agent: signal %d", WTERMSIG(status));
	} else {
		/* The agent's own exit code comes in its EXIT frame. */
		vm->exit = VM_EXIT_POWEROFF;
		vm->status = WEXITSTATUS(status);
		snprintf(vm->reason, sizeof(vm->reason), "agent exited");
	}
	return 0;
}

int run_host__variant(const struct run_host *h, const struct scenario *sc,
		      const struct topology *t, const struct run_opts *o, struct run_result *res,
		      char *err, size_t errlen)
{
	struct tmpdir td = { .lock_fd = -1 };
	struct host_cg g = { .lock_fd = -1 };
	struct agent_proc a = { .pid = -1, .fd = -1 };
	struct run_agent_src src = { .pump = agent_pump, .arg = &a, .backend = h->backend };
	uint64_t duration_ns = o->duration_ns ? o->duration_ns : sc->duration_ns;
	char plan[sizeof(td.path) + 16], agent_cg[PATH_MAX + 16];
	int pfd[2] = { -1, -1 }, ret, rm;

	memset(res, 0, sizeof(*res));
	/* "run": a kill -9 leaves it to cli__clean_leftovers(), as a VM run's. */
	ret = tmpdir__create(&td, "run", 0, err, errlen);
	if (ret)
		return ret;
	snprintf(plan, sizeof(plan), "%s/plan", td.path);
	ret = write_plan(sc, t, o, plan, err, errlen);
	if (!ret)
		ret = host_cg__create(&g, h->root, err, errlen);
	if (ret)
		goto out;
	snprintf(agent_cg, sizeof(agent_cg), "%s/agent", g.path);
	if (mkdir(agent_cg, 0755) || pipe2(pfd, O_CLOEXEC)) {
		ret = err__set(-errno, err, errlen, "cannot create %s or a pipe: %s", agent_cg,
			       strerror(errno));
		goto out;
	}
	a.timeout_ms = o->timeout_s ? o->timeout_s * 1000ull :
		60000ull + duration_ns / 1000000;
	pid_t parent = getpid();

	a.pid = fork();
	if (a.pid < 0) {
		ret = err__set(-errno, err, errlen, "cannot fork: %s", strerror(errno));
		goto out;
	}
	if (a.pid == 0)
		agent_exec(h, g.path, plan, pfd[1], parent, o->verbose);
	close(pfd[1]);
	pfd[1] = -1;
	a.fd = pfd[0];
	ret = run__agent_frames(sc, t, o, &src, res, err, errlen);
	if (!ret) {
		snprintf(res->topo_diag, sizeof(res->topo_diag), "topology: host mode, on this "
			 "machine's own CPUs (%u); the plan was made for %u", h->cap.cpus,
			 topology__total_cpus(t));
		snprintf(res->kernel_progress, sizeof(res->kernel_progress), "no VM: host mode");
	}
out:
	if (a.pid > 0) {		/* never started reading: an error above */
		kill(a.pid, SIGKILL);
		waitpid(a.pid, NULL, 0);
	}
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	/* Whatever the agent left: workers, their children. */
	rm = host_cg__remove(&g);
	if (rm)
		fprintf(stderr, "ktstr: cannot remove the cgroup %s: %s (the next --host run "
			"removes it)\n", g.path, strerror(-rm));
	tmpdir__remove(&td);
	return ret;
}
