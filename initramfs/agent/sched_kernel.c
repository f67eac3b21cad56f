// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel says about the scheduler: sysfs files, the kernel log's
 * sched_ext lines (/dev/kmsg), the sched_ext_dump tracepoint and SysRq-D.
 * The strings matched are kernel/sched/ext.c's (6.12):
 *   sched_ext: BPF scheduler "NAME" disabled (REASON)
 *   sched_ext: NAME: MESSAGE                      (error exits only)
 * and the tracepoint's "sched_ext_dump: LINE".
 */
#include "sched_kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define TRACEFS "/sys/kernel/tracing"
#define DUMP_EVENT TRACEFS "/events/sched_ext/sched_ext_dump/enable"
#define KMSG_FOLLOW 24			/* records kept after an error line (its stack) */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int sched_k__dump_tracepoint(bool on)
{
	return write_str(DUMP_EVENT, on ? "1" : "0");
}

void sched_k__sysrq_dump(void)
{
	int ret = write_str("/proc/sysrq-trigger", "D");

	if (ret)
		agent__log("SysRq-D: %s", strerror(-ret));
}

size_t sched_k__dump_read(char *buf, size_t cap)
{
	static const char tag[] = "sched_ext_dump: ";
	FILE *f = fopen(TRACEFS "/trace", "re");
	char line[1024];
	size_t len = strlen(buf);

	if (!f)
		return len;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, tag);
		size_t n;

		if (!p)
			continue;
		p += sizeof(tag) - 1;
		n = strlen(p);
		if (len + n + 1 >= cap)
			break;
		memcpy(buf + len, p, n);
		len += n;
		if (!n || buf[len - 1] != '\n')
			buf[len++] = '\n';
		buf[len] = '\0';
	}
	fclose(f);
	return len;
}

void sched_kmsg__open(struct sched_kmsg *k)
{
	memset(k, 0, sizeof(*k));
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd >= 0)
		lseek(k->fd, 0, SEEK_END);	/* only what happens from now on */
}

void sched_kmsg__close(struct sched_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

void sched_kmsg__forget(struct sched_kmsg *k)
{
	int fd = k->fd;

	memset(k, 0, sizeof(*k));
	k->fd = fd;
}

static void keep(struct sched_kmsg *k, const char *text)
{
	size_t n = strlen(text);

	if (k->len + n + 2 > sizeof(k->lines))
		return;			/* the first lines matter most */
	memcpy(k->lines + k->len, text, n);
	k->len += n;
	k->lines[k->len++] = '\n';
	k->lines[k->len] = '\0';
}

void sched_kmsg__line(struct sched_kmsg *k, const char *text, bool error_level)
{
	static const char dis[] = "sched_ext: BPF scheduler \"";
	const char *p = strstr(text, dis);

	if (p) {
		const char *name = p + sizeof(dis) - 1, *q = strchr(name, '"');
		const char *r = q ? strstr(q, " disabled (") : NULL;

		keep(k, text);
		if (q && r) {
			const char *end = strrchr(r, ')');

			snprintf(k->ops, sizeof(k->ops), "%.*s", (int)(q - name), name);
			r += strlen(" disabled (");
			if (end && end > r)
				snprintf(k->reason, sizeof(k->reason), "%.*s", (int)(end - r), r);
		}
		k->follow = error_level ? KMSG_FOLLOW : 0;
		return;
	}
	if (k->ops[0] && !k->message[0]) {
		char pre[96];

		snprintf(pre, sizeof(pre), "sched_ext: %s: ", k->ops);
		if (!strncmp(text, pre, strlen(pre))) {
			snprintf(k->message, sizeof(k->message), "%s", text + strlen(pre));
			keep(k, text);
			return;
		}
	}
	if (strstr(text, "sched_ext")) {
		keep(k, text);
	} else if (k->follow > 0 && (text[0] == ' ' || text[0] == '\t')) {
		k->follow--;		/* the error's stack trace */
		keep(k, text);
	}
}

bool sched_kmsg__kernel_exit(const struct sched_kmsg *k)
{
	return k->reason[0] && strcmp(k->reason, "unregistered from user space");
}

bool sched_kmsg__poll(struct sched_kmsg *k)
{
	char rec[2048];
	bool disabled = false;

	if (k->fd < 0)
		return false;
	for (;;) {
		ssize_t n = read(k->fd, rec, sizeof(rec) - 1);
		char *semi, *nl;
		int prio = 6;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on with the next */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "PRIO,SEQ,USEC,FLAGS;TEXT\n[ KEY=VALUE\n]..." */
		semi = strchr(rec, ';');
		if (!semi)
			continue;
		sscanf(rec, "%d", &prio);
		nl = strchr(semi + 1, '\n');
		if (nl)
			*nl = '\0';
		bool had = k->reason[0] != '\0';

		sched_kmsg__line(k, semi + 1, (prio & 7) <= 3);
		if (!had && k->reason[0])
			disabled = true;
	}
	return disabled;
}
