/* SPDX-License-Identifier: GPL-2.0 */
/*
 * initramfs: the host-side builder of the guest's initramfs, linked into
 * ktstr: the gzip'd cpio writer (cpio.h), the ELF shared-library closure
 * (elf_deps.h over elf_read.h and ldcache.h) and the kernel modules a modular
 * kernel needs (kmods.h), put together by this header's initramfs__build().
 * It may include lib/base only. The guest's programs it packs, the agent
 * (agent/, PID 1) and the module loader (modload/), are rooms of their own
 * that it never includes.
 */

/*
 * The guest's root file system as a gzip'd cpio archive.
 *
 * initramfs__build() writes the base archive: /dev /proc /sys /tmp /run,
 * the agent as /init, optional binaries (the scheduler, busybox for shell
 * mode), each ELF's shared-library closure at the paths the guest's loader
 * opens (see elf_deps.h), and files from memory. initramfs__write_overlay()
 * writes a small archive of files only (the per-variant plan). The kernel
 * unpacks concatenated archives in order, later files replacing earlier
 * ones, so `base + overlay` is the guest's root: the base can be cached and
 * reused while only the overlay changes per run.
 *
 * Output goes to opts.out_path, written to a temporary file in the same
 * directory and renamed into place (nothing is left behind on error), or,
 * when out_path is NULL, to a malloc'd buffer in *buf / *len.
 */
#ifndef KTSTR_INITRAMFS_H
#define KTSTR_INITRAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define INITRAMFS_PLAN_PATH	"/ktstr/plan"
#define INITRAMFS_BUSYBOX	"/bin/busybox"

/* A host ELF binary to pack, with its library closure. */
struct initramfs_bin {
	const char *host_path;
	const char *guest_path;	/* NULL: the host path */
};

/* A file from memory. */
struct initramfs_file {
	const char *guest_path;
	const void *data;
	size_t len;
	mode_t mode;		/* 0: 0644 */
};

struct initramfs_opts {
	const char *init;		/* host path of the agent, packed as /init (required) */
	const struct initramfs_bin *bins;	/* e.g. { "/usr/bin/scx_x", "/scheduler" } */
	size_t nbins;
	/* Shell mode: pack busybox_path (NULL: INITRAMFS_BUSYBOX) at
	 * /bin/busybox with a /bin/sh symlink to it. */
	bool busybox;
	const char *busybox_path;
	const struct initramfs_file *files;	/* e.g. the plan at INITRAMFS_PLAN_PATH */
	size_t nfiles;
	const char *ld_library_path;	/* see elf_deps.h; NULL = none */
	const char *ldcache_path;	/* NULL = /etc/ld.so.cache, "" = none */
	int level;			/* zlib level 1..9; 0 = 6 */
	const char *out_path;		/* NULL: to *buf / *len */
	bool verbose;			/* list what is packed on stderr */
};

/*
 * Build the base archive. Returns 0; or -errno with a message in @err naming
 * the binary, library or path at fault and what to do. With out_path NULL,
 * *@buf (malloc'd, freed by the caller) and *@len receive the archive;
 * otherwise they may be NULL and *@len, when given, is the file's size.
 */
int initramfs__build(const struct initramfs_opts *o, void **buf, size_t *len,
		     char *err, size_t errlen);

/*
 * Write an archive of just @files (parents created), to @out_path
 * atomically or, when NULL, to *@buf / *@len. Returns as above.
 */
int initramfs__write_overlay(const struct initramfs_file *files, size_t nfiles,
			     const char *out_path, void **buf, size_t *len,
			     char *err, size_t errlen);

#endif
