// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr shell: a busybox shell, or one command, in a VM of a given topology
 * with a scheduler attached as `ktstr run` attaches it. The VM, the plan and
 * the initramfs are run__variant's (cmd/run/run_shell.h adds busybox, the
 * includes and the shell records); this file is the terminal: options, raw
 * mode, the typed bytes to the guest's console, the escape keys
 * (cmd/run/shell_keys.h) and the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "cli.h"
#include "cmd.h"
#include "run/run_shell.h"
#include "run/run_variant.h"
#include "run/shell_keys.h"
#include "run/shell_sched.h"
#include "run_setup.h"
#include "wire/plan_format.h"

#define EXIT_SHELL_FAILED 255	/* the VM or the shell failed, as ssh's own errors */
#define SHELL_PATH_TAIL SCHED_HOST_GUEST_DIR ":/bin:/sbin:/usr/bin:/usr/sbin"

const char cmd_shell_usage[] =
	"usage: ktstr shell [OPTIONS] [-- CMD [ARG...]]\n"
	"\n"
	"Boot a VM of the given topology with the scheduler attached as 'ktstr run'\n"
	"attaches it, and give this terminal a busybox shell on the VM's console. With\n"
	"-- CMD, run CMD there instead (no terminal, stdin /dev/null), print its output\n"
	"(stdout and stderr) on stdout and exit with its status. One word is a shell\n"
	"script (sh -c WORD); several are a command and its arguments, passed as given.\n"
	"\n"
	"Options:\n"
	"  --topology T       the VM's CPUs: 1n2l4c2t or a gauntlet preset name\n"
	"                     (default 1n1l2c1t, or what the scheduler's definition sets)\n"
	"  --scheduler S[:FLAG+FLAG...]\n"
	"                     the scheduler, and the flag profile to run it with as the\n"
	"                     gauntlet names them (scx-ktstr:short-slice): eevdf (the\n"
	"                     default), a definition (--schedulers, schedulers/S.yaml or\n"
	"                     scenarios/schedulers/S.yaml here or in ktstr's source tree\n"
	"                     when run from its build tree), else a binary S found as\n"
	"                     'ktstr run' finds schedulers, or at path S, run with no\n"
	"                     arguments\n"
	"  --schedulers FILE  load scheduler definitions from FILE (repeatable)\n"
	"  -i, --include PATH put the file or directory PATH in the guest at\n"
	"                     " RUN_SHELL_INCLUDE_DIR "/<its name>, which is on PATH;\n"
	"                     executables get their shared libraries (repeatable)\n"
	"  --kernel K         kernel to boot (default: as 'ktstr run' finds it)\n"
	"  --vmm qemu|kvm|auto, --accel tcg|kvm|auto, --tcg-threads single|multi|auto,\n"
	"  --modules DIR      as for 'ktstr run'\n"
	"  --timeout S        kill the VM after S seconds (default: never)\n"
	"  -v, --verbose      the kernel's boot messages and the agent's log on stderr\n"
	"  -h, --help         show this help\n"
	"\n"
	"In the guest: busybox's applets in /bin, the scheduler in " SCHED_HOST_GUEST_DIR ",\n"
	"PATH=" RUN_SHELL_INCLUDE_DIR "[:" RUN_SHELL_INCLUDE_DIR "/DIR for each included DIR]:\n"
	"     " SHELL_PATH_TAIL ",\n"
	"HOME=/tmp, TERM as here (else dumb), KTSTR_TOPOLOGY and KTSTR_SCHEDULER.\n"
	"\n"
	"The interactive shell has line editing and job control: Ctrl-C, Ctrl-Z and\n"
	"Ctrl-\\ go to the guest. Ctrl-A x leaves (the VM is killed), Ctrl-A Ctrl-A\n"
	"sends a Ctrl-A, Ctrl-A h lists these keys; 'exit' or Ctrl-D ends the shell and\n"
	"the VM. While the VM boots, Ctrl-C stops it. The window size is this\n"
	"terminal's at the start ('stty rows R cols C' inside after a resize).\n"
	"When stdin is not a terminal, the shell reads its commands from it as a\n"
	"script (no prompt, no echo, lines of at most 4095 bytes) and ends at its end;\n"
	"the output goes to stdout as with -- CMD.\n"
	"\n"
	"A scheduler that dies, or that sched_ext disables, while the shell runs is\n"
	"reported on stderr at once, and its log when the shell ends.\n"
	"\n"
	"Exit status: the shell's or CMD's (128 + N when killed by signal N), 0 after\n"
	"Ctrl-A x, 2 usage or setup error, 255 when the VM or the shell failed (the\n"
	"reasons and the console's last lines on stderr), 128 + N when ktstr got\n"
	"signal N, 141 when nothing reads its output any more (the VM is stopped).\n";

