/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/kernel: kernels for the VMs: sources (kernel_source.h), the
 * config: a base (lean: allnoconfig, full: defconfig + kvm_guest.config) with
 * the embedded ktstr fragment and the user's on top (kernel_recipe.h,
 * kernel_config.h), builds (kernel_build.h), the cache of built kernels with
 * its keys and metadata (this header, kernel_key.h), and finding a kernel by
 * path, key or version (kernel_find.h). It may include lib/base only.
 */

/*
 * The kernel cache: built kernels under <root>/kernels/<key>/, where root is
 * $KTSTR_CACHE_DIR, else $XDG_CACHE_HOME/ktstr, else ~/.cache/ktstr.
 *
 * A key is "<version>-<kind>-<source id>-x86_64-kc<recipe crc>": the
 * kernel's own version, how the source was given (package, tarball, tree),
 * 8 hex digits naming the source (CRC32 of the tarball, or the git HEAD of a
 * clean tree), the architecture, and the CRC32 of the configuration recipe
 * (base name, ktstr's fragment, the user's fragments: kernel_recipe.h), so
 * that lean, full and full with a fragment of one source are three entries.
 * An entry is stale when it was built with another ktstr fragment than this
 * binary's (metadata.json's "fragment_crc"): editing the fragment makes every
 * entry stale, whatever its recipe.
 *
 * An entry holds bzImage, vmlinux (DWARF stripped, symbols and BTF kept),
 * .config, System.map, build.log and metadata.json. Entries are built in
 * <root>/kernels/.tmp-<key>-<pid>/ and renamed into place; a per-key flock on
 * <root>/kernels/.locks/<key>.lock makes concurrent builds of one key build
 * it once.
 */
#ifndef KTSTR_KERNEL_CACHE_H
#define KTSTR_KERNEL_CACHE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "kernel_key.h"
#include "kernel_recipe.h"

#define KCACHE_SCHEMA		1
#define KCACHE_ARCH		"x86_64"
#define KCACHE_IMAGE		"bzImage"
#define KCACHE_META		"metadata.json"

/*
 * The cache root (see above). Returns 0, -ENOENT when no home is known, or
 * -ENAMETOOLONG when the path does not fit @cap.
 */
int kernel_cache__root(char *buf, size_t cap);
/* What to tell the user about kernel_cache__root()'s @err, into @buf. */
void kernel_cache__root_why(int err, size_t cap, char *buf, size_t buflen);
/* <root>/kernels */
int kernel_cache__kernels_dir(const char *root, char *buf, size_t cap);

/* --- metadata.json --- */

struct kernel_meta {
	int schema;
	char version[KCACHE_VERSION_MAX];
	enum ksrc_kind kind;
	char source_path[PATH_MAX];
	char source_id[48];	/* package/tarball: CRC32, 8 hex; tree: the git commit */
	char arch[16];
	char image[64];		/* the image's file name in the entry */
	uint32_t config_crc;	/* CRC32 of the entry's .config */
	uint32_t fragment_crc;	/* CRC32 of ktstr's fragment: the staleness test */
	enum kconfig_base config;	/* "config"; absent (older ktstr): full */
	size_t nfrags;		/* "fragments": the user's, in merge order */
	struct kmeta_frag {
		char path[PATH_MAX];
		uint32_t crc;
	} frags[KRECIPE_USER_MAX];
	char built_at[32];	/* RFC 3339, UTC */
	time_t built;		/* built_at parsed */
	uint64_t image_size, vmlinux_size;
	char ktstr_version[32];
};

/* What is wrong with an entry; KMETA_OK when nothing. */
enum kmeta_status {
	KMETA_OK,
	KMETA_MISSING,		/* no metadata.json */
	KMETA_UNREADABLE,	/* metadata.json exists but cannot be read */
	KMETA_TRUNCATED,	/* empty, or ends inside an object, array or string */
	KMETA_MALFORMED,	/* not JSON, or not an object */
	KMETA_SCHEMA,		/* other schema, a field missing or of the wrong type */
	KMETA_IMAGE_MISSING,	/* bzImage or vmlinux missing or empty */
};

