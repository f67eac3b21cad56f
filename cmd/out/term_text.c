// SPDX-License-Identifier: GPL-2.0
/* Text shown to people without its control characters (term_text.h). */
#include "term_text.h"

#include <string.h>

void term_text__write(FILE *f, const char *s, size_t len, bool lines)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && !(lines && c == '\n')) || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

void term_text__line(FILE *f, const char *s)
{
	if (s)
		term_text__write(f, s, strlen(s), false);
}
