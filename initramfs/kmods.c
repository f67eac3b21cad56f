// SPDX-License-Identifier: GPL-2.0
/* Pick a modular kernel's modules for the guest, with their dependencies. */
#include "kmods.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libkmod.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"

/* virtio-serial over PCI (qemu -M q35) or MMIO (the in-process VMM). */
const char *const kmods__guest_needs[] = { "virtio_pci", "virtio_mmio", "virtio_console" };
const size_t kmods__nguest_needs = sizeof(kmods__guest_needs) / sizeof(kmods__guest_needs[0]);

#define KMODS_MAX_DEPTH 32
#define KMODS_FILE_MAX (64u << 20)	/* the largest module file packed */

int kmods__image_release(const char *image, char *release, size_t len, char *err,
			 size_t errlen)
{
	unsigned char hdr[0x210];
	char buf[256];
	uint16_t off;
	ssize_t n;
	int fd = fsutil__open_regular(image);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", image, fsutil__strerror(-fd));
		return fd;
	}
	n = pread(fd, hdr, sizeof(hdr), 0);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4)) {
		close(fd);
		snprintf(err, errlen, "%s: not a bzImage (no HdrS signature), cannot tell its "
			 "kernel release", image);
		return -EINVAL;
	}
	/* setup_header.kernel_version: offset of the string, minus 0x200. */
	memcpy(&off, hdr + 0x20e, sizeof(off));
	n = off ? pread(fd, buf, sizeof(buf) - 1, (off_t)off + 0x200) : -1;
	close(fd);
	if (n <= 0) {
		snprintf(err, errlen, "%s: the setup header has no kernel version string", image);
		return -EINVAL;
	}
	buf[n] = '\0';
	buf[strcspn(buf, " ")] = '\0';	/* "6.1.0-56-cloud-amd64 (debian-kernel@...) #1 ..." */
	if (!buf[0] || strlen(buf) >= len) {
		snprintf(err, errlen, "%s: bad kernel version string", image);
		return -EINVAL;
	}
	snprintf(release, len, "%s", buf);
	return 0;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

int kmods__find_dir(const char *image, const char *explicit_dir, char *dir, size_t dirlen,
		    char *release, size_t rlen, char *err, size_t errlen)
{
	const char *env = getenv("KTSTR_MODULES_DIR");
	const char *given = explicit_dir && *explicit_dir ? explicit_dir : env && *env ? env : NULL;
	const char *base;
	int ret = kmods__image_release(image, release, rlen, err, errlen);

	if (given) {
		if (ret)
			return ret;
		if (!is_dir(given)) {
			snprintf(err, errlen, "modules directory %s%s: not a directory", given,
				 given == env ? " (KTSTR_MODULES_DIR)" : "");
			return -ENOTDIR;
		}
		base = strrchr(given, '/');
		base = base && base[1] ? base + 1 : given;
		if (strcmp(base, release) && strstr(given, "/lib/modules/")) {
			snprintf(err, errlen, "modules directory %s is for another kernel: %s is %s",
				 given, image, release);
			return -EINVAL;
		}
		snprintf(dir, dirlen, "%s", given);
		return 1;
	}
	if (ret)
		return 0;		/* not a bzImage we can read: treat as monolithic */
	/* PREFIX/boot/vmlinuz-REL -> PREFIX/lib/modules/REL */
	const char *slash = strrchr(image, '/');
	size_t plen;

	if (!slash || strncmp(slash + 1, "vmlinuz-", 8))
		return 0;
	plen = (size_t)(slash - image);
	if (plen < 5 || strncmp(slash - 5, "/boot", 5))
		return 0;
	plen -= 5;
	if ((size_t)snprintf(dir, dirlen, "%.*s/lib/modules/%s", (int)plen, image, release) >=
	    dirlen)
		return 0;
	return is_dir(dir) ? 1 : 0;
}

/* ---- the module index of a directory */

struct modfile {
	char *name;		/* "virtio_console" */
	char *rel;		/* "kernel/drivers/char/virtio_console.ko" */
};

struct index {
	struct modfile *v;
	size_t n, cap;
	size_t dirlen;
	char **builtin;
	size_t nbuiltin;
	int err;
};

static struct index *g_walk;	/* nftw has no user pointer */

/* "virtio-console.ko.xz" -> "virtio_console"; NULL if not a module. */
static char *mod_name(const char *base)
{
	const char *ko = strstr(base, ".ko");
	char *n;

	if (!ko || (ko[3] && ko[3] != '.'))
		return NULL;
	n = strndup(base, (size_t)(ko - base));
	for (char *p = n; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return n;
}

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct index *ix = g_walk;
	char *name;

	if (type != FTW_F)
		return 0;
	name = mod_name(path + ftw->base);
	if (!name)
		return 0;
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 256;
		struct modfile *v = realloc(ix->v, cap * sizeof(*v));

		if (!v) {
			free(name);
			ix->err = -ENOMEM;
			return 1;
		}
		ix->v = v;
		ix->cap = cap;
	}
	ix->v[ix->n].name = name;
	ix->v[ix->n].rel = strdup(path + ix->dirlen + 1);
	ix->n++;
	return 0;
}

