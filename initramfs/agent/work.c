// SPDX-License-Identifier: GPL-2.0
/*
 * Work groups, the parent side (lifecycle: work.h): fork blocked workers, place
 * them in the cgroup, release them, and at the end stop them, collect their
 * reports against one deadline, kill the late ones and reap everything.
 */
#include "work_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPORT_MAX (sizeof(struct ktstr_msg_worker_report) + \
		    KTSTR_REPORT_MAX_LATENCIES * sizeof(uint64_t) + \
		    KTSTR_REPORT_MAX_MIGRATIONS * sizeof(struct ktstr_migration))

/* The arrays after the report are read in place from a malloc'd buffer. */
_Static_assert(sizeof(struct ktstr_msg_worker_report) % 8 == 0, "report keeps u64 alignment");

enum { W_RUNNING, W_REPORTED, W_DEAD };

struct worker {
	pid_t pid;
	uint32_t slot;			/* its index at spawn: progress counter, rank */
	int report_fd;			/* parent's read end, -1 once closed */
	int state;
	bool timed_out, reaped;
	int status;			/* from waitpid */
	char *buf;
	size_t len;
};

struct work_group {
	enum work_type type;
	uint32_t step, group, gsize;
	char cgroup[KTSTR_NAME_MAX];
	void *shm;			/* progress counters, then one slot per type group */
	size_t shm_len;
	size_t n;
	struct worker w[];
};

/* The child's state: static so that the 38 KiB of arrays are not on a stack. */
static struct wk child_wk;

uint32_t work_spec__group_size(const struct work_spec *s)
{
	switch (s->type) {
	case WORK_PIPE_IO:
	case WORK_FUTEX_PING_PONG:
	case WORK_CACHE_PIPE:
		return 2;
	case WORK_FUTEX_FAN_OUT:
	case WORK_FAN_OUT_COMPUTE:
		return (uint32_t)work__param(s, 0) + 1;
	case WORK_MUTEX_CONTENTION:
		return (uint32_t)work__param(s, 0);
	default:
		return 1;
	}
}

static bool has_pair_pipes(enum work_type t)
{
	return t == WORK_PIPE_IO || t == WORK_CACHE_PIPE;
}

static size_t progress_bytes(size_t n)
{
	return (n * sizeof(uint64_t) + WORK_SHARED_SLOT - 1) / WORK_SHARED_SLOT * WORK_SHARED_SLOT;
}

static int spec_valid(const struct work_spec *s)
{
	uint32_t gs;

	if ((unsigned)s->type >= WORK_TYPE_COUNT || !s->workers)
		return 0;
	gs = work_spec__group_size(s);
	if (!gs || s->workers % gs)
		return 0;
	if (s->type == WORK_EXEC && (!s->argv || !s->argv[0]))
		return 0;
	if (s->type == WORK_SEQUENCE && !s->nphases)
		return 0;
	return 1;
}

/* Write one pid to cgroup.procs: EBUSY retried 3x 100 ms apart, ESRCH is fine. */
static int procs_write(int fd, pid_t pid)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	for (int attempt = 0;; attempt++) {
		if (write(fd, buf, (size_t)len) == len || errno == ESRCH)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EBUSY || attempt >= 3)
			return -errno;
		wk__sleep(100 * NSEC_PER_MSEC);
	}
}

int work_group__move(struct work_group *g, const char *cgroup_procs)
{
	int fd = open(cgroup_procs, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < g->n && !err; i++)
		if (!g->w[i].reaped)
			err = procs_write(fd, g->w[i].pid);
	close(fd);
	return err;
}

int work_group__set_affinity(struct work_group *g, const struct work_affinity *a)
{
	int err = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct work_cpumask m;

		if (g->w[i].reaped)
			continue;
		if (work_affinity__resolve(a, wk__now() ^ ((uint64_t)g->w[i].pid << 20), &m))
			continue;
		if (work_affinity__apply(g->w[i].pid, &m) && errno != ESRCH)
			err = -errno;
	}
	return err;
}

size_t work_group__count(const struct work_group *g)
{
	return g->n;
}

pid_t work_group__pid(const struct work_group *g, size_t i)
{
	return i < g->n ? g->w[i].pid : -1;
}

