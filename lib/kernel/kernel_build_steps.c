// SPDX-License-Identifier: GPL-2.0
/* The steps of a kernel build: extract, make with progress, collect (configure: its own file). */
#include "kernel_build_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel_config.h"
#include "base/kproc.h"
#include "ktstr-config.h"

#define TAIL_LINES 30

static void fmt_elapsed(time_t secs, char *buf, size_t cap)
{
	if (secs >= 3600)
		fsutil__fmt(buf, cap, "%ld:%02ld:%02ld", (long)secs / 3600, (long)secs / 60 % 60,
			    (long)secs % 60);
	else
		fsutil__fmt(buf, cap, "%02ld:%02ld", (long)secs / 60, (long)secs % 60);
}

void kbuild__tail(struct kbuild *b, unsigned n)
{
	const char *start;
	size_t len;
	char *buf;

	if (fsutil__read(b->log_path, 256u << 20, &buf, &len))
		return;
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	start = buf + len;
	for (unsigned seen = 0; start > buf; start--)
		if (start[-1] == '\n' && ++seen == n)
			break;
	/* A cached build's log goes with its temporary directory: do not name that. */
	fprintf(b->log, "---- the last %u lines of %s ----\n%s\n----\n", n,
		b->tmp[0] ? "the build log" : b->log_path, start);
	free(buf);
}

int kbuild__step(struct kbuild *b, const char *what, char *const argv[])
{
	struct kproc_io io = { .cwd = b->tree, .out_fd = b->log_fd };
	int status, err;

	dprintf(b->log_fd, "\n==== ktstr: %s\n", what);
	err = kproc__run(argv, &io, &status);
	if (err == -EINTR)
		return err;
	if (err < 0) {
		fprintf(b->log, "ktstr kernel build: cannot run %s: %s%s\n", argv[0], strerror(-err),
			err == -ENOENT ? " (apt-get install build-essential flex bison bc "
					 "libelf-dev libssl-dev dwarves)" : "");
		return -EIO;
	}
	if (status) {
		fprintf(b->log, "ktstr kernel build: %s failed (exit %d) in %s\n", what, status,
			b->tree);
		kbuild__tail(b, TAIL_LINES);
		return -EIO;
	}
	return 0;
}

int kbuild__extract(struct kbuild *b)
{
	char src[PATH_MAX + 8];
	char *argv[] = { "tar", "xf", b->src.path, "-C", src, "--no-same-owner", NULL };
	struct kproc_io io = { .out_fd = b->log_fd };
	struct dirent *de;
	int status, err, dirs = 0;
	DIR *d;

	fsutil__fmt(src, sizeof(src), "%s/src", b->tmp);
	if (mkdir(src, 0755))
		return -errno;
	fprintf(b->log, "extracting %s\n", b->src.path);
	dprintf(b->log_fd, "==== ktstr: tar xf %s\n", b->src.path);
	err = kproc__run(argv, &io, &status);
	if (err == -EINTR)
		return err;
	if (err || status) {
		fprintf(b->log, "ktstr kernel build: tar xf %s failed (%s); is it a complete "
			     "tarball? Check it with tar tf\n", b->src.path,
			err ? strerror(-err) : "see below");
		kbuild__tail(b, TAIL_LINES);
		return -EIO;
	}
	d = opendir(src);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		if (snprintf(b->tree, sizeof(b->tree), "%s/%s", src, de->d_name) >=
		    (int)sizeof(b->tree))
			dirs += 100;
		dirs++;
	}
	closedir(d);
	if (dirs != 1) {
		fprintf(b->log, "ktstr kernel build: %s does not hold one top directory; a kernel "
			     "tarball unpacks into linux-X.Y/\n", b->src.path);
		return -EIO;
	}
	return 0;
}

int kbuild__read_config(struct kbuild *b, char **buf, size_t *len)
{
	char path[PATH_MAX + 16];

	fsutil__fmt(path, sizeof(path), "%s/.config", b->tree);
	return fsutil__read(path, 64u << 20, buf, len);
}

struct progress {
	struct kbuild *b;
	unsigned long objects, estimate;
	time_t last;
	bool shown;
};

static int progress_line(void *arg, const char *line, size_t len)
{
	struct progress *p = arg;

	if (len > 5 && line[0] == ' ' && line[1] == ' ' &&
	    (!strncmp(line + 2, "CC ", 3) || !strncmp(line + 2, "AS ", 3)))
		p->objects++;
	return 0;
}

static void progress_show(struct progress *p, bool final)
{
	struct kbuild *b = p->b;
	time_t now = time(NULL);
	char el[32];

	if (p->objects > p->estimate)
		p->estimate = p->objects;
	fmt_elapsed(now - b->start, el, sizeof(el));
	if (b->o->tty) {
		fprintf(b->log, "\r\033[Kbuilding linux %s: %lu/~%lu objects, %s elapsed%s",
			b->src.version, p->objects, p->estimate, el, final ? "\n" : "");
		fflush(b->log);
		p->shown = !final;
		return;
	}
	fprintf(b->log, "building linux %s: %lu/~%lu objects, %s elapsed\n", b->src.version,
		p->objects, p->estimate, el);
	fflush(b->log);
	p->last = now;
}

static void progress_tick(void *arg)
{
	struct progress *p = arg;
	unsigned every = p->b->o->progress_secs ? p->b->o->progress_secs : 30;

	if (p->b->o->tty || time(NULL) - p->last >= (time_t)every)
		progress_show(p, false);
}

