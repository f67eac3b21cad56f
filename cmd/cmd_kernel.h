/* SPDX-License-Identifier: GPL-2.0 */
/* ktstr kernel SUBCOMMAND: shared between cmd_kernel*.c. */
#ifndef KTSTR_CMD_KERNEL_H
#define KTSTR_CMD_KERNEL_H

#include <stddef.h>
#include <stdint.h>

int cmd_kernel_build(int argc, char **argv);
/* "11.0 MiB" */
void cmd_kernel__size(uint64_t bytes, char *buf, size_t cap);

#endif