static void index_builtin(struct index *ix, const char *dir)
{
	char path[PATH_MAX], line[PATH_MAX];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/modules.builtin", dir);
	fd = fsutil__open_regular(path);
	f = fd < 0 ? NULL : fdopen(fd, "re");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *base;
		char *name, **b;

		line[strcspn(line, "\n")] = '\0';
		base = strrchr(line, '/');
		name = mod_name(base ? base + 1 : line);
		b = name ? realloc(ix->builtin, (ix->nbuiltin + 1) * sizeof(*b)) : NULL;
		if (!b) {
			free(name);
			continue;
		}
		ix->builtin = b;
		ix->builtin[ix->nbuiltin++] = name;
	}
	fclose(f);
}

static void index_free(struct index *ix)
{
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->v[i].name);
		free(ix->v[i].rel);
	}
	for (size_t i = 0; i < ix->nbuiltin; i++)
		free(ix->builtin[i]);
	free(ix->v);
	free(ix->builtin);
}

static const struct modfile *index_find(const struct index *ix, const char *name)
{
	for (size_t i = 0; i < ix->n; i++)
		if (!strcmp(ix->v[i].name, name))
			return &ix->v[i];
	return NULL;
}

static bool index_builtin_has(const struct index *ix, const char *name)
{
	for (size_t i = 0; i < ix->nbuiltin; i++)
		if (!strcmp(ix->builtin[i], name))
			return true;
	return false;
}

/* ---- dependency order */

struct collect {
	const char *dir;
	struct index ix;
	struct kmod_ctx *ctx;
	struct kmods *out;
	const struct modfile **order;	/* parallel to out->load */
	char **direct;			/* parallel: "dep1,dep2" from modinfo */
	char *err;
	size_t errlen;
};

static bool loaded(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->out->nload; i++)
		if (!strcmp(c->out->load[i], name))
			return true;
	return false;
}

/* The comma-separated "depends" of a module file, from its modinfo. */
static int mod_depends(struct collect *c, const struct modfile *m, char **deps)
{
	char path[PATH_MAX];
	struct kmod_module *km = NULL;
	struct kmod_list *info = NULL, *l;
	int ret;

	*deps = NULL;
	snprintf(path, sizeof(path), "%s/%s", c->dir, m->rel);
	ret = kmod_module_new_from_path(c->ctx, path, &km);
	if (ret < 0) {
		snprintf(c->err, c->errlen, "cannot read module %s: %s", path, strerror(-ret));
		return ret;
	}
	ret = kmod_module_get_info(km, &info);
	if (ret < 0) {
		snprintf(c->err, c->errlen, "cannot read the modinfo of %s: %s", path,
			 strerror(-ret));
		kmod_module_unref(km);
		return ret;
	}
	ret = 0;
	kmod_list_foreach(l, info) {
		if (!strcmp(kmod_module_info_get_key(l), "depends")) {
			*deps = strdup(kmod_module_info_get_value(l) ? : "");
			if (!*deps)
				ret = -ENOMEM;
			break;
		}
	}
	kmod_module_info_free_list(info);
	kmod_module_unref(km);
	return ret;
}

static int add(struct collect *c, const char *name, const char *wanted_by, int depth)
{
	const struct modfile *m;
	char *deps = NULL, *save = NULL;
	int ret;

	if (loaded(c, name) || index_builtin_has(&c->ix, name))
		return 0;
	m = index_find(&c->ix, name);
	if (!m) {
		if (wanted_by)
			snprintf(c->err, c->errlen, "module %s (needed by %s) is not in %s", name,
				 wanted_by, c->dir);
		else
			snprintf(c->err, c->errlen, "module %s is neither built into the kernel nor "
				 "in %s; the guest needs it", name, c->dir);
		return -ENOENT;
	}
	if (depth > KMODS_MAX_DEPTH) {
		snprintf(c->err, c->errlen, "module dependencies in %s nest deeper than %d (a cycle "
			 "at %s?)", c->dir, KMODS_MAX_DEPTH, name);
		return -ELOOP;
	}
	ret = mod_depends(c, m, &deps);
	char *copy = deps ? strdup(deps) : strdup("");

	for (char *d = deps ? strtok_r(deps, ",", &save) : NULL; d && !ret;
	     d = strtok_r(NULL, ",", &save))
		if (*d)
			ret = add(c, d, name, depth + 1);
	free(deps);
	if (ret || !copy || loaded(c, name)) {
		free(copy);
		return ret ? ret : copy ? 0 : -ENOMEM;
	}

	size_t n = c->out->nload + 1;
	char **load = realloc(c->out->load, n * sizeof(*load));
	const struct modfile **order = load ? realloc(c->order, n * sizeof(*order)) : NULL;
	char **direct = order ? realloc(c->direct, n * sizeof(*direct)) : NULL;

	if (load)
		c->out->load = load;
	if (order)
		c->order = order;
	if (direct)
		c->direct = direct;
	if (!direct || !(c->out->load[n - 1] = strdup(name))) {
		free(copy);
		return -ENOMEM;
	}
	c->order[n - 1] = m;
	c->direct[n - 1] = copy;
	c->out->nload = n;
	return 0;
}

