/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text from a guest is untrusted bytes. JSON lines, JUnit XML and libyaml
 * (which parses JSON lines back) all need valid UTF-8.
 */
#ifndef KTSTR_UTF8_H
#define KTSTR_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at @s (at most @n bytes): 1-4, or 0
 * when it is not one (bad lead or continuation byte, overlong, surrogate,
 * above U+10FFFF, or cut short). @cp, when given, receives the code point.
 */
size_t utf8__seq(const unsigned char *s, size_t n, unsigned *cp);
/*
 * Whether the NUL-terminated @s is valid UTF-8 without the characters YAML
 * cannot carry raw (C1 controls but U+0085, U+FFFE, U+FFFF).
 */
bool utf8__valid(const char *s);
/*
 * Make @s pass utf8__valid(), in place: every byte that is not part of a valid
 * sequence, and every such character, becomes one '?' (the text may shrink).
 */
void utf8__sanitize(char *s);

#endif
