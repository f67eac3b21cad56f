// SPDX-License-Identifier: GPL-2.0
/* The shared-library closure of an ELF binary, searched the way ld.so searches. */
#include "elf_deps.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_read.h"
#include "ldcache.h"

#define DST_LIB		"lib/x86_64-linux-gnu"	/* Debian's $LIB */
#define DST_PLATFORM	"x86_64"

static const char *const default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/lib", "/usr/lib",
};

/* One loaded object waiting for (or done with) its DT_NEEDED walk. */
struct obj {
	char *path;		/* loader path */
	char *origin;		/* $ORIGIN on the host */
	char *gorigin;		/* $ORIGIN in the guest */
	struct elf_info info;
};

struct walk {
	const struct elf_deps_opts *o;
	const char *binary;
	struct elf_deps *out;
	char **sonames;		/* parallel to out->v: DT_SONAME of each dep, or NULL */
	struct obj *objs;	/* BFS queue: [0] is the binary */
	size_t nobjs, capobjs;
	struct ldcache cache;
	int cache_state;	/* 0 not loaded, 1 loaded, -1 none/unusable */
	char tried[1024];	/* where the current name was looked for */
	char *err;
	size_t errlen;
};

const char *elf_deps__via_name(enum elf_dep_via via)
{
	static const char *const names[] = {
		[ELF_DEP_INTERP] = "interpreter", [ELF_DEP_PATH] = "path",
		[ELF_DEP_RPATH] = "RPATH", [ELF_DEP_LDPATH] = "LD_LIBRARY_PATH",
		[ELF_DEP_RUNPATH] = "RUNPATH", [ELF_DEP_CACHE] = "ld.so.cache",
		[ELF_DEP_DEFAULT] = "default",
	};

	return (unsigned)via < sizeof(names) / sizeof(names[0]) ? names[via] : "?";
}

void elf_deps__free(struct elf_deps *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].path);
		free(d->v[i].real);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int elf_deps__check(const char *path, char *err, size_t errlen)
{
	struct elf_info info;
	int ret = elf_read(path, &info, err, errlen);

	if (!ret)
		elf_info__free(&info);
	return ret;
}

