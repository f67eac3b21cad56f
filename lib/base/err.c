// SPDX-License-Identifier: GPL-2.0
/* err__set(), the one error helper (err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int err__set(int ret, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}
