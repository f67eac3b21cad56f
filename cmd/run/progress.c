// SPDX-License-Identifier: GPL-2.0
/* The gauntlet's progress line: done/total, failures, elapsed, estimate. */
#include "progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

uint64_t progress__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void progress__init(struct progress *p, FILE *out, bool tty, size_t total, unsigned jobs,
		    double est_each_s)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->tty = tty;
	p->total = total;
	p->jobs = jobs ? jobs : 1;
	p->est_each_s = est_each_s;
	p->t0_ms = progress__now_ms();
}

void progress__finish(struct progress *p, bool failed, bool skipped, double secs)
{
	p->done++;
	p->failed += failed;
	p->skipped += skipped;
	if (!skipped)
		p->sum_s += secs;
}

double progress__eta_s(const struct progress *p)
{
	size_t ran = p->done - p->skipped, left = p->total - p->done;
	double mean = ran ? p->sum_s / (double)ran : p->est_each_s;
	size_t par = left < p->jobs ? left : p->jobs;

	if (!left)
		return 0;
	return mean * (double)left / (double)(par ? par : 1);
}

static void fmt_time(char *buf, size_t len, double s)
{
	unsigned long t = s > 0 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

void progress__format(const struct progress *p, uint64_t now_ms, char *buf, size_t len)
{
	char el[32], eta[32];
	int w = snprintf(NULL, 0, "%zu", p->total);

	fmt_time(el, sizeof(el), (double)(now_ms - p->t0_ms) / 1000.0);
	fmt_time(eta, sizeof(eta), progress__eta_s(p));
	snprintf(buf, len, "[%*zu/%zu] %zu failed, %zu skipped, %zu running, %s elapsed, ~%s left",
		 w, p->done, p->total, p->failed, p->skipped, p->running, el, eta);
}

void progress__draw(struct progress *p)
{
	struct winsize ws;
	char line[256];
	size_t n;

	if (!p->tty)
		return;
	progress__format(p, progress__now_ms(), line, sizeof(line));
	n = strlen(line);
	/* One column short of the width: a full line would wrap on some terminals. */
	if (!ioctl(fileno(p->out), TIOCGWINSZ, &ws) && ws.ws_col > 1 && n >= ws.ws_col)
		line[ws.ws_col - 1] = '\0';
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->shown = true;
}

void progress__clear(struct progress *p)
{
	if (!p->tty || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = false;
}