enum { OPT_TOPOLOGY = CLI_OPT_OWN, OPT_INCLUDE };

struct shell_sess {
	struct run_shell rs;
	bool interactive;		/* no CMD */
	bool tty;			/* stdin is a terminal: raw mode, escape keys; else a
					 * script (without CMD) */
	struct termios saved;
	bool raw;
	struct vm *vm;			/* from on_start to on_end */
	pthread_t th;
	bool th_started;
	int stop[2];			/* on_end wakes the stdin thread */
	struct shell_keys keys;
	atomic_bool quit;		/* Ctrl-A x */
	atomic_bool stopping;		/* on_end: the stdin thread must not wait */
	bool stdout_gone;		/* our stdout's reader left (EPIPE): the VM was killed */
};

/* 0, or -errno when @fd took not all of it. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A line of ktstr's own on stderr, "\r\n"-ended while the terminal is raw. */
static void sess_note(struct shell_sess *s, const char *text)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%sktstr shell: %s%s", s->raw ? "\r\n" : "", text,
			 s->raw ? "\r\n" : "\n");

	if (n > 0)
		write_all(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* Queue @len typed bytes for the guest; waits while 1 MiB is queued already. */
static void type_in(struct shell_sess *s, const void *data, size_t len)
{
	while (vm__write_console(s->vm, data, len) == -ENOBUFS && !atomic_load(&s->stopping))
		usleep(10000);
}

/* Feed a terminal's bytes through the escape keys; true when it is time to leave. */
static bool typed(struct shell_sess *s, const char *in, size_t n)
{
	char out[1024 + 1];	/* a Ctrl-A held from before may come out too */

	while (n) {
		size_t nout, used;
		enum shell_key_action a = shell_keys__feed(&s->keys, in, n > 1024 ? 1024 : n, out,
							   &nout, &used);

		if (nout)
			type_in(s, out, nout);
		in += used;
		n -= used;
		if (a == SHELL_KEY_QUIT) {
			atomic_store(&s->quit, true);
			vm__kill(s->vm);
			return true;
		}
		if (a == SHELL_KEY_HELP)
			sess_note(s, SHELL_KEYS_HELP);
	}
	return false;
}

/* What is typed (or piped) into the shell, until on_end stops it or Ctrl-A x. */
static void *stdin_main(void *arg)
{
	struct shell_sess *s = arg;
	char buf[1024], last = '\n';

	for (;;) {
		struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
				       { .fd = s->stop[0], .events = POLLIN } };
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		n = read(0, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			/* The script's end: its last line ended, then a ^D, the
			 * end of the guest's canonical read. */
			if (!s->tty && last != '\n')
				type_in(s, "\n", 1);
			if (!s->tty)
				type_in(s, "\x04", 1);
			break;
		}
		if (!s->tty) {
			type_in(s, buf, (size_t)n);
			last = buf[n - 1];
		} else if (typed(s, buf, (size_t)n)) {
			break;
		}
	}
	return NULL;
}

static void raw_on(struct shell_sess *s)
{
	struct termios t;

	if (tcgetattr(0, &s->saved))
		return;
	t = s->saved;
	cfmakeraw(&t);
	/* TCSANOW: what was typed during the boot stays, for the shell. */
	if (!tcsetattr(0, TCSANOW, &t))
		s->raw = true;
}

static void raw_off(struct shell_sess *s)
{
	if (!s->raw)
		return;
	tcsetattr(0, TCSANOW, &s->saved);
	s->raw = false;
}

/* SCENARIO_START: the shell runs; the interactive one gets this terminal. */
static void on_start(void *arg, struct vm *vm)
{
	struct shell_sess *s = arg;

	s->vm = vm;
	if (!s->interactive || !vm)
		return;
	if (s->tty)
		raw_on(s);
	if (pipe2(s->stop, O_CLOEXEC) < 0) {
		sess_note(s, "cannot forward stdin: out of file descriptors");
		return;
	}
	s->th_started = !pthread_create(&s->th, NULL, stdin_main, s);
	if (!s->th_started)
		sess_note(s, "cannot forward stdin: no thread");
}

