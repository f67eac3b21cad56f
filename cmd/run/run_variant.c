// SPDX-License-Identifier: GPL-2.0
/* One scenario variant, end to end: plan -> initramfs -> VM -> frames -> verdict. */
#include "run_variant.h"
#include "boot_progress.h"
#include "run_allowed.h"
#include "run_bins.h"
#include "run_host.h"
#include "run_modules.h"
#include "run_monitor.h"
#include "run_shell.h"
#include "run_topo.h"
#include "sched_host.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/tmpdir.h"
#include "initramfs.h"
#include "com2_lines.h"
#include "initrd_base.h"
#include "scenario/karg_expand.h"
#include "scenario/plan_write.h"
#include "wire/proto_reader.h"
#include "base/units.h"

/* Everything the frame callback collects. */
struct collect {
	struct proto_reader rd;
	struct worker_result *workers;
	size_t nworkers, cap;
	char *errors[16];		/* the agent's ERROR texts */
	size_t nerrors;
	enum run_stage stage;
	int agent_exit;
	uint64_t t_start, t_hello, t_scen_start, t_scen_end, t_exit;
	bool verbose;
	bool oom;
	/* COM2 fallback lines, for a guest whose virtio console never came up. */
	struct com2_lines com2;
	/* The timeline (STEP, SCENARIO_END) and, for --results-dir, the whole console. */
	struct run_step *steps;
	size_t nsteps, steps_cap;
	bool ended;
	struct ktstr_msg_scenario_end end;
	bool keep_console;
	char *console;
	size_t console_len, console_cap;
	uint64_t console_dropped;
	struct sched_host sched;	/* the scheduler's output and SCHED_EXIT */
	struct boot_progress boot;	/* how far the kernel got, from the console */
	struct run_topo topo;		/* the guest's TOPOLOGY frame */
	/* Host CPU of the VM's threads at SCENARIO_START and _END (vm__host_cpu). */
	struct vm *vm;
	struct vm_host_cpu host0, host1;
	bool host0_ok, host1_ok;
	struct run_monitor *mon;	/* the host-side monitor, or NULL (run_monitor.h) */
	struct run_bpf bpf;		/* the last BPF_PROGS frame (run_bpf.h) */
	struct run_shell *shell;	/* ktstr shell, or NULL (run_shell.h) */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * What the VM's threads got from the host while the scenario ran: the second
 * sample minus the first (clamped: a thread that exits takes its time along).
 */
static void host_cpu(struct run_result *res, const struct collect *c, const struct topology *t)
{
	struct run_host_cpu *h = &res->host_cpu;

	if (!c->host0_ok || !c->host1_ok || c->t_scen_end <= c->t_scen_start)
		return;
	h->valid = true;
	h->window_ms = c->t_scen_end - c->t_scen_start;
	h->run_ns = c->host1.run_ns > c->host0.run_ns ? c->host1.run_ns - c->host0.run_ns : 0;
	h->wait_ns = c->host1.wait_ns > c->host0.wait_ns ? c->host1.wait_ns - c->host0.wait_ns : 0;
	h->threads = c->host1.threads;
	h->vcpus = topology__total_cpus(t);
}

static char *frame_text(const struct proto_frame *f)
{
	char *s = malloc(f->length + 1);

	if (!s)
		return NULL;
	memcpy(s, f->payload, f->length);
	s[f->length] = '\0';
	for (char *p = s; *p; p++)	/* untrusted: keep reports printable */
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
			*p = '?';
	return s;
}

static int add_worker(struct collect *c, const struct proto_frame *f)
{
	struct worker_result *w;
	const uint8_t *lat, *mig;
	size_t nlat_bytes, nmig_bytes;
	void *lat_copy = NULL, *mig_copy = NULL;

	if (c->nworkers == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		w = realloc(c->workers, cap * sizeof(*w));
		if (!w)
			return -ENOMEM;
		c->workers = w;
		c->cap = cap;
	}
	w = &c->workers[c->nworkers];
	memset(w, 0, sizeof(*w));
	proto__worker_report(f, &w->r, &lat, &mig);
	w->r.cgroup[KTSTR_NAME_MAX - 1] = '\0';
	/* The reader checked the sizes; copy the arrays out so they are aligned. */
	nlat_bytes = (size_t)w->r.nlatencies * sizeof(uint64_t);
	nmig_bytes = (size_t)w->r.nmigrations * sizeof(struct ktstr_migration);
	if (nlat_bytes && !(lat_copy = malloc(nlat_bytes)))
		return -ENOMEM;
	if (nmig_bytes && !(mig_copy = malloc(nmig_bytes))) {
		free(lat_copy);
		return -ENOMEM;
	}
	if (nlat_bytes)
		memcpy(lat_copy, lat, nlat_bytes);
	if (nmig_bytes)
		memcpy(mig_copy, mig, nmig_bytes);
	w->latencies = lat_copy;
	w->migrations = mig_copy;
	c->nworkers++;
	return 0;
}

/* A STEP frame (the reader checked its size) for the timeline. */
static void timeline_step(struct collect *c, const struct proto_frame *f)
{
	struct ktstr_msg_step m;

	if (c->nsteps == RUN_STEPS_MAX)
		return;
	if (c->nsteps == c->steps_cap) {
		size_t cap = c->steps_cap ? c->steps_cap * 2 : 16;
		struct run_step *p = realloc(c->steps, cap * sizeof(*p));

		if (!p) {
			c->oom = true;
			return;
		}
		c->steps = p;
		c->steps_cap = cap;
	}
	memcpy(&m, f->payload, sizeof(m));
	c->steps[c->nsteps++] = (struct run_step){ .index = m.index, .elapsed_ms = m.elapsed_ms,
		.nops = m.nops, .ncgroups = m.ncgroups, .nworkers = m.nworkers, .status = m.status };
}

/* The whole console for --results-dir, up to RUN_CONSOLE_LOG_MAX bytes. */
static void console_keep(struct collect *c, const void *data, size_t len)
{
	size_t room = RUN_CONSOLE_LOG_MAX - c->console_len, n = len < room ? len : room;

	if (n && c->console_len + n > c->console_cap) {
		size_t cap = c->console_cap ? c->console_cap : 64u << 10;
		char *p;

		while (cap < c->console_len + n)
			cap *= 2;
		if (cap > RUN_CONSOLE_LOG_MAX)
			cap = RUN_CONSOLE_LOG_MAX;
		p = realloc(c->console, cap);
		if (!p) {
			c->console_dropped += len;
			return;
		}
		c->console = p;
		c->console_cap = cap;
	}
	if (n)
		memcpy(c->console + c->console_len, data, n);
	c->console_len += n;
	c->console_dropped += len - n;
}

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct collect *c = arg;
	char *text;

