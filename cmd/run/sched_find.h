/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding a scheduler's binary on the host (ktstr(1), SCHEDULERS).
 *
 * A definition's `binary` with a '/' is a path (relative to the current
 * directory). A bare name NAME is looked for, in order:
 *   1. $KTSTR_SCHEDULER: a directory holding NAME, or a file, which is then
 *      the binary of every scheduler found by name;
 *   2. next to the ktstr executable;
 *   3. the build directory's bpf/ (ktstr is <build>/cmd/ktstr there), where
 *      meson builds the bundled schedulers;
 *   4. $PATH.
 */
#ifndef KTSTR_SCHED_FIND_H
#define KTSTR_SCHED_FIND_H

#include <stddef.h>

#include "scenario/scenario.h"

/* Returns 0 with the path in @out, or -ENOENT with an error naming every place tried. */
int sched_find(const char *binary, char *out, size_t len, char *err, size_t errlen);

/* The same with the environment and ktstr's directory given (for tests). */
int sched_find__in(const char *binary, const char *env, const char *exe_dir, char *out,
		   size_t len, char *err, size_t errlen);

/*
 * scenario_set.learn_flags for `flags: from-binary`: find the definition's
 * binary, run it with --list-flags (5 s at most) and load the JSON array it
 * prints ([{"name": ..., "args": [...], "requires": [...]}]) as the
 * definition's flags, with the checks of a written list. 0 or -errno with @err.
 */
int sched_find__learn_flags(struct scenario_set *set, struct sched_def *def, char *err,
			    size_t errlen);
/*
 * Its second half: load @json, what @path printed for --list-flags (a
 * NUL-terminated string), into @def's flags (allocated in @set's arena).
 */
int sched_find__flags_from_json(struct scenario_set *set, struct sched_def *def,
				const char *path, const char *json, char *err, size_t errlen);

#endif