static void on_console(void *arg, const void *data, size_t len)
{
	struct shell_sess *s = arg;

	/* `ktstr shell -- yes | head`: no one reads any more, nothing more to run. */
	if (!s->stdout_gone && write_all(1, data, len) == -EPIPE) {
		s->stdout_gone = true;
		if (s->vm)
			vm__kill(s->vm);
	}
}

static void on_boot(void *arg, const void *data, size_t len)
{
	(void)arg;
	write_all(2, data, len);
}

static void on_sched_exit(void *arg, const char *text)
{
	sess_note(arg, text);
}

/* The VM is about to be freed: stop typing into it, give the terminal back. */
static void on_end(void *arg)
{
	struct shell_sess *s = arg;

	if (s->th_started) {
		atomic_store(&s->stopping, true);
		write_all(s->stop[1], "x", 1);
		pthread_join(s->th, NULL);
		s->th_started = false;
	}
	for (int i = 0; i < 2; i++)
		if (s->stop[i] >= 0)
			close(s->stop[i]);
	s->stop[0] = s->stop[1] = -1;
	raw_off(s);
	s->vm = NULL;
}

/* The source tree's scenarios/schedulers when run from the build tree (cli.h). */
static const char *source_sched_dir(char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (!cli__source_scenarios(dir, sizeof(dir)))
		return NULL;
	if ((size_t)snprintf(buf, len, "%s/schedulers", dir) >= len)
		return NULL;
	return buf;
}

/* -- CMD ARG...: one word as it is (a script); several quoted for sh -c. */
static char *join_cmd(char **argv, int n)
{
	size_t len = 1;
	char *cmd, *p;

	if (n == 1)
		return strdup(argv[0]);
	for (int i = 0; i < n; i++) {
		len += 3;
		for (const char *c = argv[i]; *c; c++)
			len += *c == '\'' ? 4 : 1;
	}
	cmd = p = malloc(len);
	if (!cmd)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		*p++ = '\'';
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\'') {
				memcpy(p, "'\\''", 4);	/* close, an escaped quote, reopen */
				p += 4;
			} else {
				*p++ = *c;
			}
		}
		*p++ = '\'';
	}
	*p = '\0';
	return cmd;
}

/* The includes, an included directory itself too, then the scheduler and busybox. */
static char *shell_path(const struct shell_sess *s)
{
	const size_t pre = strlen(RUN_SHELL_INCLUDE_DIR "/");
	size_t len = strlen("PATH=" RUN_SHELL_INCLUDE_DIR ":" SHELL_PATH_TAIL) + 1;
	char *path;

	for (size_t i = 0; i < s->rs.nfiles; i++)
		len += strlen(s->rs.files[i].guest) + 1;
	path = malloc(len);
	if (!path)
		return NULL;
	strcpy(path, "PATH=" RUN_SHELL_INCLUDE_DIR);
	for (size_t i = 0; i < s->rs.nfiles; i++) {
		const struct run_shell_file *f = &s->rs.files[i];

		if (!f->host && !strchr(f->guest + pre, '/'))
			strcat(strcat(path, ":"), f->guest);
	}
	strcat(path, ":" SHELL_PATH_TAIL);
	return path;
}

/* The guest's environment: PATH, HOME, TERM and what it runs on. */
static int build_env(struct shell_sess *s, const struct shell_sched *ss, char **env, size_t cap)
{
	const char *term = getenv("TERM");
	size_t n = 0;

	if (!(env[n++] = shell_path(s)) ||
	    asprintf(&env[n++], "HOME=/tmp") < 0 ||
	    asprintf(&env[n++], "TERM=%s", s->interactive && s->tty && term && *term ? term : "dumb") < 0 ||
	    asprintf(&env[n++], "KTSTR_TOPOLOGY=%s", ss->topo_name) < 0 ||
	    asprintf(&env[n++], "KTSTR_SCHEDULER=%s", ss->label) < 0 ||
	    asprintf(&env[n++], "PS1=ktstr:\\w\\$ ") < 0 || n > cap)
		return -ENOMEM;
	return (int)n;
}