uint64_t work_group__iterations(const struct work_group *g, size_t i)
{
	if (i >= g->n)
		return 0;
	return __atomic_load_n((uint64_t *)g->shm + g->w[i].slot, __ATOMIC_RELAXED);
}

bool work_group__alive(const struct work_group *g, size_t i)
{
	siginfo_t si = { 0 };

	if (i >= g->n || g->w[i].reaped)
		return false;
	/* WNOWAIT: an exited worker stays a zombie for work_group__stop() to reap. */
	if (waitid(P_PID, (id_t)g->w[i].pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return false;
	return si.si_pid != g->w[i].pid;
}

int work_group__split(struct work_group *g, size_t i, struct work_group **out)
{
	struct work_group *ng;

	*out = NULL;
	if (i >= g->n)
		return -EINVAL;
	ng = calloc(1, sizeof(*ng) + sizeof(ng->w[0]));
	if (!ng)
		return -ENOMEM;
	*ng = *g;
	ng->n = 1;
	/*
	 * A second mapping of the same shared pages (mremap of a shared
	 * mapping with old size 0): each group unmaps its own.
	 */
	ng->shm = mremap(g->shm, 0, g->shm_len, MREMAP_MAYMOVE);
	if (ng->shm == MAP_FAILED) {
		int ret = -errno;

		free(ng);
		return ret;
	}
	ng->w[0] = g->w[i];
	memmove(&g->w[i], &g->w[i + 1], (g->n - i - 1) * sizeof(g->w[0]));
	g->n--;
	*out = ng;
	return 0;
}

static void reap(struct worker *w)
{
	if (w->reaped)
		return;
	/* The whole process group: fork-exit children, exec'd programs. */
	killpg(w->pid, SIGKILL);
	kill(w->pid, SIGKILL);
	while (waitpid(w->pid, &w->status, 0) < 0) {
		if (errno != EINTR) {
			w->status = -errno;
			break;
		}
	}
	w->reaped = true;
}

static void group_free(struct work_group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->w[i].report_fd >= 0)
			close(g->w[i].report_fd);
		free(g->w[i].buf);
	}
	if (g->shm)
		munmap(g->shm, g->shm_len);
	free(g);
}

void work_group__kill(struct work_group *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		if (!g->w[i].reaped) {
			killpg(g->w[i].pid, SIGKILL);
			kill(g->w[i].pid, SIGKILL);
		}
	for (size_t i = 0; i < g->n; i++)
		reap(&g->w[i]);
	group_free(g);
}

static void child_start(struct work_group *g, const struct work_spec *s,
			const struct work_ctx *ctx, size_t i, int start_fd, int report_fd,
			int rfd, int wfd)
{
	struct wk *w = &child_wk;
	int keep[] = { start_fd, report_fd, rfd, wfd };

	work_fd__close_except(keep, 4);
	memset(w, 0, sizeof(*w));
	w->spec = s;
	w->ctx = ctx;
	w->index = (uint32_t)i;
	w->gsize = g->gsize;
	w->rank = (uint32_t)(i % g->gsize);
	w->shared = (char *)g->shm + progress_bytes(s->workers) + (i / g->gsize) * WORK_SHARED_SLOT;
	w->progress = (uint64_t *)g->shm + i;
	w->rfd = rfd;
	w->wfd = wfd;
	memcpy(w->r.cgroup, g->cgroup, sizeof(w->r.cgroup));
	w->r.step = g->step;
	w->r.group = g->group;
	w->r.work_type = (uint16_t)s->type;
	work_worker__main(w, start_fd, report_fd);
}

static void close_pair_pipes(int (*pp)[2], size_t n)
{
	for (size_t i = 0; pp && i < n; i++)
		for (int e = 0; e < 2; e++)
			if (pp[i][e] >= 0)
				close(pp[i][e]);
	free(pp);
}

