/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The escape keys of ktstr shell's interactive session (the convention of
 * qemu's -nographic console): every byte typed goes to the guest except
 * after Ctrl-A (SHELL_KEYS_ESC), which starts a command:
 *
 *   Ctrl-A x   leave: the VM is killed, ktstr exits 0
 *   Ctrl-A h   show these keys (also Ctrl-A ?)
 *   Ctrl-A Ctrl-A   send one Ctrl-A to the guest
 *
 * Ctrl-A followed by anything else sends both bytes, so that nothing typed
 * is lost. Only a terminal's input is filtered: piped input goes as it is.
 */
#ifndef KTSTR_SHELL_KEYS_H
#define KTSTR_SHELL_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define SHELL_KEYS_ESC	0x01	/* Ctrl-A */
#define SHELL_KEYS_HELP	"Ctrl-A x leaves the VM, Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A h this help"

enum shell_key_action {
	SHELL_KEY_NONE = 0,
	SHELL_KEY_QUIT,		/* Ctrl-A x */
	SHELL_KEY_HELP,		/* Ctrl-A h */
};

struct shell_keys {
	bool armed;		/* the last byte was an unpaired Ctrl-A */
};

/*
 * Filter @n typed bytes of @in: the bytes for the guest go to @out (room for
 * @n + 1 bytes: a pending Ctrl-A may come out with the next byte), their
 * count to *@nout. Stops after the first escape command and returns it
 * (SHELL_KEY_NONE when there was none); *@used is how many bytes of @in
 * were taken, so that the caller can act and feed the rest.
 */
enum shell_key_action shell_keys__feed(struct shell_keys *k, const char *in, size_t n,
				       char *out, size_t *nout, size_t *used);

#endif
