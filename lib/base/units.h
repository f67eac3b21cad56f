/* SPDX-License-Identifier: GPL-2.0 */
/* Values that carry units in scenario files: durations, percentages, fractions, sizes. */
#ifndef KTSTR_UNITS_H
#define KTSTR_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

/*
 * The longest duration ktstr accepts anywhere (a scenario, a step, a
 * threshold, --duration): a day. Every time derived from one (a VM's
 * timeout, a step total) then stays far from overflow.
 */
#define UNITS_DURATION_MAX_NS (24ULL * 3600 * NSEC_PER_SEC)

/*
 * "250us", "500ms", "2s", "1.5s", "10ns", "2m" (minutes). A unit is
 * required; "0" alone is accepted as zero. Result in nanoseconds, at most
 * UNITS_DURATION_MAX_NS. Returns 0 or -EINVAL/-ERANGE with a message in @err
 * (what was expected).
 */
int units__parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen);
/* "15%", "2.5%" -> 15.0, 2.5 (percent, not fraction). Requires the % sign. */
int units__parse_percent(const char *s, double *pct, char *err, size_t errlen);
/* "0.25", "1/4", "1" -> 0.25, 0.25, 1.0. No sign, no exponent. */
int units__parse_fraction(const char *s, double *frac, char *err, size_t errlen);
/* "32KiB", "4MiB", "1GiB", "512B" -> bytes. A unit is required. */
int units__parse_size(const char *s, uint64_t *bytes, char *err, size_t errlen);
/* Decimal integer with optional sign, whole string, range-checked. */
int units__parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *err, size_t errlen);
/* Plain decimal number, whole string, finite. */
int units__parse_double(const char *s, double *out, char *err, size_t errlen);

/* Format a duration the way a user would write it: "2s", "1.5s", "500ms", "250us". */
void units__format_duration(uint64_t ns, char *buf, size_t len);

#endif
