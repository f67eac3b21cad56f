/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel modules for modular kernels (a distribution's kernel, say, whose
 * virtio drivers are modules). The host picks the modules the guest needs and
 * their dependencies (read from each module's modinfo with libkmod), and
 * packs them with a generated modules.dep; in the guest, ktstr-modload loads
 * them with libkmod before the agent looks for its virtio ports.
 *
 * ktstr's own kernels are monolithic and need none of this.
 */
#ifndef KTSTR_KMODS_H
#define KTSTR_KMODS_H

#include <stdbool.h>
#include <stddef.h>

#include "initramfs.h"

/* Where the guest finds the list of modules to load, in load order. */
#define KMODS_LOAD_LIST "/ktstr/modules.load"
/* Where the loader is packed. */
#define KMODS_LOADER_GUEST "/ktstr/modload"

/* The modules every guest needs when they are not built in. */
extern const char *const kmods__guest_needs[];
extern const size_t kmods__nguest_needs;

/* "6.1.0-56-cloud-amd64" from a bzImage's setup header. Returns 0 or -errno. */
int kmods__image_release(const char *image, char *release, size_t len, char *err,
			 size_t errlen);

/*
 * The modules directory for @image: @explicit_dir when given (it must exist
 * and match the image's release), else $KTSTR_MODULES_DIR, else, for an image
 * at PREFIX/boot/vmlinuz-REL, PREFIX/lib/modules/REL when it exists.
 * Returns 1 with @dir and @release set, 0 when the kernel has no modules
 * directory (monolithic, or not found: nothing to do), -errno with @err when
 * a directory was named but is unusable.
 */
int kmods__find_dir(const char *image, const char *explicit_dir, char *dir, size_t dirlen,
		    char *release, size_t rlen, char *err, size_t errlen);

struct kmods {
	struct initramfs_file *files;	/* modules, modules.dep, the load list (data owned) */
	size_t nfiles;
	char **load;			/* module names in load order (dependencies first) */
	size_t nload;
};

/*
 * Collect @want (module names) and everything they depend on from @dir
 * (kernel release @release). Modules built into the kernel (modules.builtin)
 * are skipped; a wanted module that is neither there nor built in is an error
 * naming it and @dir. out->nload == 0 means nothing to load.
 */
int kmods__collect(const char *dir, const char *release, const char *const *want, size_t nwant,
		   struct kmods *out, char *err, size_t errlen);
void kmods__free(struct kmods *k);

#endif