	sched_host__frame(&c->sched, f);
	switch (f->type) {
	case KTSTR_MSG_HELLO:
		c->t_hello = now_ms();
		if (c->stage < STAGE_AGENT_STARTED)
			c->stage = STAGE_AGENT_STARTED;
		break;
	case KTSTR_MSG_SCENARIO_START:
		c->t_scen_start = now_ms();
		c->host0_ok = c->vm && !vm__host_cpu(c->vm, &c->host0);
		if (c->vm)
			run_monitor__start(c->mon, c->vm);
		if (c->stage < STAGE_SCENARIO_STARTED)
			c->stage = STAGE_SCENARIO_STARTED;
		break;
	case KTSTR_MSG_STEP:
		timeline_step(c, f);
		break;
	case KTSTR_MSG_SCENARIO_END:
		memcpy(&c->end, f->payload, sizeof(c->end));
		c->ended = true;
		c->t_scen_end = now_ms();
		c->host1_ok = c->vm && !vm__host_cpu(c->vm, &c->host1);
		run_monitor__stop(c->mon);
		if (c->stage < STAGE_SCENARIO_ENDED)
			c->stage = STAGE_SCENARIO_ENDED;
		break;
	case KTSTR_MSG_EXIT: {
		struct ktstr_msg_exit ex;

		memcpy(&ex, f->payload, sizeof(ex));
		c->agent_exit = ex.code;
		c->t_exit = now_ms();
		c->stage = STAGE_EXITED;
		break;
	}
	case KTSTR_MSG_WORKER_REPORT:
		if (add_worker(c, f))
			c->oom = true;
		break;
	case KTSTR_MSG_ERROR:
		text = frame_text(f);
		if (text && c->nerrors < sizeof(c->errors) / sizeof(c->errors[0]))
			c->errors[c->nerrors++] = text;
		else
			free(text);
		break;
	case KTSTR_MSG_TOPOLOGY:
		run_topo__frame(&c->topo, f, c->verbose);
		break;
	case KTSTR_MSG_BPF_PROGS:
		if (run_bpf__parse(&c->bpf, f->payload, f->length) == -ENOMEM)
			c->oom = true;
		break;
	case KTSTR_MSG_LOG:
		if (c->verbose && (text = frame_text(f))) {
			fprintf(stderr, "  agent: %s\n", text);
			free(text);
		}
		break;
	default:
		break;
	}
	return 0;
}