int kbuild__make(struct kbuild *b)
{
	char jobs[32];
	char *argv[] = { "make", jobs, "KCFLAGS=" KRECIPE_KCFLAGS, "bzImage", NULL };
	struct progress p = {
		.b = b,
		.estimate = b->recipe && b->recipe->base == KCONFIG_FULL ?
			    KBUILD_OBJECTS_FULL : KBUILD_OBJECTS_LEAN,
		.last = time(NULL),
	};
	struct kproc_io io = {
		.cwd = b->tree,
		.out_fd = b->log_fd,
		.on_line = progress_line,
		.on_tick = progress_tick,
		.arg = &p,
	};
	int status, err;

	fsutil__fmt(jobs, sizeof(jobs), "-j%u", b->jobs);
	fprintf(b->log, "make %s KCFLAGS='%s' bzImage in %s (log: %s)\n", jobs, KRECIPE_KCFLAGS,
		b->tree, b->log_path);
	dprintf(b->log_fd, "\n==== ktstr: make %s KCFLAGS='%s' bzImage\n", jobs, KRECIPE_KCFLAGS);
	err = kproc__run(argv, &io, &status);
	if (!err && !status && b->o->tty)
		progress_show(&p, true);
	else if (p.shown)	/* end the progress line before anything else is printed */
		fputc('\n', b->log);
	if (err == -EINTR)
		return err;
	if (err < 0) {
		fprintf(b->log, "ktstr kernel build: cannot run make: %s (apt-get install "
			     "build-essential)\n", strerror(-err));
		return -EIO;
	}
	if (status) {
		fprintf(b->log, "ktstr kernel build: make bzImage failed (exit %d)\n", status);
		kbuild__tail(b, TAIL_LINES);
		return -EIO;
	}
	return 0;
}

static int out_path(char *buf, size_t cap, const char *dir, const char *name)
{
	return snprintf(buf, cap, "%s/%s", dir, name) >= (int)cap ? -ENAMETOOLONG : 0;
}

static int copy_out(struct kbuild *b, const char *from, const char *to)
{
	char src[PATH_MAX], dst[PATH_MAX];
	int err;

	if (out_path(src, sizeof(src), b->tree, from) || out_path(dst, sizeof(dst), b->tmp, to))
		return -ENAMETOOLONG;
	err = fsutil__copy(src, dst);
	if (err)
		fprintf(b->log, "ktstr kernel build: cannot copy %s to %s: %s\n", src, dst,
			strerror(-err));
	return err ? -EIO : 0;
}

static uint64_t file_size(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (out_path(path, sizeof(path), dir, name) || stat(path, &st))
		return 0;
	return (uint64_t)st.st_size;
}

int kbuild__collect(struct kbuild *b)
{
	char vmlinux_in[PATH_MAX], vmlinux_out[PATH_MAX];
	char *strip[] = { "strip", "--strip-debug", "-o", vmlinux_out, vmlinux_in, NULL };
	struct kernel_meta m;
	size_t clen;
	char *config;
	int err;

	err = copy_out(b, "arch/x86/boot/bzImage", KCACHE_IMAGE);
	if (!err)
		err = copy_out(b, ".config", ".config");
	if (!err)
		err = copy_out(b, "System.map", "System.map");
	if (err)
		return err;
	if (out_path(vmlinux_in, sizeof(vmlinux_in), b->tree, "vmlinux") ||
	    out_path(vmlinux_out, sizeof(vmlinux_out), b->tmp, "vmlinux"))
		return -ENAMETOOLONG;
	fprintf(b->log, "storing bzImage and vmlinux (strip --strip-debug) in the cache\n");
	err = kbuild__step(b, "strip --strip-debug vmlinux", strip);
	if (err)
		return err;

	memset(&m, 0, sizeof(m));
	m.schema = KCACHE_SCHEMA;
	fsutil__fmt(m.version, sizeof(m.version), "%s", b->src.version);
	m.kind = b->src.kind;
	fsutil__fmt(m.source_path, sizeof(m.source_path), "%s", b->src.path);
	if (b->src.kind == KSRC_TREE)
		fsutil__fmt(m.source_id, sizeof(m.source_id), "%s", b->src.sha);
	else
		fsutil__fmt(m.source_id, sizeof(m.source_id), "%08x", b->src.id);
	fsutil__fmt(m.arch, sizeof(m.arch), "%s", KCACHE_ARCH);
	fsutil__fmt(m.image, sizeof(m.image), "%s", KCACHE_IMAGE);
	err = kbuild__read_config(b, &config, &clen);
	if (err)
		return err;
	m.config_crc = kernel_config__crc(config, clen);
	free(config);
	m.fragment_crc = kernel_config__fragment_crc();
	m.config = b->recipe->base;
	m.nfrags = b->recipe->nuser;
	for (size_t i = 0; i < m.nfrags; i++) {
		fsutil__fmt(m.frags[i].path, sizeof(m.frags[i].path), "%s", b->recipe->user[i].path);
		m.frags[i].crc = b->recipe->user[i].crc;
	}
	m.built = time(NULL);
	kernel_meta__format_time(m.built, m.built_at, sizeof(m.built_at));
	m.image_size = file_size(b->tmp, KCACHE_IMAGE);
	m.vmlinux_size = file_size(b->tmp, "vmlinux");
	fsutil__fmt(m.ktstr_version, sizeof(m.ktstr_version), "%s", KTSTR_VERSION);
	fsutil__fmt(b->r->built_at, sizeof(b->r->built_at), "%s", m.built_at);
	return kernel_meta__save(b->tmp, &m);
}