static int load_index(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->out->nload; i++)
		if (!strcmp(c->out->load[i], name))
			return (int)i;
	return -1;
}

/* Mark in @need every module @i depends on, directly or not. */
static void mark_deps(const struct collect *c, size_t i, bool *need)
{
	char *copy = strdup(c->direct[i]), *save = NULL;

	for (char *d = copy ? strtok_r(copy, ",", &save) : NULL; d; d = strtok_r(NULL, ",", &save)) {
		int j = load_index(c, d);

		if (j >= 0 && !need[j]) {
			need[j] = true;
			mark_deps(c, (size_t)j, need);
		}
	}
	free(copy);
}

/* ---- the files */

static int add_file(struct kmods *k, const char *guest, void *data, size_t len, mode_t mode)
{
	struct initramfs_file *f = realloc(k->files, (k->nfiles + 1) * sizeof(*f));
	char *g = strdup(guest);

	if (!f || !g) {
		free(g);
		free(data);
		if (f)
			k->files = f;
		return -ENOMEM;
	}
	k->files = f;
	f[k->nfiles++] = (struct initramfs_file){ .guest_path = g, .data = data, .len = len,
						 .mode = mode };
	return 0;
}

/* modules.dep as depmod writes it: "rel: deps..." with dependencies in reverse load order. */
static int write_moddep(struct collect *c, const char *release)
{
	char *buf = NULL, guest[PATH_MAX];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	bool *need = calloc(c->out->nload, sizeof(*need));

	for (size_t i = 0; need && i < c->out->nload; i++) {
		memset(need, 0, c->out->nload * sizeof(*need));
		mark_deps(c, i, need);
		fprintf(f, "%s:", c->order[i]->rel);
		for (size_t j = i; j-- > 0;)	/* dependencies load before, listed last first */
			if (need[j])
				fprintf(f, " %s", c->order[j]->rel);
		fputc('\n', f);
	}
	if (fclose(f) || !need) {
		free(need);
		free(buf);
		return -ENOMEM;
	}
	free(need);
	snprintf(guest, sizeof(guest), "/lib/modules/%s/modules.dep", release);
	return add_file(c->out, guest, buf, len, 0644);
}

int kmods__collect(const char *dir, const char *release, const char *const *want, size_t nwant,
		   struct kmods *out, char *err, size_t errlen)
{
	struct collect c = { .dir = dir, .out = out, .err = err, .errlen = errlen };
	int ret = 0;

	memset(out, 0, sizeof(*out));
	c.ix.dirlen = strlen(dir);
	g_walk = &c.ix;
	if (nftw(dir, walk_one, 16, FTW_PHYS)) {
		ret = c.ix.err ? c.ix.err : -errno;
		snprintf(err, errlen, "cannot read the modules directory %s: %s", dir,
			 strerror(-ret));
		goto out;
	}
	index_builtin(&c.ix, dir);
	c.ctx = kmod_new(dir, NULL);
	if (!c.ctx) {
		ret = -ENOMEM;
		snprintf(err, errlen, "libkmod could not start");
		goto out;
	}
	for (size_t i = 0; i < nwant && !ret; i++)
		ret = add(&c, want[i], NULL, 0);
	if (ret || !out->nload)
		goto out;

	char path[PATH_MAX], guest[PATH_MAX], *list = NULL;
	size_t listlen = 0;
	FILE *lf;

	for (size_t i = 0; i < out->nload && !ret; i++) {
		char *data = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, c.order[i]->rel);
		ret = fsutil__read(path, KMODS_FILE_MAX, &data, &len);
		if (ret) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(-ret));
			break;
		}
		snprintf(guest, sizeof(guest), "/lib/modules/%s/%s", release, c.order[i]->rel);
		ret = add_file(out, guest, data, len, 0644);
	}
	if (!ret)
		ret = write_moddep(&c, release);
	lf = ret ? NULL : open_memstream(&list, &listlen);
	if (lf) {
		for (size_t i = 0; i < out->nload; i++)
			fprintf(lf, "%s\n", c.order[i]->rel);
		ret = fclose(lf) ? -ENOMEM : add_file(out, KMODS_LOAD_LIST, list, listlen, 0644);
	} else if (!ret) {
		ret = -ENOMEM;
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
out:
	if (c.ctx)
		kmod_unref(c.ctx);
	index_free(&c.ix);
	for (size_t i = 0; c.direct && i < out->nload; i++)
		free(c.direct[i]);
	free(c.direct);
	free(c.order);
	g_walk = NULL;
	if (ret)
		kmods__free(out);
	return ret;
}

void kmods__free(struct kmods *k)
{
	for (size_t i = 0; i < k->nfiles; i++) {
		free((void *)k->files[i].guest_path);
		free((void *)k->files[i].data);
	}
	for (size_t i = 0; i < k->nload; i++)
		free(k->load[i]);
	free(k->files);
	free(k->load);
	memset(k, 0, sizeof(*k));
}
