// SPDX-License-Identifier: GPL-2.0
/* The scheduler under test, host side; see sched_host.h. */
#include "sched_host.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched_find.h"
#include "out/term_text.h"

/* ---- setup */

static int push_arg(struct sched_host_setup *s, const char *a)
{
	char **p = realloc(s->args, (s->nargs + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	s->args = p;
	if (!(p[s->nargs] = strdup(a)))
		return -ENOMEM;
	s->nargs++;
	return 0;
}

int sched_host__setup(const struct scenario *sc, flag_mask profile, struct sched_host_setup *s,
		      char *err, size_t errlen)
{
	const struct sched_def *d = sc->sched;
	const char *base;
	char *wd;
	int ret;

	memset(s, 0, sizeof(*s));
	if (!d || d->eevdf)
		return 0;
	ret = sched_find(d->binary ? d->binary : d->name, s->host, sizeof(s->host), err, errlen);
	if (ret)
		return ret;
	base = strrchr(s->host, '/');
	base = base ? base + 1 : s->host;
	snprintf(s->guest, sizeof(s->guest), SCHED_HOST_GUEST_DIR "/%s", base);
	s->active = true;
	for (size_t i = 0; i < sc->nflags_required; i++) {
		int idx = sched_def__flag_index(d, sc->flags_required[i]);

		if (idx >= 0)
			profile |= (flag_mask)1 << idx;
	}
	for (size_t i = 0; i < d->nargs && !ret; i++)
		ret = push_arg(s, d->args[i]);
	wd = sched_def__watchdog_arg_for(d, sc->watchdog_timeout_ns ? sc->watchdog_timeout_ns :
					 d->watchdog_timeout_ns);
	if (!ret && wd)
		ret = push_arg(s, wd);
	free(wd);
	for (size_t f = 0; f < d->nflags && f < SCHED_MAX_FLAGS && !ret; f++)
		if (profile & ((flag_mask)1 << f))
			for (size_t i = 0; i < d->flags[f].nargs && !ret; i++)
				ret = push_arg(s, d->flags[f].args[i]);
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
}

void sched_host__setup_free(struct sched_host_setup *s)
{
	for (size_t i = 0; i < s->nargs; i++)
		free(s->args[i]);
	free(s->args);
	s->args = NULL;
	s->nargs = 0;
}

/* ---- collecting */

void sched_host__init(struct sched_host *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->last_step = UINT32_MAX;
}

void sched_host__data(struct sched_host *sh, const void *data, size_t len)
{
	size_t room = SCHED_HOST_LOG_MAX - sh->log_len, n = len < room ? len : room;

	if (n && sh->log_len + n + 1 > sh->log_cap) {
		size_t cap = sh->log_cap ? sh->log_cap : 16u << 10;
		char *p;

		while (cap < sh->log_len + n + 1)
			cap *= 2;
		p = realloc(sh->log, cap);
		if (!p) {
			sh->log_dropped += len;
			return;
		}
		sh->log = p;
		sh->log_cap = cap;
	}
	if (n) {
		memcpy(sh->log + sh->log_len, data, n);
		sh->log_len += n;
		sh->log[sh->log_len] = '\0';
	}
	sh->log_dropped += len - n;
}

void sched_host__frame(struct sched_host *sh, const struct proto_frame *f)
{
	switch (f->type) {
	case KTSTR_MSG_SCENARIO_START: {
		struct ktstr_msg_scenario_start m;

		memcpy(&m, f->payload, sizeof(m));
		sh->nsteps = m.nsteps;
		break;
	}
	case KTSTR_MSG_STEP: {
		struct ktstr_msg_step m;

		memcpy(&m, f->payload, sizeof(m));
		sh->last_step = m.index;
		sh->step_seen = true;
		break;
	}
	case KTSTR_MSG_LOG: {
		char text[128];
		unsigned step, down;
		int pid;

		snprintf(text, sizeof(text), "%.*s", (int)(f->length < 127 ? f->length : 127),
			 (const char *)f->payload);
		if (sh->nrestarts < RUN_RESTARTS_MAX &&
		    sscanf(text, KTSTR_LOG_SCHED_RESTARTED, &step, &down, &pid) == 3)
			sh->restarts[sh->nrestarts++] = (struct run_restart){ step, down };
		break;
	}
	case KTSTR_MSG_SCHED_EXIT: {
		size_t n = f->length - sizeof(sh->m);
		char *t;

		if (sh->exited)
			break;		/* the first report is the one */
		t = malloc(n + 1);
		if (!t)
			break;
		memcpy(&sh->m, f->payload, sizeof(sh->m));
		memcpy(t, f->payload + sizeof(sh->m), n);
		t[n] = '\0';
		for (char *p = t; p < t + n; p++)	/* untrusted: keep it printable */
			if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
				*p = '?';
		sh->text = t;
		sh->exited = true;
		break;
	}
	default:
		break;
	}
}

/* ---- the report's text */

void sched_host__field(const char *text, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);

	buf[0] = '\0';
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "--- ", 4))
			return;		/* the fields end at the first section */
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			const char *v = p + kl + 1;
			size_t n;

			v += *v == ' ';
			n = strcspn(v, "\n");
			snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), v);
			return;
		}
	}
}