/* Why the VM or the shell failed: the reasons, how far the kernel got, the console. */
static void report_failure(const struct run_result *res, bool started)
{
	char tail[4096], *mark;
	const char *p;
	size_t n;

	fprintf(stderr, "ktstr shell: the VM ended (%s after %.1f s) before the shell %s:\n",
		vm_exit__str(res->vm.exit), res->vm.wall_ms / 1000.0,
		started ? "ended" : "started");
	for (size_t i = 0; i < res->verdict.nreasons; i++)
		fprintf(stderr, "  %s\n", res->verdict.reasons[i]);
	if (res->kernel_progress[0])
		fprintf(stderr, "  kernel: %s\n", res->kernel_progress);
	/* The last lines of the console, without the agent's mark. */
	p = res->console_tail;
	n = strnlen(p, sizeof(res->console_tail));
	if (n > sizeof(tail) - 1) {
		p += n - (sizeof(tail) - 1);
		n = sizeof(tail) - 1;
	}
	memcpy(tail, p, n);
	tail[n] = '\0';
	mark = strstr(tail, KTSTR_SHELL_MARK);
	if (mark)
		memmove(mark, mark + strlen(KTSTR_SHELL_MARK),
			strlen(mark + strlen(KTSTR_SHELL_MARK)) + 1);
	for (char *c = tail; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t')
			*c = '?';
	if (tail[0])
		fprintf(stderr, "--- console ---\n%s%s", tail,
			tail[strlen(tail) - 1] == '\n' ? "" : "\n");
}

/* The scheduler's end, when it had one (not a dump the host asked for). */
static void report_sched(const struct run_result *res)
{
	char event[32];

	if (!res->sched_exit)
		return;
	sched_host__field(res->sched_exit, "event", event, sizeof(event));
	if (!strcmp(event, "running"))
		return;
	sched_host__print(res->sched_log, res->sched_log_len, res->sched_exit, stderr);
}

static int shell_status(struct shell_sess *s, const struct run_result *res)
{
	if (atomic_load(&s->quit)) {
		fprintf(stderr, "\nktstr shell: left the VM (Ctrl-A x)\n");
		return EXIT_OK;
	}
	if (vm__signal_caught()) {
		fprintf(stderr, "ktstr shell: interrupted\n");
		return 128 + vm__signal_caught();
	}
	if (s->stdout_gone)	/* as a shell's pipeline reports it */
		return 128 + SIGPIPE;
	if (s->rs.started && res->stage == STAGE_EXITED && res->agent_exit >= 0 &&
	    res->agent_exit <= 255)
		return res->agent_exit;
	report_failure(res, s->rs.started);
	return EXIT_SHELL_FAILED;
}

static int parse_args(int argc, char **argv, struct run_setup *rs, struct run_opts *ro,
		      struct shell_sess *s, struct shell_sched_opts *so)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, RUN_OPT_KERNEL },
		{ "vmm", required_argument, NULL, RUN_OPT_VMM },
		{ "accel", required_argument, NULL, RUN_OPT_ACCEL },
		{ "timeout", required_argument, NULL, RUN_OPT_TIMEOUT },
		{ "modules", required_argument, NULL, RUN_OPT_MODULES },
		{ "tcg-threads", required_argument, NULL, RUN_OPT_TCG_THREADS },
		{ "topology", required_argument, NULL, OPT_TOPOLOGY },
		{ "scheduler", required_argument, NULL, CLI_OPT_SCHEDULER },
		{ "schedulers", required_argument, NULL, CLI_OPT_SCHED },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512];
	int c;

	opterr = 0;
	/* '+': the first word that is not an option ends them (CMD goes after --). */
	while ((c = getopt_long(argc, argv, "+:vi:", longopts, NULL)) != -1) {
		switch (run_setup__option(rs, ro, c, optarg, "shell")) {
		case 1:
			continue;
		case -1:
			return -1;
		}
		switch (c) {
		case OPT_TOPOLOGY:
			so->topology = optarg;
			break;
		case CLI_OPT_SCHEDULER:
			so->sched = optarg;
			break;
		case CLI_OPT_SCHED: {
			const char **v = realloc(so->sched_files,
						 (so->nsched_files + 1) * sizeof(*v));

			if (!v) {
				fprintf(stderr, "ktstr shell: out of memory\n");
				return -1;
			}
			v[so->nsched_files++] = optarg;
			so->sched_files = v;
			break;
		}
		case 'i':
		case OPT_INCLUDE:
			if (run_shell__include(&s->rs, optarg, err, sizeof(err))) {
				fprintf(stderr, "ktstr shell: %s\n", err);
				return -1;
			}
			break;
		case 'v':
			ro->verbose = true;
			break;
		default:
			cli__bad_option("shell", c, argv);
			return -1;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--")) {
		fprintf(stderr, "ktstr shell: unexpected '%s': a command goes after --, as in "
			"'ktstr shell -- %s'\n", argv[optind], argv[optind]);
		return -1;
	}
	if (optind < argc && !(s->rs.req.cmd = join_cmd(argv + optind, argc - optind))) {
		fprintf(stderr, "ktstr shell: out of memory\n");
		return -1;
	}
	s->interactive = !s->rs.req.cmd;
	s->tty = isatty(0);
	/* Piped commands: a script, read without a prompt or echo (plan_format.h). */
	s->rs.req.script = s->interactive && !s->tty;
	return 0;
}

