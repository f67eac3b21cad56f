// SPDX-License-Identifier: GPL-2.0
/* ktstr shell's escape keys; see shell_keys.h. */
#include "shell_keys.h"

enum shell_key_action shell_keys__feed(struct shell_keys *k, const char *in, size_t n,
				       char *out, size_t *nout, size_t *used)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		if (!k->armed) {
			if (c == SHELL_KEYS_ESC)
				k->armed = true;
			else
				out[o++] = c;
			continue;
		}
		k->armed = false;
		if (c == 'x' || c == 'X') {
			*nout = o;
			*used = i + 1;
			return SHELL_KEY_QUIT;
		}
		if (c == 'h' || c == 'H' || c == '?') {
			*nout = o;
			*used = i + 1;
			return SHELL_KEY_HELP;
		}
		out[o++] = SHELL_KEYS_ESC;	/* Ctrl-A Ctrl-A: one; anything else: both */
		if (c != SHELL_KEYS_ESC)
			out[o++] = c;
	}
	*nout = o;
	*used = n;
	return SHELL_KEY_NONE;
}
