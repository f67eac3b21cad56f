/* SPDX-License-Identifier: GPL-2.0 */
/* What a modular kernel adds to a run's initramfs: its modules and the loader. */
#ifndef KTSTR_RUN_MODULES_H
#define KTSTR_RUN_MODULES_H

#include <stddef.h>

#include "kmods.h"
#include "run_opts.h"

/*
 * For o->kernel: find its modules directory (o->modules_dir,
 * $KTSTR_MODULES_DIR, or beside a /boot/vmlinuz-REL image) and collect the
 * guest's modules into @km. Returns 1 with @loader set to the host's
 * ktstr-modload when there is something to load, 0 when the kernel needs no
 * modules, -errno with @err.
 */
int run_modules__prepare(const struct run_opts *o, struct kmods *km, char *loader, size_t len,
			 char *err, size_t errlen);

#endif
