/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared-library closure of an x86_64 ELF binary, found the way glibc's
 * ld.so would find it, so that an initramfs holding the binary plus these
 * files at these paths runs it.
 *
 * The interpreter (PT_INTERP) comes first, at the path the binary names.
 * Then DT_NEEDED names, breadth-first; each name is resolved once (later
 * requests for it reuse the first result, as the loader does). For each
 * name, in order:
 *   - a name with a '/' is used as a path as is;
 *   - DT_RPATH of the requesting object, then of the executable, but only
 *     when the requesting object has no DT_RUNPATH;
 *   - opts.ld_library_path (NOT the host's $LD_LIBRARY_PATH: see below);
 *   - DT_RUNPATH of the requesting object;
 *   - /etc/ld.so.cache (opts.ldcache_path);
 *   - /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib64, /lib, /usr/lib.
 * $ORIGIN (directory of the requesting object; see opts.guest_path), $LIB
 * ("lib/x86_64-linux-gnu", Debian's value) and $PLATFORM ("x86_64") are
 * expanded in RPATH/RUNPATH, with or without braces. (In the guest, ld.so
 * reads the executable's $ORIGIN from /proc/self/exe: /proc must be mounted
 * before such a binary is started.) A candidate that is not
 * a 64-bit x86_64 ELF is skipped, as ld.so skips it.
 *
 * Why the host's LD_LIBRARY_PATH is not read: the guest runs each binary
 * with the environment ktstr's agent gives it, not the host shell's, so a
 * library found only through the host variable would be packed at a path
 * the guest loader never searches, and the closure (and a cache key made
 * from it) would change with the caller's environment. A caller that sets
 * the same variable in the guest may pass it in opts.ld_library_path.
 */
#ifndef KTSTR_ELF_DEPS_H
#define KTSTR_ELF_DEPS_H

#include <stdbool.h>
#include <stddef.h>

enum elf_dep_via {
	ELF_DEP_INTERP,		/* PT_INTERP */
	ELF_DEP_PATH,		/* DT_NEEDED with a '/' */
	ELF_DEP_RPATH,
	ELF_DEP_LDPATH,		/* opts.ld_library_path */
	ELF_DEP_RUNPATH,
	ELF_DEP_CACHE,		/* /etc/ld.so.cache */
	ELF_DEP_DEFAULT,	/* a default directory */
};

struct elf_dep {
	char *name;		/* DT_NEEDED string, or the PT_INTERP path */
	char *path;		/* where the guest's loader opens it (pack it here) */
	char *real;		/* the host file, symlinks resolved (read it from here) */
	enum elf_dep_via via;
};

struct elf_deps {
	struct elf_dep *v;	/* interpreter first, then breadth-first */
	size_t n, cap;
	bool is_static;		/* no PT_INTERP and no DT_NEEDED */
};

struct elf_deps_opts {
	const char *ld_library_path;	/* ':'-separated; NULL = none */
	const char *ldcache_path;	/* NULL = LDCACHE_PATH; "" = no cache */
	/*
	 * Where the binary will be in the guest (NULL: its host path). A
	 * library found through the binary's $ORIGIN then gets the path the
	 * guest's loader computes from there (elf_dep.path), read from the
	 * host file the host's $ORIGIN gives (elf_dep.real).
	 */
	const char *guest_path;
};

/*
 * Fill @out (zeroed by the caller or freshly declared = {0}) with the
 * closure of @binary. Returns 0; or -ENOENT with "libfoo.so.1 needed by
 * BINARY not found in DIR:DIR..." in @err; or -ENOEXEC when @binary or the
 * interpreter is not a 64-bit x86_64 ELF; or another -errno. @out holds
 * nothing on error.
 */
int elf_deps__closure(const char *binary, const struct elf_deps_opts *o,
		      struct elf_deps *out, char *err, size_t errlen);
void elf_deps__free(struct elf_deps *d);
const char *elf_deps__via_name(enum elf_dep_via via);

/*
 * Is @path a 64-bit x86_64 ELF executable or shared object? 0 if so;
 * -ENOEXEC with the reason in @err (32-bit, another machine, not ELF);
 * -errno when unreadable.
 */
int elf_deps__check(const char *path, char *err, size_t errlen);

#endif
