// SPDX-License-Identifier: GPL-2.0
/* The virtio-mmio v2 register file (see virtio_mmio.h). */
#include <stdio.h>
#include <string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>

#include "virtio_mmio.h"

#define MMIO_MAGIC 0x74726976u		/* "virt" */

void virtio_mmio__init(struct virtio_mmio *vm, const struct virtio_mmio_ops *ops,
		       const struct guest_mem *mem, uint32_t device_id,
		       uint64_t device_features, uint16_t nqueues,
		       void *config, uint32_t config_len, virtio_irq_fn irq, void *irq_ctx)
{
	memset(vm, 0, sizeof(*vm));
	vm->ops = ops;
	vm->mem = *mem;
	vm->device_id = device_id;
	vm->device_features = device_features | (1ull << VIRTIO_F_VERSION_1);
	vm->nqueues = nqueues > VIRTIO_MMIO_MAX_QUEUES ? VIRTIO_MMIO_MAX_QUEUES : nqueues;
	vm->config = config;
	vm->config_len = config_len;
	vm->irq = irq;
	vm->irq_ctx = irq_ctx;
}

bool virtio_mmio__running(const struct virtio_mmio *vm)
{
	return (vm->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vm->error &&
	       !(vm->status & VIRTIO_CONFIG_S_FAILED);
}

bool virtio_mmio__queue_live(const struct virtio_mmio *vm, unsigned q)
{
	return q < vm->nqueues && vm->vq[q].ready && virtio_mmio__running(vm);
}

void virtio_mmio__interrupt(struct virtio_mmio *vm, uint32_t bits)
{
	vm->interrupt_status |= bits;
	if (vm->irq)
		vm->irq(vm->irq_ctx);
}

void virtio_mmio__fail(struct virtio_mmio *vm, const char *why)
{
	if (vm->error)
		return;
	vm->error = why;
	vm->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	if (vm->status & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_mmio__interrupt(vm, VIRTIO_MMIO_INT_CONFIG);
}

static void device_reset(struct virtio_mmio *vm)
{
	vm->status = 0;
	vm->device_features_sel = vm->driver_features_sel = 0;
	vm->driver_features = 0;
	vm->queue_sel = 0;
	vm->interrupt_status = 0;
	vm->error = NULL;
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++)
		virtq__reset(&vm->vq[i]);
	if (vm->ops && vm->ops->reset)
		vm->ops->reset(vm);
}

static struct virtq *cur_queue(struct virtio_mmio *vm)
{
	return vm->queue_sel < vm->nqueues ? &vm->vq[vm->queue_sel] : NULL;
}

static uint32_t reg_read(struct virtio_mmio *vm, uint64_t off)
{
	struct virtq *q = cur_queue(vm);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return vm->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (vm->device_features_sel > 1)
			return 0;
		return (uint32_t)(vm->device_features >> (32 * vm->device_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return q ? VIRTQ_MAX_SIZE : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return q ? q->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return vm->interrupt_status;
	case VIRTIO_MMIO_STATUS:
		return vm->status;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
		return q ? (uint32_t)q->desc_gpa : 0;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		return q ? (uint32_t)(q->desc_gpa >> 32) : 0;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
		return q ? (uint32_t)q->avail_gpa : 0;
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		return q ? (uint32_t)(q->avail_gpa >> 32) : 0;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
		return q ? (uint32_t)q->used_gpa : 0;
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		return q ? (uint32_t)(q->used_gpa >> 32) : 0;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH:
		return 0xffffffffu;		/* no shared memory regions */
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return vm->config_generation;
	default:
		return 0;
	}
}

static void set_addr(struct virtq *q, uint64_t *a, uint32_t v, bool high)
{
	if (!q || q->ready)
		return;			/* only while the queue is disabled */
	if (high)
		*a = (*a & 0xffffffffull) | (uint64_t)v << 32;
	else
		*a = (*a & ~0xffffffffull) | v;
}

static void write_status(struct virtio_mmio *vm, uint32_t v)
{
	uint32_t old = vm->status;

	if (!v) {
		device_reset(vm);
		return;
	}
	if (v & VIRTIO_CONFIG_S_FEATURES_OK && !(old & VIRTIO_CONFIG_S_FEATURES_OK)) {
		/* Accept only a subset of ours that includes VERSION_1. */
		if ((vm->driver_features & ~vm->device_features) ||
		    !(vm->driver_features & (1ull << VIRTIO_F_VERSION_1)))
			v &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	}
	/* The device owns NEEDS_RESET; the driver cannot set or clear it. */
	v = (v & ~VIRTIO_CONFIG_S_NEEDS_RESET) | (old & VIRTIO_CONFIG_S_NEEDS_RESET);
	vm->status = v;
	if ((v & VIRTIO_CONFIG_S_DRIVER_OK) && !(old & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !vm->error && vm->ops && vm->ops->driver_ok)
		vm->ops->driver_ok(vm);
}

static void write_queue_ready(struct virtio_mmio *vm, struct virtq *q, uint32_t v)
{
	if (!q)
		return;
	if (!v) {
		q->ready = false;
		return;
	}
	if (q->ready)
		return;
	if (virtq__enable(q, &vm->mem)) {
		virtio_mmio__fail(vm, "queue enabled with a bad size or ring address");
		return;
	}
	q->ready = true;
}

static void reg_write(struct virtio_mmio *vm, uint64_t off, uint32_t v)
{
	struct virtq *q = cur_queue(vm);

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		vm->device_features_sel = v;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (vm->status & VIRTIO_CONFIG_S_FEATURES_OK || vm->driver_features_sel > 1)
			break;
		if (vm->driver_features_sel)
			vm->driver_features = (vm->driver_features & 0xffffffffull) |
					      (uint64_t)v << 32;
		else
			vm->driver_features = (vm->driver_features & ~0xffffffffull) | v;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		vm->driver_features_sel = v;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		vm->queue_sel = v;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (q && !q->ready)
			q->num = v > 0xffff ? 0 : (uint16_t)v;	/* checked at enable */
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		write_queue_ready(vm, q, v);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (v < vm->nqueues && virtio_mmio__queue_live(vm, v) && vm->ops &&
		    vm->ops->notify)
			vm->ops->notify(vm, v);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		vm->interrupt_status &= ~v;
		break;
	case VIRTIO_MMIO_STATUS:
		write_status(vm, v);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_addr(q, q ? &q->desc_gpa : NULL, v, off == VIRTIO_MMIO_QUEUE_DESC_HIGH);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		set_addr(q, q ? &q->avail_gpa : NULL, v, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		set_addr(q, q ? &q->used_gpa : NULL, v, off == VIRTIO_MMIO_QUEUE_USED_HIGH);
		break;
	default:
		break;			/* read-only or unknown: ignored */
	}
}

void virtio_mmio__read(struct virtio_mmio *vm, uint64_t offset, void *data, uint32_t len)
{
	uint32_t v;

	if (!data || !len || len > 8)
		return;
	memset(data, 0, len);
	if (offset >= VIRTIO_MMIO_CONFIG) {
		uint64_t co = offset - VIRTIO_MMIO_CONFIG;

		if (vm->config && co < vm->config_len && len <= vm->config_len - co)
			memcpy(data, vm->config + co, len);
		return;
	}
	if (len != 4 || (offset & 3))
		return;
	v = reg_read(vm, offset);
	memcpy(data, &v, 4);
}

void virtio_mmio__write(struct virtio_mmio *vm, uint64_t offset, const void *data, uint32_t len)
{
	uint32_t v;

	if (!data || len != 4 || (offset & 3) || offset >= VIRTIO_MMIO_CONFIG)
		return;			/* config space is read-only for the driver here */
	memcpy(&v, data, 4);
	reg_write(vm, offset, v);
}

int virtio_mmio__cmdline(char *buf, unsigned long len, uint64_t base, unsigned irq)
{
	return snprintf(buf, len, "virtio_mmio.device=4K@0x%llx:%u",
			(unsigned long long)base, irq);
}