int cmd_shell(int argc, char **argv)
{
	struct shell_sess s = { .stop = { -1, -1 } };
	struct shell_sched_opts so = { 0 };
	struct shell_sched ss = { 0 };
	struct run_result res = { 0 };
	char busybox[PATH_MAX], err[1024], klabel[160], srcdir[PATH_MAX];
	char *env[8] = { 0 };
	struct run_setup rs;
	struct kfind_result kr;
	struct run_opts ro;
	struct winsize ws;
	int nenv = 0, ret = EXIT_USAGE;

	run_setup__init(&rs, &ro);
	if (parse_args(argc, argv, &rs, &ro, &s, &so))
		goto out;
	if (fsutil__which(run_shell__busybox(), busybox, sizeof(busybox))) {
		fprintf(stderr, "ktstr shell: busybox ('%s') not found: install a static busybox "
			"(Debian: busybox-static) or set %s=/path/to/busybox\n",
			run_shell__busybox(), RUN_SHELL_BUSYBOX_ENV);
		goto out;
	}
	so.extra_dir = source_sched_dir(srcdir, sizeof(srcdir));
	if (shell_sched__resolve(&so, &ss, err, sizeof(err))) {
		fprintf(stderr, "ktstr shell: %s\n", err);
		goto out;
	}
	if (run_setup__kernel(rs.nkernels ? rs.kernels[rs.nkernels - 1] : NULL, &kr, "shell"))
		goto out;
	ro.kernel = kr.image;
	ro.kernel_elf = kr.vmlinux_pvh ? kr.vmlinux : NULL;
	ro.vmlinux = NULL;		/* no host-side monitor in a shell */
	ro.kernel_static_keys = kr.static_keys;
	if (run_setup__resolve(&rs, &ro, "shell"))
		goto out;
	run_setup__kernel_label(rs.nkernels ? rs.kernels[rs.nkernels - 1] : NULL, &kr, klabel,
				sizeof(klabel));
	ro.kernel_label = klabel;
	ro.profile = ss.profile;

	s.rs.busybox = busybox;
	s.rs.verbose = ro.verbose;
	s.rs.on_start = on_start;
	s.rs.on_console = on_console;
	s.rs.on_boot = on_boot;
	s.rs.on_sched_exit = on_sched_exit;
	s.rs.on_end = on_end;
	s.rs.arg = &s;
	nenv = build_env(&s, &ss, env, sizeof(env) / sizeof(env[0]));
	if (nenv < 0) {
		fprintf(stderr, "ktstr shell: out of memory\n");
		goto out;
	}
	s.rs.req.env = (const char *const *)env;
	s.rs.req.nenv = (size_t)nenv;
	if (s.interactive && s.tty && !ioctl(0, TIOCGWINSZ, &ws)) {
		s.rs.req.rows = ws.ws_row;
		s.rs.req.cols = ws.ws_col;
	}
	ro.shell = &s.rs;

	vm__signals_catch();
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout is an EPIPE (on_console) */
	cli__clean_leftovers("shell");
	if (s.interactive && s.tty)
		fprintf(stderr, "ktstr shell: %s, scheduler %s, kernel %s; Ctrl-A x leaves, "
			"'exit' ends the shell\n", ss.topo_name, ss.label, klabel);
	else if (ro.verbose)
		fprintf(stderr, "ktstr shell: %s, scheduler %s, kernel %s\n", ss.topo_name,
			ss.label, klabel);
	if (run__variant(ss.sc, &ss.sc->topology, &ro, &res, err, sizeof(err))) {
		fprintf(stderr, "ktstr shell: %s\n", err);
		goto out;
	}
	ret = shell_status(&s, &res);
	report_sched(&res);
out:
	run_result__free(&res);
	for (int i = 0; i < nenv; i++)
		free(env[i]);
	free((char *)s.rs.req.cmd);
	run_shell__free(&s.rs);
	shell_sched__free(&ss);
	free(so.sched_files);
	run_setup__free(&rs);
	return ret;
}