static void on_data(void *arg, enum vm_chan chan, const void *data, size_t len)
{
	struct collect *c = arg;

	if (chan == VM_CHAN_COM2)
		com2_lines__feed(&c->com2, data, len);
	if (chan == VM_CHAN_CONSOLE)
		boot_progress__feed(&c->boot, data, len);
	if (chan == VM_CHAN_CONSOLE && c->keep_console)
		console_keep(c, data, len);
	if (chan == VM_CHAN_SCHED)
		sched_host__data(&c->sched, data, len);

	if (chan == VM_CHAN_RESULTS && proto_reader__feed(&c->rd, data, len, on_frame, c) == -ENOMEM)
		c->oom = true;
	run_shell__data(c->shell, c->vm, chan, data, len);
}

static void on_soft_timeout(void *arg, struct vm *vm)
{
	struct collect *c = arg;

	sched_host__soft_timeout(&c->sched, vm);
}

/*
 * The run's phases from the frames' arrival: boot from @t_boot (the VM's
 * start, the agent's for host mode) to HELLO, the scenario, the teardown.
 */
static void durations(struct run_result *res, const struct collect *c, uint64_t t0,
		      uint64_t t_boot)
{
	res->ms_total = now_ms() - t0;
	if (c->t_hello)
		res->ms_boot = c->t_hello - t_boot;
	if (c->t_scen_start && c->t_scen_end)
		res->ms_scenario = c->t_scen_end - c->t_scen_start;
	if (c->t_scen_end)
		res->ms_teardown = t0 + res->ms_total - c->t_scen_end;
}

/* ---- the verdict */

static void merged_checks(const struct scenario *sc, enum threshold_profile p, struct checks *c)
{
	checks__resolve(p, sc->sched ? &sc->sched->checks : NULL, &sc->checks, c);
}

/* The "Kernel panic - not syncing: ..." line, if the console has one. */
static void panic_line(const char *console, char *buf, size_t len)
{
	const char *p = strstr(console, "Kernel panic");
	size_t n;

	buf[0] = '\0';
	if (!p)
		return;
	n = strcspn(p, "\n");
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), p);
}

static void harness_reasons(struct run_result *res, struct collect *c, bool stream_truncated)
{
	struct verdict *v = &res->verdict;
	char line[256];
	size_t before = v->nreasons + v->dropped_reasons;

	for (size_t i = 0; i < c->nerrors; i++)
		verdict__fail(v, "guest: %s", c->errors[i]);
	switch (res->vm.exit) {
	case VM_EXIT_TIMEOUT:
		verdict__fail(v, "timed out after %.1fs (%s)", res->vm.wall_ms / 1000.0,
			      run_stage__str(c->stage));
		break;
	case VM_EXIT_CRASH:
		panic_line(res->console_tail, line, sizeof(line));
		verdict__fail(v, "guest crashed: %s", line[0] ? line : "kernel panic");
		break;
	case VM_EXIT_RESET:
		if (c->stage != STAGE_EXITED && !c->com2.exited)
			verdict__fail(v, "guest reset before the agent finished (%s)",
				      run_stage__str(c->stage));
		break;
	case VM_EXIT_BACKEND_ERROR:
	case VM_EXIT_BACKEND_SIGNAL:
	case VM_EXIT_KILLED:
	case VM_EXIT_INTERRUPTED:
		verdict__fail(v, "VM %s (%s)", vm_exit__str(res->vm.exit), res->vm.reason);
		break;
	default:
		break;
	}
	if (stream_truncated)
		verdict__fail(v, "results stream: %s", c->rd.truncation);
	if (c->rd.st.skipped_bytes || c->rd.st.bad_crc || c->rd.st.bad_payload)
		verdict__fail(v, "results stream: %llu bytes skipped, %llu bad checksums (%s)",
			      (unsigned long long)c->rd.st.skipped_bytes,
			      (unsigned long long)c->rd.st.bad_crc, c->rd.first_error);
	if (c->oom)
		verdict__fail(v, "out of memory collecting worker reports");
	if (c->stage == STAGE_NOT_BOOTED && c->com2.started)
		verdict__fail(v, "no frames on the results port; COM2 says the agent %s",
			      c->com2.exited ? "exited" : "started");
	if (c->stage == STAGE_NOT_BOOTED && c->com2.exited)
		verdict__fail(v, "guest agent exited with code %d (from COM2)", c->com2.exit);
	if (v->nreasons + v->dropped_reasons == before && c->stage != STAGE_EXITED)
		verdict__fail(v, "no result received from the guest (%s)", run_stage__str(c->stage));
	else if (v->nreasons + v->dropped_reasons == before && c->agent_exit != 0 &&
		 !c->sched.exited)	/* a scheduler's end has its own reason */
		verdict__fail(v, "guest agent exited with code %d", c->agent_exit);
	res->harness_failure = v->nreasons + v->dropped_reasons > before;
}

