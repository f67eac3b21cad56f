// SPDX-License-Identifier: GPL-2.0
/*
 * The configure step of a kernel build: the recipe's base (lean: make
 * allnoconfig; full: make defconfig + make kvm_guest.config), ktstr's
 * fragment and the user's merged in that order, make olddefconfig, then every
 * option of every fragment verified. A tree keeps its .config when that has
 * every option, unless ktstr configured it for another recipe: <tree>/MARKER
 * names the recipe ktstr last configured the tree with. A .config that is
 * replaced is saved as <tree>/SAVED first.
 */
#include "kernel_build_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel_config.h"

#define MARKER	".ktstr-config"		/* "<recipe crc> <label>\n" */
#define SAVED	".config.ktstr-old"

static void tree_path(struct kbuild *b, const char *name, char *buf, size_t cap)
{
	fsutil__fmt(buf, cap, "%s/%s", b->tree, name);
}

/* Merge every fragment, in order, into .config (none yet: an empty one). */
static int merge_all(struct kbuild *b)
{
	char path[PATH_MAX + 16];
	size_t clen = 0;
	char *config = NULL;
	int err;

	err = kbuild__read_config(b, &config, &clen);
	if (err && err != -ENOENT)
		return err;
	for (size_t i = 0; i < b->nfrags; i++) {
		size_t mlen;
		char *merged = kernel_config__merge(config ? config : "", clen, &b->frags[i], &mlen);

		free(config);
		if (!merged)
			return -ENOMEM;
		config = merged;
		clen = mlen;
		dprintf(b->log_fd, "\n==== ktstr: merged %s into .config\n", b->frags[i].name);
	}
	tree_path(b, ".config", path, sizeof(path));
	err = fsutil__write(path, config, clen);
	free(config);
	return err;
}

static const char *whose(const struct kbuild *b)
{
	return b->nfrags == 1 ? "ktstr's fragment" : "the fragments";
}

/*
 * How many options of the fragments .config lacks (0: none), -ENOENT when
 * there is no .config, or another -errno. @print: list them with hints.
 */
static int verify(struct kbuild *b, bool print)
{
	struct kconfig_check c;
	size_t clen;
	char *config;
	int n;

	n = kbuild__read_config(b, &config, &clen);
	if (n)
		return n;
	n = kernel_config__verify(b->frags, b->nfrags, config, clen, &c);
	free(config);
	if (n > 0 && print) {
		fprintf(b->log, "ktstr kernel build: %d option%s of %s did not survive "
			     "olddefconfig in %s/.config:\n", n, n == 1 ? "" : "s", whose(b),
			b->tree);
		kconfig_check__print(&c, b->log);
	}
	kconfig_check__free(&c);
	return n;
}

/* The recipe ktstr last configured the tree with: 0, or -errno when unknown. */
static int read_marker(struct kbuild *b, uint32_t *crc, char *label, size_t cap)
{
	char path[PATH_MAX + 16], *text, *end;
	int err;

	tree_path(b, MARKER, path, sizeof(path));
	err = fsutil__read(path, 4096, &text, NULL);
	if (err)
		return err;
	*crc = (uint32_t)strtoul(text, &end, 16);
	err = end == text + 8 && *end == ' ' ? 0 : -EINVAL;
	if (!err)
		fsutil__fmt(label, cap, "%.*s", (int)strcspn(end + 1, "\n"), end + 1);
	free(text);
	return err;
}

static int write_marker(struct kbuild *b)
{
	char path[PATH_MAX + 16], line[64];
	int n = snprintf(line, sizeof(line), "%08x %s\n", b->recipe_crc, b->label);

	tree_path(b, MARKER, path, sizeof(path));
	return fsutil__write(path, line, (size_t)n);
}

/* A tree's .config: 1 to keep it; 0 to configure afresh, the old one saved; -errno. */
static int keep_tree_config(struct kbuild *b)
{
	char path[PATH_MAX + 16], saved[PATH_MAX + 32], was[KRECIPE_LABEL_MAX];
	uint32_t crc;
	int missing, marked, err;

	missing = verify(b, false);
	if (missing == -ENOENT)
		return 0;
	if (missing < 0)
		return missing;
	marked = !read_marker(b, &crc, was, sizeof(was));
	if (!missing && marked && crc == b->recipe_crc) {
		fprintf(b->log, "keeping %s/.config: ktstr configured it as %s\n", b->tree,
			b->label);
		return 1;
	}
	if (!missing && !marked) {
		fprintf(b->log, "keeping %s/.config: it has every option of %s; ktstr did not "
			     "write it, so it is built as it is, whatever --config says (--clean "
			     "configures from scratch)\n", b->tree, whose(b));
		return 1;
	}
	tree_path(b, ".config", path, sizeof(path));
	tree_path(b, SAVED, saved, sizeof(saved));
	err = fsutil__copy(path, saved);
	if (err) {
		fprintf(b->log, "ktstr kernel build: cannot save %s as %s: %s\n", path, saved,
			strerror(-err));
		return err;
	}
	if (missing)
		fprintf(b->log, "%s lacks %d option%s of %s: configuring it from scratch (the "
			     "old one is saved as %s)\n", path, missing, missing == 1 ? "" : "s",
			whose(b), saved);
	else
		fprintf(b->log, "%s was configured by ktstr as %s: configuring it as %s (the old "
			     "one is saved as %s)\n", path, was, b->label, saved);
	return 0;
}

static void say_recipe(struct kbuild *b)
{
	fprintf(b->log, "configuring linux as %s: %s + ktstr's fragment", b->label,
		b->recipe->base == KCONFIG_LEAN ? "make allnoconfig" :
						  "make defconfig + make kvm_guest.config");
	for (size_t i = 1; i < b->nfrags; i++)
		fprintf(b->log, " + %s", b->frags[i].name);
	fprintf(b->log, " + make olddefconfig\n");
}

int kbuild__configure(struct kbuild *b)
{
	char *allno[] = { "make", "allnoconfig", NULL };
	char *defconfig[] = { "make", "defconfig", NULL };
	char *kvm[] = { "make", "kvm_guest.config", NULL };
	char *olddef[] = { "make", "olddefconfig", NULL };
	bool tree = b->src.kind == KSRC_TREE;
	char marker[PATH_MAX + 16];
	int err;

	if (kernel_config__overrides(b->frags, b->nfrags, b->log) < 0)
		return -ENOMEM;
	if (tree) {
		err = keep_tree_config(b);
		if (err)
			return err < 0 ? err : 0;
		tree_path(b, MARKER, marker, sizeof(marker));
		unlink(marker);
	}
	say_recipe(b);
	if (b->recipe->base == KCONFIG_LEAN) {
		err = kbuild__step(b, "make allnoconfig", allno);
	} else {
		err = kbuild__step(b, "make defconfig", defconfig);
		if (!err)
			err = kbuild__step(b, "make kvm_guest.config", kvm);
	}
	if (!err)
		err = merge_all(b);
	if (!err)
		err = kbuild__step(b, "make olddefconfig", olddef);
	if (err)
		return err;
	err = verify(b, true);
	if (err == -ENOENT)
		fprintf(b->log, "ktstr kernel build: make olddefconfig left no %s/.config\n",
			b->tree);
	if (err == -ENOENT || err > 0)
		return -EIO;
	if (err < 0)
		return err;
	return tree ? write_marker(b) : 0;
}
