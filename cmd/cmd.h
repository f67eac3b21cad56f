/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room cmd, the subcommands of the ktstr executable: main.c dispatches to one
 * file per subcommand (cmd_*.c), and the top holds what they share (cli:
 * loading scenario files and the expansion options; run_setup: kernel,
 * agent, backend and thresholds before the first VM; host_tool: host
 * programs' versions). It sits on top: it may include lib/ (base, topo,
 * wire, verdict, scenario, gauntlet, kernel, vm), initramfs, vmm (and
 * vmm/platform), cmd/run and cmd/out; nothing includes it.
 */
#ifndef KTSTR_CMD_H
#define KTSTR_CMD_H

/* Exit statuses shared by every subcommand. */
#define EXIT_OK		0	/* everything passed / was valid */
#define EXIT_FAILED	1	/* a scenario failed or a file is invalid */
#define EXIT_USAGE	2	/* bad usage or a setup error */

struct cmd {
	const char *name;
	const char *summary;	/* one line for `ktstr --help` */
	const char *usage;	/* full text for `ktstr help NAME` and NAME --help */
	int (*run)(int argc, char **argv);
};

int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_gauntlet(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_kernel(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_verifier(int argc, char **argv);

extern const char cmd_check_usage[];
extern const char cmd_list_usage[];
extern const char cmd_gauntlet_usage[];
extern const char cmd_run_usage[];
extern const char cmd_kernel_usage[];
extern const char cmd_doctor_usage[];
extern const char cmd_compare_usage[];
extern const char cmd_topo_usage[];
extern const char cmd_shell_usage[];
extern const char cmd_verifier_usage[];

const struct cmd *cmd__find(const char *name);

#endif
