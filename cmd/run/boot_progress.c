// SPDX-License-Identifier: GPL-2.0
/* How far the guest's kernel got (boot_progress.h). */
#include <stdio.h>
#include <string.h>

#include "boot_progress.h"

static const struct {
	enum boot_milestone m;
	const char *needle;
	const char *what;
} milestones[] = {
	{ BOOT_KERNEL, "Linux version ", "the kernel started" },
	{ BOOT_CPUS, "smp: Brought up ", "its CPUs are up" },
	{ BOOT_FREEING, "Freeing unused kernel image", "init is about to run" },
	{ BOOT_INIT, "Run /init as init process", "init started" },
};

void boot_progress__init(struct boot_progress *b, bool quiet)
{
	memset(b, 0, sizeof(*b));
	b->quiet = quiet;
}

/* "[   12.345678] ...": the timestamp in microseconds, if the line has one. */
static bool line_ts(const char *l, uint64_t *us)
{
	uint64_t s = 0, frac = 0;
	int digits = 0, fdigits = 0;

	if (*l++ != '[')
		return false;
	while (*l == ' ')
		l++;
	for (; *l >= '0' && *l <= '9' && digits < 10; l++, digits++)
		s = s * 10 + (uint64_t)(*l - '0');
	if (!digits || *l++ != '.')
		return false;
	for (; *l >= '0' && *l <= '9' && fdigits < 6; l++, fdigits++)
		frac = frac * 10 + (uint64_t)(*l - '0');
	if (fdigits != 6 || *l != ']')
		return false;
	*us = s * 1000000u + frac;
	return true;
}

static void line_done(struct boot_progress *b)
{
	uint64_t us;

	b->line[b->len] = '\0';
	if (!b->len)
		return;
	if (b->reached < BOOT_OUTPUT)
		b->reached = BOOT_OUTPUT;
	if (line_ts(b->line, &us)) {
		b->last_ts_us = us;
		b->has_ts = true;
	}
	for (size_t i = 0; i < sizeof(milestones) / sizeof(milestones[0]); i++) {
		const char *at;

		if (milestones[i].m <= b->reached || !(at = strstr(b->line, milestones[i].needle)))
			continue;
		b->reached = milestones[i].m;
		snprintf(b->milestone_line, sizeof(b->milestone_line), "%s", at);
	}
	b->len = 0;
}

void boot_progress__feed(struct boot_progress *b, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n' || p[i] == '\r')
			line_done(b);
		else if (b->len < sizeof(b->line) - 1)
			b->line[b->len++] = (char)(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?');
	}
}

static const char *milestone_what(enum boot_milestone m)
{
	for (size_t i = 0; i < sizeof(milestones) / sizeof(milestones[0]); i++)
		if (milestones[i].m == m)
			return milestones[i].what;
	return "";
}

int boot_progress__format(const struct boot_progress *b, char *buf, size_t len)
{
	char ts[64] = "";
	/* A line still being assembled counts too: the kernel may stop mid-line. */
	struct boot_progress tmp = *b;

	if (tmp.len)
		line_done(&tmp);
	if (tmp.has_ts)
		snprintf(ts, sizeof(ts), "; its log stops at %llu.%03llu s guest time",
			 (unsigned long long)(tmp.last_ts_us / 1000000u),
			 (unsigned long long)(tmp.last_ts_us % 1000000u / 1000u));
	/* A quiet boot prints no milestones: say so rather than guess. */
	if (tmp.quiet && tmp.reached <= BOOT_OUTPUT)
		return snprintf(buf, len, "%s%s; the boot was quiet (loglevel=1): run with -v "
				"to see how far it got", tmp.reached == BOOT_NOTHING ?
				"nothing on the console" : "no milestone on the console",
				ts);
	switch (tmp.reached) {
	case BOOT_NOTHING:
		return snprintf(buf, len, "nothing on the console: not a kernel the VM can "
				"boot, or it stopped before its console came up");
	case BOOT_OUTPUT:
		return snprintf(buf, len, "console output but no kernel banner%s", ts);
	default:
		return snprintf(buf, len, "%s (%s)%s", milestone_what(tmp.reached),
				tmp.milestone_line, ts);
	}
}
