/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text from a scenario file or a guest, written for people: an escape
 * sequence could drive their terminal and a newline could forge a line of
 * ktstr's own output, so C0 controls and DEL are shown as \xNN instead.
 */
#ifndef KTSTR_TERM_TEXT_H
#define KTSTR_TERM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * @len bytes of @s on @f; with @lines, '\n' and '\t' pass (a log's lines),
 * without, only '\t' does (one line: a reason, a description).
 */
void term_text__write(FILE *f, const char *s, size_t len, bool lines);
/* term_text__write() of a NUL-terminated @s as one line; NULL writes nothing. */
void term_text__line(FILE *f, const char *s);

#endif
