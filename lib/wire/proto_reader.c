// SPDX-License-Identifier: GPL-2.0
/* The frame stream decoder; see proto_reader.h. */
#include "proto_reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the frame structs are read in place: a big-endian host needs byte swapping here"
#endif

#define HDR sizeof(struct ktstr_frame_hdr)

void proto_reader__init(struct proto_reader *r)
{
	memset(r, 0, sizeof(*r));
}

void proto_reader__free(struct proto_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

const char *proto__type_name(uint16_t type)
{
	switch (type) {
	case KTSTR_MSG_HELLO: return "hello";
	case KTSTR_MSG_SCENARIO_START: return "scenario_start";
	case KTSTR_MSG_STEP: return "step";
	case KTSTR_MSG_WORKER_REPORT: return "worker_report";
	case KTSTR_MSG_LOG: return "log";
	case KTSTR_MSG_ERROR: return "error";
	case KTSTR_MSG_SCENARIO_END: return "scenario_end";
	case KTSTR_MSG_SCHED_EXIT: return "sched_exit";
	case KTSTR_MSG_EXIT: return "exit";
	case KTSTR_MSG_TOPOLOGY: return "topology";
	case KTSTR_MSG_BPF_PROGS: return "bpf_progs";
	case KTSTR_MSG_SHUTDOWN: return "shutdown";
	case KTSTR_MSG_DUMP: return "dump";
	}
	return "?";
}

__attribute__((format(printf, 2, 3)))
static void note(struct proto_reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->first_error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->first_error, sizeof(r->first_error), fmt, ap);
	va_end(ap);
}

/* 0 when @len bytes of @p are a valid payload of @type, else -1. */
static int payload_ok(uint16_t type, const uint8_t *p, uint32_t len)
{
	struct ktstr_msg_worker_report rep;
	struct ktstr_msg_bpf_progs bp;
	uint64_t want;

	switch (type) {
	case KTSTR_MSG_HELLO:
	case KTSTR_MSG_LOG:
	case KTSTR_MSG_ERROR:
	case KTSTR_MSG_TOPOLOGY:
		return 0;
	case KTSTR_MSG_SCENARIO_START:
		return len == sizeof(struct ktstr_msg_scenario_start) ? 0 : -1;
	case KTSTR_MSG_STEP:
		return len == sizeof(struct ktstr_msg_step) ? 0 : -1;
	case KTSTR_MSG_SCENARIO_END:
		return len == sizeof(struct ktstr_msg_scenario_end) ? 0 : -1;
	case KTSTR_MSG_EXIT:
		return len == sizeof(struct ktstr_msg_exit) ? 0 : -1;
	case KTSTR_MSG_SCHED_EXIT:
		return len >= sizeof(struct ktstr_msg_sched_exit) ? 0 : -1;
	case KTSTR_MSG_SHUTDOWN:
	case KTSTR_MSG_DUMP:
		return len == 0 ? 0 : -1;
	case KTSTR_MSG_WORKER_REPORT:
		if (len < sizeof(rep))
			return -1;
		memcpy(&rep, p, sizeof(rep));
		if (rep.nlatencies > KTSTR_REPORT_MAX_LATENCIES ||
		    rep.nmigrations > KTSTR_REPORT_MAX_MIGRATIONS)
			return -1;
		want = sizeof(rep) + (uint64_t)rep.nlatencies * sizeof(uint64_t) +
		       (uint64_t)rep.nmigrations * sizeof(struct ktstr_migration);
		return len == want ? 0 : -1;
	case KTSTR_MSG_BPF_PROGS:
		if (len < sizeof(bp))
			return -1;
		memcpy(&bp, p, sizeof(bp));
		if (bp.nprogs > KTSTR_BPF_PROGS_MAX)
			return -1;
		want = sizeof(bp) + (uint64_t)bp.nprogs * sizeof(struct ktstr_bpf_prog);
		return len == want ? 0 : -1;
	}
	return -2;
}

/* Offset of the first possible frame start: the magic, or a prefix of it at the end. */
static size_t find_magic(const uint8_t *b, size_t len)
{
	static const uint8_t m[4] = { KTSTR_PROTO_MAGIC & 0xff, (KTSTR_PROTO_MAGIC >> 8) & 0xff,
				      (KTSTR_PROTO_MAGIC >> 16) & 0xff, KTSTR_PROTO_MAGIC >> 24 };

	for (size_t i = 0; i < len; i++) {
		size_t n = len - i < 4 ? len - i : 4;

		if (!memcmp(b + i, m, n))
			return i;
	}
	return len;
}

