// SPDX-License-Identifier: GPL-2.0
/*
 * The executor's waits: holds, loop intervals and restart_scheduler's down
 * time, watching the control port (the host's SHUTDOWN and DUMP) and the
 * stop flags; shared by exec.c and exec_ops.c.
 */
#include "exec_int.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sched_proc.h"
#include "util.h"

#define TICK_NS (100 * NSEC_PER_MSEC)

bool exec__sched_gone(const struct exec_state *x)
{
	return x->e->sched_gone && *x->e->sched_gone;
}

bool exec__stopping(const struct exec_state *x)
{
	return x->shutdown || (x->e->stop && *x->e->stop) || exec__sched_gone(x);
}

/* Act on host -> guest frames (SHUTDOWN, DUMP); only their 16-byte headers matter. */
static void exec__control(struct exec_state *x, int timeout_ms)
{
	struct pollfd p = { .fd = x->control_fd, .events = POLLIN };
	uint8_t buf[4096];
	ssize_t n;

	if (x->control_fd < 0) {
		if (timeout_ms > 0)
			usleep((useconds_t)timeout_ms * 1000);
		return;
	}
	if (poll(&p, 1, timeout_ms) <= 0)
		return;
	n = read(x->control_fd, buf, sizeof(buf));
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			x->control_fd = -1;	/* host side closed: stop polling it */
		return;
	}
	for (ssize_t i = 0; i + (ssize_t)sizeof(struct ktstr_frame_hdr) <= n; i++) {
		struct ktstr_frame_hdr h;

		memcpy(&h, buf + i, sizeof(h));
		if (h.magic != KTSTR_PROTO_MAGIC || h.version != KTSTR_PROTO_VERSION || h.length)
			continue;
		if (h.type == KTSTR_MSG_SHUTDOWN) {
			agent__log("the host asked to shut down");
			x->shutdown = true;
		} else if (h.type == KTSTR_MSG_DUMP) {
			sched__dump(x->e->sched);
		}
	}
}

void exec__sleep_until(struct exec_state *x, uint64_t deadline)
{
	for (;;) {
		uint64_t now = mono_ns(), step;

		if (now >= deadline || exec__stopping(x))
			return;
		step = deadline - now < TICK_NS ? deadline - now : TICK_NS;
		if (x->control_fd >= 0)
			exec__control(x, (int)((step + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC));
		else
			sleep_until_ns(now + step);
	}
}
