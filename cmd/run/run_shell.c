// SPDX-License-Identifier: GPL-2.0
/* ktstr shell's part of run__variant; see run_shell.h. */
#include "run_shell.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "elf_deps.h"
#include "initramfs.h"
#include "wire/plan_format.h"

#define INCLUDE_DEPTH_MAX 16

const char *run_shell__busybox(void)
{
	const char *env = getenv(RUN_SHELL_BUSYBOX_ENV);

	return env && *env ? env : "busybox";
}

/* ---- --include */

static int add_entry(struct run_shell *s, const char *host, const char *guest,
		     const struct stat *st, char *err, size_t errlen)
{
	struct run_shell_file *v = realloc(s->files, (s->nfiles + 1) * sizeof(*v)), *f;
	char why[256];

	if (!v)
		goto oom;
	s->files = v;
	f = &v[s->nfiles];
	memset(f, 0, sizeof(*f));
	f->mode = st->st_mode & 07777;
	if ((host && !(f->host = strdup(host))) || !(f->guest = strdup(guest))) {
		free(f->host);
		goto oom;
	}
	/* An executable ELF gets its libraries (the base archive's packer); the rest is data. */
	f->elf = host && (st->st_mode & 0111) && !elf_deps__check(host, why, sizeof(why));
	if (host && !f->elf)
		s->include_bytes += (uint64_t)st->st_size;
	s->nfiles++;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

static int walk(struct run_shell *s, const char *host, const char *guest, int depth, char *err,
		size_t errlen)
{
	struct dirent *de;
	struct stat st;
	int ret = 0;
	DIR *d;

	if (stat(host, &st)) {
		ret = -errno;
		snprintf(err, errlen, "--include: %s: %s", host, strerror(errno));
		return ret;
	}
	if (S_ISREG(st.st_mode))
		return add_entry(s, host, guest, &st, err, errlen);
	if (!S_ISDIR(st.st_mode))
		return depth ? 0 : (snprintf(err, errlen, "--include: %s is neither a file nor a "
					     "directory", host), -EINVAL);
	if (depth > INCLUDE_DEPTH_MAX) {
		snprintf(err, errlen, "--include: %s is more than %d levels deep (a symlink loop?)",
			 host, INCLUDE_DEPTH_MAX);
		return -ELOOP;
	}
	ret = add_entry(s, NULL, guest, &st, err, errlen);
	if (ret)
		return ret;
	d = opendir(host);
	if (!d) {
		ret = -errno;
		snprintf(err, errlen, "--include: %s: %s", host, strerror(errno));
		return ret;
	}
	while (!ret && (de = readdir(d))) {
		char h[PATH_MAX], g[PATH_MAX];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(h, sizeof(h), "%s/%s", host, de->d_name) >= (int)sizeof(h) ||
		    snprintf(g, sizeof(g), "%s/%s", guest, de->d_name) >= (int)sizeof(g)) {
			snprintf(err, errlen, "--include: a path under %s is too long", host);
			ret = -ENAMETOOLONG;
			break;
		}
		ret = walk(s, h, g, depth + 1, err, errlen);
	}
	closedir(d);
	return ret;
}

int run_shell__include(struct run_shell *s, const char *path, char *err, size_t errlen)
{
	char name[NAME_MAX + 1], guest[PATH_MAX];
	size_t n = strlen(path);
	const char *base;

	while (n > 1 && path[n - 1] == '/')
		n--;
	base = memrchr(path, '/', n);
	base = base ? base + 1 : path;
	n -= (size_t)(base - path);
	if (!n || n > NAME_MAX || (n == 1 && base[0] == '.') ||
	    (n == 2 && base[0] == '.' && base[1] == '.') || base[0] == '/') {
		snprintf(err, errlen, "--include %s: name a file or directory (it lands at %s/NAME)",
			 path, RUN_SHELL_INCLUDE_DIR);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)n, base);
	snprintf(guest, sizeof(guest), "%s/%s", RUN_SHELL_INCLUDE_DIR, name);
	for (size_t i = 0; i < s->nfiles; i++)
		if (!strcmp(s->files[i].guest, guest)) {
			snprintf(err, errlen, "--include %s: another --include is named '%s' too; "
				 "both would land at %s", path, name, guest);
			return -EEXIST;
		}
	return walk(s, path, guest, 0, err, errlen);
}

void run_shell__free(struct run_shell *s)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].host);
		free(s->files[i].guest);
	}
	free(s->files);
	s->files = NULL;
	s->nfiles = 0;
}

/* ---- packing */

void run_shell__plan(struct run_shell *s, struct plan_opts *po)
{
	if (!s)
		return;
	po->shell = &s->req;
	/* A new run: the session's state from scratch. */
	s->mark_matched = 0;
	s->mark_seen = s->started = false;
	s->vm = NULL;
	if (!s->rd_init) {
		proto_reader__init(&s->rd);
		sched_host__init(&s->sched);
		s->rd_init = true;
	}
}