/*
 * Decode what the buffer holds. Sets *need when a frame is incomplete
 * (how many payload bytes it has and wants). Returns 0 or the callback's value.
 */
static int drain(struct proto_reader *r, proto_frame_fn fn, void *arg, size_t *off)
{
	while (*off < r->len) {
		const uint8_t *b = r->buf + *off;
		size_t avail = r->len - *off, skip = find_magic(b, avail);
		struct ktstr_frame_hdr h;
		struct proto_frame f;
		int ret;

		if (skip) {
			r->st.skipped_bytes += skip;
			note(r, "%zu bytes of garbage skipped", skip);
			*off += skip;
			continue;
		}
		if (avail < HDR)
			return 0;
		memcpy(&h, b, HDR);
		if (h.version != KTSTR_PROTO_VERSION || h.length > KTSTR_FRAME_MAX) {
			if (h.version != KTSTR_PROTO_VERSION) {
				r->st.bad_version++;
				note(r, "frame of protocol version %u (expected %u)", h.version,
				     KTSTR_PROTO_VERSION);
			} else {
				r->st.bad_length++;
				note(r, "frame length %u over the maximum %u", h.length,
				     KTSTR_FRAME_MAX);
			}
			/* Resync after this magic. */
			r->st.skipped_bytes++;
			(*off)++;
			continue;
		}
		if (avail - HDR < h.length)
			return 0;
		if ((uint32_t)crc32(0L, b + HDR, h.length) != h.crc32) {
			r->st.bad_crc++;
			note(r, "frame (%s, %u bytes) with a bad CRC", proto__type_name(h.type),
			     h.length);
			r->st.skipped_bytes++;
			(*off)++;
			continue;
		}
		*off += HDR + h.length;
		ret = payload_ok(h.type, b + HDR, h.length);
		if (ret == -2) {
			r->st.unknown_type++;
			note(r, "frame of unknown type %u", h.type);
			continue;
		}
		if (ret) {
			r->st.bad_payload++;
			note(r, "%s frame with a bad payload size %u", proto__type_name(h.type),
			     h.length);
			continue;
		}
		r->st.frames++;
		f.type = h.type;
		f.length = h.length;
		f.payload = b + HDR;
		if (fn && (ret = fn(&f, arg)))
			return ret;
	}
	return 0;
}

static void compact(struct proto_reader *r, size_t off)
{
	if (off) {
		memmove(r->buf, r->buf + off, r->len - off);
		r->len -= off;
	}
}

int proto_reader__feed(struct proto_reader *r, const void *data, size_t len, proto_frame_fn fn,
		       void *arg)
{
	size_t off = 0;
	int ret;

	if (len > SIZE_MAX / 2 - r->len)
		return -ENOMEM;
	if (r->len + len > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		uint8_t *nb;

		while (cap < r->len + len)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (!nb)
			return -ENOMEM;
		r->buf = nb;
		r->cap = cap;
	}
	if (len)
		memcpy(r->buf + r->len, data, len);
	r->len += len;
	ret = drain(r, fn, arg, &off);
	compact(r, off);
	return ret;
}

int proto_reader__finish(struct proto_reader *r, proto_frame_fn fn, void *arg)
{
	size_t off = 0;
	int ret;

	for (;;) {
		struct ktstr_frame_hdr h;
		size_t avail;

		ret = drain(r, fn, arg, &off);
		if (ret || off >= r->len)
			break;
		/* Stuck on an incomplete frame (or header) at off. */
		avail = r->len - off;
		if (!r->st.truncated) {
			r->st.truncated = true;
			if (avail < HDR) {
				snprintf(r->truncation, sizeof(r->truncation),
					 "stream ended inside a frame header: %zu of %zu bytes",
					 avail, HDR);
			} else {
				memcpy(&h, r->buf + off, HDR);
				snprintf(r->truncation, sizeof(r->truncation),
					 "stream ended inside a frame: %zu of %u payload bytes",
					 avail - HDR, h.length);
			}
		}
		/* Frames may hide behind a corrupt length: rescan after this magic. */
		r->st.skipped_bytes++;
		off++;
	}
	compact(r, off);
	if (ret)
		return ret;
	return r->st.truncated ? -EPROTO : 0;
}

void proto__worker_report(const struct proto_frame *f, struct ktstr_msg_worker_report *r,
			  const uint8_t **lat, const uint8_t **mig)
{
	memcpy(r, f->payload, sizeof(*r));
	if (lat)
		*lat = f->payload + sizeof(*r);
	if (mig)
		*mig = f->payload + sizeof(*r) + (size_t)r->nlatencies * sizeof(uint64_t);
}
