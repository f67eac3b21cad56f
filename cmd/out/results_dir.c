// SPDX-License-Identifier: GPL-2.0
/* --results-dir: per-variant logs and reports for CI artefacts. */
#include "results_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"

void results_dir__name(const char *variant, char *buf, size_t len)
{
	size_t k = 0;

	if (!len)
		return;
	for (const char *p = variant ? variant : ""; *p && k + 1 < len; p++) {
		char c = *p;

		if (c == '/')
			c = '.';
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '-'))
			c = '_';
		if (k == 0 && c == '.')
			c = '_';	/* no hidden directories, no "." or ".." */
		buf[k++] = c;
	}
	if (!k && len > 8) {
		snprintf(buf, len, "unnamed");
		return;
	}
	buf[k] = '\0';
}

int results_dir__create(const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -ENAMETOOLONG;
	}
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
			return -errno;
		}
		*p = c;
		if (!c)
			break;
	}
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory", dir);
		return -ENOTDIR;
	}
	return 0;
}

static int write_file(const char *path, const void *data, size_t len, const char *tail,
		      char *err, size_t errlen)
{
	int fd = fsutil__create(path, 0644);
	const char *p = data;
	int ret = 0;

	if (fd < 0) {
		errno = -fd;
		goto fail;
	}
	for (int part = 0; part < 2; part++) {
		while (len) {
			ssize_t w = write(fd, p, len);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				if (!w)
					errno = EIO;
				goto fail;
			}
			p += w;
			len -= (size_t)w;
		}
		p = tail;
		len = tail ? strlen(tail) : 0;
	}
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	ret = -errno;
	snprintf(err, errlen, "cannot write %s: %s", path, fsutil__strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

/* A file written through @writer(f, @arg) (0 or -errno): result.json, monitor.csv. */
static int write_with(const char *path, int (*writer)(FILE *f, const void *arg),
		      const void *arg, char *err, size_t errlen)
{
	int fd = fsutil__create(path, 0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	int r;

	if (!f) {
		r = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "cannot write %s: %s", path, fsutil__strerror(r));
		return -r;
	}
	r = writer(f, arg);
	if (fclose(f) || r) {
		snprintf(err, errlen, "cannot write %s: write error", path);
		return -EIO;
	}
	return 0;
}

static int outcome_json(FILE *f, const void *o)
{
	return outcome__write_json(o, f);
}

int results_dir__write(const char *dir, struct outcome *o, const struct results_logs *logs,
		       char *err, size_t errlen)
{
	char name[256], vdir[PATH_MAX], path[PATH_MAX + 16], note[128];
	int r;

	results_dir__name(o->name, name, sizeof(name));
	if (snprintf(vdir, sizeof(vdir), "%s/%s", dir, name) >= (int)sizeof(vdir)) {
		snprintf(err, errlen, "%s/%s: path too long", dir, name);
		return -ENAMETOOLONG;
	}
	r = fsutil__mkdir_here(vdir);
	if (r) {
		snprintf(err, errlen, "cannot create %s: %s", vdir, r == -ENOTDIR ?
			 "it exists and is not a directory (or is a symbolic link to one)" :
			 strerror(-r));
		return r;
	}
	free(o->console_log);
	free(o->sched_log);
	free(o->monitor_csv);
	o->console_log = o->sched_log = o->monitor_csv = NULL;

	snprintf(path, sizeof(path), "%s/console.log", vdir);
	if (logs && logs->console) {
		note[0] = '\0';
		if (logs->console_dropped)
			snprintf(note, sizeof(note), "\n[ktstr: console log cut at %zu bytes; %llu "
				 "more bytes not kept]\n", logs->console_len,
				 (unsigned long long)logs->console_dropped);
		r = write_file(path, logs->console, logs->console_len, note, err, errlen);
		if (r)
			return r;
		if (!(o->console_log = strdup(path)))
			return -ENOMEM;
	} else {
		unlink(path);	/* an earlier run's */
	}

	snprintf(path, sizeof(path), "%s/sched.log", vdir);
	if (logs && logs->sched) {
		r = write_file(path, logs->sched, logs->sched_len, NULL, err, errlen);
		if (r)
			return r;
		if (!(o->sched_log = strdup(path)))
			return -ENOMEM;
	} else {
		unlink(path);
	}

	snprintf(path, sizeof(path), "%s/monitor.csv", vdir);
	if (logs && logs->monitor_csv) {
		r = write_with(path, logs->monitor_csv, logs->monitor_arg, err, errlen);
		if (r)
			return r;
		if (!(o->monitor_csv = strdup(path)))
			return -ENOMEM;
	} else {
		unlink(path);
	}

	snprintf(path, sizeof(path), "%s/report.txt", vdir);
	r = write_file(path, o->report ? o->report : "", o->report ? strlen(o->report) : 0, NULL,
		       err, errlen);
	if (r)
		return r;
	snprintf(path, sizeof(path), "%s/result.json", vdir);
	return write_with(path, outcome_json, o, err, errlen);
}
