/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's decoder of the agent's frame stream (lib/wire/ktstr_proto.h). Fed
 * with byte chunks as they arrive from a socket or pipe, it hands every valid
 * frame to a callback. The stream is untrusted: magic, version, length
 * (<= KTSTR_FRAME_MAX), CRC and each type's payload size are checked; bad
 * bytes are skipped by scanning for the next magic and counted; a stream that
 * ends inside a frame is reported by proto_reader__finish().
 */
#ifndef KTSTR_PROTO_READER_H
#define KTSTR_PROTO_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ktstr_proto.h"

struct proto_frame {
	uint16_t type;			/* enum ktstr_msg */
	uint32_t length;
	const uint8_t *payload;		/* valid during the callback only */
};

/* Return 0 to go on, non-zero to stop feeding (returned by feed). */
typedef int (*proto_frame_fn)(const struct proto_frame *f, void *arg);

struct proto_stats {
	uint64_t frames;		/* delivered */
	uint64_t skipped_bytes;		/* garbage and bytes of rejected headers */
	uint64_t bad_version;
	uint64_t bad_length;		/* length > KTSTR_FRAME_MAX */
	uint64_t bad_crc;
	uint64_t bad_payload;		/* CRC ok, but the size is wrong for the type */
	uint64_t unknown_type;
	bool truncated;			/* the stream ended inside a frame */
};

struct proto_reader {
	uint8_t *buf;
	size_t len, cap;
	struct proto_stats st;
	char first_error[160];		/* the first problem seen, for the report */
	char truncation[160];		/* "stream ended inside a frame: ..." */
};

void proto_reader__init(struct proto_reader *r);
void proto_reader__free(struct proto_reader *r);

/*
 * Decode @len more bytes. Returns 0, -ENOMEM, or the callback's non-zero
 * value (the remaining bytes stay buffered).
 */
int proto_reader__feed(struct proto_reader *r, const void *data, size_t len, proto_frame_fn fn,
		       void *arg);

/*
 * The stream has ended: frames still recoverable from the buffer are
 * delivered; a partial frame left is reported. Returns 0 when the stream
 * ended cleanly (no truncation), -EPROTO when it ended inside a frame (the
 * text is in r->truncation: "stream ended inside a frame: 12 of 300 payload
 * bytes"), or the callback's non-zero value.
 */
int proto_reader__finish(struct proto_reader *r, proto_frame_fn fn, void *arg);

/* Name of a message type ("worker_report"), "?" when unknown. */
const char *proto__type_name(uint16_t type);

/*
 * A worker report frame, split: the fixed struct copied into @r, and
 * pointers into the payload for the arrays (unaligned: read with memcpy).
 * The frame must have been delivered by the reader (sizes checked).
 */
void proto__worker_report(const struct proto_frame *f, struct ktstr_msg_worker_report *r,
			  const uint8_t **lat, const uint8_t **mig);

#endif