/*
 * What came, into @res and judged: the timeline and logs moved out of @c, the
 * checks, the harness's own reasons, the expectations and (@topo_check) the
 * guest's topology. Shared by a VM run and a host-mode one (run__agent_frames).
 */
static int collect__judge(const struct scenario *sc, const struct topology *t,
			  const struct checks *checks, struct collect *c, bool truncated,
			  bool topo_check, struct run_result *res, char *err, size_t errlen)
{
	struct run_allowed allowed = { 0 };
	int ret;

	res->stage = c->stage;
	res->agent_exit = c->agent_exit;
	res->steps = c->steps;
	res->nsteps = c->nsteps;
	c->steps = NULL;
	res->scenario_ended = c->ended;
	res->end_elapsed_ms = c->end.elapsed_ms;
	res->end_status = c->end.status;
	memcpy(res->restarts, c->sched.restarts, sizeof(res->restarts));
	res->nrestarts = c->sched.nrestarts;
	res->console_log = c->console;
	res->console_log_len = c->console_len;
	res->console_log_dropped = c->console_dropped;
	c->console = NULL;
	res->bpf = c->bpf;
	memset(&c->bpf, 0, sizeof(c->bpf));

	run_allowed__build(sc, t, &allowed);
	ret = verdict__evaluate(&(struct verdict_input){
		.checks = checks, .workers = c->workers, .nworkers = c->nworkers,
		.allowed = allowed.items, .nallowed = allowed.n,
		.topo = t,	/* CPU -> NUMA node: a cgroup's pages belong on its CPUs' nodes */
	}, &res->verdict);
	if (ret) {
		snprintf(err, errlen, "out of memory evaluating the checks");
		goto out;
	}
	sched_host__reasons(&c->sched, &res->verdict);
	harness_reasons(res, c, truncated);
	/* Check failures like the workers', so that expect: fail covers them. */
	if (run_monitor__judge(c->mon, checks, &res->monitor, &res->verdict)) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory judging the monitor's samples");
		goto out;
	}
	if (sc->expect_reason)
		sched_host__expect_reason(&res->verdict, sc->expect_reason);
	else if (sc->expect_fail)
		verdict__expect_fail(&res->verdict);	/* passes only on check failures */
	/* After the expectations: no expected failure excuses a wrong topology. */
	if (topo_check)
		run_topo__check(&c->topo, t, res);
	ret = 0;
out:
	run_allowed__free(&allowed);
	return ret;
}

/* Free what @c holds; the scheduler's log and exit text go to @res. */
static void collect__free(struct collect *c, struct run_result *res)
{
	for (size_t i = 0; i < c->nworkers; i++) {
		free((void *)c->workers[i].latencies);
		free((void *)c->workers[i].migrations);
	}
	free(c->workers);
	free(c->steps);
	free(c->console);
	sched_host__finish(&c->sched, &res->sched_log, &res->sched_log_len, &res->sched_exit);
	run_topo__free(&c->topo);
	run_bpf__free(&c->bpf);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	proto_reader__free(&c->rd);
}