int work_group__spawn(const struct work_spec *s, const char *cgroup_procs,
		      const struct work_ctx *ctx, struct work_group **out)
{
	static const struct work_ctx no_ctx;
	struct work_group *g;
	int (*pp)[2] = NULL;	/* pipe-io pairs: pp[2k] carries rank 0->1, pp[2k+1] 1->0 */
	int *start_fds;
	size_t n = s->workers, npp = 0;
	sigset_t usr1, old;
	int err = 0;

	*out = NULL;
	if (!spec_valid(s))
		return -EINVAL;
	if (!ctx)
		ctx = &no_ctx;
	g = calloc(1, sizeof(*g) + n * sizeof(g->w[0]));
	start_fds = calloc(n, sizeof(int));
	if (!g || !start_fds) {
		free(g);
		free(start_fds);
		return -ENOMEM;
	}
	g->type = s->type;
	g->step = s->step;
	g->group = s->group;
	g->gsize = work_spec__group_size(s);
	snprintf(g->cgroup, sizeof(g->cgroup), "%s", s->cgroup ? s->cgroup : "");
	g->shm_len = progress_bytes(n) + (n / g->gsize) * WORK_SHARED_SLOT;
	g->shm = mmap(NULL, g->shm_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g->shm == MAP_FAILED) {
		g->shm = NULL;
		err = -errno;
		goto fail;
	}
	if (has_pair_pipes(s->type)) {
		npp = n;
		pp = malloc(npp * sizeof(*pp));
		if (!pp) {
			err = -ENOMEM;
			goto fail;
		}
		for (size_t i = 0; i < npp; i++)
			pp[i][0] = pp[i][1] = -1;
		for (size_t i = 0; i < npp; i++)
			if (pipe2(pp[i], O_CLOEXEC)) {
				err = -errno;
				goto fail;
			}
	}

	/* SIGUSR1 stays blocked in the child until its handler is in place. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	for (size_t i = 0; i < n; i++) {
		int sp[2], rp[2], rfd = -1, wfd = -1;
		pid_t pid;

		g->w[i].report_fd = -1;
		if (pipe2(sp, O_CLOEXEC)) {
			err = -errno;
			break;
		}
		if (pipe2(rp, O_CLOEXEC)) {
			err = -errno;
			close(sp[0]);
			close(sp[1]);
			break;
		}
		if (pp) {
			size_t pair = i / 2 * 2, rank = i % 2;

			/* rank 0 writes pp[pair] and reads pp[pair+1]; rank 1 the reverse. */
			wfd = pp[pair + rank][1];
			rfd = pp[pair + 1 - rank][0];
		}
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			close(sp[1]);
			close(rp[0]);
			child_start(g, s, ctx, i, sp[0], rp[1], rfd, wfd);
		}
		close(sp[0]);
		close(rp[1]);
		if (pid < 0) {
			err = -errno;
			close(sp[1]);
			close(rp[0]);
			break;
		}
		setpgid(pid, pid);	/* also done by the child: no race with killpg */
		work_fault__forked();
		g->w[i].pid = pid;
		g->w[i].slot = (uint32_t)i;
		g->w[i].report_fd = rp[0];
		start_fds[i] = sp[1];
		g->n = i + 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close_pair_pipes(pp, npp);
	pp = NULL;

	if (!err && cgroup_procs)
		err = work_group__move(g, cgroup_procs);
	for (size_t i = 0; i < g->n; i++) {
		/* Release: the byte starts the worker; EOF alone makes it exit. */
		if (!err && write(start_fds[i], "g", 1) != 1)
			err = -errno;
		close(start_fds[i]);
	}
	free(start_fds);
	start_fds = NULL;
	if (err)
		goto fail;
	*out = g;
	return 0;

fail:
	free(start_fds);
	close_pair_pipes(pp, npp);
	work_group__kill(g);
	return err;
}

/* Bytes a complete report has, 0 if not known yet, SIZE_MAX if malformed. */
static size_t report_size(const struct worker *w)
{
	struct ktstr_msg_worker_report r;

	if (w->len < sizeof(r))
		return 0;
	memcpy(&r, w->buf, sizeof(r));
	if (r.nlatencies > KTSTR_REPORT_MAX_LATENCIES || r.nmigrations > KTSTR_REPORT_MAX_MIGRATIONS)
		return SIZE_MAX;
	return sizeof(r) + r.nlatencies * sizeof(uint64_t) +
	       r.nmigrations * sizeof(struct ktstr_migration);
}

static void report_read(struct worker *w)
{
	ssize_t n;

	if (!w->buf && !(w->buf = malloc(REPORT_MAX))) {
		w->state = W_DEAD;
		return;
	}
	n = read(w->report_fd, w->buf + w->len, REPORT_MAX - w->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0)
		w->len += (size_t)n;
	size_t want = report_size(w);

	if (want && want != SIZE_MAX && w->len >= want)
		w->state = W_REPORTED;
	else if (n <= 0 || want == SIZE_MAX || w->len == REPORT_MAX)
		w->state = W_DEAD;	/* EOF or error before a whole report */
	if (w->state != W_RUNNING) {
		close(w->report_fd);
		w->report_fd = -1;
	}
}