const char *sched_host__section(const char *text, const char *name, size_t *len)
{
	char hdr[64];
	const char *p, *end;

	*len = 0;
	if (!text)
		return NULL;
	snprintf(hdr, sizeof(hdr), "--- %s ---\n", name);
	p = strstr(text, hdr);
	if (!p || (p != text && p[-1] != '\n'))
		return NULL;
	p += strlen(hdr);
	/* The scheduler log is the last section and may hold anything. */
	if (!strcmp(name, "scheduler log")) {
		*len = strlen(p);
		return p;
	}
	for (end = p; *end;) {
		const char *nl = strchr(end, '\n');
		size_t n = nl ? (size_t)(nl - end) : strlen(end);

		if (n >= 8 && !strncmp(end, "--- ", 4) && !strncmp(end + n - 4, " ---", 4))
			break;
		end += n + (nl ? 1 : 0);
	}
	*len = (size_t)(end - p);
	return p;
}

/* The line of @log before the first line starting with @next, or "". */
static void line_before(const char *log, size_t len, const char *next, char *buf, size_t cap)
{
	const char *prev = NULL, *p = log, *end = log + len;
	size_t prev_n = 0;

	buf[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (prev && n >= strlen(next) && !strncmp(p, next, strlen(next))) {
			snprintf(buf, cap, "%.*s", (int)(prev_n < cap ? prev_n : cap - 1), prev);
			return;
		}
		prev = p;
		prev_n = n;
		p += n + 1;
	}
}

/*
 * The line of @log that says most: the verifier's message (the line before
 * its "processed N insns" summary), else the first error-looking line that
 * is not a source annotation ("; ..."), else the last non-empty line.
 */
static void telling_line(const char *log, size_t len, char *buf, size_t cap)
{
	static const char *const pats[] = { "invalid ", "verifier", "load failed", "rror", "failed",
					     NULL };

	line_before(log, len, "processed ", buf, cap);
	for (int k = 0; pats[k] && !buf[0]; k++) {
		const char *p = log, *end = log + len;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			if (p[0] != ';' && memmem(p, n, pats[k], strlen(pats[k]))) {
				snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), p);
				break;
			}
			p += n + 1;
		}
	}
	if (!buf[0]) {			/* else its last non-empty line */
		const char *end = log + len, *start;

		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		snprintf(buf, cap, "%.*s", (int)((size_t)(end - start) < cap ? (size_t)(end - start)
									 : cap - 1), start);
	}
}

static void progress(const struct sched_host *sh, char *buf, size_t len)
{
	double s = sh->m.elapsed_ms / 1000.0;

	if (!sh->step_seen && !sh->m.elapsed_ms)
		snprintf(buf, len, "before the scenario started");
	else if (sh->nsteps && sh->last_step != UINT32_MAX)
		snprintf(buf, len, "during step %u of %u (%.1fs into the scenario)",
			 sh->last_step + 1, sh->nsteps, s);
	else
		snprintf(buf, len, "%.1fs into the scenario", s);
}