/* ---- the run */

static int write_plan(const struct scenario *sc, const struct topology *t,
		      const struct run_opts *o, const struct sched_host_setup *ss,
		      const struct checks *checks, char **buf, size_t *len, char *err,
		      size_t errlen)
{
	struct plan_opts po = PLAN_OPTS_DEFAULT;
	FILE *f = open_memstream(buf, len);
	int ret;

	if (!f)
		return -errno;
	po.duration_ns = o->duration_ns;
	po.workers = o->workers;
	po.work_type_override = o->work_type;
	if (ss->active) {
		po.sched_path = ss->guest;
		po.sched_args = (const char *const *)ss->args;
		po.nsched_args = ss->nargs;
		/* The gap watchdog fires only where the max_gap check fails anyway. */
		if (checks->t[CHECK_MAX_GAP].state == TH_SET)
			po.sched_gap_kill_ns = (uint64_t)(checks->t[CHECK_MAX_GAP].value * 1e6);
		po.bpf_progs = o->bpf_progs;
	}
	run_shell__plan(o->shell, &po);
	ret = plan__write(sc, t, &po, f, err, errlen);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

/*
 * sysctl.K=V and the scheduler's kernel_args with their {EXPR} evaluated on
 * @t, NULL-terminated (malloc'd strings; NULL with @err when one does not
 * evaluate, or "" in @err on OOM); plus ktstr.selftest=X from $KTSTR_GUEST_SELFTEST, a fault the
 * agent injects for ktstr's own tests, or for "no-init" one the kernel does:
 * an rdinit= after ktstr's own that names no program (scenarios may not).
 */
static char **cmdline_words(const struct sched_def *d, const struct topology *t, char *err,
			    size_t errlen)
{
	const char *selftest = getenv("KTSTR_GUEST_SELFTEST");
	size_t n = d ? d->nsysctls + d->nkernel_args : 0;
	char **w = calloc(n + 4, sizeof(*w));
	size_t k = 0;

	if (!w)
		return NULL;
	if (selftest && *selftest && asprintf(&w[k], "ktstr.selftest=%s", selftest) >= 0)
		k++;
	if (selftest && !strcmp(selftest, "no-init") &&
	    (w[k] = strdup("rdinit=/nonexistent")) && (w[k + 1] = strdup("root=/dev/nonexistent")))
		k += 2;
	for (size_t i = 0; d && i < d->nsysctls; i++)
		if (asprintf(&w[k], "sysctl.%s=%s", d->sysctls[i].key, d->sysctls[i].value) >= 0)
			k++;
	for (size_t i = 0; d && i < d->nkernel_args; i++) {
		char arg[512];

		/* {EXPR} follows the topology: nohz_full=1-{cpus-1} (karg_expand.h). */
		if (karg__expand(d->kernel_args[i], t, arg, sizeof(arg), err, errlen)) {
			char why[256];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "scheduler %s: kernel argument '%s': %s", d->name,
				 d->kernel_args[i], why);
			for (size_t j = 0; j < k; j++)
				free(w[j]);
			free(w);
			return NULL;
		}
		if ((w[k] = strdup(arg)))
			k++;
	}
	return w;
}

/* The overlay: the plan, then a modular kernel's modules (if any). */
static int overlay_files(const struct initramfs_file *plan, const struct kmods *km,
			 struct initramfs_file **out)
{
	*out = calloc(1 + km->nfiles, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)[0] = *plan;
	if (km->nfiles)
		memcpy(*out + 1, km->files, km->nfiles * sizeof(**out));
	return 0;
}

static void free_words(char **w)
{
	for (size_t i = 0; w && w[i]; i++)
		free(w[i]);
	free(w);
}

