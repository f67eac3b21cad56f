// SPDX-License-Identifier: GPL-2.0
/* ktstr: test Linux schedulers in small VMs of any topology. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "base/diag.h"
#include "ktstr-config.h"
#include "vm_vmm.h"

static int cmd_help(int argc, char **argv);

static const char help_usage[] =
	"usage: ktstr help [COMMAND]\n"
	"\n"
	"Show the help of COMMAND, or the list of commands.\n";

static const struct cmd commands[] = {
	{ "run", "run scenarios, each in its own VM, and check them", cmd_run_usage, cmd_run },
	{ "check", "validate scenario files (no VM, no kernel needed)", cmd_check_usage, cmd_check },
	{ "list", "show each scenario's topology, scheduler and variant count", cmd_list_usage,
	  cmd_list },
	{ "gauntlet", "expand scenarios across topology presets and flag profiles",
	  cmd_gauntlet_usage, cmd_gauntlet },
	{ "kernel", "build, cache and find sched_ext kernels (build, list, clean, path)",
	  cmd_kernel_usage, cmd_kernel },
	{ "doctor", "check /dev/kvm, its speed, qemu and the kernel: what 'run' will use",
	  cmd_doctor_usage, cmd_doctor },
	{ "compare", "compare two runs' --json results; exit 1 on a regression",
	  cmd_compare_usage, cmd_compare },
	{ "topo", "show this host's topology (e.g. 1n1l2c1t) and which presets fit it",
	  cmd_topo_usage, cmd_topo },
	{ "shell", "a busybox shell (or one command) in a VM under a scheduler",
	  cmd_shell_usage, cmd_shell },
	{ "verifier", "load a scheduler in a VM and show its BPF programs' verifier figures",
	  cmd_verifier_usage, cmd_verifier },
	{ "help", "show help for a command", help_usage, cmd_help },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct cmd *cmd__find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ktstr [--version] [--help] COMMAND [ARGS...]\n"
		"\n"
		"ktstr boots each scheduler test scenario in its own small virtual machine with\n"
		"the CPU topology it asks for, runs cgroups and workers inside and checks for\n"
		"starvation, stalls, broken cpuset isolation and unfairness.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'ktstr help COMMAND' or 'ktstr COMMAND --help' for a command's options.\n"
		"Scenario file format: man 5 ktstr-scenario. Exit status: 0 all passed or valid,\n"
		"1 something failed or is invalid, 2 usage or setup error.\n");
}

static void unknown_command(const char *name)
{
	const char *names[NCOMMANDS];
	const char *hint;

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	hint = diag__suggest(name, names, NCOMMANDS);
	if (hint)
		fprintf(stderr, "ktstr: no command '%s'; did you mean '%s'?\n", name, hint);
	else
		fprintf(stderr, "ktstr: no command '%s'; 'ktstr --help' lists them\n", name);
}

static int cmd_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	c = cmd__find(argv[1]);
	if (!c) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	fputs(c->usage, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	/* lib/vm/vm.h's VM_BACKEND_VMM: the in-process VMM linked into this program. */
	vm_vmm__register();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ktstr %s\n", KTSTR_VERSION);
		return EXIT_OK;
	}
	c = cmd__find(argv[1]);
	if (!c) {
		if (argv[1][0] == '-')
			fprintf(stderr, "ktstr: unknown option '%s'; 'ktstr --help' shows usage\n",
				argv[1]);
		else
			unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	/* Every command answers --help itself, before any other option parsing. */
	for (int i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(c->usage, stdout);
			return EXIT_OK;
		}
	}
	return c->run(argc - 1, argv + 1);
}
