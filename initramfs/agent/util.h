/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the agent's files: the clock and sleeping (logging: log.h). */
#ifndef KTSTR_AGENT_UTIL_H
#define KTSTR_AGENT_UTIL_H

#include <stdint.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Sleep until CLOCK_MONOTONIC reaches @deadline_ns (restarts on EINTR). */
static inline void sleep_until_ns(uint64_t deadline_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline_ns / NSEC_PER_SEC),
			       .tv_nsec = (long)(deadline_ns % NSEC_PER_SEC) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
}

#endif