int run__variant(const struct scenario *sc, const struct topology *t, const struct run_opts *o,
		 struct run_result *res, char *err, size_t errlen)
{
	char initrd[PATH_MAX + 32] = "", base[PATH_MAX + 64] = "";
	struct tmpdir td = { .lock_fd = -1 };
	const char *tmpl = td.path;
	struct collect c = { .verbose = o->verbose, .keep_console = o->results_dir != NULL };
	struct run_bins bins = { 0 };
	struct sched_host_setup ss = { 0 };
	struct initramfs_file plan_file = { .guest_path = INITRAMFS_PLAN_PATH, .mode = 0644 };
	struct initramfs_file *files = NULL;
	struct kmods kmods = { 0 };
	char loader[PATH_MAX];
	struct vm_opts vo = { 0 };
	struct checks checks;
	struct vm *vm = NULL;
	char *plan = NULL;
	size_t plan_len = 0;
	char **words = NULL;
	bool truncated;
	uint64_t t0 = now_ms(), t1;
	uint64_t duration_ns = o->duration_ns ? o->duration_ns : sc->duration_ns;
	int ret;

	memset(res, 0, sizeof(*res));
	snprintf(res->checks_profile, sizeof(res->checks_profile), "%s",
		 threshold_profile__name(o->thresholds));
	run_opts__describe_vm(o, res->backend, sizeof(res->backend));
	proto_reader__init(&c.rd);
	c.t_start = t0;
	c.shell = o->shell;

	sched_host__init(&c.sched);
	ret = sched_host__setup(sc, o->profile, &ss, err, errlen);
	if (ret)
		goto out;
	merged_checks(sc, o->thresholds, &checks);
	ret = run_monitor__prepare(sc, &checks, o->vmlinux, t, &c.mon, &res->monitor);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = write_plan(sc, t, o, &ss, &checks, &plan, &plan_len, err, errlen);
	if (ret)
		goto out;
	/* Locked as ours: a kill -9 leaves it for the next run to remove (tmpdir.h). */
	ret = tmpdir__create(&td, "run", 0, err, errlen);
	if (ret)
		goto out;
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", tmpl);
	run_bins__collect(sc, &bins);
	if (ss.active && run_bins__add_as(&bins, ss.host, ss.guest)) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = run_shell__bins(o->shell, &bins, err, errlen);	/* busybox, --include */
	if (ret)
		goto out;
	if (bins.missing[0]) {
		ret = -ENOENT;
		snprintf(err, errlen, "program '%s' (an exec work or run op) was not found on this "
			 "host's PATH; ktstr packs programs from the host into the guest", bins.missing);
		goto out;
	}
	plan_file.data = plan;
	plan_file.len = plan_len;
	/* A modular kernel: its virtio modules, loaded by ktstr-modload before the ports. */
	ret = run_modules__prepare(o, &kmods, loader, sizeof(loader), err, errlen);
	if (ret == 1)
		ret = run_bins__add_as(&bins, loader, KMODS_LOADER_GUEST);
	if (!ret)
		ret = overlay_files(&plan_file, &kmods, &files);
	if (!ret)
		ret = initrd_base__get(o->agent, bins.items, bins.n, tmpl, base, sizeof(base), err,
				       errlen);
	if (!ret)
		ret = initrd__assemble(base, files, 1 + kmods.nfiles, initrd, err, errlen);
	if (!ret)
		ret = run_shell__append(o->shell, initrd, err, errlen);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		goto out;
	t1 = now_ms();
	res->ms_initramfs = t1 - t0;

	err[0] = '\0';
	words = cmdline_words(sc->sched, t, err, errlen);
	if (!words) {
		ret = err[0] ? -EINVAL : -ENOMEM;
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		goto out;
	}
	vo.backend = o->backend;
	vo.accel = o->accel;
	vo.tcg_threads = run_opts__tcg_threads(o);	/* multi when no static keys flip */
	vo.topo = *t;
	vo.memory_mb = sc->memory_mb ? sc->memory_mb : SCENARIO_DEFAULT_MEMORY_MB;
	vo.kernel = o->backend == VM_BACKEND_QEMU && o->kernel_elf ? o->kernel_elf : o->kernel;
	vo.initramfs = initrd;
	vo.cmdline_extra = (const char *const *)words;
	vo.verbose = o->verbose;
	boot_progress__init(&c.boot, !o->verbose);	/* vm_cmdline.c: loglevel=1 unless verbose */
	vo.timeout_ms = run_opts__timeout_s(o, t, duration_ns) * 1000u;
	if (o->shell)		/* as long as its user wants: --timeout only */
		vo.timeout_ms = o->timeout_s * 1000u;
	vo.on_data = on_data;
	if (ss.active)		/* the sched_ext dump before the hard kill */
		vo.on_soft_timeout = on_soft_timeout;
	vo.arg = &c;
	vo.share_ram = c.mon != NULL;	/* the monitor reads the guest's RAM */
	ret = vm__start(&vo, &vm, err, errlen);
	if (ret)
		goto out;
	c.vm = vm;	/* on_frame samples the host CPU it uses */
	ret = vm__wait(vm, &res->vm);
	if (ret) {
		snprintf(err, errlen, "the VM's event loop failed: %s", strerror(-ret));
		goto out;
	}
	truncated = proto_reader__finish(&c.rd, on_frame, &c) == -EPROTO;
	run_monitor__stop(c.mon);	/* a scenario that never ended */
	vm__tail(vm, VM_CHAN_CONSOLE, vm__console_lines(vm, 40), res->console_tail, sizeof(res->console_tail));
	boot_progress__format(&c.boot, res->kernel_progress, sizeof(res->kernel_progress));