/* "missing", "unreadable", "truncated", "malformed", "schema_mismatch", "image_missing" */
const char *kmeta_status__name(enum kmeta_status s);

/* Parse metadata.json text; on error @why says what is wrong. */
enum kmeta_status kernel_meta__parse(const char *text, size_t len, struct kernel_meta *m,
				     char *why, size_t cap);
/* Write @m as one JSON object (and a newline). */
void kernel_meta__write(FILE *f, const struct kernel_meta *m);
/* Write <dir>/metadata.json. Returns 0 or -errno. */
int kernel_meta__save(const char *dir, const struct kernel_meta *m);
/* Read and validate <dir>/metadata.json, then check the image and vmlinux exist. */
enum kmeta_status kernel_meta__load(const char *dir, struct kernel_meta *m, char *why, size_t cap);
/* RFC 3339 UTC ("2026-11-26T13:37:00Z") for @t; false when it does not parse. */
void kernel_meta__format_time(time_t t, char *buf, size_t cap);
bool kernel_meta__parse_time(const char *s, time_t *t);

/* --- entries --- */

struct kcache_entry {
	char key[KCACHE_KEY_MAX];
	char path[PATH_MAX];
	struct kernel_meta meta;
	enum kmeta_status status;
	char why[256];		/* what is wrong, when status != KMETA_OK */
	bool stale;		/* built with another ktstr fragment */
	uint64_t size;		/* bytes of all its files */
	time_t when;		/* built_at, or the directory's mtime when unknown */
	long long mtime_ns;	/* the directory's mtime: orders builds within a second */
};

struct kcache_list {
	struct kcache_entry *items;
	size_t n;
};

/* Load the entry @key. Returns 0 (check e->status), or -ENOENT when there is none. */
int kernel_cache__entry(const char *root, const char *key, struct kcache_entry *e);
/*
 * Every entry, newest first (by built_at, then by the directory's mtime). A
 * missing cache is an empty list. Returns 0 or -errno.
 */
int kernel_cache__list(const char *root, struct kcache_list *l);
void kcache_list__free(struct kcache_list *l);
/* An entry that may be used: valid, and built with this ktstr's fragment. */
bool kcache_entry__usable(const struct kcache_entry *e);
/*
 * The newest usable entry built from source @kind/@source_id with recipe
 * @recipe_crc (its key's "kc"), whatever its version. Returns 0, or -ENOENT.
 */
int kernel_cache__find_source(const char *root, enum ksrc_kind kind, uint32_t source_id,
			      uint32_t recipe_crc, struct kcache_entry *e);

/* --- locking and atomic install --- */

struct kcache_lock {
	int fd;
};

/*
 * Take the lock <root>/kernels/.locks/<name>.lock. When another process
 * holds it: -EWOULDBLOCK if !@wait; otherwise call @waiting once and poll
 * until it is free, returning -EINTR when a caught signal is pending (see
 * kproc.h). Returns 0 or -errno.
 */
int kernel_cache__lock(const char *root, const char *name, bool wait,
		       void (*waiting)(void *arg, const char *name), void *arg,
		       struct kcache_lock *l);
void kernel_cache__unlock(struct kcache_lock *l);
/*
 * Call @fn with the name of each lock under @root another process holds now:
 * the builds running at this moment. Returns how many, or -errno.
 */
int kernel_cache__building(const char *root, void (*fn)(void *arg, const char *name),
			   void *arg);

/* Create <root>/kernels/.tmp-<key>-<pid> (emptied first). Returns 0 or -errno. */
int kernel_cache__tmp_create(const char *root, const char *key, char *out, size_t cap);
/*
 * Rename @tmp to <root>/kernels/<key>; an existing entry is exchanged
 * atomically and then removed. Returns 0 or -errno.
 */
int kernel_cache__install(const char *root, const char *key, const char *tmp);
/* Remove .tmp-* directories whose process is gone. @removed counts them. */
int kernel_cache__clean_stale(const char *root, unsigned *removed);
/* Remove entry @key: renamed away first, so it vanishes at once. Returns 0 or -errno. */
int kernel_cache__remove(const char *root, const char *key);

#endif
