/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr shell's part of run__variant (run_opts.shell): what the guest gets
 * besides a scenario's (busybox at /bin/busybox, the --include files under
 * RUN_SHELL_INCLUDE_DIR, the plan's shell records: lib/wire/plan_format.h)
 * and the live session: the console after the agent's KTSTR_SHELL_MARK,
 * the frames (SCENARIO_START: the shell runs; SCHED_EXIT: the scheduler
 * died or was disabled under it), and the VM to type into, handed to the
 * caller's callbacks (cmd/cmd_shell.c: the terminal). The escape keys of
 * the interactive session are in shell_keys.h.
 */
#ifndef KTSTR_RUN_SHELL_H
#define KTSTR_RUN_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "run_bins.h"
#include "sched_host.h"
#include "scenario/plan_write.h"
#include "vm/vm.h"
#include "wire/proto_reader.h"

#define RUN_SHELL_INCLUDE_DIR	"/ktstr/include"	/* --include PATH: DIR/<basename of PATH> */
#define RUN_SHELL_BUSYBOX_ENV	"KTSTR_BUSYBOX"		/* the host's busybox; default: PATH's */

/* One file or directory of the --include trees, as the guest gets it. */
struct run_shell_file {
	char *host;			/* NULL: a directory */
	char *guest;			/* under RUN_SHELL_INCLUDE_DIR */
	mode_t mode;			/* permission bits */
	bool elf;			/* packed with its libraries (run_bins), not as data */
};

/*
 * The agent's SCHED_EXIT while the shell runs, as a run's report words it,
 * for the terminal: "scheduler process died ... ; its log: ...".
 */
typedef void (*run_shell_note_fn)(void *arg, const char *text);

struct run_shell {
	/* Set by the caller before run__variant. */
	const char *busybox;		/* the host's busybox binary */
	struct plan_shell_req req;	/* interactive or a command, environment, window */
	bool verbose;			/* the console before the mark goes to on_boot */
	/* Called in vm__wait()'s thread; any may be NULL. */
	void (*on_start)(void *arg, struct vm *vm);	/* SCENARIO_START: the shell runs */
	void (*on_console)(void *arg, const void *data, size_t len);	/* its console */
	void (*on_boot)(void *arg, const void *data, size_t len);	/* console before it */
	run_shell_note_fn on_sched_exit;
	/* Called by run__variant before the VM is freed (any VM, started or not). */
	void (*on_end)(void *arg);
	void *arg;

	/* Filled by run_shell__include(). */
	struct run_shell_file *files;
	size_t nfiles;
	uint64_t include_bytes;

	/* run__variant's, per run. */
	size_t mark_matched;		/* bytes of KTSTR_SHELL_MARK matched so far */
	bool mark_seen;
	bool started;			/* SCENARIO_START came */
	struct sched_host sched;	/* for the SCHED_EXIT note */
	struct proto_reader rd;
	bool rd_init;
	struct vm *vm;
};

/* The host's busybox: $KTSTR_BUSYBOX, else "busybox" (looked up on PATH). */
const char *run_shell__busybox(void);

/*
 * Add --include @path: a file lands at RUN_SHELL_INCLUDE_DIR/<its name>, a
 * directory there with everything under it (symlinks followed, at most 16
 * levels, what is neither a file nor a directory skipped). 0, or -errno
 * with @err (unreadable, no name, two includes with the same name).
 */
int run_shell__include(struct run_shell *s, const char *path, char *err, size_t errlen);
void run_shell__free(struct run_shell *s);

/* ---- run__variant's calls; each does nothing when @s is NULL */

/* The plan's shell records. */
void run_shell__plan(struct run_shell *s, struct plan_opts *po);
/* busybox and the ELF includes into @b (packed with their libraries). 0 or -errno with @err. */
int run_shell__bins(struct run_shell *s, struct run_bins *b, char *err, size_t errlen);
/* Append an archive of the other includes to the initramfs @initrd. 0 or -errno with @err. */
int run_shell__append(struct run_shell *s, const char *initrd, char *err, size_t errlen);
/* Every chunk of every channel of @vm (opts.on_data). */
void run_shell__data(struct run_shell *s, struct vm *vm, enum vm_chan chan, const void *data,
		     size_t len);
/* The VM is about to be freed: on_end. */
void run_shell__end(struct run_shell *s);

/*
 * The console filter on its own (for tests): split @len bytes at
 * KTSTR_SHELL_MARK. Bytes before the mark go to @pre, the mark is dropped,
 * bytes after it go to @post; the state (s->mark_*) carries over chunks.
 */
void run_shell__mark(struct run_shell *s, const char *data, size_t len,
		     void (*pre)(void *arg, const void *d, size_t n),
		     void (*post)(void *arg, const void *d, size_t n), void *arg);

#endif
