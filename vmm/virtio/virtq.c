// SPDX-License-Identifier: GPL-2.0
/* Split virtqueue processing on untrusted guest memory (see virtq.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/virtio_ring.h>

#include "virtq.h"

#define DESC_SIZE 16u

void virtq__reset(struct virtq *q)
{
	memset(q, 0, sizeof(*q));
}

static bool aligned(uint64_t a, uint64_t al)
{
	return !(a & (al - 1));
}

int virtq__enable(struct virtq *q, const struct guest_mem *m)
{
	uint64_t n = q->num;

	if (!n || n > VIRTQ_MAX_SIZE || (n & (n - 1)))
		return -EINVAL;
	if (!aligned(q->desc_gpa, 16) || !aligned(q->avail_gpa, 2) || !aligned(q->used_gpa, 4))
		return -EINVAL;
	q->desc = guest_mem__ptr(m, q->desc_gpa, DESC_SIZE * n);
	q->avail = guest_mem__ptr(m, q->avail_gpa, 6 + 2 * n);
	q->used = guest_mem__ptr(m, q->used_gpa, 6 + 8 * n);
	if (!q->desc || !q->avail || !q->used) {
		q->desc = q->avail = q->used = NULL;
		return -EINVAL;
	}
	q->last_avail = 0;
	q->used_idx = 0;
	return 0;
}

static uint16_t avail_idx(const struct virtq *q)
{
	uint16_t idx;

	/* Acquire: ring entries written before idx are visible after it. */
	__atomic_load(( uint16_t *)(void *)(q->avail + 2), &idx, __ATOMIC_ACQUIRE);
	return idx;
}

bool virtq__has_avail(const struct virtq *q)
{
	return q->ready && q->avail && avail_idx(q) != q->last_avail;
}

int virtq__pop(struct virtq *q, const struct guest_mem *m, struct virtq_chain *c)
{
	uint16_t idx, head, i;
	uint64_t total = 0;

	if (!q->ready || !q->avail)
		return 0;
	idx = avail_idx(q);
	if (idx == q->last_avail)
		return 0;
	/* More pending than the ring holds: the driver's index is garbage. */
	if ((uint16_t)(idx - q->last_avail) > q->num)
		return -EINVAL;

	head = le16_get(q->avail + 4 + 2 * (q->last_avail % q->num));
	if (head >= q->num)
		return -EINVAL;
	q->last_avail++;

	memset(c, 0, offsetof(struct virtq_chain, seg));
	c->head = head;
	i = head;
	for (unsigned hops = 0;; hops++) {
		const uint8_t *d = q->desc + DESC_SIZE * i;
		uint64_t addr = le64_get(d);
		uint32_t len = le32_get(d + 8);
		uint16_t flags = le16_get(d + 12), next = le16_get(d + 14);
		struct virtq_seg *s;

		if (hops >= q->num)
			return -ELOOP;
		if (flags & VRING_DESC_F_INDIRECT)
			return -EINVAL;
		if (c->nseg >= VIRTQ_MAX_SEGS)
			return -E2BIG;
		total += len;
		if (total > VIRTQ_CHAIN_MAX_BYTES)
			return -E2BIG;
		s = &c->seg[c->nseg];
		s->p = guest_mem__ptr(m, addr, len);
		if (!s->p)
			return -EFAULT;
		s->len = len;
		s->writable = flags & VRING_DESC_F_WRITE;
		if (s->writable)
			c->writable += len;
		else
			c->readable += len;
		c->nseg++;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		if (next >= q->num)
			return -EINVAL;
		i = next;
	}
	return 1;
}

void virtq__push(struct virtq *q, uint16_t head, uint32_t len)
{
	uint8_t *e = q->used + 4 + 8 * (q->used_idx % q->num);
	uint16_t idx;

	le32_put(e, head);
	le32_put(e + 4, len);
	q->used_idx++;
	idx = q->used_idx;
	/* Release: the element is visible before the index that publishes it. */
	__atomic_store((uint16_t *)(void *)(q->used + 2), &idx, __ATOMIC_RELEASE);
}