bool sched_host__reasons(const struct sched_host *sh, struct verdict *v)
{
	char event[32], reason[160], msg[600], ex[160], detail[700], where[96], line[400];
	char restart[96];
	const char *log;
	size_t log_len;

	if (sh->soft_timeout)
		verdict__fail(v, "timed out: the scenario was still running %u s before the hard "
			      "limit; ktstr asked the guest for the sched_ext dump and to stop",
			      VM_SOFT_TIMEOUT_MARGIN_MS / 1000);
	if (!sh->exited || !sh->text)
		return sh->soft_timeout;
	sched_host__field(sh->text, "event", event, sizeof(event));
	if (!strcmp(event, "running"))
		return false;		/* alive at the end: it carried a dump the host asked for */
	sched_host__field(sh->text, "reason", reason, sizeof(reason));
	sched_host__field(sh->text, "message", msg, sizeof(msg));
	sched_host__field(sh->text, "exit", ex, sizeof(ex));
	sched_host__field(sh->text, "detail", detail, sizeof(detail));
	sched_host__field(sh->text, "restart", restart, sizeof(restart));
	progress(sh, where, sizeof(where));
	log = sh->log;
	log_len = sh->log_len;
	if (!log_len)
		log = sched_host__section(sh->text, "scheduler log", &log_len);
	line[0] = '\0';
	if (log && log_len)
		telling_line(log, log_len, line, sizeof(line));

	if (restart[0] && (!strcmp(event, "not-attached") || !strcmp(event, "died-before-attach"))) {
		/* The agent's detail names the op: "did not re-attach within 10 s after ...". */
		verdict__fail(v, "scheduler %s; the scheduler %s%s%s",
			      detail[0] ? detail : "did not come back after restart_scheduler", ex,
			      line[0] ? "; its log: " : "", line);
	} else if (!strcmp(event, "not-attached")) {
		verdict__fail(v, "scheduler not attached: %s; the scheduler %s%s%s",
			      detail[0] ? detail : "it never appeared in /sys/kernel/sched_ext/root/ops",
			      ex, line[0] ? "; its log: " : "", line);
	} else if (!strcmp(event, "died-before-attach")) {
		verdict__fail(v, "scheduler process died before attaching: %s%s%s", ex,
			      line[0] ? "; its log: " : "", line);
	} else if (!strcmp(event, "disabled")) {
		verdict__fail(v, "scheduler process died: sched_ext disabled it %s (%s%s%s); the "
			      "scheduler %s", where, reason[0] ? reason : "no reason in the kernel log",
			      msg[0] ? ": " : "", msg, ex);
	} else {
		verdict__fail(v, "scheduler process died unexpectedly %s: %s%s%s%s%s", where, ex,
			      reason[0] ? "; sched_ext: " : "", reason, msg[0] ? ": " : "", msg);
	}
	return true;
}

void sched_host__finish(struct sched_host *sh, char **log, size_t *log_len, char **exit_text)
{
	*log = sh->log;
	*log_len = sh->log_len;
	*exit_text = sh->text;
	sh->log = NULL;
	sh->text = NULL;
	sh->log_len = sh->log_cap = 0;
}

void sched_host__soft_timeout(struct sched_host *sh, struct vm *vm)
{
	struct ktstr_frame_hdr h[2] = {
		{ .magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION, .type = KTSTR_MSG_DUMP },
		{ .magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION,
		  .type = KTSTR_MSG_SHUTDOWN },
	};

	sh->soft_timeout = true;
	vm__write_control(vm, h, sizeof(h));	/* empty payloads: crc32 of nothing is 0 */
}

void sched_host__expect_reason(struct verdict *v, const char *text)
{
	if (v->passed) {
		verdict__fail(v, "expected failure ('%s') but passed", text);
		return;
	}
	for (size_t i = 0; i < v->nreasons; i++)
		if (v->reasons[i] && strstr(v->reasons[i], text)) {
			v->passed = true;
			return;
		}
	verdict__fail(v, "expected a failure with '%s', but no reason above says so", text);
}

/* ---- the report's sections */

static void print_last_lines(const char *p, size_t len, unsigned nlines, FILE *out)
{
	size_t start = len;
	unsigned seen = 0;

	while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	start = len;
	while (start > 0) {
		if (p[start - 1] == '\n' && ++seen >= nlines)
			break;
		start--;
	}
	if (start)
		fprintf(out, "(last %u lines)\n", nlines);
	term_text__write(out, p + start, len - start, true);	/* the guest's bytes */
	fputc('\n', out);
}

void sched_host__print(const char *log, size_t log_len, const char *exit_text, FILE *out)
{
	const char *dump, *tail;
	size_t dump_len, tail_len;

	dump = sched_host__section(exit_text, "sched_ext dump", &dump_len);
	tail = sched_host__section(exit_text, "scheduler log", &tail_len);
	if ((log && log_len) || (tail && tail_len)) {
		fprintf(out, "\n--- scheduler log ---\n");
		if (log && log_len)
			print_last_lines(log, log_len, SCHED_HOST_LOG_LINES, out);
		else
			print_last_lines(tail, tail_len, SCHED_HOST_LOG_LINES, out);
	}
	if (exit_text) {
		const char *kl;
		size_t kl_len;

		kl = sched_host__section(exit_text, "kernel log", &kl_len);
		if (kl && kl_len) {
			fprintf(out, "\n--- sched_ext kernel log ---\n");
			term_text__write(out, kl, kl_len, true);
		}
	}
	if (dump && dump_len) {
		fprintf(out, "\n--- sched_ext dump ---\n");
		term_text__write(out, dump, dump_len, true);
		if (dump[dump_len - 1] != '\n')
			fputc('\n', out);
	}
}
