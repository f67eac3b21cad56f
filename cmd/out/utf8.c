// SPDX-License-Identifier: GPL-2.0
/* UTF-8 validation for text that came from a guest. */
#include "utf8.h"

#include <string.h>

size_t utf8__seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c, min;
	size_t len;

	if (!n)
		return 0;
	c = s[0];
	if (c < 0x80) {
		len = 1;
		min = 0;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (cp)
		*cp = c;
	return len;
}

/*
 * Code points that are valid UTF-8 but that YAML (libyaml reads the JSON
 * lines back) refuses as raw characters: the C1 controls (U+0085 aside) and
 * U+FFFE, U+FFFF.
 */
static bool unprintable(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f && cp != 0x85) || cp == 0xfffe || cp == 0xffff;
}

bool utf8__valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n) {
		unsigned cp;
		size_t k = utf8__seq(p, n, &cp);

		if (!k || unprintable(cp))
			return false;
		p += k;
		n -= k;
	}
	return true;
}

void utf8__sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s, *w = p;
	size_t n = strlen(s);

	while (n) {
		unsigned cp;
		size_t k = utf8__seq(p, n, &cp);

		if (!k || unprintable(cp)) {
			*w++ = '?';
			k = k ? k : 1;
		} else {
			memmove(w, p, k);
			w += k;
		}
		p += k;
		n -= k;
	}
	*w = '\0';
}