	durations(res, &c, t0, t1);
	host_cpu(res, &c, t);

	ret = collect__judge(sc, t, &checks, &c, truncated, true, res, err, errlen);
out:
	run_monitor__free(c.mon);	/* its thread reads the VM's RAM: before vm__free() */
	run_shell__end(o->shell);	/* its terminal lets go of the VM */
	if (vm)
		vm__free(vm);
	tmpdir__remove(&td);	/* the initramfs, and a base built per run (no cache) */
	free(plan);
	free_words(words);
	run_bins__free(&bins);
	kmods__free(&kmods);
	free(files);
	collect__free(&c, res);
	sched_host__setup_free(&ss);
	return ret;
}

/*
 * Host mode (run_host.c): the same collection and verdict for an agent on
 * this machine, whose stream src->pump feeds. No VM, no monitor, no
 * topology to compare (the agent reports none there).
 */
static void agent_frames__feed(void *arg, const void *data, size_t len)
{
	struct collect *c = arg;

	if (proto_reader__feed(&c->rd, data, len, on_frame, c) == -ENOMEM)
		c->oom = true;
}

int run__agent_frames(const struct scenario *sc, const struct topology *t,
		      const struct run_opts *o, const struct run_agent_src *src,
		      struct run_result *res, char *err, size_t errlen)
{
	struct collect c = { .verbose = o->verbose, .keep_console = o->results_dir != NULL };
	struct checks checks;
	uint64_t t0 = now_ms();
	bool truncated;
	int ret;

	memset(res, 0, sizeof(*res));
	snprintf(res->checks_profile, sizeof(res->checks_profile), "%s",
		 threshold_profile__name(o->thresholds));
	snprintf(res->backend, sizeof(res->backend), "%s", src->backend);
	proto_reader__init(&c.rd);
	sched_host__init(&c.sched);
	c.t_start = t0;
	merged_checks(sc, o->thresholds, &checks);
	ret = src->pump(src->arg, agent_frames__feed, &c, &res->vm);
	if (!ret) {
		truncated = proto_reader__finish(&c.rd, on_frame, &c) == -EPROTO;
		durations(res, &c, t0, t0);
		ret = collect__judge(sc, t, &checks, &c, truncated, false, res, err, errlen);
	} else {
		snprintf(err, errlen, "reading the agent's results failed: %s", strerror(-ret));
	}
	collect__free(&c, res);
	return ret;
}

int run__find_agent(char *buf, size_t len, char *err, size_t errlen)
{
	const char *env = getenv("KTSTR_AGENT");
	char exe[PATH_MAX], *slash;
	ssize_t n;
	const char *rel[] = { "/../initramfs/ktstr-agent", "/../libexec/ktstr/ktstr-agent",
			      "/ktstr-agent" };

	if (env && *env) {
		if (access(env, X_OK)) {
			snprintf(err, errlen, "KTSTR_AGENT=%s: %s", env, strerror(errno));
			return -ENOENT;
		}
		snprintf(buf, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(buf, len, "%s%s", exe, rel[i]);
			if (!access(buf, X_OK))
				return 0;
		}
	}
	snprintf(err, errlen, "the guest agent ktstr-agent was not found next to %s; set "
		 "KTSTR_AGENT=/path/to/ktstr-agent or reinstall ktstr", n > 0 ? exe : "ktstr");
	return -ENOENT;
}
