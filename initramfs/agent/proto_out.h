/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's frame writer: frames (lib/wire/ktstr_proto.h) with a zlib crc32,
 * written to the results port. Writers are serialized by a mutex; a write
 * never blocks longer than the timeout (the host may be slow or gone): a
 * frame that cannot be written in time is dropped, possibly half-written,
 * which the host's reader detects and skips.
 */
#ifndef KTSTR_AGENT_PROTO_OUT_H
#define KTSTR_AGENT_PROTO_OUT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "ktstr_proto.h"

#define PROTO_OUT_TIMEOUT_NS (2ULL * 1000000000ULL)

struct proto_out {
	int fd;				/* -1: frames are discarded */
	uint64_t timeout_ns;		/* per frame */
	pthread_mutex_t lock;
	uint64_t sent, dropped;
};

/* @fd is set non-blocking; -1 discards. @timeout_ns 0 = PROTO_OUT_TIMEOUT_NS. */
void proto_out__init(struct proto_out *o, int fd, uint64_t timeout_ns);
void proto_out__destroy(struct proto_out *o);

/*
 * Send one frame whose payload is the concatenation of @iov[0..n-1].
 * Returns 0, -EMSGSIZE (over KTSTR_FRAME_MAX), -ETIMEDOUT or -errno.
 */
int proto_out__sendv(struct proto_out *o, uint16_t type, const struct iovec *iov, int n);
int proto_out__send(struct proto_out *o, uint16_t type, const void *payload, size_t len);
/* A text frame (HELLO, LOG, ERROR), without the NUL. */
__attribute__((format(printf, 3, 4)))
int proto_out__text(struct proto_out *o, uint16_t type, const char *fmt, ...);
/* A worker report with its arrays (what work_emit_fn receives). */
int proto_out__report(struct proto_out *o, const struct ktstr_msg_worker_report *r,
		      const uint64_t *lat, const struct ktstr_migration *mig);

#endif
