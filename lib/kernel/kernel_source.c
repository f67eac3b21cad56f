// SPDX-License-Identifier: GPL-2.0
#include "kernel_source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fsutil.h"
#include "base/kproc.h"

int kernel_source__find_package(const char *dir, char *out, size_t cap)
{
	static const char prefix[] = "linux-source-", suffix[] = ".tar.xz";
	char best[256] = "";
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n <= sizeof(prefix) - 1 + sizeof(suffix) - 1 || n >= sizeof(best) ||
		    strncmp(de->d_name, prefix, sizeof(prefix) - 1) ||
		    strcmp(de->d_name + n - (sizeof(suffix) - 1), suffix))
			continue;
		if (!best[0] || strverscmp(de->d_name, best) > 0)
			strcpy(best, de->d_name);
	}
	closedir(d);
	if (!best[0])
		return -ENOENT;
	if (snprintf(out, cap, "%s/%s", dir, best) >= (int)cap)
		return -ENAMETOOLONG;
	return 0;
}

/* The value of "NAME = value" at the start of a line of @text, or "". */
static void makefile_var(const char *text, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name);

	out[0] = '\0';
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *v = p + nlen;
		size_t n = 0;

		if (strncmp(p, name, nlen))
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v != '=')
			continue;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		while (v[n] && v[n] != '\n' && v[n] != ' ' && v[n] != '\t' && v[n] != '#' &&
		       n + 1 < cap)
			n++;
		memcpy(out, v, n);
		out[n] = '\0';
		return;
	}
}

int kernel_source__makefile_version(const char *text, char *out, size_t cap)
{
	char ver[16], patch[16], sub[16], extra[32];

	makefile_var(text, "VERSION", ver, sizeof(ver));
	makefile_var(text, "PATCHLEVEL", patch, sizeof(patch));
	makefile_var(text, "SUBLEVEL", sub, sizeof(sub));
	makefile_var(text, "EXTRAVERSION", extra, sizeof(extra));
	if (!ver[0] || !patch[0])
		return -EINVAL;
	if (snprintf(out, cap, "%s.%s.%s%s", ver, patch, sub[0] ? sub : "0", extra) >= (int)cap)
		return -EINVAL;
	return kernel_cache__version_ok(out) ? 0 : -EINVAL;
}

int kernel_source__tarball(struct ksource *s, const char *file, enum ksrc_kind kind, FILE *log)
{
	struct stat st;
	int err;

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->cacheable = true;
	if (!realpath(file, s->path)) {
		err = -errno;
		fprintf(log, "ktstr kernel build: cannot open tarball %s: %s\n", file,
			strerror(-err));
		return err;
	}
	if (stat(s->path, &st) || !S_ISREG(st.st_mode)) {
		fprintf(log, "ktstr kernel build: %s is not a file; --tarball takes a .tar.xz (or "
			     ".tar.gz, .tar) of a kernel source tree\n", file);
		return -EINVAL;
	}
	err = fsutil__crc32(s->path, &s->id);
	if (err)
		fprintf(log, "ktstr kernel build: cannot read %s: %s\n", s->path, strerror(-err));
	return err;
}

int kernel_source__tarball_version(struct ksource *s, FILE *log)
{
	char *argv[] = { "tar", "xOf", s->path, "--wildcards", "--no-wildcards-match-slash",
			 "--occurrence=1", "*/Makefile", NULL };
	char head[8192];
	int status, err;

	/* Top-level Makefile only: Documentation/Makefile comes first in the archive. */
	err = kproc__capture(argv, NULL, head, sizeof(head), &status);
	if (err == -EINTR)
		return err;
	if (err < 0) {
		fprintf(log, "ktstr kernel build: cannot run tar: %s (apt-get install tar xz-utils)\n",
			strerror(-err));
		return err;
	}
	if (status || kernel_source__makefile_version(head, s->version, sizeof(s->version))) {
		fprintf(log, "ktstr kernel build: %s: no kernel version in a top-level "
			     "<dir>/Makefile%s; is it a kernel source tarball?\n", s->path,
			status ? " (tar found none, or could not read the archive)" : "");
		return -EINVAL;
	}
	return 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Fill s->cacheable / sha / id / why_not from git. */
static int git_state(struct ksource *s)
{
	char top[PATH_MAX + 2], real_top[PATH_MAX], status_out[512];
	char *toplevel[] = { "git", "-C", s->path, "rev-parse", "--show-toplevel", NULL };
	char *head[] = { "git", "-C", s->path, "rev-parse", "--verify", "HEAD", NULL };
	char *st[] = { "git", "-C", s->path, "status", "--porcelain", NULL };
	char short_sha[9];
	int status, err;

	s->cacheable = false;
	err = kproc__capture(toplevel, NULL, top, sizeof(top), &status);
	if (err == -EINTR)
		return err;
	chomp(top);
	if (err || status || !realpath(top, real_top) || strcmp(real_top, s->path)) {
		fsutil__fmt(s->why_not, sizeof(s->why_not), "%s is not a git tree, so a build "
			    "from it cannot be told apart from the next one", s->path);
		return 0;
	}
	err = kproc__capture(head, NULL, s->sha, sizeof(s->sha), &status);
	if (err == -EINTR)
		return err;
	chomp(s->sha);
	if (err || status || strlen(s->sha) < 8) {
		fsutil__fmt(s->why_not, sizeof(s->why_not), "%s has no commit yet", s->path);
		return 0;
	}
	err = kproc__capture(st, NULL, status_out, sizeof(status_out), &status);
	if (err == -EINTR)
		return err;
	if (err || status) {
		fsutil__fmt(s->why_not, sizeof(s->why_not), "git status failed in %s", s->path);
		return 0;
	}
	if (status_out[0]) {
		fsutil__fmt(s->why_not, sizeof(s->why_not), "%s has uncommitted changes "
			    "(git status --porcelain)", s->path);
		return 0;
	}
	memcpy(short_sha, s->sha, 8);
	short_sha[8] = '\0';
	s->id = (uint32_t)strtoul(short_sha, NULL, 16);
	s->cacheable = true;
	return 0;
}

int kernel_source__tree(struct ksource *s, const char *dir, FILE *log)
{
	char path[PATH_MAX + 16];
	struct stat st;
	size_t len;
	char *mk;
	int err;

	memset(s, 0, sizeof(*s));
	s->kind = KSRC_TREE;
	if (!realpath(dir, s->path) || stat(s->path, &st)) {
		err = -errno;
		fprintf(log, "ktstr kernel build: --source %s: %s\n", dir, strerror(-err));
		return err;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(log, "ktstr kernel build: --source %s: not a directory (--tarball takes "
			     "a tarball)\n", dir);
		return -ENOTDIR;
	}
	fsutil__fmt(path, sizeof(path), "%s/Kconfig", s->path);
	if (stat(path, &st)) {
		fprintf(log, "ktstr kernel build: %s: not a kernel source tree (no Kconfig)\n", dir);
		return -EINVAL;
	}
	fsutil__fmt(path, sizeof(path), "%s/Makefile", s->path);
	err = fsutil__read(path, 1 << 20, &mk, &len);
	if (err) {
		fprintf(log, "ktstr kernel build: %s: not a kernel source tree (no Makefile)\n", dir);
		return -EINVAL;
	}
	err = kernel_source__makefile_version(mk, s->version, sizeof(s->version));
	free(mk);
	if (err) {
		fprintf(log, "ktstr kernel build: %s: not a kernel source tree (its Makefile sets "
			     "no VERSION and PATCHLEVEL)\n", dir);
		return -EINVAL;
	}
	return git_state(s);
}