int run_shell__bins(struct run_shell *s, struct run_bins *b, char *err, size_t errlen)
{
	int ret;

	if (!s)
		return 0;
	ret = run_bins__add_as(b, s->busybox, INITRAMFS_BUSYBOX);
	for (size_t i = 0; i < s->nfiles && !ret; i++)
		if (s->files[i].elf)
			ret = run_bins__add_as(b, s->files[i].host, s->files[i].guest);
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
}

int run_shell__append(struct run_shell *s, const char *initrd, char *err, size_t errlen)
{
	struct cpio *c;
	int fd, ret;

	if (!s)
		return 0;
	fd = open(initrd, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot append the includes to %s: %s", initrd,
			 strerror(errno));
		return ret;
	}
	c = cpio__new(fd, -1);
	if (!c) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* On PATH whether or not anything is included. */
	ret = cpio__add_dir(c, RUN_SHELL_INCLUDE_DIR, 0755);
	for (size_t i = 0; i < s->nfiles && !ret; i++) {
		const struct run_shell_file *f = &s->files[i];

		if (!f->host)
			ret = cpio__add_dir(c, f->guest, f->mode);
		else if (!f->elf)	/* ELF files are in the base, with their libraries */
			ret = cpio__add_host_file(c, f->guest, 0, f->host);
	}
	if (!ret)
		ret = cpio__finish(c, NULL, NULL);
	if (ret)
		snprintf(err, errlen, "packing the includes: %s", cpio__errmsg(c));
	cpio__free(c);
	close(fd);
	return ret;
}

/* ---- the session */

void run_shell__mark(struct run_shell *s, const char *data, size_t len,
		     void (*pre)(void *arg, const void *d, size_t n),
		     void (*post)(void *arg, const void *d, size_t n), void *arg)
{
	static const char mark[] = KTSTR_SHELL_MARK;
	const size_t mlen = sizeof(mark) - 1;
	size_t run = 0;		/* data[run, i) is plain output not passed on yet */

	if (s->mark_seen) {
		if (len)
			post(arg, data, len);
		return;
	}
	/*
	 * The bytes of a match in progress are held back; they are the mark's
	 * first mark_matched bytes, whichever chunk they came in. The mark's
	 * first byte comes again only as its last, so a failed match can only
	 * start over at the byte that failed it.
	 */
	for (size_t i = 0; i < len; i++) {
		if (data[i] == mark[s->mark_matched]) {
			if (!s->mark_matched && i > run)
				pre(arg, data + run, i - run);
			run = i + 1;
			if (++s->mark_matched == mlen) {
				s->mark_seen = true;
				if (len > run)
					post(arg, data + run, len - run);
				return;
			}
			continue;
		}
		if (!s->mark_matched)
			continue;
		pre(arg, mark, s->mark_matched);	/* not the mark after all */
		s->mark_matched = 0;
		run = i;
		if (data[i] == mark[0]) {
			s->mark_matched = 1;
			run = i + 1;
		}
	}
	if (len > run)
		pre(arg, data + run, len - run);
}

static void mark_pre(void *arg, const void *d, size_t n)
{
	struct run_shell *s = arg;

	if (s->verbose && s->on_boot)
		s->on_boot(s->arg, d, n);
}

static void mark_post(void *arg, const void *d, size_t n)
{
	struct run_shell *s = arg;

	if (s->on_console)
		s->on_console(s->arg, d, n);
}

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct run_shell *s = arg;
	bool was = s->sched.exited;

	sched_host__frame(&s->sched, f);
	if (f->type == KTSTR_MSG_SCENARIO_START && !s->started) {
		s->started = true;
		if (s->on_start)
			s->on_start(s->arg, s->vm);
	}
	/* Live while the shell runs; before, the end's report says it. */
	if (f->type == KTSTR_MSG_SCHED_EXIT && !was && s->sched.exited && s->started) {
		struct verdict v = { 0 };

		/* Its reason as a run's report words it ("scheduler process died ..."). */
		if (sched_host__reasons(&s->sched, &v) && v.nreasons && s->on_sched_exit)
			s->on_sched_exit(s->arg, v.reasons[0]);
		verdict__free(&v);
	}
	return 0;
}

void run_shell__data(struct run_shell *s, struct vm *vm, enum vm_chan chan, const void *data,
		     size_t len)
{
	if (!s || !s->rd_init)
		return;
	s->vm = vm;
	if (chan == VM_CHAN_CONSOLE)
		run_shell__mark(s, data, len, mark_pre, mark_post, s);
	else if (chan == VM_CHAN_SCHED)
		sched_host__data(&s->sched, data, len);
	else if (chan == VM_CHAN_RESULTS)
		proto_reader__feed(&s->rd, data, len, on_frame, s);
}

void run_shell__end(struct run_shell *s)
{
	char *log = NULL, *text = NULL;
	size_t log_len = 0;

	if (!s)
		return;
	if (s->on_end)
		s->on_end(s->arg);
	if (s->rd_init) {
		proto_reader__free(&s->rd);
		sched_host__finish(&s->sched, &log, &log_len, &text);
		free(log);
		free(text);
		s->rd_init = false;
	}
	s->vm = NULL;
}