/* Lexically clean absolute @in into @out: no "//", "." or ".." left. */
static int path_clean(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	const char *p = in;

	if (*p != '/' || cap < 2)
		return -EINVAL;
	while (*p) {
		const char *q;
		size_t n;

		while (*p == '/')
			p++;
		q = strchrnul(p, '/');
		n = (size_t)(q - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + 1 + n >= cap)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = q;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Expand $ORIGIN, $LIB, $PLATFORM (also ${...}) in one search-path entry. */
static int expand_dst(const char *in, size_t len, const char *origin, char *out, size_t cap)
{
	static const struct { const char *name; size_t len; } dst[] = {
		{ "ORIGIN", 6 }, { "LIB", 3 }, { "PLATFORM", 8 },
	};
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		const char *rep = NULL;
		size_t skip = 1;

		if (in[i] == '$') {
			bool brace = i + 1 < len && in[i + 1] == '{';
			size_t s = i + 1 + brace;

			for (size_t k = 0; k < 3 && !rep; k++) {
				size_t end = s + dst[k].len;

				if (end > len || memcmp(in + s, dst[k].name, dst[k].len))
					continue;
				if (brace) {
					if (end >= len || in[end] != '}')
						continue;
					end++;
				} else if (end < len && (in[end] == '_' || (in[end] >= 'A' && in[end] <= 'Z') ||
							  (in[end] >= 'a' && in[end] <= 'z') ||
							  (in[end] >= '0' && in[end] <= '9'))) {
					continue;
				}
				if (k == 0 && !origin)
					continue;
				rep = k == 0 ? origin : k == 1 ? DST_LIB : DST_PLATFORM;
				skip = end - i;
			}
		}
		if (!rep) {
			if (o + 1 >= cap)
				return -ENAMETOOLONG;
			out[o++] = in[i];
		} else {
			size_t n = strlen(rep);

			if (o + n >= cap)
				return -ENAMETOOLONG;
			memcpy(out + o, rep, n);
			o += n;
		}
		i += skip;
	}
	out[o] = '\0';
	return 0;
}

static void note_tried(struct walk *w, const char *what)
{
	size_t used = strlen(w->tried);

	if (used + strlen(what) + 2 >= sizeof(w->tried)) {
		if (!strstr(w->tried, "..."))
			snprintf(w->tried + used, sizeof(w->tried) - used, "%s...", used ? ":" : "");
		return;
	}
	snprintf(w->tried + used, sizeof(w->tried) - used, "%s%s", used ? ":" : "", what);
}

/*
 * Is @path a usable library? 1 yes (info filled), 0 no such file or not an
 * x86_64 ELF64 (ld.so skips those too), <0 on a hard error.
 */
static int try_lib(struct walk *w, const char *path, struct elf_info *info)
{
	char err[512];
	int ret;

	if (access(path, F_OK))
		return 0;
	ret = elf_read(path, info, err, sizeof(err));
	if (ret == -ENOMEM) {
		snprintf(w->err, w->errlen, "%s", err);
		return ret;
	}
	return ret ? 0 : 1;
}

/* @entry expanded with the guest's $ORIGIN, plus /@name, cleaned into @gpath. */
static int guest_path(const char *entry, size_t len, const char *gorigin, const char *name,
		      char *gpath, size_t cap)
{
	char dir[PATH_MAX], raw[PATH_MAX + 256];

	if (expand_dst(entry, len, gorigin, dir, sizeof(dir)) ||
	    snprintf(raw, sizeof(raw), "%s/%s", dir, name) >= (int)sizeof(raw) ||
	    path_clean(raw, gpath, cap))
		return -ENAMETOOLONG;
	return 1;
}

/*
 * Try each entry of ':'-list @list (DSTs expanded with the host's $ORIGIN);
 * 1 when found: @path is the host file, @gpath the same entry expanded with
 * the guest's $ORIGIN (where the guest's loader will look).
 */
static int try_list(struct walk *w, const char *list, const struct obj *req, const char *name,
		    char *path, char *gpath, size_t cap, struct elf_info *info)
{
	const char *origin = req ? req->origin : NULL, *gorigin = req ? req->gorigin : NULL;

	for (const char *p = list; p && *p;) {
		const char *q = strchrnul(p, ':');
		char dir[PATH_MAX], raw[PATH_MAX + 256];
		int ret;

		if (q > p && !expand_dst(p, (size_t)(q - p), origin, dir, sizeof(dir)) &&
		    dir[0] == '/') {
			note_tried(w, dir);
			if (snprintf(raw, sizeof(raw), "%s/%s", dir, name) < (int)sizeof(raw) &&
			    !path_clean(raw, path, cap)) {
				ret = try_lib(w, path, info);
				if (ret < 0)
					return ret;
				if (ret)
					return guest_path(p, (size_t)(q - p), gorigin, name, gpath, cap);
			}
		}
		p = *q ? q + 1 : q;
	}
	return 0;
}

static int cache_lookup(struct walk *w, const char *name, char *path, size_t cap,
			struct elf_info *info)
{
	const char *cpath = w->o && w->o->ldcache_path ? w->o->ldcache_path : LDCACHE_PATH;
	const char *hit;
	char err[256];

	if (!*cpath)
		return 0;
	if (w->cache_state == 0) {
		/* A missing or unusable cache is skipped, as ld.so skips it. */
		w->cache_state = ldcache__load(&w->cache, cpath, err, sizeof(err)) ? -1 : 1;
	}
	if (w->cache_state < 0)
		return 0;
	note_tried(w, "ld.so.cache");
	hit = ldcache__lookup(&w->cache, name);
	if (!hit || path_clean(hit, path, cap))
		return 0;
	return try_lib(w, path, info);
}

/*
 * Resolve @name needed by @req; 1 found (path, gpath, info, via set), 0 not
 * found, <0 error.
 */
static int resolve(struct walk *w, const struct obj *req, const char *name, char *path,
		   char *gpath, size_t cap, struct elf_info *info, enum elf_dep_via *via)
{
	const struct obj *exe = &w->objs[0];
	const char *ldp = w->o ? w->o->ld_library_path : NULL;
	int ret;

	w->tried[0] = '\0';
	if (strchr(name, '/')) {
		char raw[PATH_MAX];

		*via = ELF_DEP_PATH;
		note_tried(w, name);
		if (name[0] != '/') {
			/* relative to the loader's working directory: the guest's is / */
			if (snprintf(raw, sizeof(raw), "/%s", name) >= (int)sizeof(raw))
				return 0;
			name = raw;
		}
		ret = path_clean(name, path, cap) ? 0 : try_lib(w, path, info);
		goto same;
	}
	/*
	 * DT_RPATH of the requesting object and of the executable (ld.so walks
	 * the whole chain of loaders; the executable ends it), unless DT_RUNPATH
	 * disables it for that object.
	 */
	if (!req->info.runpath) {
		*via = ELF_DEP_RPATH;
		ret = try_list(w, req->info.rpath, req, name, path, gpath, cap, info);
		if (!ret && req != exe && !exe->info.runpath)
			ret = try_list(w, exe->info.rpath, exe, name, path, gpath, cap, info);
		if (ret)
			return ret;
	}
	*via = ELF_DEP_LDPATH;
	ret = try_list(w, ldp, req, name, path, gpath, cap, info);
	if (ret)
		return ret;
	*via = ELF_DEP_RUNPATH;
	ret = try_list(w, req->info.runpath, req, name, path, gpath, cap, info);
	if (ret)
		return ret;
	*via = ELF_DEP_CACHE;
	ret = cache_lookup(w, name, path, cap, info);
	if (ret)
		goto same;
	*via = ELF_DEP_DEFAULT;
	for (size_t i = 0; i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++) {
		ret = try_list(w, default_dirs[i], NULL, name, path, gpath, cap, info);
		if (ret)
			return ret;
	}
	return 0;
same:
	if (ret > 0)
		memcpy(gpath, path, strlen(path) + 1);
	return ret;
}

/* @path: where the guest opens it; @host: where it is on the host. */
static int push_obj(struct walk *w, const char *path, const char *host, struct elf_info *info)
{
	struct obj *o;

	if (w->nobjs == w->capobjs) {
		size_t ncap = w->capobjs ? w->capobjs * 2 : 16;

		o = realloc(w->objs, ncap * sizeof(*o));
		if (!o)
			return -ENOMEM;
		w->objs = o;
		w->capobjs = ncap;
	}
	o = &w->objs[w->nobjs];
	o->path = strdup(path);
	o->origin = dir_of(host);
	o->gorigin = dir_of(path);
	if (!o->path || !o->origin || !o->gorigin) {
		free(o->path);
		free(o->origin);
		free(o->gorigin);
		return -ENOMEM;
	}
	o->info = *info;
	memset(info, 0, sizeof(*info));
	w->nobjs++;
	return 0;
}

static int push_dep(struct walk *w, const char *name, const char *path, const char *host,
		    const char *soname, enum elf_dep_via via)
{
	struct elf_deps *d = w->out;
	struct elf_dep *e;
	char real[PATH_MAX];

	if (!realpath(host, real)) {
		int ret = -errno;

		snprintf(w->err, w->errlen, "cannot resolve %s (%s of %s): %s", host, name,
			 w->binary, strerror(-ret));
		return ret;
	}
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		char **s = realloc(w->sonames, ncap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		w->sonames = s;
		e = realloc(d->v, ncap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		d->v = e;
		d->cap = ncap;
	}
	e = &d->v[d->n];
	e->name = strdup(name);
	e->path = strdup(path);
	e->real = strdup(real);
	e->via = via;
	w->sonames[d->n] = soname ? strdup(soname) : NULL;
	d->n++;	/* counted first so that elf_deps__free releases partial entries */
	if (!e->name || !e->path || !e->real || (soname && !w->sonames[d->n - 1]))
		return -ENOMEM;
	return 0;
}

/* Already loaded under this name or soname? ld.so then reuses it. */
static bool loaded(const struct walk *w, const char *name)
{
	for (size_t i = 0; i < w->out->n; i++)
		if (!strcmp(w->out->v[i].name, name) ||
		    (w->sonames[i] && !strcmp(w->sonames[i], name)) ||
		    !strcmp(w->out->v[i].path, name))
			return true;
	return false;
}

static int walk_all(struct walk *w)
{
	struct elf_info info;
	char real[PATH_MAX], path[PATH_MAX], gpath[PATH_MAX];
	const char *gp = w->o ? w->o->guest_path : NULL;
	enum elf_dep_via via;
	int ret;

	ret = elf_read(w->binary, &info, w->err, w->errlen);
	if (ret)
		return ret;
	if (!realpath(w->binary, real)) {
		ret = -errno;
		snprintf(w->err, w->errlen, "cannot resolve %s: %s", w->binary, strerror(-ret));
		elf_info__free(&info);
		return ret;
	}
	w->out->is_static = !info.interp && !info.nneeded;
	ret = push_obj(w, w->binary, real, &info);
	if (ret) {
		elf_info__free(&info);
		return ret;
	}
	/* The guest's $ORIGIN of the executable: where it is packed. */
	free(w->objs[0].gorigin);
	w->objs[0].gorigin = NULL;
	if (gp && (snprintf(path, sizeof(path), "/%s", gp) >= (int)sizeof(path) ||
		   path_clean(path, gpath, sizeof(gpath)))) {
		snprintf(w->err, w->errlen, "guest path %s of %s is too long", gp, w->binary);
		return -ENAMETOOLONG;
	}
	w->objs[0].gorigin = dir_of(gp ? gpath : real);
	if (!w->objs[0].gorigin)
		return -ENOMEM;
	if (w->objs[0].info.interp) {
		const char *ip = w->objs[0].info.interp;
		char err[512];

		ret = elf_read(ip, &info, err, sizeof(err));
		if (ret) {
			snprintf(w->err, w->errlen, "interpreter %s of %s: %s", ip, w->binary, err);
			return ret;
		}
		ret = push_dep(w, ip, ip, ip, info.soname, ELF_DEP_INTERP);
		elf_info__free(&info);	/* its own DT_NEEDED, if any, is not walked */
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < w->nobjs; i++) {
		for (size_t k = 0; k < w->objs[i].info.nneeded; k++) {
			const char *name = w->objs[i].info.needed[k];

			if (loaded(w, name))
				continue;
			ret = resolve(w, &w->objs[i], name, path, gpath, sizeof(path), &info, &via);
			if (ret < 0)
				return ret;
			if (!ret) {
				snprintf(w->err, w->errlen, "%s needed by %s%s%s not found in %s: install "
					 "it, or add its directory to the binary's RUNPATH", name,
					 w->objs[i].path, i ? ", a library of " : "", i ? w->binary : "",
					 w->tried[0] ? w->tried : "(nowhere to look)");
				return -ENOENT;
			}
			ret = push_dep(w, name, gpath, path, info.soname, via);
			if (!ret)
				ret = push_obj(w, gpath, path, &info);
			elf_info__free(&info);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int elf_deps__closure(const char *binary, const struct elf_deps_opts *o,
		      struct elf_deps *out, char *err, size_t errlen)
{
	struct walk w = {
		.o = o,
		.binary = binary, .out = out, .err = err, .errlen = errlen,
	};
	int ret;

	memset(out, 0, sizeof(*out));
	ret = walk_all(&w);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory walking the libraries of %s", binary);
	for (size_t i = 0; i < w.nobjs; i++) {
		free(w.objs[i].path);
		free(w.objs[i].origin);
		free(w.objs[i].gorigin);
		elf_info__free(&w.objs[i].info);
	}
	free(w.objs);
	for (size_t i = 0; i < out->n; i++)
		free(w.sonames[i]);
	free(w.sonames);
	if (w.cache_state > 0)
		ldcache__free(&w.cache);
	if (ret)
		elf_deps__free(out);
	return ret;
}
