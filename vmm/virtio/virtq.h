/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.x 2.6) on untrusted guest memory. No indirect
 * descriptors, no event index. Every index, length and address read from the
 * ring is checked; a violation is an error (negative errno) that the
 * transport turns into DEVICE_NEEDS_RESET.
 *
 * Not thread-safe: the caller serialises all calls on one device.
 */
#ifndef KTSTR_VMM_VIRTQ_H
#define KTSTR_VMM_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"

#define VIRTQ_MAX_SIZE		256	/* QueueNumMax of our queues */
#define VIRTQ_CHAIN_MAX_BYTES	(1u << 20)	/* bytes one chain may describe */

struct virtq {
	/* programmed by the driver through the transport */
	uint16_t num;
	bool ready;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	/* device state */
	uint16_t last_avail;
	uint16_t used_idx;
	/* validated at enable time */
	uint8_t *desc, *avail, *used;
};

struct virtq_seg {
	uint8_t *p;			/* host pointer into guest memory */
	uint32_t len;
	bool writable;			/* device-writable (VIRTQ_DESC_F_WRITE) */
};

#define VIRTQ_MAX_SEGS 64

struct virtq_chain {
	uint16_t head;
	uint16_t nseg;
	struct virtq_seg seg[VIRTQ_MAX_SEGS];
	uint32_t readable, writable;	/* byte totals */
};

/* Back to the reset state (not ready, all zero). */
void virtq__reset(struct virtq *q);
/*
 * Validate the programmed size and ring addresses against @m and cache the
 * host pointers. Returns 0 or -EINVAL.
 */
int virtq__enable(struct virtq *q, const struct guest_mem *m);
/*
 * Take the next available chain. Returns 1 with @c filled, 0 when the ring
 * is empty, or a negative errno for a malformed ring or chain (-EFAULT bad
 * address, -ELOOP a loop or over-long chain, -EINVAL a bad index or flag,
 * -E2BIG more than VIRTQ_MAX_SEGS segments or VIRTQ_CHAIN_MAX_BYTES).
 */
int virtq__pop(struct virtq *q, const struct guest_mem *m, struct virtq_chain *c);
/* Put @head on the used ring with @len bytes written. */
void virtq__push(struct virtq *q, uint16_t head, uint32_t len);
/* True when the driver has made buffers available that we have not taken. */
bool virtq__has_avail(const struct virtq *q);

#endif