static void collect(struct work_group *g, uint64_t deadline)
{
	struct pollfd *pfd = calloc(g->n, sizeof(*pfd));
	size_t *idx = calloc(g->n, sizeof(*idx));

	for (;;) {
		size_t m = 0;
		uint64_t now = wk__now();

		for (size_t i = 0; i < g->n; i++)
			if (g->w[i].state == W_RUNNING && pfd && idx) {
				pfd[m] = (struct pollfd){ .fd = g->w[i].report_fd, .events = POLLIN };
				idx[m++] = i;
			}
		if (!m || now >= deadline || !pfd || !idx)
			break;
		uint64_t left_ms = (deadline - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
		int r = poll(pfd, m, left_ms > 1000 ? 1000 : (int)left_ms);

		for (size_t k = 0; r > 0 && k < m; k++)
			if (pfd[k].revents)
				report_read(&g->w[idx[k]]);
	}
	free(pfd);
	free(idx);
	/* Whoever has not reported now is late: note it before the kill. */
	for (size_t i = 0; i < g->n; i++) {
		struct worker *w = &g->w[i];

		if (w->state != W_RUNNING)
			continue;
		pid_t r = waitpid(w->pid, &w->status, WNOHANG);

		if (r == w->pid)
			w->reaped = true;
		else
			w->timed_out = true;
		w->state = W_DEAD;
	}
}

static void sentinel(const struct work_group *g, size_t i, struct ktstr_msg_worker_report *r)
{
	const struct worker *w = &g->w[i];

	memset(r, 0, sizeof(*r));
	memcpy(r->cgroup, g->cgroup, sizeof(r->cgroup));
	r->step = g->step;
	r->group = g->group;
	r->pid = w->pid;
	r->work_type = (uint16_t)g->type;
	if (g->gsize > 1 && w->slot % g->gsize == 0 &&
	    (g->type == WORK_FUTEX_FAN_OUT || g->type == WORK_FAN_OUT_COMPUTE))
		r->flags |= KTSTR_REPORT_F_MESSENGER;
	if (g->type == WORK_EXEC)
		r->flags |= KTSTR_REPORT_F_EXEC;
	if (w->timed_out) {
		r->exit_kind = KTSTR_WORKER_TIMED_OUT;
		r->exit_value = SIGKILL;
	} else if (w->status < 0) {
		r->exit_kind = KTSTR_WORKER_LOST;
		r->exit_value = -w->status;
	} else if (WIFSIGNALED(w->status)) {
		r->exit_kind = KTSTR_WORKER_SIGNALED;
		r->exit_value = WTERMSIG(w->status);
	} else {
		r->exit_kind = KTSTR_WORKER_EXITED;
		r->exit_value = WEXITSTATUS(w->status);
	}
}

int work_group__stop(struct work_group *g, uint64_t timeout_ns, work_emit_fn emit, void *arg)
{
	int missing = 0;

	if (!g)
		return 0;
	for (size_t i = 0; i < g->n; i++)
		kill(g->w[i].pid, SIGUSR1);
	collect(g, wk__now() + (timeout_ns ? timeout_ns : WORK_STOP_TIMEOUT_NS));
	for (size_t i = 0; i < g->n; i++)
		reap(&g->w[i]);

	for (size_t i = 0; i < g->n; i++) {
		struct worker *w = &g->w[i];
		struct ktstr_msg_worker_report r;
		const uint64_t *lat = NULL;
		const struct ktstr_migration *mig = NULL;

		if (w->state == W_REPORTED) {
			memcpy(&r, w->buf, sizeof(r));
			lat = (const uint64_t *)(w->buf + sizeof(r));
			mig = (const struct ktstr_migration *)(w->buf + sizeof(r) +
							       r.nlatencies * sizeof(uint64_t));
		} else {
			sentinel(g, i, &r);
			missing++;
		}
		if (emit)
			emit(&r, lat, mig, arg);
	}
	group_free(g);
	return missing;
}
